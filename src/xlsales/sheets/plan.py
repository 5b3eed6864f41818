"""A workbook described as data, rendered later to a file (openpyxl) or into a live Excel book (xlwings).

Generators (``xlsales.macros.*``) build a :class:`BookPlan`; renderers turn it into cells. A plan
never holds a formula by accident: text goes in ``value`` (always written as text, even when it
starts with ``=``), formulas go in ``formula``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Sequence

from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
    range_boundaries,
)

from .formats import STYLES

__all__ = [
    "CellSpec",
    "DataBlock",
    "TableSpec",
    "ChartSeries",
    "ChartSpec",
    "ConditionalFormat",
    "Validation",
    "PrintSetup",
    "SheetPlan",
    "BookPlan",
    "col",
    "ref",
    "area",
    "Formula",
    "Button",
    "Image",
    "png_size",
    "quote_sheet",
]

Role = Literal["input", "output"]


def col(index: int) -> str:
    """Column letter of a 1-based index (1 → "A")."""
    return get_column_letter(index)


def ref(row: int, column: int, *, absolute: bool = False, sheet: str | None = None) -> str:
    """A1 reference of (row, column), optionally absolute and sheet-qualified."""
    letter = col(column)
    text = f"${letter}${row}" if absolute else f"{letter}{row}"
    return f"{quote_sheet(sheet)}!{text}" if sheet else text


def area(row1: int, col1: int, row2: int, col2: int, *, absolute: bool = True, sheet: str | None = None) -> str:
    """A1 range reference, absolute by default."""
    text = f"{ref(row1, col1, absolute=absolute)}:{ref(row2, col2, absolute=absolute)}"
    return f"{quote_sheet(sheet)}!{text}" if sheet else text


def quote_sheet(name: str) -> str:
    """Sheet name as written in a formula ('Tableau de bord'!A1)."""
    if name.replace("_", "").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass
class CellSpec:
    value: Any = None
    formula: str | None = None
    style: str = "default"

    def __post_init__(self):
        if self.style not in STYLES:
            raise KeyError(f"unknown style {self.style!r}")
        if self.formula is not None and not self.formula.startswith("="):
            self.formula = "=" + self.formula


@dataclass
class DataBlock:
    """A large rectangle of data given column by column (one array per column), not cell by cell.

    Used for sheets of hundreds of thousands of rows (the sales lines): the plan holds a few arrays
    instead of one :class:`CellSpec` per cell, and the XlsxWriter renderer writes the rows in bulk.
    ``columns[j]`` is a sequence of values (numbers, dates, text; ``None``/NaN/NaT = empty cell) or a
    formula ``str`` repeated on every row (a calculated column of a Table); ``styles[j]`` its style.
    Renderers that do not know blocks get cells from :meth:`SheetPlan.expand_blocks`.
    """

    row: int  # first row (1-based)
    column: int  # first column (1-based)
    columns: list[Any]
    styles: list[str]

    def __post_init__(self):
        if len(self.columns) != len(self.styles):
            raise ValueError("one style per column")
        for style in self.styles:
            if style not in STYLES:
                raise KeyError(f"unknown style {style!r}")
        lengths = {len(c) for c in self.columns if not isinstance(c, str)}
        if len(lengths) > 1:
            raise ValueError("columns of different lengths")

    @property
    def n_rows(self) -> int:
        return next((len(c) for c in self.columns if not isinstance(c, str)), 0)

    @property
    def last_row(self) -> int:
        return self.row + self.n_rows - 1

    @property
    def last_column(self) -> int:
        return self.column + len(self.columns) - 1


@dataclass
class TableSpec:
    name: str
    ref: str  # "A1:N500" (header row included)
    style: str = "TableStyleMedium2"
    #: calculated columns: header → formula, so that Excel fills them on rows added to the table
    calculated: dict[str, str] = field(default_factory=dict)


@dataclass
class ChartSeries:
    values: str  # "'Sheet'!$B$2:$B$37"
    title: str | None = None
    categories: str | None = None  # x values for scatter charts
    secondary: bool = False  # plotted as a line on a secondary axis (Pareto)
    kind: str | None = None  # override of the chart kind for combo charts ("line")


@dataclass
class ChartSpec:
    kind: Literal["line", "column", "bar", "pie", "scatter"]
    title: str
    anchor: str  # top-left cell, e.g. "H2"
    series: list[ChartSeries]
    x_title: str | None = None
    y_title: str | None = None
    y_format: str | None = None
    y2_format: str | None = None
    width_cm: float = 16.0
    height_cm: float = 8.0
    stacked: bool = False


@dataclass
class ConditionalFormat:
    ref: str
    kind: Literal["cell_is", "expression", "color_scale", "data_bar"]
    operator: str | None = None  # cell_is: "lessThan", "greaterThanOrEqual", "between"…
    formula: Sequence[str] = ()
    look: Literal["good", "bad", "neutral"] = "good"
    colors: Sequence[str] = ("F8696B", "FFEB84", "63BE7B")  # color scale: low, mid, high


@dataclass
class Validation:
    ref: str
    kind: Literal["decimal", "whole", "list", "date", "textLength"]
    operator: str | None = "between"
    formula1: str | None = None
    formula2: str | None = None
    prompt: str | None = None
    error: str | None = None
    allow_blank: bool = True


@dataclass
class PrintSetup:
    orientation: Literal["portrait", "landscape"] = "landscape"
    fit_width: int = 1
    fit_height: int = 0  # 0 = as many pages as needed
    title_rows: str | None = None  # "1:4"
    area: str | None = None
    header: str | None = None  # centre header text
    footer: str = "&A — page &P / &N"


@dataclass
class Button:
    """A form button running a VBA macro (macro-enabled templates only)."""

    anchor: str  # top-left cell
    macro: str  # VBA macro name, e.g. "SampleCall"
    caption: str
    width: int = 220
    height: int = 36


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG image, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@dataclass
class Image:
    """A picture (PNG bytes) on a sheet, its top-left corner on the cell ``anchor``.

    ``width_px`` / ``height_px`` set the displayed size (default: the picture's own size, or the
    other dimension scaled to keep the aspect ratio). It is not a formula: rebuild the workbook to
    redraw it.
    """

    anchor: str  # top-left cell, e.g. "R4"
    data: bytes  # PNG file content
    width_px: int | None = None
    height_px: int | None = None
    description: str = ""  # alternative text

    def __post_init__(self):
        png_size(self.data)  # fail early on anything but a PNG

    @property
    def size(self) -> tuple[int, int]:
        """Displayed (width, height) in pixels."""
        width, height = png_size(self.data)
        if self.width_px and self.height_px:
            return self.width_px, self.height_px
        if self.width_px:
            return self.width_px, round(height * self.width_px / width)
        if self.height_px:
            return round(width * self.height_px / height), self.height_px
        return width, height


@dataclass
class SheetPlan:
    """One worksheet: cells, layout and decorations."""

    name: str
    role: Role = "output"
    cells: dict[tuple[int, int], CellSpec] = field(default_factory=dict)
    widths: dict[str, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)  # row → height in points
    freeze: str | None = None
    tables: list[TableSpec] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    protect: bool = True
    print_setup: PrintSetup = field(default_factory=PrintSetup)
    tab_color: str | None = None
    show_gridlines: bool = False
    buttons: list[Button] = field(default_factory=list)
    hidden: bool = False
    blocks: list[DataBlock] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)

    # -- writing -------------------------------------------------------------------------------
    def set(self, row: int, column: int, value: Any = None, *, formula: str | None = None, style: str = "default") -> str:
        """Put a value or a formula in (row, column); returns its A1 address."""
        if isinstance(value, float) and value != value:  # nan → empty
            value = None
        self.cells[(row, column)] = CellSpec(value=value, formula=formula, style=style)
        return ref(row, column)

    def put(self, address: str, value: Any = None, *, formula: str | None = None, style: str = "default") -> str:
        letter, row = coordinate_from_string(address)
        return self.set(row, column_index_from_string(letter), value, formula=formula, style=style)

    def row(self, row: int, column: int, values: Iterable[Any], style: str | Sequence[str] = "default") -> None:
        """Write values left to right; a value that is a ``Formula`` goes in as a formula."""
        values = list(values)
        styles = [style] * len(values) if isinstance(style, str) else list(style)
        for offset, (value, cell_style) in enumerate(zip(values, styles)):
            if isinstance(value, Formula):
                self.set(row, column + offset, formula=value.text, style=cell_style)
            else:
                self.set(row, column + offset, value, style=cell_style)

    def title(self, text: str, subtitle: str | None = None) -> None:
        self.set(1, 1, text, style="title")
        if subtitle:
            self.set(2, 1, subtitle, style="subtitle")

    # -- reading (tests, renderers) --------------------------------------------------------------
    def at(self, address: str) -> CellSpec:
        letter, row = coordinate_from_string(address)
        return self.cells[(row, column_index_from_string(letter))]

    @property
    def max_row(self) -> int:
        return max([r for r, _ in self.cells] + [b.last_row for b in self.blocks], default=1)

    @property
    def max_column(self) -> int:
        return max([c for _, c in self.cells] + [b.last_column for b in self.blocks], default=1)

    def print_area(self) -> str | None:
        """The area to print: the set-up's, or — when charts or pictures stand beside the cells — the
        cells widened to cover them (spreadsheets fit the page to the cells only and cut what is beyond)."""
        if self.print_setup.area:
            return self.print_setup.area
        drawings = [(c.anchor, c.width_cm * 37.8, c.height_cm * 37.8) for c in self.charts]
        drawings += [(i.anchor, *i.size) for i in getattr(self, "images", ())]
        if not drawings:
            return None
        last_row, last_col = self.max_row, self.max_column
        for anchor, width_px, height_px in drawings:
            letter, row = coordinate_from_string(anchor)
            column = column_index_from_string(letter)
            while width_px > 0:  # column widths in characters: about 7 px each plus 5 px of padding
                width_px -= self.widths.get(col(column), 8.43) * 7 + 5
                column += 1
            last_col = max(last_col, column - 1)
            last_row = max(last_row, row + int(height_px / 20) + 1)
        return f"A1:{col(last_col)}{last_row}"

    def expand_blocks(self) -> None:
        """Turn the data blocks into ordinary cells (for renderers that write cell by cell)."""
        for block in self.blocks:
            for j, (values, style) in enumerate(zip(block.columns, block.styles)):
                column = block.column + j
                if isinstance(values, str):
                    for r in range(block.row, block.last_row + 1):
                        self.set(r, column, formula=values, style=style)
                    continue
                for r, value in enumerate(_python_values(values), start=block.row):
                    self.set(r, column, value, style=style)
        self.blocks = []


class Formula:
    """Marks a formula inside :meth:`SheetPlan.row` values."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text if text.startswith("=") else "=" + text

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


