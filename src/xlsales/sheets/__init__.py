"""Building blocks of generated workbooks: sheet plans, French formats, formula builders, renderers."""

from .formats import NUMBER_FORMATS, STYLES
from .formulas import SalesTable, column, safe_ratio, sumifs, this_row
from .plan import BookPlan, CellSpec, ChartSeries, ChartSpec, ConditionalFormat, Formula, PrintSetup, SheetPlan, TableSpec, Validation, area, col, quote_sheet, ref

__all__ = [
    "NUMBER_FORMATS", "STYLES", "SalesTable", "column", "safe_ratio", "sumifs", "this_row",
    "BookPlan", "CellSpec", "ChartSeries", "ChartSpec", "ConditionalFormat", "Formula", "PrintSetup",
    "SheetPlan", "TableSpec", "Validation", "area", "col", "quote_sheet", "ref",
]
