"""Coûts et rentabilité (core): breakeven, point mort (days and date), safety, leverage, ROI."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import tolerance
from xlsales.core import costs
from xlsales.core.costs import (
    breakeven,
    breakeven_date,
    breakeven_days,
    breakeven_qty,
    contribution_margin,
    operating_leverage,
    roi,
    safety_index,
    safety_margin,
)
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

EPOCH = dt.date(1899, 12, 30)


def serial(year, month, day):
    return float((dt.date(year, month, day) - EPOCH).days)


def as_date(value):
    return EPOCH + dt.timedelta(days=int(value))


# --------------------------------------------------------------------------------------------
# Worked example "sr_pm_iutenligne_td6_ex1"
# https://public.iutenligne.net/gestion/gestion-financiere/leygonie/analyse_financiere_td/TD6-LE-SEUIL-DE-RENTABILITE/EXERCICE1/corrige1.html
# --------------------------------------------------------------------------------------------


def test_iutenligne_ex1_rate_and_breakeven(worked):
    ex = worked("sr_pm_iutenligne_td6_ex1")
    ca, mcv, cf = ex["inputs"]["CA"], ex["inputs"]["MCV"], ex["inputs"]["charges_fixes"]
    cv = ca - mcv
    assert contribution_margin(ca, cv) == pytest.approx(mcv)
    assert contribution_margin(ca, cv) / ca == pytest.approx(ex["expected"]["taux_mcv"], abs=tolerance(ex, "taux_mcv"))
    assert breakeven(cf, ca, cv) == pytest.approx(
        ex["expected"]["seuil_rentabilite"], abs=tolerance(ex, "seuil_rentabilite")
    )


def test_iutenligne_ex1_point_mort_days_365(worked):
    ex = worked("sr_pm_iutenligne_td6_ex1")
    ca, mcv, cf = ex["inputs"]["CA"], ex["inputs"]["MCV"], ex["inputs"]["charges_fixes"]
    days = breakeven_days(cf, ca, ca - mcv, ex["inputs"]["annee_jours"])
    # published 244.5 j uses SR/CA rounded to 0.67; exact is 250 000 / 375 000 × 365 = 243.33 j.
    assert days == pytest.approx(ex["expected"]["point_mort_jours"], abs=tolerance(ex, "point_mort_jours"))
    assert days == pytest.approx(250000 / 375000 * 365)
    # published 8.15 months (244.5 / 30); exact 8.11.
    assert days / ex["inputs"]["mois_jours"] == pytest.approx(
        ex["expected"]["point_mort_mois"], abs=tolerance(ex, "point_mort_mois")
    )


def test_iutenligne_ex1_dates(worked):
    ex = worked("sr_pm_iutenligne_td6_ex1")
    ca, mcv, cf = ex["inputs"]["CA"], ex["inputs"]["MCV"], ex["inputs"]["charges_fixes"]
    # The published "5 septembre" comes from the rounded 244.5 j read as 8.15 months of 30 days:
    # a 365-day numerator with 30-day months (the pitfall named in the example's notes).
    # Consistent conventions: 365 calendar days → 243.33 j, day 244 of the year = 1 September
    # 2026; 360 days → exactly 240 j (8 months), the day reached is day 241 = 1 September.
    assert breakeven_date(cf, ca, ca - mcv, serial(2026, 1, 1), 365) == serial(2026, 9, 1)
    assert breakeven_days(cf, ca, ca - mcv) == pytest.approx(240)
    assert breakeven_date(cf, ca, ca - mcv, serial(2026, 1, 1)) == serial(2026, 9, 1)


# --------------------------------------------------------------------------------------------
# Worked example "point_mort_saisonnier_unit"
# http://ressources.unit.eu/cours/kit-gestion-ingenieur/Chapitre-2/Compta-gestion-ingenieur/ING-P2-03/CHAPITRE-06/Sous-section-6-2-2.html
# --------------------------------------------------------------------------------------------


def _unit_inputs(ex):
    quarters = ex["inputs"]["CA_trimestres"]
    ca = sum(quarters)
    return ex["inputs"]["CF"], ca, ex["inputs"]["taux_CV"] * ca, quarters


def test_unit_seasonal_point_mort(worked):
    ex = worked("point_mort_saisonnier_unit")
    cf, ca, cv, quarters = _unit_inputs(ex)
    exp = ex["expected"]
    assert breakeven(cf, ca, cv) == pytest.approx(exp["SR"], abs=tolerance(ex, "SR"))
    assert np.cumsum(quarters)[exp["trimestre"] - 1] == exp["CA_cumule_fin_T3"]
    days = breakeven_days(cf, ca, cv, 360, quarters)
    per_quarter = ex["inputs"]["jours_par_trimestre"]
    # published 80 j is 79.6 j rounded: (500 000 − 270 000) / 260 000 × 90
    assert days - 2 * per_quarter == pytest.approx(exp["jours_dans_T3"], abs=tolerance(ex, "jours_dans_T3"))
    assert days == pytest.approx(180 + 230000 / 260000 * 90)
    assert 2 * per_quarter < days <= 3 * per_quarter  # reached during quarter 3


def test_unit_seasonal_date_20_september(worked):
    ex = worked("point_mort_saisonnier_unit")
    cf, ca, cv, quarters = _unit_inputs(ex)
    result = breakeven_date(cf, ca, cv, serial(2026, 1, 1), 360, quarters)
    assert as_date(result) == dt.date(2026, 9, 20)
    assert breakeven_date(cf, ca, cv, dt.date(2026, 1, 1), 360, quarters) == result
    assert breakeven_date(cf, ca, cv, dt.datetime(2026, 1, 1, 8, 30), 360, quarters) == result


def test_seasonality_moves_the_point_mort(worked):
    ex = worked("point_mort_saisonnier_unit")
    cf, ca, cv, quarters = _unit_inputs(ex)
    regular = breakeven_days(cf, ca, cv, 360)
    assert regular == pytest.approx(500000 / 590000 * 360)  # 305.1 j without seasonality
    assert breakeven_days(cf, ca, cv, 360, quarters) < regular


# --------------------------------------------------------------------------------------------
# Worked example "marge_indice_securite_studi"
# https://ressources.studi.fr/contenus/opale/92fd05433381e53edcf61daa7edb045816d52540/co/indice-securite.html
# --------------------------------------------------------------------------------------------


def test_studi_safety_margin_index_and_leverage(worked):
    ex = worked("marge_indice_securite_studi")
    ca, rate, cf = ex["inputs"]["CA"], ex["inputs"]["taux_mcv"], ex["inputs"]["CF"]
    cv = ca * (1 - rate)
    exp = ex["expected"]
    sr = breakeven(cf, ca, cv)
    assert sr == pytest.approx(exp["SR"], abs=tolerance(ex, "SR"))
    assert safety_margin(ca, sr) == pytest.approx(exp["MS"], abs=tolerance(ex, "MS"))
    assert safety_index(ca, sr) * 100 == pytest.approx(exp["IS_pct"], abs=tolerance(ex, "IS_pct"))
    # not published: MCV / résultat = 1 316 000 / 566 000 = 2.325 (see the example's notes)
    assert operating_leverage(ca, cv, cf) == pytest.approx(2.325, abs=5e-4)
    assert operating_leverage(ca, cv, cf) == pytest.approx(1 / safety_index(ca, sr))


# --------------------------------------------------------------------------------------------
# Extra public exercises
# --------------------------------------------------------------------------------------------


def test_iutenligne_ex2_year_n_and_n_plus_1():
    # https://public.iutenligne.net/gestion/gestion-financiere/leygonie/analyse_financiere_td/TD6-LE-SEUIL-DE-RENTABILITE/EXERCICE2/corrige2.html
    # N: CA 600 000, MCV 262 500 (43.75 %), CF 250 000 → SR 571 428 € (truncated: 571 428.57);
    # point mort 347.5 j published from 0.952 × 365 (rounded ratio); exact 347.62 j.
    assert contribution_margin(600000, 337500) / 600000 == pytest.approx(0.4375)
    assert breakeven(250000, 600000, 337500) == pytest.approx(571428, abs=1)
    assert breakeven_days(250000, 600000, 337500, 365) == pytest.approx(347.5, abs=0.15)
    assert breakeven_days(250000, 600000, 337500, 365) == pytest.approx(571428.5714 / 600000 * 365)
    # N+1: CF 230 000, taux de MCV 46.8 %, CA 645 000 → SR 491 453 €; point mort 278.13 j
    # published (0.762 × 365); exact 278.11 j.
    cv = 645000 * (1 - 0.468)
    assert breakeven(230000, 645000, cv) == pytest.approx(491453, abs=0.5)
    assert breakeven_days(230000, 645000, cv, 365) == pytest.approx(278.13, abs=0.05)


def test_iutenligne_ex3_rounded_rate():
    # http://public.iutenligne.net/gestion/gestion-financiere/leygonie/analyse_financiere_td/TD6-LE-SEUIL-DE-RENTABILITE/EXERCICE3/corrige3.html
    # CA 950 000, MCV 317 700, CF 200 000. The page divides by the rate rounded to 0.3344 and
    # publishes SR = 598 086 €; with the exact rate (0.334421…) SR = 598 048.47 €. Both tested.
    cv = 950000 - 317700
    assert breakeven(200000, 950000, cv) == pytest.approx(200000 * 950000 / 317700)
    assert breakeven(200000, 950000, cv) == pytest.approx(598048.47, abs=0.01)
    assert breakeven(200000, 1, 1 - 0.3344) == pytest.approx(598086, abs=0.5)  # the page's rounding
    # point mort published 229.77 j (0.6295 × 365); exact 229.78 j.
    assert breakeven_days(200000, 950000, cv, 365) == pytest.approx(229.77, abs=0.01)


def test_gualino_bihan_breakeven_safety_and_leverage():
    # https://nxtbook.com/lextenso-editions/Gualino/978-2-297-25918-7/index.php?startid=75 (corrigé 4)
    # CA 2 066 000 €, CV 43 % → MCV 1 177 620 €; résultat 237 590 € → CF 940 030 €;
    # SR = 940 030 / 0.57 ≈ 1 649 175 €.
    ca, cv = 2066000, 0.43 * 2066000
    mcv = contribution_margin(ca, cv)
    assert mcv == pytest.approx(1177620)
    cf = mcv - 237590
    assert cf == pytest.approx(940030)
    assert breakeven(cf, ca, cv) == pytest.approx(1649175, abs=0.5)
    # https://nxtbook.com/lextenso-editions/Gualino/978-2-297-25918-7/index.php?startid=78
    # fixed costs cut by 188 000 €: SR ≈ 1 319 351 €, MS ≈ 746 649 €, IS ≈ 36.1 %, levier 2.77.
    cf2 = cf - 188000
    sr2 = breakeven(cf2, ca, cv)
    assert sr2 == pytest.approx(1319351, abs=0.5)
    assert safety_margin(ca, sr2) == pytest.approx(746649, abs=0.5)
    assert safety_index(ca, sr2) * 100 == pytest.approx(36.1, abs=0.05)
    assert operating_leverage(ca, cv, cf2) == pytest.approx(2.77, abs=0.005)


def test_maxicours_bouton_d_or_safety_margin():
    # https://www.maxicours.com/se/cours/le-risque-d-exploitation-et-les-previsions-de-resultat
    assert safety_margin(2000000, 1250000) == 750000.0


def test_gualino_unit_breakeven_quantity():
    # Figures of Gualino corrigé 5 (index.php?startid=78): 300 × 30,50 € = 9 150 € of revenue,
    # 4 575 € variable costs, 1 220 € fixed costs, result 3 355 €.
    assert contribution_margin(300 * 30.5, 4575) - 1220 == pytest.approx(3355)
    assert breakeven_qty(1220, 30.5, 4575 / 300) == pytest.approx(80)


# --------------------------------------------------------------------------------------------
# Point mort: seasonal interpolation and the 30-day-month date rule (formulas.md §3)
# --------------------------------------------------------------------------------------------


def _date_after(days, start, days_per_year=360):
    """The date reached ``days`` days after ``start``: with a revenue of ``days_per_year`` and no
    variable cost, the breakeven equals the fixed costs and the point mort is ``days`` days."""
    return as_date(breakeven_date(days, days_per_year, 0, start, days_per_year))


@pytest.mark.parametrize(
    ("days", "start", "expected"),
    [
        (243.33, dt.date(2026, 1, 1), dt.date(2026, 9, 4)),  # the catalogue's example
        (259.6, dt.date(2026, 1, 1), dt.date(2026, 9, 20)),  # worked example, from 1 January
        (79.6, dt.date(2026, 7, 1), dt.date(2026, 9, 20)),  # same, from 1 July (notes of the example)
        (0.4, dt.date(2026, 1, 1), dt.date(2026, 1, 1)),  # reached on the first day
        (29.9, dt.date(2026, 1, 1), dt.date(2026, 1, 30)),  # 30th day of a 31-day month
        (30.0, dt.date(2026, 1, 1), dt.date(2026, 2, 1)),  # whole number: the next day
        (58.5, dt.date(2026, 1, 1), dt.date(2026, 2, 28)),  # day 29 of February (2026): its last day
        (59.5, dt.date(2026, 1, 1), dt.date(2026, 2, 28)),  # day 30 of February stays in February
        (59.5, dt.date(2028, 1, 1), dt.date(2028, 2, 29)),  # leap year
        (60.0, dt.date(2026, 1, 1), dt.date(2026, 3, 1)),
        (359.9, dt.date(2026, 1, 1), dt.date(2026, 12, 30)),  # last day of the commercial year
        (100.2, dt.date(2026, 4, 15), dt.date(2026, 7, 25)),  # fiscal year from 15 April
    ],
)
def test_30_day_month_dates(days, start, expected):
    assert _date_after(days, start) == expected


@pytest.mark.parametrize(
    ("days", "start", "days_per_year", "expected"),
    [
        (243.33, dt.date(2026, 1, 1), 365, dt.date(2026, 9, 1)),  # start + floor(days)
        (59.2, dt.date(2026, 1, 1), 365, dt.date(2026, 3, 1)),
        (59.2, dt.date(2028, 1, 1), 366, dt.date(2028, 2, 29)),
        (0.0, dt.date(2026, 7, 1), 365, dt.date(2026, 7, 1)),
        (300.5, dt.date(2026, 1, 1), 330, dt.date(2026, 10, 28)),  # opening days, counted as calendar days
    ],
)
def test_calendar_dates_when_not_360(days, start, days_per_year, expected):
    assert _date_after(days, start, days_per_year) == expected


def test_date_serial_convention():
    # 1 January 2026 is serial 46023 in Excel's 1900 date system
    assert serial(2026, 1, 1) == 46023
    assert breakeven_date(0, 100, 50, 46023) == 46023.0
    assert type(breakeven_date(0, 100, 50, 46023)) is float
    assert breakeven_date(0, 100, 50, 46023.75) == 46023.0  # a time of day is ignored


def test_seasonal_crossing_details():
    quarters = [100, 100, 100, 100]
    # cumulative reaches the SR exactly at the end of a quarter
    assert breakeven_days(100, 400, 200, 360, quarters) == pytest.approx(180)  # SR 200
    # no fixed costs: reached at once
    assert breakeven_days(0, 400, 200, 360, quarters) == 0.0
    # a period without revenue is skipped
    assert breakeven_days(25, 300, 150, 360, [0, 100, 100, 100]) == pytest.approx(90 + 45)
    # 12 months, 365-day year: each month = 365 / 12 days
    months = [10] * 12
    assert breakeven_days(30, 120, 60, 365, months) == pytest.approx(6 * 365 / 12)
    # periods equal to the average give the regular formula
    assert breakeven_days(30, 120, 60, 360, months) == pytest.approx(breakeven_days(30, 120, 60, 360))


def test_seasonal_sum_must_match_revenue():
    quarters = [120000, 150000, 260000, 60000]
    with pytest.raises(NotAvailableError) as error:
        breakeven_days(100000, 600000, 480000, 360, quarters)
    assert error.value.excel == "#N/A"
    assert error.value.argument == "period_revenues"
    assert "590 000,00" in error.value.message
    # within a cent is accepted
    assert breakeven_days(100000, 590000.004, 472000, 360, quarters) == pytest.approx(259.6, abs=0.05)


def test_never_reached_is_num():
    with pytest.raises(DomainError):
        breakeven_days(300, 400, 200)  # SR 600 > CA 400
    with pytest.raises(DomainError):
        breakeven_days(300, 400, 200, 360, [100, 100, 100, 100])
    with pytest.raises(DomainError):
        breakeven_date(300, 400, 200, 46023)
    # reached on the very last day
    assert breakeven_days(200, 400, 200) == pytest.approx(360)


def test_point_mort_argument_errors():
    with pytest.raises(DomainError):
        breakeven_days(100, 400, 200, 0)
    with pytest.raises(DomainError):
        breakeven_days(100, 400, 200, 360, [100, -100, 200, 200])
    with pytest.raises(BadValueError):
        breakeven_days(100, 400, 200, 360, [100, "x", 200, 100])
    with pytest.raises(DomainError):
        breakeven_date(100, 400, 200, 0)
    with pytest.raises(DomainError):
        breakeven_date(100, 400, 200, -5)
    with pytest.raises(BadValueError):
        breakeven_date(100, 400, 200, "demain")


def test_breakeven_errors():
    with pytest.raises(DivisionByZeroError) as error:
        breakeven(100, 0, 0)
    assert error.value.argument == "revenue"
    with pytest.raises(DomainError) as error:
        breakeven(100, 400, 400)  # MCV = 0
    assert error.value.excel == "#NUM!"
    with pytest.raises(DomainError):
        breakeven(100, 400, 500)  # MCV < 0
    with pytest.raises(DomainError):
        breakeven(-100, 400, 200)
    with pytest.raises(DomainError):
        breakeven(100, -400, -500)
    with pytest.raises(BadValueError):
        breakeven(None, 400, 200)
    with pytest.raises(DomainError):
        breakeven_qty(100, 10, 10)
    with pytest.raises(DomainError):
        breakeven_qty(-1, 10, 5)
    with pytest.raises(DivisionByZeroError):
        safety_index(0, 10)
    with pytest.raises(DivisionByZeroError):
        operating_leverage(1000, 600, 400)  # result = 0
    with pytest.raises(DivisionByZeroError):
        roi(100, 0)


def test_loss_gives_negative_leverage_and_index():
    # CA 1 000, CV 600, CF 500: MCV 400, loss 100 → levier −4, SR 1 250, IS −25 %
    assert operating_leverage(1000, 600, 500) == pytest.approx(-4)
    assert breakeven(500, 1000, 600) == pytest.approx(1250)
    assert safety_index(1000, 1250) == pytest.approx(-0.25)


def test_roi_on_margin():
    assert roi(5000, 2000) == pytest.approx(1.5)
    assert roi(1500, 2000) == pytest.approx(-0.25)


def test_arrays_broadcast_with_nan_at_bad_rows():
    result = breakeven(np.array([62500.0, 100.0, 100.0]), np.array([375000.0, 0.0, 400.0]), np.array([281250.0, 0.0, 500.0]))
    assert result.shape == (3,)
    assert result[0] == pytest.approx(250000)
    assert math.isnan(result[1]) and math.isnan(result[2])
    days = breakeven_days([[62500.0], [1e9]], 375000, 281250, [360, 365])
    assert days.shape == (2, 2)
    assert days[0].tolist() == pytest.approx([240, 243.3333333])
    assert np.isnan(days[1]).all()
    seasonal = breakeven_days([100000, 200000], 590000, 472000, 360, [120000, 150000, 260000, 60000])
    assert seasonal[0] == pytest.approx(259.6, abs=0.05) and math.isnan(seasonal[1])
    dates = breakeven_date([730, 1e9, 0], 1080, 0, [serial(2026, 1, 1), serial(2026, 1, 1), -1])
    assert dates[0] == serial(2026, 9, 4)
    assert math.isnan(dates[1]) and math.isnan(dates[2])
    starts = breakeven_date(730, 1080, 0, np.array([serial(2026, 1, 1), serial(2027, 1, 1)]))
    assert [as_date(s) for s in starts] == [dt.date(2026, 9, 4), dt.date(2027, 9, 4)]
    assert operating_leverage([1000, 1000], [600, 600], [200, 400])[0] == pytest.approx(2)
    assert math.isnan(operating_leverage([1000, 1000], [600, 600], [200, 400])[1])


def test_scalars_give_python_floats():
    for value in (
        contribution_margin(10, 4),
        breakeven(10, 100, 50),
        breakeven_qty(10, 5, 3),
        breakeven_days(10, 100, 50),
        breakeven_date(10, 100, 50, 46023),
        safety_margin(100, 20),
        safety_index(100, 20),
        operating_leverage(100, 50, 10),
        roi(3, 2),
    ):
        assert type(value) is float


def test_all_lists_the_catalogue_functions():
    assert set(costs.__all__) == {
        "contribution_margin",
        "breakeven",
        "breakeven_qty",
        "breakeven_days",
        "breakeven_date",
        "safety_margin",
        "safety_index",
        "operating_leverage",
        "roi",
    }


money = st.floats(min_value=1.0, max_value=1e8, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0.01, max_value=0.99)


@given(revenue=money, variable_share=share, fixed_share=share)
def test_relations_between_the_indicators(revenue, variable_share, fixed_share):
    cv = revenue * variable_share
    mcv = revenue - cv
    cf = mcv * fixed_share  # profitable: CF < MCV
    sr = breakeven(cf, revenue, cv)
    assert sr == pytest.approx(cf / (mcv / revenue), rel=1e-9)
    assert sr <= revenue * (1 + 1e-12)
    # at the breakeven the MCV covers exactly the fixed costs
    assert sr * mcv / revenue == pytest.approx(cf, rel=1e-9)
    assert operating_leverage(revenue, cv, cf) == pytest.approx(1 / safety_index(revenue, sr), rel=1e-6)
    assert breakeven_days(cf, revenue, cv) == pytest.approx(sr / revenue * 360, rel=1e-9)


@given(revenue=money, variable_share=share, fixed_share=share, n=st.sampled_from([4, 12]))
def test_even_periods_match_the_regular_formula(revenue, variable_share, fixed_share, n):
    cv = revenue * variable_share
    cf = (revenue - cv) * fixed_share
    periods = [revenue / n] * n
    assert breakeven_days(cf, revenue, cv, 360, periods) == pytest.approx(breakeven_days(cf, revenue, cv), rel=1e-9)
