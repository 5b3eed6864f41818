"""Indicateurs commerciaux: ratios, scoring grid, variances, indices, growth, revenue variance."""

import numpy as np
import pytest

from conftest import tolerance
from xlsales.core import kpi
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

RATIOS = [
    kpi.coverage_rate,
    kpi.contact_rate,
    kpi.conversion_rate,
    kpi.return_rate,
    kpi.unpaid_rate,
    kpi.average_basket,
]


# ----------------------------------------------------------------------------- ratios


def test_activity_ratios_from_published_examples():
    # https://datalegal.fr/lexique/definitions/taux-de-penetration/ : 1 500 of 5 000 households -> 30 %,
    # and the web example 8 000 buyers of 200 000 users -> 4 %.
    assert kpi.coverage_rate(1500, 5000) == pytest.approx(0.30)
    assert kpi.coverage_rate(8000, 200000) == pytest.approx(0.04)
    # https://sky-level.fr/contact-rate-definition-exemple-et-bonnes-pratiques : 80 / 200 = 40 %
    assert kpi.contact_rate(80, 200) == pytest.approx(0.40)
    # https://rivva.ai/blog/fixer-objectifs-commerciaux.html : 80 meetings, 25 % closing -> 20 sales;
    # "6 ventes avec un panier moyen de 7 500 EUR" = 45 000 EUR.
    assert kpi.conversion_rate(20, 80) == pytest.approx(0.25)
    assert kpi.average_basket(45000, 6) == pytest.approx(7500)
    # https://www.itl.fr/fr/fichier/105-interpretation-des-resultats : 20 000 mailings, 400 orders (2 %)
    # at 60 EUR on average = 24 000 EUR.
    assert kpi.return_rate(400, 20000) == pytest.approx(0.02)
    assert kpi.average_basket(24000, 400) == pytest.approx(60)


@pytest.mark.parametrize("function", RATIOS)
def test_ratio_errors_scalar(function):
    with pytest.raises(DivisionByZeroError):
        function(10, 0)
    with pytest.raises(DomainError):
        function(-1, 10)
    with pytest.raises(DomainError):
        function(1, -10)
    with pytest.raises(BadValueError):
        function("abc", 10)


@pytest.mark.parametrize("function", RATIOS)
def test_ratio_broadcasts_and_marks_bad_rows(function):
    result = function(np.array([[1.0], [2.0], [3.0]]), np.array([[4.0], [0.0], [-1.0]]))
    assert result.shape == (3, 1)
    assert result[0, 0] == pytest.approx(0.25)
    assert np.isnan(result[1, 0]) and np.isnan(result[2, 0])
    # scalar denominator broadcast over a row of numerators
    assert function([1, 2, 3], 4) == pytest.approx([0.25, 0.5, 0.75])
    assert isinstance(function(1, 4), float)


# ----------------------------------------------------------------------------- score


def test_score_weighted_grid_published():
    # https://lecoursgratuit.com/grille-devaluation-des-reponses-a-appel-doffres-modeles-word/amp :
    # weights 35/25/30/10, ratings 4/3/4/5 out of 5 -> weighted 28 + 15 + 24 + 10 = 77 / 100.
    assert kpi.score([4, 3, 4, 5], [35, 25, 30, 10], 5, 100) == pytest.approx(77.0)
    # without rescaling: the weighted mean out of 5
    assert kpi.score([4, 3, 4, 5], [35, 25, 30, 10]) == pytest.approx(3.85)
    # the same grid shown out of 20
    assert kpi.score([4, 3, 4, 5], [35, 25, 30, 10], 5, 20) == pytest.approx(15.4)


def test_score_rescaling_needs_both_arguments():
    assert kpi.score([4, 2], [1, 1], max_rating=5) == pytest.approx(3.0)
    assert kpi.score([4, 2], [1, 1], scale=20) == pytest.approx(3.0)


def test_score_table_of_grids():
    ratings = np.array([[4, 3, 4, 5], [5, 5, 5, 5], [0, 0, 0, 0]])
    scores = kpi.score(ratings, [35, 25, 30, 10], 5, 100)
    assert scores == pytest.approx([77.0, 100.0, 0.0])
    # one grid per column
    assert kpi.score(ratings.T, [35, 25, 30, 10]) == pytest.approx([3.85, 5.0, 0.0])


