"""Explicit conversion of what Excel hands to a UDF.

xlwings passes cells as they are: ``None`` for an empty cell, ``float``/``int``/``bool``,
``str`` (numbers typed as French text: "1 234,50", "12 %", "15,5 €"), ``datetime`` for
dates, and - because every argument is declared with ``ndim=2`` - ranges as lists of rows.
A numpy array (what xlwings' ``np.array`` converter hands, or a caller in Python) is accepted too:
numbers go straight through, anything else is read as the same lists.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re

import numpy as np

from ..core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "parse_number",
    "is_missing",
    "number",
    "optional_number",
    "matrix",
    "series",
    "text",
    "optional_text",
    "boolean",
    "excel_serial",
]

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

#: A cell showing an error reaches the UDF as its text (xlwings ``err_to_str``): the UDF shows
#: the same error, as Excel's own functions do (never a number computed from an error cell).
_CELL_ERRORS = {"#DIV/0!": DivisionByZeroError, "#N/A": NotAvailableError, "#NUM!": DomainError}
_OTHER_CELL_ERRORS = frozenset(
    "#VALUE! #NAME? #NULL! #REF! #SPILL! #CALC! #GETTING_DATA #FIELD! #BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)


def _raise_if_cell_error(value: str, name: str) -> None:
    key = value.strip().upper()
    if key in _CELL_ERRORS:
        raise _CELL_ERRORS[key]("la cellule contient une erreur", name)
    if key in _OTHER_CELL_ERRORS:
        raise BadValueError("la cellule contient une erreur", name)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def excel_serial(value: dt.date | dt.datetime) -> float:
    """Excel serial number of a date (1900 date system, as Excel for Windows)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def parse_number(text: str) -> float | None:
    """Read a number typed the French way; ``None`` if the text is not a number.

    >>> parse_number("1 234,50"), parse_number("12 %"), parse_number("15,5 €"), parse_number("-3.5e2")
    (1234.5, 0.12, 15.5, -350.0)
    """
    s = _SPACES.sub("", text.strip())
    percent = s.endswith("%")
    s = s.rstrip("%").removesuffix("€").removeprefix("€")
    if not s or not _NUMBER.match(s):
        return None
    if "," in s and "." in s:
        return None
    value = float(s.replace(",", "."))
    return value / 100 if percent else value


def _plain(value):
    """A numpy array as the nested lists xlwings hands (other values unchanged)."""
    return value.tolist() if isinstance(value, np.ndarray) else value


def is_missing(value) -> bool:
    """True for an empty cell: ``None``, ``""``, ``[[None]]``."""
    value = _plain(value)
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value is None or (isinstance(value, str) and value.strip() == "")


def _scalar(value):
    value = _plain(value)
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def _cell_number(value, name: str, empty: float | None):
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if empty is None:
            raise BadValueError("cellule vide", name)
        return empty
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            raise BadValueError("nombre invalide", name)
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return excel_serial(value)
    if isinstance(value, str):
        _raise_if_cell_error(value, name)
        parsed = parse_number(value)
        if parsed is None:
            raise BadValueError(f"« {value[:20]} » n'est pas un nombre", name)
        return parsed
    raise BadValueError("un nombre est attendu", name)


_NUMBER_TYPES = (float, int, bool, type(None))


def _fast_matrix(value, empty: float | None) -> np.ndarray | None:
    """numpy's own conversion for ranges of numbers and empty cells (1 000 000 cells in ~0.1 s);
    None when a cell needs the careful path (text, dates, errors, ragged rows)."""
    if not value or not all(isinstance(row, (list, tuple)) for row in (value[0], value[-1])):
        return None
    try:  # one flat list: numpy converts it twice as fast as nested rows
        widths = set(map(len, value))
        if len(widths) != 1 or 0 in widths:
            return None  # ragged or empty rows
        cells = np.array(list(itertools.chain.from_iterable(value))).reshape(len(value), widths.pop())
    except (TypeError, ValueError):  # a row that is not a list
        return None
    if cells.dtype.kind in "fiub":
        arr = cells.astype(float)
        return arr if np.isfinite(arr).all() else None
    if cells.dtype.kind != "O":
        return None  # text
    kinds = np.frompyfunc(type, 1, 1)(cells)
    if not np.isin(kinds, _NUMBER_TYPES).all():
        return None  # text, dates… : cell by cell
    empty_cells = kinds == type(None)
    if empty_cells.any() and empty is None:
        return None
    arr = np.where(empty_cells, 0.0 if empty is None else empty, cells).astype(float)
    return arr if np.isfinite(arr).all() else None


def matrix(value, name: str, *, empty: float | None = 0.0) -> np.ndarray:
    """A 2-D float array from a cell or a range (an empty cell counts as ``empty``, like Excel's arithmetic)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fiub" and 0 < value.size and value.ndim <= 2:
            arr = np.asarray(value, dtype=float).reshape((1, -1) if value.ndim < 2 else value.shape)
            if np.isfinite(arr).all():
                return arr
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        value = [[value]]
    elif value and not isinstance(value[0], (list, tuple)):
        value = [list(value)]
    fast = _fast_matrix(value, empty)
    if fast is not None:
        return fast
    rows = [[_cell_number(c, name, empty) for c in row] for row in value]
    if not rows or not rows[0] or len({len(r) for r in rows}) != 1:
        raise BadValueError("plage vide ou irrégulière", name)
    return np.asarray(rows, dtype=float)


def number(value, name: str, *, empty: float | None = 0.0):
    """A required argument: a number (empty cell = ``empty``) or, for a range, a 2-D array."""
    if isinstance(value, np.ndarray) and value.size > 1:
        return matrix(value, name, empty=empty)
    value_s = _scalar(value)
    if isinstance(value_s, (list, tuple)):
        return matrix(value, name, empty=empty)
    return _cell_number(value_s, name, empty)


def optional_number(value, name: str, default):
    """An optional argument: empty cell -> ``default``; else like :func:`number`."""
    if is_missing(value):
        return default
    return number(value, name)


def series(value, name: str, *, optional: bool = False):
    """A data range as a 1-D array, read row by row; trailing empty cells are dropped.

    Empty cells inside the data are bad input (``#VALUE!``).
    """
    if optional and is_missing(value):
        return None
    value = _plain(value)
    if not isinstance(value, (list, tuple)):
        value = [[value]]
    elif value and not isinstance(value[0], (list, tuple)):
        value = [list(value)]
    flat = [c for row in value for c in row]
    while flat and (flat[-1] is None or (isinstance(flat[-1], str) and not flat[-1].strip())):
        flat.pop()
    return np.asarray([_cell_number(c, name, None) for c in flat], dtype=float)


def text(value, name: str) -> str:
    value = _scalar(value)
    if value is None:
        raise BadValueError("cellule vide", name)
    if isinstance(value, str):
        _raise_if_cell_error(value, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def optional_text(value, name: str, default: str | None) -> str | None:
    if is_missing(value):
        return default
    return text(value, name)


def boolean(value, name: str, default: bool) -> bool:
    value = _scalar(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        _raise_if_cell_error(value, name)
        key = value.strip().lower()
        if key in {"vrai", "true", "oui", "yes", "1"}:
            return True
        if key in {"faux", "false", "non", "no", "0"}:
            return False
    raise BadValueError("VRAI ou FAUX attendu", name)
