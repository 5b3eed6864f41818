"""The Excel function catalogue as xlwings UDFs (classic xlwings and xlwings Lite).

Each function is importable under its Excel name (``MARGIN_RATE``) and in lower case
(``margin_rate``); calling it from Python gives what the cell shows. To use them in Excel with
classic xlwings, set ``UDF Modules`` to ``xlsales.udfs`` and click *Import Functions*; for
xlwings Lite, paste the generated ``lite/main.py`` and ``lite/requirements.txt``.
"""

from . import costs, customers, forecast, forecast_auto, journey, kpi, market, pay, pricing, stock
from ._excel import UDF_REGISTRY

globals().update(UDF_REGISTRY)
__all__ = sorted(UDF_REGISTRY)

# A submodule named like a function in lower case (forecast_auto) would hide that function's
# alias: drop the submodule from the namespace (it stays importable, in sys.modules).
for _alias in [n.lower() for n in UDF_REGISTRY if n.lower() in globals()]:
    del globals()[_alias]
globals().pop("_alias", None)


def __getattr__(name: str):
    # lower-case aliases are served here, not stored in the module, so that xlwings
    # (which scans module members) registers each function once.
    try:
        return UDF_REGISTRY[name.upper()]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
