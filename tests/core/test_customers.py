"""Clients et portefeuille: CLV, acquisition cost, churn, lifetime, ABC classes, RFM."""

import datetime as dt

import numpy as np
import pytest

from conftest import tolerance
from xlsales.core import customers
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

# ----------------------------------------------------------------------------- customer value


def test_clv_closed_form_worked_example(worked):
    # http://waycalculator.com/finance/Customers-Lifetime-Value-with-Discount-Rate-Calculator.php
    example = worked("clv_formule_fermee_unites")
    data = example["inputs"]
    value = customers.customer_value(data["Cm"], data["CRR"], data["DR"])
    assert value == pytest.approx(example["expected"]["CLV"], abs=tolerance(example, "CLV"))


def test_clv_closed_form_conversion_chart():
    # Same page, "Conversion Chart": margins 5..10 at 4,25 % retention and 12 % discount.
    published = [0.197216, 0.236659, 0.276102, 0.315545, 0.354988, 0.394432]
    values = [customers.customer_value(m, 0.0425, 0.12) for m in range(5, 11)]
    assert values == pytest.approx(published, abs=1e-6)


def test_valeur_client_bts_mco(worked):
    # https://cours-bts-mco.fr/valeur-client/
    example = worked("valeur_client_bts_mco")
    fid, acq = example["inputs"]["fidelisation"], example["inputs"]["acquisition"]
    expected = example["expected"]
    # Valeur de fidélisation = (marge annuelle - coût de fidélisation) x durée: CUSTOMER_VALUE with
    # retention 1 and no discounting over `duree_ans` years.
    fidelisation = customers.customer_value(
        fid["marge_annuelle"] - fid["cout_fidelisation_an"], 1, 0, years=fid["duree_ans"]
    )
    assert fidelisation == pytest.approx(expected["valeur_fidelisation"], abs=tolerance(example, "valeur_fidelisation"))
    # Valeur d'acquisition = (marge du 1er achat - coût de l'offre) / clients acquis: one period of the
    # margin per customer minus ACQUISITION_COST(offer, customers).
    cac = customers.acquisition_cost(acq["cout_offre"], acq["repondants"])
    per_customer = customers.customer_value(
        acq["marge_nette"] / acq["repondants"], 1, 0, years=1, acquisition_cost=cac
    )
    assert per_customer == pytest.approx(
        expected["valeur_acquisition_par_client"], abs=tolerance(example, "valeur_acquisition_par_client")
    )


def test_clv_year_by_year_table():
    # https://termpaperwarehouse.com/essay-on/Clv-8700-Profitable/110734 (same table on debraorton.com):
    # year 0 margin -41 (immediate: first_period = 0), then 427, 465 and 505 a year up to year 40,
    # discount 10 %. The retention is printed rounded ("86 %"); the table's own life expectancy
    # 1 / (1 - r) = 7,37 years gives r = 0,8643, which reproduces its columns to within 0,1 %
    # (the printed survival probabilities and PV factors are rounded to 2 decimals).
    retention = 1 - 1 / 7.37
    margins = [-41, 427, 465] + [505] * 38
    total = customers.customer_value(margins, retention, 0.10, first_period=0)
    assert total == pytest.approx(1723.63, rel=1e-3)
    after_3 = customers.customer_value(margins, retention, 0.10, years=4, first_period=0)
    assert after_3 == pytest.approx(826.17, rel=1e-3)
    assert customers.customer_lifetime(1 - retention) == pytest.approx(7.37)


def test_clv_finite_and_infinite_horizons_agree():
    # the finite sum tends to the closed form m r^f / (1+d)^(f-1) / (1+d-r)
    for first in (0, 1, 2):
        closed = customers.customer_value(100, 0.8, 0.1, first_period=first)
        long_sum = customers.customer_value(100, 0.8, 0.1, years=400, first_period=first)
        assert long_sum == pytest.approx(closed, rel=1e-12)
    assert customers.customer_value(100, 0.8, 0.1) == pytest.approx(100 * 0.8 / 0.3)
    assert customers.customer_value(100, 0.8, 0.1, first_period=0) == pytest.approx(100 * 1.1 / 0.3)


