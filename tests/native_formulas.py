"""Generated workbooks carry native formulas only: what Excel 2010 and LibreOffice 7.4 compute.

One list for every test: the functions that came after Excel 2010 (dynamic arrays, LET/LAMBDA,
XLOOKUP, IFS…) and none of our own UDFs (a student without the add-in would see #NAME?). Excel's
``_xlfn.`` prefix is not banned as such: Excel 2010's own AGGREGATE carries it in the file."""

from __future__ import annotations

import re
from collections.abc import Iterable

import openpyxl

#: functions a generated workbook must not call (after Excel 2010, or not in LibreOffice 7.4)
MODERN_FUNCTIONS = ("XLOOKUP", "XMATCH", "LET", "FILTER", "LAMBDA", "SEQUENCE", "MAXIFS", "MINIFS", "IFS", "SORT",
                    "SORTBY", "UNIQUE", "CONCAT", "TEXTJOIN", "SWITCH")


def banned(*extra: str) -> re.Pattern:
    """The pattern of a call to a modern function, one of our UDFs or an ``extra`` function."""
    from xlsales.udfs import UDF_REGISTRY

    names = sorted(set(MODERN_FUNCTIONS) | set(UDF_REGISTRY) | set(extra), key=len, reverse=True)
    return re.compile(r"(?<![A-Z0-9._])(" + "|".join(map(re.escape, names)) + r")[.(]")


def formula_texts(formula: str) -> str:
    """The formula with its string literals emptied (a label may say « Tournée (jours) »)."""
    return re.sub(r'"(?:[^"]|"")*"', '""', formula)


def non_native_cells(book: openpyxl.Workbook | Iterable, *extra: str) -> list[tuple[str, str, str]]:
    """(sheet, cell, formula) of every formula of ``book`` that calls a banned function."""
    pattern = banned(*extra)
    found = []
    for ws in book.worksheets if isinstance(book, openpyxl.Workbook) else book:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith("=") and pattern.search(formula_texts(value).upper()):
                    found.append((ws.title, cell.coordinate, value))
    return found
