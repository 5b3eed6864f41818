"""Recrutement: staffing needs, interview-grid scoring and ranking, recruitment schedule, onboarding.

These are the computations of the recruitment workbook (:mod:`xlsales.macros.recruitment`), done with
numpy / pandas on the same inputs, so that every formula of the workbook can be checked against them.

Rules encoded
-------------
* **Effectif nécessaire** (méthode de la charge de travail, manuels de BTS) : charge (h/an) =
  clients × (1 + croissance du portefeuille) × visites par client et par an × durée d'une visite
  (trajet compris) ; heures disponibles d'un commercial = jours travaillés × heures par jour × part
  du temps passée en clientèle ; effectif nécessaire (ETP) = charge / heures disponibles ; effectif
  cible = ETP arrondi à l'entier supérieur (ou l'effectif cible saisi) ; recrutements à prévoir =
  max(0 ; cible − (effectif actuel − départs prévus)).
* **Grille d'entretien** : score = Σ poids × note / Σ poids (:func:`xlsales.core.kpi.score`), ramené
  sur un barème (/20) : score / note maximale × barème. Une note manquante pour un critère de poids
  non nul laisse l'évaluation incomplète (pas de score). Un critère éliminatoire noté sous sa note
  minimale élimine le candidat, quel que soit son score.
* **Classement** des candidats évalués et non éliminés : par score ramené (arrondi à 6 décimales),
  à égalité par la note du critère de plus fort poids (le premier de la grille), puis par ordre de
  saisie. **Décision proposée** : éliminé ; à compléter ; non retenu sous le score minimal ; retenu
  dans la limite des postes à pourvoir ; sinon liste d'attente.
* **Étapes** : fin = début + durée (jours calendaires) − 1 ; une étape occupe les semaines
  (lundi–dimanche) qui recoupent [début ; fin].
* **Période d'essai** : elle se décompte de quantième à quantième, fin = EDATE(arrivée ; mois) − 1 jour
  (le dernier jour du mois quand ce quantième n'y existe pas).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._vector import excel_round
from .kpi import score
from .training import edate

__all__ = [
    "DECISION_ELIMINATED",
    "DECISION_INCOMPLETE",
    "DECISION_REJECTED",
    "DECISION_RETAINED",
    "DECISION_WAITING",
    "compare_candidates",
    "gantt_weeks",
    "headcount",
    "hours_per_rep",
    "onboarding_dates",
    "onboarding_follow_up",
    "rank_candidates",
    "rating_scale",
    "ratings_matrix",
    "skill_needs",
    "staffing_needs",
    "step_ends",
    "step_follow_up",
    "trial_end",
]

DECISION_RETAINED = "Retenu"
DECISION_WAITING = "Liste d'attente"
DECISION_REJECTED = "Non retenu"
DECISION_ELIMINATED = "Éliminé"
DECISION_INCOMPLETE = "À compléter"

SKILL_PRIORITY = "Prioritaire"
SKILL_REINFORCE = "À renforcer"
SKILL_COVERED = "Couverte"

STEP_DONE = "terminée"
STEP_LATE = "en retard"
STEP_RUNNING = "en cours"
STEP_FUTURE = "à venir"
STEP_UNPLANNED = "à planifier"

ACTION_DONE = "fait"
ACTION_LATE = "en retard"
ACTION_SOON = "cette semaine"
ACTION_FUTURE = "à venir"


def _floats(values) -> np.ndarray:
    return np.asarray(pd.to_numeric(pd.Series(list(np.ravel(values)), dtype=object), errors="coerce"),
                      dtype=float).reshape(np.shape(values))


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


# ------------------------------------------------------------------------------------------------
# staffing
# ------------------------------------------------------------------------------------------------

def hours_per_rep(days: float, hours_per_day: float, field_share: float) -> float:
    """Hours a rep can spend with customers in a year.

    Parameters
    ----------
    days : float
        Days worked a year.
    hours_per_day : float
        Hours worked a day.
    field_share : float
        Share of the time spent with customers (visits and travel), as a decimal.

    Returns
    -------
    float
        ``days × hours_per_day × field_share``.

    Notes
    -----
    .. math:: H = j \\times h \\times p

    Examples
    --------
    >>> hours_per_rep(215, 7, 0.6)
    903.0
    """
    return float(days) * float(hours_per_day) * float(field_share)


def staffing_needs(customers, growth, visits, visit_hours, hours_available: float, current, departures,
                   target=None) -> pd.DataFrame:
    """Workload method: headcount needed per group (region or team) and recruitments to plan.

    Parameters
    ----------
    customers, growth, visits, visit_hours : array_like
        Per group: customers to follow, expected growth of the portfolio (decimal), visits per
        customer and per year, hours per visit including travel. Missing values count as 0.
    hours_available : float
        Hours a rep spends with customers a year (:func:`hours_per_rep`).
    current, departures : array_like
        Current headcount and planned departures per group (missing = 0).
    target : array_like, optional
        Target headcount typed per group; NaN (or None) = the workload estimate.

    Returns
    -------
    DataFrame
        ``workload`` (h/an), ``fte`` (NaN when ``hours_available`` is 0), ``target``,
        ``after_departures``, ``to_recruit``.

    Notes
    -----
    .. math:: ETP = \\frac{C (1 + g) v d}{H}, \\quad cible = \\lceil ETP \\rceil, \\quad
              recrutements = \\max(0, cible - (actuel - départs))

    ETP is rounded to 6 decimals before the ceiling, so that float noise never adds a rep.

    Examples
    --------
    120 customers, +10 %, 6 visits of 2.5 h, 903 h a rep; 1 rep now, 0 departure:

    >>> staffing_needs([120], [0.1], [6], [2.5], 903.0, [1], [0])[["workload", "target", "to_recruit"]].iloc[0].tolist()
    [1980.0, 3.0, 2.0]
    """
    c, g, v, d = (np.nan_to_num(_floats(x)) for x in (customers, growth, visits, visit_hours))
    workload = c * (1 + g) * v * d
    h = float(hours_available)
    fte = workload / h if h else np.full_like(workload, np.nan)
    estimate = np.where(np.isnan(fte), 0.0, np.ceil(excel_round(np.nan_to_num(fte), 6)))
    typed = _floats(target) if target is not None else np.full_like(workload, np.nan)
    tgt = np.where(np.isnan(typed), estimate, typed)
    after = np.nan_to_num(_floats(current)) - np.nan_to_num(_floats(departures))
    return pd.DataFrame({"workload": workload, "fte": fte, "target": tgt, "after_departures": after,
                         "to_recruit": np.maximum(0.0, tgt - after)})


def headcount(groups, hire_dates, end_dates, as_of, names: Sequence[str] | None = None) -> pd.Series:
    """Reps present on ``as_of`` per group: hired on or before it (or hire date unknown), and not
    gone (no leaving date, or a leaving date after it).

    Parameters
    ----------
    groups : array_like of str
        Group (region or team) of each rep; None/NaN = no group (counted under "").
    hire_dates, end_dates : array_like of dates
        Missing values allowed.
    as_of : date
    names : sequence of str, optional
        Groups to report (default: those found, in order of appearance).

    Returns
    -------
    Series
        Headcount per group name.

    Examples
    --------
    >>> headcount(["Nord", "Nord", "Sud"], ["2020-01-01", "2026-06-01", None], [None, None, "2026-01-31"],
    ...           dt.date(2026, 3, 1)).tolist()
    [1, 0]
    """
    labels = ["" if g is None or (not isinstance(g, str) and pd.isna(g)) else str(g) for g in groups]
    ref = pd.Timestamp(as_of)
    hired = pd.to_datetime(pd.Series(list(hire_dates), dtype=object), errors="coerce")
    gone = pd.to_datetime(pd.Series(list(end_dates), dtype=object), errors="coerce")
    present = (hired.isna() | (hired <= ref)) & (gone.isna() | (gone > ref))
    names = list(names) if names is not None else list(dict.fromkeys(labels))
    counts = pd.Series(present.to_numpy(dtype=int), index=labels).groupby(level=0).sum()
    return pd.Series([int(counts.get(n, 0)) for n in names], index=names)


def skill_needs(required, team_level) -> pd.DataFrame:
    """Skills to look for: gap between the level the job requires and the team's mean level.

    Parameters
    ----------
    required, team_level : array_like
        Levels 0–4 per skill; missing values give no gap.

    Returns
    -------
    DataFrame
        ``gap`` = max(0, required − team level) (NaN when one is missing) and ``priority``:
        "Prioritaire" (gap ≥ 1), "À renforcer" (0 < gap < 1), "Couverte" (0), "" (missing).

    Examples
    --------
    >>> skill_needs([4, 3, 2, 3], [2.5, 2.4, 3, None]).to_dict("list")
    {'gap': [1.5, 0.6..., 0.0, nan], 'priority': ['Prioritaire', 'À renforcer', 'Couverte', '']}
    """
    r, t = _floats(required), _floats(team_level)
    gap = np.maximum(0.0, r - t)
    gap[np.isnan(r) | np.isnan(t)] = np.nan
    priority = np.where(np.isnan(gap), "", np.where(gap >= 1, SKILL_PRIORITY,
                                                    np.where(gap > 0, SKILL_REINFORCE, SKILL_COVERED)))
    return pd.DataFrame({"gap": gap, "priority": priority.astype(object)})


# ------------------------------------------------------------------------------------------------
# candidates
# ------------------------------------------------------------------------------------------------

def rating_scale(ratings) -> tuple[float, float]:
    """The rating scale of an interview grid: (1, 5) unless the ratings say otherwise.

    The low end is 0 when a rating is below 1; the high end is the first of 5, 10, 20 at least as
    large as the largest rating.

    Examples
    --------
    >>> rating_scale([1, 4, 5]), rating_scale([0, 7.5]), rating_scale([12, 18])
    ((1.0, 5.0), (0.0, 10.0), (1.0, 20.0))
    """
    r = _floats(ratings)
    r = r[~np.isnan(r)]
    low = 0.0 if r.size and r.min() < 1 else 1.0
    top = r.max() if r.size else 5.0
    high = next((float(s) for s in (5, 10, 20) if top <= s), float(math.ceil(top)))
    return low, high


def ratings_matrix(candidates: pd.DataFrame, criteria: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Long-form ratings (candidate, criterion, rating) → candidates and an (n, k) matrix.

    Several ratings of the same candidate on the same criterion (several interviewers) are
    averaged; a criterion not rated is NaN. Candidates keep their order of appearance.

    Examples
    --------
    >>> frame = pd.DataFrame({"candidate": ["A", "A", "B", "A"], "criterion": ["x", "y", "x", "x"],
    ...                       "rating": [4, 3, 5, 2]})
    >>> ratings_matrix(frame, ["x", "y"])
    (['A', 'B'], array([[ 3.,  3.], [ 5., nan]]))
    """
    names = list(dict.fromkeys(str(c) for c in candidates["candidate"]))
    out = np.full((len(names), len(criteria)), np.nan)
    if len(candidates):
        frame = pd.DataFrame({"candidate": candidates["candidate"].astype(str),
                              "criterion": candidates["criterion"].astype(str),
                              "rating": _floats(candidates["rating"].to_numpy(dtype=object))})
        means = frame.dropna(subset=["rating"]).groupby(["candidate", "criterion"], sort=False)["rating"].mean()
        row = {n: i for i, n in enumerate(names)}
        column = {c: j for j, c in enumerate(criteria)}
        for (cand, crit), value in means.items():
            if crit in column:
                out[row[cand], column[crit]] = value
    return names, out