def test_score_errors():
    with pytest.raises(NotAvailableError):
        kpi.score([1, 2, 3], [1, 1])
    with pytest.raises(DivisionByZeroError):
        kpi.score([1, 2], [0, 0])
    with pytest.raises(DomainError):
        kpi.score([1, 2], [1, -1])
    with pytest.raises(DomainError):
        kpi.score([1, 2], [1, 1], 0, 20)


# ----------------------------------------------------------------------------- variances, growth


def test_variances_electro_depot():
    # https://fr.scribd.com/document/622980697/Corrige-Electrodepot (BTS MCO): CA 9 800 vs objective 10 220
    # -> -420 (-4,1 %); marge 2 009 vs 2 085 -> -76 (-3,6 %); extrapolated CA 10 426 -> +206 (2,02 %).
    assert kpi.variance(9800, 10220) == pytest.approx(-420)
    assert kpi.variance_rate(9800, 10220) == pytest.approx(-0.041, abs=5e-4)
    assert kpi.variance(2009, 2085) == pytest.approx(-76)
    assert kpi.variance_rate(2009, 2085) == pytest.approx(-0.036, abs=5e-4)
    assert kpi.variance(10426, 10220) == pytest.approx(206)
    assert kpi.variance_rate(10426, 10220) == pytest.approx(0.0202, abs=5e-5)
    # Attainment is 1 + the relative variance.
    assert kpi.attainment(10426, 10220) == pytest.approx(1.0202, abs=5e-5)
    assert kpi.attainment(9800, 10220) == pytest.approx(1 - 0.041, abs=5e-4)


def test_growth_rate_electro_depot():
    # same source: CA 9 150 -> 9 800 "+7,1 %", marge 1 885 -> 2 009 "+6,6 %"
    assert kpi.growth_rate(9800, 9150) == pytest.approx(0.071, abs=5e-4)
    assert kpi.growth_rate(2009, 1885) == pytest.approx(0.066, abs=5e-4)


def test_tcam_bts_cg_2021(worked):
    # https://fr.scribd.com/document/683808226/Corrige-maths-CGO (published "0,570" is a typo for 0,0570)
    example = worked("tcam_bts_cg_2021")
    data, expected = example["inputs"], example["expected"]
    overall = kpi.growth_rate(data["CA_2018"], data["CA_2013"]) * 100
    assert overall == pytest.approx(expected["taux_global_pct"], abs=tolerance(example, "taux_global_pct"))
    tcam = kpi.cagr(data["CA_2018"], data["CA_2013"], data["n_annees"]) * 100
    assert tcam == pytest.approx(expected["TCAM_pct"], abs=tolerance(example, "TCAM_pct"))


def test_cagr_other_published_cases():
    # https://vittorina.fr/devoir/3576726 : 1 437 000 (2010) -> 1 672 300 (2018), n = 8 -> 1,91 %
    # (the answer's first line writes ^(1/7), its computation uses 1/8: 1/8 is the number of intervals).
    assert kpi.cagr(1672300, 1437000, 8) == pytest.approx(0.0191, abs=5e-5)
    # https://www.laurentvidal.fr/devoir/4346582 : +83 % in 9 years -> 1,83^(1/9) = 1,069, "environ 7 %"
    assert 1 + kpi.cagr(1.83, 1, 9) == pytest.approx(1.069, abs=5e-4)


def test_cagr_errors_and_broadcast():
    with pytest.raises(DivisionByZeroError):
        kpi.cagr(10, 0, 2)
    with pytest.raises(DomainError):
        kpi.cagr(10, 5, 0)
    with pytest.raises(DomainError):
        kpi.cagr(-10, 5, 2)
    assert kpi.cagr(0, 5, 2) == pytest.approx(-1.0)
    result = kpi.cagr([121, 100, 50], 100, [2, 0, 1])
    assert result[0] == pytest.approx(0.1)
    assert np.isnan(result[1])
    assert result[2] == pytest.approx(-0.5)


