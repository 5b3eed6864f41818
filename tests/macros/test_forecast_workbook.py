"""Forecasts-and-budgets workbook: build it from sales lines, check its structure, recalculate it in
LibreOffice and compare every computed cell with :mod:`xlsales.core` (forecast, stock, budget) and
pandas on the same data; change inputs in the file, recalculate, compare again; read the typed
inputs back; run the template button's refresh on the JSON Excel sends."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from native_formulas import non_native_cells
from openpyxl.utils.cell import coordinate_to_tuple

from xlsales.core import budget as cb
from xlsales.core import (
    ets_forecast,
    forecast_auto,
    forecast_auto_report,
    linear_trend,
    moving_average,
    sales_budget,
    seasonal_coefficients,
    seasonal_forecast,
)
from xlsales.core._vector import excel_round
from xlsales.macros import forecast as fc
from xlsales.macros.forecast import (
    ACC_BEST,
    ACC_COLS,
    ACC_FIRST,
    ACC_HEADER,
    ACC_MAPE,
    AUTO_COL,
    AUTO_FIRST,
    BUDGET_CELLS,
    BUDGET_COLS,
    BUDGET_FIRST,
    BUDGET_TOTAL,
    CASH_HEADER,
    CASH_ROWS,
    CHART_FIRST,
    COEF_COLS,
    COEF_FIRST,
    COEF_MEAN,
    FC_COLS,
    FC_FIRST,
    FC_HEADER,
    FC_TOTAL,
    HIST_FIRST,
    LINE_ROWS,
    OBS_COLS,
    OBS_FIRST,
    SHEETS,
    SUPPLY_COLS,
    SUPPLY_FIRST,
    TERMS_FIRST,
    TERMS_TOTAL,
    TREND_FIRST,
    TREND_METHOD_COLS,
    TREND_ROWS,
    ForecastInputs,
    build_forecast,
    monthly_history,
    read_inputs,
    rows_of_workbook,
)
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.plan import col
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

P = 12
SEASON = {1: 0.92, 2: 0.95, 3: 1.18, 4: 1.02, 5: 0.96, 6: 1.04, 7: 0.88, 8: 0.48, 9: 1.06, 10: 1.12, 11: 1.15, 12: 1.24}
FAMILIES = {"Pompes": (850.0, 561.2, 3), "Filtres": (42.5, 23.8, 60), "Services": (120.0, 84.0, 12)}
REPS = pd.DataFrame({"rep": ["Alice", "Bruno", "Chloé"], "base_salary": [36000.0, 33600.0, 41400.0]})


def make_sales(seed: int = 11, start: str = "2022-03", end: str = "2025-07") -> pd.DataFrame:
    """Sales lines over 41 months (an odd number, not starting in January), three families."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, period in enumerate(pd.period_range(start, end, freq="M")):
        growth = 1 + 0.012 * k
        for family, (price, cost, base_qty) in FAMILIES.items():
            for _ in range(int(rng.integers(3, 8))):
                qty = max(1.0, round(base_qty / 5 * growth * SEASON[period.month] * rng.uniform(0.6, 1.4)))
                rows.append({
                    "date": period.to_timestamp() + pd.Timedelta(days=int(rng.integers(0, 27))),
                    "customer": f"C{int(rng.integers(1, 40)):03d}", "rep": str(rng.choice(REPS.rep)),
                    "product": family[:3].upper(), "family": family, "quantity": float(qty),
                    "unit_price": round(price * rng.uniform(0.95, 1.05), 2), "unit_cost": cost,
                    "discount": float(rng.choice([0.0, 0.05, 0.1])),
                })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------
# expected values: the core and pandas on the same inputs
# ------------------------------------------------------------------------------------------------

def _season(t: int) -> int:
    return (t - 1) % P + 1


def _raw_means(ratios: np.ndarray, seasons: np.ndarray) -> np.ndarray:
    """Mean ratio of each season, by pandas (the sheet's AVERAGEIF), ignoring missing ratios."""
    frame = pd.DataFrame({"season": seasons, "ratio": ratios}).dropna()
    return frame.groupby("season")["ratio"].mean().reindex(range(1, P + 1)).to_numpy()