def test_clv_margin_range_and_years():
    # margins 100, 200, 300 received at t = 1, 2, 3 with r = 1, d = 0: plain sum; years cuts it
    assert customers.customer_value([100, 200, 300], 1, 0) == pytest.approx(600)
    assert customers.customer_value([100, 200, 300], 1, 0, years=2) == pytest.approx(300)
    assert customers.customer_value([100, 200, 300], 0.5, 0) == pytest.approx(50 + 50 + 37.5)
    with pytest.raises(NotAvailableError):
        customers.customer_value([100, 200], 1, 0, years=3)


def test_clv_broadcasts_over_rates():
    values = customers.customer_value(8, [0.0425, 1.2, 0.5], 0.12, acquisition_cost=[0, 0, 1])
    assert values[0] == pytest.approx(0.315545, abs=1e-6)
    assert np.isnan(values[1])  # retention above 1
    assert values[2] == pytest.approx(8 * 0.5 / 0.62 - 1)
    series = customers.customer_value([10, 10], np.array([0.5, 1.0]), 0)
    assert series == pytest.approx([5 + 2.5, 20])


def test_clv_domain_errors():
    with pytest.raises(DomainError):  # infinite horizon diverges
        customers.customer_value(100, 1, 0)
    with pytest.raises(DomainError):
        customers.customer_value(100, 0.9, -0.2)
    with pytest.raises(DomainError):
        customers.customer_value(100, 1.1, 0.5)
    with pytest.raises(DomainError):
        customers.customer_value(100, 0.5, -1)
    with pytest.raises(DomainError):
        customers.customer_value(100, 0.5, 0.1, years=0)
    with pytest.raises(DomainError):
        customers.customer_value(100, 0.5, 0.1, years=2.5)
    with pytest.raises(DomainError):
        customers.customer_value(100, 0.5, 0.1, first_period=-1)
    # with a finite horizon, retention 1 + discount is fine
    assert customers.customer_value(100, 1, 0, years=3) == pytest.approx(300)


# ----------------------------------------------------------------------------- CAC, churn, lifetime


def test_acquisition_cost_published():
    # http://wiki.adviz.ca/?post_type=lexique&p=1284 : 2 500 $ for 25 new customers -> 100 $
    assert customers.acquisition_cost(2500, 25) == pytest.approx(100)
    with pytest.raises(DivisionByZeroError):
        customers.acquisition_cost(2500, 0)
    with pytest.raises(DomainError):
        customers.acquisition_cost(-1, 3)


def test_churn_and_lifetime():
    assert customers.churn_rate(20, 100) == pytest.approx(0.2)
    assert customers.customer_lifetime(0.2) == pytest.approx(5.0)
    assert customers.customer_lifetime(customers.churn_rate(20, 100)) == pytest.approx(5.0)
    with pytest.raises(DivisionByZeroError):
        customers.churn_rate(2, 0)
    with pytest.raises(DivisionByZeroError):
        customers.customer_lifetime(0)
    with pytest.raises(DomainError):
        customers.customer_lifetime(1.5)
    with pytest.raises(DomainError):
        customers.churn_rate(-1, 10)
    lifetimes = customers.customer_lifetime(np.array([0.5, 0.0, -0.1]))
    assert lifetimes[0] == pytest.approx(2.0)
    assert np.isnan(lifetimes[1:]).all()


# ----------------------------------------------------------------------------- ABC

ALPHA = {"A": 6250, "B": 29480, "C": 276, "D": 350, "E": 2610, "F": 150, "G": 1260, "H": 50,
         "I": 38, "J": 1800, "K": 13500, "L": 1200, "M": 1200, "N": 4500, "O": 400}  # fmt: skip