def test_index_base_published():
    # https://www.maxicours.com/se/cours/indice-simple-en-base-100/ : 136, 145, 200 -> 100, 106,6, 147,1
    assert kpi.index_base([136, 145, 200], 136) == pytest.approx([100, 106.6, 147.1], abs=0.05)
    # https://fr.m.wikiversity.org/wiki/Taux_d%27%C3%A9volution/Indice_simple_en_base_100 : baril
    # 27,37 -> 40,30 -> 65,04 : indices 147 and 238
    assert kpi.index_base(40.30, 27.37) == pytest.approx(147, abs=0.5)
    assert kpi.index_base(65.04, 27.37) == pytest.approx(238, abs=0.5)
    # https://schoolmouv.fr/formules/indice/formule-ses : PIB 1 485,3 -> 1 998,5 : 134,55
    assert kpi.index_base(1998.5, 1485.3) == pytest.approx(134.55, abs=0.005)
    # base 1 instead of 100
    assert kpi.index_base(150, 100, 1) == pytest.approx(1.5)


def test_zero_denominators():
    with pytest.raises(DivisionByZeroError):
        kpi.variance_rate(5, 0)
    with pytest.raises(DivisionByZeroError):
        kpi.growth_rate(5, 0)
    with pytest.raises(DivisionByZeroError):
        kpi.index_base(5, 0)
    with pytest.raises(DivisionByZeroError):
        kpi.attainment(5, 0)
    assert kpi.variance(np.array([1.0, 2.0]), 1) == pytest.approx([0.0, 1.0])


# ----------------------------------------------------------------------------- revenue variance

MON_JARDIN = dict(actual_qty=[2200, 4900], actual_price=[1250, 290], planned_qty=[2400, 4800], planned_price=[1235, 305])


def test_revenue_variance_mon_jardin():
    # https://fr.scribd.com/document/722367025/exercices-corrige-s-contro-le-des-ventes-1 (« Mon jardin »):
    # E/CA = -257 000, E/Q = -216 500, E/P = -40 500, E/composition = (593,169 - 615) x 7 100 = -155 000.
    # The sheet prints the volume effect "(7100 - 7200) x 615 = -615000": a typo for -61 500
    # (100 units x 615; -61 500 - 155 000 = -216 500 = E/Q). It also prints the planned total as
    # "442800" for 4 428 000.
    rows = dict(kpi.revenue_variance(**MON_JARDIN))
    labels = kpi.REVENUE_VARIANCE_LABELS
    assert list(rows) == [labels[k] for k in ("total", "price", "quantity", "volume", "mix")]
    assert rows[labels["total"]] == pytest.approx(-257000)
    assert rows[labels["price"]] == pytest.approx(-40500)
    assert rows[labels["quantity"]] == pytest.approx(-216500)
    assert rows[labels["volume"]] == pytest.approx(-61500)
    assert rows[labels["mix"]] == pytest.approx(-155000)


def test_revenue_variance_one_product():
    # Same sheet, per product: motoculteurs E/CA -214 000 = E/Q -247 000 + E/P +33 000;
    # tondeuses E/CA -43 000 = E/Q +30 500 + E/P -73 500.
    moto = kpi.revenue_variance(2200, 1250, 2400, 1235)
    assert [label for label, _ in moto] == [kpi.REVENUE_VARIANCE_LABELS[k] for k in ("total", "price", "quantity")]
    assert [amount for _, amount in moto] == pytest.approx([-214000, 33000, -247000])
    tondeuse = kpi.revenue_variance([4900], [290], [4800], [305])
    assert [amount for _, amount in tondeuse] == pytest.approx([-43000, -73500, 30500])


def test_revenue_variance_errors():
    with pytest.raises(NotAvailableError):
        kpi.revenue_variance([1, 2], [1, 2], [1], [1, 2])
    with pytest.raises(DomainError):
        kpi.revenue_variance([1, -2], [1, 2], [1, 2], [1, 2])
    with pytest.raises(DivisionByZeroError):
        kpi.revenue_variance([1, 2], [1, 2], [0, 0], [1, 2])