def expected_cells(layout, y: np.ndarray, inp: ForecastInputs) -> dict:
    """{(sheet, row, column): value} for every formula cell of the computed sheets."""
    exp = {}
    n = len(y)
    t = np.arange(1.0, n + 1.0)
    seasons = np.array([_season(int(k)) for k in t])
    months = [pd.Timestamp(m).to_pydatetime() for m in layout.months]

    # Tendance
    ws, R = SHEETS["trend"], TREND_ROWS
    g = (n + 1) // 2
    points = {"extreme_points": (1.0, y[0], float(n), y[-1]),
              "mayer": (t[:g].mean(), y[:g].mean(), t[g:].mean(), y[g:].mean())}
    fits = {}
    for method, j in TREND_METHOD_COLS.items():
        a, b, r = linear_trend(y, method=method)
        fits[method] = a * t + b
        exp[(ws, R["a"], j)], exp[(ws, R["b"], j)] = a, b
        exp[(ws, R["r"], j)] = r if np.isfinite(r) else None  # constant data: the cell stays empty
        exp[(ws, R["sse"], j)] = float(np.sum((y - fits[method]) ** 2))
        if method in points:
            for key, value in zip(("x1", "y1", "x2", "y2"), points[method]):
                exp[(ws, R[key], j)] = float(value)
    for i in range(n):
        r = TREND_FIRST + i
        exp[(ws, r, 2)], exp[(ws, r, 3)] = months[i], y[i]
        for j, method in zip((4, 5, 6), ("least_squares", "extreme_points", "mayer")):
            exp[(ws, r, j)] = fits[method][i]

    # Saisonnalité
    ws, C, K = SHEETS["seasonal"], OBS_COLS, COEF_COLS
    mma = moving_average(y, P)
    a, b, _ = linear_trend(y)
    trend = a * t + b
    coef = {"mma": seasonal_coefficients(y, P, "moving_average"), "rt": seasonal_coefficients(y, P, "ratio_to_trend")}
    raw = {"raw_mma": _raw_means(y / mma, seasons), "raw_rt": _raw_means(y / trend, seasons)}
    cvs = y / coef["mma"][seasons - 1]
    line = {"cvs": linear_trend(cvs)[:2]}
    h = n - P
    yh = y[:h]
    coef["mma_h"] = seasonal_coefficients(yh, P, "moving_average")
    coef["rt_h"] = seasonal_coefficients(yh, P, "ratio_to_trend")
    line["trend_h"] = linear_trend(yh)[:2]
    trend_h = line["trend_h"][0] * t[:h] + line["trend_h"][1]
    cvs_h = yh / coef["mma_h"][seasons[:h] - 1]
    line["cvs_h"] = linear_trend(cvs_h)[:2]
    raw["raw_mma_h"] = _raw_means(yh / moving_average(yh, P), seasons[:h])
    raw["raw_rt_h"] = _raw_means(yh / trend_h, seasons[:h])
    for name in ("mma", "rt", "mma_h", "rt_h"):  # the manuals' normalisation of the pandas means is the core's
        np.testing.assert_allclose(raw["raw_" + name] / raw["raw_" + name].mean(), coef[name], rtol=1e-12)
    for j in range(P):
        r = COEF_FIRST + j
        for key in K:
            exp[(ws, r, K[key])] = (raw[key] if key.startswith("raw") else coef[key])[j]
    for key in K:
        exp[(ws, COEF_MEAN, K[key])] = float(np.mean(raw[key] if key.startswith("raw") else coef[key]))
    for key, (slope, intercept) in line.items():
        exp[(ws, LINE_ROWS[key], 16)], exp[(ws, LINE_ROWS[key], 17)] = slope, intercept
    for i in range(n):
        r = OBS_FIRST + i
        exp[(ws, r, C["month"])], exp[(ws, r, C["y"])] = months[i], y[i]
        if not np.isnan(mma[i]):
            exp[(ws, r, C["mma"])], exp[(ws, r, C["ratio_mma"])] = mma[i], y[i] / mma[i]
        exp[(ws, r, C["trend"])], exp[(ws, r, C["ratio_rt"])], exp[(ws, r, C["cvs"])] = trend[i], y[i] / trend[i], cvs[i]
        if i < h:
            exp[(ws, r, C["trend_h"])], exp[(ws, r, C["ratio_rt_h"])] = trend_h[i], yh[i] / trend_h[i]
            exp[(ws, r, C["cvs_h"])] = cvs_h[i]

    # Prévision
    ws, F = SHEETS["forecast"], FC_COLS
    future_t = np.arange(n + 1.0, n + P + 1.0)
    fseason = np.array([_season(int(k)) for k in future_t])
    forecast = seasonal_forecast(y, P, P, method="ratio_to_trend")
    forecast_mma = seasonal_forecast(y, P, P, method="moving_average")
    for k in range(P):
        r = FC_FIRST + k
        exp[(ws, r, F["trend"])] = a * future_t[k] + b
        exp[(ws, r, F["coef"])] = coef["rt"][fseason[k] - 1]
        exp[(ws, r, F["forecast"])], exp[(ws, r, F["forecast_mma"])] = forecast[k], forecast_mma[k]
    exp[(ws, FC_TOTAL, F["forecast"])], exp[(ws, FC_TOTAL, F["forecast_mma"])] = forecast.sum(), forecast_mma.sum()
    ets, auto = layout.ets, layout.auto
    exp[(ws, FC_TOTAL, F["ets"])] = float(np.sum(ets))
    if len(auto) == P:
        exp[(ws, FC_TOTAL, F["auto"])] = float(np.sum(auto))
    A = ACC_COLS
    held = y[h:]
    methods = {"rt": seasonal_forecast(yh, P, P, method="ratio_to_trend"),
               "mma": seasonal_forecast(yh, P, P, method="moving_average"),
               "naive": y[h - P:h], "ets": layout.ets_holdout}
    names = {"rt": "Tendance × coefficients", "mma": "CVS et moyennes mobiles", "naive": "Même mois un an plus tôt",
             "ets": "Holt-Winters (calculé par Python)"}
    mapes = {}
    for key, values in methods.items():
        ape = np.abs(held - values) / np.abs(held)
        mapes[key] = float(ape.mean())
        for k in range(P):
            exp[(ws, ACC_FIRST + k, A["ape_" + key])] = ape[k]
            if key != "ets":
                exp[(ws, ACC_FIRST + k, A[key])] = values[k]
        exp[(ws, ACC_MAPE, A["ape_" + key])] = mapes[key]
    for k in range(P):
        exp[(ws, ACC_FIRST + k, A["month"])], exp[(ws, ACC_FIRST + k, A["actual"])] = months[h + k], held[k]
    exp[(ws, ACC_BEST, A["ape_rt"])] = names[min(mapes, key=mapes.get)]
    for i in range(n):
        exp[(ws, CHART_FIRST + i, 2)] = y[i]
    for k in range(P):
        r = CHART_FIRST + n + k
        exp[(ws, r, 3)], exp[(ws, r, 4)] = forecast[k], ets[k]
        if k < len(auto):
            exp[(ws, r, 5)] = auto[k]

    # Budget des ventes
    ws, B = SHEETS["budget"], BUDGET_COLS
    use = coef["mma"] if inp.coefficients == "moyennes mobiles" else coef["rt"]
    coefs = use[fseason - 1]
    budget = sales_budget(inp.annual_target, coefs)
    last_year = y[n - P:]
    quantity = excel_round(budget / inp.average_price, 0)
    for k in range(P):
        r = BUDGET_FIRST + k
        values = {"coef": coefs[k], "share": coefs[k] / coefs.sum(), "budget": budget[k], "cumul": budget[:k + 1].sum(),
                  "quantity": quantity[k], "last_year": last_year[k], "growth": budget[k] / last_year[k] - 1}
        for key, value in values.items():
            exp[(ws, r, B[key])] = value
    totals = {"coef": coefs.sum(), "share": 1.0, "budget": budget.sum(), "quantity": quantity.sum(),
              "last_year": last_year.sum(), "growth": budget.sum() / last_year.sum() - 1}
    for key, value in totals.items():
        exp[(ws, BUDGET_TOTAL, B[key])] = value
    for key, value in (("forecast", forecast.sum()), ("gap", inp.annual_target - forecast.sum()),
                       ("gap_rate", (inp.annual_target - forecast.sum()) / forecast.sum())):
        exp[(ws, *coordinate_to_tuple(BUDGET_CELLS[key]))] = value

    # Approvisionnement
    ws, S = SHEETS["supply"], SUPPLY_COLS
    shares = coefs / coefs.sum()
    blocks = layout.supply_blocks
    purchases = np.zeros(P)
    for i, fam in enumerate(inp.families):
        r = SUPPLY_FIRST + i
        p = cb.procurement(fam.demand, fam.order_cost, fam.unit_cost, fam.holding_rate, fam.max_usage, fam.avg_lead,
                           fam.max_lead, inp.days_per_year)
        for key in ("eoq", "lot", "orders", "period_days", "avg_usage", "safety_stock", "reorder_point"):
            exp[(ws, r, S[key])] = p[key]
        plan = cb.stock_plan(fam.demand * shares, fam.initial_stock, p["lot"], p["safety_stock"])
        spent = plan["entries"].to_numpy() * fam.unit_cost
        purchases += spent
        for m in range(P):
            exp[(ws, blocks["consumption"] + i, 2 + m)] = plan["consumption"][m]
            exp[(ws, blocks["initial"] + i, 2 + m)] = plan["initial"][m]
            exp[(ws, blocks["entries"] + i, 2 + m)] = plan["entries"][m]
            exp[(ws, blocks["final"] + i, 2 + m)] = plan["final"][m]
            exp[(ws, blocks["purchases"] + i, 2 + m)] = spent[m]
        exp[(ws, blocks["consumption"] + i, 2 + P)] = fam.demand
        exp[(ws, blocks["entries"] + i, 2 + P)] = plan["entries"].sum()
        exp[(ws, blocks["purchases"] + i, 2 + P)] = spent.sum()
    for m in range(P):
        exp[(ws, layout.purchases_total_row, 2 + m)] = purchases[m]
    exp[(ws, layout.purchases_total_row, 2 + P)] = purchases.sum()

    # Trésorerie
    ws = SHEETS["cash"]
    keys = [fc._key(d) for d in layout.future]
    frame = cb.cash_budget(budget, purchases, vat_rate=inp.vat_rate, customer_shares=inp.customer_shares,
                           supplier_shares=inp.supplier_shares, salaries=[inp.salaries[k] for k in keys],
                           charge_rate=inp.charge_rate, other_receipts=[inp.other_receipts[k] for k in keys],
                           other_payments=[inp.other_payments[k] for k in keys], opening_balance=inp.opening_balance,
                           sales_before=y[-3:], purchases_before=[inp.purchases_before[fc._key(d)] for d in layout.before])
    inputs = {"other_receipts", "salaries", "other_payments"}
    for offset, rec in frame.iterrows():
        j = 5 + offset
        for key, r in CASH_ROWS.items():
            if offset < 0 and key not in ("sales_ht", "vat_collected", "sales_ttc", "vat_deductible", "purchases_ttc",
                                          "vat_net", "vat_due", "vat_credit"):
                continue
            if key in inputs:
                continue
            exp[(ws, r, j)] = rec[key]
    for key in ("sales_ht", "vat_collected", "sales_ttc", "purchases_ht", "vat_deductible", "purchases_ttc",
                "customer_receipts", "other_receipts", "total_receipts", "supplier_payments", "salaries",
                "social_charges", "vat_paid", "other_payments", "total_payments", "net_flow"):
        exp[(ws, CASH_ROWS[key], 17)] = float(frame.loc[0:, key].sum())
    exp[(ws, TERMS_TOTAL, 2)], exp[(ws, TERMS_TOTAL, 3)] = sum(inp.customer_shares), sum(inp.supplier_shares)
    return exp