def test_abc_pareto_alpha():
    # https://fr.scribd.com/document/512838402/La-loi-de-Pareto-3 (entreprise ALPHA, total 63 064):
    # B 46,75 %, K 68,15 %, A 78,06 % (3 articles = 20 % -> the "20/80" group), N 85,20 %.
    classes = dict(zip(ALPHA, customers.abc_class(list(ALPHA.values()))))
    assert sorted(k for k, c in classes.items() if c == "A") == ["A", "B", "K"]
    assert 3 / len(ALPHA) == pytest.approx(0.20)
    # cumulative shares (including the item) of the published table
    ordered = sorted(ALPHA.values(), reverse=True)
    cumulative = np.cumsum(ordered) / sum(ordered) * 100
    assert cumulative[:4] == pytest.approx([46.75, 68.15, 78.06, 85.20], abs=0.005)
    # with the default 80/95: N, E, J, G reach 85,20 / 89,34 / 92,19 / 94,19 % -> B; the rest -> C
    assert sorted(k for k, c in classes.items() if c == "B") == ["E", "G", "J", "N"]
    assert sum(c == "C" for c in classes.values()) == 8


def test_abc_first_item_always_a_and_ties_keep_order():
    # 90 alone exceeds 80 % but is "A"; the two tied 5 reach 95 % then 100 %: input order decides
    assert customers.abc_class([90, 5, 5]) == ["A", "B", "C"]
    assert customers.abc_class([5, 90, 5]) == ["B", "A", "C"]
    assert customers.abc_class([100]) == ["A"]
    # ties: 40, 40, 20 -> first 40 is 40 % (A), second 80 % (A), 20 -> 100 % (C)
    assert customers.abc_class([20, 40, 40]) == ["C", "A", "A"]
    # exact boundaries count in the lower class despite binary rounding (0.35+0.25+0.2+0.15 > 0.95 in floats)
    assert customers.abc_class([0.35, 0.25, 0.2, 0.15, 0.05]) == ["A", "A", "A", "B", "C"]
    # ties straddling the A limit: input order decides which one is A
    assert customers.abc_class([30, 30, 30, 10]) == ["A", "A", "B", "C"]


def test_abc_custom_shares_and_errors():
    assert customers.abc_class([50, 30, 15, 5], 0.7, 0.9) == ["A", "B", "C", "C"]
    assert customers.abc_class([50, 30, 15, 5], 0.5, 0.5) == ["A", "C", "C", "C"]
    with pytest.raises(DomainError):
        customers.abc_class([1, -1])
    with pytest.raises(DivisionByZeroError):
        customers.abc_class([0, 0])
    with pytest.raises(DomainError):
        customers.abc_class([1, 2], 0.9, 0.8)
    with pytest.raises(DomainError):
        customers.abc_class([1, 2], 0, 0.8)
    with pytest.raises(NotAvailableError):
        customers.abc_class([])


# ----------------------------------------------------------------------------- RFM


def _table(rows):
    header, *body = rows
    assert tuple(header) == customers.RFM_HEADER
    return {row[0]: row[1:] for row in body}