def rank_candidates(keys, tie_break) -> np.ndarray:
    """Rank of each candidate that has a key (NaN: not ranked), best first.

    ``rank = 1 + #{key > mine} + #{key = mine and tie_break > mine} + #{earlier, key = mine and
    tie_break = mine}`` — what ``RANK`` plus two ``COUNTIFS`` compute in the workbook.

    Examples
    --------
    >>> rank_candidates([15.2, np.nan, 16.0, 15.2, 15.2], [4, 5, 3, 5, 4]).tolist()
    [3.0, nan, 1.0, 2.0, 4.0]
    """
    k, t = _floats(keys), np.nan_to_num(_floats(tie_break), nan=-np.inf)
    ranks = np.full(k.shape, np.nan)
    for i in np.flatnonzero(~np.isnan(k)):
        other = ~np.isnan(k)
        same = other & (k == k[i])
        ranks[i] = (1 + np.sum(other & (k > k[i])) + np.sum(same & (t > t[i]))
                    + np.sum(same[:i] & (t[:i] == t[i])))
    return ranks


def compare_candidates(ratings, weights, eliminatory=None, min_rating=None, criteria: Sequence[str] | None = None, *,
                       max_rating: float = 5, scale: float = 20, threshold: float = 12,
                       positions: int = 1) -> pd.DataFrame:
    """Weighted interview scores, eliminations, ranking and the decision suggested for each candidate.

    Parameters
    ----------
    ratings : array_like, shape (n, k)
        One row per candidate, one column per criterion; NaN = not rated.
    weights : array_like, shape (k,)
        Weights of the criteria (≥ 0); a criterion of weight 0 does not count.
    eliminatory : array_like of bool, shape (k,), optional
        Eliminatory criteria (default: none).
    min_rating : array_like, shape (k,), optional
        Minimum rating of each eliminatory criterion; NaN = no minimum.
    criteria : sequence of str, optional
        Names of the criteria, for the elimination reasons.
    max_rating, scale : float
        The score is also given out of ``scale``: ``score / max_rating × scale``.
    threshold : float
        Minimum score (out of ``scale``) to be retained.
    positions : int
        Number of positions to fill.

    Returns
    -------
    DataFrame
        One row per candidate: ``rated`` (ratings given), ``complete``, ``score``,
        ``score_scaled`` (NaN when incomplete), ``failed`` (eliminatory criteria below their
        minimum), ``reasons`` ("; "-joined names), ``eliminated``, ``top_rating`` (rating on the
        heaviest criterion), ``key`` (rounded scaled score of the ranked candidates), ``rank``
        and ``decision``.

    Notes
    -----
    .. math:: S = \\frac{\\sum_i w_i r_i}{\\sum_i w_i}, \\qquad S_{20} = \\frac{S}{r_{max}} \\times 20

    Examples
    --------
    >>> table = compare_candidates([[4, 5, 3], [5, 5, 2], [3, 3, 4]], [3, 2, 1], [False, False, True],
    ...                            [np.nan, np.nan, 3], ["Tech", "Com", "Mobilité"], threshold=12)
    >>> table[["score_scaled", "eliminated", "rank", "decision"]].values.tolist()
    [[16.66..., False, 1.0, 'Retenu'], [18.0, True, nan, 'Éliminé'], [12.66..., False, 2.0, "Liste d'attente"]]
    """
    r = np.atleast_2d(_floats(ratings)) if np.size(ratings) else np.zeros((0, len(weights)))
    w = np.nan_to_num(_floats(weights))
    k = w.size
    elim = np.zeros(k, bool) if eliminatory is None else np.asarray(eliminatory, dtype=bool)
    mins = np.full(k, np.nan) if min_rating is None else _floats(min_rating)
    names = list(criteria) if criteria is not None else [f"critère {j + 1}" for j in range(k)]
    rows = []
    heaviest = int(np.argmax(w)) if k else 0
    for i in range(r.shape[0]):
        row = r[i]
        rated = int(np.sum(~np.isnan(row)))
        complete = bool(np.all(~np.isnan(row[w > 0]))) and w.sum() > 0
        s = score(np.nan_to_num(row), w) if complete else np.nan
        scaled = s / max_rating * scale if complete else np.nan
        below = elim & ~np.isnan(row) & ~np.isnan(mins) & (np.nan_to_num(row) < np.nan_to_num(mins))
        failed = int(below.sum())
        reasons = "; ".join(n for n, b in zip(names, below) if b)
        eliminated = failed > 0
        top = row[heaviest] if k else np.nan
        key = excel_round(scaled, 6) if complete and not eliminated else np.nan
        rows.append({"rated": rated, "complete": complete, "score": s, "score_scaled": scaled, "failed": failed,
                     "reasons": reasons, "eliminated": eliminated, "top_rating": top, "key": key})
    table = pd.DataFrame(rows, columns=["rated", "complete", "score", "score_scaled", "failed", "reasons", "eliminated",
                                        "top_rating", "key"])
    table["rank"] = rank_candidates(table["key"].to_numpy(), table["top_rating"].to_numpy()) if len(table) else []
    decisions = []
    for rec in table.itertuples(index=False):
        if rec.eliminated:
            decisions.append(DECISION_ELIMINATED)
        elif not rec.complete:
            decisions.append(DECISION_INCOMPLETE)
        elif rec.score_scaled < threshold:
            decisions.append(DECISION_REJECTED)
        elif rec.rank <= positions:
            decisions.append(DECISION_RETAINED)
        else:
            decisions.append(DECISION_WAITING)
    table["decision"] = decisions
    return table


