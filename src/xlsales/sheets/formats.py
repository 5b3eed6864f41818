"""The one table of number formats and cell styles of generated workbooks (French conventions).

Number formats are written in the file's invariant syntax (``.`` decimal, ``,`` thousands): Excel and
LibreOffice display them with the user's locale (``1 234,50 €`` in France).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NUMBER_FORMATS", "STYLES", "CellStyle", "COLORS"]

NUMBER_FORMATS = {
    "eur": '#,##0.00 "€";[Red]-#,##0.00 "€"',
    "eur0": '#,##0 "€";[Red]-#,##0 "€"',
    "pct": "0.0 %",
    "pct2": "0.00 %",
    "int": "#,##0",
    "dec": "#,##0.00",
    "dec4": "0.0000",
    "date": "dd/mm/yyyy",
    "month": "mmm yyyy",
    "daymonth": "dd/mm",
    "hidden": ";;;",  # value kept for formulas, not displayed (Gantt cells coloured by conditional formats)
    "text": "@",
    "general": "General",
}

COLORS = {
    "brand": "1F4E78",
    "header_fill": "1F4E78",
    "header_font": "FFFFFF",
    "input_fill": "FFF2CC",
    "total_fill": "DDEBF7",
    "good": "C6EFCE",
    "good_font": "006100",
    "bad": "FFC7CE",
    "bad_font": "9C0006",
    "neutral": "FFEB9C",
    "note_font": "595959",
}


@dataclass(frozen=True)
class CellStyle:
    number_format: str = "General"
    bold: bool = False
    italic: bool = False
    size: float | None = None
    font_color: str | None = None
    fill: str | None = None
    align: str | None = None  # "left" | "center" | "right"
    wrap: bool = False
    border: bool = False
    locked: bool = True


def _style(fmt: str = "general", **kwargs) -> CellStyle:
    return CellStyle(number_format=NUMBER_FORMATS[fmt], **kwargs)


STYLES: dict[str, CellStyle] = {
    "default": _style(),
    "title": _style(bold=True, size=16, font_color=COLORS["brand"]),
    "subtitle": _style(italic=True, font_color=COLORS["note_font"]),
    "note": _style(italic=True, size=9, font_color=COLORS["note_font"], wrap=False),
    "header": _style(bold=True, font_color=COLORS["header_font"], fill=COLORS["header_fill"], align="center", wrap=True, border=True),
    "label": _style(bold=True),
    "text": _style(border=True),
    "eur": _style("eur", border=True),
    "eur0": _style("eur0", border=True),
    "pct": _style("pct", border=True),
    "pct2": _style("pct2", border=True),
    "int": _style("int", border=True),
    "dec": _style("dec", border=True),
    "dec4": _style("dec4", border=True),
    "date": _style("date", border=True),
    "month": _style("month", border=True),
    "daymonth": _style("daymonth", border=True, align="center"),
    "gantt": _style("hidden", border=True, align="center"),
    "total_text": _style(bold=True, fill=COLORS["total_fill"], border=True),
    "total_eur": _style("eur", bold=True, fill=COLORS["total_fill"], border=True),
    "total_pct": _style("pct", bold=True, fill=COLORS["total_fill"], border=True),
    "total_int": _style("int", bold=True, fill=COLORS["total_fill"], border=True),
    # input cells: unlocked, pale yellow
    "input_text": _style(fill=COLORS["input_fill"], border=True, locked=False),
    "input_wrap": _style(fill=COLORS["input_fill"], border=True, wrap=True, locked=False),  # long text, wrapped
    "input_eur": _style("eur", fill=COLORS["input_fill"], border=True, locked=False),
    "input_pct": _style("pct", fill=COLORS["input_fill"], border=True, locked=False),
    "input_int": _style("int", fill=COLORS["input_fill"], border=True, locked=False),
    "input_dec": _style("dec", fill=COLORS["input_fill"], border=True, locked=False),
    "input_dec4": _style("dec4", fill=COLORS["input_fill"], border=True, locked=False),  # coordinates
    "input_date": _style("date", fill=COLORS["input_fill"], border=True, locked=False),
    # data tables (pasted data: unlocked, no fill, table style does the banding)
    "data_text": _style(locked=False),
    "data_eur": _style("eur", locked=False),
    "data_pct": _style("pct", locked=False),
    "data_int": _style("int", locked=False),
    "data_dec": _style("dec", locked=False),
    "data_date": _style("date", locked=False),
    "calc_eur": _style("eur"),
    "calc_int": _style("int"),
    "calc_text": _style(),
}
