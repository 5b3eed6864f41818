"""Formula injection: text from users' files that Excel could take for a formula is written as text,
kept as is, never evaluated — through the command line (XlsxWriter), the openpyxl renderer and the
live renderer (xlwings Book API) — and names that SUMIFS would read as a comparison or a wildcard
still get their own figures on the dashboard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.escape import unescape
from typer.testing import CliRunner

from conftest import requires_libreoffice
from xlsales import io as xio
from xlsales.cli import app
from xlsales.core._vector import excel_round
from xlsales.macros.dashboard import build_dashboard
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.render_openpyxl import render_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

#: the classic CSV-injection payloads
PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x";"clic")', "+1+1", "-2+3", "@SUM(1+1)", "=1+1",
            "\t=1+1", "\r=1+1"]
#: names that a SUMIFS criterion reads as a comparison (<, >, =) or a wildcard (*, ?, ~)
CRITERIA = ["Dup*nt", "Dupont", "<Dupont", "Mar?in", "Martin", "~Tilde", ">A"]
REPS = ["=1+1", "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"] + CRITERIA
CUSTOMERS = ["=1+1", "+33 6 12", "-CL01", "@CL02", "CL*", "CL?3", "<CL04", "CL05"]
NAMES = PAYLOADS
PRODUCTS = PAYLOADS
FAMILIES = ["=1+1", "Pom*", "Pompes", "@Vannes"]
REGIONS = ["-2+3", "Nord", "<Sud"]
TEXT_FIELDS = {"customer": "Client", "customer_name": "Raison sociale", "rep": "Commercial", "region": "Région",
               "product": "Produit", "family": "Famille", "channel": "Canal", "invoice": "Facture"}


def _text(cell):
    """A cell's text as Excel shows it: a control character is stored as ``_x000D_``, which Excel
    decodes and openpyxl leaves as is in some places."""
    return unescape(cell.value) if isinstance(cell.value, str) else cell.value


def _formula_like(text: str) -> bool:
    return text[:1] in ("=", "+", "-", "@", "\t", "\r")


def make_sales(n: int = 400, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 2 * 365, n)
    customers = rng.choice(CUSTOMERS, n)
    reps = np.array(REPS * (n // len(REPS) + 1))[:n]  # every rep sells
    sales = pd.DataFrame({
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(days, unit="D"),
        "invoice": rng.choice(PAYLOADS, n),
        "customer": customers,
        "customer_name": [NAMES[CUSTOMERS.index(c) % len(NAMES)] for c in customers],
        "rep": reps,
        "region": rng.choice(REGIONS, n),
        "channel": rng.choice(["=1+1", "Terrain"], n),
        "product": rng.choice(PRODUCTS, n),
        "family": rng.choice(FAMILIES, n),
        "quantity": rng.integers(1, 9, n).astype(float),
        "unit_price": rng.uniform(20, 900, n).round(2),
        "unit_cost": rng.uniform(10, 500, n).round(2),
        "discount": rng.choice([0.0, 0.05, 0.1], n),
    })
    targets = pd.DataFrame([{"rep": r, "period": f"2026-{m:02d}", "target": 1000.0 * (i + 1)}
                            for i, r in enumerate(REPS) for m in range(1, 13)])
    return sales, targets


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payloads")
    sales, targets = make_sales()
    xio.write_table(sales, folder / "ventes.csv", xio.SALES)
    xio.write_table(targets, folder / "objectifs.csv", xio.TARGETS)
    return folder, sales, targets


def test_the_csv_carries_the_payloads(files):
    folder, sales, _ = files
    back = xio.read_sales(folder / "ventes.csv")
    for field in TEXT_FIELDS:
        assert back[field].tolist() == sales[field].tolist()


@pytest.fixture(scope="module")
def cli_book(files):
    folder, _, _ = files
    out = folder / "tableau_de_bord.xlsx"
    result = CliRunner().invoke(app, ["dashboard", str(folder / "ventes.csv"), "--targets", str(folder / "objectifs.csv"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _check_sales_sheet(ws, sales: pd.DataFrame, *, quote_prefix: bool = True) -> int:
    """Every text cell of the Ventes sheet holds the file's text, as a string (and formula-like text
    the quote prefix, unless ``quote_prefix`` is False); returns the number of formula-like cells."""
    header = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
    checked = 0
    for i, rec in enumerate(sales.itertuples(index=False), start=2):
        for field, title in TEXT_FIELDS.items():
            cell = ws.cell(i, header[title])
            expected = getattr(rec, field)
            assert _text(cell) == expected, (cell.coordinate, cell.value, expected)
            assert cell.data_type == "s", (cell.coordinate, cell.data_type)
            if _formula_like(expected):
                checked += 1
                if quote_prefix:
                    assert cell.quotePrefix, (cell.coordinate, expected)
    return checked


def test_cli_writes_payloads_as_text_with_a_quote_prefix(cli_book, files):
    _, sales, _ = files
    wb = openpyxl.load_workbook(cli_book)
    assert _check_sales_sheet(wb["Ventes"], sales) > 1000
    dash = wb["Tableau de bord"]
    keys = {_text(dash.cell(r, 1)): dash.cell(r, 1) for r in range(1, dash.max_row + 1)}
    for rep in REPS:
        assert keys[rep].data_type == "s" and keys[rep].quotePrefix == _formula_like(rep)
    abc = wb["ABC"]
    listed = {_text(abc.cell(r, 2)): abc.cell(r, 2) for r in range(12, 12 + len(CUSTOMERS))}
    for name in set(NAMES[CUSTOMERS.index(c) % len(NAMES)] for c in CUSTOMERS):
        assert listed[name].data_type == "s" and listed[name].quotePrefix == _formula_like(name)


def _expected(sales: pd.DataFrame, field: str, year: int) -> pd.Series:
    s = sales.assign(revenue=excel_round(sales.quantity * sales.unit_price * (1 - sales.discount)))
    return s[s.date.dt.year == year].groupby(field).revenue.sum()


@requires_libreoffice
def test_after_recalculation_payloads_are_still_text_and_names_get_their_own_figures(cli_book, files, tmp_path):
    _, sales, targets = files
    values = recalculated_workbook(cli_book, tmp_path)
    assert _check_sales_sheet(values["Ventes"], sales, quote_prefix=False) > 1000
    dash = values["Tableau de bord"]
    folder = cli_book.parent
    _, layout = build_dashboard(xio.read_sales(folder / "ventes.csv"), xio.read_targets(folder / "objectifs.csv"))
    for field, keys, rows in (("rep", REPS, layout.rep_rows), ("region", REGIONS, layout.region_rows),
                              ("family", FAMILIES, layout.family_rows)):
        expected = _expected(sales, field, 2026)
        assert sorted(k for k in rows if k != "Total") == sorted(keys)
        for key in keys:
            assert _text(dash.cell(rows[key], 1)) == key
            got = dash.cell(rows[key], 2).value
            assert got == pytest.approx(expected.get(key, 0.0), abs=0.005), (field, key, got)
    target = targets[targets.period.str.startswith("2026")].groupby("rep").target.sum()
    for rep in REPS:
        assert dash.cell(layout.rep_rows[rep], 5).value == pytest.approx(target[rep]), rep
    abc = values["ABC"]
    by_customer = _expected(sales, "customer", 2026)
    for r in range(12, 12 + len(CUSTOMERS)):
        assert abc.cell(r, 3).value == pytest.approx(by_customer.get(_text(abc.cell(r, 1)), 0.0), abs=0.005)
    conc = values["Concentration"]
    for r in range(10, 10 + len(CUSTOMERS)):
        assert conc.cell(r, 2).value == pytest.approx(by_customer.get(_text(conc.cell(r, 1)), 0.0), abs=0.005)


@pytest.fixture(scope="module")
def openpyxl_book(files, tmp_path_factory):
    _, sales, targets = files
    plan, _ = build_dashboard(sales, targets)
    path = tmp_path_factory.mktemp("openpyxl") / "openpyxl.xlsx"
    render_book(plan).save(path)
    return openpyxl.load_workbook(path)


def test_openpyxl_renderer_keeps_payloads_as_text(openpyxl_book, files):
    assert _check_sales_sheet(openpyxl_book["Ventes"], files[1]) > 1000


def test_live_renderer_types_a_leading_apostrophe(files, tmp_path):
    """render_book_live into an (Office.js) Book: payloads are sent as '=… so Excel keeps them as text."""
    _, sales, targets = files
    small = sales.iloc[:60]
    plan, _ = build_dashboard(small, targets)
    plan_path = tmp_path / "plan.pkl"
    pd.to_pickle(plan, plan_path)
    payload = {"client": "Office.js", "version": __import__("xlwings").__version__, "names": [],
               "book": {"name": "classeur.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "sheets": [{"name": "Feuil1", "values": [[""]], "pictures": [], "tables": [], "shapes": []}]}
    script = f"""
import json, pandas as pd
import xlwings as xw
from xlsales.sheets.render_xlwings import render_book_live
book = xw.Book(json={payload!r})
render_book_live(pd.read_pickle({str(plan_path)!r}), book)
names = [s.name for s in book.sheets]
grids = {{}}
for a in book.json()["actions"]:
    if a["func"] == "setFormula" and a.get("sheet_position") is not None:
        grids.setdefault(names[a["sheet_position"]], a["values"])
print(json.dumps(grids))
"""
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    grids = json.loads(done.stdout.strip().splitlines()[-1])
    ventes = grids["Ventes"]
    header = ventes[0]
    sent = 0
    for i, rec in enumerate(small.itertuples(index=False), start=1):
        for field, title in TEXT_FIELDS.items():
            text = getattr(rec, field)
            cell = ventes[i][header.index(title)]
            assert cell == ("'" + text if _formula_like(text) else text), (i, title, cell)
            sent += _formula_like(text)
    assert sent > 100
    keys = [row[0] for row in grids["Tableau de bord"]]
    for rep in REPS:
        assert ("'" + rep if _formula_like(rep) else rep) in keys
