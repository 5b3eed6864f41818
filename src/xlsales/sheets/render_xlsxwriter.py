"""Render a :class:`~xlsales.sheets.plan.BookPlan` with XlsxWriter: fast new files and macro-enabled templates.

XlsxWriter writes a workbook from scratch (no reading), about twice as fast as openpyxl, and can embed
a ``vbaProject.bin`` byte for byte and add form buttons that run a macro — what the templates need.

A sheet with data blocks (:class:`~xlsales.sheets.plan.DataBlock`, e.g. a million sales lines) is
written in XlsxWriter's constant-memory mode, and the rows of a block are produced in bulk: each
column is factorised, the XML of each distinct value is made once (with XlsxWriter's own escaping),
and the rows are assembled by one format call each — the same XML as cell-by-cell calls, about ten
times faster, in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Iterable

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string, range_boundaries
from xlsxwriter.utility import (
    _datetime_to_excel_datetime,
    _preserve_whitespace,
    _utf16_len,
    _utf16_truncate,
    xl_col_to_name,
    xl_range,
)

from ..io import write_xlsx_text
from .formats import COLORS, STYLES
from .plan import BookPlan, ChartSpec, DataBlock, SheetPlan, png_size

__all__ = ["write_book"]

_CELL_OPERATORS = {"equal": "==", "notEqual": "!=", "lessThan": "<", "greaterThan": ">",
                   "greaterThanOrEqual": ">=", "lessThanOrEqual": "<=", "between": "between"}
_VALIDATION_CRITERIA = {"between": "between", "greaterThanOrEqual": ">=", "lessThanOrEqual": "<=",
                        "greaterThan": ">", "lessThan": "<", "equal": "=="}
_CHART_TYPES = {"line": {"type": "line"}, "column": {"type": "column"}, "bar": {"type": "bar"},
                "pie": {"type": "pie"}, "scatter": {"type": "scatter", "subtype": "straight"}}


def _cell_index(address: str) -> tuple[int, int]:
    letter, row = coordinate_from_string(address)
    return row - 1, column_index_from_string(letter) - 1


class _Formats:
    """One XlsxWriter Format per (style, quote_prefix)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.cache = {}
        self.plain = workbook.add_format()

    def get(self, name: str, quote: bool = False):
        key = (name, quote)
        if key not in self.cache:
            style = STYLES[name]
            props = {"num_format": style.number_format, "locked": style.locked, "font_name": "Calibri", "font_size": style.size or 11}
            if style.bold:
                props["bold"] = True
            if style.italic:
                props["italic"] = True
            if style.font_color:
                props["font_color"] = "#" + style.font_color
            if style.fill:
                props["bg_color"] = "#" + style.fill
                props["pattern"] = 1
            if style.align:
                props["align"] = style.align
            if style.wrap:
                props["text_wrap"] = True
                props["valign"] = "vcenter"
            if style.border:
                props["border"] = 1
                props["border_color"] = "#BFBFBF"
            if quote:
                props["quote_prefix"] = True
            self.cache[key] = self.workbook.add_format(props)
        return self.cache[key]

    def look(self, look: str):
        key = ("look", look)
        if key not in self.cache:
            fill, font = {"good": (COLORS["good"], COLORS["good_font"]), "bad": (COLORS["bad"], COLORS["bad_font"]),
                          "neutral": (COLORS["neutral"], "9C5700")}[look]
            self.cache[key] = self.workbook.add_format({"bg_color": "#" + fill, "font_color": "#" + font})
        return self.cache[key]


def _needs_quote(text: str) -> bool:
    # the quote prefix keeps text that looks like a formula as text when the user edits the cell
    return text[:1] in ("=", "+", "-", "@", "\t", "\r")


