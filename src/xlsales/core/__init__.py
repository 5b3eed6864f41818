"""The sales-math core: pure, vectorised computations by domain (no xlwings, no files).

Every function of the Excel catalogue (``spec/functions.md``) has a snake_case counterpart here:
``MARGIN_RATE`` is :func:`xlsales.core.pricing.margin_rate`, also importable as
``xlsales.core.margin_rate``.
"""

from . import costs, customers, forecast, forecast_auto, journey, kpi, market, pay, pricing, stock
from . import forecast_auto as _forecast_auto_module
from .costs import *  # noqa: F401,F403
from .customers import *  # noqa: F401,F403
from .errors import *  # noqa: F401,F403
from .forecast import *  # noqa: F401,F403
from .forecast_auto import *  # noqa: F401,F403
from .journey import *  # noqa: F401,F403
from .kpi import *  # noqa: F401,F403
from .market import *  # noqa: F401,F403
from .pay import *  # noqa: F401,F403
from .pricing import *  # noqa: F401,F403
from .stock import *  # noqa: F401,F403

#: the domain modules (``forecast_auto`` the module, not the function of the same name)
DOMAINS = (pricing, costs, kpi, customers, market, forecast, _forecast_auto_module, stock, pay, journey)
