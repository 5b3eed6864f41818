"""Parcours client et tournées, côté tableaux: funnel per channel, delays between stages, cost per
acquisition, and a visiting tour split into working days.

These are the computations of the customer-journey workbook (:mod:`xlsales.macros.journey`), done
with numpy / pandas on the same inputs, so that every formula of the workbook can be checked
against them:

* :func:`funnel_by_group` — :func:`~xlsales.core.journey.funnel` for each channel and for all
  channels together, from the furthest stage each opportunity reached;
* :func:`median_stage_days` — median number of days between two consecutive stages (and from
  the first stage to the last), per channel;
* :func:`channel_summary` — leads, orders, revenue ordered, cost per lead and per acquisition,
  median sales cycle and satisfaction per channel;
* :func:`split_days` and :func:`plan_tour` — the optimised visiting order of
  :func:`~xlsales.core.journey.tour` from a starting point, split into working days ("route
  first, cluster second"): the rep leaves the start every morning and comes back every evening.

Stages are given by their canonical names, in funnel order: ``lead`` (piste), ``contact``,
``meeting`` (rendez-vous), ``quote`` (devis), ``order`` (commande).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._vector import as_float
from .errors import BadValueError, DomainError
from .journey import _haversine, funnel, tour

__all__ = [
    "ALL_CHANNELS",
    "STAGES",
    "DayPlan",
    "TourPlan",
    "channel_summary",
    "funnel_by_group",
    "median_stage_days",
    "plan_tour",
    "reached_counts",
    "split_days",
    "stage_ranks",
]

#: Canonical stages of the funnel, from the top down.
STAGES = ("lead", "contact", "meeting", "quote", "order")

#: Label of the group made of every opportunity, whatever its channel.
ALL_CHANNELS = "Tous canaux"


# --------------------------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------------------------


def stage_ranks(stages, order=STAGES):
    """Rank (1 = first stage) of the furthest stage each opportunity reached.

    Parameters
    ----------
    stages : sequence of str
        Stage names, as in ``order`` (case and surrounding spaces ignored).
    order : sequence of str, default :data:`STAGES`
        The stages from the top of the funnel down.

    Returns
    -------
    ndarray of int
        1 for the first stage, ``len(order)`` for the last.

    Raises
    ------
    BadValueError
        A stage that is not in ``order``.

    Examples
    --------
    >>> stage_ranks(["order", "lead", " Quote "]).tolist()
    [5, 1, 4]
    """
    index = {str(s).strip().lower(): k for k, s in enumerate(order, start=1)}
    ranks = []
    for position, stage in enumerate(stages, start=1):
        key = str(stage).strip().lower()
        if key not in index:
            raise BadValueError(f"étape inconnue à la ligne {position} : {stage!r}", "stages")
        ranks.append(index[key])
    return np.asarray(ranks, dtype=int)


def reached_counts(ranks, n_stages=5):
    """Number of opportunities that reached at least each stage.

    Parameters
    ----------
    ranks : sequence of int
        Furthest stage reached by each opportunity (1-based, as :func:`stage_ranks`).
    n_stages : int, default 5
        Number of stages of the funnel (:data:`STAGES`).

    Returns
    -------
    ndarray of float, shape (n_stages,)
        ``counts[k]`` = number of ranks ≥ k + 1: an opportunity at the quote stage went through
        the lead, contact and meeting stages too, so the counts never increase.

    Notes
    -----
    .. math:: N_k = \\#\\{i : r_i \\ge k\\} = \\sum_{j \\ge k} \\#\\{i : r_i = j\\}

    Examples
    --------
    >>> reached_counts([1, 2, 2, 5, 4]).tolist()
    [5.0, 4.0, 2.0, 2.0, 1.0]
    """
    r = np.asarray(ranks, dtype=int).ravel()
    exact = np.bincount(r, minlength=n_stages + 1)[1 : n_stages + 1]
    return np.cumsum(exact[::-1])[::-1].astype(float)


def funnel_by_group(stages, groups=None, order=STAGES, *, total_label=ALL_CHANNELS):
    """:func:`~xlsales.core.journey.funnel` of each group (channel) and of all opportunities.

    Parameters
    ----------
    stages : sequence of str
        Furthest stage reached by each opportunity (names of ``order``).
    groups : sequence of str, optional
        Group (channel) of each opportunity; empty or missing values belong to no group but
        count in the total.
    order : sequence of str, default :data:`STAGES`
    total_label : str
        Name of the all-opportunities group (last).

    Returns
    -------
    DataFrame
        One row per (group, stage): ``group``, ``stage``, ``count`` (reached at least the
        stage), ``at_stage`` (stopped exactly at the stage), ``step``, ``overall``,
        ``drop_off`` as :func:`~xlsales.core.journey.funnel` (``nan`` where it divides by 0).
        Groups in order of first appearance, then the total.

    Notes
    -----
    Step conversion :math:`N_k / N_{k-1}`, overall :math:`N_k / N_1`, drop-off
    :math:`1 - N_k / N_{k-1}`.

    Examples
    --------
    >>> t = funnel_by_group(["order", "lead", "quote", "lead"], ["Web", "Web", "Salon", "Salon"])
    >>> t[t.group == "Web"]["count"].tolist(), t[t.group == "Web"]["step"].tolist()
    ([2.0, 1.0, 1.0, 1.0, 1.0], [1.0, 0.5, 1.0, 1.0, 1.0])
    >>> t[t.group == "Tous canaux"]["overall"].round(2).tolist()
    [1.0, 0.5, 0.5, 0.5, 0.25]
    """
    ranks = stage_ranks(stages, order)
    labels = _group_labels(groups, ranks.size)
    names = [g for g in dict.fromkeys(labels) if g]
    frames = []
    for name in names + [total_label]:
        mask = np.ones(ranks.size, bool) if name == total_label else (labels == name)
        counts = reached_counts(ranks[mask], len(order))
        table = funnel(counts) if counts[0] > 0 else np.column_stack([counts] + [np.full(len(order), np.nan)] * 3)
        exact = np.bincount(ranks[mask], minlength=len(order) + 1)[1:].astype(float)
        frames.append(pd.DataFrame({
            "group": name, "stage": list(order), "count": table[:, 0], "at_stage": exact,
            "step": table[:, 1], "overall": table[:, 2], "drop_off": table[:, 3],
        }))
    return pd.concat(frames, ignore_index=True)


def _group_labels(groups, n):
    if groups is None:
        return np.full(n, "", dtype=object)
    labels = np.array(["" if (g is None or (isinstance(g, float) and np.isnan(g))) else str(g).strip()
                       for g in groups], dtype=object)
    if labels.size != n:
        raise BadValueError("une valeur de groupe par opportunité est attendue", "groups")
    return labels


# --------------------------------------------------------------------------------------------
# Delays
# --------------------------------------------------------------------------------------------


def median_stage_days(dates, groups=None, *, total_label=ALL_CHANNELS):
    """Median number of days between consecutive stages, and from the first stage to the last.

    Parameters
    ----------
    dates : array_like of datetime64, shape (n, s)
        Date at which each opportunity reached each stage (``NaT`` when unknown or not reached).
    groups : sequence of str, optional
        Group (channel) of each opportunity.
    total_label : str
        Name of the all-opportunities group (last row).

    Returns
    -------
    DataFrame
        Index: the groups then ``total_label``; columns ``1`` … ``s − 1`` (median days from stage
        k − 1 to stage k, 0-based k) and ``"cycle"`` (first stage to last stage). An
        opportunity counts in a median only when both its dates are known; ``nan`` when none.

    Notes
    -----
    The median of an even number of delays is the mean of the two middle ones (what the
    workbook's ``AGGREGATE(16, 6, …, 0.5)``, i.e. ``PERCENTILE.INC(…, 0.5)``, gives).

    Examples
    --------
    >>> d = np.array([["2025-01-01", "2025-01-04", "2025-01-10"],
    ...               ["2025-01-02", "2025-01-12", "NaT"],
    ...               ["2025-01-03", "2025-01-04", "2025-01-08"]], dtype="datetime64[D]")
    >>> median_stage_days(d, ["A", "A", "B"]).round(1).to_dict("index")["A"]
    {1: 6.5, 2: 6.0, 'cycle': 9.0}
    """
    d = np.asarray(dates, dtype="datetime64[D]")
    if d.ndim != 2 or d.shape[1] < 2:
        raise BadValueError("une date par étape (au moins deux étapes) est attendue", "dates")
    days = d.astype("int64").astype(float)
    days[np.isnat(d)] = np.nan
    labels = _group_labels(groups, d.shape[0])
    names = [g for g in dict.fromkeys(labels) if g]
    deltas = {k: days[:, k] - days[:, k - 1] for k in range(1, d.shape[1])}
    deltas["cycle"] = days[:, -1] - days[:, 0]
    rows = {}
    for name in names + [total_label]:
        mask = np.ones(d.shape[0], bool) if name == total_label else (labels == name)
        rows[name] = {k: _median(v[mask]) for k, v in deltas.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _median(values):
    values = values[~np.isnan(values)]
    return float(np.median(values)) if values.size else np.nan


# --------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------


def channel_summary(opportunities: pd.DataFrame, spend=None, *, total_label=ALL_CHANNELS):
    """Leads, orders and costs of acquisition per channel.

    Parameters
    ----------
    opportunities : DataFrame
        Columns ``channel``, ``stage`` (canonical names), ``date_lead`` … ``date_order``,
        ``amount`` (expected or ordered, HT) and ``satisfaction`` (survey mark, /10), the last
        ones optional.
    spend : mapping channel → float, optional
        Acquisition spending per channel (salons, advertising, prospecting time…); a channel
        without spending has ``nan`` costs.

    Returns
    -------
    DataFrame
        Index: the channels (order of first appearance) then ``total_label``. Columns:
        ``leads``, ``orders``, ``conversion`` (orders / leads), ``revenue`` (amounts of the
        orders), ``average_order`` (revenue / orders), ``spend``, ``cost_per_lead`` (spend /
        leads), ``cost_per_acquisition`` (spend / orders), ``spend_to_revenue`` (spend /
        revenue), ``cycle_days`` (median days from lead to order), ``satisfaction`` (mean
        mark) and ``answers`` (marks given). Total spend is the sum of the channels' spending
        (``nan`` when none is given).

    Notes
    -----
    .. math:: CPA = \\frac{\\text{dépenses d'acquisition du canal}}{\\text{commandes du canal}}

    the coût d'acquisition client of :func:`~xlsales.core.customers.acquisition_cost` measured
    per channel.

    Examples
    --------
    >>> o = pd.DataFrame({"channel": ["Salon", "Salon", "Web"], "stage": ["order", "quote", "order"],
    ...                   "amount": [1000.0, 500.0, 300.0]})
    >>> s = channel_summary(o, {"Salon": 1200.0})
    >>> s.loc["Salon", ["leads", "orders", "revenue", "cost_per_acquisition", "cost_per_lead"]].tolist()
    [2.0, 1.0, 1000.0, 1200.0, 600.0]
    >>> s.loc["Tous canaux", ["orders", "spend", "cost_per_acquisition"]].tolist()
    [2.0, 1200.0, 600.0]
    """
    o = opportunities
    ranks = stage_ranks(o["stage"])
    labels = _group_labels(o.get("channel", None), len(o))
    names = [g for g in dict.fromkeys(labels) if g]
    amount = as_float(o["amount"], "amount") if "amount" in o else np.zeros(len(o))
    marks = as_float(o["satisfaction"], "satisfaction") if "satisfaction" in o else np.full(len(o), np.nan)
    date_cols = ["date_" + s for s in STAGES]
    if all(c in o for c in date_cols):
        cycle = median_stage_days(o[date_cols].to_numpy(dtype="datetime64[ns]"), labels)["cycle"]
    else:
        cycle = pd.Series(np.nan, index=names + [total_label])
    spend = dict(spend or {})
    rows = {}
    for name in names + [total_label]:
        mask = np.ones(len(o), bool) if name == total_label else (labels == name)
        won = mask & (ranks == len(STAGES))
        leads, orders = float(mask.sum()), float(won.sum())
        revenue = float(np.nansum(amount[won]))
        if name == total_label:
            given = [float(v) for k, v in spend.items() if k in names and v is not None and not np.isnan(float(v))]
            cost = float(sum(given)) if given else np.nan
        else:
            value = spend.get(name)
            cost = np.nan if value is None else float(value)
        if not np.isnan(cost) and cost < 0:
            raise DomainError(f"dépense négative pour le canal {name!r}", "spend")
        answered = mask & ~np.isnan(marks)
        rows[name] = {
            "leads": leads, "orders": orders, "conversion": _div(orders, leads), "revenue": revenue,
            "average_order": _div(revenue, orders), "spend": cost, "cost_per_lead": _div(cost, leads),
            "cost_per_acquisition": _div(cost, orders), "spend_to_revenue": _div(cost, revenue),
            "cycle_days": float(cycle[name]), "satisfaction": float(marks[answered].mean()) if answered.any() else np.nan,
            "answers": float(answered.sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _div(a, b):
    return a / b if b and not np.isnan(a) else np.nan


# --------------------------------------------------------------------------------------------
# Tour split into days
# --------------------------------------------------------------------------------------------


class DayPlan(NamedTuple):
    """Stops of a tour (in visiting order) assigned to working days."""

    day: np.ndarray  #: day number of each stop (1, 2, …)
    travel_km: np.ndarray  #: leg driven to reach the stop: from the previous stop, or from the start on a new day
    travel_minutes: np.ndarray  #: ``travel_km`` × minutes per km
    end_minutes: np.ndarray  #: minutes since the day's departure when the visit ends
    return_km: np.ndarray  #: way back to the start after the stop when it is the day's last, else 0
    day_end_minutes: np.ndarray  #: minutes since departure when back at the start (day's last stop), else nan


def split_days(leg_km, start_km, visit_minutes, minutes_per_km, day_minutes):
    """Split a visiting order into working days that leave from and return to the start.

    Parameters
    ----------
    leg_km : sequence of float
        Distance from the previous stop to each stop, in visiting order (the first from the start).
    start_km : sequence of float
        Distance from the start to each stop.
    visit_minutes : sequence of float
        Duration of each visit.
    minutes_per_km : float
        Driving time per km of ``leg_km`` (road factor / speed × 60).
    day_minutes : float
        Working time of a day: driving and visits, from the departure to the return.

    Returns
    -------
    DayPlan

    Notes
    -----
    Greedy, in the order given: the next stop stays on the current day when the day can still
    end in time after it,

    .. math:: T_{i-1} + (d_{i-1,i} + d_{0,i}) \\cdot m + v_i \\le L,

    where :math:`T_{i-1}` is the time at the end of the previous visit, :math:`d_{0,i}` the way
    back to the start, :math:`m` minutes per km and :math:`L` the working time; otherwise a new
    day begins at the start: :math:`T_i = d_{0,i} \\cdot m + v_i`. A stop too far to fit in a day
    alone gets a day of its own (which runs over). This is the "route first, cluster second"
    method (Beasley, 1983): one optimised circuit, cut into day trips.

    Examples
    --------
    Three stops 30 km apart on a line from the start, 1 minute per km, visits of 60 minutes and
    a 4-hour day: the first two fit (30 + 60 + 30 + 60 + 60 back = 240), the third goes to day 2.

    >>> p = split_days([30, 30, 30], [30, 60, 90], [60, 60, 60], 1.0, 240)
    >>> p.day.tolist(), p.travel_km.tolist(), p.return_km.tolist(), p.end_minutes.tolist()
    ([1, 1, 2], [30.0, 30.0, 90.0], [0.0, 60.0, 90.0], [90.0, 180.0, 150.0])
    """
    leg = as_float(leg_km, "leg_km").ravel()
    home = as_float(start_km, "start_km").ravel()
    visit = as_float(visit_minutes, "visit_minutes").ravel()
    if not (leg.size == home.size == visit.size):
        raise BadValueError("une distance et une durée par arrêt sont attendues", "leg_km")
    m, limit = float(minutes_per_km), float(day_minutes)
    n = leg.size
    day = np.zeros(n, dtype=int)
    travel = np.zeros(n)
    end = np.zeros(n)
    for i in range(n):
        if i > 0 and end[i - 1] + (leg[i] + home[i]) * m + visit[i] <= limit:
            day[i], travel[i] = day[i - 1], leg[i]
            end[i] = end[i - 1] + leg[i] * m + visit[i]
        else:
            day[i] = day[i - 1] + 1 if i > 0 else 1
            travel[i] = home[i]
            end[i] = home[i] * m + visit[i]
    last = np.ones(n, bool)
    last[:-1] = day[1:] != day[:-1]
    back = np.where(last, home, 0.0)
    day_end = np.where(last, end + back * m, np.nan)
    return DayPlan(day, travel, travel * m, end, back, day_end)


class TourPlan(NamedTuple):
    """A tour from a start point, in visiting order, split into days."""

    order: np.ndarray  #: 0-based indices of the stops (into the inputs), in visiting order
    leg_km: np.ndarray  #: distance from the previous stop (the first from the start), visiting order
    start_km: np.ndarray  #: distance from the start, visiting order
    circuit_km: float  #: length of the single round trip through every stop (TOUR)
    days: DayPlan


def plan_tour(latitudes, longitudes, visit_minutes, start_latitude, start_longitude, *, speed_kmh=60.0,
              road_factor=1.3, day_minutes=480.0):
    """Optimised visiting order of customers from a start point, split into working days.

    Parameters
    ----------
    latitudes, longitudes : sequence of float
        Coordinates of the customers to visit (decimal degrees).
    visit_minutes : sequence of float
        Duration of each visit.
    start_latitude, start_longitude : float
        The start (home, agency), where every day begins and ends.
    speed_kmh : float, default 60
        Mean driving speed on the road.
    road_factor : float, default 1.3
        Road distance / great-circle distance (roads are typically 20 % to 40 % longer).
    day_minutes : float, default 480
        Working time per day (driving and visits).

    Returns
    -------
    TourPlan
        The order of :func:`~xlsales.core.journey.tour` over the start and the customers (a
        round trip from the start, optimal up to 11 customers), great-circle distances as
        :func:`~xlsales.core.journey.distance_km`, and :func:`split_days` with
        ``minutes_per_km = road_factor / speed_kmh × 60``.

    Raises
    ------
    DomainError
        Speed or road factor ≤ 0, negative working time or visit.

    Examples
    --------
    Three customers at the corners of a 1° square whose fourth corner is the start, on the
    equator; 1° of a great circle is 111.195 km, driven in 60 minutes at 111.195 km/h; visits
    of 60 minutes, 6-hour days. The round trip goes round the square (4 sides, the north one
    slightly shorter); the third customer does not fit in the first day
    (240 + 60 + 60 + 60 back > 360):

    >>> p = plan_tour([0, 1, 1], [1, 1, 0], [60] * 3, 0, 0, speed_kmh=111.19492664455873,
    ...               road_factor=1, day_minutes=360)
    >>> p.order.tolist(), round(p.circuit_km, 3), p.days.day.tolist()
    ([2, 1, 0], 444.763, [1, 1, 2])
    >>> p.days.end_minutes.round(2).tolist(), p.days.return_km.round(3).tolist()
    ([120.0, 239.99, 120.0], [0.0, 157.249, 111.195])
    """
    lat = as_float(latitudes, "latitudes").ravel()
    lon = as_float(longitudes, "longitudes").ravel()
    visit = as_float(visit_minutes, "visit_minutes").ravel()
    if not (lat.size == lon.size == visit.size):
        raise BadValueError("une latitude, une longitude et une durée par client sont attendues", "latitudes")
    if speed_kmh <= 0 or road_factor <= 0:
        raise DomainError("la vitesse et le coefficient routier doivent être positifs", "speed_kmh")
    if day_minutes < 0 or np.any(visit < 0):
        raise DomainError("durées négatives", "visit_minutes")
    if lat.size == 0:
        empty = np.zeros(0)
        return TourPlan(np.zeros(0, dtype=int), empty, empty, 0.0, split_days(empty, empty, empty, 1.0, day_minutes))
    result = tour(np.r_[start_latitude, lat], np.r_[start_longitude, lon], start_index=1, return_to_start=True)
    order = np.asarray(result.order[1:], dtype=int) - 2
    path_lat = np.r_[start_latitude, lat[order]]
    path_lon = np.r_[start_longitude, lon[order]]
    leg = _haversine(path_lat[:-1], path_lon[:-1], path_lat[1:], path_lon[1:])
    home = _haversine(start_latitude, start_longitude, lat[order], lon[order])
    days = split_days(leg, home, visit[order], road_factor / speed_kmh * 60.0, day_minutes)
    return TourPlan(order, leg, home, float(result.length), days)