def _write_cells(ws, plan: SheetPlan, formats: _Formats, skip: set[tuple[int, int]], rows=None) -> None:
    for (row, column), spec in sorted(plan.cells.items()):
        if (row, column) in skip or (rows is not None and row not in rows):
            continue
        r, c = row - 1, column - 1
        fmt = formats.get(spec.style)
        if spec.formula is not None:
            ws.write_formula(r, c, spec.formula, fmt)
            continue
        value = spec.value
        if value is None:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(r, c, value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day), fmt)
        else:
            text = str(value)
            # write_string never turns "=…" into a formula; the quote prefix keeps it text when edited
            write_xlsx_text(ws, r, c, text, formats.get(spec.style, quote=_needs_quote(text)), plain_format=formats.plain)


def _value_xml(ws, value, formats: _Formats, style: str) -> str:
    """The end of a cell's XML for one value (after ``<c r="A1``), as XlsxWriter writes it in
    constant-memory mode; text is always escaped (never read as rich-text XML)."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NaT:
        return f'" s="{formats.get(style)._get_xf_index()}"/>'
    if isinstance(value, (bool, np.bool_)):
        return f'" s="{formats.get(style)._get_xf_index()}" t="b"><v>{int(bool(value))}</v></c>'
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f'" s="{formats.get(style)._get_xf_index()}"><v>{value:.16G}</v></c>'
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp, np.datetime64)):
        stamp = pd.Timestamp(value).to_pydatetime()
        number = _datetime_to_excel_datetime(stamp, ws.date_1904, ws.remove_timezone)
        return f'" s="{formats.get(style)._get_xf_index()}"><v>{number:.16G}</v></c>'
    text = str(value)
    xf = formats.get(style, quote=_needs_quote(text))._get_xf_index()
    if len(text) > ws.xls_strmax // 2 and _utf16_len(text) > ws.xls_strmax:
        text = _utf16_truncate(text, ws.xls_strmax)
    text = ws._escape_control_characters(text)
    preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    return f'" s="{xf}" t="inlineStr"><is><t{preserve}>{ws._escape_data(text)}</t></is></c>'


def _column_xml(ws, values, formats: _Formats, style: str, start: int, stop: int):
    """Cell XML ends for rows ``start:stop`` of one block column (an iterable of strings)."""
    if isinstance(values, str):  # a formula on every row (calculated column of a Table)
        formula = ws._escape_data(_prepare_formula(values))
        return [f'" s="{formats.get(style)._get_xf_index()}"><f>{formula}</f><v>0</v></c>'] * (stop - start)
    part = values[start:stop]
    if isinstance(part, pd.Series):
        part = part.to_numpy()
    codes, uniques = pd.factorize(np.asarray(part) if not isinstance(part, np.ndarray) else part)
    if isinstance(uniques, pd.Index):
        uniques = uniques.to_numpy()
    ends = [_value_xml(ws, v.item() if isinstance(v, np.generic) and not isinstance(v, np.datetime64) else v,
                       formats, style) for v in uniques]
    ends.append(_value_xml(ws, None, formats, style))  # code -1: missing
    return np.asarray(ends, dtype=object)[codes].tolist()


def _write_block(ws, block: DataBlock, formats: _Formats, chunk: int = 50_000) -> None:
    """Write a block's rows straight into a constant-memory worksheet's row data."""
    first, last = block.row - 1, block.last_row - 1
    if block.n_rows == 0:
        return
    ws._write_single_row(first)  # flush the rows above the block
    letters = [xl_col_to_name(block.column - 1 + j) for j in range(len(block.columns))]
    row_attributes = ' x14ac:dyDescent="0.25"' if ws.excel_version == 2010 else ""
    template = (f'<row r="{{0}}"{row_attributes}>'
                + "".join(f'<c r="{letter}{{0}}{{{j + 1}}}' for j, letter in enumerate(letters)) + "</row>")
    for start in range(0, block.n_rows, chunk):
        stop = min(start + chunk, block.n_rows)
        ends = [_column_xml(ws, values, formats, style, start, stop) for values, style in zip(block.columns, block.styles)]
        numbers = range(block.row + start, block.row + stop)
        ws.fh.write("".join(map(template.format, numbers, *ends)))
    ws._check_dimensions(first, block.column - 1)
    ws._check_dimensions(last, block.last_column - 1)
    ws.previous_row = last


def _block_below(plan: SheetPlan, header_row: int, min_col: int, max_col: int) -> DataBlock | None:
    return next((b for b in plan.blocks if b.row == header_row + 1 and b.column <= min_col and b.last_column >= max_col), None)


def _add_block_table(ws, min_row: int, min_col: int, max_row: int, max_col: int, options: dict) -> None:
    """``add_table`` for a table over a data block: declared on its header and first row (XlsxWriter
    refuses tables in constant-memory mode and indexes every cell of a table), then extended."""
    columns = options["columns"]
    constant = ws.constant_memory
    ws.constant_memory = False
    try:
        ws.add_table(min_row - 1, min_col - 1, min_row, max_col - 1,
                     {**options, "columns": [{k: v for k, v in c.items() if k != "formula"} for c in columns]})
    finally:
        ws.constant_memory = constant
    spec = ws.tables[-1]
    whole = xl_range(min_row - 1, min_col - 1, max_row - 1, max_col - 1)
    spec["range"] = spec["a_range"] = whole
    if spec.get("autofilter"):
        spec["autofilter"] = whole
    for data, column in zip(spec["columns"], columns):
        if column.get("formula"):
            data["formula"] = _prepare_formula(column["formula"])
    ws.table.clear()  # the header cells are written with the other cells


def _tables(ws, plan: SheetPlan, formats: _Formats) -> set[tuple[int, int]]:
    """Add the Excel Tables; returns the header cells that XlsxWriter writes itself."""
    written = set()
    for table in plan.tables:
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        block = _block_below(plan, min_row, min_col, max_col)
        columns = []
        for c in range(min_col, max_col + 1):
            spec = plan.cells.get((min_row, c))
            header = str(spec.value) if spec is not None and spec.value is not None else f"Colonne{c}"
            column = {"header": header}
            if spec is not None:
                column["header_format"] = formats.get(spec.style)
            if header in table.calculated:
                column["formula"] = table.calculated[header]
                body = plan.cells.get((min_row + 1, c))
                if block is not None:
                    column["format"] = formats.get(block.styles[c - block.column])
                elif body is not None:
                    column["format"] = formats.get(body.style)
            columns.append(column)
            written.add((min_row, c))
        options = {"name": table.name, "style": table.style.replace("TableStyle", "Table Style ").replace("Medium", "Medium "),
                   "columns": columns}
        if block is not None:
            _add_block_table(ws, min_row, min_col, max_row, max_col, options)
            written.difference_update((min_row, c) for c in range(min_col, max_col + 1))
            continue
        ws.add_table(min_row - 1, min_col - 1, max_row - 1, max_col - 1, options)
        # calculated columns are written by add_table (formula on every row): do not overwrite them
        for c in range(min_col, max_col + 1):
            spec = plan.cells.get((min_row, c))
            if spec is not None and spec.value in table.calculated:
                written.update((r, c) for r in range(min_row + 1, max_row + 1))
    return written


def _chart(workbook, spec: ChartSpec):
    chart = workbook.add_chart(dict(_CHART_TYPES[spec.kind]))
    secondary = None
    categories = next((s.categories for s in spec.series if s.categories), None)
    for s in spec.series:
        series = {"values": "=" + s.values, "name": s.title or ""}
        if spec.kind == "scatter":
            series["categories"] = "=" + s.categories
        elif categories:
            series["categories"] = "=" + categories
        if s.secondary:
            secondary = secondary or workbook.add_chart({"type": "line"})
            series["y2_axis"] = True
            series["marker"] = {"type": "circle", "size": 4}
            secondary.add_series(series)
        else:
            if spec.kind == "line":
                series["marker"] = {"type": "none"}
            chart.add_series(series)
    chart.set_title({"name": spec.title, "name_font": {"size": 12}})
    if spec.kind != "pie":
        x_axis = {"name": spec.x_title} if spec.x_title else {}
        y_axis = {"name": spec.y_title} if spec.y_title else {}
        if spec.y_format:
            # a bar chart's value axis is its horizontal one
            (x_axis if spec.kind == "bar" else y_axis)["num_format"] = spec.y_format
        if spec.kind == "scatter":
            x_axis.update({"min": 0, "max": 1, "num_format": "0%"})
            y_axis.update({"min": 0, "max": 1})
        chart.set_x_axis(x_axis)
        chart.set_y_axis(y_axis)
        chart.set_legend({"position": "bottom"})
    if spec.stacked and spec.kind in ("column", "bar"):
        chart = chart  # stacking is not used by current generators
    if secondary is not None:
        if spec.y2_format:
            secondary.set_y2_axis({"num_format": spec.y2_format, "min": 0, "max": 1})
        chart.combine(secondary)
    chart.set_size({"width": int(spec.width_cm * 37.8), "height": int(spec.height_cm * 37.8)})
    return chart


def _prepare_formula(formula: str, expand_future_functions: bool = False) -> str:
    """XlsxWriter's formula preparation without its ~30 regex passes for Excel 365 functions,
    which generated workbooks never use (a test checks it): 5x faster on large tables."""
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    return formula


def _render_sheet(workbook, ws, plan: SheetPlan, formats: _Formats) -> None:
    ws._prepare_formula = _prepare_formula
    for row, height in plan.heights.items():
        ws.set_row(row - 1, height)
    written = _tables(ws, plan, formats)
    if plan.blocks:
        _write_with_blocks(ws, plan, formats, written)
    else:
        _write_cells(ws, plan, formats, written)
    for letter, width in plan.widths.items():
        idx = column_index_from_string(letter) - 1
        ws.set_column(idx, idx, width)
    if plan.freeze:
        ws.freeze_panes(*_cell_index(plan.freeze))
    if not plan.show_gridlines:
        ws.hide_gridlines(2)
    if plan.tab_color:
        ws.set_tab_color("#" + plan.tab_color)
    for chart in plan.charts:
        ws.insert_chart(*_cell_index(chart.anchor), _chart(workbook, chart))
    for image in plan.images:
        width, height = image.size
        native_width, native_height = png_size(image.data)
        picture = {"image_data": io.BytesIO(image.data), "x_scale": width / native_width,
                   "y_scale": height / native_height, "object_position": 3}
        if image.description:
            picture["description"] = image.description
        ws.insert_image(*_cell_index(image.anchor), "image.png", picture)
    for cf in plan.conditional_formats:
        if cf.kind == "expression":
            options = {"type": "formula", "criteria": "=" + cf.formula[0], "format": formats.look(cf.look)}
        elif cf.kind == "cell_is":
            options = {"type": "cell", "criteria": _CELL_OPERATORS[cf.operator], "format": formats.look(cf.look)}
            if cf.operator == "between":
                options.update({"minimum": cf.formula[0], "maximum": cf.formula[1]})
            else:
                options["value"] = cf.formula[0]
        elif cf.kind == "color_scale":
            low, mid, high = cf.colors
            options = {"type": "3_color_scale", "min_color": "#" + low, "mid_color": "#" + mid, "max_color": "#" + high}
        else:
            options = {"type": "data_bar", "bar_color": "#" + cf.colors[-1]}
        ws.conditional_format(cf.ref, options)
    for v in plan.validations:
        options = {"validate": "list" if v.kind == "list" else ("length" if v.kind == "textLength" else v.kind),
                   "ignore_blank": v.allow_blank}
        if v.kind == "list":
            options["source"] = v.formula1 if v.formula1.startswith("=") else [x.strip() for x in v.formula1.strip('"').split(",")]
        else:
            options["criteria"] = _VALIDATION_CRITERIA[v.operator or "between"]
            if options["criteria"] == "between":
                options["minimum"], options["maximum"] = _num(v.formula1), _num(v.formula2)
            else:
                options["value"] = _num(v.formula1)
        if v.prompt:
            options.update({"input_title": "Saisie", "input_message": v.prompt[:255]})
        if v.error:
            options.update({"error_title": "Valeur refusée", "error_message": v.error[:255]})
        ws.data_validation(v.ref, options)
    for button in plan.buttons:
        ws.insert_button(*_cell_index(button.anchor), {"macro": button.macro, "caption": button.caption,
                                                        "width": button.width, "height": button.height})
    setup = plan.print_setup
    if setup.orientation == "landscape":
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(setup.fit_width, setup.fit_height)
    if setup.title_rows:
        first, last = (int(x) for x in setup.title_rows.split(":"))
        ws.repeat_rows(first - 1, last - 1)
    area = plan.print_area()
    if area:
        ws.print_area(area)
    if setup.header:
        ws.set_header("&C" + setup.header.replace("&", "&&"))
    ws.set_footer("&C" + setup.footer)
    ws.center_horizontally()
    if plan.protect:
        ws.protect("", {"format_columns": True, "format_rows": True, "sort": True, "autofilter": True})
    if plan.hidden:
        ws.hide()


def _write_with_blocks(ws, plan: SheetPlan, formats: _Formats, written: set[tuple[int, int]]) -> None:
    """Cells and blocks in row order (constant-memory worksheet): no cell may share a block's rows."""
    blocks = sorted(plan.blocks, key=lambda b: b.row)
    spans = [(b.row, b.last_row) for b in blocks]
    for i in range(1, len(spans)):
        if spans[i][0] <= spans[i - 1][1]:
            raise ValueError(f"{plan.name}: data blocks share rows")
    cell_rows = sorted({r for r, _ in plan.cells})
    clash = [r for r in cell_rows if any(a <= r <= b for a, b in spans)]
    if clash:
        raise ValueError(f"{plan.name}: row {clash[0]} has both cells and a data block")
    top = 0
    for block in blocks:
        _write_cells(ws, plan, formats, written, rows={r for r in cell_rows if top < r < block.row})
        _write_block(ws, block, formats)
        top = block.last_row
    _write_cells(ws, plan, formats, written, rows={r for r in cell_rows if r > top})


