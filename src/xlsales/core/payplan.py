"""Plan de commissionnement complet: a year of pay for a whole sales team, reps × months.

A :class:`CommissionPlan` gathers the rules of a variable-pay plan; :func:`compute_pay` applies them
to a grid of commission bases (revenue, margin or cash collected) and targets, one row per rep and
one column per month, vectorised with numpy over the reps (only the recoverable draw needs a loop
over the 12 months). The generated commissions workbook (:mod:`xlsales.macros.commissions`)
computes the same figures with native Excel formulas; every cell is checked against this module.
Each rep may be on their own plan (``compute_pay([plan_a, plan_b, …], …)``, one plan per rep): the
rules below then take each rep's parameters from their plan, and the team's attainment (rule 12)
still pools every member of the team, whatever their plan.

Rules, in the order they apply (month *m*, rep *i*)
---------------------------------------------------
1. **Presence** (mid-period hire or leaver): ``p = days worked / days in the month``, calendar
   days, the hire day and the leaving day included (an entry on 10 January 2024 works 22/31).
2. **Prorated fixed pay and target**: ``fixe = ROUND(salaire annuel / 12 × p, 2)``,
   ``objectif = ROUND(objectif saisi × p, 2)``.
3. **Period to date.** The plan's period is the month, the quarter or the year. The base ``B``
   and the target ``T`` are summed from the first month of the current period to *m*
   (for a monthly plan they are the month's figures). A yearly plan is thus paid monthly on the
   year-to-date figures, each month getting the increase of the commission due.
4. **Attainment** ``a = ROUND(B / T, 4)`` (4 decimals, i.e. 0.01 %, so that a threshold such
   as 110 % is met exactly as a person reading the statement expects); none when ``T = 0``.
5. **Grid commission** ``c(B)`` from the tiers (lower bounds ``s_k``, rates ``r_k``):
   progressive (*par tranches*) ``Σ_k r_k · max(0, min(B, s_{k+1}) − s_k)``, written in Excel as
   ``SUMPRODUCT((B>s)·(B−s)·(r_k − r_{k−1}))``; flat (*par paliers, taux global*) ``r_k · B`` with
   ``k`` the highest tier reached (``s_k ≤ B``); 0 below the first bound.
6. **Accelerator** ``k ≥ 1`` above 100 % of target: the commission earned on the part of the base
   above the target is multiplied by ``k``:
   ``C = c(T) + k · (c(B) − c(T))`` when ``T > 0`` and ``B > T``, else ``C = c(B)``.
7. **Gate**: when a target is set and ``a < gate``, the commission is 0.
8. **Cap**: ``C_due = ROUND(min(C, cap), 2)`` (cap per period; none when 0 or None).
9. **Commission of the month** ``= C_due(m) − C_due(m − 1)`` within the period (``C_due`` of the
   first month of a period for that month). It may be negative in a yearly or quarterly plan
   when a later month lowers the attainment (the gate is lost, or a higher target shrinks the
   accelerated part): a regularisation.
10. **Draw** (avance sur commissions) ``D = ROUND(draw × p, 2)`` a month, a guaranteed minimum of
    the variable pay of the month. Top-up ``A = max(0, D − commission)``. Non-recoverable: the
    top-up is never recovered. Recoverable: the balance owed ``S`` (0 at the start of the year)
    grows by each top-up, and a later month's commission above the draw repays it first:
    ``R = min(S_{m−1}, max(0, commission − D))``, ``S_m = S_{m−1} + A − R``. The balance left on
    31 December is reported, not deducted from the fixed pay.
    Commission paid ``= commission + A − R``.
11. **Bonus on target** (*prime sur objectif*), step grid: the amount of the highest attainment
    threshold reached, paid in the last month of each period on the period's attainment.
12. **Team bonus** (*prime d'équipe*), step grid on the team's attainment (sum of its members'
    period-to-date bases over the sum of their targets), paid in the last month of a period to the
    members present that month (``p > 0``), split equally (*parts égales*: amount / members
    present), pro rata of the fixed pay of the month (*prorata du fixe*), or the amount to each
    member (*par commercial*). Reps without a team get none.
13. **Gross pay** ``= fixe + commission paid + bonus + team bonus``;
    **employer cost** ``= ROUND(gross × (1 + charge rate), 2)``.

Money amounts are rounded to the cent as in a payslip (Excel's ``ROUND``, half away from zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from ._vector import excel_round
from .errors import BadValueError, DomainError
from .pay import COMMISSION_MODES, bonus, commission

__all__ = ["FIELDS", "PERIOD_MONTHS", "CommissionPlan", "PayResult", "compute_pay", "presence"]

#: Months in a period of the plan.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

_PERIODS = {
    "month": "month", "mois": "month", "mensuel": "month", "mensuelle": "month", "monthly": "month",
    "quarter": "quarter", "trimestre": "quarter", "trimestriel": "quarter", "trimestrielle": "quarter",
    "quarterly": "quarter",
    "year": "year", "année": "year", "annee": "year", "an": "year", "annuel": "year", "annuelle": "year",
    "yearly": "year", "annual": "year",
}
_BASES = {
    "revenue": "revenue", "ca": "revenue", "ca ht": "revenue", "chiffre d'affaires": "revenue",
    "margin": "margin", "marge": "margin", "marge brute": "margin",
    "cash": "cash", "encaissé": "cash", "encaisse": "cash", "encaissements": "cash", "ca encaissé": "cash",
    "cash collected": "cash",
}
_SPLITS = {
    "equal": "equal", "parts égales": "equal", "parts egales": "equal", "égal": "equal",
    "salary": "salary", "prorata du fixe": "salary", "fixe": "salary", "prorata": "salary",
    "member": "member", "par commercial": "member", "per rep": "member", "par membre": "member",
}
_YES = {"oui", "o", "yes", "y", "true", "vrai", "1"}
_NO = {"non", "n", "no", "false", "faux", "0"}


def _choice(value: Any, choices: Mapping[str, str], name: str) -> str:
    key = str(value).strip().lower()
    if key not in choices:
        allowed = ", ".join(sorted(set(choices.values())))
        raise BadValueError(f"valeur inconnue « {value} » (attendu : {allowed})", name)
    return choices[key]


def _grid(thresholds: Iterable[float], values: Iterable[float], name: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    t = tuple(float(x) for x in thresholds)
    v = tuple(float(x) for x in values)
    if len(t) != len(v):
        raise BadValueError(f"{len(t)} seuils pour {len(v)} valeurs", name)
    if any(not np.isfinite(x) for x in t + v):
        raise BadValueError("valeur non numérique dans la grille", name)
    if any(b <= a for a, b in pairwise(t)):
        raise DomainError("les seuils doivent être strictement croissants", name)
    if any(x < 0 for x in v):
        raise DomainError("valeur négative dans la grille", name)
    return t, v


@dataclass(frozen=True)
class CommissionPlan:
    """The rules of a commission plan (see the module docstring for the exact formulas).

    Parameters
    ----------
    thresholds, rates : sequence of float
        Tiers: lower bound of each tier (strictly ascending, first one usually 0) and its rate.
    mode : {"progressive", "flat"}
        *Par tranches* (each rate on the slice of the base inside its tier) or *par paliers*
        (the rate of the tier reached on the whole base). French spellings accepted.
    base : {"revenue", "margin", "cash"}
        What the commission is computed on: CA HT, marge, CA encaissé (informative for the
        computation, which receives the amounts; the workbook pre-fills the grid with it).
    period : {"month", "quarter", "year"}
        Period of the grid, the gate, the cap and the bonuses; paid monthly on period-to-date figures.
    gate : float
        Minimum attainment (0.8 = 80 %) below which no commission is due for the period.
    cap : float or None
        Maximum commission due for a period (None or 0: no cap).
    accelerator : float
        Multiplier of the commission earned on the part of the base above 100 % of target (1: none).
    bonus_thresholds, bonus_amounts : sequence of float
        Bonus on target, step grid: attainment thresholds (1.0 = 100 %) and amounts.
    draw : float
        Monthly draw (avance sur commissions), prorated like the fixed pay.
    draw_recoverable : bool
        Whether the top-ups paid to reach the draw are recovered on later commissions.
    team_bonus_thresholds, team_bonus_amounts : sequence of float
        Team bonus, step grid on the team's attainment.
    team_bonus_split : {"equal", "salary", "member"}
        Parts égales, prorata du fixe du mois, or the amount to each member present.
    charge_rate : float
        Employer charge rate (taux de charges patronales).
    """

    thresholds: Sequence[float] = (0.0,)
    rates: Sequence[float] = (0.05,)
    mode: str = "progressive"
    base: str = "revenue"
    period: str = "month"
    gate: float = 0.0
    cap: float | None = None
    accelerator: float = 1.0
    bonus_thresholds: Sequence[float] = ()
    bonus_amounts: Sequence[float] = ()
    draw: float = 0.0
    draw_recoverable: bool = True
    team_bonus_thresholds: Sequence[float] = ()
    team_bonus_amounts: Sequence[float] = ()
    team_bonus_split: str = "equal"
    charge_rate: float = 0.42

    def __post_init__(self):
        put = lambda name, value: object.__setattr__(self, name, value)
        thresholds, rates = _grid(self.thresholds, self.rates, "rates")
        if not thresholds:
            raise BadValueError("au moins une tranche est nécessaire", "thresholds")
        put("thresholds", thresholds)
        put("rates", rates)
        put("mode", _choice(self.mode, COMMISSION_MODES, "mode"))
        put("base", _choice(self.base, _BASES, "base"))
        put("period", _choice(self.period, _PERIODS, "period"))
        b = _grid(self.bonus_thresholds, self.bonus_amounts, "bonus_amounts")
        put("bonus_thresholds", b[0])
        put("bonus_amounts", b[1])
        t = _grid(self.team_bonus_thresholds, self.team_bonus_amounts, "team_bonus_amounts")
        put("team_bonus_thresholds", t[0])
        put("team_bonus_amounts", t[1])
        put("team_bonus_split", _choice(self.team_bonus_split, _SPLITS, "team_bonus_split"))
        cap = None if self.cap is None or (isinstance(self.cap, float) and np.isnan(self.cap)) else float(self.cap)
        put("cap", cap if cap else None)
        for name in ("gate", "accelerator", "draw", "charge_rate"):
            value = float(getattr(self, name))
            if not np.isfinite(value) or value < 0:
                raise DomainError("un nombre positif ou nul est attendu", name)
            put(name, value)
        if cap is not None and cap < 0:
            raise DomainError("un plafond positif est attendu", "cap")
        recoverable = self.draw_recoverable
        if isinstance(recoverable, str):
            key = recoverable.strip().lower()
            if key not in _YES | _NO:
                raise BadValueError(f"oui ou non attendu, pas « {recoverable} »", "draw_recoverable")
            recoverable = key in _YES
        put("draw_recoverable", bool(recoverable))

    @property
    def months(self) -> int:
        """Months in a period (1, 3 or 12)."""
        return PERIOD_MONTHS[self.period]

    def grid_commission(self, amount):
        """``c(amount)``: the commission of the tiers alone (no gate, accelerator or cap).

        >>> CommissionPlan([0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08]).grid_commission(9500)
        360.0
        """
        return commission(amount, self.thresholds, self.rates, self.mode)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> CommissionPlan:
        """A plan from a dict: this class's field names, or the keys of
        :func:`xlsales.io.commission_plans` (``tiers`` [(bound, rate)], ``bonus_grid``,
        ``team_bonus`` [(team attainment, amount per rep)], ``employer_charge_rate``…)."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in spec.items() if k in known and v is not None}
        if spec.get("tiers"):
            tiers = sorted(spec["tiers"])
            kwargs["thresholds"] = [t[0] for t in tiers]
            kwargs["rates"] = [t[1] for t in tiers]
        if spec.get("bonus_grid"):
            grid = sorted(spec["bonus_grid"])
            kwargs["bonus_thresholds"] = [g[0] for g in grid]
            kwargs["bonus_amounts"] = [g[1] for g in grid]
        if spec.get("team_bonus"):
            grid = sorted(spec["team_bonus"])
            kwargs["team_bonus_thresholds"] = [g[0] for g in grid]
            kwargs["team_bonus_amounts"] = [g[1] for g in grid]
            kwargs.setdefault("team_bonus_split", "member")  # the reader's amounts are per rep
        if spec.get("employer_charge_rate") is not None:
            kwargs["charge_rate"] = spec["employer_charge_rate"]
        return cls(**kwargs)