@dataclass
class BookPlan:
    """A whole workbook."""

    sheets: list[SheetPlan] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # defined names → "'Sheet'!$A$1"
    title: str = ""
    active: str | None = None
    #: creation time written in the file's properties (default: now); fixed for reproducible files
    created: dt.datetime | None = None

    def add(self, sheet: SheetPlan) -> SheetPlan:
        if any(s.name == sheet.name for s in self.sheets):
            raise ValueError(f"duplicate sheet {sheet.name!r}")
        self.sheets.append(sheet)
        return sheet

    def expand_blocks(self) -> "BookPlan":
        """Turn every data block into cells (see :meth:`SheetPlan.expand_blocks`); returns the plan."""
        for s in self.sheets:
            s.expand_blocks()
        return self

    def sheet(self, name: str) -> SheetPlan:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def _python_values(values) -> list:
    """Block values as Python objects: dates as ``datetime.date``, NaN/NaT as ``None``."""
    import numpy as np
    import pandas as pd

    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        stamps = pd.to_datetime(arr)
        return [None if pd.isna(v) else v.to_pydatetime() for v in stamps]
    out = []
    for v in arr.tolist():
        if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NaT:  # empty, as in the renderer
            out.append(None)
        else:
            out.append(v)
    return out


def table_bounds(reference: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of an A1 range."""
    return range_boundaries(reference.replace("$", "").split("!")[-1])


def excel_date(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
