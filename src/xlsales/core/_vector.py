"""Helpers shared by the core modules: argument conversion and element-wise error guards.

Conventions (numpy-financial style)
-----------------------------------
* Every scalar function broadcasts: scalars in -> Python ``float`` out; arrays in -> ``ndarray``
  of the broadcast shape out.
* Element-wise domain problems (zero denominator, rate >= 1 …) are declared with :func:`guard`:
  a scalar call raises the matching :mod:`xlsales.core.errors` exception; an array call puts
  ``nan`` at the faulty positions and leaves the others computed (one bad row never hides
  10 000 good ones). The UDF layer re-asks the scalar call at those positions to learn which
  Excel error to show.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .errors import BadValueError, NotAvailableError, SalesMathError

__all__ = ["excel_round", "as_float", "as_series", "guard", "is_scalar_result", "same_length"]


def as_float(value, name: str) -> np.ndarray:
    """Convert ``value`` (number, sequence or array) to a float ndarray, naming ``name`` on failure."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    if isinstance(value, (bool, np.bool_)):
        return np.asarray(float(value))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise BadValueError("un nombre est attendu", name) from None
    return arr


def as_series(values, name: str, *, min_length: int = 1) -> np.ndarray:
    """A 1-D float array from a list, column or row; ``NotAvailableError`` if too short."""
    arr = as_float(values, name).ravel()
    if not np.all(np.isfinite(arr)):
        raise BadValueError("la plage contient une valeur non numérique", name)
    if arr.size < min_length:
        raise NotAvailableError(f"au moins {min_length} valeur(s) nécessaire(s)", name)
    return arr


def same_length(**arrays: np.ndarray) -> int:
    """Check that the named 1-D arrays have one length; return it or raise ``#N/A``."""
    lengths = {name: np.size(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{n} = {k}" for n, k in lengths.items())
        raise NotAvailableError(f"plages de tailles différentes ({detail})")
    return next(iter(lengths.values()))


def is_scalar_result(result) -> bool:
    return np.ndim(result) == 0


def guard(result, checks: Iterable[tuple[np.ndarray, type[SalesMathError], str, str | None]] = ()):
    """Finish an element-wise computation.

    Parameters
    ----------
    result : array_like
        The computed values (already broadcast).
    checks : iterable of (mask, error_class, message, argument)
        ``mask`` marks the invalid positions; the first check that hits wins.

    Returns
    -------
    float or ndarray
        A Python float for a 0-d result, else an ndarray with ``nan`` at invalid positions.

    Raises
    ------
    SalesMathError
        For a 0-d result hit by a check.
    """
    result = np.asarray(result, dtype=float)
    if result.ndim == 0:
        for mask, error, message, argument in checks:
            if bool(np.any(mask)):
                raise error(message, argument)
        return float(result)
    result = result.copy()
    for mask, _error, _message, _argument in checks:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), result.shape)
        result[mask] = np.nan
    return result


def excel_round(values, digits: int = 2):
    """Round half away from zero, as Excel's ROUND does (numpy rounds half to even).

    Float noise is removed first (Excel works on 15 significant digits), so that
    ``excel_round(1.005)`` is 1.01 as in Excel, not 1.0.

    >>> excel_round(11.725), excel_round(-2.5, 0), float(excel_round(1.005))
    (11.73, -3.0, 1.01)
    """
    x = np.asarray(values, dtype=float)
    scale = 10.0 ** digits
    scaled = np.round(np.abs(x) * scale, 6)
    result = np.sign(x) * np.floor(scaled + 0.5) / scale
    return float(result) if result.ndim == 0 else result