def same(actual, expected) -> bool:
    if expected is None:
        return actual in (None, "")
    if isinstance(expected, dt.datetime):
        return isinstance(actual, dt.datetime) and actual == expected
    if isinstance(expected, str):
        return actual == expected
    return (isinstance(actual, (int, float)) and not isinstance(actual, bool)
            and abs(actual - expected) <= 1e-9 * max(1.0, abs(expected)))


def compare(values, exp) -> list:
    return [(sheet, f"{col(c)}{r}", values[sheet].cell(r, c).value, e)
            for (sheet, r, c), e in sorted(exp.items()) if not same(values[sheet].cell(r, c).value, e)]


def no_errors(values) -> list:
    return [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]


# ------------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sales():
    return make_sales()


@pytest.fixture(scope="module")
def built(sales, tmp_path_factory):
    plan, layout = build_forecast(sales, reps=REPS)
    path = tmp_path_factory.mktemp("forecast") / "previsions.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    return recalculated_workbook(built[2], tmp_path_factory.mktemp("recalc"))


# ------------------------------------------------------------------------------------------------
# data and structure
# ------------------------------------------------------------------------------------------------

def test_history_from_sales_lines(sales, built):
    _, layout, _ = built
    lines = sales.assign(revenue=excel_round(sales.quantity * sales.unit_price * (1 - sales.discount)))
    by_month = lines.groupby(lines.date.dt.to_period("M"))["revenue"].sum()
    assert layout.n == 41 and layout.months[0] == dt.date(2022, 3, 1) and layout.months[-1] == dt.date(2025, 7, 1)
    np.testing.assert_allclose(layout.revenue, by_month.to_numpy(), atol=0.005)
    assert layout.future[0] == dt.date(2025, 8, 1) and layout.future[-1] == dt.date(2026, 7, 1)
    assert layout.before == [dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)]
    # a month without sales inside the range counts 0; --year 2025 (the budgeted year) cuts the
    # history at December 2024
    gap = sales[sales.date.dt.to_period("M") != pd.Period("2023-05", "M")]
    hist = monthly_history(gap, year=2025)
    assert len(hist) == 34 and hist.month.iloc[-1] == pd.Timestamp("2024-12-01")
    assert hist.loc[hist.month == pd.Timestamp("2023-05-01"), "revenue"].item() == 0.0
    with pytest.raises(ValueError, match="aucune donnée avant 2022"):
        monthly_history(sales, year=2022)
    with pytest.raises(ValueError, match="jusqu'en décembre 2025 : les données s'arrêtent en 07/2025"):
        monthly_history(sales, year=2026)
    plan = fc.plan_from_files(sales, year=2025)
    assert plan.sheet("Budget des ventes").cells[(1, 1)].value.startswith("Budget des ventes 2025")
    with pytest.raises(ValueError, match="24 mois d'historique au moins"):
        build_forecast(sales[sales.date < "2023-12-01"])
    with pytest.raises(ValueError, match="mois manquant dans l'historique : 06/2023"):
        build_forecast(history=hist[hist.month != pd.Timestamp("2023-06-01")])


