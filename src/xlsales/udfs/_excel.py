"""The Excel side of a UDF: declaration (xlwings decorators and French help), element-wise
calls over ranges, and conversion of results and errors to what a cell can show.

Only the options that classic xlwings (Windows, COM) and xlwings Lite / Server (Office.js)
both accept are used: ``func()`` with no option, ``arg(name, ndim=2, err_to_str=True, doc=...)``.
Every argument arrives as a list of rows (``ndim=2``), so a column in gives a column out; a cell
showing an error arrives as its text ("#N/A"), so that the UDF shows that error rather than
reading the cell as empty.
"""

from __future__ import annotations

import functools
import gc
import inspect
import math
from contextlib import contextmanager

import numpy as np
import xlwings as xw

from ..core.errors import NotAvailableError, SalesMathError

__all__ = ["excel_function", "elementwise", "to_excel", "UDF_REGISTRY"]

#: Every UDF declared with :func:`excel_function`, by Excel name (filled at import time).
UDF_REGISTRY: dict[str, "object"] = {}


def excel_function(description: str, **arg_docs: str):
    """Declare an Excel function.

    Parameters
    ----------
    description : str
        One line in French, then " — " and the English line (shown by the function wizard).
    **arg_docs : str
        One description per argument of the decorated function (all are required).

    The decorated body may raise :class:`~xlsales.core.errors.SalesMathError` (shown as its Excel
    error value) or any exception (shown as ``#VALUE!``): the cell never gets a traceback.
    """

    def decorate(body):
        names = list(inspect.signature(body).parameters)
        missing = [n for n in names if n not in arg_docs]
        extra = [n for n in arg_docs if n not in names]
        if missing or extra:
            raise TypeError(f"{body.__name__}: docs missing for {missing}, unknown {extra}")

        @functools.wraps(body)
        def udf(*args, **kwargs):
            try:
                with np.errstate(all="ignore"):  # an overflow becomes #NUM! in the cell, not a warning
                    return to_excel(body(*args, **kwargs))
            except SalesMathError as error:
                return error.excel
            except (ValueError, TypeError, ArithmeticError, IndexError, KeyError, OverflowError):
                return "#VALUE!"
            except Exception:  # never a traceback into a cell
                return "#VALUE!"

        udf.__doc__ = description
        udf.__xlsales_body__ = body
        udf.__xlsales_arg_docs__ = {name: arg_docs[name] for name in names}
        # xlwings reads the docstring when the first decorator runs: set it before.
        for name in reversed(names):
            udf = xw.arg(name, ndim=2, err_to_str=True, doc=arg_docs[name])(udf)
        udf = xw.func(udf)
        _vba_safe_arg_names(udf)
        UDF_REGISTRY[body.__name__] = udf
        return udf

    return decorate


#: VBA keywords (and names the wrapper calls) that cannot name a parameter of the VBA function
#: that classic xlwings writes for each UDF.
VBA_RESERVED = frozenset(
    """and as attribute boolean byref byte byval call case cbool cbyte ccur cdate cdbl cdec cint clng
    clnglng clngptr const csng cstr currency cvar cverr date decimal declare defbool defbyte defcur
    defdate defdbl defdec defint deflng deflnglng deflngptr defobj defsng defstr defvar dim do double
    each else elseif empty end endif enum eqv erase error event exit false for friend function get
    global gosub goto if imp implements in integer is let like long longlong longptr loop lset me mod
    new next not nothing null object on option optional or paramarray preserve private property public
    raiseevent redim rem resume return rset select set single static step stop string sub then to
    true type typeof until variant wend while with withevents xor""".split()
    # names the generated wrapper itself uses: a parameter must not hide them
    + ["array", "application", "err", "range", "thisworkbook", "activeworkbook", "xlpy"]
)


def _vba_safe_arg_names(udf) -> None:
    """Classic xlwings only: rename a parameter called like a VBA keyword (``new`` → ``new_``).

    Classic xlwings declares ``Function NAME(arg, ...)`` in VBA from the Python names; a keyword
    there breaks the whole imported module. Arguments are passed by position, so only the VBA
    text changes. The Office.js metadata has no ``sub`` key and is left alone.
    """
    info = getattr(udf, "__xlfunc__", None)
    if not isinstance(info, dict) or "sub" not in info:
        return
    for arg in info.get("args", ()):
        if arg.get("name", "").lower() in VBA_RESERVED:
            arg["name"] = arg["name"] + "_"


