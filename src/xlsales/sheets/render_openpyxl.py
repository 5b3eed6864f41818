"""Render a :class:`~xlsales.sheets.plan.BookPlan` with openpyxl (files: CLI, ready-made workbooks, tests)."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference, ScatterChart, Series
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, DataBarRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from .formats import COLORS, STYLES, CellStyle
from .plan import BookPlan, ChartSpec, SheetPlan

__all__ = ["render_book", "render_sheet"]

_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@lru_cache(maxsize=None)
def _font(style: CellStyle) -> Font:
    return Font(bold=style.bold, italic=style.italic, size=style.size or 11, color=style.font_color)


@lru_cache(maxsize=None)
def _fill(color: str) -> PatternFill:
    return PatternFill("solid", start_color=color, end_color=color)


@lru_cache(maxsize=None)
def _alignment(style: CellStyle) -> Alignment:
    return Alignment(horizontal=style.align, vertical="center" if style.wrap else None, wrap_text=style.wrap)


#: first characters that make a spreadsheet read text as a formula
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)


def _write_cell(ws, row: int, column: int, spec) -> None:
    cell = ws.cell(row=row, column=column)
    if spec.formula is not None:
        cell.value = spec.formula
    else:
        value = spec.value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        looks_like_formula = isinstance(value, str) and value[:1] in _FORMULA_STARTS
        if isinstance(value, str) and "\r" in value:
            # XML readers turn a raw carriage return into a line feed: store it escaped, as Excel does
            value = value.replace("\r", "_x000D_")
        cell.value = value
        if looks_like_formula:
            # text that looks like a formula stays text, also once the user edits it (formula injection)
            cell.data_type = "s"
            cell.quotePrefix = True
    style = STYLES[spec.style]
    if style.number_format != "General":
        cell.number_format = style.number_format
    if style.bold or style.italic or style.size or style.font_color:
        cell.font = _font(style)
    if style.fill:
        cell.fill = _fill(style.fill)
    if style.align or style.wrap:
        cell.alignment = _alignment(style)
    if style.border:
        cell.border = _BORDER
    cell.protection = _LOCKED if style.locked else _UNLOCKED


def _chart(spec: ChartSpec):
    if spec.kind == "line":
        chart = LineChart()
    elif spec.kind in ("column", "bar"):
        chart = BarChart()
        chart.type = "col" if spec.kind == "column" else "bar"
        if spec.stacked:
            chart.grouping = "stacked"
            chart.overlap = 100
    elif spec.kind == "pie":
        chart = PieChart()
    elif spec.kind == "scatter":
        chart = ScatterChart()
        chart.style = 13
    else:  # pragma: no cover - guarded by the plan's Literal
        raise ValueError(spec.kind)
    chart.title = spec.title
    chart.width, chart.height = spec.width_cm, spec.height_cm
    secondary = None
    for s in spec.series:
        if spec.kind == "scatter":
            xs = Reference(range_string=s.categories)
            ys = Reference(range_string=s.values)
            series = Series(ys, xs, title=s.title)
            series.marker.symbol = "none"
            series.smooth = False
            chart.series.append(series)
            continue
        if s.secondary:
            secondary = secondary or LineChart()
            series = Series(Reference(range_string=s.values), title=s.title)
            secondary.series.append(series)
            continue
        series = Series(Reference(range_string=s.values), title=s.title)
        chart.series.append(series)
    categories = next((s.categories for s in spec.series if s.categories), None)
    if categories and spec.kind != "scatter":
        chart.set_categories(Reference(range_string=categories))
    if spec.kind != "pie":
        if spec.x_title:
            chart.x_axis.title = spec.x_title
        if spec.y_title:
            chart.y_axis.title = spec.y_title
        if spec.y_format:
            chart.y_axis.number_format = spec.y_format
            chart.y_axis.majorGridlines = chart.y_axis.majorGridlines
        # openpyxl ≥ 3.1 hides axes unless told otherwise
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
    if secondary is not None:
        secondary.y_axis.axId = 200
        secondary.y_axis.crosses = "max"
        secondary.y_axis.delete = False
        if spec.y2_format:
            secondary.y_axis.number_format = spec.y2_format
        if categories:
            secondary.set_categories(Reference(range_string=categories))
        chart += secondary
    return chart


def _image(ws, spec) -> None:
    from openpyxl.drawing.image import Image as XLImage  # needs Pillow

    picture = XLImage(io.BytesIO(spec.data))
    picture.width, picture.height = spec.size
    picture.anchor = spec.anchor
    ws.add_image(picture)


def _conditional(ws, cf) -> None:
    looks = {
        "good": (COLORS["good"], COLORS["good_font"]),
        "bad": (COLORS["bad"], COLORS["bad_font"]),
        "neutral": (COLORS["neutral"], "9C5700"),
    }
    fill_color, font_color = looks[cf.look]
    fill, font = _fill(fill_color), Font(color=font_color)
    if cf.kind == "cell_is":
        rule = CellIsRule(operator=cf.operator, formula=list(cf.formula), fill=fill, font=font)
    elif cf.kind == "expression":
        rule = FormulaRule(formula=list(cf.formula), fill=fill, font=font)
    elif cf.kind == "color_scale":
        low, mid, high = cf.colors
        rule = ColorScaleRule(start_type="min", start_color=low, mid_type="percentile", mid_value=50,
                              mid_color=mid, end_type="max", end_color=high)
    elif cf.kind == "data_bar":
        rule = DataBarRule(start_type="min", end_type="max", color=cf.colors[-1], showValue=True)
    else:  # pragma: no cover
        raise ValueError(cf.kind)
    ws.conditional_formatting.add(cf.ref, rule)


def render_sheet(ws, plan: SheetPlan) -> None:
    """Write one sheet plan into an (empty) openpyxl worksheet."""
    for (row, column), spec in sorted(plan.cells.items()):
        _write_cell(ws, row, column, spec)
    for letter, width in plan.widths.items():
        ws.column_dimensions[letter].width = width
    for row, height in plan.heights.items():
        ws.row_dimensions[row].height = height
    for merged in plan.merges:
        ws.merge_cells(merged)
    if plan.freeze:
        ws.freeze_panes = plan.freeze
    ws.sheet_view.showGridLines = plan.show_gridlines
    if plan.tab_color:
        ws.sheet_properties.tabColor = plan.tab_color
    for table in plan.tables:
        t = Table(displayName=table.name, ref=table.ref)
        t.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True, showColumnStripes=False)
        ws.add_table(t)
    for chart in plan.charts:
        ws.add_chart(_chart(chart), chart.anchor)
    for image in plan.images:
        _image(ws, image)
    for cf in plan.conditional_formats:
        _conditional(ws, cf)
    for v in plan.validations:
        dv = DataValidation(type=v.kind, operator=v.operator if v.kind != "list" else None,
                            formula1=v.formula1, formula2=v.formula2, allow_blank=v.allow_blank,
                            showErrorMessage=True, showInputMessage=bool(v.prompt))
        if v.prompt:
            dv.promptTitle, dv.prompt = "Saisie", v.prompt
        if v.error:
            dv.errorTitle, dv.error = "Valeur refusée", v.error
        dv.add(v.ref)
        ws.add_data_validation(dv)
    setup = plan.print_setup
    ws.page_setup.orientation = setup.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = setup.fit_width
    ws.page_setup.fitToHeight = setup.fit_height
    if setup.title_rows:
        ws.print_title_rows = setup.title_rows
    area = plan.print_area()
    if area:
        ws.print_area = area
    if setup.header:
        ws.oddHeader.center.text = setup.header
    ws.oddFooter.center.text = setup.footer
    ws.print_options.horizontalCentered = True
    if plan.protect:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.sort = False
        ws.protection.autoFilter = False


def render_book(plan: BookPlan, workbook: Workbook | None = None, *, only: set[str] | None = None) -> Workbook:
    """Render ``plan`` into ``workbook`` (a new one by default).

    Sheets of ``plan`` whose name is in ``only`` (default: all) are (re)created: an existing sheet
    of that name is replaced at the same position. Other sheets of ``workbook`` are left untouched.
    """
    if workbook is None:
        workbook = Workbook()
        workbook.remove(workbook.active)
    for sheet_plan in plan.sheets:
        if only is not None and sheet_plan.name not in only:
            continue
        index = None
        if sheet_plan.name in workbook.sheetnames:
            index = workbook.sheetnames.index(sheet_plan.name)
            workbook.remove(workbook[sheet_plan.name])
        ws = workbook.create_sheet(sheet_plan.name, index)
        render_sheet(ws, sheet_plan)
    for name, target in plan.names.items():
        if name in workbook.defined_names:
            del workbook.defined_names[name]
        workbook.defined_names[name] = DefinedName(name, attr_text=target)
    if plan.active and plan.active in workbook.sheetnames:
        workbook.active = workbook.sheetnames.index(plan.active)
        for ws in workbook.worksheets:
            ws.sheet_view.tabSelected = ws.title == plan.active
    workbook.calculation.fullCalcOnLoad = True
    if plan.title:
        workbook.properties.title = plan.title
    workbook.properties.creator = "xlsales"
    return workbook