def test_defaults_drawn_from_the_data(sales, built):
    _, layout, _ = built
    inp = layout.inputs
    last12 = sales[sales.date >= "2024-08-01"]
    revenue12 = layout.revenue[-12:].sum()
    assert inp.average_price == pytest.approx(round(revenue12 / last12.quantity.sum(), 2), abs=1e-9)
    forecast_total = seasonal_forecast(layout.revenue, 12, 12).sum()
    assert inp.annual_target == round(forecast_total, -2)
    assert [f.name for f in inp.families] == ["Filtres", "Pompes", "Services"]
    filtres = inp.families[0]
    q = last12[last12.family == "Filtres"].groupby(last12.date.dt.to_period("M")).quantity.sum()
    assert filtres.demand == q.sum() and filtres.unit_cost == 23.8
    assert filtres.max_usage == pytest.approx(np.ceil(q.max() / 30 * 100) / 100)
    assert filtres.max_usage >= filtres.demand / 360  # the safety stock cannot go negative
    assert (filtres.order_cost, filtres.holding_rate, filtres.avg_lead, filtres.max_lead) == (80, 0.1, 10, 15)
    assert inp.salary == (36000 + 33600 + 41400) / 12 and set(inp.salaries.values()) == {inp.salary}
    cost = last12.assign(c=last12.quantity * last12.unit_cost)
    june = cost[cost.date.dt.to_period("M") == pd.Period("2025-06", "M")].c.sum()
    assert inp.purchases_before["2025-06"] == pytest.approx(june, abs=0.005)
    # Python forecasts: what the core gives on the same history
    np.testing.assert_allclose(layout.ets, ets_forecast(layout.revenue, 12, 12))
    np.testing.assert_allclose(layout.ets_holdout, ets_forecast(layout.revenue[:-12], 12, 12))
    np.testing.assert_allclose(layout.auto, forecast_auto(layout.revenue, 12, 12))
    assert layout.report == forecast_auto_report(layout.revenue, 12, 12) and layout.auto_horizon == 12


