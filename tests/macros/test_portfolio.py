"""Portfolio workbook: build it from sales lines and a customer file, check its structure, recalculate it
in LibreOffice and compare every computed cell with pandas and the core functions (rfm, abc_class,
customer_value, churn_rate, customer_lifetime, market_share, relative_market_share, hhi, gini,
customer_density) on the same data; change inputs in the file and check the outputs follow; run the
template button's refresh on the JSON Excel sends."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from native_formulas import non_native_cells

from xlsales import core
from xlsales.core._vector import excel_round
from xlsales.macros.portfolio import (
    CUSTOMERS,
    SEGMENTS,
    PortfolioParams,
    build_portfolio,
    plan_for_company,
    plan_from_files,
    read_customers,
    read_market_inputs,
    read_params,
)
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.formulas import SalesTable
from xlsales.sheets.plan import col
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported.*:UserWarning")

N = 2025
REGIONS = ["Est", "Nord", "Ouest", "Sud"]
SECTORS = ["Agro*", "Agroalimentaire", "BTP", "Chimie"]  # « Agro* » would be a wildcard for SUMIFS
PRODUCTS = {(f"P{i:02d}" if i < 12 else "P1*"): fam
            for i, fam in enumerate(["Pompes"] * 4 + ["Vannes"] * 4 + ["Services"] * 4, start=1)}
PARAMS = PortfolioParams(a_share=0.7, b_share=0.9, discount_rate=0.12, retention=None)
MARKET = {
    ("region", "Est"): {"size": 2_000_000.0, "competitors": [450_000.0, 90_000.0, None]},
    ("region", "Nord"): {"size": 500_000.0, "competitors": [1_000.0, 500.0, None]},
    ("region", "Ouest"): {"size": 0.0, "competitors": [None, None, None]},
    ("sector", "BTP"): {"size": 1_000_000.0, "competitors": [300_000.0, None, None]},
    ("sector", "Chimie"): {"size": 750_000.0, "competitors": [None, None, None]},
}
POTENTIAL = {"Est": 120, "Nord": 80, "Sud": 0}


def activity(i: int) -> set[int]:
    """Years in which customer C{i:03d} buys."""
    if i <= 25:
        return {2024, 2025} | ({2023} if i % 3 == 0 else set())
    if i <= 31:
        return {2024}  # lost in 2025
    if i <= 35:
        return {2025}  # new in 2025
    if i <= 37:
        return {2023, 2025}  # back in 2025
    if i == 38:
        return {2023}  # inactive
    return {2025}  # C03?, C040: not in the customer file


def code(i: int) -> str:
    """Customer code; « C03? » would be a wildcard for SUMIFS and MATCH."""
    return "C03?" if i == 39 else f"C{i:03d}"


def make_inputs(seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    region_of = {code(i): REGIONS[i % 4] for i in range(1, 41)}
    weight = {c: float(rng.pareto(1.1) + 0.2) for c in region_of}
    lines, number = [], 0
    for i in range(1, 41):
        customer = code(i)
        for year in sorted(activity(i)):
            for _ in range(int(rng.integers(1, 9))):
                number += 1
                invoice = f"F{number:05d}" if number % 17 else None  # a few lines without invoice number
                date = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 365)))
                for _ in range(int(rng.integers(1, 4)) if invoice else 1):
                    product = str(rng.choice(list(PRODUCTS)))
                    lines.append({
                        "date": date, "invoice": invoice, "customer": customer, "customer_name": f"Société {customer}",
                        "rep": "Alice Martin" if i % 2 else "Bruno Petit", "region": region_of[customer],
                        "channel": "Terrain", "product": product, "family": PRODUCTS[product],
                        "quantity": float(rng.integers(1, 8)),
                        "unit_price": round(float(rng.uniform(40, 900) * weight[customer]), 2),
                        "unit_cost": round(float(rng.uniform(20, 400)), 2),
                        "discount": float(rng.choice([0.0, 0.05, 0.1])),
                    })
    sales = pd.DataFrame(lines)
    # a credit note on an invoice of C001 in N
    credit = sales[(sales.customer == "C001") & (sales.date.dt.year == N) & sales.invoice.notna()].iloc[0].copy()
    credit["quantity"] = -1.0
    sales = pd.concat([sales, credit.to_frame().T], ignore_index=True)
    sales = sales.sample(frac=1.0, random_state=seed).sort_values("date", kind="stable").reset_index(drop=True)
    sales = sales.astype({"quantity": float, "unit_price": float, "unit_cost": float, "discount": float})
    sales["date"] = pd.to_datetime(sales["date"])
    customers = pd.DataFrame({
        "customer": [f"C{i:03d}" for i in range(1, 39)] + ["P901", "P902"],
        "customer_name": [None if i == 5 else f"Établissements {i}" for i in range(1, 39)] + ["Prospect Un", "Prospect Deux"],
        "sector": [None if i % 9 == 0 else SECTORS[i % 4] for i in range(1, 39)] + ["BTP", None],
        "region": [None if i == 7 else region_of[f"C{i:03d}"] for i in range(1, 39)] + ["Nord", "Est"],
        "since": pd.to_datetime(["2019-03-01"] * 38 + [None, None]),
        "until": pd.to_datetime([None] * 37 + ["2024-06-30"] + [None, None]),
    })
    return sales, customers


@pytest.fixture(scope="module")
def inputs():
    return make_inputs()


def expected_frames(sales: pd.DataFrame, customers: pd.DataFrame, year: int, params: PortfolioParams) -> dict:
    """Every figure of the workbook, computed with pandas and the core on the same lines."""
    s = sales.copy()
    s["revenue"] = excel_round(s.quantity * s.unit_price * (1 - s.discount))
    s["margin"] = s["revenue"] - excel_round(s.quantity * s.unit_cost)
    s["year"] = s.date.dt.year
    s["new_invoice"] = np.where(s.invoice.isna(), 1, (~s.invoice.duplicated(keep="first")).astype(int))
    s["transaction"] = np.where(s.invoice.isna(), "line" + s.index.astype(str), s.invoice.astype(str))
    master = customers.set_index("customer")
    codes = sorted(set(master.index) | set(s.customer))
    names = s.drop_duplicates("customer").set_index("customer").customer_name
    sales_region = s.groupby("customer").region.agg(lambda r: r.mode().iat[0])
    per = pd.DataFrame(index=pd.Index(codes, name="customer"))
    per["name"] = [master.customer_name.get(c) if isinstance(master.customer_name.get(c), str) else names.get(c, "")
                   for c in codes]
    per["sector"] = [master.sector.get(c) if isinstance(master.sector.get(c), str) else "Non renseigné" for c in codes]
    per["region"] = [master.region.get(c) if isinstance(master.region.get(c), str) else sales_region.get(c, "Non renseigné")
                     for c in codes]
    by = lambda y: s[s.year == y].groupby("customer")
    per["revenue"] = np.round(by(year).revenue.sum().reindex(codes, fill_value=0.0), 2)
    per["margin"] = np.round(by(year).margin.sum().reindex(codes, fill_value=0.0), 2)
    per["invoices"] = by(year).new_invoice.sum().reindex(codes, fill_value=0)
    per["revenue_prev"] = np.round(by(year - 1).revenue.sum().reindex(codes, fill_value=0.0), 2)
    per["margin_prev"] = np.round(by(year - 1).margin.sum().reindex(codes, fill_value=0.0), 2)
    per["invoices_prev"] = by(year - 1).new_invoice.sum().reindex(codes, fill_value=0)
    per["before"] = s[s.year < year].groupby("customer").new_invoice.sum().reindex(codes, fill_value=0)
    per["last"] = by(year).date.max().reindex(codes)
    per["status"] = [
        ("Nouveau" if row.before == 0 else "Actif") if row.invoices > 0 else
        "Perdu" if row.invoices_prev > 0 else "Inactif" if c in set(s.customer) else "Prospect"
        for c, row in per.iterrows()
    ]
    # RFM with the core, one transaction per invoice of N
    t = s[s.year == year].groupby("transaction").agg(customer=("customer", "first"), date=("date", "max"),
                                                      amount=("revenue", "sum"))
    rows = core.rfm(t.customer.tolist(), t.date.tolist(), t.amount.to_numpy(), as_of=dt.date(year + 1, 1, 1))
    rfm = pd.DataFrame(rows[1:], columns=["customer", "recency", "frequency", "monetary", "r", "f", "m", "code",
                                          "segment"]).set_index("customer")
    per = per.join(rfm[["recency", "frequency", "r", "f", "m", "code", "segment"]])
    per["segment"] = per.segment.fillna("Sans achat en N")
    # retention measured N−1 → N, customer value, ABC
    lost = (per.invoices_prev > 0) & (per.invoices == 0)
    active_prev = int((per.invoices_prev > 0).sum())
    churn = core.churn_rate(int(lost.sum()), active_prev)
    retention = params.retention if params.retention is not None else 1 - churn
    per["clv"] = [core.customer_value(m, retention, params.discount_rate) if k > 0 else None
                  for m, k in zip(per.margin, per.invoices)]
    clipped = np.maximum(per.revenue.to_numpy(), 0.0)
    per["abc"] = core.abc_class(clipped, params.a_share, params.b_share)
    positive = clipped[clipped > 0]
    per["share"] = clipped / positive.sum()
    order = np.argsort(-clipped, kind="stable")
    cum = np.empty(len(codes))
    cum[order] = np.cumsum(clipped[order]) / positive.sum()
    per["cum_share"] = cum
    per["growth"] = [(a - b) / b if b else None for a, b in zip(per.revenue, per.revenue_prev)]
    return {"lines": s, "per": per, "churn": churn, "retention": retention, "lost": lost, "active_prev": active_prev,
            "codes": codes}


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    sales, customers = inputs
    plan, layout = build_portfolio(sales, customers, params=PARAMS, market=MARKET, potential=POTENTIAL)
    folder = tmp_path_factory.mktemp("portfolio")
    path = folder / "portefeuille.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def expected(inputs):
    return expected_frames(*inputs, N, PARAMS)


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    return recalculated_workbook(built[2], tmp_path_factory.mktemp("recalc"))


def _close(actual, expected, tol=0.005):
    if expected is None or (isinstance(expected, float) and np.isnan(expected)) or expected == "":
        return actual in ("", None)
    if isinstance(expected, str):
        return actual == expected
    return actual not in (None, "") and abs(float(actual) - float(expected)) <= tol


# ------------------------------------------------------------------------------------------------
# structure
# ------------------------------------------------------------------------------------------------

def test_layout_follows_the_data(built, inputs, expected):
    _, layout, _ = built
    assert layout.year == N
    assert layout.customers == expected["codes"]
    assert {"P901", "P902", "C03?", "C040"} <= set(layout.customers)  # prospects and customers missing from the file
    assert layout.products == sorted(PRODUCTS) and "P1*" in layout.products
    assert layout.families == ["Pompes", "Services", "Vannes"]
    assert layout.sectors == SECTORS + ["Non renseigné"]
    assert layout.regions == REGIONS
    assert list(layout.segment_rows) == list(SEGMENTS)


@pytest.mark.parametrize("renderer", ["xlsxwriter", "openpyxl"])
def test_structure(built, inputs, renderer, tmp_path):
    plan, layout, path = built
    if renderer == "openpyxl":
        path = tmp_path / "openpyxl.xlsx"
        render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Clients", "Produits", "Secteurs", "Attrition", "Marché", "Densité", "Paramètres",
                             "Fiches clients", "Ventes"]
    assert wb.active.title == "Clients"
    # input tables: the sales lines with the calculated columns, the customer master data
    ventes = wb["Ventes"]
    table = ventes.tables["Ventes"]
    width = len(SalesTable.INPUT) + len(SalesTable.CALCULATED) + 1
    assert table.ref == f"A1:{col(width)}{len(inputs[0]) + 1}"
    assert ventes.cell(1, width).value == "Nouvelle facture"
    calculated = {c.name: c.calculatedColumnFormula for c in table.tableColumns if c.calculatedColumnFormula is not None}
    if renderer == "xlsxwriter":  # the openpyxl renderer writes the formulas in the cells only
        assert set(calculated) == set(SalesTable.CALCULATED.values()) | {"Nouvelle facture"}
    # the line above settles most lines; MATCH from the top only for the first line of a block (the
    # test data has 240 lines continuing the invoice above and 47 repeating an earlier, non-adjacent one)
    position = "(ROW()-ROW(Ventes[[#Headers],[Facture]]))"
    first_line = f"IF(MATCH(Ventes[[#This Row],[Facture]],Ventes[Facture],0)={position},1,0)"
    assert ventes.cell(2, width).value == (
        f'=IF(Ventes[[#This Row],[Facture]]="",1,IF({position}=1,{first_line},'
        f'IF(INDEX(Ventes[Facture],{position}-1)=Ventes[[#This Row],[Facture]],0,{first_line})))')
    assert ventes["A2"].protection.locked is False and ventes.freeze_panes == "A2"
    fiches = wb["Fiches clients"]
    assert fiches.tables["FichesClients"].ref == "A1:F43"
    assert [fiches.cell(1, c).value for c in range(1, 7)] == [c.label for c in CUSTOMERS.columns]
    assert fiches["C2"].protection.locked is False
    # parameters: unlocked inputs with validations, defined names
    params = wb["Paramètres"]
    assert [params[f"B{r}"].value for r in range(4, 9)] == [N, 0.7, 0.9, 0.12, None]
    assert all(params[f"B{r}"].protection.locked is False for r in range(4, 9))
    assert {str(v.sqref) for v in params.data_validations.dataValidation} == {"B4", "B5:B6", "B7", "B8"}
    for name in ("AnneeN", "SeuilA", "SeuilB", "TauxActu", "RetentionSaisie"):
        assert name in wb.defined_names, name
    # output sheets protected, formulas locked, frozen headers, landscape A4
    outputs = ["Clients", "Produits", "Secteurs", "Attrition", "Marché", "Densité"]
    for name in outputs + ["Paramètres"]:
        assert wb[name].protection.sheet is True, name
        assert int(wb[name].page_setup.paperSize) == 9
    assert ventes.protection.sheet is not True and fiches.protection.sheet is not True
    clients = wb["Clients"]
    first = layout.customer_first_row
    assert clients.freeze_panes == f"C{first}"
    assert clients.page_setup.orientation == "landscape"
    cols = {k: col(v) for k, v in layout.customer_cols.items()}
    cell = clients[f"{cols['revenue']}{first}"]
    assert cell.value == f"=ROUND(SUMIFS(Ventes[CA HT],Ventes[Client],$A{first},Ventes[Année],AnneeN),2)"
    assert cell.protection.locked is True and cell.number_format.startswith("#,##0.00")
    assert clients[f"{cols['last']}{first}"].value.startswith('=IF(G16=0,"",SUMPRODUCT(MAX((Ventes[Client]=$A16)')
    assert clients[f"{cols['r']}{first}"].value.startswith('=IF(G16=0,"",1+INT(5*COUNTIFS(')
    assert (wb["Produits"].freeze_panes, wb["Secteurs"].freeze_panes, wb["Densité"].freeze_panes,
            wb["Attrition"].freeze_panes, wb["Marché"].freeze_panes) == ("B5", "B5", "B5", "A4", "B4")
    # typed inputs on the output sheets: unlocked, with their validations
    market = wb["Marché"]
    row, mc = layout.market_region_rows["Est"], layout.market_cols
    assert market.cell(row, mc["market"]).value == 2_000_000 and market.cell(row, mc["market"]).protection.locked is False
    assert market.cell(row, mc["comp2"]).value == 90_000 and market.cell(row, mc["comp3"]).protection.locked is False
    assert market.cell(row, mc["share"]).protection.locked is True
    density = wb["Densité"]
    row, dc = layout.density_rows["Nord"], layout.density_cols
    assert density.cell(row, dc["potential"]).value == 80 and density.cell(row, dc["potential"]).protection.locked is False
    assert any(v.type == "whole" for v in density.data_validations.dataValidation)
    assert any(v.type == "decimal" for v in market.data_validations.dataValidation)
    assert clients.conditional_formatting and wb["Attrition"].conditional_formatting
    # input sheets never refer to the output sheets (they are rebuilt by the template button)
    output_ref = re.compile(r"(?:Clients|Produits|Secteurs|Attrition|Marché|Densité)!")
    for name in ("Paramètres", "Fiches clients", "Ventes"):
        for r in wb[name].iter_rows():
            for c in r:
                assert not (isinstance(c.value, str) and output_ref.search(c.value)), (name, c.coordinate)
    # only functions of Excel 2010 and LibreOffice 7.4
    assert non_native_cells(wb, "AGGREGATE") == []
    if renderer == "openpyxl":  # XlsxWriter's charts are not read back by openpyxl
        charts = {name: len(wb[name]._charts) for name in outputs}
        assert charts == {"Clients": 0, "Produits": 1, "Secteurs": 1, "Attrition": 1, "Marché": 1, "Densité": 2}


def test_entry_points_and_defaults(inputs, tmp_path):
    sales, customers = inputs
    with pytest.raises(ValueError, match="ventes"):
        plan_from_files(None)
    with pytest.raises(ValueError, match="aucune ligne"):
        plan_from_files(sales.iloc[:0])
    # without a customer file: « Fiches clients » from the sales lines, sectors unknown
    plan = plan_from_files(sales.drop(columns=["region"]))
    fiches = plan.sheet("Fiches clients")
    codes = sorted(sales.customer.unique())
    assert [fiches.cells[(r, 1)].value for r in range(2, 2 + len(codes))] == codes
    assert fiches.cells[(2, 2)].value == "Société C001" and fiches.cells[(2, 3)].value is None
    market = plan.sheet("Marché")
    assert market.cells[(6, 1)].value == "Non renseigné" and market.cells[(6, 3)].value is None
    assert plan.sheet("Paramètres").cells[(4, 2)].value == N
    assert plan_from_files(sales, customers, year=2024).sheet("Paramètres").cells[(4, 2)].value == 2024
    # the customer file of the CLI, French headers, read like every other input
    path = tmp_path / "clients.csv"
    path.write_text("Code client;Nom;Secteur d'activité;Zone;Client depuis;Fin de relation\n"
                    "C001;Établissements 1;BTP;Nord;01/03/2019;\nP900;Prospect;Chimie;Sud;;\n", encoding="utf-8")
    read = read_customers(path)
    assert read.customer.tolist() == ["C001", "P900"] and read.sector.tolist() == ["BTP", "Chimie"]
    assert read.region.tolist() == ["Nord", "Sud"] and read.since.iloc[0] == pd.Timestamp(2019, 3, 1)
    plan, layout = build_portfolio(sales, read)
    assert "P900" in layout.customers and layout.sectors[:2] == ["BTP", "Chimie"]


def test_typed_inputs_read_back(built, tmp_path):
    """What the template button reads from a workbook: parameters, market sizes, competitors, potential."""
    plan, _, _ = built
    path = tmp_path / "inputs.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    rows = lambda name: [list(r) for r in wb[name].iter_rows(values_only=True)]
    year, params = read_params(rows("Paramètres"))
    assert year == N and params == PARAMS
    wb["Paramètres"]["B4"], wb["Paramètres"]["B8"], wb["Paramètres"]["B7"] = "2024", 0.9, None
    assert read_params(rows("Paramètres")) == (2024, replace(PARAMS, retention=0.9, discount_rate=0.10))
    market, potential = read_market_inputs(rows("Marché"), rows("Densité"))
    assert potential == {k: float(v) for k, v in POTENTIAL.items()}
    typed = {k: v for k, v in MARKET.items() if v["size"] is not None or any(v["competitors"])}
    assert market == typed


# ------------------------------------------------------------------------------------------------
# every computed cell against pandas and the core (LibreOffice)
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_no_error_cells(values):
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []


def _excel_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def check_customers(ws, layout, e, params: PortfolioParams) -> None:
    per = e["per"]
    first, C = layout.customer_first_row, layout.customer_cols
    money = {"revenue", "margin", "revenue_prev", "margin_prev", "clv"}
    exact = {"invoices", "invoices_prev", "before", "recency", "r", "f", "m"}
    texts = {"name", "sector", "region", "status", "segment", "code", "abc"}
    for i, code in enumerate(layout.customers):
        row = first + i
        got = {key: ws.cell(row, c).value for key, c in C.items()}
        want = per.loc[code]
        assert got["customer"] == code
        for key in money:
            assert _close(got[key], want[key]), (code, key, got[key], want[key])
        for key in exact:
            w = want[key]
            assert (got[key] in ("", None)) if pd.isna(w) else got[key] == w, (code, key, got[key], w)
        for key in texts - {"code"}:
            assert got[key] == want[key], (code, key, got[key], want[key])
        assert (got["rfm"] in ("", None)) if pd.isna(want["code"]) else str(got["rfm"]) == want["code"]
        assert (got["last"] in ("", None)) if pd.isna(want["last"]) else _excel_date(got["last"]) == want["last"].date()
        for key in ("share", "cum_share", "growth"):
            assert _close(got[key], want[key], 1e-9), (code, key, got[key], want[key])
        assert got["master_row"] >= (1 if code not in ("C03?", "C040") else 0)
    # the summaries
    for segment, row in layout.segment_rows.items():
        members = per[per.segment == segment]
        assert ws.cell(row, 3).value == len(members), segment
        assert _close(ws.cell(row, 5).value, members.revenue.sum())
    for cls in "ABC":
        row = layout.abc_rows[cls]
        members = per[per.abc == cls]
        assert ws.cell(row, 9).value == len(members) and _close(ws.cell(row, 11).value, members.revenue.sum())
    summary = layout.customer_summary
    assert _excel_date(ws[summary["as_of"]].value) == dt.date(layout.year + 1, 1, 1)
    assert ws[summary["measured"]].value == pytest.approx(1 - e["churn"], abs=1e-12)
    assert ws[summary["retention"]].value == pytest.approx(e["retention"], abs=1e-12)
    assert ws[summary["discount"]].value == pytest.approx(params.discount_rate)


@requires_libreoffice
def test_customers_match_the_core(values, built, expected):
    _, layout, _ = built
    per = expected["per"]
    # the data cover every case
    assert set(per.status) == {"Nouveau", "Actif", "Perdu", "Inactif", "Prospect"}
    assert per.segment.nunique() >= 5 and set(per.abc) == {"A", "B", "C"}
    check_customers(values["Clients"], layout, expected, PARAMS)


@requires_libreoffice
def test_products_match_the_core(values, built, expected):
    _, layout, _ = built
    s = expected["lines"]
    cur, prev = s[s.year == N], s[s.year == N - 1]
    revenue = np.round(cur.groupby("product").revenue.sum().reindex(layout.products, fill_value=0.0), 2)
    margin = np.round(cur.groupby("product").margin.sum().reindex(layout.products, fill_value=0.0), 2)
    quantity = cur.groupby("product").quantity.sum().reindex(layout.products, fill_value=0.0)
    revenue_prev = np.round(prev.groupby("product").revenue.sum().reindex(layout.products, fill_value=0.0), 2)
    classes = dict(zip(layout.products, core.abc_class(np.maximum(revenue.to_numpy(), 0), PARAMS.a_share, PARAMS.b_share)))
    ws = values["Produits"]
    C = layout.product_cols
    for i, product in enumerate(layout.products):
        row = layout.product_first_row + i
        got = {key: ws.cell(row, c).value for key, c in C.items()}
        assert got["product"] == product and got["family"] == PRODUCTS[product]
        assert _close(got["quantity"], quantity[product], 1e-9)
        assert _close(got["revenue"], revenue[product]) and _close(got["margin"], margin[product])
        assert _close(got["mark_rate"], margin[product] / revenue[product], 1e-9)
        assert _close(got["share"], max(revenue[product], 0) / revenue.clip(lower=0).sum(), 1e-9)
        assert got["abc"] == classes[product], product
        assert _close(got["revenue_prev"], revenue_prev[product])
        assert _close(got["growth"], (revenue[product] - revenue_prev[product]) / revenue_prev[product], 1e-9)
    for cls in "ABC":
        row = layout.product_abc_rows[cls]
        members = [p for p in layout.products if classes[p] == cls]
        assert ws.cell(row, 14).value == len(members)
        assert _close(ws.cell(row, 15).value, revenue[members].sum())
        assert _close(ws.cell(row, 16).value, revenue[members].sum() / revenue.sum(), 1e-9)
        assert _close(ws.cell(row, 17).value, len(members) / len(layout.products), 1e-9)
    by_family = cur.groupby("family")
    for family, row in layout.family_rows.items():
        fam_products = [p for p in layout.products if PRODUCTS[p] == family] if family != "Total" else layout.products
        rev = by_family.revenue.sum().get(family, 0.0) if family != "Total" else cur.revenue.sum()
        mar = by_family.margin.sum().get(family, 0.0) if family != "Total" else cur.margin.sum()
        rev_prev = prev[prev.family == family].revenue.sum() if family != "Total" else prev.revenue.sum()
        got = [ws.cell(row, 13 + k).value for k in range(9)]
        assert got[1] == len(fam_products)
        assert _close(got[2], rev) and _close(got[4], mar) and _close(got[6], rev_prev)
        assert _close(got[5], mar / rev, 1e-9) and _close(got[7], (rev - rev_prev) / rev_prev, 1e-9)
        assert got[8] == sum(classes[p] == "A" for p in fam_products)
    # the Pareto block: revenues sorted in decreasing order, cumulative share up to 100 %
    sorted_revenue = [ws.cell(layout.product_first_row + i, 24).value for i in range(len(layout.products))]
    assert sorted_revenue == pytest.approx(sorted(revenue.clip(lower=0), reverse=True), abs=0.005)
    assert ws.cell(layout.product_first_row + len(layout.products) - 1, 25).value == pytest.approx(1.0)


def check_sectors(ws, layout, per) -> None:
    C = layout.sector_cols
    for sector, row in layout.sector_rows.items():
        members = per if sector == "Total" else per[per.sector == sector]
        active = members[members.invoices > 0]
        got = {key: ws.cell(row, c).value for key, c in C.items()}
        assert got["customers"] == len(members) and got["active"] == len(active), sector
        assert _close(got["revenue"], members.revenue.sum()) and _close(got["margin"], members.margin.sum())
        assert _close(got["share"], members.revenue.sum() / per.revenue.sum(), 1e-9)
        assert _close(got["mark_rate"], members.margin.sum() / members.revenue.sum() if members.revenue.sum() else "", 1e-9)
        assert _close(got["revenue_prev"], members.revenue_prev.sum())
        rp = members.revenue_prev.sum()
        assert _close(got["growth"], (members.revenue.sum() - rp) / rp if rp else "", 1e-9)
        assert _close(got["average"], members.revenue.sum() / len(active) if len(active) else "", 0.005)


@requires_libreoffice
def test_sectors_match_pandas(values, built, expected):
    _, layout, _ = built
    check_sectors(values["Secteurs"], layout, expected["per"])


def check_churn(ws, layout, e, params: PortfolioParams) -> None:
    per, lost = e["per"], e["lost"]
    cells = layout.churn_cells
    churn = e["churn"]
    lost_margin = per[lost].margin_prev.sum()
    want = {
        "active_prev": e["active_prev"], "active": int((per.invoices > 0).sum()),
        "kept": int(((per.invoices_prev > 0) & (per.invoices > 0)).sum()), "lost": int(lost.sum()),
        "new": int((per.status == "Nouveau").sum()),
        "back": int(((per.invoices > 0) & (per.invoices_prev == 0) & (per.before > 0)).sum()),
        "churn": churn, "retention": 1 - churn, "lifetime": core.customer_lifetime(churn),
        "lost_revenue": per[lost].revenue_prev.sum(), "lost_margin": lost_margin,
        "lost_value": core.customer_value(lost_margin, e["retention"], params.discount_rate),
        "average_margin": lost_margin / lost.sum(),
    }
    for key, value in want.items():
        tol = 1e-9 if key in ("churn", "retention", "lifetime") else 0.005
        assert _close(ws[cells[key]].value, value, tol), (key, ws[cells[key]].value, value)
    for rows, by in ((layout.churn_region_rows, "region"), (layout.churn_sector_rows, "sector")):
        for key, row in rows.items():
            members = per if key == "Total" else per[per[by] == key]
            start = members[members.invoices_prev > 0]
            gone = members[lost.reindex(members.index)]
            got = [ws.cell(row, c).value for c in range(2, 8)]
            assert got[0] == len(start) and got[1] == len(gone), (by, key, got)
            assert _close(got[2], core.churn_rate(len(gone), len(start)) if len(start) else "", 1e-9)
            assert _close(got[3], gone.revenue_prev.sum()) and _close(got[4], gone.margin_prev.sum())
            assert got[5] == int((members.invoices > 0).sum())


@requires_libreoffice
def test_churn_matches_the_core(values, built, expected):
    _, layout, _ = built
    assert expected["lost"].sum() >= 6 and 0 < expected["churn"] < 1
    check_churn(values["Attrition"], layout, expected, PARAMS)


def check_market(ws, layout, per, market) -> None:
    C = layout.market_cols
    for kind, rows, by in (("region", layout.market_region_rows, "region"), ("sector", layout.market_sector_rows, "sector")):
        for key, row in rows.items():
            own = per[per[by] == key].revenue.sum()
            typed = market.get((kind, key), {})
            size = typed.get("size")
            competitors = [c for c in typed.get("competitors", []) if c is not None]
            got = {k: ws.cell(row, c).value for k, c in C.items()}
            assert _close(got["revenue"], own), (kind, key)
            assert _close(got["share"], core.market_share(own, size) if size else "", 1e-12), (kind, key)
            relative = core.relative_market_share(own, competitors) if competitors else ""
            assert _close(got["relative"], relative, 1e-12), (kind, key, got["relative"], relative)
            assert got["position"] == ("" if relative == "" else "Leader" if relative > 1 else "Suiveur") or (
                relative == "" and got["position"] is None)
    revenue = per.revenue.to_numpy()
    positive = revenue[revenue > 0]
    cells = layout.concentration_cells
    assert ws[cells["active"]].value == len(positive)
    assert ws[cells["hhi"]].value == pytest.approx(core.hhi(positive / positive.sum()), rel=1e-9)
    assert ws[cells["gini"]].value == pytest.approx(core.gini(positive), abs=1e-12)
    # the Lorenz points: revenue sorted increasingly, x and y up to 1
    first = layout.lorenz_first_row
    sorted_values = [ws.cell(first + i, 13).value for i in range(len(per))]
    assert sorted_values == pytest.approx(sorted(np.maximum(revenue, 0)), abs=0.005)
    assert ws.cell(first + len(per) - 1, 14).value == pytest.approx(1.0)
    assert ws.cell(first + len(per) - 1, 15).value == pytest.approx(1.0)


@requires_libreoffice
def test_market_and_concentration_match_the_core(values, built, expected):
    _, layout, _ = built
    ws = values["Marché"]
    check_market(ws, layout, expected["per"], MARKET)
    # leader and follower both present in the data
    positions = {ws.cell(r, layout.market_cols["position"]).value for r in layout.market_region_rows.values()}
    assert {"Leader", "Suiveur"} <= positions


def check_density(ws, layout, per, potential) -> None:
    C = layout.density_cols
    for region, row in layout.density_rows.items():
        members = per if region == "Total" else per[per.region == region]
        active = int((members.invoices > 0).sum())
        typed = sum(potential.values()) if region == "Total" else potential.get(region)
        if region == "Total":  # over the regions whose potential is typed
            covered = per[per.region.map(lambda r: bool(potential.get(r)))]
            active_typed = int((covered.invoices > 0).sum())
        else:
            active_typed = active
        got = {k: ws.cell(row, c).value for k, c in C.items()}
        assert got["active"] == active and got["others"] == len(members) - active
        assert _close(got["potential"], typed if typed is not None else "", 1e-9), region
        assert _close(got["density"], core.customer_density(active_typed, typed) if typed else "", 1e-12), region
        assert _close(got["revenue"], members.revenue.sum())
        assert _close(got["average"], members.revenue.sum() / active if active else "", 0.005)


@requires_libreoffice
def test_density_matches_the_core(values, built, expected):
    _, layout, _ = built
    check_density(values["Densité"], layout, expected["per"], POTENTIAL)


# ------------------------------------------------------------------------------------------------
# live formulas: change inputs in the file, recalculate, compare again
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_changed_inputs_flow_through_the_formulas(built, inputs, tmp_path):
    plan, layout, _ = built
    sales, customers = inputs
    path = tmp_path / "changed.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    # parameters: a typed retention, another discount rate and ABC thresholds
    params = wb["Paramètres"]
    params["B5"], params["B6"], params["B7"], params["B8"] = 0.8, 0.95, 0.05, 0.85
    changed = PortfolioParams(a_share=0.8, b_share=0.95, discount_rate=0.05, retention=0.85)
    # a sector changed in the customer file
    fiches = wb["Fiches clients"]
    row = next(r for r in range(2, fiches.max_row + 1) if fiches.cell(r, 1).value == "C002")
    fiches.cell(row, 3).value = "Chimie"
    customers = customers.copy()
    customers.loc[customers.customer == "C002", "sector"] = "Chimie"
    # a sales line changed and a line pasted below the table (a new invoice of C026, lost until now)
    ventes = wb["Ventes"]
    header = {ventes.cell(1, c).value: c for c in range(1, ventes.max_column + 1)}
    target = next(r for r in range(2, ventes.max_row + 1) if ventes.cell(r, header["Client"]).value == "C010"
                  and ventes.cell(r, header["Date"]).value.year == N)
    ventes.cell(target, header["Quantité"]).value = 40
    sales = sales.copy()
    sales.loc[target - 2, "quantity"] = 40.0
    last = ventes.max_row
    new = last + 1
    for c in range(1, ventes.max_column + 1):
        ventes.cell(new, c).value = ventes.cell(last, c).value
    new_line = {"Date": dt.datetime(N, 12, 30), "Facture": "F99999", "Client": "C026", "Raison sociale": "Société C026",
                "Région": "Sud", "Produit": "P01", "Famille": "Pompes", "Quantité": 3, "PU HT": 1000.0,
                "Coût unitaire": 600.0, "Remise": 0.1}
    for h, v in new_line.items():
        ventes.cell(new, header[h]).value = v
    table = ventes.tables["Ventes"]
    table.ref = table.autoFilter.ref = f"A1:{col(ventes.max_column)}{new}"
    record = sales.iloc[-1].copy()
    for h, k in (("Date", "date"), ("Facture", "invoice"), ("Client", "customer"), ("Raison sociale", "customer_name"),
                 ("Région", "region"), ("Produit", "product"), ("Famille", "family"), ("Quantité", "quantity"),
                 ("PU HT", "unit_price"), ("Coût unitaire", "unit_cost"), ("Remise", "discount")):
        record[k] = new_line[h]
    sales = pd.concat([sales, record.to_frame().T], ignore_index=True).astype(
        {"quantity": float, "unit_price": float, "unit_cost": float, "discount": float})
    sales["date"] = pd.to_datetime(sales["date"])
    # typed market size and potential
    market = {k: dict(v) for k, v in MARKET.items()}
    market[("region", "Sud")] = {"size": 400_000.0, "competitors": [None, None, None]}
    wb["Marché"].cell(layout.market_region_rows["Sud"], layout.market_cols["market"]).value = 400_000
    potential = dict(POTENTIAL, Ouest=55)
    wb["Densité"].cell(layout.density_rows["Ouest"], layout.density_cols["potential"]).value = 55
    wb.save(path)

    after = recalculated_workbook(path, tmp_path / "after")
    e = expected_frames(sales, customers, N, changed)
    assert e["per"].loc["C026", "status"] == "Actif" and e["retention"] == 0.85
    check_customers(after["Clients"], layout, e, changed)
    check_sectors(after["Secteurs"], layout, e["per"])
    check_churn(after["Attrition"], layout, e, changed)
    check_market(after["Marché"], layout, e["per"], market)
    check_density(after["Densité"], layout, e["per"], potential)


@requires_libreoffice
def test_year_typed_in_the_parameters(built, inputs, tmp_path):
    """Analysing N−1 instead: statuses, RFM (reference 1 January N), churn N−2 → N−1, sectors, market."""
    plan, layout, _ = built
    path = tmp_path / "year.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    wb["Paramètres"]["B4"] = N - 1
    wb.save(path)
    after = recalculated_workbook(path, tmp_path / "after")
    e = expected_frames(*inputs, N - 1, PARAMS)
    assert e["lost"].sum() > 0 and (e["per"].status == "Nouveau").sum() > 0
    year_layout = replace(layout, year=N - 1)
    check_customers(after["Clients"], year_layout, e, PARAMS)
    check_sectors(after["Secteurs"], year_layout, e["per"])
    check_churn(after["Attrition"], year_layout, e, PARAMS)
    check_market(after["Marché"], year_layout, e["per"], MARKET)
    check_density(after["Densité"], year_layout, e["per"], POTENTIAL)


@requires_libreoffice
def test_sample_company_workbook(tmp_path):
    """The ready-made workbook: 6 000 lines, 180 customers, credit notes, prospects; every check of the
    synthetic data, on the sample company's figures."""
    from xlsales.macros.portfolio import sample_market_inputs
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    market, potential = sample_market_inputs(company)
    plan, layout = build_portfolio(company.sales, company.customers, market=market, potential=potential)
    assert [s.name for s in plan_for_company(company).sheets] == [s.name for s in plan.sheets]
    path = tmp_path / "portefeuille.xlsx"
    write_book(plan, path)
    wb = recalculated_workbook(path, tmp_path / "recalc")
    errors = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []
    e = expected_frames(company.sales, company.customers, layout.year, PortfolioParams())
    per = e["per"]
    assert (per.status == "Prospect").sum() == 3  # in the customer file, never invoiced
    assert layout.customers == list(per.index)
    check_customers(wb["Clients"], layout, e, PortfolioParams())
    check_sectors(wb["Secteurs"], layout, per)
    check_churn(wb["Attrition"], layout, e, PortfolioParams())
    check_market(wb["Marché"], layout, per, market)
    check_density(wb["Densité"], layout, per, potential)
    # the illustrative market and potential figures are typed for every region, so every share shows
    density = wb["Densité"]
    assert all(isinstance(density.cell(r, layout.density_cols["density"]).value, float)
               for r in layout.density_rows.values())