def _num(text):
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return "=" + text if not str(text).startswith("=") else text


def write_book(plan: BookPlan, path: str | os.PathLike, *, vba_project: str | os.PathLike | None = None,
               vba_codenames: dict[str, str] | None = None, extra_sheets: Iterable[SheetPlan] = ()) -> None:
    """Write ``plan`` to ``path`` (.xlsx, or .xlsm with ``vba_project``).

    Parameters
    ----------
    vba_project : path-like, optional
        A ``vbaProject.bin`` embedded byte for byte (macro-enabled templates).
    vba_codenames : dict, optional
        Sheet name → VBA code name, for the sheets that have a module in the VBA project.
    """
    path = os.fspath(path)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(path, options)
    formats = _Formats(workbook)
    sheets = list(plan.sheets) + list(extra_sheets)
    if vba_project is not None:
        workbook.add_vba_project(os.fspath(vba_project))
        workbook.set_vba_name("ThisWorkbook")
    used_codenames = set((vba_codenames or {}).values())
    counter = 1
    for sheet_plan in sheets:
        # a sheet with data blocks is written row by row (constant memory); the others as usual
        workbook.constant_memory = bool(sheet_plan.blocks)
        try:
            ws = workbook.add_worksheet(sheet_plan.name)
        finally:
            workbook.constant_memory = False
        if vba_project is not None:
            codename = (vba_codenames or {}).get(sheet_plan.name)
            if codename is None:
                while f"Feuil{counter}" in used_codenames:
                    counter += 1
                codename = f"Feuil{counter}"
                used_codenames.add(codename)
            ws.set_vba_name(codename)
        _render_sheet(workbook, ws, sheet_plan, formats)
    for name, target in plan.names.items():
        workbook.define_name(name, "=" + target)
    if plan.active:
        for ws in workbook.worksheets():
            if ws.get_name() == plan.active:
                ws.activate()
    properties = {"title": plan.title, "author": "xlsales", "comments": "Généré par xlsales"}
    if plan.created is not None:
        properties["created"] = plan.created
    workbook.set_properties(properties)
    workbook.set_calc_mode("auto")
    workbook.close()