def test_structure(built):
    plan, layout, path = built
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Historique", "Tendance", "Saisonnalité", "Prévision", "Budget des ventes",
                             "Approvisionnement", "Trésorerie"]
    assert {s.name: s.role for s in plan.sheets} == {name: "input" if name == "Historique" else "output"
                                                     for name in wb.sheetnames}
    assert wb.active.title == "Prévision"
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.orientation == ("portrait" if ws.title == "Historique" else "landscape"), ws.title
        assert ws.oddFooter.center.text, ws.title
    assert wb["Historique"].freeze_panes == "A5" and wb["Tendance"].freeze_panes == f"A{TREND_FIRST}"
    assert wb["Prévision"].freeze_panes == f"A{FC_FIRST}" and wb["Trésorerie"].freeze_panes == f"B{CASH_HEADER + 1}"
    assert wb["Prévision"].print_title_rows == "$5:$5"

    hist = wb["Historique"]
    assert [hist.cell(4, c).value for c in (1, 2)] == ["Mois", "CA HT"]
    assert hist.cell(HIST_FIRST, 1).value == dt.datetime(2022, 3, 1)
    assert hist.cell(HIST_FIRST + 40, 2).value == pytest.approx(layout.revenue[-1])
    for r in (HIST_FIRST, HIST_FIRST + 40, HIST_FIRST + 41 + 23):  # history and the spare rows are typed in
        assert not hist.cell(r, 1).protection.locked and not hist.cell(r, 2).protection.locked
    # inputs typed on the computed sheets: unlocked; every formula: locked
    unlocked = {("Budget des ventes", a) for a in ("B4", "B5", "B6")}
    unlocked |= {("Approvisionnement", f"{col(SUPPLY_COLS[k])}{SUPPLY_FIRST + i}") for i in range(3)
                 for k in ("demand", "order_cost", "unit_cost", "holding_rate", "max_usage", "avg_lead", "max_lead",
                           "initial_stock")} | {("Approvisionnement", "B4")}
    unlocked |= {("Trésorerie", a) for a in ("B4", "B5", "B6")}
    unlocked |= {("Trésorerie", f"{c}{TERMS_FIRST + k}") for c in "BC" for k in range(4)}
    unlocked |= {("Trésorerie", f"{col(c)}{CASH_ROWS['purchases_ht']}") for c in (2, 3, 4)}
    unlocked |= {("Trésorerie", f"{col(5 + m)}{CASH_ROWS[k]}") for m in range(12)
                 for k in ("salaries", "other_receipts", "other_payments")}
    found = {(ws.title, c.coordinate) for ws in wb.worksheets if ws.title != "Historique" for row in ws.iter_rows()
             for c in row if c.value is not None and c.protection.locked is False}
    assert found == unlocked
    formulas = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    formulas += 1
                    assert cell.protection.locked, (ws.title, cell.coordinate)
    assert formulas > 1500
    # FORECAST_AUTO, ETS_FORECAST… are computed by Excel formulas here, not UDFs; nothing even of Excel 2010
    assert non_native_cells(wb, "_XLFN") == []

    # the formulas themselves, where the issue names them
    trend = wb["Tendance"]
    last = TREND_FIRST + 40
    assert trend["B5"].value == f"=SLOPE($C${TREND_FIRST}:$C${last},$A${TREND_FIRST}:$A${last})"
    assert trend["B7"].value == f'=IFERROR(CORREL($A${TREND_FIRST}:$A${last},$C${TREND_FIRST}:$C${last}),"")'
    assert trend["D9"].value == f"=AVERAGE($A${TREND_FIRST}:$A${TREND_FIRST + 20})"  # n = 41: group 1 takes 21
    assert trend["D11"].value == f"=AVERAGE($A${TREND_FIRST + 21}:$A${last})"
    supply = wb["Approvisionnement"]
    assert supply["F7"].value == "=SQRT(2*B7*C7/(D7*E7))" and supply["N7"].value == "=K7*M7-J7*L7"
    cash = wb["Trésorerie"]
    assert cash["E31"].value == "=D36"  # VAT of the month before, paid this month
    assert cash["E24"].value == "=$B$9*E19+$B$10*D19+$B$11*C19+$B$12*B19"
    assert [cash.cell(CASH_HEADER, c).value for c in (2, 5, 16)] == ["mai 2025", "août 2025", "juil. 2026"]

    # validations, conditional formats, charts
    def validations(ws):
        def value(text):
            try:
                return float(text)
            except ValueError:
                return text

        return {(dv.type, str(dv.sqref), value(dv.formula1)) for dv in ws.data_validations.dataValidation}

    assert ("list", "B5", '"rapports à la tendance,moyennes mobiles"') in validations(wb["Budget des ventes"])
    assert ("date", f"A{HIST_FIRST}:A{HIST_FIRST + 41 + 23}", 1) in validations(hist)
    assert ("decimal", f"B{TERMS_FIRST}:C{TERMS_FIRST + 3}", 0) in validations(cash)

    def rules(ws):
        return [(str(rng.sqref), rule.type, rule.operator, list(rule.formula or []))
                for rng in ws.conditional_formatting for rule in rng.rules]

    assert ("E41:P41", "cellIs", "lessThan", ["0"]) in rules(cash) and ("E39:P39", "cellIs", "lessThan", ["0"]) in rules(cash)
    assert any(r[1] == "expression" and r[3] == [f'$P{AUTO_FIRST}="oui"'] for r in rules(wb["Prévision"]))
    assert {ws.title: len(ws._charts) for ws in wb.worksheets} == {
        "Historique": 0, "Tendance": 1, "Saisonnalité": 1, "Prévision": 1, "Budget des ventes": 1,
        "Approvisionnement": 0, "Trésorerie": 1}