# ------------------------------------------------------------------------------------------------
# the template button: refresh on the JSON Excel (Office.js) sends
# ------------------------------------------------------------------------------------------------



def test_refresh_keeps_typed_inputs_and_adds_new_customers(built, tmp_path):
    plan, layout, _ = built
    path = tmp_path / "portefeuille.xlsx"
    render_book(plan).save(path)
    payload = officejs_payload(path)
    sheet = {s["name"]: s for s in payload["sheets"]}
    ventes = sheet["Ventes"]["values"]
    header = ventes[0]
    new_line = list(ventes[1])
    new_line[header.index("Client")] = "C777"  # a customer typed in the sales lines only
    new_line[header.index("Facture")] = "F77777"
    ventes.append(new_line)
    sheet["Paramètres"]["values"][7][1] = 0.9  # typed retention
    market_row = layout.market_sector_rows["Agro*"] - 1
    sheet["Marché"]["values"][market_row][layout.market_cols["market"] - 1] = 654_321.0
    density_row = layout.density_rows["Ouest"] - 1
    sheet["Densité"]["values"][density_row][layout.density_cols["potential"] - 1] = 42
    fiches = sheet["Fiches clients"]["values"]
    fiches[1][2] = "Énergie"  # a sector typed for C001
    (tmp_path / "payload.json").write_text(json.dumps(payload, default=str), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros import portfolio
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
inputs = ("Paramètres", "Ventes")
before = {{s.name: s.used_range.value for s in book.sheets if s.name in inputs}}
portfolio.refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
after = {{s.name: s.used_range.value for s in book.sheets if s.name in inputs}}
def grid(name):
    found = [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name]
    return found[0] if found else None
print(json.dumps({{"names": names, "inputs_unchanged": before == after,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "funcs": sorted({{a["func"] for a in actions}}),
    "grids": {{n: grid(n) for n in ("Clients", "Marché", "Densité", "Fiches clients", "Secteurs")}}}}, default=str))
"""
    result = run_live(script)
    assert result["inputs_unchanged"]
    assert result["names"] == ["Clients", "Produits", "Secteurs", "Attrition", "Marché", "Densité", "Paramètres",
                               "Fiches clients", "Ventes"]
    assert not {"Paramètres", "Ventes"} & set(result["touched"])
    assert {"Clients", "Produits", "Secteurs", "Attrition", "Marché", "Densité", "Fiches clients"} <= set(result["touched"])
    assert {"addSheet", "setFormula", "setNumberFormat", "addChart", "addConditionalFormat", "addTable"} <= set(result["funcs"])
    grids = result["grids"]
    # the new customer got its row in « Clients » and its master-data line, every typed master-data cell kept
    clients = grids["Clients"]
    assert [r[0] for r in clients[layout.customer_first_row - 1:]] == sorted(layout.customers + ["C777"])
    new_fiches = grids["Fiches clients"]
    assert new_fiches[1][:4] == ["C001", fiches[1][1], "Énergie", fiches[1][3]]
    assert [r[0] for r in new_fiches[1:]] == [r[0] for r in fiches[1:]] + ["C777"]
    for old, kept in zip(fiches[1:], new_fiches[1:]):
        assert [v if v != "" else None for v in old[:4]] == [v if v != "" else None for v in kept[:4]]
    serial = lambda d: (d - dt.date(1899, 12, 30)).days
    assert new_fiches[1][4] == serial(dt.date(2019, 3, 1))  # dates typed in the file kept
    c038 = next(r for r in new_fiches if r[0] == "C038")
    assert c038[5] == serial(dt.date(2024, 6, 30))
    assert "Énergie" in [r[0] for r in grids["Secteurs"]]
    # the market size and potential typed before the refresh are still there
    assert grids["Marché"][market_row][layout.market_cols["market"] - 1] == 654_321.0
    assert grids["Densité"][density_row][layout.density_cols["potential"] - 1] == 42
    assert grids["Marché"][layout.market_region_rows["Est"] - 1][layout.market_cols["market"] - 1] == 2_000_000.0
