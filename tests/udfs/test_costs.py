"""Coûts et rentabilité (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import tolerance
from xlsales import udfs
from xlsales.udfs.costs import (
    BREAKEVEN,
    BREAKEVEN_DATE,
    BREAKEVEN_DAYS,
    BREAKEVEN_QTY,
    CONTRIBUTION_MARGIN,
    OPERATING_LEVERAGE,
    ROI,
    SAFETY_INDEX,
    SAFETY_MARGIN,
)

JAN_1_2026 = 46023.0  # Excel serial
QUARTERS_COLUMN = [[120000], [150000], [260000], [60000]]


def test_registered_under_excel_and_lower_case_names():
    for name in ("BREAKEVEN", "BREAKEVEN_DAYS", "BREAKEVEN_DATE", "ROI", "OPERATING_LEVERAGE"):
        assert getattr(udfs, name) is getattr(udfs, name.lower())
    assert udfs.BREAKEVEN is BREAKEVEN


def test_studi_example_through_cells(worked):
    # https://ressources.studi.fr/contenus/opale/92fd05433381e53edcf61daa7edb045816d52540/co/indice-securite.html
    ex = worked("marge_indice_securite_studi")
    ca, rate, cf = ex["inputs"]["CA"], ex["inputs"]["taux_mcv"], ex["inputs"]["CF"]
    cv = ca * (1 - rate)
    sr = BREAKEVEN(cf, ca, cv)
    assert sr == pytest.approx(ex["expected"]["SR"], abs=0.01)
    assert SAFETY_MARGIN(ca, sr) == pytest.approx(ex["expected"]["MS"], abs=0.01)
    assert SAFETY_INDEX(ca, sr) * 100 == pytest.approx(ex["expected"]["IS_pct"], abs=0.005)
    assert OPERATING_LEVERAGE(ca, cv, cf) == pytest.approx(2.325, abs=5e-4)
    assert CONTRIBUTION_MARGIN(ca, cv) == pytest.approx(1316000)


def test_french_text_numbers():
    # https://public.iutenligne.net/gestion/gestion-financiere/leygonie/analyse_financiere_td/TD6-LE-SEUIL-DE-RENTABILITE/EXERCICE1/corrige1.html
    assert BREAKEVEN("62 500", "375 000 €", "281 250") == pytest.approx(250000)
    assert BREAKEVEN_DAYS("62 500", "375 000", "281 250", "365", None) == pytest.approx(243.333, abs=1e-3)
    assert ROI("5 000", "2 000,00") == pytest.approx(1.5)


def test_column_of_scenarios_with_per_row_errors():
    result = BREAKEVEN([[62500], [100], [100], [100]], [[375000], [0], [400], ["abc"]], [[281250], [0], [400], [0]])
    # "abc" in one cell makes the whole range unreadable: #VALUE! for the call
    assert result == "#VALUE!"
    result = BREAKEVEN([[62500], [100], [100]], [[375000], [0], [400]], [[281250], [0], [400]])
    assert result == [[pytest.approx(250000)], ["#DIV/0!"], ["#NUM!"]]
    assert SAFETY_INDEX([[100], [0]], [[20], [0]]) == [[pytest.approx(0.8)], ["#DIV/0!"]]
    assert ROI([[5000, 1000]], [[2000, 0]]) == [[pytest.approx(1.5), "#DIV/0!"]]
    assert OPERATING_LEVERAGE([[1000], [1000]], [[600], [600]], [[200], [400]]) == [[pytest.approx(2.0)], ["#DIV/0!"]]


def test_breakeven_qty():
    # figures of Gualino corrigé 5 (https://nxtbook.com/lextenso-editions/Gualino/978-2-297-25918-7/index.php?startid=78)
    assert BREAKEVEN_QTY(1220, "30,50", 4575 / 300) == pytest.approx(80)
    assert BREAKEVEN_QTY(1220, [[30.5], [10]], [[15.25], [10]]) == [[pytest.approx(80)], ["#NUM!"]]


def test_breakeven_days_defaults_to_360():
    assert BREAKEVEN_DAYS(62500, 375000, 281250) == pytest.approx(240)
    assert BREAKEVEN_DAYS(62500, 375000, 281250, None, None) == pytest.approx(240)
    assert BREAKEVEN_DAYS(62500, 375000, 281250, [[None]], [[None]]) == pytest.approx(240)
    assert BREAKEVEN_DAYS(62500, 375000, 281250, "", "") == pytest.approx(240)
    assert BREAKEVEN_DAYS(62500, 375000, 281250, 365) == pytest.approx(243.333, abs=1e-3)


def test_breakeven_days_seasonal_range(worked):
    # http://ressources.unit.eu/cours/kit-gestion-ingenieur/Chapitre-2/Compta-gestion-ingenieur/ING-P2-03/CHAPITRE-06/Sous-section-6-2-2.html
    ex = worked("point_mort_saisonnier_unit")
    quarters = ex["inputs"]["CA_trimestres"]
    ca = sum(quarters)
    days = BREAKEVEN_DAYS(ex["inputs"]["CF"], ca, ex["inputs"]["taux_CV"] * ca, None, [quarters])
    # published 80 j into Q3 (79.6 rounded)
    assert days - 180 == pytest.approx(ex["expected"]["jours_dans_T3"], abs=tolerance(ex, "jours_dans_T3"))
    # a column of quarters, and quarters typed as French text, give the same
    assert BREAKEVEN_DAYS(100000, 590000, 472000, 360, QUARTERS_COLUMN) == pytest.approx(days)
    assert BREAKEVEN_DAYS(100000, 590000, 472000, 360, [["120 000", "150 000", "260 000", "60 000"]]) == pytest.approx(days)
    # trailing empty cells of the period range are ignored
    assert BREAKEVEN_DAYS(100000, 590000, 472000, 360, QUARTERS_COLUMN + [[None]]) == pytest.approx(days)


def test_breakeven_days_seasonal_errors():
    # quarters that do not add up to the revenue → #N/A
    assert BREAKEVEN_DAYS(100000, 600000, 480000, 360, QUARTERS_COLUMN) == "#N/A"
    # never reached → #NUM!
    assert BREAKEVEN_DAYS(300, 400, 200, None, None) == "#NUM!"
    assert BREAKEVEN_DAYS(300, 400, 200, None, [[100, 100, 100, 100]]) == "#NUM!"
    # an empty cell inside the periods is bad input
    assert BREAKEVEN_DAYS(100, 400, 200, None, [[100, None, 100, 200]]) == "#VALUE!"
    # a column of fixed costs against one seasonal profile: per-row errors
    result = BREAKEVEN_DAYS([[100000], [200000]], 590000, 472000, None, QUARTERS_COLUMN)
    assert result[0][0] == pytest.approx(259.6, abs=0.05)
    assert result[1] == ["#NUM!"]


def test_breakeven_date_from_serial_datetime_or_text(worked):
    ex = worked("point_mort_saisonnier_unit")
    quarters = [ex["inputs"]["CA_trimestres"]]
    expected = JAN_1_2026 + 262  # 20 September 2026 (published "20 septembre")
    assert dt.date(1899, 12, 30) + dt.timedelta(days=expected) == dt.date(2026, 9, 20)
    assert BREAKEVEN_DATE(100000, 590000, 472000, JAN_1_2026, None, quarters) == expected
    assert BREAKEVEN_DATE(100000, 590000, 472000, dt.datetime(2026, 1, 1), None, quarters) == expected
    assert BREAKEVEN_DATE(100000, 590000, 472000, dt.date(2026, 1, 1), None, quarters) == expected
    assert BREAKEVEN_DATE(100000, 590000, 472000, "01/01/2026", None, quarters) == expected
    assert BREAKEVEN_DATE(100000, 590000, 472000, "2026-01-01", None, quarters) == expected
    assert BREAKEVEN_DATE(100000, 590000, 472000, [[JAN_1_2026]], "", quarters) == expected


def test_breakeven_date_360_and_365():
    # 243.33 days from 1 January: 4 September in 30-day months, 1 September in calendar days
    assert BREAKEVEN_DATE(730, 1080, 0, JAN_1_2026) == JAN_1_2026 + 246  # 4 Sept 2026
    assert BREAKEVEN_DATE(730, 1080, 0, JAN_1_2026, None) == JAN_1_2026 + 246
    # 365: 62 500 / 25 % = 250 000 → 243.33 j → 1 January + 243 days = 1 September
    assert BREAKEVEN_DATE(62500, 375000, 281250, JAN_1_2026, 365) == JAN_1_2026 + 243


def test_breakeven_date_errors():
    assert BREAKEVEN_DATE(730, 1080, 0, None) == "#VALUE!"  # the start date is required
    assert BREAKEVEN_DATE(730, 1080, 0, "demain") == "#VALUE!"
    assert BREAKEVEN_DATE(730, 1080, 0, "31/02/2026") == "#VALUE!"
    assert BREAKEVEN_DATE(730, 1080, 0, -3) == "#NUM!"
    assert BREAKEVEN_DATE(2000, 1080, 0, JAN_1_2026) == "#NUM!"  # never reached
    result = BREAKEVEN_DATE([[730], [2000], [0]], 1080, [[0], [0], [1080]], JAN_1_2026)
    assert result == [[JAN_1_2026 + 246], ["#NUM!"], ["#NUM!"]]


def test_descriptions_are_french_then_english():
    for function in (BREAKEVEN, BREAKEVEN_DAYS, BREAKEVEN_DATE, SAFETY_INDEX, ROI):
        assert " — " in function.__doc__
        docs = function.__xlsales_arg_docs__
        assert all(" — " in text for text in docs.values())