def test_forecast_auto_report_and_python_values_in_the_sheet(built):
    plan, layout, _ = built
    sheet = plan.sheet("Prévision")
    report = forecast_auto_report(layout.revenue, 12, 12)
    chosen = next(row for row in report if row.chosen)
    sentence = sheet.cells[(5, AUTO_COL)].value
    assert sentence.startswith(f"Méthode retenue : {chosen.method} ({chosen.window}), erreur moyenne au back-test : ")
    assert sentence.endswith(f"{chosen.mape * 100:.1f} %.".replace(".", ",", 1))
    for i, row in enumerate(report):
        got = [sheet.cells[(AUTO_FIRST + i, AUTO_COL + k)].value for k in range(4)]
        assert got == [row.method, row.window, row.mape if row.mape is not None else "non évaluée",
                       "oui" if row.chosen else ""]
    assert (AUTO_FIRST + len(report), AUTO_COL) not in sheet.cells
    ets = ets_forecast(layout.revenue, 12, 12)
    auto = forecast_auto(layout.revenue, 12, 12)
    held = ets_forecast(layout.revenue[:-12], 12, 12)
    for k in range(12):
        assert sheet.cells[(FC_FIRST + k, FC_COLS["ets"])].value == pytest.approx(ets[k], rel=1e-12)
        assert sheet.cells[(FC_FIRST + k, FC_COLS["auto"])].value == pytest.approx(auto[k], rel=1e-12)
        assert sheet.cells[(ACC_FIRST + k, ACC_COLS["ets"])].value == pytest.approx(held[k], rel=1e-12)
    assert "calculé par Python" in sheet.cells[(FC_HEADER, FC_COLS["ets"])].value


def test_every_output_formula_is_checked(built):
    plan, layout, _ = built
    exp = expected_cells(layout, layout.revenue, layout.inputs)
    for sheet in plan.sheets:
        formulas = {(sheet.name, r, c) for (r, c), spec in sheet.cells.items() if spec.formula}
        checked = {k for k in exp if k[0] == sheet.name}
        assert formulas == checked, (sheet.name, sorted(formulas ^ checked)[:6])


# ------------------------------------------------------------------------------------------------
# values after LibreOffice recalculation
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_no_error_cells(values):
    assert no_errors(values) == []


@requires_libreoffice
def test_every_computed_cell_matches_the_core(values, built):
    _, layout, _ = built
    assert compare(values, expected_cells(layout, layout.revenue, layout.inputs)) == []
    # a few figures checked by hand on the recalculated values
    fcs = values["Prévision"]
    assert fcs.cell(FC_FIRST, 2).value == dt.datetime(2025, 8, 1) and fcs.cell(FC_FIRST, 3).value == 6  # August: season 6
    assert values["Saisonnalité"].cell(COEF_FIRST, 2).value == "mars"  # season 1 = the first month of the history
    budget = values["Budget des ventes"]
    assert budget.cell(BUDGET_TOTAL, BUDGET_COLS["budget"]).value == pytest.approx(layout.inputs.annual_target)
    cash = values["Trésorerie"]
    # August receipts: 20 % of August TTC + 50 % of July + 30 % of June (history × 1.2)
    aug = 0.2 * budget.cell(BUDGET_FIRST, 5).value * 1.2 + 0.5 * layout.revenue[-1] * 1.2 + 0.3 * layout.revenue[-2] * 1.2
    assert cash.cell(CASH_ROWS["customer_receipts"], 5).value == pytest.approx(aug, abs=0.005)
    assert cash.cell(CASH_ROWS["opening"], 6).value == pytest.approx(cash.cell(CASH_ROWS["closing"], 5).value)