#: The arrays of a :class:`PayResult` (reps × 12), in the order of the workbook's « Calcul » sheet.
FIELDS = (
    "presence", "base", "target", "cum_base", "cum_target", "attainment", "gate_ok",
    "grid_commission", "grid_commission_at_target", "accelerator_extra", "commission_after_gate",
    "commission_due_cum", "commission", "draw", "draw_topup", "draw_recovery", "commission_paid",
    "draw_balance", "bonus", "team_attainment", "fixed", "team_pool", "team_bonus", "gross", "employer_cost",
)


@dataclass
class PayResult:
    """Pay of every rep for every month of ``year``: arrays of shape (reps, 12), see :data:`FIELDS`.

    ``attainment`` and ``team_attainment`` are NaN where there is no target (no team);
    ``gate_ok`` is boolean; ``team_pool`` is the team bonus of the rep's team for the period
    (before the split), in the last month of a period.
    """

    year: int
    reps: list
    arrays: dict[str, np.ndarray] = field(repr=False)

    def __getattr__(self, name: str) -> np.ndarray:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name]
        raise AttributeError(name)

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per (rep, month), one column per field."""
        n = len(self.reps)
        data = {"rep": np.repeat(np.asarray(self.reps, dtype=object), 12), "month": np.tile(np.arange(1, 13), n)}
        data.update({name: self.arrays[name].reshape(-1) for name in FIELDS})
        return pd.DataFrame(data)

    def totals(self) -> pd.DataFrame:
        """Per rep over the year: base, target, attainment, commission, paid, bonuses, fixed,
        gross, employer cost and the draw balance left on 31 December."""
        a = self.arrays
        base, target = a["base"].sum(axis=1), a["target"].sum(axis=1)
        with np.errstate(all="ignore"):
            attainment = np.where(target > 0, base / np.where(target > 0, target, 1.0), np.nan)
        frame = pd.DataFrame({
            "rep": list(self.reps), "base": base, "target": target, "attainment": attainment,
            "commission": a["commission"].sum(axis=1), "commission_paid": a["commission_paid"].sum(axis=1),
            "bonus": a["bonus"].sum(axis=1), "team_bonus": a["team_bonus"].sum(axis=1),
            "fixed": a["fixed"].sum(axis=1), "gross": a["gross"].sum(axis=1),
            "employer_cost": a["employer_cost"].sum(axis=1), "draw_balance": a["draw_balance"][:, -1],
        })
        return frame


def _dates(values, n: int, fill: np.datetime64) -> np.ndarray:
    if values is None:
        return np.full(n, fill, dtype="datetime64[D]")
    arr = pd.to_datetime(pd.Series(list(values) if not isinstance(values, pd.Series) else values.to_numpy()),
                         errors="coerce").to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if arr.shape != (n,):
        raise BadValueError(f"{arr.size} dates pour {n} commerciaux", "hire_dates")
    return np.where(np.isnat(arr), fill, arr)


def presence(hire_dates, year: int, end_dates=None, n: int | None = None) -> np.ndarray:
    """Share of each month worked (reps × 12): calendar days from the hire day to the leaving day
    (both included) over the days of the month; 1 without dates.

    Examples
    --------
    Personio (support article 115002403225, « tous les jours du mois »): 17/31 of January for an
    entry on 15 January, 14/28 of February, 16/30 of April.

    >>> p = presence(["2025-01-15", "2025-02-15", "2025-04-15"], 2025)
    >>> [round(float(2800 * p[i, m]), 2) for i, m in ((0, 0), (1, 1), (2, 3))]
    [1535.48, 1400.0, 1493.33]
    """
    if n is None:
        n = len(hire_dates) if hire_dates is not None else len(end_dates)
    start = np.datetime64(f"{int(year):04d}-01", "M") + np.arange(12)
    first = start.astype("datetime64[D]")
    last = (start + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    hire = _dates(hire_dates, n, np.datetime64("1900-01-01"))
    end = _dates(end_dates, n, np.datetime64("2999-12-31"))
    lo = np.maximum(first[None, :], hire[:, None])
    hi = np.minimum(last[None, :], end[:, None])
    worked = np.clip((hi - lo).astype(np.int64) + 1, 0, None)
    days = ((last - first).astype(np.int64) + 1)[None, :]
    return worked / days


def _grid_or_zero(x: np.ndarray, thresholds, amounts) -> np.ndarray:
    """Step grid with NaN (no attainment) → 0 and an empty grid → 0."""
    if not thresholds:
        return np.zeros_like(x)
    missing = np.isnan(x)
    safe = np.where(missing, thresholds[0] - 1.0, x)
    return np.where(missing, 0.0, np.asarray(bonus(safe, thresholds, amounts, "step"), dtype=float))


def _period_cumsum(values: np.ndarray, months) -> np.ndarray:
    """Period-to-date sums, each row on its own period (``months``: one int, or one per row)."""
    r = values.shape[0]
    months = np.broadcast_to(np.asarray(months, dtype=int), (r,))
    out = np.empty_like(values)
    for m in np.unique(months):
        rows = months == m
        out[rows] = values[rows].reshape(-1, 12 // m, m).cumsum(axis=2).reshape(-1, 12)
    return out


def _rep_plans(plan, n: int) -> tuple[list[CommissionPlan], np.ndarray]:
    """The distinct plans and, per rep, the index of their plan in that list.

    ``plan``: one plan (or dict) for every rep, or a sequence of them, one per rep."""
    if isinstance(plan, (CommissionPlan, Mapping)):
        one = plan if isinstance(plan, CommissionPlan) else CommissionPlan.from_mapping(plan)
        return [one], np.zeros(n, dtype=int)
    per_rep = [p if isinstance(p, CommissionPlan) else CommissionPlan.from_mapping(p) for p in plan]
    if len(per_rep) != n:
        raise BadValueError(f"{len(per_rep)} plans pour {n} commerciaux", "plan")
    distinct: list[CommissionPlan] = []
    which = np.zeros(n, dtype=int)
    for i, p in enumerate(per_rep):
        if p not in distinct:
            distinct.append(p)
        which[i] = distinct.index(p)
    return distinct or [CommissionPlan()], which


def _team_codes(teams, n: int) -> tuple[np.ndarray, int]:
    """Integer code per rep (−1: no team) and the number of teams."""
    if teams is None:
        return np.full(n, -1), 0
    labels = pd.Series(list(teams), dtype=object).map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    if len(labels) != n:
        raise BadValueError(f"{len(labels)} équipes pour {n} commerciaux", "teams")
    codes, uniques = pd.factorize(labels.where(labels != "", None))
    return codes, len(uniques)


def compute_pay(plan: CommissionPlan | Sequence[CommissionPlan], base_amounts, targets, base_salary, hire_dates=None,
                year: int | None = None, *, end_dates=None, teams=None, reps: Sequence | None = None) -> PayResult:
    """Pay of a sales team for a year: commission, draw, bonuses, fixed pay, gross, employer cost.

    Parameters
    ----------
    plan : CommissionPlan, or sequence of CommissionPlan
        One plan for the whole team, or one plan per rep (same order as the rows of
        ``base_amounts``; dicts of :func:`xlsales.io.commission_plans` are accepted too). With one
        plan per rep, each rep's tiers and mode, period, gate, cap, accelerator, draw, bonus grid,
        team-bonus grid and split, and charge rate are those of their own plan.
    base_amounts : array_like, shape (reps, 12)
        Commission base of each month (CA, marge or encaissé), ≥ 0.
    targets : array_like, shape (reps, 12)
        Monthly targets as set for a full month (prorated here for partial months); 0 = none.
    base_salary : array_like, shape (reps,)
        Annual gross fixed pay (monthly fixed = annual / 12).
    hire_dates, end_dates : sequence of dates, optional
        Hire and leaving dates (None / NaT: present all year).
    year : int
        The calendar year of the 12 months (needed for the days of each month).
    teams : sequence of str, optional
        Team of each rep, for the team bonus (empty: no team).
    reps : sequence, optional
        Rep codes, kept in the result.

    Returns
    -------
    PayResult
        Arrays (reps × 12) named in :data:`FIELDS`; ``.to_frame()`` and ``.totals()``.

    Notes
    -----
    Reps on different plans in one team (as the workbook's « Calcul » computes it, by ``SUMIFS``
    over the team's rows whatever their plan):

    * the team's attainment pools every member of the team: the sum of their period-to-date bases
      (each member's period being that of their own plan) over the sum of their targets;
    * each member's team bonus comes from the team-bonus grid of *their* plan, paid in the last
      month of *their* period, split by *their* plan's rule: *parts égales* = that amount / the
      members of the team present that month (all plans), *prorata du fixe* = that amount × the
      member's fixed pay of the month / the fixed pay of the whole team that month, *par
      commercial* = that amount.

    The computation stays vectorised: the reps are grouped by plan (one numpy pass per distinct
    plan for the grids), the other rules use one parameter per rep.

    Examples
    --------
    The progressive grid of commmarketingmuc.com (article 31165536): 0 / 5 000 / 8 000 / 10 000 €
    at 3 / 4 / 6 / 8 %, 9 500 € of revenue in January → 5 000 × 3 % + 3 000 × 4 % + 1 500 × 6 %.

    >>> plan = CommissionPlan([0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08])
    >>> pay = compute_pay(plan, [[9500] + [0] * 11], [[0] * 12], [24000], year=2026)
    >>> [float(a[0, 0]) for a in (pay.commission, pay.fixed, pay.gross, pay.employer_cost)]
    [360.0, 2000.0, 2360.0, 3351.2]

    Two reps of one team on two plans: the senior's 5 % of the month, the junior's 8 % with a team
    bonus of 600 € shared equally when the team reaches its target. The team's January,
    9 000 + 3 000 = 12 000 € for 10 000 € of targets, is 120 %: the junior gets 600 / 2 members.

    >>> senior = CommissionPlan([0], [0.05])
    >>> junior = CommissionPlan([0], [0.08], team_bonus_thresholds=[1.0], team_bonus_amounts=[600], charge_rate=0.3)
    >>> pay = compute_pay([senior, junior], [[9000] * 12, [3000] * 12], [[6000] * 12, [4000] * 12], [0, 0],
    ...                   year=2026, teams=["Nord", "Nord"])
    >>> pay.commission[:, 0].tolist(), pay.team_attainment[:, 0].tolist(), pay.team_bonus[:, 0].tolist()
    ([450.0, 240.0], [1.2, 1.2], [0.0, 300.0])
    >>> pay.employer_cost[:, 0].tolist()  # 450 × 1.42 and 540 × 1.3
    [639.0, 702.0]
    """
    if year is None:
        raise BadValueError("l'année est nécessaire (jours de chaque mois)", "year")
    x = np.asarray(base_amounts, dtype=float)
    if x.ndim != 2 or x.shape[1] != 12:
        raise BadValueError(f"une grille commerciaux × 12 mois est attendue, pas {x.shape}", "base_amounts")
    n = x.shape[0]
    plans, which = _rep_plans(plan, n)
    raw_targets = np.asarray(targets, dtype=float)
    if raw_targets.shape != x.shape:
        raise BadValueError(f"objectifs {raw_targets.shape} pour des assiettes {x.shape}", "targets")
    salary = np.asarray(base_salary, dtype=float).reshape(-1)
    if salary.shape != (n,):
        raise BadValueError(f"{salary.size} salaires pour {n} commerciaux", "base_salary")
    x = np.nan_to_num(x)
    raw_targets = np.nan_to_num(raw_targets)
    salary = np.nan_to_num(salary)

    def per_rep(get, dtype=float) -> np.ndarray:
        """One parameter per rep (column vector), from each rep's plan."""
        return np.array([get(p) for p in plans], dtype=dtype)[which][:, None]

    def by_plan(out: np.ndarray, compute) -> np.ndarray:
        """Fill ``out`` plan by plan: ``compute(plan, rows)`` gives the rows of the reps on that plan."""
        for k, p in enumerate(plans):
            rows = which == k
            if rows.any():
                out[rows] = compute(p, rows)
        return out

    p = presence(hire_dates, year, end_dates, n)
    fixed = excel_round(salary[:, None] / 12 * p, 2)
    target = excel_round(raw_targets * p, 2)

    months = per_rep(lambda q: q.months, int)
    month = np.arange(1, 13)[None, :]
    period_start = np.broadcast_to((month - (month - 1) % months) == month, (n, 12))  # first month of a period
    period_end = np.broadcast_to(month % months == 0, (n, 12))
    cum_base = _period_cumsum(x, months[:, 0])
    cum_target = _period_cumsum(target, months[:, 0])
    has_target = cum_target > 0
    with np.errstate(all="ignore"):
        attainment = np.where(has_target, excel_round(cum_base / np.where(has_target, cum_target, 1.0), 4), np.nan)
    gate_ok = ~has_target | (np.nan_to_num(attainment, nan=np.inf) >= per_rep(lambda q: q.gate))

    grid = by_plan(np.zeros((n, 12)), lambda q, rows: np.asarray(q.grid_commission(cum_base[rows]), dtype=float))
    above = has_target & (cum_base > cum_target)
    at_target = np.where(above, by_plan(np.zeros((n, 12)), lambda q, rows: np.asarray(
        q.grid_commission(cum_target[rows]), dtype=float)), grid)
    extra = (per_rep(lambda q: q.accelerator) - 1.0) * (grid - at_target)
    after_gate = np.where(gate_ok, grid + extra, 0.0)
    capped = np.minimum(after_gate, per_rep(lambda q: q.cap or np.inf))
    due_cum = excel_round(capped, 2)
    previous = np.zeros_like(due_cum)
    previous[:, 1:] = due_cum[:, :-1]
    previous[period_start] = 0.0
    monthly = excel_round(due_cum - previous, 2)

    draw = excel_round(per_rep(lambda q: q.draw) * p, 2)
    recoverable = per_rep(lambda q: q.draw_recoverable, bool)[:, 0]
    topup = np.zeros_like(monthly)
    recovery = np.zeros_like(monthly)
    balance = np.zeros_like(monthly)
    owed = np.zeros(n)
    for m in range(12):
        topup[:, m] = excel_round(np.maximum(0.0, draw[:, m] - monthly[:, m]), 2)
        recovery[:, m] = np.where(recoverable, excel_round(np.minimum(owed, np.maximum(0.0, monthly[:, m] - draw[:, m])), 2), 0.0)
        owed = np.where(recoverable, excel_round(owed + topup[:, m] - recovery[:, m], 2), 0.0)
        balance[:, m] = owed
    paid = excel_round(monthly + topup - recovery, 2)

    rep_bonus = np.where(period_end, by_plan(np.zeros((n, 12)), lambda q, rows: _grid_or_zero(
        attainment[rows], q.bonus_thresholds, q.bonus_amounts)), 0.0)

    codes, n_teams = _team_codes(teams, n)
    team_attainment = np.full_like(monthly, np.nan)
    team_bonus = np.zeros_like(monthly)
    pool_rep = np.zeros_like(monthly)
    if n_teams:
        member = codes >= 0
        idx = codes[member]
        team_base = np.zeros((n_teams, 12))
        team_target = np.zeros((n_teams, 12))
        np.add.at(team_base, idx, cum_base[member])
        np.add.at(team_target, idx, cum_target[member])
        ok = team_target > 0
        with np.errstate(all="ignore"):
            t_att = np.where(ok, excel_round(team_base / np.where(ok, team_target, 1.0), 4), np.nan)
        team_attainment[member] = t_att[idx]
        # each member's team bonus: the grid of their plan, at the end of their period
        pool_rep = np.where(period_end & member[:, None], by_plan(np.zeros((n, 12)), lambda q, rows: _grid_or_zero(
            team_attainment[rows], q.team_bonus_thresholds, q.team_bonus_amounts)), 0.0)
        present = (p > 0) & member[:, None]
        count = np.zeros((n_teams, 12))
        np.add.at(count, idx, present[member].astype(float))
        total_fixed = np.zeros((n_teams, 12))
        np.add.at(total_fixed, idx, fixed[member])
        members_present = np.ones_like(monthly)
        team_fixed = np.zeros_like(monthly)
        members_present[member] = count[idx]
        team_fixed[member] = total_fixed[idx]
        split = per_rep(lambda q: q.team_bonus_split, object)
        with np.errstate(all="ignore"):
            equal = pool_rep / np.where(members_present > 0, members_present, 1.0)
            salary_share = np.where(team_fixed > 0, pool_rep * fixed / np.where(team_fixed > 0, team_fixed, 1.0), 0.0)
        share = np.where(split == "equal", equal, np.where(split == "salary", salary_share, pool_rep))
        team_bonus = np.where(present, excel_round(share, 2), 0.0)

    gross = excel_round(fixed + paid + rep_bonus + team_bonus, 2)
    employer = excel_round(gross * (1 + per_rep(lambda q: q.charge_rate)), 2)
    arrays = {
        "presence": p, "base": x, "target": target, "cum_base": cum_base, "cum_target": cum_target,
        "attainment": attainment, "gate_ok": gate_ok, "grid_commission": grid, "grid_commission_at_target": at_target,
        "accelerator_extra": extra, "commission_after_gate": after_gate, "commission_due_cum": due_cum,
        "commission": monthly, "draw": draw, "draw_topup": topup, "draw_recovery": recovery, "commission_paid": paid,
        "draw_balance": balance, "bonus": rep_bonus, "team_attainment": team_attainment, "fixed": fixed,
        "team_pool": pool_rep, "team_bonus": team_bonus, "gross": gross, "employer_cost": employer,
    }
    return PayResult(int(year), list(reps) if reps is not None else list(range(n)), arrays)