# ------------------------------------------------------------------------------------------------
# schedule
# ------------------------------------------------------------------------------------------------

def step_ends(starts, days) -> list[dt.date | None]:
    """End date of each step: start + days − 1 (None when the start or the duration is missing).

    Examples
    --------
    >>> step_ends([dt.date(2026, 1, 5), None], [7, 3])
    [datetime.date(2026, 1, 11), None]
    """
    out = []
    for s, d in zip(starts, _floats(list(days))):
        s = _date(s)
        out.append(None if s is None or np.isnan(d) else s + dt.timedelta(days=int(d) - 1))
    return out


def step_follow_up(starts, ends, statuses, reference: dt.date) -> list[str]:
    """Follow-up of each step on ``reference``: terminée (status « fait »), en retard (ended before
    and not done), en cours (started), à venir; à planifier without dates.

    Examples
    --------
    >>> step_follow_up([dt.date(2026, 1, 5)] * 3, [dt.date(2026, 1, 11)] * 3, ["fait", "à faire", "en cours"],
    ...                dt.date(2026, 1, 12))
    ['terminée', 'en retard', 'en retard']
    """
    out = []
    for s, e, status in zip(starts, ends, statuses):
        s, e = _date(s), _date(e)
        if s is None or e is None:
            out.append(STEP_UNPLANNED)
        elif str(status or "").strip().lower() == "fait":
            out.append(STEP_DONE)
        elif e < reference:
            out.append(STEP_LATE)
        elif s <= reference:
            out.append(STEP_RUNNING)
        else:
            out.append(STEP_FUTURE)
    return out


