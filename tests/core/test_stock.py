"""Stocks et budgets (core): Wilson, safety stock, reorder point, sales budget."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import tolerance
from xlsales.core import stock
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError
from xlsales.core.stock import eoq, reorder_point, safety_stock, sales_budget


# --------------------------------------------------------------------------------------------
# Worked example "wilson_exo_stock" — https://fr.scribd.com/document/643396404/EXO-STOCK-docx
# --------------------------------------------------------------------------------------------


def test_wilson_exo_stock(worked):
    ex = worked("wilson_exo_stock")
    i, exp = ex["inputs"], ex["expected"]
    q = eoq(i["D_annuelle"], i["cout_passation"], i["prix_unitaire"], i["taux_possession"])
    assert q == pytest.approx(exp["Q_eco"], abs=tolerance(ex, "Q_eco"))
    n = i["D_annuelle"] / q
    assert n == pytest.approx(exp["N_commandes"], abs=tolerance(ex, "N_commandes"))
    assert i["annee_jours"] / n == pytest.approx(exp["periode_jours"], abs=tolerance(ex, "periode_jours"))
    # at the optimum, ordering cost = holding cost (4 × 120 = 600 / 2 × 1.6 = 480)
    assert n * i["cout_passation"] == pytest.approx(q / 2 * i["prix_unitaire"] * i["taux_possession"])


def test_wilson_lecoursgratuit_exercise_1():
    # https://lecoursgratuit.com/brouillon-autoexercices-corriges-formule-de-wilson (exercice 1)
    # D = 12 000, S = 100 €, storage 2 € per unit and year (given directly: unit cost 2 €,
    # holding rate 100 %) → √1 200 000 ≈ 1 095,4 units.
    assert eoq(12000, 100, 2, 1) == pytest.approx(1095.4, abs=0.05)
    assert eoq(12000, 100, 20, 0.10) == pytest.approx(eoq(12000, 100, 2, 1))


def test_eoq_errors_and_edges():
    assert eoq(0, 120, 20, 0.08) == 0.0
    with pytest.raises(DivisionByZeroError) as error:
        eoq(2400, 120, 20, 0)
    assert error.value.argument == "holding_rate"
    with pytest.raises(DivisionByZeroError):
        eoq(2400, 120, 0, 0.08)
    for args in ((-1, 120, 20, 0.08), (2400, -1, 20, 0.08), (2400, 120, -20, 0.08), (2400, 120, 20, -0.08)):
        with pytest.raises(DomainError):
            eoq(*args)
    with pytest.raises(BadValueError):
        eoq("beaucoup", 120, 20, 0.08)


def test_eoq_broadcasts():
    result = eoq(np.array([2400.0, 2400.0, 9600.0]), 120, 20, np.array([0.08, 0.0, 0.08]))
    assert result[0] == pytest.approx(600)
    assert math.isnan(result[1])
    assert result[2] == pytest.approx(1200)  # ×4 demand → ×2 quantity


# --------------------------------------------------------------------------------------------
# Safety stock and reorder point
# --------------------------------------------------------------------------------------------


def test_safety_stock_lecoursgratuit():
    # https://lecoursgratuit.com/serie-dexercices-corriges-stock-de-securite
    # exercice 1: 60 × 6 − 50 × 5 = 110 units; exercice 2: 120 × 9 − 100 × 7 = 380 units.
    assert safety_stock(60, 6, 50, 5) == pytest.approx(110)
    assert safety_stock(120, 9, 100, 7) == pytest.approx(380)


def test_reorder_point_lecoursgratuit():
    # https://lecoursgratuit.com/exercices-corriges-sur-la-gestion-des-stocks/amp
    # exercice 2: stock d'alerte = 150 × 6 + 300 = 1 200; exercice 3: stock minimum 80 × 7 = 560.
    assert reorder_point(150, 6, 300) == pytest.approx(1200)
    assert reorder_point(80, 7) == pytest.approx(560)
    # chained with the safety stock of the other page (exercice 1: 50 a day, 5 days average)
    assert reorder_point(50, 5, safety_stock(60, 6, 50, 5)) == pytest.approx(360)


def test_safety_stock_and_reorder_point_errors():
    with pytest.raises(DomainError) as error:
        safety_stock(40, 6, 50, 5)
    assert error.value.argument == "max_usage"
    with pytest.raises(DomainError) as error:
        safety_stock(60, 4, 50, 5)
    assert error.value.argument == "max_lead_time"
    with pytest.raises(DomainError):
        safety_stock(60, 6, -50, 5)
    with pytest.raises(DomainError):
        reorder_point(-1, 5)
    with pytest.raises(DomainError):
        reorder_point(10, -5)
    with pytest.raises(DomainError):
        reorder_point(10, 5, -1)
    assert safety_stock(50, 5, 50, 5) == 0.0
    result = safety_stock(np.array([60.0, 40.0]), 6, 50, 5)
    assert result[0] == pytest.approx(110) and math.isnan(result[1])
    assert reorder_point([[150], [80]], [6, 7]).shape == (2, 2)


# --------------------------------------------------------------------------------------------
# Sales budget
# --------------------------------------------------------------------------------------------


def test_sales_budget_split_by_seasonal_coefficients():
    # coefficients with mean 1 (sum 4): share of each quarter = c / 4
    result = sales_budget(1000, [0.8, 1.2, 1.4, 0.6])
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, [200, 300, 350, 150])
    # shares summing to 1 or raw weights give the same split
    np.testing.assert_allclose(sales_budget(1000, [0.2, 0.3, 0.35, 0.15]), result)
    np.testing.assert_allclose(sales_budget(1000, [4, 6, 7, 3]), result)
    assert sales_budget(1111, [1.31, 0.69, 1.0, 1.0]).sum() == pytest.approx(1111)
    # 12 months with equal weights
    np.testing.assert_allclose(sales_budget(12000, [1] * 12), [1000] * 12)


def test_sales_budget_errors():
    with pytest.raises(DomainError):
        sales_budget(1000, [1, -1, 1, 1])
    with pytest.raises(DivisionByZeroError):
        sales_budget(1000, [0, 0, 0, 0])
    with pytest.raises(NotAvailableError):
        sales_budget(1000, [])
    with pytest.raises(BadValueError):
        sales_budget([1000, 2000], [1, 1])
    with pytest.raises(BadValueError):
        sales_budget(1000, [1, "x"])
    with pytest.raises(BadValueError):
        sales_budget(float("nan"), [1, 1])


def test_scalars_give_python_floats():
    for value in (eoq(2400, 120, 20, 0.08), safety_stock(60, 6, 50, 5), reorder_point(150, 6, 300)):
        assert type(value) is float


def test_all_lists_the_catalogue_functions():
    assert set(stock.__all__) == {"eoq", "safety_stock", "reorder_point", "sales_budget"}


positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(d=positive, co=positive, p=positive, t=st.floats(min_value=0.01, max_value=1.0))
def test_wilson_optimum_balances_costs(d, co, p, t):
    q = eoq(d, co, p, t)
    ordering, holding = d / q * co, q / 2 * p * t
    assert ordering == pytest.approx(holding, rel=1e-9)
    # any other quantity costs more
    total = ordering + holding
    for other in (q * 0.9, q * 1.1):
        assert d / other * co + other / 2 * p * t >= total * (1 - 1e-12)


@given(total=st.floats(min_value=-1e7, max_value=1e7), weights=st.lists(positive, min_size=1, max_size=12))
def test_sales_budget_adds_up(total, weights):
    result = sales_budget(total, weights)
    assert result.shape == (len(weights),)
    assert result.sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
