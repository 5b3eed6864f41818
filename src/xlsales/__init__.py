"""xlsales — Excel-native toolkit for technical-sales managers.

* :mod:`xlsales.core` — the sales-math core (pure numpy / pandas / statsmodels).
* :mod:`xlsales.udfs` — the same functions as Excel functions (xlwings).
"""

__version__ = "0.1.0"
