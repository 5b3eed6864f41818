"""Excel side of FUNNEL, DISTANCE_KM and TOUR: the shapes and values Excel hands over.

With ``ndim=2`` xlwings passes a column as ``[[x], [y]]``, a row as ``[[x, y]]``, an empty cell as
``None``, numbers typed as text as ``str`` and booleans as ``bool``; results are what the cells show.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from xlsales.udfs import journey as udf
from xlsales.udfs._excel import UDF_REGISTRY

R = 6371.0
ONE_DEGREE_KM = 2 * math.pi * R / 360  # one degree of a great circle


def column(values):
    return [[v] for v in values]


def law_of_cosines_km(lat1, lon1, lat2, lon2):
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return R * math.acos(max(-1.0, min(1.0, c)))


def test_registered_with_french_and_english_help():
    for name in ("FUNNEL", "DISTANCE_KM", "TOUR"):
        assert name in UDF_REGISTRY
        assert " — " in UDF_REGISTRY[name].__doc__


# --- FUNNEL ------------------------------------------------------------------------------------


def test_funnel_published_example_spills_table_with_header():
    # https://www.postaffiliatepro.fr/affiliate-tools/conversion-rate-calculator : step rates
    # 40 %, 25 %, 60 %, 50 %.
    out = udf.FUNNEL(column([10000, 4000, 1000, 600, 300]))
    assert out[0] == ["Effectif", "Conversion étape", "Conversion globale", "Déperdition"]
    body = np.array(out[1:], dtype=float)
    assert body.shape == (5, 4)
    np.testing.assert_allclose(body[:, 0], [10000, 4000, 1000, 600, 300])
    np.testing.assert_allclose(body[:, 1], [1, 0.4, 0.25, 0.6, 0.5])
    np.testing.assert_allclose(body[:, 2], [1, 0.4, 0.1, 0.06, 0.03])
    np.testing.assert_allclose(body[:, 3], [0, 0.6, 0.75, 0.4, 0.5])


def test_funnel_text_numbers_row_and_trailing_empty_cells():
    # https://adlunam-agency.com/funnel-conversion-definition : 10 000 -> 2 000 -> 500 -> 100
    out = udf.FUNNEL([["10 000", "2 000", 500.0, "100", None, ""]])
    body = np.array(out[1:], dtype=float)
    np.testing.assert_allclose(body[1:, 1], [0.20, 0.25, 0.20])
    assert body[-1, 2] == pytest.approx(0.01)


def test_funnel_empty_stage_shows_div0_only_where_undefined():
    out = udf.FUNNEL(column([200, 10, 0, 0]))
    assert out[3] == [0.0, 0.0, 0.0, 1.0]
    assert out[4] == [0.0, "#DIV/0!", 0.0, "#DIV/0!"]


@pytest.mark.parametrize(
    "cells, shown",
    [
        (column([100, 120]), "#NUM!"),  # a funnel only narrows
        (column([100, -1]), "#NUM!"),
        (column([0, 0]), "#DIV/0!"),
        (column(["cent", 50]), "#VALUE!"),
        (column([100, None, 20]), "#VALUE!"),  # a gap inside the data
        (None, "#N/A"),
    ],
)
def test_funnel_errors(cells, shown):
    assert udf.FUNNEL(cells) == shown


# --- DISTANCE_KM -------------------------------------------------------------------------------


def test_distance_scalar_published_and_french_text():
    # https://rosettacode.org/wiki/Haversine_formula : BNA -> LAX, R = 6371 km: 2886.444442837983
    assert udf.DISTANCE_KM(36.12, -86.67, 33.94, -118.40) == pytest.approx(2886.444442837983, abs=1e-9)
    assert udf.DISTANCE_KM("36,12", "-86,67", [[33.94]], "-118,4") == pytest.approx(2886.444442837983, abs=1e-9)
    assert udf.DISTANCE_KM(0, 0, 0, 180) == pytest.approx(math.pi * R, rel=1e-12)


def test_distance_over_ranges_keeps_shape_and_marks_bad_rows():
    paris = (48.8567, 2.3508)
    lats, lons = [45.7597, 95.0, 43.2965], [4.8422, 0.0, 5.3698]
    out = udf.DISTANCE_KM(paris[0], paris[1], column(lats), column(lons))
    assert len(out) == 3 and all(len(row) == 1 for row in out)
    assert out[0][0] == pytest.approx(law_of_cosines_km(*paris, lats[0], lons[0]), rel=1e-9)
    assert out[1][0] == "#NUM!"  # latitude 95°
    assert out[2][0] == pytest.approx(law_of_cosines_km(*paris, lats[2], lons[2]), rel=1e-9)


def test_distance_ten_thousand_rows_in_one_call():
    rng = np.random.default_rng(3)
    lat1, lon1 = rng.uniform(-80, 80, 10000), rng.uniform(-180, 180, 10000)
    lat2, lon2 = rng.uniform(-80, 80, 10000), rng.uniform(-180, 180, 10000)
    out = udf.DISTANCE_KM(column(lat1), column(lon1), column(lat2), column(lon2))
    got = np.array(out, dtype=float).ravel()
    expected = [law_of_cosines_km(*args) for args in zip(lat1[:200], lon1[:200], lat2[:200], lon2[:200])]
    np.testing.assert_allclose(got[:200], expected, rtol=1e-7)
    assert got.shape == (10000,)


def test_distance_mismatched_ranges_and_text():
    assert udf.DISTANCE_KM(column([1, 2]), 0, column([1, 2, 3]), 0) == "#N/A"
    assert udf.DISTANCE_KM("Paris", 2.35, 45.76, 4.84) == "#VALUE!"


def test_distance_empty_cell_counts_as_zero_like_excel_arithmetic():
    assert udf.DISTANCE_KM(None, None, 0, 1) == pytest.approx(ONE_DEGREE_KM, rel=1e-12)


# --- TOUR ---------------------------------------------------------------------------------------

EQUATOR_LAT = column([0, 0, 0, 0])
EQUATOR_LON = column([0, 3, 1, 2])  # points at longitudes 0°, 3°, 1°, 2°


def test_tour_defaults_spill_order_then_total():
    out = udf.TOUR(EQUATOR_LAT, EQUATOR_LON, None, None)
    assert [row[0] for row in out[:-1]] == [1, 3, 4, 2]
    assert out[-1][0] == pytest.approx(6 * ONE_DEGREE_KM, rel=1e-12)  # out 3° and back
    assert all(len(row) == 1 for row in out)


@pytest.mark.parametrize("open_flag", [False, "FAUX", "faux", "FALSE", 0])
def test_tour_open_route_from_a_text_index(open_flag):
    out = udf.TOUR(EQUATOR_LAT, EQUATOR_LON, "3", open_flag)
    assert [row[0] for row in out[:-1]] == [3, 1, 4, 2]  # 1° west, then 3° east
    assert out[-1][0] == pytest.approx(4 * ONE_DEGREE_KM, rel=1e-12)


@pytest.mark.parametrize("round_trip", [True, "VRAI", "vrai", "TRUE", 1, None, ""])
def test_tour_round_trip_flags(round_trip):
    out = udf.TOUR(EQUATOR_LAT, EQUATOR_LON, 2.0, round_trip)
    assert out[0][0] == 2
    assert out[-1][0] == pytest.approx(6 * ONE_DEGREE_KM, rel=1e-12)


def test_tour_row_ranges_text_numbers_and_trailing_blanks():
    lat = [["0", "0,0", 0, 0, None]]
    lon = [["0", "3", "1,0", 2, ""]]
    out = udf.TOUR(lat, lon)
    assert [row[0] for row in out[:-1]] == [1, 3, 4, 2]


def test_tour_matches_core_for_forty_points():
    from xlsales.core.journey import tour

    rng = np.random.default_rng(11)
    lat, lon = rng.uniform(43, 49, 40), rng.uniform(-1, 6, 40)
    out = udf.TOUR(column(lat), column(lon), 5, "FAUX")
    expected = tour(lat, lon, 5, False)
    assert [row[0] for row in out[:-1]] == expected.order.tolist()
    assert out[-1][0] == pytest.approx(expected.length)
    idx = expected.order - 1
    legs = [law_of_cosines_km(lat[a], lon[a], lat[b], lon[b]) for a, b in zip(idx[:-1], idx[1:])]
    assert out[-1][0] == pytest.approx(sum(legs), rel=1e-6)


def test_tour_single_point():
    assert udf.TOUR([[45.0]], [[4.8]]) == [[1.0], [0.0]]


@pytest.mark.parametrize(
    "lat, lon, start, flag, shown",
    [
        (column([45, 46, 47]), column([4, 5]), None, None, "#N/A"),
        (column([45, 96]), column([4, 5]), None, None, "#NUM!"),
        (column([45, 46]), column([4, 5]), 0, None, "#NUM!"),
        (column([45, 46]), column([4, 5]), 3, None, "#NUM!"),
        (column([45, 46]), column([4, 5]), 1.5, None, "#NUM!"),
        (column([45, 46]), column([4, 5]), "premier", None, "#VALUE!"),
        (column([45, 46]), column([4, 5]), None, "peut-être", "#VALUE!"),
        (column([45, "Lyon"]), column([4, 5]), None, None, "#VALUE!"),
        (None, None, None, None, "#N/A"),
    ],
)
def test_tour_errors(lat, lon, start, flag, shown):
    assert udf.TOUR(lat, lon, start, flag) == shown