@requires_libreoffice
def test_changed_inputs_change_the_outputs(built, tmp_path):
    """The formulas are live: history, target, coefficient method, Wilson and cash inputs edited in the file."""
    plan, layout, _ = built
    path = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    y = layout.revenue.copy()
    inp = replace(layout.inputs, families=[replace(f) for f in layout.inputs.families],
                  salaries=dict(layout.inputs.salaries), purchases_before=dict(layout.inputs.purchases_before))
    hist = wb["Historique"]
    hist.cell(HIST_FIRST + 10, 2).value = y[10] = 99999.99  # a corrected month
    hist.cell(HIST_FIRST + 40, 2).value = y[40] = 123456.78  # the last month (held out, « un an plus tôt »…)
    budget = wb["Budget des ventes"]
    budget["B4"] = inp.annual_target = 2_000_000.0
    budget["B5"] = inp.coefficients = "moyennes mobiles"
    budget["B6"] = inp.average_price = 61.5
    supply = wb["Approvisionnement"]
    supply.cell(SUPPLY_FIRST, SUPPLY_COLS["demand"]).value = inp.families[0].demand = 5000.0
    supply.cell(SUPPLY_FIRST, SUPPLY_COLS["max_usage"]).value = inp.families[0].max_usage = 20.0
    supply.cell(SUPPLY_FIRST + 1, SUPPLY_COLS["holding_rate"]).value = inp.families[1].holding_rate = 0.25
    supply.cell(SUPPLY_FIRST + 2, SUPPLY_COLS["initial_stock"]).value = inp.families[2].initial_stock = 0.0
    supply["B4"] = inp.days_per_year = 365.0
    cash = wb["Trésorerie"]
    cash["B4"] = inp.opening_balance = -80_000.0
    cash["B5"] = inp.vat_rate = 0.055
    for k, share in enumerate((0.1, 0.3, 0.4, 0.2)):
        cash.cell(TERMS_FIRST + k, 2).value = share
    inp.customer_shares = (0.1, 0.3, 0.4, 0.2)
    cash.cell(CASH_ROWS["salaries"], 7).value = 150_000.0  # October 2025
    inp.salaries["2025-10"] = 150_000.0
    cash.cell(CASH_ROWS["purchases_ht"], 4).value = inp.purchases_before["2025-07"] = 5_000.0
    wb.save(path)

    after = recalculated_workbook(path, tmp_path / "after")
    assert no_errors(after) == []
    # Holt-Winters and FORECAST_AUTO are values: they stay as computed at build time
    assert compare(after, expected_cells(layout, y, inp)) == []
    closing = [after["Trésorerie"].cell(CASH_ROWS["closing"], 5 + m).value for m in range(12)]
    assert closing[0] < 0  # the negative opening shows, in red (conditional format checked above)
    assert after["Budget des ventes"].cell(BUDGET_TOTAL, 5).value == pytest.approx(2_000_000.0)
    assert after["Tendance"].cell(TREND_FIRST + 10, 3).value == 99999.99


# ------------------------------------------------------------------------------------------------
# reading the inputs back, rebuilding, the sample company
# ------------------------------------------------------------------------------------------------

def test_read_inputs_round_trip(built):
    plan, layout, path = built
    got = read_inputs(rows_of_workbook(openpyxl.load_workbook(path)))
    want = layout.inputs
    assert got.families == want.families
    for name in ("annual_target", "coefficients", "average_price", "days_per_year", "opening_balance", "vat_rate",
                 "charge_rate", "customer_shares", "supplier_shares", "purchases_before", "salaries", "other_receipts",
                 "other_payments"):
        assert getattr(got, name) == getattr(want, name), name
    hist = pd.DataFrame({"month": layout.months, "revenue": layout.revenue})
    again, _ = build_forecast(history=hist, inputs=got)
    for sheet in plan.sheets:
        cells = dict(sheet.cells)
        if sheet.name == "Historique":  # the note on where the figures come from is for sales lines only
            assert cells.pop((3, 1)).value.startswith("Pré-rempli avec la somme des lignes de ventes")
        assert again.sheet(sheet.name).cells == cells, sheet.name
    # one more month of history: typed amounts stay on their months, the new budget month gets the default
    longer = pd.concat([hist, pd.DataFrame({"month": [dt.date(2025, 8, 1)], "revenue": [150000.0]})])
    _, layout3 = build_forecast(history=longer, inputs=got)
    assert layout3.future[-1] == dt.date(2026, 8, 1)
    assert layout3.inputs.salaries["2026-07"] == want.salaries["2026-07"]
    assert layout3.inputs.salaries["2026-08"] == 0.0  # no reps given to this rebuild, none typed
    assert layout3.inputs.purchases_before["2025-08"] == 150000.0 * fc.DEFAULT_COST_RATIO


def test_short_history_leaves_out_what_it_cannot_compute():
    """25 months of a plain history: no held-out year (36 needed), no FORECAST_AUTO (26 needed)."""
    months = pd.date_range("2023-01-01", periods=25, freq="MS")
    y = np.array([100 + 3 * k for k in range(25)]) * np.array([SEASON[m.month] for m in months])
    plan, layout = build_forecast(history=pd.DataFrame({"month": months, "revenue": y}))
    assert not layout.holdout and layout.report is None and layout.auto is None and layout.ets is not None
    sheet = plan.sheet("Prévision")
    assert sheet.cells[(ACC_HEADER, 1)].value == "Non disponible : 36 mois d'historique au moins (25 fournis)."
    assert sheet.cells[(5, AUTO_COL)].value == ("Non disponible : FORECAST_AUTO demande au moins 26 mois "
                                                "d'historique (25 fournis).")
    assert not [rc for rc, spec in sheet.cells.items() if spec.formula and rc[0] >= ACC_HEADER and rc[0] < CHART_FIRST]
    assert all(sheet.cells[(FC_FIRST + k, FC_COLS["auto"])].value is None for k in range(12))
    assert [s.title for s in sheet.charts[0].series] == ["CA HT réalisé", "Prévision (tendance × coefficient)",
                                                          "Holt-Winters"]
    seasonal = plan.sheet("Saisonnalité")
    held_out = {(r, c) for r in range(COEF_FIRST, COEF_MEAN + 1) for c in (8, 9, 10, 11)}
    held_out |= {(r, c) for r in range(OBS_FIRST, OBS_FIRST + 25) for c in (11, 12, 13)}
    held_out |= {(LINE_ROWS[k], c) for k in ("trend_h", "cvs_h") for c in (15, 16, 17)}
    assert not held_out & set(seasonal.cells)
    assert seasonal.cells[(LINE_ROWS["cvs"], 16)].formula.startswith("=SLOPE(")
    # without sales lines: one procurement row, and the placeholder average price to type in
    assert [f.name for f in layout.inputs.families] == ["Ensemble des produits"]
    assert layout.inputs.average_price == fc.DEFAULT_PRICE
    assert layout.inputs.families[0].unit_cost == fc.DEFAULT_PRICE * fc.DEFAULT_COST_RATIO
    assert layout.inputs.purchases_before["2025-01"] == round(y[-1] * fc.DEFAULT_COST_RATIO, 2)


