"""Budgets (core): procurement figures, monthly stock plan, collections by payment terms, VAT paid the
following month and the cash budget — against figures worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import tolerance
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsales.core.budget import (
    CASH_ROWS,
    cash_budget,
    collections,
    procurement,
    stock_plan,
    vat_schedule,
)
from xlsales.core.errors import DivisionByZeroError, DomainError, NotAvailableError

# --------------------------------------------------------------------------------------------
# procurement
# --------------------------------------------------------------------------------------------


def test_procurement_wilson_exo_stock(worked):
    # https://fr.scribd.com/document/643396404/EXO-STOCK-docx: Q* = 600, 4 orders, every 90 days
    ex = worked("wilson_exo_stock")
    i, exp = ex["inputs"], ex["expected"]
    p = procurement(i["D_annuelle"], i["cout_passation"], i["prix_unitaire"], i["taux_possession"],
                    max_usage=10, avg_lead_time=8, max_lead_time=12, days_per_year=i["annee_jours"])
    assert p["eoq"] == pytest.approx(exp["Q_eco"], abs=tolerance(ex, "Q_eco"))
    assert p["orders"] == pytest.approx(exp["N_commandes"], abs=tolerance(ex, "N_commandes"))
    assert p["period_days"] == pytest.approx(exp["periode_jours"], abs=tolerance(ex, "periode_jours"))
    assert p["lot"] == 600


def test_procurement_safety_stock_and_reorder_point_by_hand():
    # lecoursgratuit.com « Stock de sécurité » ex. 1: 60 a day at most, 50 on average (18 000 a year of
    # 360 days), lead time 6 days at most, 5 on average → SS = 360 − 250 = 110; alert = 250 + 110 = 360
    p = procurement(18000, 50, 4, 0.25, max_usage=60, avg_lead_time=5, max_lead_time=6)
    assert p["avg_usage"] == 50
    assert p["safety_stock"] == pytest.approx(110)
    assert p["reorder_point"] == pytest.approx(360)
    # Q* = √(2 × 18 000 × 50 / (4 × 0.25)) = √1 800 000 = 1 341.64; lot 1 342; N* = 13.42; 26.83 days
    assert p["eoq"] == pytest.approx(1341.6408, abs=1e-4)
    assert p["lot"] == 1342
    assert p["orders"] == pytest.approx(13.4164, abs=1e-4)
    assert p["period_days"] == pytest.approx(26.8328, abs=1e-4)
    # a 365-day year changes the average usage, hence the safety stock
    p365 = procurement(18000, 50, 4, 0.25, 60, 5, 6, days_per_year=365)
    assert p365["avg_usage"] == pytest.approx(18000 / 365)
    assert p365["safety_stock"] == pytest.approx(360 - 5 * 18000 / 365)


def test_procurement_vectorised_and_edges():
    p = procurement(np.array([2400.0, 0.0]), 120, np.array([20.0, 5.0]), 0.08, np.array([10.0, 2.0]), 8, 12)
    assert p["eoq"].tolist() == [600.0, 0.0]
    assert p["lot"].tolist() == [600.0, 1.0]  # at least one unit per order
    assert p["orders"][0] == 4 and math.isnan(p["orders"][1]) and math.isnan(p["period_days"][1])
    assert p["safety_stock"][1] == 24  # no demand: the whole worst case
    assert procurement(10, 1, 10, 0.1, 1, 1, 1)["lot"] == 4  # Q* = √20 = 4.47
    assert procurement(45, 1, 2, 0.1, 1, 1, 1)["lot"] == 21  # √450 = 21.21


def test_procurement_errors():
    with pytest.raises(DivisionByZeroError):
        procurement(2400, 120, 0, 0.08, 10, 8, 12)
    with pytest.raises(DomainError) as error:
        procurement(36000, 120, 20, 0.08, 10, 8, 12)  # average usage 100 a day above the maximum 10
    assert error.value.argument == "max_usage"
    with pytest.raises(DomainError):
        procurement(2400, 120, 20, 0.08, 10, 8, 6)  # maximum lead time below the average
    with pytest.raises(DomainError):
        procurement(2400, 120, 20, 0.08, 10, 8, 12, days_per_year=0)


# --------------------------------------------------------------------------------------------
# stock plan
# --------------------------------------------------------------------------------------------


def test_stock_plan_by_hand():
    # stock 100, lot 100, safety 50. Month 1: 100 − 250 needs 200 more to end at 50: exactly 2 lots
    # (not 3). Month 2: 50 − 30 = 20 < 50: 1 lot → 120. Month 3: 120 − 70 = 50: none.
    plan = stock_plan([250, 30, 70], 100, 100, 50)
    assert plan["lots"].tolist() == [2, 1, 0]
    assert plan["entries"].tolist() == [200, 100, 0]
    assert plan["final"].tolist() == [50, 120, 50]
    assert plan["initial"].tolist() == [100, 50, 120]
    assert plan["consumption"].tolist() == [250, 30, 70]


def test_stock_plan_rounds_up_as_a_spreadsheet():
    # (0.1 + 0.2) / 0.1 = 3.0000000000000004 in floating point: 3 lots, as ROUNDUP(…; 0) shows
    plan = stock_plan([0.1 + 0.2], 0, 0.1, 0)
    assert plan["lots"].tolist() == [3]
    # a genuine fraction goes up
    assert stock_plan([0.31], 0, 0.1, 0)["lots"].tolist() == [4]


def test_stock_plan_errors():
    with pytest.raises(DomainError):
        stock_plan([10, 20], 5, 0, 0)
    with pytest.raises(DomainError):
        stock_plan([10, -20], 5, 10, 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e4), min_size=1, max_size=24), st.floats(0, 1e4), st.floats(0.5, 5e3),
       st.floats(0, 1e3))
def test_stock_plan_invariants(consumption, initial, lot, safety):
    plan = stock_plan(consumption, initial, lot, safety)
    final = plan["final"].to_numpy()
    assert np.all(final >= safety - 1e-6 * max(1, safety, lot))
    # the fewest whole lots: one lot less would have ended below the safety stock
    with_lots = plan["lots"].to_numpy() > 0
    assert np.all(final[with_lots] - lot < safety + 1e-6 * max(1, lot))
    assert np.allclose(plan["initial"].to_numpy()[1:], final[:-1])
    assert np.allclose(final, plan["initial"] + plan["entries"] - plan["consumption"])


# --------------------------------------------------------------------------------------------
# collections and VAT
# --------------------------------------------------------------------------------------------


def test_collections_by_hand():
    # sales TTC 12 000, 24 000, 18 000 after 9 600 and 14 400; 30 % cash, 50 % at 30 days, 20 % at 60 days
    got = collections([12000, 24000, 18000], [0.3, 0.5, 0.2], previous=[9600, 14400])
    assert got.tolist() == pytest.approx([12720, 16080, 19800])
    # without the months before, the start only collects the budget's own sales
    assert collections([12000, 24000, 18000], [0.3, 0.5, 0.2]).tolist() == pytest.approx([3600, 13200, 19800])
    # a previous month beyond the longest term counts nothing
    assert collections([100], [1.0], previous=[5000]).tolist() == [100]


def test_collections_conserve_amounts():
    amounts = np.array([100.0, 250.0, 75.0, 0.0, 0.0, 0.0])
    shares = [0.1, 0.4, 0.3, 0.2]
    assert collections(amounts, shares).sum() == pytest.approx(amounts.sum())


def test_vat_paid_the_following_month_with_credit_carried():
    vat = vat_schedule([1600, 2400, 2000, 4000, 3000, 500], [800, 1800, 1000, 4800, 1200, 900])
    assert vat["net"].tolist() == [800, 600, 1000, -800, 1000, -400]
    assert vat["due"].tolist() == [800, 600, 1000, 0, 1000, 0]
    assert vat["credit"].tolist() == [0, 0, 0, 800, 0, 400]
    assert vat["paid"].tolist() == [0, 800, 600, 1000, 0, 1000]
    with pytest.raises(NotAvailableError):
        vat_schedule([1, 2], [1])


# --------------------------------------------------------------------------------------------
# cash budget
# --------------------------------------------------------------------------------------------


def test_cash_budget_by_hand():
    """Three months worked by hand (VAT 20 %; customers 30 % / 50 % / 20 %; suppliers 60 % at 30 days,
    40 % at 60 days; salaries 3 000 + 40 %; a VAT credit in the second month)."""
    cb = cash_budget([10000, 20000, 15000], [5000, 24000, 6000], vat_rate=0.2, customer_shares=[0.3, 0.5, 0.2],
                     supplier_shares=[0, 0.6, 0.4], salaries=3000, charge_rate=0.4, other_receipts=[0, 2500, 0],
                     other_payments=[1000, 0, 500], opening_balance=2000, sales_before=[8000, 12000],
                     purchases_before=[4000, 9000])
    assert list(cb.columns) == list(CASH_ROWS) and cb.index.tolist() == [-2, -1, 0, 1, 2]
    budget = cb.loc[0:]
    expected = {
        "sales_ttc": [12000, 24000, 18000], "purchases_ttc": [6000, 28800, 7200],
        "customer_receipts": [12720, 16080, 19800], "total_receipts": [12720, 18580, 19800],
        "supplier_payments": [8400, 7920, 19680], "salaries": [3000] * 3, "social_charges": [1200] * 3,
        "vat_paid": [600, 1000, 0], "other_payments": [1000, 0, 500], "total_payments": [14200, 13120, 24380],
        "vat_net": [1000, -800, 1000], "vat_due": [1000, 0, 1000], "vat_credit": [0, 800, 0],
        "opening": [2000, 520, 5980], "net_flow": [-1480, 5460, -4580], "closing": [520, 5980, 1400],
    }
    for key, values in expected.items():
        assert budget[key].tolist() == pytest.approx(values), key
    before = cb.loc[:-1]
    assert before["sales_ttc"].tolist() == [9600, 14400] and before["vat_due"].tolist() == [800, 600]
    assert before["closing"].isna().all() and before["customer_receipts"].isna().all()


def test_cash_budget_checks():
    with pytest.raises(NotAvailableError):
        cash_budget([1, 2, 3], [1, 2])
    with pytest.raises(NotAvailableError):
        cash_budget([1, 2], [1, 2], sales_before=[1], purchases_before=[])
    with pytest.raises(DomainError):
        cash_budget([1, 2], [1, 2], vat_rate=-0.2)
    # no terms, no VAT, nothing else: the cash follows the sales minus the purchases
    cb = cash_budget([100, 200], [30, 50], vat_rate=0)
    assert cb["closing"].tolist() == [70, 220]