def gantt_weeks(starts, ends, first_monday: dt.date, weeks: int) -> np.ndarray:
    """(steps, weeks) grid of 1 where a step overlaps the week starting ``first_monday + 7k``.

    Examples
    --------
    >>> gantt_weeks([dt.date(2026, 1, 7)], [dt.date(2026, 1, 13)], dt.date(2026, 1, 5), 3).tolist()
    [[1, 1, 0]]
    """
    grid = np.zeros((len(starts), weeks), dtype=int)
    for i, (s, e) in enumerate(zip(starts, ends)):
        s, e = _date(s), _date(e)
        if s is None or e is None:
            continue
        for k in range(weeks):
            monday = first_monday + dt.timedelta(days=7 * k)
            grid[i, k] = int(s <= monday + dt.timedelta(days=6) and e >= monday)
    return grid


# ------------------------------------------------------------------------------------------------
# onboarding
# ------------------------------------------------------------------------------------------------

def trial_end(hire: dt.date | None, months) -> dt.date | None:
    """Last day of a trial period of ``months`` months starting on ``hire``.

    The period is counted from date to date (« de quantième à quantième ») and ends the day before
    the same day ``months`` months later; when that month has no such day (hired on the 31st),
    it ends on the last day of that month.

    Notes
    -----
    Excel: ``EDATE(h; m) − SI(JOUR(EDATE(h; m)) < JOUR(h); 0; 1)``.

    Examples
    --------
    >>> trial_end(dt.date(2026, 3, 2), 3), trial_end(dt.date(2026, 4, 1), 2)
    (datetime.date(2026, 6, 1), datetime.date(2026, 5, 31))
    >>> trial_end(dt.date(2026, 1, 31), 1), trial_end(dt.date(2026, 11, 30), 3)
    (datetime.date(2026, 2, 28), datetime.date(2027, 2, 28))
    """
    hire = _date(hire)
    if hire is None or months is None or pd.isna(months):
        return None
    same_day = edate(hire, int(months))
    return same_day if same_day.day < hire.day else same_day - dt.timedelta(days=1)


