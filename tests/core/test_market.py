"""Marché et concentration: market share, relative market share, Gini, médiale, HHI, density."""

import numpy as np
import pytest

from conftest import tolerance
from xlsales.core import market
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

# ----------------------------------------------------------------------------- market shares


def test_market_share_published():
    # https://fr.scribd.com/document/715218592/Exercice-BCG-Voitures : mini citadine 8 000 / 101 200
    # = 7,91 %, citadine 35 000 / 208 000 = 16,83 %, pneus 1 500 / 27 500 = 5,45 %.
    shares = market.market_share([8000, 35000, 1500], [101200, 208000, 27500])
    assert shares * 100 == pytest.approx([7.91, 16.83, 5.45], abs=0.005)
    # https://fr.scribd.com/document/739876397/Exercice-BCG-GBC : product A 20 500 / 600 000 = 3,4 %
    assert market.market_share(20500, 600000) * 100 == pytest.approx(3.4, abs=0.05)


def test_market_share_errors():
    with pytest.raises(DivisionByZeroError):
        market.market_share(1, 0)
    with pytest.raises(DomainError):
        market.market_share(-1, 10)
    result = market.market_share([1, 1], [0, 4])
    assert np.isnan(result[0]) and result[1] == pytest.approx(0.25)


def test_relative_market_share_bcg_exercises():
    # https://fr.scribd.com/document/739876397/Exercice-BCG-GBC : PDMR = CA CBG / CA GBC; product A
    # 20 500 / 35 600 = 0,58. Product C: CBG (36 000) leads GBC (21 000) -> 1,71.
    assert market.relative_market_share(20500, [35600]) == pytest.approx(0.58, abs=0.005)
    assert market.relative_market_share(36000, [21000]) == pytest.approx(1.71, abs=0.005)
    # https://fr.scribd.com/document/715218592/Exercice-BCG-Voitures : mini citadine 8 000 vs 6 800 -> 1,18;
    # citadine 35 000 vs 42 000 -> 0,83; pneus 1 500 vs 700 -> 2,14.
    assert market.relative_market_share(8000, [6800]) == pytest.approx(1.18, abs=0.005)
    assert market.relative_market_share(35000, [42000]) == pytest.approx(0.83, abs=0.005)
    assert market.relative_market_share(1500, [700]) == pytest.approx(2.14, abs=0.005)


def test_relative_market_share_leader_uses_number_two():
    # https://etudier.com/dissertations/Test/433821.html (Distilco and Co): Calvados 45 % / 23 % = 1,96;
    # Poiret 55 % / 25 % = 2,2; Prune 37 % / 40 % = 0,925; Mirabelle 11 % / 40 % = 0,275.
    # Competitors given as a whole list: the main competitor is picked from it.
    assert market.relative_market_share(0.45, [0.10, 0.23, 0.22]) == pytest.approx(1.96, abs=0.005)
    assert market.relative_market_share(0.55, [0.25, 0.20]) == pytest.approx(2.2)
    assert market.relative_market_share(0.37, [0.40, 0.23]) == pytest.approx(0.925)
    assert market.relative_market_share(0.11, [0.40, 0.30, 0.19]) == pytest.approx(0.275)
    # the whole market table including the company's own line: the leader is compared with the n° 2
    assert market.relative_market_share(0.45, [0.45, 0.10, 0.23, 0.22]) == pytest.approx(0.45 / 0.23)
    # element-wise over own sales with one competitor range
    result = market.relative_market_share(np.array([45.0, 11.0]), [45, 23, 12])
    assert result == pytest.approx([45 / 23, 11 / 45])


def test_relative_market_share_errors():
    with pytest.raises(NotAvailableError):
        market.relative_market_share(5, [5])
    with pytest.raises(DivisionByZeroError):
        market.relative_market_share(5, [0, 0])
    with pytest.raises(DomainError):
        market.relative_market_share(5, [3, -1])
    with pytest.raises(NotAvailableError):
        market.relative_market_share(5, [])


def test_customer_density_published():
    # https://www.smappen.fr/blog/calcul-taux-de-penetration/ : 500 customers / 10 000 potential = 5 %
    assert market.customer_density(500, 10000) == pytest.approx(0.05)
    with pytest.raises(DivisionByZeroError):
        market.customer_density(5, 0)


# ----------------------------------------------------------------------------- Gini, médiale


def test_gini_mediale_tcetsge(worked):
    # https://tcetsgedakhla.blogspot.com/2018/05/les-indicateurs-de-concentration.html
    example = worked("gini_mediale_tcetsge")
    classes = example["inputs"]["classes"]
    counts = example["inputs"]["effectifs"]
    lower = [c[0] for c in classes]
    upper = [c[1] for c in classes]
    centres = [(a + b) / 2 for a, b in classes]
    g = market.gini(centres, counts) * 100
    assert g == pytest.approx(example["expected"]["gini_pct"], abs=tolerance(example, "gini_pct"))
    # grouped data: the class centres are the values, the counts the weights (mass = n_i x c_i)
    ml = market.mediale(lower, upper, counts)
    assert ml == pytest.approx(example["expected"]["mediale"], abs=tolerance(example, "mediale"))
    # the published Lorenz points (percent)
    x, y = market._lorenz(centres, counts)
    assert x * 100 == pytest.approx(example["expected"]["x_cum_pct"], abs=tolerance(example, "x_cum_pct"))
    assert y * 100 == pytest.approx(example["expected"]["y_cum_pct"], abs=tolerance(example, "y_cum_pct"))
    trapezes = np.diff(x * 100) * (y[1:] + y[:-1]) * 100 / 2
    assert trapezes == pytest.approx(example["expected"]["trapezes"], abs=tolerance(example, "trapezes"))