@requires_libreoffice
def test_sample_company_workbook_matches_the_core(tmp_path):
    """The sample company (36 months, reader dtypes, six families, the reps' pay): no error cell, every
    computed cell equal to the core; FORECAST_AUTO on the longest horizon 36 months allow (11)."""
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    plan, layout = build_forecast(company.sales, reps=company.reps)
    assert layout.n == 36 and layout.auto_horizon == 11 and len(layout.auto) == 11
    assert layout.holdout and len(layout.families) == 6
    path = tmp_path / "sample.xlsx"
    write_book(plan, path)
    values = recalculated_workbook(path, tmp_path / "recalc")
    assert no_errors(values) == []
    assert compare(values, expected_cells(layout, layout.revenue, layout.inputs)) == []
    assert fc.plan_for_company(company).sheet("Trésorerie").cells == plan.sheet("Trésorerie").cells


# ------------------------------------------------------------------------------------------------
# the template button on the JSON Excel sends
# ------------------------------------------------------------------------------------------------



def test_refresh_rebuilds_outputs_and_keeps_every_input(built, tmp_path):
    _, layout, path = built
    payload = officejs_payload(path)
    sheets = {s["name"]: s for s in payload["sheets"]}
    hist = sheets["Historique"]["values"]
    n = layout.n
    hist[HIST_FIRST - 1 + n][:2] = ["2025-08-01T00:00:00.000Z", 187654.32]  # a new month typed in a spare row
    sheets["Budget des ventes"]["values"][3][1] = 3210000.0  # B4: the manager's target
    cash = sheets["Trésorerie"]["values"]
    cash[CASH_ROWS["salaries"] - 1][5] = 77777.0  # F: September 2025 salaries
    cash[CASH_ROWS["other_payments"] - 1][4] = 4321.0  # E: August 2025 other payments
    supply = sheets["Approvisionnement"]["values"]
    supply[SUPPLY_FIRST - 1][SUPPLY_COLS["order_cost"] - 1] = 95.0
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros.forecast import refresh
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
before = book.sheets["Historique"].used_range.value
refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
def grid(name):
    return [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name][0]
print(json.dumps({{"names": names, "history_unchanged": before == book.sheets["Historique"].used_range.value,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "trend": grid("Tendance"), "budget": grid("Budget des ventes"), "cash": grid("Trésorerie"),
    "supply": grid("Approvisionnement"), "forecast": grid("Prévision")}}, default=str))
"""
    result = run_live(script)
    assert result["history_unchanged"] and "Historique" not in result["touched"]
    assert set(result["touched"]) == set(SHEETS.values()) - {"Historique"}
    assert result["names"] == list(SHEETS.values())
    # 42 months now: the trend runs over the new month, the forecast starts a month later
    trend = result["trend"]
    assert trend[TREND_FIRST - 1 + n][:3] == [n + 1, f"=Historique!$A${HIST_FIRST + n}", f"=Historique!$B${HIST_FIRST + n}"]
    assert trend[4][1] == f"=SLOPE($C${TREND_FIRST}:$C${TREND_FIRST + n},$A${TREND_FIRST}:$A${TREND_FIRST + n})"
    assert result["budget"][BUDGET_FIRST - 1][0] == "sept. 2025"
    # what was typed is back on its cell (or its month)
    assert result["budget"][3][1] == 3210000.0
    cash = result["cash"]
    assert cash[CASH_HEADER - 1][4] == "sept. 2025" and cash[CASH_ROWS["salaries"] - 1][4] == 77777.0
    assert cash[CASH_ROWS["other_payments"] - 1][4] != 4321.0  # August 2025 is history now, no longer budgeted
    assert result["supply"][SUPPLY_FIRST - 1][SUPPLY_COLS["order_cost"] - 1] == 95.0
    # Holt-Winters recomputed on the 42 months
    ets = ets_forecast(np.append(layout.revenue, 187654.32), 12, 12)
    assert result["forecast"][FC_FIRST - 1][FC_COLS["ets"] - 1] == pytest.approx(ets[0], rel=1e-9)