def onboarding_dates(hire: dt.date | None, offsets, units, trial_end_date: dt.date | None) -> list[dt.date | None]:
    """Dates of the onboarding actions: arrival + offset in days (unit « jours »), EDATE(arrival,
    offset) (unit « mois »), or end of the trial period + offset in days (unit « fin d'essai »).

    Examples
    --------
    >>> onboarding_dates(dt.date(2026, 3, 2), [-7, 1, -15], ["jours", "mois", "fin d'essai"], dt.date(2026, 6, 1))
    [datetime.date(2026, 2, 23), datetime.date(2026, 4, 2), datetime.date(2026, 5, 17)]
    """
    hire = _date(hire)
    out = []
    for offset, unit in zip(_floats(list(offsets)), units):
        unit = str(unit or "").strip().lower()
        if hire is None or np.isnan(offset):
            out.append(None)
        elif unit == "mois":
            out.append(edate(hire, int(offset)))
        elif unit == "fin d'essai":
            out.append(None if trial_end_date is None else trial_end_date + dt.timedelta(days=int(offset)))
        else:
            out.append(hire + dt.timedelta(days=int(offset)))
    return out


def onboarding_follow_up(dates, statuses, reference: dt.date, days_ahead: int = 7) -> list[str]:
    """fait (status « fait »), en retard (date passed), cette semaine (within ``days_ahead`` days),
    à venir; "" without a date.

    Examples
    --------
    >>> onboarding_follow_up([dt.date(2026, 3, 1), dt.date(2026, 3, 1), dt.date(2026, 3, 9), dt.date(2026, 4, 1)],
    ...                      ["fait", "", "", ""], dt.date(2026, 3, 2))
    ['fait', 'en retard', 'cette semaine', 'à venir']
    """
    out = []
    for d, status in zip(dates, statuses):
        d = _date(d)
        if d is None:
            out.append("")
        elif str(status or "").strip().lower() == "fait":
            out.append(ACTION_DONE)
        elif d < reference:
            out.append(ACTION_LATE)
        elif d <= reference + dt.timedelta(days=days_ahead):
            out.append(ACTION_SOON)
        else:
            out.append(ACTION_FUTURE)
    return out