def elementwise(core_function, **arguments):
    """Call a broadcasting core function on converted arguments (numbers or 2-D arrays).

    Scalars give a scalar. With ranges, the result has the broadcast shape; a position the core
    marked invalid (``nan``) gets the Excel error the scalar call raises for that position.
    """
    values = {k: (np.asarray(v, dtype=float) if not np.isscalar(v) else v) for k, v in arguments.items()}
    if all(np.ndim(v) == 0 for v in values.values()):
        return core_function(**values)
    try:
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
    except ValueError:
        raise NotAvailableError("plages de tailles différentes") from None
    result = np.asarray(core_function(**values), dtype=float)
    bad = np.argwhere(~np.isfinite(result))
    if bad.size == 0:
        return result
    errors = {}
    broadcast = {k: np.broadcast_to(v, shape) for k, v in values.items()}
    for index in map(tuple, bad):
        try:
            core_function(**{k: float(v[index]) for k, v in broadcast.items()})
            errors[index] = "#NUM!"
        except SalesMathError as error:
            errors[index] = error.excel
    return CellGrid(result, errors)


class CellGrid:
    """Numbers with an Excel error at a few positions: ``values`` (float array, NaN where an error
    is) and ``errors`` (index → "#DIV/0!"…). Converted to cells without a Python object per number;
    ``numpy.asarray`` gives the object array (numbers and error texts)."""

    __slots__ = ("values", "errors")

    def __init__(self, values: np.ndarray, errors: dict):
        self.values, self.errors = values, errors

    def __array__(self, dtype=None, copy=None):
        out = self.values.astype(object)
        for index, error in self.errors.items():
            out[index] = error
        return out if dtype is None else out.astype(dtype)

    @property
    def shape(self):
        return self.values.shape


@contextmanager
def _gc_paused():
    """Building a million one-cell lists makes the cyclic garbage collector run again and again
    (five times slower); these lists hold no cycle, so it is paused meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else "#NUM!"
    return value


def _float_grid(values: np.ndarray, errors: dict | None = None) -> list:
    """A 2-D float array as nested lists, non-finite values as "#NUM!" or their error (fast path,
    no per-cell Python)."""
    with _gc_paused():
        rows = values.tolist()
    for r, c in np.argwhere(~np.isfinite(values)):
        rows[r][c] = (errors or {}).get((r, c), "#NUM!")
    return rows


def to_excel(result):
    """Convert a core result to cell values: a scalar, or a 2-D list (1-D results become a column)."""
    if isinstance(result, CellGrid):
        values, errors = result.values, result.errors
        if values.ndim == 1:
            values, errors = values.reshape(-1, 1), {(i[0], 0): e for i, e in errors.items()}
        if values.ndim == 2 and values.size > 1:
            return _float_grid(values, errors)
        result = np.asarray(result)
    if isinstance(result, (list, tuple)):
        result = np.asarray(result, dtype=object)
    if isinstance(result, np.ndarray):
        if result.ndim == 0:
            return _cell(result.item())
        if result.ndim == 1:
            result = result.reshape(-1, 1)
        if result.size == 1:
            return _cell(result.item())
        if result.ndim == 2 and result.dtype.kind == "f":
            return _float_grid(result)
        if result.ndim == 2 and result.dtype == object:
            # mostly numbers with a few error strings (elementwise): convert the numbers in bulk
            is_text = np.frompyfunc(lambda v: isinstance(v, str), 1, 1)(result).astype(bool)
            if is_text.any() and is_text.mean() < 0.5:
                numbers = np.where(is_text, np.nan, result)
                try:
                    rows = numbers.astype(float).tolist()
                except (TypeError, ValueError):
                    rows = None
                if rows is not None:
                    for r, c in np.argwhere(is_text):
                        rows[r][c] = result[r, c]
                    for r, c in np.argwhere(~is_text & ~np.isfinite(numbers.astype(float))):
                        rows[r][c] = "#NUM!"
                    return rows
        return [[_cell(v) for v in row] for row in result.tolist()]
    return _cell(result)