def test_gini_three_groups_moodle():
    # https://moodle.luniversitenumerique.fr/mod/book/view.php?id=4242&chapterid=1154 : three groups of
    # equal size own 0 %, 25 % and 75 % of the wealth; published G = 0,496 with x rounded to 0,333
    # (area B = 0,042 + 0,21). With exact thirds B = 0,25 and G = 1 - 2B = 0,5 exactly.
    assert market.gini([0, 25, 75]) == pytest.approx(0.5)
    assert market.gini([0, 25, 75]) == pytest.approx(0.496, abs=0.005)


def test_gini_properties():
    assert market.gini([10, 10, 10, 10]) == pytest.approx(0.0)
    # one holder among n: G = 1 - 1/n with the trapezoid method
    assert market.gini([0, 0, 0, 100]) == pytest.approx(0.75)
    # order of input does not matter; weights = repeated values
    assert market.gini([3, 1, 2]) == pytest.approx(market.gini([1, 2, 3]))
    assert market.gini([1, 2], [2, 3]) == pytest.approx(market.gini([1, 1, 2, 2, 2]))


def test_gini_errors():
    with pytest.raises(DomainError):
        market.gini([1, -2])
    with pytest.raises(DivisionByZeroError):
        market.gini([0, 0])
    with pytest.raises(NotAvailableError):
        market.gini([1, 2], [1])
    with pytest.raises(DomainError):
        market.gini([1, 2], [1, -1])
    with pytest.raises(DivisionByZeroError):
        market.gini([1, 2], [0, 0])
    with pytest.raises(BadValueError):
        market.gini([1, float("nan")])


def test_mediale_class_boundaries():
    # mass exactly half at the end of a class: the médiale is that upper bound
    assert market.mediale([0, 10], [10, 30], [4, 1]) == pytest.approx(10.0)
    # single class: the midpoint of the mass, interpolated linearly
    assert market.mediale([0], [10], [7]) == pytest.approx(5.0)


def test_mediale_errors():
    with pytest.raises(NotAvailableError):
        market.mediale([0, 10], [10, 20], [1])
    with pytest.raises(DomainError):
        market.mediale([0, 10], [10, 5], [1, 1])
    with pytest.raises(DomainError):
        market.mediale([0, 5], [10, 20], [1, 1])
    with pytest.raises(DomainError):
        market.mediale([0, 10], [10, 20], [1, -1])
    with pytest.raises(DivisionByZeroError):
        market.mediale([0, 10], [10, 20], [0, 0])


# ----------------------------------------------------------------------------- HHI


def test_hhi_published():
    # European Commission, "Glossary of terms used in EU competition policy" (2002), entry
    # Herfindahl-Hirschman index: five firms with 20 % each -> 400 x 5 = 2 000.
    assert market.hhi([0.2] * 5) == pytest.approx(2000)
    # Classic cases worked by hand: 2 x 50 % -> 5 000; 40 % + 4 x 15 % -> 1 600 + 900 = 2 500;
    # 10 x 10 % -> 1 000; 20 x 5 % -> 500; 25 % + 19 equal shares of the rest -> 625 + 19 x 15.58 = 921.
    assert market.hhi([0.5, 0.5]) == pytest.approx(5000)
    assert market.hhi([0.4] + [0.15] * 4) == pytest.approx(2500)
    assert market.hhi([0.1] * 10) == pytest.approx(1000)
    assert market.hhi([0.05] * 20) == pytest.approx(500)
    assert market.hhi([0.25] + [0.75 / 19] * 19) == pytest.approx(921, abs=0.5)
    # U.S. Department of Justice, "Herfindahl-Hirschman Index" (https://www.justice.gov/atr/herfindahl-hirschman-index):
    # four firms with 30, 30, 20 and 20 % -> 2 600 (shares given in percent points)
    assert market.hhi([30, 30, 20, 20]) == pytest.approx(2600)
    # https://www.calculatorultra.com/fr/tool/herfindahl-index-calculator.html : 30/25/25/20 % -> 0,255 on
    # the 0-1 scale, i.e. 2 550 on the 0-10 000 scale.
    assert market.hhi([0.30, 0.25, 0.25, 0.20]) / 10000 == pytest.approx(0.255)


def test_hhi_percentage_points_and_partial_lists():
    # top firms only (sum below 1 or below 100) are accepted in both units
    assert market.hhi([0.3, 0.2]) == pytest.approx(1300)
    assert market.hhi([30, 20]) == pytest.approx(1300)
    assert market.hhi([100]) == pytest.approx(10000)
    assert market.hhi([1.0]) == pytest.approx(10000)
    with pytest.raises(DomainError):
        market.hhi([60, 50])
    with pytest.raises(DomainError):
        market.hhi([0.5, -0.1])
