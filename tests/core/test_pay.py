"""Rémunération (core): commission by tiers (progressive / flat), bonus on target, employer cost."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import tolerance
from xlsales.core import pay
from xlsales.core.errors import BadValueError, DomainError, NotAvailableError
from xlsales.core.pay import bonus, commission, employer_cost


# --------------------------------------------------------------------------------------------
# Worked example "commission_tranches_commmarketingmuc"
# https://www.commmarketingmuc.com/article-31165536.html
# --------------------------------------------------------------------------------------------


def _grid(ex):
    tranches = ex["inputs"]["tranches"]
    return [t[0] for t in tranches], [t[2] for t in tranches]


def test_commmarketingmuc_progressive_360(worked):
    ex = worked("commission_tranches_commmarketingmuc")
    thresholds, rates = _grid(ex)
    assert commission(ex["inputs"]["CA"], thresholds, rates) == pytest.approx(
        ex["expected"]["commission"], abs=tolerance(ex, "commission")
    )
    assert commission(ex["inputs"]["CA"], thresholds, rates, "progressive") == pytest.approx(360)
    assert commission(ex["inputs"]["CA"], thresholds, rates, "tranches") == pytest.approx(360)


def test_commmarketingmuc_flat_reading_570(worked):
    # the catalogue's second reading of the same grid: 9 500 × 6 % = 570 (the example's notes)
    ex = worked("commission_tranches_commmarketingmuc")
    thresholds, rates = _grid(ex)
    assert commission(ex["inputs"]["CA"], thresholds, rates, "flat") == pytest.approx(570)
    assert commission(ex["inputs"]["CA"], thresholds, rates, "Paliers") == pytest.approx(570)


def test_commmarketingmuc_grid_over_a_range_of_amounts(worked):
    ex = worked("commission_tranches_commmarketingmuc")
    thresholds, rates = _grid(ex)
    amounts = np.array([0, 4000, 5000, 9500, 12000])
    # by hand: 4 000 × 3 % = 120; 5 000 × 3 % = 150; 150 + 120 + 2 000 × 6 % + 2 000 × 8 % = 550
    np.testing.assert_allclose(commission(amounts, thresholds, rates), [0, 120, 150, 360, 550])
    np.testing.assert_allclose(commission(amounts, thresholds, rates, "flat"), [0, 120, 200, 570, 960])


# --------------------------------------------------------------------------------------------
# Extra public exercises
# --------------------------------------------------------------------------------------------


def test_yallouz_two_tier_commission():
    # http://yallouz.arie.free.fr/premiere_controles/2007-2008_spe1/cont-spe1_2007_2008.php?page=exo3c
    # fixe 1 200 €, 4 % up to 5 000 €, 6 % on the part above: 4 000 € of sales → salary 1 360 €;
    # 8 500 € → 1 610 €; a 2 300 € salary needs 20 000 € of sales.
    grid = [0, 5000], [0.04, 0.06]
    assert 1200 + commission(4000, *grid) == pytest.approx(1360)
    assert 1200 + commission(8500, *grid) == pytest.approx(1610)
    assert 1200 + commission(20000, *grid) == pytest.approx(2300)


def test_desjoyaux_flat_commission_and_bonus():
    # https://vizasking.com/vizdevoir/2345183 — commission 2.5 % of the CA between 10 000 and
    # 20 000 €, 4 % above; bonus 0 if the target is missed, 300 € up to 10 % above it, 600 € beyond.
    # Jérémy: target 27 000 €, CA 24 500 €. The published answer gives a 0 € bonus (tested) but
    # computes the commission as 1 500 × 4 % = 60 €, applying the rate to the fixed pay instead of
    # the CA — an error: the grid gives 24 500 × 4 % = 980 €.
    assert bonus(24500 / 27000, [1.0, 1.1], [300, 600]) == 0.0
    assert commission(24500, [10000, 20000], [0.025, 0.04], "flat") == pytest.approx(980)
    # Guillaume (23 000 → 24 500, +6.5 %) and Pierre (18 000 → 21 300, +18.3 %) by the same grid:
    assert bonus(24500 / 23000, [1.0, 1.1], [300, 600]) == 300.0
    assert bonus(21300 / 18000, [1.0, 1.1], [300, 600]) == 600.0


# --------------------------------------------------------------------------------------------
# Commission: grid rules and errors
# --------------------------------------------------------------------------------------------


def test_commission_below_first_threshold_is_zero():
    grid = [1000, 5000], [0.05, 0.10]
    assert commission(800, *grid) == 0.0
    assert commission(800, *grid, mode="flat") == 0.0
    # progressive: the part below the first threshold earns nothing
    assert commission(3000, *grid) == pytest.approx(100)
    assert commission(3000, *grid, mode="flat") == pytest.approx(150)
    assert commission(-50, [0, 100], [0.1, 0.2]) == 0.0
    assert math.copysign(1, commission(-50, [0, 100], [0.1, 0.2], "flat")) == 1.0


def test_commission_at_a_threshold_uses_the_new_tier_in_flat_mode():
    grid = [0, 5000, 8000], [0.03, 0.04, 0.06]
    assert commission(5000, *grid, mode="flat") == pytest.approx(200)
    assert commission(4999.99, *grid, mode="flat") == pytest.approx(4999.99 * 0.03)
    # progressive is continuous at thresholds
    assert commission(5000, *grid) == pytest.approx(150)


def test_commission_errors():
    with pytest.raises(NotAvailableError):
        commission(9500, [0, 5000, 8000], [0.03, 0.04])
    with pytest.raises(DomainError):
        commission(9500, [0, 8000, 5000], [0.03, 0.04, 0.06])
    with pytest.raises(DomainError):
        commission(9500, [0, 5000, 5000], [0.03, 0.04, 0.06])
    with pytest.raises(DomainError):
        commission(9500, [0, 5000], [0.03, -0.04])
    with pytest.raises(BadValueError) as error:
        commission(9500, [0, 5000], [0.03, 0.04], "cumulative")
    assert error.value.argument == "mode" and error.value.excel == "#VALUE!"
    with pytest.raises(BadValueError):
        commission(None, [0, 5000], [0.03, 0.04])
    with pytest.raises(NotAvailableError):
        commission(100, [], [])


def test_commission_keeps_the_shape_of_amount():
    result = commission([[9500], [4000]], [0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08])
    assert result.shape == (2, 1)
    np.testing.assert_allclose(result, [[360], [120]])
    with_nan = commission(np.array([9500.0, np.nan]), [0, 5000], [0.03, 0.04])
    assert with_nan[0] == pytest.approx(330) and math.isnan(with_nan[1])
    assert type(commission(9500, [0], [0.03])) is float


# --------------------------------------------------------------------------------------------
# Bonus
# --------------------------------------------------------------------------------------------


def test_bonus_step():
    grid = [0.9, 1.0, 1.2], [200, 500, 1000]
    assert bonus(0.85, *grid) == 0.0
    assert bonus(0.9, *grid) == 200.0  # a threshold reached counts
    assert bonus(0.99, *grid) == 200.0
    assert bonus(1.05, *grid) == 500.0
    assert bonus(1.5, *grid) == 1000.0
    assert bonus(1.05, *grid, mode="paliers") == 500.0


def test_bonus_linear_interpolates_and_caps():
    grid = [0.9, 1.0, 1.2], [200, 500, 1000]
    assert bonus(0.85, *grid, mode="linear") == 0.0  # below the first threshold
    assert bonus(0.9, *grid, mode="linear") == pytest.approx(200)
    assert bonus(0.95, *grid, mode="linear") == pytest.approx(350)
    assert bonus(1.1, *grid, mode="linear") == pytest.approx(750)
    assert bonus(1.2, *grid, mode="linear") == pytest.approx(1000)
    assert bonus(2.0, *grid, mode="linear") == pytest.approx(1000)  # capped
    assert bonus(1.1, *grid, mode="linéaire") == pytest.approx(750)
    np.testing.assert_allclose(bonus([0.5, 0.95, 1.1, 3], *grid, mode="linear"), [0, 350, 750, 1000])


def test_bonus_errors():
    with pytest.raises(NotAvailableError):
        bonus(1, [1, 1.1], [300])
    with pytest.raises(DomainError):
        bonus(1, [1.1, 1], [300, 600])
    with pytest.raises(BadValueError):
        bonus(1, [1], [300], "smooth")
    result = bonus(np.array([1.05, np.nan]), [1], [300])
    assert result[0] == 300 and math.isnan(result[1])


# --------------------------------------------------------------------------------------------
# Employer cost
# --------------------------------------------------------------------------------------------


def test_employer_cost():
    assert employer_cost(2000) == pytest.approx(2840)  # default 42 %
    assert employer_cost(2000, 0.45) == pytest.approx(2900)
    assert employer_cost(2000, 0) == 2000.0
    np.testing.assert_allclose(employer_cost([1800, 2500], [[0.40], [0.50]]), [[2520, 3500], [2700, 3750]])
    with pytest.raises(DomainError):
        employer_cost(-1)
    with pytest.raises(DomainError):
        employer_cost(2000, -0.1)


def test_all_lists_the_catalogue_functions():
    assert set(pay.__all__) == {"commission", "bonus", "employer_cost"}


amount = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def grids(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    steps = draw(st.lists(st.floats(min_value=1, max_value=1e5), min_size=n, max_size=n))
    thresholds = np.cumsum([0.0] + steps[:-1]).tolist()
    rates = draw(st.lists(st.floats(min_value=0, max_value=0.5), min_size=n, max_size=n))
    return thresholds, rates


@given(x=amount, grid=grids())
def test_progressive_matches_the_manuals_sumproduct(x, grid):
    # Excel way of the manuals: =SOMMEPROD((CA>Binf)*(CA-Binf)*Diff), Diff = rate_i − rate_(i−1)
    thresholds, rates = grid
    diff = np.diff([0.0] + rates)
    expected = float(np.sum((x > np.array(thresholds)) * (x - np.array(thresholds)) * diff))
    assert commission(x, thresholds, rates) == pytest.approx(expected, rel=1e-9, abs=1e-6)


@given(x=amount, grid=grids())
def test_flat_matches_vlookup_reading(x, grid):
    # =CA*RECHERCHEV(CA;Grille;3;VRAI)
    thresholds, rates = grid
    k = max(i for i, t in enumerate(thresholds) if t <= x)
    assert commission(x, thresholds, rates, "flat") == pytest.approx(x * rates[k], rel=1e-12)