def test_rfm_hand_computed_quintiles():
    # 5 customers, bins = 5: each distinct value gets its own score 1..5.
    ids = ["c1", "c2", "c3", "c4", "c5", "c1", "c2", "c1", "c3", "c1", "c2", "c1"]
    days = [100, 90, 80, 70, 60, 150, 140, 200, 130, 210, 205, 208]
    amounts = [10, 20, 30, 40, 50, 10, 20, 10, 30, 10, 20, 10]
    table = _table(customers.rfm(ids, days, amounts))
    # as_of = 211; last purchases c1 210, c2 205, c3 130, c4 70, c5 60
    assert [table[c][0] for c in ("c1", "c2", "c3", "c4", "c5")] == [1, 6, 81, 141, 151]
    assert [table[c][1] for c in ("c1", "c2", "c3", "c4", "c5")] == [5, 3, 2, 1, 1]
    assert [table[c][2] for c in ("c1", "c2", "c3", "c4", "c5")] == [50, 60, 60, 40, 50]
    assert table["c1"][3:7] == (5, 5, 2, "552")
    # F: c4 and c5 tie at 1 purchase (nobody worse -> 1); c3 has 2 worse -> 1 + 5*2//5 = 3
    assert [table[c][4] for c in ("c1", "c2", "c3", "c4", "c5")] == [5, 4, 3, 1, 1]
    # M: 40 < 50 = 50 < 60 = 60 -> worse counts 0, 1, 1, 3, 3 -> scores 1, 2, 2, 4, 4
    assert [table[c][5] for c in ("c1", "c2", "c3", "c4", "c5")] == [2, 4, 4, 1, 2]
    assert [table[c][6] for c in ("c1", "c2", "c3", "c4", "c5")] == ["552", "444", "334", "211", "112"]
    assert [table[c][7] for c in ("c1", "c2", "c3", "c4", "c5")] == [
        "Fidèles",  # R 5 high, FM (5+2)/2 = 3.5 medium
        "Champions",
        "Fidèles",
        "En sommeil",
        "Perdus",
    ]


def test_rfm_dates_and_as_of():
    ids = ["A", "B", "A"]
    dates = [dt.date(2024, 1, 1), dt.datetime(2024, 1, 10), dt.date(2024, 1, 5)]
    rows = customers.rfm(ids, dates, [10, 20, 30], as_of=dt.date(2024, 1, 31))
    table = _table(rows)
    assert table["A"][:3] == (26.0, 2, 40.0)
    assert table["B"][:3] == (21.0, 1, 20.0)
    # Excel serials: 2024-01-01 is 45292
    serial = customers.rfm(["A"], [45292], [5], as_of=45300)
    assert serial[1][1] == 8.0
    # numeric ids given as floats come back as integers, first-appearance order kept
    assert [row[0] for row in customers.rfm([102.0, 101.0, 102.0], [1, 2, 3], [1, 1, 1])[1:]] == [102, 101]


def test_rfm_ties_share_scores_and_more_bins_than_customers():
    table = _table(customers.rfm(["a", "b"], [10, 10], [5, 5]))
    assert table["a"][3:6] == table["b"][3:6] == (1, 1, 1)
    table = _table(customers.rfm(["a", "b"], [10, 20], [5, 9]))
    # two customers, 5 bins: the better one has 1 worse -> 1 + 5*1//2 = 3
    assert table["b"][3:6] == (3, 1, 3)
    assert table["a"][3:6] == (1, 1, 1)


def test_rfm_errors():
    with pytest.raises(NotAvailableError):
        customers.rfm(["a", "b"], [1], [1, 2])
    with pytest.raises(NotAvailableError):
        customers.rfm([], [], [])
    with pytest.raises(DomainError):
        customers.rfm(["a"], [10], [1], bins=1)
    with pytest.raises(DomainError):
        customers.rfm(["a"], [10], [1], bins=10)
    with pytest.raises(DomainError):
        customers.rfm(["a"], [10], [1], as_of=5)
    with pytest.raises(BadValueError):
        customers.rfm(["a"], ["x"], [1])
    with pytest.raises(BadValueError):
        customers.rfm([None], [1], [1])


@pytest.mark.parametrize(
    "scores, segment",
    [
        ((5, 5, 5), "Champions"),
        ((4, 4, 4), "Champions"),
        ((5, 1, 1), "Nouveaux clients"),
        ((5, 1, 5), "Nouveaux clients"),
        ((5, 2, 4), "Fidèles"),
        ((3, 3, 3), "Fidèles"),
        ((4, 2, 2), "Prometteurs"),
        ((2, 5, 5), "À risque"),
        ((1, 3, 3), "À risque"),
        ((1, 2, 2), "Perdus"),
        ((2, 1, 2), "En sommeil"),
    ],
)
def test_rfm_segment_rule(scores, segment):
    assert customers.rfm_segment(*scores) == segment
    assert segment in customers.RFM_SEGMENTS
