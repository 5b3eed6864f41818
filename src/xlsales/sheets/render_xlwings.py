"""Render a :class:`~xlsales.sheets.plan.BookPlan` live into an open workbook through xlwings' Book API.

The same calls work with classic xlwings (COM, the template's button) and with xlwings Lite /
Server (Office.js); on Linux the latter is testable with ``xw.Book(json=payload)``.

Output sheets are deleted and re-created (nothing else refers to them); input sheets (sales lines,
targets, settings) that already exist are never touched, so what the user typed is kept. A
decoration that a runtime does not support (e.g. sheet protection in Office.js) is skipped and
reported in the returned list, never fatal.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import defaultdict

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from .formats import COLORS, STYLES
from .plan import BookPlan, ChartSpec, SheetPlan

__all__ = ["render_book_live", "cell_formula_text"]

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_NEEDS_QUOTE = re.compile(r"^[=+\-@\t\r]|^\s*[-+]?\d[\d\s.,]*%?\s*$")
_CHART_TYPES = {"line": "line", "column": "column_clustered", "bar": "bar_clustered", "pie": "pie",
                "scatter": "xy_scatter_lines_no_markers"}
_LOOKS = {"good": (COLORS["good"], COLORS["good_font"]), "bad": (COLORS["bad"], COLORS["bad_font"]),
          "neutral": (COLORS["neutral"], "9C5700")}


def cell_formula_text(spec):
    """What to put in ``Range.formula`` for a cell: formulas as is, text protected by a leading quote."""
    if spec.formula is not None:
        return spec.formula
    value = spec.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.date, dt.datetime)):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        delta = value - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86400
    if isinstance(value, str):
        # a leading apostrophe keeps text as text (formula injection, numbers typed as text)
        return "'" + value if _NEEDS_QUOTE.search(value) else value
    return value


def _hex(color: str) -> str:
    return "#" + color


def _style_ranges(plan: SheetPlan) -> dict[str, list[tuple[int, int, int, int]]]:
    """Group cells by style into rectangles (row runs merged vertically)."""
    runs = defaultdict(list)  # style -> [(row, c1, c2)]
    by_row = defaultdict(dict)
    for (r, c), spec in plan.cells.items():
        by_row[r][c] = spec.style
    for r in sorted(by_row):
        cols = sorted(by_row[r])
        start = prev = cols[0]
        style = by_row[r][start]
        for c in cols[1:] + [None]:
            if c is not None and c == prev + 1 and by_row[r][c] == style:
                prev = c
                continue
            runs[style].append((r, start, prev))
            if c is not None:
                start = prev = c
                style = by_row[r][c]
    rects = {}
    for style, items in runs.items():
        merged = []
        for r, c1, c2 in sorted(items, key=lambda t: (t[1], t[2], t[0])):
            if merged and merged[-1][1] == c1 and merged[-1][3] == c2 and merged[-1][2] == r - 1:
                merged[-1] = (merged[-1][0], c1, r, c2)
            else:
                merged.append((r, c1, r, c2))
        rects[style] = merged
    return rects


def _anchor_points(anchor: str) -> tuple[float, float]:
    letter, row = coordinate_from_string(anchor)
    return (column_index_from_string(letter) - 1) * 52.0, (row - 1) * 15.0


def _chart_source(sheet, spec: ChartSpec):
    """The smallest contiguous block holding categories and series (one range for set_source_data)."""
    refs = [s.values for s in spec.series if not s.secondary]
    cats = next((s.categories for s in spec.series if s.categories), None)
    boxes = [range_boundaries(r.split("!")[-1].replace("$", "")) for r in refs + ([cats] if cats else [])]
    min_col = min(b[0] for b in boxes)
    max_col = max(b[2] for b in boxes)
    min_row = min(b[1] for b in boxes)
    max_row = max(b[3] for b in boxes)
    used_cols = {c for b in boxes for c in range(b[0], b[2] + 1)}
    if used_cols != set(range(min_col, max_col + 1)):
        # not contiguous: categories + first series only
        first = boxes[0]
        min_col, max_col = (boxes[-1][0], first[2]) if cats else (first[0], first[2])
        if cats and boxes[-1][0] + 1 != first[0]:
            min_col, max_col = first[0], first[2]
    header_row = max(min_row - 1, 1)
    return sheet.range((header_row, min_col), (max_row, max_col))


def _render_sheet(sheet, plan: SheetPlan, skipped: list[str]) -> None:
    if plan.cells:
        rows, cols = plan.max_row, plan.max_column
        grid = [["" for _ in range(cols)] for _ in range(rows)]
        for (r, c), spec in plan.cells.items():
            grid[r - 1][c - 1] = cell_formula_text(spec)
        sheet.range((1, 1), (rows, cols)).formula = grid
    for style_name, rects in _style_ranges(plan).items():
        style = STYLES[style_name]
        for r1, c1, r2, c2 in rects:
            rng = sheet.range((r1, c1), (r2, c2))
            try:
                if style.number_format != "General":
                    rng.number_format = style.number_format
                if style.bold:
                    rng.font.bold = True
                if style.italic:
                    rng.font.italic = True
                if style.size:
                    rng.font.size = style.size
                if style.font_color:
                    rng.font.color = _hex(style.font_color)
                if style.fill:
                    rng.color = _hex(style.fill)
                if style.wrap:
                    rng.wrap_text = True
            except (NotImplementedError, AttributeError) as error:  # pragma: no cover - runtime dependent
                skipped.append(f"{plan.name}: style {style_name} ({error})")
    for letter, width in plan.widths.items():
        try:
            sheet.range(f"{letter}:{letter}").column_width = width
        except (NotImplementedError, AttributeError) as error:  # pragma: no cover
            skipped.append(f"{plan.name}: width {letter} ({error})")
    for row, height in plan.heights.items():
        try:
            sheet.range(f"{row}:{row}").row_height = height
        except (NotImplementedError, AttributeError) as error:  # pragma: no cover
            skipped.append(f"{plan.name}: height {row} ({error})")
    for table in plan.tables:
        sheet.tables.add(sheet.range(table.ref), name=table.name, table_style_name=table.style)
    for cf in plan.conditional_formats:
        formats = sheet.range(cf.ref).conditional_formats
        fill, font = _LOOKS[cf.look]
        try:
            if cf.kind == "expression":
                formats.add_custom("=" + cf.formula[0], fill_color=_hex(fill), font_color=_hex(font))
            elif cf.kind == "cell_is":
                operator = {"equal": "equal_to", "notEqual": "not_equal_to", "lessThan": "less_than",
                            "greaterThan": "greater_than", "greaterThanOrEqual": "greater_than_or_equal",
                            "lessThanOrEqual": "less_than_or_equal", "between": "between"}[cf.operator]
                formats.add_cell_value(operator, *cf.formula, fill_color=_hex(fill), font_color=_hex(font))
            elif cf.kind == "color_scale":
                formats.add_color_scale([_hex(c) for c in cf.colors])
            elif cf.kind == "data_bar":
                formats.add_data_bar(_hex(cf.colors[-1]))
        except (NotImplementedError, AttributeError, ValueError) as error:
            skipped.append(f"{plan.name}: conditional format {cf.ref} ({error})")
    for v in plan.validations:
        try:
            validation = sheet.range(v.ref).data_validation
            if v.kind == "list":
                validation.set_list([x.strip() for x in (v.formula1 or "").strip('"').split(",")])
            elif v.kind == "whole":
                validation.set_whole_number(_validation_operator(v.operator), _num(v.formula1), _num(v.formula2))
            elif v.kind == "decimal":
                validation.set_decimal(_validation_operator(v.operator), _num(v.formula1), _num(v.formula2))
        except (NotImplementedError, AttributeError, ValueError, TypeError) as error:
            skipped.append(f"{plan.name}: validation {v.ref} ({error})")
    for chart_spec in plan.charts:
        try:
            left, top = _anchor_points(chart_spec.anchor)
            chart = sheet.charts.add(left, top, width=chart_spec.width_cm * 28.35, height=chart_spec.height_cm * 28.35)
            chart.set_source_data(_chart_source(sheet, chart_spec))
            chart.chart_type = _CHART_TYPES[chart_spec.kind]
        except (NotImplementedError, AttributeError, ValueError) as error:
            skipped.append(f"{plan.name}: chart {chart_spec.title} ({error})")
    for image in getattr(plan, "images", ()):
        try:
            left, top = _anchor_points(image.anchor)
            width, height = image.size
            with tempfile.TemporaryDirectory(prefix="xlsales-img-") as folder:
                path = os.path.join(folder, "image.png")
                with open(path, "wb") as fh:
                    fh.write(image.data)
                sheet.pictures.add(path, left=left, top=top, width=width * 0.75, height=height * 0.75)
        except (NotImplementedError, AttributeError, ValueError, OSError) as error:
            skipped.append(f"{plan.name}: image {image.anchor} ({error})")
    if plan.freeze:
        try:
            sheet.freeze_panes.freeze_at(plan.freeze)
        except (NotImplementedError, AttributeError) as error:  # pragma: no cover
            skipped.append(f"{plan.name}: freeze ({error})")
    if plan.protect:
        try:
            sheet.api.Protect(AllowFormattingColumns=True)  # classic Excel (COM)
        except Exception:  # Office.js has no sheet protection in the Book API
            skipped.append(f"{plan.name}: protection")


def _validation_operator(operator: str | None) -> str:
    return {"between": "between", "greaterThanOrEqual": "greater_than_or_equal", "lessThanOrEqual": "less_than_or_equal",
            "greaterThan": "greater_than", "lessThan": "less_than", "equal": "equal"}.get(operator or "between", "between")


def _num(text):
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def render_book_live(plan: BookPlan, book, *, only: set[str] | None = None) -> list[str]:
    """Write ``plan`` into the open xlwings ``book``.

    Parameters
    ----------
    plan : BookPlan
    book : xlwings.Book
        ``xw.Book.caller()`` from the template's button, the book of an xlwings Lite script,
        or ``xw.Book(json=...)`` in tests.
    only : set of str, optional
        Names of the sheets to (re)build; default: every output sheet, and input sheets
        missing from the book.

    Returns
    -------
    list of str
        Decorations the runtime could not apply (for the status message).
    """
    skipped: list[str] = []
    existing = [s.name for s in book.sheets]
    order = [p.name for p in plan.sheets]
    for sheet_plan in plan.sheets:
        wanted = (sheet_plan.name in only) if only is not None else (
            sheet_plan.role == "output" or sheet_plan.name not in existing)
        if not wanted:
            continue
        names_now = [s.name for s in book.sheets]
        before = None
        if sheet_plan.name in names_now:
            index = names_now.index(sheet_plan.name)
            if index + 1 < len(names_now):
                before = names_now[index + 1]
            book.sheets[sheet_plan.name].delete()
        else:
            later = order[order.index(sheet_plan.name) + 1:]
            before = next((n for n in later if n in names_now), None)
        remaining = [s.name for s in book.sheets]
        if before is not None and remaining.index(before) == 0:
            sheet = book.sheets.add(sheet_plan.name, before=book.sheets[before])
        elif before is not None:
            # insert with after= (xlwings' Office.js book mis-places before= on other positions)
            sheet = book.sheets.add(sheet_plan.name, after=book.sheets[remaining[remaining.index(before) - 1]])
        else:
            # after the last sheet of the plan already in the book (not after foreign sheets such as xlwings.conf)
            present = [n for n in remaining if n in order]
            anchor = present[-1] if present else remaining[-1]
            sheet = book.sheets.add(sheet_plan.name, after=book.sheets[anchor])
        _render_sheet(sheet, sheet_plan, skipped)
    current = {n.name for n in book.names}
    for name, target in plan.names.items():
        if name not in current:
            book.names.add(name, "=" + target)
    return skipped
