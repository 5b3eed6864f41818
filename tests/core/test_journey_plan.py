"""Journey core: funnel per channel, delays between stages, cost per acquisition, tour split into days.

Expected values are worked out by hand in the comments, or come from the catalogue functions
(FUNNEL, DISTANCE_KM, TOUR, ACQUISITION_COST) and from brute force over every visiting order."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from xlsales.core import acquisition_cost, distance_km
from xlsales.core.errors import BadValueError, DomainError
from xlsales.core.journey_plan import (
    ALL_CHANNELS,
    STAGES,
    channel_summary,
    funnel_by_group,
    median_stage_days,
    plan_tour,
    reached_counts,
    split_days,
    stage_ranks,
)

D = np.datetime64


# ------------------------------------------------------------------------------------------------
# funnel
# ------------------------------------------------------------------------------------------------

def test_stage_ranks_and_unknown_stage():
    assert stage_ranks(["lead", "ORDER", "meeting"]).tolist() == [1, 5, 3]
    with pytest.raises(BadValueError, match="ligne 2"):
        stage_ranks(["lead", "won"])


def test_reached_counts_by_hand():
    # ranks 1,1,2,3,3,3,5: at least lead 7, contact 5, meeting 4, quote 1, order 1
    assert reached_counts([1, 1, 2, 3, 3, 3, 5]).tolist() == [7.0, 5.0, 4.0, 1.0, 1.0]
    assert reached_counts([]).tolist() == [0.0] * 5


def test_funnel_by_group_by_hand():
    stages = ["order", "quote", "lead", "contact", "order", "meeting", "lead", "quote"]
    channels = ["Salon", "Salon", "Salon", "Web", "Web", "Web", None, ""]
    t = funnel_by_group(stages, channels).set_index(["group", "stage"])
    assert list(dict.fromkeys(t.index.get_level_values(0))) == ["Salon", "Web", ALL_CHANNELS]
    # Salon: ranks 5, 4, 1 → reached 3, 2, 2, 2, 1
    salon = t.loc["Salon"]
    assert salon["count"].tolist() == [3, 2, 2, 2, 1]
    assert salon["at_stage"].tolist() == [1, 0, 0, 1, 1]
    assert salon["step"].tolist() == pytest.approx([1, 2 / 3, 1, 1, 1 / 2])
    assert salon["overall"].tolist() == pytest.approx([1, 2 / 3, 2 / 3, 2 / 3, 1 / 3])
    assert salon["drop_off"].tolist() == pytest.approx([0, 1 / 3, 0, 0, 1 / 2])
    # all 8 (the two without channel included): ranks 5,4,1,2,5,3,1,4 → 8, 6, 5, 4, 2
    total = t.loc[ALL_CHANNELS]
    assert total["count"].tolist() == [8, 6, 5, 4, 2]
    assert total["step"].tolist() == pytest.approx([1, 6 / 8, 5 / 6, 4 / 5, 2 / 4])


def test_funnel_by_group_after_an_empty_stage_is_nan():
    t = funnel_by_group(["lead", "lead"], ["A", "A"])
    t = t[t.group == "A"].set_index("stage")
    assert t["count"].tolist() == [2, 0, 0, 0, 0]
    assert t.loc["contact", "step"] == 0.0 and t.loc["contact", "drop_off"] == 1.0
    assert np.isnan(t.loc["meeting", "step"]) and np.isnan(t.loc["order", "drop_off"])
    assert t.loc["order", "overall"] == 0.0


# ------------------------------------------------------------------------------------------------
# delays
# ------------------------------------------------------------------------------------------------

def test_median_stage_days_by_hand():
    nat = np.datetime64("NaT")
    dates = np.array([
        [D("2025-01-01"), D("2025-01-03"), D("2025-01-13"), nat, nat],          # A: 2, 10
        [D("2025-01-01"), D("2025-01-07"), nat, nat, nat],                        # A: 6
        [D("2025-01-05"), D("2025-01-06"), D("2025-01-08"), D("2025-01-20"), D("2025-02-04")],  # A: 1, 2, 12, 15
        [D("2025-02-01"), nat, D("2025-02-11"), D("2025-02-12"), D("2025-02-14")],  # B: -, -, 1, 2
    ], dtype="datetime64[D]")
    m = median_stage_days(dates, ["A", "A", "A", "B"])
    # A, lead → contact: 2, 6, 1 → 2; contact → meeting: 10, 2 → 6; meeting → quote: 12; quote → order: 15;
    # lead → order: only the third, 30 days
    assert m.loc["A", 1] == 2 and m.loc["A", 2] == 6 and m.loc["A", 3] == 12 and m.loc["A", 4] == 15
    assert m.loc["A", "cycle"] == 30
    assert np.isnan(m.loc["B", 1]) and np.isnan(m.loc["B", 2]) and m.loc["B", 3] == 1 and m.loc["B", "cycle"] == 13
    # all: lead → contact 2, 6, 1 → 2; contact → meeting 10, 2 → 6; meeting → quote 12, 1 → 6.5
    assert m.loc[ALL_CHANNELS, 1] == 2 and m.loc[ALL_CHANNELS, 3] == 6.5 and m.loc[ALL_CHANNELS, "cycle"] == 21.5


def test_median_stage_days_needs_two_stages():
    with pytest.raises(BadValueError):
        median_stage_days(np.array([D("2025-01-01")], dtype="datetime64[D]"))


# ------------------------------------------------------------------------------------------------
# channels
# ------------------------------------------------------------------------------------------------

def _opps():
    return pd.DataFrame({
        "channel": ["Salon", "Salon", "Salon", "Web", "Web", None],
        "stage": ["order", "order", "quote", "order", "lead", "order"],
        "date_lead": pd.to_datetime(["2025-01-01", "2025-01-10", "2025-01-02", "2025-02-01", "2025-02-03", "2025-03-01"]),
        "date_contact": pd.NaT, "date_meeting": pd.NaT, "date_quote": pd.NaT,
        "date_order": pd.to_datetime(["2025-01-21", "2025-02-09", None, "2025-02-11", None, "2025-03-05"]),
        "amount": [1000.0, 3000.0, 500.0, 800.0, 200.0, 100.0],
        "satisfaction": [8.0, 9.0, np.nan, 6.0, np.nan, 10.0],
    })


def test_channel_summary_by_hand():
    s = channel_summary(_opps(), {"Salon": 2400.0, "Web": 0.0})
    salon = s.loc["Salon"]
    assert salon[["leads", "orders", "revenue", "spend", "answers"]].tolist() == [3, 2, 4000, 2400, 2]
    assert salon["conversion"] == pytest.approx(2 / 3)
    assert salon["average_order"] == 2000
    assert salon["cost_per_acquisition"] == acquisition_cost(2400, 2) == 1200
    assert salon["cost_per_lead"] == 800
    assert salon["spend_to_revenue"] == pytest.approx(0.6)
    assert salon["cycle_days"] == 25  # 20 and 30 days
    assert salon["satisfaction"] == 8.5
    web = s.loc["Web"]
    assert web["cost_per_acquisition"] == 0 and web["cycle_days"] == 10 and web["satisfaction"] == 6
    total = s.loc[ALL_CHANNELS]
    assert total[["leads", "orders", "revenue", "spend"]].tolist() == [6, 4, 4900, 2400]
    assert total["cost_per_acquisition"] == 600 and total["cycle_days"] == 15  # 20, 30, 10, 4
    assert total["satisfaction"] == pytest.approx(33 / 4)


def test_channel_summary_without_spend_or_orders():
    o = _opps()
    s = channel_summary(o[o.channel == "Web"], None)
    assert np.isnan(s.loc["Web", "cost_per_acquisition"]) and np.isnan(s.loc[ALL_CHANNELS, "spend"])
    s = channel_summary(o[o.stage != "order"], {"Salon": 100.0})
    assert s.loc["Salon", "orders"] == 0 and np.isnan(s.loc["Salon", "cost_per_acquisition"])
    assert s.loc["Salon", "cost_per_lead"] == 100
    with pytest.raises(DomainError):
        channel_summary(o, {"Salon": -1.0})


# ------------------------------------------------------------------------------------------------
# days and tours
# ------------------------------------------------------------------------------------------------

def test_split_days_by_hand():
    # 2 minutes per km, 300-minute days, visits of 30 min.
    # stop 1: 20 km from the start → 40 + 30 = 70; stop 2: 10 km further, 25 km from the start:
    # 70 + (10 + 25) × 2 + 30 = 170 ≤ 300 → same day, ends at 70 + 20 + 30 = 120;
    # stop 3: 100 km further, 110 from the start: 120 + 420 + 30 > 300 → day 2, 220 + 30 = 250;
    # stop 4: 5 km further, 108 from the start: 250 + 226 + 30 > 300 → day 3 alone: 216 + 30 = 246,
    # back 108 km → ends at 462, over the day's 300 minutes.
    p = split_days([20, 10, 100, 5], [20, 25, 110, 108], [30, 30, 30, 30], 2.0, 300)
    assert p.day.tolist() == [1, 1, 2, 3]
    assert p.travel_km.tolist() == [20, 10, 110, 108]
    assert p.travel_minutes.tolist() == [40, 20, 220, 216]
    assert p.end_minutes.tolist() == [70, 120, 250, 246]
    assert p.return_km.tolist() == [0, 25, 110, 108]
    assert np.isnan(p.day_end_minutes[0]) and p.day_end_minutes[1:].tolist() == [170, 470, 462]


def test_split_days_edge_cases():
    p = split_days([], [], [], 1.0, 480)
    assert p.day.size == 0
    # a stop at the start itself: no driving, one day
    p = split_days([0.0], [0.0], [60.0], 1.0, 480)
    assert p.day.tolist() == [1] and p.day_end_minutes.tolist() == [60.0]
    with pytest.raises(BadValueError):
        split_days([1.0, 2.0], [1.0], [1.0], 1.0, 480)


def _brute_force(points, start):
    """Shortest round trip from ``start`` through every point, over all orders."""
    best = np.inf
    for order in itertools.permutations(range(len(points))):
        path = [start] + [points[i] for i in order] + [start]
        length = sum(distance_km(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(path))
        best = min(best, length)
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plan_tour_is_the_shortest_round_trip(seed):
    rng = np.random.default_rng(seed)
    lat = 45 + rng.uniform(-0.8, 0.8, 7)
    lon = 4 + rng.uniform(-1.0, 1.0, 7)
    visits = rng.choice([30.0, 45.0, 60.0, 90.0], 7)
    start = (45.1, 3.9)
    p = plan_tour(lat, lon, visits, *start, speed_kmh=70, road_factor=1.25, day_minutes=420)
    assert sorted(p.order.tolist()) == list(range(7))
    assert p.circuit_km == pytest.approx(_brute_force(list(zip(lat, lon)), start), rel=1e-12)
    # legs and distances from the start follow the order (DISTANCE_KM)
    path = [start] + [(lat[i], lon[i]) for i in p.order]
    assert p.leg_km.tolist() == pytest.approx([distance_km(*a, *b) for a, b in itertools.pairwise(path)], rel=1e-12)
    assert p.start_km.tolist() == pytest.approx([distance_km(*start, lat[i], lon[i]) for i in p.order], rel=1e-12)
    assert p.circuit_km == pytest.approx(p.leg_km.sum() + p.start_km[-1], rel=1e-12)
    # days: the split of the order with 1.25 / 70 × 60 minutes per km
    days = split_days(p.leg_km, p.start_km, visits[p.order], 1.25 / 70 * 60, 420)
    assert p.days.day.tolist() == days.day.tolist()
    assert (np.diff(p.days.day) >= 0).all() and p.days.day[0] == 1


def test_plan_tour_small_and_invalid():
    p = plan_tour([], [], [], 45, 4)
    assert p.order.size == 0 and p.circuit_km == 0
    p = plan_tour([45.5], [4.0], [60], 45, 4, speed_kmh=60, road_factor=1, day_minutes=480)
    d = distance_km(45, 4, 45.5, 4.0)
    assert p.order.tolist() == [0] and p.circuit_km == pytest.approx(2 * d)
    assert p.days.day_end_minutes.tolist() == pytest.approx([2 * d + 60])
    with pytest.raises(DomainError):
        plan_tour([45.5], [4.0], [60], 45, 4, speed_kmh=0)
    with pytest.raises(DomainError):
        plan_tour([45.5], [4.0], [-5], 45, 4)
    with pytest.raises(BadValueError):
        plan_tour([45.5, 46], [4.0], [60], 45, 4)


def test_stages_are_the_readers_stages():
    from xlsales.io import STAGE_ORDER

    assert STAGES == STAGE_ORDER
