"""Plan de développement des compétences: skill gaps, training needs matched with a catalogue,
funding split (CPF / OPCO / entreprise), training calendar and professional-interview due dates.

These are the computations of the training-plan workbook (:mod:`xlsales.macros.training_plan`),
done with pandas / numpy on the same inputs, so that every formula of the workbook can be checked
against them. Dates follow Excel: ``EDATE`` clamps to the end of the month (31 Jan + 1 month =
28/29 Feb) and complete months are counted as ``DATEDIF(start, end, "m")`` does.

Rules encoded (parameters in :class:`TrainingParams`, all editable on the « Paramètres » sheet)
------------------------------------------------------------------------------------------------
* Gap (écart) = max(0, required level − current level), levels 0–4; a level above the
  requirement is no need. A missing level gives no gap (not assessed).
* Action proposed for a skill: the first **mandatory** action of the catalogue for that skill,
  else the first action for that skill (catalogue order).
* Funding of the pedagogical cost, per action:

  1. CPF, if the action is CPF-eligible, not mandatory (the employer funds the trainings it
     must provide), and the plan mobilises the CPF (employee's consent): the remaining CPF
     amount of the employee, ``cpf_cap`` a year, used in the order of the plan;
  2. OPCO, if the company has fewer than ``opco_headcount_limit`` (50) employees (the OPCO
     funds the plan of companies under 50, art. L6332-17): ``opco_share`` of what the CPF
     does not cover, capped at ``opco_hourly_cap`` € per hour if that cap is not 0;
  3. the company pays the rest. The time spent in training (working time, salary
     maintained) costs ``hours × hourly_cost`` to the company.

* Professional interviews (entretien professionnel, art. L6315-1 of the Code du travail):

  - régime 2014–2025: every 2 years (from hiring, then from the last interview), « état des
    lieux récapitulatif » at every 6 years of seniority; in companies of at least 50, a
    corrective CPF top-up of 3 000 € when the état des lieux shows the obligations were not met;
  - loi n° 2025-989 du 24 octobre 2025 (« entretien de parcours professionnel »): first
    within the year after hiring, then every 4 years, état des lieux every 8 years;
    mid-career interview (after the mid-career medical visit, held by default in the calendar
    year of the 45th birthday) and end-of-career interview (in the two years before the
    60th birthday).

  An état des lieux is due at each multiple of its period of seniority; it is taken as done
  when an interview took place on or after that anniversary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._vector import excel_round

__all__ = [
    "INTERNAL",
    "NO_ACTION",
    "PRIORITY_HIGH",
    "PRIORITY_MET",
    "PRIORITY_NORMAL",
    "STATUS_LATE",
    "STATUS_MISSING",
    "STATUS_OK",
    "STATUS_TO_PLAN",
    "TrainingParams",
    "budget_by_action",
    "budget_by_rep",
    "calendar_grid",
    "choose_actions",
    "corrective_top_up",
    "default_start_dates",
    "edate",
    "evaluate_needs",
    "funding_label",
    "funding_split",
    "gap_matrix",
    "gap_totals",
    "interview_schedule",
    "interview_status",
    "iso_week_mondays",
    "months_between",
    "select_needs",
    "skill_gaps",
    "training_needs",
    "training_weeks",
]

PRIORITY_HIGH = "Haute"
PRIORITY_NORMAL = "Normale"
PRIORITY_MET = "Couvert"
NO_ACTION = "(aucune action au catalogue)"
INTERNAL = "Interne (sans coût pédagogique)"
STATUS_LATE = "en retard"
STATUS_TO_PLAN = "à planifier"
STATUS_OK = "à jour"
STATUS_MISSING = "à compléter"


@dataclass(frozen=True)
class TrainingParams:
    """Parameters of the training plan (the « Paramètres » sheet), with their default values.

    Amounts in euros, durations in months unless stated. Defaults for OPCO and CPF amounts are
    examples to adapt to the company (OPCO criteria, employees' CPF balances).
    """

    #: a gap of at least this many levels makes the need a priority
    priority_gap: int = 2
    #: hours of training per week, to turn a duration in hours into weeks of the calendar
    hours_per_week: float = 7.0
    #: company headcount (salariés)
    headcount: int = 30
    #: the OPCO funds the plan of companies below this headcount
    opco_headcount_limit: int = 50
    #: share of the pedagogical cost (after CPF) funded by the OPCO
    opco_share: float = 0.5
    #: OPCO cap per hour of training, € (0 = no cap)
    opco_hourly_cap: float = 0.0
    #: mobilise the employees' CPF for CPF-eligible, non-mandatory actions
    use_cpf: bool = True
    #: CPF amount available per employee for the plan, €
    cpf_cap: float = 500.0
    #: loaded hourly cost of the time spent in training, €/h
    hourly_cost: float = 35.0
    #: an interview due within this many months is « à planifier »
    planning_horizon_months: int = 3
    # régime 2014–2025
    old_period_months: int = 24
    old_inventory_months: int = 72
    corrective_amount: float = 3000.0
    corrective_headcount: int = 50
    # loi du 24 octobre 2025
    law_2025_date: dt.date = dt.date(2025, 10, 26)
    new_first_months: int = 12
    new_period_months: int = 48
    new_inventory_months: int = 96
    mid_career_age: int = 45
    end_career_age: int = 60
    end_career_window_months: int = 24


# ------------------------------------------------------------------------------------------------
# dates as Excel computes them
# ------------------------------------------------------------------------------------------------

def _days(values) -> tuple[np.ndarray, bool]:
    """(datetime64[D] array, was_scalar) from dates, Timestamps, strings, None/NaT."""
    scalar = np.ndim(values) == 0 and not isinstance(values, (list, tuple))
    if scalar:
        values = [values]
    converted = pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")
    return converted.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"), scalar


def _out(days: np.ndarray, scalar: bool):
    if scalar:
        value = days[0]
        return None if np.isnat(value) else value.astype(dt.date)
    return days


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (months - months.astype("datetime64[Y]")).astype(np.int64) + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def months_between(start, end):
    """Complete months from ``start`` to ``end``, as ``DATEDIF(start, end, "m")``.

    Parameters
    ----------
    start, end : date, Timestamp, str or array_like of them
        Missing values (None, NaT) give NaN.

    Returns
    -------
    float or ndarray
        ``(year_end − year_start) × 12 + month_end − month_start − (day_end < day_start)``;
        negative when ``end`` is before ``start``.

    Notes
    -----
    The workbook writes the same formula with YEAR, MONTH and DAY (DATEDIF is missing from
    Excel's function list and its edge cases differ between versions).

    Examples
    --------
    >>> months_between("2014-09-01", "2023-05-10")
    104.0
    >>> months_between("2024-01-31", "2024-02-29")
    0.0
    """
    a, scalar_a = _days(start)
    b, scalar_b = _days(end)
    a, b = np.broadcast_arrays(a, b)
    ya, ma, da = _ymd(a)
    yb, mb, db = _ymd(b)
    result = ((yb - ya) * 12 + mb - ma - (db < da)).astype(float)
    result[np.isnat(a) | np.isnat(b)] = np.nan
    return float(result[0]) if scalar_a and scalar_b else result


def edate(dates, months):
    """The date ``months`` months after ``dates``, as Excel's ``EDATE`` (end of month clamped).

    Parameters
    ----------
    dates : date, Timestamp, str or array_like of them
        Start dates; missing values give NaT (None for a scalar).
    months : int or array_like of int
        Months to add (negative to go back).

    Returns
    -------
    datetime.date or ndarray of datetime64[D]

    Examples
    --------
    >>> edate("2024-01-31", 1)
    datetime.date(2024, 2, 29)
    >>> edate("2014-09-01", 72)
    datetime.date(2020, 9, 1)
    """
    days, scalar = _days(dates)
    months = np.asarray(months, dtype=np.int64)
    if scalar and months.ndim == 0:
        days_b, months_b = days, months.reshape(1)
    else:
        days_b, months_b = np.broadcast_arrays(days, months)
    scalar = scalar and months.ndim == 0
    days, months = days_b, months_b
    missing = np.isnat(days)
    safe = np.where(missing, np.datetime64("2000-01-01", "D"), days)
    year, month, day = _ymd(safe)
    total = (year - 1970) * 12 + (month - 1) + months
    month_start = total.astype("datetime64[M]")
    length = ((month_start + 1).astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype(np.int64)
    result = month_start.astype("datetime64[D]") + (np.minimum(day, length) - 1)
    result = np.where(missing, np.datetime64("NaT", "D"), result)
    return _out(result, scalar)


# ------------------------------------------------------------------------------------------------
# gaps
# ------------------------------------------------------------------------------------------------

def skill_gaps(skills: pd.DataFrame) -> pd.DataFrame:
    """Gap between the required and the current level of each (rep, skill).

    Parameters
    ----------
    skills : DataFrame
        Skills matrix in long form: ``rep``, ``skill``, ``current`` (0–4), ``required`` (0–4).

    Returns
    -------
    DataFrame
        The same rows with ``gap`` = max(0, required − current) (float; NaN when a level is
        missing).

    Notes
    -----
    Only the shortfall counts: a rep above the required level has no need (gap 0), and does not
    offset another skill's gap in the totals.

    Examples
    --------
    >>> df = pd.DataFrame({"rep": ["A", "A"], "skill": ["Négociation", "CRM"],
    ...                    "current": [1, 4], "required": [3, 2]})
    >>> skill_gaps(df)["gap"].tolist()
    [2.0, 0.0]
    """
    out = skills.loc[:, ["rep", "skill", "current", "required"]].copy()
    out["rep"] = out["rep"].astype(str)
    out["skill"] = out["skill"].astype(str)
    current = pd.to_numeric(out["current"], errors="coerce").astype(float)
    required = pd.to_numeric(out["required"], errors="coerce").astype(float)
    out["current"], out["required"] = current, required
    out["gap"] = np.maximum(0.0, required - current)  # NaN stays NaN
    return out.reset_index(drop=True)


def gap_matrix(skills: pd.DataFrame, reps: Sequence[str] | None = None,
               skill_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Rep × skill grid of gaps (the « Écarts » heat map).

    Parameters
    ----------
    skills : DataFrame
        Long skills matrix (see :func:`skill_gaps`).
    reps, skill_names : sequence of str, optional
        Row and column order (default: order of first appearance).

    Returns
    -------
    DataFrame
        Index = reps, columns = skills, values = gaps (NaN where not assessed).

    Examples
    --------
    >>> df = pd.DataFrame({"rep": ["A", "A", "B"], "skill": ["X", "Y", "X"],
    ...                    "current": [1, 2, 3], "required": [3, 2, 3]})
    >>> gap_matrix(df).to_dict()
    {'X': {'A': 2.0, 'B': 0.0}, 'Y': {'A': 0.0, 'B': nan}}
    """
    g = skill_gaps(skills)
    reps = list(reps) if reps is not None else list(dict.fromkeys(g["rep"]))
    skill_names = list(skill_names) if skill_names is not None else list(dict.fromkeys(g["skill"]))
    grid = g.drop_duplicates(["rep", "skill"], keep="last").pivot(index="rep", columns="skill", values="gap")
    return grid.reindex(index=reps, columns=skill_names).astype(float)


def gap_totals(matrix: pd.DataFrame, threshold: float = 2) -> dict:
    """Totals of a gap grid: per rep, per skill, overall, and the number of priority gaps.

    Parameters
    ----------
    matrix : DataFrame
        Output of :func:`gap_matrix`.
    threshold : float
        A gap ≥ ``threshold`` is a priority (default 2 levels).

    Returns
    -------
    dict
        ``rep_total``, ``rep_priorities``, ``skill_total``, ``skill_priorities`` (Series),
        ``total`` and ``priorities`` (floats / ints).

    Examples
    --------
    >>> m = pd.DataFrame({"X": [2.0, 0.0], "Y": [3.0, np.nan]}, index=["A", "B"])
    >>> t = gap_totals(m)
    >>> t["rep_total"].tolist(), t["rep_priorities"].tolist(), t["priorities"]
    ([5.0, 0.0], [2, 0], 2)
    """
    values = matrix.astype(float)
    is_priority = values >= threshold  # NaN compares False
    return {
        "rep_total": values.sum(axis=1, skipna=True),
        "rep_priorities": is_priority.sum(axis=1).astype(int),
        "skill_total": values.sum(axis=0, skipna=True),
        "skill_priorities": is_priority.sum(axis=0).astype(int),
        "total": float(np.nansum(values.to_numpy())),
        "priorities": int(is_priority.to_numpy().sum()),
    }


# ------------------------------------------------------------------------------------------------
# needs → actions, funding
# ------------------------------------------------------------------------------------------------

def _yes(values) -> np.ndarray:
    """True for True/"oui"/"yes"/"x"/1 (case-insensitive), False otherwise (as the sheet's ="oui")."""
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            out.append(bool(v))
        elif isinstance(v, (int, float, np.integer, np.floating)) and not pd.isna(v):
            out.append(v != 0)
        elif isinstance(v, str):
            out.append(v.strip().lower() in ("oui", "o", "yes", "y", "vrai", "true", "x", "1"))
        else:
            out.append(False)
    return np.array(out, dtype=bool)


def choose_actions(catalogue: pd.DataFrame, skill_names: Iterable[str]) -> dict[str, int]:
    """Catalogue row proposed for each skill: mandatory actions first, then catalogue order.

    Parameters
    ----------
    catalogue : DataFrame
        Training catalogue: ``action``, ``skill``, and ``mandatory`` (bool or oui/non).
    skill_names : iterable of str
        Skills to match.

    Returns
    -------
    dict
        skill → 1-based position of the chosen row in ``catalogue`` (0 when the catalogue has
        no action for the skill) — what ``MATCH`` returns in the workbook.

    Notes
    -----
    The first action whose skill matches and that is mandatory wins; without a mandatory one,
    the first action whose skill matches. Skill names are compared without case, as MATCH does.

    Examples
    --------
    >>> cat = pd.DataFrame({"action": ["A1", "A2", "A3"], "skill": ["Nego", "Nego", "CRM"],
    ...                     "mandatory": [False, True, False]})
    >>> choose_actions(cat, ["Nego", "CRM", "Anglais"])
    {'Nego': 2, 'CRM': 3, 'Anglais': 0}
    """
    skills_col = catalogue["skill"].astype(str).str.casefold().tolist()
    mandatory = _yes(catalogue["mandatory"]) if "mandatory" in catalogue else np.zeros(len(catalogue), bool)
    chosen = {}
    for skill in skill_names:
        key = str(skill).casefold()
        rows = [i for i, s in enumerate(skills_col) if s == key]
        first_mandatory = next((i for i in rows if mandatory[i]), None)
        pick = first_mandatory if first_mandatory is not None else (rows[0] if rows else None)
        chosen[skill] = 0 if pick is None else pick + 1
    return chosen


def select_needs(skills: pd.DataFrame, catalogue: pd.DataFrame, params: TrainingParams | None = None,
                 reps: Sequence[str] | None = None, skill_names: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The (rep, skill) pairs with a gap > 0, in the order of the plan.

    Parameters
    ----------
    skills, catalogue : DataFrame
        See :func:`skill_gaps` and :func:`choose_actions`.
    params : TrainingParams, optional
    reps, skill_names : sequence of str, optional
        Order of the reps and of the skills (default: first appearance).

    Returns
    -------
    list of (rep, skill)

    Notes
    -----
    Order: by rep; within a rep, high priorities first (gap ≥ ``priority_gap`` or mandatory
    action), then larger gaps, then the skill order.

    Examples
    --------
    >>> df = pd.DataFrame({"rep": ["A", "A", "A"], "skill": ["X", "Y", "Z"],
    ...                    "current": [3, 1, 2], "required": [4, 3, 2]})
    >>> cat = pd.DataFrame({"action": ["a"], "skill": ["X"], "mandatory": [False]})
    >>> select_needs(df, cat)
    [('A', 'Y'), ('A', 'X')]
    """
    params = params or TrainingParams()
    g = skill_gaps(skills)
    reps = list(reps) if reps is not None else list(dict.fromkeys(g["rep"]))
    skill_names = list(skill_names) if skill_names is not None else list(dict.fromkeys(g["skill"]))
    g = g[g["gap"] > 0].drop_duplicates(["rep", "skill"], keep="last")
    chosen = choose_actions(catalogue, skill_names)
    mandatory = _yes(catalogue["mandatory"]) if "mandatory" in catalogue else np.zeros(len(catalogue), bool)
    rep_rank = {r: i for i, r in enumerate(reps)}
    skill_rank = {s: i for i, s in enumerate(skill_names)}

    def key(rec):
        row = chosen.get(rec.skill, 0)
        high = rec.gap >= params.priority_gap or (row > 0 and mandatory[row - 1])
        return (rep_rank.get(rec.rep, len(rep_rank)), 0 if high else 1, -rec.gap, skill_rank.get(rec.skill, len(skill_rank)))

    ordered = sorted(g.itertuples(index=False), key=key)
    return [(r.rep, r.skill) for r in ordered if r.rep in rep_rank and r.skill in skill_rank]


def funding_split(cost, hours, cpf_eligible, mandatory, reps, params: TrainingParams | None = None) -> pd.DataFrame:
    """Who pays each action: CPF, OPCO, company; plus the cost of the time spent in training.

    Parameters
    ----------
    cost : array_like
        Pedagogical cost HT of each action (0 for no action).
    hours : array_like
        Duration in hours.
    cpf_eligible, mandatory : array_like of bool (or oui/non)
    reps : array_like of str
        Employee of each row; the CPF amount ``cpf_cap`` is per employee, used row by row in
        this order.
    params : TrainingParams, optional

    Returns
    -------
    DataFrame
        ``cpf``, ``opco``, ``company`` (the three add up to ``cost``), ``time_cost``
        (hours × hourly cost, rounded to the cent) and ``total_cost`` (cost + time_cost).

    Notes
    -----
    .. math::

        CPF_i = \\min(cost_i,\\ cap - \\textstyle\\sum_{j<i,\\ rep_j = rep_i} CPF_j)
                \\text{ if CPF-eligible, not mandatory and the plan uses the CPF, else } 0

        OPCO_i = round(s \\cdot (cost_i - CPF_i), 2) \\text{ (capped at } c \\cdot h_i
                 \\text{ if } c > 0) \\text{ if headcount} < 50, \\text{ else } 0

        Company_i = round(cost_i - CPF_i - OPCO_i, 2)

    Examples
    --------
    >>> p = TrainingParams(opco_share=0.5, cpf_cap=500, hourly_cost=35)
    >>> funding_split([1290.0, 690.0], [14, 7], [True, True], [False, False], ["A", "A"], p).round(2).values.tolist()
    [[500.0, 395.0, 395.0, 490.0, 1780.0], [0.0, 345.0, 345.0, 245.0, 935.0]]
    """
    params = params or TrainingParams()
    cost = np.asarray(cost, dtype=float)
    hours = np.asarray(hours, dtype=float)
    eligible = _yes(cpf_eligible) & ~_yes(mandatory) & bool(params.use_cpf)
    reps = [str(r) for r in reps]
    used: dict[str, float] = {}
    cpf = np.zeros(len(cost))
    for i, (rep, c, ok) in enumerate(zip(reps, cost, eligible)):
        if ok:
            cpf[i] = max(0.0, min(c, params.cpf_cap - used.get(rep, 0.0)))
        used[rep] = used.get(rep, 0.0) + cpf[i]
    if params.headcount < params.opco_headcount_limit:
        opco = params.opco_share * (cost - cpf)
        if params.opco_hourly_cap > 0:
            opco = np.minimum(opco, params.opco_hourly_cap * hours)
        opco = excel_round(opco, 2) if len(cost) else opco
    else:
        opco = np.zeros(len(cost))
    company = excel_round(cost - cpf - opco, 2) if len(cost) else np.zeros(0)
    time_cost = excel_round(hours * params.hourly_cost, 2) if len(cost) else np.zeros(0)
    return pd.DataFrame({"cpf": cpf, "opco": np.asarray(opco, float), "company": np.asarray(company, float),
                         "time_cost": np.asarray(time_cost, float), "total_cost": cost + np.asarray(time_cost, float)})


def funding_label(cost: float, cpf: float, opco: float, company: float, has_action: bool = True) -> str:
    """Text of the « Financement » column: the payers with a share > 0, joined by " + ".

    Examples
    --------
    >>> funding_label(1290.0, 500.0, 395.0, 395.0)
    'CPF + OPCO + Entreprise'
    >>> funding_label(0.0, 0.0, 0.0, 0.0)
    'Interne (sans coût pédagogique)'
    """
    if not has_action:
        return ""
    if cost == 0:
        return INTERNAL
    parts = [name for name, amount in (("CPF", cpf), ("OPCO", opco), ("Entreprise", company)) if amount > 0]
    return " + ".join(parts)


def evaluate_needs(pairs: Sequence[tuple[str, str]], skills: pd.DataFrame, catalogue: pd.DataFrame,
                   params: TrainingParams | None = None) -> pd.DataFrame:
    """The « Besoins et actions » table for given (rep, skill) rows, on the current levels.

    Parameters
    ----------
    pairs : sequence of (rep, skill)
        Rows of the plan (see :func:`select_needs`); a row whose gap is now 0 keeps its place
        with no action and no cost.
    skills, catalogue : DataFrame
    params : TrainingParams, optional

    Returns
    -------
    DataFrame
        One row per pair: rep, skill, current, required, gap, priority, catalogue_row (1-based,
        0 = none), action, mode, provider, hours, cost, mandatory ("oui"/"non"/""),
        cpf_eligible, funding, cpf, opco, company, time_cost, total_cost.

    Notes
    -----
    Priority: "Haute" when the gap ≥ ``priority_gap`` or the action is mandatory, "Normale"
    for another gap > 0, "Couvert" for a gap of 0, "" when the level is not assessed.
    """
    params = params or TrainingParams()
    g = skill_gaps(skills).drop_duplicates(["rep", "skill"], keep="last").set_index(["rep", "skill"])
    skill_names = list(dict.fromkeys(s for _, s in pairs))
    chosen = choose_actions(catalogue, skill_names)
    cat = catalogue.reset_index(drop=True)
    mandatory_col = _yes(cat["mandatory"]) if "mandatory" in cat else np.zeros(len(cat), bool)
    cpf_col = _yes(cat["cpf"]) if "cpf" in cat else np.zeros(len(cat), bool)
    rows = []
    for rep, skill in pairs:
        rec = g.loc[(rep, skill)] if (rep, skill) in g.index else None
        current = float(rec["current"]) if rec is not None else np.nan
        required = float(rec["required"]) if rec is not None else np.nan
        gap = float(rec["gap"]) if rec is not None else np.nan
        has_gap = not np.isnan(gap) and gap > 0
        row = chosen.get(skill, 0) if has_gap else 0
        out = {"rep": rep, "skill": skill, "current": current, "required": required, "gap": gap, "catalogue_row": row}
        if row:
            c = cat.iloc[row - 1]
            out.update(action=str(c["action"]), mode=_text(c.get("mode")), provider=_text(c.get("provider")),
                       hours=_num(c.get("duration_hours")), cost=_num(c.get("cost")),
                       mandatory="oui" if mandatory_col[row - 1] else "non",
                       cpf_eligible="oui" if cpf_col[row - 1] else "non")
        else:
            out.update(action=NO_ACTION if has_gap else "", mode="", provider="", hours=0.0, cost=0.0,
                       mandatory="", cpf_eligible="")
        if np.isnan(gap):
            out["priority"] = ""
        elif gap <= 0:
            out["priority"] = PRIORITY_MET
        elif gap >= params.priority_gap or out["mandatory"] == "oui":
            out["priority"] = PRIORITY_HIGH
        else:
            out["priority"] = PRIORITY_NORMAL
        rows.append(out)
    columns = ["rep", "skill", "current", "required", "gap", "priority", "catalogue_row", "action", "mode", "provider",
               "hours", "cost", "mandatory", "cpf_eligible"]
    table = pd.DataFrame(rows, columns=columns)
    money = funding_split(table["cost"], table["hours"], table["cpf_eligible"], table["mandatory"], table["rep"], params)
    table = pd.concat([table, money], axis=1)
    table.insert(columns.index("cpf_eligible") + 1, "funding", [
        funding_label(r.cost, r.cpf, r.opco, r.company, r.catalogue_row > 0) for r in table.itertuples()])
    return table


def training_needs(skills: pd.DataFrame, catalogue: pd.DataFrame, params: TrainingParams | None = None,
                   reps: Sequence[str] | None = None, skill_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Needs with a gap > 0, the action proposed and its funding: ``evaluate_needs(select_needs(…))``.

    Examples
    --------
    >>> skills = pd.DataFrame({"rep": ["A", "A"], "skill": ["Nego", "CRM"], "current": [1, 1], "required": [3, 2]})
    >>> cat = pd.DataFrame({"action": ["Négocier", "CRM"], "skill": ["Nego", "CRM"], "duration_hours": [21, 7],
    ...                     "cost": [1890.0, 450.0], "provider": ["P", "E"], "mode": ["présentiel", "distanciel"],
    ...                     "mandatory": [False, False], "cpf": [True, False]})
    >>> t = training_needs(skills, cat, TrainingParams(headcount=60))
    >>> t[["skill", "priority", "action", "cpf", "opco", "company", "funding"]].values.tolist()
    [['Nego', 'Haute', 'Négocier', 500.0, 0.0, 1390.0, 'CPF + Entreprise'], ['CRM', 'Normale', 'CRM', 0.0, 0.0, 450.0, 'Entreprise']]
    """
    pairs = select_needs(skills, catalogue, params, reps, skill_names)
    return evaluate_needs(pairs, skills, catalogue, params)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else str(value)


def _num(value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if np.isnan(v) else v


# ------------------------------------------------------------------------------------------------
# calendar
# ------------------------------------------------------------------------------------------------

def training_weeks(hours, hours_per_week: float = 7.0):
    """Calendar weeks an action spans: ``ceil(hours / hours_per_week)`` (0 for no hours).

    Examples
    --------
    >>> training_weeks([14, 40, 0], 7).tolist()
    [2.0, 6.0, 0.0]
    """
    h = np.asarray(hours, dtype=float)
    with np.errstate(all="ignore"):
        weeks = np.where(h > 0, np.ceil(np.round(h / hours_per_week, 9)), 0.0)
    return float(weeks) if weeks.ndim == 0 else weeks


def default_start_dates(needs: pd.DataFrame, start: dt.date, hours_per_week: float = 7.0) -> list[dt.date]:
    """Start dates proposed when the workbook is built (then typed over by the manager).

    Parameters
    ----------
    needs : DataFrame
        Output of :func:`training_needs` (``rep`` and ``hours`` in plan order).
    start : date
        First day of the plan.
    hours_per_week : float

    Returns
    -------
    list of date

    Notes
    -----
    Each rep follows his or her actions one after the other, in the plan order (priorities
    first); the k-th rep (order of appearance) starts k weeks after ``start`` so that the team
    is not all away the same week.

    Examples
    --------
    >>> needs = pd.DataFrame({"rep": ["A", "A", "B"], "hours": [14, 7, 21]})
    >>> [d.isoformat() for d in default_start_dates(needs, dt.date(2026, 1, 5))]
    ['2026-01-05', '2026-01-19', '2026-01-12']
    """
    start = pd.Timestamp(start).date()
    order: dict[str, int] = {}
    cursor: dict[str, dt.date] = {}
    dates = []
    for rep, hours in zip(needs["rep"], needs["hours"]):
        if rep not in order:
            order[rep] = len(order)
            cursor[rep] = start + dt.timedelta(weeks=order[rep])
        dates.append(cursor[rep])
        cursor[rep] = cursor[rep] + dt.timedelta(weeks=int(training_weeks(hours, hours_per_week)))
    return dates


def iso_week_mondays(year: int) -> list[dt.date]:
    """Mondays of the ISO weeks of ``year`` (52 or 53), week 1 containing 4 January.

    Examples
    --------
    >>> w = iso_week_mondays(2026)
    >>> len(w), w[0].isoformat(), w[-1].isoformat()
    (53, '2025-12-29', '2026-12-28')
    """
    jan4 = dt.date(year, 1, 4)
    first = jan4 - dt.timedelta(days=jan4.weekday())
    count = dt.date(year, 12, 28).isocalendar()[1]
    return [first + dt.timedelta(weeks=k) for k in range(count)]


def calendar_grid(starts, hours, mondays: Sequence[dt.date], hours_per_week: float = 7.0) -> np.ndarray:
    """Gantt grid: 1 where an action runs during the week starting on each Monday.

    Parameters
    ----------
    starts : sequence of date (None = not scheduled)
    hours : array_like
    mondays : sequence of date
    hours_per_week : float

    Returns
    -------
    ndarray of int, shape (len(starts), len(mondays))

    Notes
    -----
    An action runs from ``start`` to ``end = start + 7 × weeks`` (excluded); it fills the week
    of Monday ``m`` when ``start < m + 7`` and ``end > m``.

    Examples
    --------
    >>> calendar_grid([dt.date(2026, 1, 7)], [14], [dt.date(2026, 1, 5), dt.date(2026, 1, 12),
    ...               dt.date(2026, 1, 19), dt.date(2026, 1, 26)]).tolist()
    [[1, 1, 1, 0]]
    """
    weeks = np.atleast_1d(training_weeks(hours, hours_per_week))
    grid = np.zeros((len(starts), len(mondays)), dtype=int)
    for i, (s, w) in enumerate(zip(starts, weeks)):
        if s is None or pd.isna(s):
            continue
        s = pd.Timestamp(s).date()
        end = s + dt.timedelta(days=7 * int(w))
        for j, m in enumerate(mondays):
            grid[i, j] = int(s < m + dt.timedelta(days=7) and end > m)
    return grid


# ------------------------------------------------------------------------------------------------
# budget
# ------------------------------------------------------------------------------------------------

_MONEY = ["hours", "cost", "cpf", "opco", "company", "time_cost", "total_cost"]


def _budget(needs: pd.DataFrame, by: str, keys: Sequence[str]) -> pd.DataFrame:
    with_action = needs[needs["catalogue_row"] > 0]
    grouped = needs.groupby(by)[_MONEY].sum()
    count = with_action.groupby(by).size()
    out = grouped.reindex(list(keys), fill_value=0.0)
    out.insert(0, "count", count.reindex(list(keys), fill_value=0).astype(int))
    out["company_total"] = out["company"] + out["time_cost"]
    return out


def budget_by_rep(needs: pd.DataFrame, reps: Sequence[str]) -> pd.DataFrame:
    """Budget per employee: actions, hours, cost, CPF / OPCO / company shares, time cost.

    Returns
    -------
    DataFrame
        Index = reps; ``count`` (actions), ``hours``, ``cost``, ``cpf``, ``opco``, ``company``,
        ``time_cost``, ``total_cost`` (cost + time) and ``company_total`` (company + time).
    """
    return _budget(needs, "rep", reps)


def budget_by_action(needs: pd.DataFrame, actions: Sequence[str]) -> pd.DataFrame:
    """Budget per training action (``count`` = participants); columns as :func:`budget_by_rep`."""
    return _budget(needs, "action", actions)


# ------------------------------------------------------------------------------------------------
# professional interviews
# ------------------------------------------------------------------------------------------------

def _inventory(hire: np.ndarray, last: np.ndarray, period: int) -> np.ndarray:
    """Next état des lieux: first multiple of ``period`` months of seniority after the last interview."""
    ref = np.where(np.isnat(last), hire, last)
    months = months_between(hire, ref)
    k = np.floor(np.maximum(0.0, np.nan_to_num(months)) / period) + 1
    return edate(hire, (k * period).astype(np.int64))


def interview_status(due, reference, horizon_months: int = 3):
    """« en retard » / « à planifier » / « à jour » for interview due dates.

    Parameters
    ----------
    due : date or array_like of dates
        Next due date (missing → « à compléter »).
    reference : date
        Today (the « Date de référence » parameter).
    horizon_months : int
        Due on or before ``EDATE(reference, horizon_months)`` → « à planifier ».

    Returns
    -------
    str or ndarray of str

    Examples
    --------
    >>> interview_status(["2026-01-10", "2026-03-01", "2027-01-01", None], "2026-02-01").tolist()
    ['en retard', 'à planifier', 'à jour', 'à compléter']
    """
    d, scalar = _days(due)
    ref = _days(reference)[0][0]
    limit = _days(edate(ref.astype(dt.date), horizon_months))[0][0]
    out = np.where(np.isnat(d), STATUS_MISSING,
                   np.where(d < ref, STATUS_LATE, np.where(d <= limit, STATUS_TO_PLAN, STATUS_OK)))
    return str(out[0]) if scalar else out


def interview_schedule(hire_date, last_interview=None, birth_date=None, *, reference_date,
                       regime: str = "2025", params: TrainingParams | None = None) -> pd.DataFrame:
    """Next professional interviews under the 2014–2025 regime or the law of 24 October 2025.

    Parameters
    ----------
    hire_date : array_like of dates
        Date d'embauche (missing → nothing computed, status « à compléter »).
    last_interview : array_like of dates, optional
        Date of the last professional interview (missing = none since hiring).
    birth_date : array_like of dates, optional
        For the mid-career and end-of-career interviews (2025 law only).
    reference_date : date
        Today; statuses and the « 2025 law applies » test use it.
    regime : {"2025", "2014"}
    params : TrainingParams, optional

    Returns
    -------
    DataFrame
        ``periodic``, ``inventory`` (état des lieux), for "2025" also ``mid_career`` and
        ``end_career`` (NaT when not due), ``next_due`` (earliest) and ``status``
        (see :func:`interview_status`). Dates are datetime64[D].

    Notes
    -----
    *Régime 2014–2025* (art. L6315-1 before the 2025 law): periodic = last + 24 months, or
    hire + 24 months without interview; état des lieux at every 72 months of seniority.

    *Loi n° 2025-989 du 24 octobre 2025*: periodic = last + 48 months, or hire + 12 months
    without interview (first one within the year after hiring); état des lieux every 96
    months; mid-career interview by 31 December of the year of the 45th birthday (the mid-career
    medical visit is held that year by default and the interview follows it within two months),
    pending when no interview since 1 January of that year; end-of-career interview by the 60th
    birthday, pending when no interview in the 24 months before. Both only when due on or after
    the law's date (``law_2025_date``) and after hiring.

    The état des lieux is due at ``hire + k × period`` for the first k ≥ 1 after the last
    interview: an interview on or after an anniversary is taken as having held it.

    Examples
    --------
    >>> s = interview_schedule(["2014-09-01"], ["2023-05-10"], ["1981-04-12"], reference_date="2026-02-01")
    >>> [str(s.loc[0, c])[:10] for c in ("periodic", "inventory", "mid_career", "end_career", "next_due", "status")]
    ['2027-05-10', '2030-09-01', '2026-12-31', '2041-04-12', '2026-12-31', 'à jour']
    >>> s = interview_schedule(["2014-09-01"], ["2023-05-10"], reference_date="2026-02-01", regime="2014")
    >>> [str(s.loc[0, c])[:10] for c in ("periodic", "inventory", "next_due", "status")]
    ['2025-05-10', '2026-09-01', '2025-05-10', 'en retard']
    """
    params = params or TrainingParams()
    hire, _ = _days(hire_date)
    n = hire.size
    last = _days(last_interview)[0] if last_interview is not None else np.full(n, np.datetime64("NaT", "D"))
    birth = _days(birth_date)[0] if birth_date is not None else np.full(n, np.datetime64("NaT", "D"))
    ref = _days(reference_date)[0][0]
    no_hire = np.isnat(hire)
    nat = np.datetime64("NaT", "D")
    if regime == "2014":
        first, period, inventory_period = params.old_period_months, params.old_period_months, params.old_inventory_months
    elif regime == "2025":
        first, period, inventory_period = params.new_first_months, params.new_period_months, params.new_inventory_months
    else:
        raise ValueError(f"régime inconnu : {regime!r} (2014 ou 2025)")
    periodic = np.where(np.isnat(last), edate(hire, first), edate(last, period))
    inventory = _inventory(hire, last, inventory_period)
    out = {"periodic": periodic, "inventory": inventory}
    candidates = [periodic, inventory]
    if regime == "2025":
        law = np.datetime64(params.law_2025_date, "D")
        year, _, _ = _ymd(np.where(np.isnat(birth), np.datetime64("2000-01-01", "D"), birth))
        mid_year = year + params.mid_career_age
        mid_due = np.array([np.datetime64(f"{y:04d}-12-31", "D") for y in mid_year], dtype="datetime64[D]")
        mid_start = np.array([np.datetime64(f"{y:04d}-01-01", "D") for y in mid_year], dtype="datetime64[D]")
        mid_pending = (~np.isnat(birth) & ~no_hire & (mid_due >= law) & (mid_due >= hire)
                       & (np.isnat(last) | (last < mid_start)))
        end_due = edate(birth, 12 * params.end_career_age)
        end_start = edate(birth, 12 * params.end_career_age - params.end_career_window_months)
        end_pending = (~np.isnat(birth) & ~no_hire & (end_due >= law) & (end_due >= hire)
                       & (np.isnat(last) | (last < end_start)))
        out["mid_career"] = np.where(mid_pending, mid_due, nat)
        out["end_career"] = np.where(end_pending, end_due, nat)
        candidates += [out["mid_career"], out["end_career"]]
    stacked = np.vstack(candidates)
    as_int = np.where(np.isnat(stacked), np.iinfo(np.int64).max, stacked.astype(np.int64))
    next_due = np.min(as_int, axis=0)
    next_due = np.where(no_hire, nat, next_due.astype("datetime64[D]"))
    out = {k: np.where(no_hire, nat, v) for k, v in out.items()}
    out["next_due"] = next_due
    out["status"] = interview_status(next_due, ref.astype(dt.date), params.planning_horizon_months)
    return pd.DataFrame(out)


def corrective_top_up(inventory_2014, reference_date, params: TrainingParams | None = None) -> np.ndarray:
    """Risk of the 3 000 € corrective CPF top-up (abondement correctif, régime 2014–2025).

    Parameters
    ----------
    inventory_2014 : array_like of dates
        État des lieux dates of the 2014 regime (``interview_schedule(..., regime="2014")``).
    reference_date : date
    params : TrainingParams, optional

    Returns
    -------
    ndarray of float
        ``corrective_amount`` when the company has at least ``corrective_headcount`` employees
        and the 6-year état des lieux is overdue (no interview since that anniversary), else 0;
        NaN without a date.

    Notes
    -----
    The law asks, at the 6-year état des lieux, that the employee had the interviews and at least
    one non-mandatory training; an overdue état des lieux is the warning sign the sheet shows.

    Examples
    --------
    >>> corrective_top_up(["2025-09-01", "2027-01-01"], "2026-02-01", TrainingParams(headcount=80)).tolist()
    [3000.0, 0.0]
    """
    params = params or TrainingParams()
    d, _ = _days(inventory_2014)
    ref = _days(reference_date)[0][0]
    big = params.headcount >= params.corrective_headcount
    out = np.where((d < ref) & big, params.corrective_amount, 0.0)
    return np.where(np.isnat(d), np.nan, out)
