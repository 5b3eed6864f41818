"""Dashboard workbook: build it, check its structure, recalculate it in LibreOffice and compare every
key figure with the core computed with pandas on the same data (to the cent)."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import requires_libreoffice
from native_formulas import non_native_cells
from xlsales.core import abc_class, gini, linear_trend, seasonal_coefficients, seasonal_forecast
from xlsales.core._vector import excel_round
from xlsales.macros.dashboard import build_dashboard
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

REPS = {"Alice Martin": "Nord", "Bruno Petit": "Nord", "Chloé Durand": "Sud", "David Roux": "Est"}
FAMILIES = ["Pompes", "Vannes", "Services"]


def make_sales(seed: int = 7, n: int = 1500) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 3 * 365, n)
    dates = pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")
    reps = rng.choice(list(REPS), n)
    sales = pd.DataFrame({
        "date": dates,
        "invoice": [f"F{i:05d}" for i in range(n)],
        "customer": [f"CL{int(c):03d}" for c in np.minimum(rng.pareto(1.2, n) * 8, 59)],
        "customer_name": "Client",
        "rep": reps,
        "region": [REPS[r] for r in reps],
        "channel": rng.choice(["Terrain", "Téléphone"], n),
        "product": rng.choice(["P01", "P02", "P03"], n),
        "family": rng.choice(FAMILIES, n),
        "quantity": rng.integers(1, 12, n).astype(float),
        "unit_price": rng.uniform(20, 900, n).round(2),
        "unit_cost": rng.uniform(10, 500, n).round(2),
        "discount": rng.choice([0.0, 0.05, 0.1, 0.125], n),
    })
    sales["customer_name"] = "Société " + sales["customer"]
    targets = pd.DataFrame([{"rep": r, "period": f"{y}-{m:02d}", "target": 9000.0 + 500 * m}
                            for r in REPS for y in (2024, 2025) for m in range(1, 13)])
    return sales, targets


@pytest.fixture(scope="module")
def data():
    sales, targets = make_sales()
    expected = sales.copy()
    expected["revenue"] = excel_round(expected.quantity * expected.unit_price * (1 - expected.discount))
    expected["margin"] = expected["revenue"] - excel_round(expected.quantity * expected.unit_cost)
    expected["year"] = expected.date.dt.year
    expected["month"] = expected.date.dt.month
    return sales, targets, expected


@pytest.fixture(scope="module")
def built(data, tmp_path_factory):
    sales, targets, _ = data
    plan, layout = build_dashboard(sales, targets)
    folder = tmp_path_factory.mktemp("dashboard")
    path = folder / "tableau_de_bord.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    _, _, path = built
    return recalculated_workbook(path, tmp_path_factory.mktemp("recalc"))


def test_structure(built):
    _, layout, path = built
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tableau de bord", "ABC", "Tendance", "Concentration", "Paramètres", "Ventes", "Objectifs"]
    ventes = wb["Ventes"]
    assert list(ventes.tables) == ["Ventes"]
    table = ventes.tables["Ventes"]
    assert table.ref == "A1:S1501"
    calculated = {c.name: c.calculatedColumnFormula for c in table.tableColumns if c.calculatedColumnFormula is not None}
    assert set(calculated) == {"CA HT", "Coût", "Marge", "Année", "Mois"}
    assert ventes["O2"].value.startswith("=ROUND(Ventes[[#This Row],[Quantité]]")
    dash = wb["Tableau de bord"]
    assert dash.freeze_panes == "B4"
    assert dash.protection.sheet is True
    assert dash.page_setup.orientation == "landscape"
    r = layout.rep_rows["Alice Martin"]
    assert dash.cell(r, 2).value == "=SUMIFS(Ventes[CA HT],Ventes[Commercial],$A%d,Ventes[Année],AnneeN)" % r
    assert dash.cell(r, 2).number_format.startswith("#,##0.00")
    assert len(dash._charts) == 2
    params = wb["Paramètres"]
    assert params["B3"].value == 2025 and params["B3"].protection.locked is False
    assert params["B4"].value == 0.8
    assert "AnneeN" in wb.defined_names
    # every formula uses only functions that Excel 2010 and LibreOffice 7.4 compute
    assert non_native_cells(wb) == []


@requires_libreoffice
def test_no_error_cells(values):
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#")]
    assert errors == []


def _close(actual, expected, cents=0.005):
    if expected in ("", None) or (isinstance(expected, float) and np.isnan(expected)):
        return actual in ("", None)
    return actual is not None and actual != "" and abs(float(actual) - float(expected)) <= cents


@requires_libreoffice
def test_kpi_blocks_match_pandas(values, built, data):
    _, layout, _ = built
    _, targets, s = data
    ws = values["Tableau de bord"]
    n = layout.year
    t = targets.assign(year=targets.period.str[:4].astype(int), month=targets.period.str[5:7].astype(int))
    t["region"] = t.rep.map(REPS)
    for field, rows in (("rep", layout.rep_rows), ("region", layout.region_rows), ("family", layout.family_rows)):
        cur = s[s.year == n].groupby(field)[["revenue", "margin"]].sum()
        prev = s[s.year == n - 1].groupby(field)["revenue"].sum()
        tgt = t[t.year == n].groupby(field)["target"].sum() if field != "family" else pd.Series(dtype=float)
        for key, r in rows.items():
            if key == "Total":
                ca, mg, ob, pv = cur.revenue.sum(), cur.margin.sum(), tgt.sum(), prev.sum()
            else:
                ca, mg, ob, pv = cur.revenue.get(key, 0.0), cur.margin.get(key, 0.0), tgt.get(key, 0.0), prev.get(key, 0.0)
            row = [ws.cell(r, c).value for c in range(1, 11)]
            assert _close(row[1], ca) and _close(row[2], mg), (field, key, row)
            assert _close(row[3], mg / ca if ca else "", 1e-9)
            assert _close(row[4], ob) and _close(row[5], ca - ob if ob else "")
            assert _close(row[6], (ca - ob) / ob if ob else "", 1e-9)
            assert _close(row[7], ca / ob if ob else "", 1e-9)
            assert _close(row[8], pv) and _close(row[9], (ca - pv) / pv if pv else "", 1e-9)
    monthly = s[s.year == n].groupby("month").revenue.sum()
    monthly_prev = s[s.year == n - 1].groupby("month").revenue.sum()
    monthly_target = t[t.year == n].groupby("month").target.sum()
    for m, r in layout.month_rows.items():
        assert _close(ws.cell(r, 2).value, monthly.get(m, 0.0))
        assert _close(ws.cell(r, 3).value, monthly_target.get(m, 0.0))
        assert _close(ws.cell(r, 4).value, monthly_prev.get(m, 0.0))
    assert _close(ws.cell(layout.month_rows[12], 8).value, monthly.sum())


@requires_libreoffice
def test_abc_matches_core(values, built, data):
    _, layout, _ = built
    s = data[2]
    ca = s[s.year == layout.year].groupby("customer").revenue.sum().reindex(layout.customers, fill_value=0.0)
    classes = dict(zip(layout.customers, abc_class(ca.to_numpy(), 0.8, 0.95)))
    ws = values["ABC"]
    first = layout.abc_first_row
    seen = {}
    for i in range(len(layout.customers)):
        r = first + i
        customer, revenue, cls = ws.cell(r, 7).value, ws.cell(r, 9).value, ws.cell(r, 14).value
        assert _close(revenue, ca[customer])
        seen[customer] = cls
    assert seen == classes
    counts = pd.Series(classes).value_counts()
    for i, cls in enumerate("ABC"):
        assert ws.cell(5 + i, 2).value == counts.get(cls, 0)


@requires_libreoffice
def test_trend_and_seasonal_forecast_match_core(values, built, data):
    _, layout, _ = built
    s = data[2]
    monthly = s.groupby(["year", "month"]).revenue.sum().reindex(layout.months, fill_value=0.0).to_numpy()
    assert layout.months[0] == (2023, 1)  # season 1 of the core = January of the sheet
    a, b, r = linear_trend(monthly)
    ws = values["Tendance"]
    assert ws["J4"].value == pytest.approx(a, rel=1e-9)
    assert ws["J5"].value == pytest.approx(b, rel=1e-9)
    assert ws["J6"].value == pytest.approx(r, rel=1e-9)
    coefs = seasonal_coefficients(monthly, 12, method="ratio_to_trend")
    got = [ws.cell(layout.coef_first_row + m, 11).value for m in range(12)]
    assert got == pytest.approx(list(coefs), rel=1e-9)
    forecast = seasonal_forecast(monthly, 12, 12, method="ratio_to_trend")
    got = [ws.cell(layout.forecast_first_row + h, 7).value for h in range(12)]
    assert got == pytest.approx(list(forecast), abs=0.005)


@requires_libreoffice
def test_gini_matches_core(values, built, data):
    _, layout, _ = built
    s = data[2]
    ca = s[s.year == layout.year].groupby("customer").revenue.sum().reindex(layout.customers, fill_value=0.0)
    assert values["Concentration"][layout.gini_cell].value == pytest.approx(gini(ca.to_numpy()), abs=1e-9)


@requires_libreoffice
def test_pasted_line_updates_the_dashboard(built, data, tmp_path):
    """A line added below the Ventes table (as a user pastes it) flows into every figure."""
    plan, layout, _ = built
    path = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    ventes = wb["Ventes"]
    table = ventes.tables["Ventes"]
    last = ventes.max_row
    new = last + 1
    for c in range(1, ventes.max_column + 1):
        ventes.cell(new, c).value = ventes.cell(last, c).value
    header = {ventes.cell(1, c).value: c for c in range(1, ventes.max_column + 1)}
    ventes.cell(new, header["Date"]).value = pd.Timestamp(f"{layout.year}-03-15").to_pydatetime()
    ventes.cell(new, header["Commercial"]).value = "Alice Martin"
    ventes.cell(new, header["Quantité"]).value = 10
    ventes.cell(new, header["PU HT"]).value = 1000.0
    ventes.cell(new, header["Remise"]).value = 0.1
    table.ref = table.autoFilter.ref = f"A1:S{new}"
    wb.save(path)
    after = recalculated_workbook(path, tmp_path / "after")
    s = data[2]
    expected = s[(s.year == layout.year) & (s.rep == "Alice Martin")].revenue.sum() + 9000.0
    assert _close(after["Tableau de bord"].cell(layout.rep_rows["Alice Martin"], 2).value, expected)
