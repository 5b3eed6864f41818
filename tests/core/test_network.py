"""Partner network core: segments, growth, share of potential, retention dates and alerts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from xlsales.core.network import (
    NO_CONSENT,
    PURGE,
    growth_rate,
    potential_share,
    retention_end,
    retention_start,
    retention_status,
    segment,
)


def test_segment_bounds_are_inclusive():
    assert segment([4.0, 3.999, 3.0, 2.999], 4, 3).tolist() == ["A", "B", "B", "C"]


def test_segment_thresholds_per_partner():
    # a distributor needs 4.5 for A, a customer 4
    assert segment([4.2, 4.2], [4.5, 4.0], [3.5, 3.0]).tolist() == ["B", "A"]


def test_segment_missing_score_is_empty():
    assert segment([np.nan, None, "x"], 4, 3).tolist() == ["", "", ""]


def test_growth_rate_by_hand():
    got = growth_rate([120_000, 80_000, 5_000, 0], [100_000, 100_000, 0, 20_000])
    assert got[0] == pytest.approx(0.2)
    assert got[1] == pytest.approx(-0.2)
    assert np.isnan(got[2])
    assert got[3] == pytest.approx(-1.0)


def test_potential_share_by_hand():
    got = potential_share([211_600, 0, None], [332_200, 140_600, None])
    assert got[0] == pytest.approx(211_600 / 332_200)
    assert got[1] == 0.0
    assert np.isnan(got[2])


def test_retention_start_is_the_latest_known_date():
    got = retention_start(["2025-03-01", "2024-01-01", None, None], ["2024-06-30", "2024-02-01", "2023-05-05", None])
    assert got.astype(str).tolist() == ["2025-03-01", "2024-02-01", "2023-05-05", "NaT"]


def test_retention_end_clamps_to_month_end_like_edate():
    got = retention_end(["2024-02-29", "2023-08-31", None], [None, "2023-01-01", None], [12, 6, 36])
    assert got.astype(str).tolist() == ["2025-02-28", "2024-02-29", "NaT"]


def test_retention_end_with_one_period_for_all():
    got = retention_end(["2022-12-15", "2020-01-01"], ["2021-01-01", "2019-01-01"], 36)
    assert [d.item() for d in got] == [dt.date(2025, 12, 15), dt.date(2023, 1, 1)]


def test_retention_status_purge_wins_over_missing_consent():
    end = ["2025-12-31", "2026-01-01", "2026-06-01", None, "2027-01-01"]
    consent = [None, None, None, None, "2024-01-01"]
    basis = ["consentement", "intérêt légitime", "Consentement", "consentement", "consentement"]
    got = retention_status(end, dt.date(2026, 1, 1), consent, basis).tolist()
    # the last day of the period is still allowed; the day after, the record is to purge
    assert got == [PURGE, "", NO_CONSENT, NO_CONSENT, ""]


def test_retention_status_without_bases():
    assert retention_status(["2020-01-01", "2030-01-01"], "2026-01-01").tolist() == [PURGE, ""]
