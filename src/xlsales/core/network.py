"""Partner network and GDPR: segments, growth, share of potential, retention dates and alerts.

Pure computations behind the « Réseau de partenaires » workbook (:mod:`xlsales.macros.network`):
the workbook computes the same figures with live formulas and the tests compare them with these
functions. Dates follow Excel: ``EDATE`` clamps to the end of the month (31 Jan + 1 month = 28/29
Feb).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .training import edate

__all__ = [
    "LEGAL_BASES",
    "NO_CONSENT",
    "PURGE",
    "growth_rate",
    "potential_share",
    "retention_end",
    "retention_start",
    "retention_status",
    "segment",
]

#: legal bases of a processing (RGPD art. 6), as written in the workbook's list
LEGAL_BASES = ("consentement", "contrat", "intérêt légitime", "obligation légale")
#: alert when the retention period is over
PURGE = "à purger"
#: alert when a processing based on consent has no consent date
NO_CONSENT = "consentement manquant"


def _float(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))), errors="coerce").to_numpy(float)


def segment(scores, threshold_a, threshold_b):
    """Segment A / B / C of partners by their qualification score.

    Parameters
    ----------
    scores : array_like of float
        Qualification scores (missing: NaN or None).
    threshold_a, threshold_b : float or array_like of float
        Lowest score of segment A and of segment B (one pair, or one per partner when the
        thresholds depend on the partner's type).

    Returns
    -------
    ndarray of str
        "A" when score ≥ threshold A, "B" when score ≥ threshold B, "C" otherwise, "" when the
        score is missing (grid not fully rated).

    Notes
    -----
    Excel: ``=IF(score="","",IF(score>=SeuilA,"A",IF(score>=SeuilB,"B","C")))``.

    Examples
    --------
    >>> segment([4.5, 3.2, 2.0, None], 4, 3).tolist()
    ['A', 'B', 'C', '']
    >>> segment([3.5, 3.5], [3, 4], [2, 3]).tolist()
    ['A', 'B']
    """
    s = _float(scores)
    a = np.broadcast_to(_float(threshold_a), s.shape) if np.ndim(threshold_a) else float(threshold_a)
    b = np.broadcast_to(_float(threshold_b), s.shape) if np.ndim(threshold_b) else float(threshold_b)
    out = np.where(s >= a, "A", np.where(s >= b, "B", "C")).astype(object)
    out[np.isnan(s)] = ""
    return out


def growth_rate(current, previous):
    """Growth of revenue over the previous period: (current − previous) / previous.

    Parameters
    ----------
    current, previous : array_like of float
        Revenue of the period and of the previous one (missing counts as 0).

    Returns
    -------
    ndarray of float
        NaN where the previous revenue is 0 or missing (no base to compare with).

    Notes
    -----
    .. math:: g = \\frac{CA_N - CA_{N-1}}{CA_{N-1}}

    Excel: ``=IF(previous=0,"",(current-previous)/previous)``.

    Examples
    --------
    >>> growth_rate([110, 50, 30], [100, 0, None]).round(4).tolist()
    [0.1, nan, nan]
    """
    c = np.nan_to_num(_float(current))
    p = np.nan_to_num(_float(previous))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p == 0, np.nan, (c - p) / np.where(p == 0, 1.0, p))


def potential_share(revenue, potential):
    """Share of the potential already achieved (taux de pénétration du potentiel).

    Parameters
    ----------
    revenue, potential : array_like of float
        Revenue made with the partner and its potential (missing counts as 0).

    Returns
    -------
    ndarray of float
        revenue / potential; NaN where the potential is 0 or missing.

    Notes
    -----
    Excel: ``=IF(potential=0,"",revenue/potential)``.

    Examples
    --------
    >>> potential_share([50, 10], [200, 0]).tolist()
    [0.25, nan]
    """
    r = np.nan_to_num(_float(revenue))
    p = np.nan_to_num(_float(potential))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p == 0, np.nan, r / np.where(p == 0, 1.0, p))


def _dates(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))), errors="coerce").to_numpy("datetime64[D]")


def retention_start(last_contact, consent):
    """Start of the retention period: the later of the last contact and the consent date.

    Parameters
    ----------
    last_contact, consent : array_like of dates
        Date of the last contact with the person and date of the consent (missing: NaT/None).

    Returns
    -------
    ndarray of datetime64[D]
        The most recent of the two dates known; NaT when both are missing.

    Notes
    -----
    CNIL guidance for prospects: data may be kept 3 years from the collection or from the last
    contact coming from the person. Excel: ``=IF(AND(lc="",cs=""),"",MAX(lc,cs))``.

    Examples
    --------
    >>> retention_start(["2024-05-02", None, None], ["2023-01-10", "2022-03-01", None]).astype(str).tolist()
    ['2024-05-02', '2022-03-01', 'NaT']
    """
    lc, cs = _dates(last_contact), _dates(consent)
    lc, cs = np.broadcast_arrays(lc, cs)
    out = np.where(np.isnat(lc), cs, np.where(np.isnat(cs), lc, np.maximum(lc, cs)))
    return out.astype("datetime64[D]")


def retention_end(last_contact, consent, months):
    """End of the retention period: ``EDATE(start, months)`` with start = :func:`retention_start`.

    Parameters
    ----------
    last_contact, consent : array_like of dates
        Date of the last contact and of the consent (missing: NaT/None).
    months : int or array_like of int
        Retention period of the processing, in months.

    Returns
    -------
    ndarray of datetime64[D]
        NaT when both dates are missing.

    Notes
    -----
    Excel: ``=IF(start="","",EDATE(start,months))`` (end of month clamped).

    Examples
    --------
    >>> retention_end(["2023-01-31"], [None], 36).astype(str).tolist()
    ['2026-01-31']
    >>> retention_end(["2021-11-30"], ["2021-12-31"], 2).astype(str).tolist()
    ['2022-02-28']
    """
    start = retention_start(last_contact, consent)
    months = np.asarray(months, dtype=np.int64)
    result = edate(start, np.broadcast_to(months, start.shape))
    return np.asarray(result, dtype="datetime64[D]").reshape(start.shape)


def retention_status(end, reference, consent=None, legal_basis=None):
    """GDPR alert of each person's record.

    Parameters
    ----------
    end : array_like of dates
        End of the retention period (:func:`retention_end`).
    reference : date
        Today (or the reference date of the register).
    consent : array_like of dates, optional
        Consent dates; with ``legal_basis``, a record whose processing rests on consent and that
        has no consent date is flagged.
    legal_basis : array_like of str, optional
        Legal basis of each record's processing (:data:`LEGAL_BASES`).

    Returns
    -------
    ndarray of str
        :data:`PURGE` (« à purger ») when ``end < reference``; otherwise :data:`NO_CONSENT` when
        the basis is consent and the consent date is missing; otherwise "".

    Notes
    -----
    Excel: ``=IF(AND(end<>"",end<DateRef),"à purger",IF(AND(basis="consentement",cs=""),"consentement manquant",""))``.

    Examples
    --------
    >>> retention_status(["2025-01-01", "2027-01-01", "2027-01-01"], "2026-01-15",
    ...                  [None, None, "2024-01-01"], ["consentement"] * 3).tolist()
    ['à purger', 'consentement manquant', '']
    """
    e = _dates(end)
    ref = np.datetime64(pd.Timestamp(reference).date(), "D")
    out = np.full(e.shape, "", dtype=object)
    if consent is not None and legal_basis is not None:
        cs = np.broadcast_to(_dates(consent), e.shape)
        basis = np.broadcast_to(np.asarray([str(b).strip().lower() if b is not None else "" for b in np.atleast_1d(np.asarray(legal_basis, dtype=object))], dtype=object), e.shape)
        out[(basis == "consentement") & np.isnat(cs)] = NO_CONSENT
    out[~np.isnat(e) & (e < ref)] = PURGE
    return out
