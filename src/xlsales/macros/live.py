"""Running a generator inside an open workbook (template button, xlwings Lite script).

Reads the workbook's input sheets with the same validation as the files of the CLI, builds the
plan and rewrites only the generated sheets (:func:`xlsales.sheets.render_xlwings.render_book_live`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import io as xio
from ..sheets.plan import BookPlan
from ..sheets.render_xlwings import render_book_live

__all__ = ["read_input", "sheet_rows", "refresh_outputs", "STATUS_CELL"]

#: Where the « Accueil » sheet shows the time of the last update.
STATUS_CELL = "A14"


def sheet_rows(book, name: str) -> list[list]:
    """The used range of sheet ``name`` as a list of rows (empty cells as None)."""
    value = book.sheets[name].used_range.options(ndim=2).value
    return value or []


def read_input(book, sheet_name: str, schema: xio.Schema) -> pd.DataFrame:
    """An input sheet of the open workbook as a validated frame (errors name the sheet, row and column)."""
    if sheet_name not in [s.name for s in book.sheets]:
        raise xio.InputError(xio.Problem(book.name, f"feuille « {sheet_name} » introuvable", sheet=sheet_name))
    return xio.read_rows(sheet_rows(book, sheet_name), schema, source=book.name, sheet=sheet_name)


def refresh_outputs(book, plan: BookPlan) -> list[str]:
    """Rewrite the generated sheets of ``book`` from ``plan``; stamp the « Accueil » sheet."""
    skipped = render_book_live(plan, book)
    if "Accueil" in [s.name for s in book.sheets]:
        book.sheets["Accueil"][STATUS_CELL].value = (
            f"Mis à jour le {dt.datetime.now():%d/%m/%Y à %H:%M}"
            + (f" ({len(skipped)} mise(s) en forme non prise(s) en charge)" if skipped else "")
        )
    return skipped
