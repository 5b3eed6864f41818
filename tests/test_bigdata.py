"""Large files: data blocks written in bulk (the same XML as cell-by-cell writing), totals computed
with polars under the reader's own rules and messages, the dashboard on totals giving the same
figures as the dashboard on lines, and the command choosing the path by itself."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from xlsales import io as xio
from xlsales.bigdata import aggregate_sales, count_lines
from xlsales.cli import app
from xlsales.macros.dashboard import build_dashboard
from xlsales.recalc import recalculated_workbook
from xlsales.sample import write_sample_data
from xlsales.sheets.plan import DataBlock, SheetPlan
from xlsales.sheets.render_xlsxwriter import _Formats, _prepare_formula, _write_block, _write_cells, write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")
runner = CliRunner()


# -- data blocks ---------------------------------------------------------------------------------

def _block() -> DataBlock:
    texts = np.array(["Dupont", "=1+1", "+33 6", " espace ", "a & b < c", "tab\there", "\r=1+1", "ctrl\x01",
                      "_x0041_", None, "", "é€ 😀"], dtype=object)
    n = len(texts)
    dates = np.array(["2026-01-31", "1900-01-01", "1900-03-01", "NaT", "2025-12-31", "2024-02-29"] * 2,
                     dtype="datetime64[ns]")
    return DataBlock(2, 1, [
        texts,
        np.array([1.5, np.nan, -0.1, 1e20, 3.0, 0.1 + 0.2, 12345678.9, -0.0, np.inf, 2.0, 7.0, 1 / 3]),
        np.arange(n, dtype=np.int64) * 1000,
        dates,
        np.array([True, False] * (n // 2)),
        pd.Series(texts).astype("str"),
        "=ROUND(Ventes[[#This Row],[A]]*2,2)",
    ], ["data_text", "data_dec", "data_int", "data_date", "data_text", "data_text", "calc_eur"])


def _sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _constant_memory_book(path, write) -> str:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    ws = book.add_worksheet("Ventes")
    ws._prepare_formula = _prepare_formula
    formats = _Formats(book)
    for style in ("data_text", "data_dec", "data_int", "data_date", "calc_eur", "header"):
        for quote in (False, True):  # the same format numbers in both books
            formats.get(style, quote)._get_xf_index()
    ws.write_string(0, 0, "A", formats.get("header"))
    write(ws, formats)
    book.close()
    return _sheet_xml(path)


def test_block_rows_are_the_xml_of_cell_by_cell_writing(tmp_path):
    block = _block()
    plan = SheetPlan("Ventes", blocks=[block])
    plan.expand_blocks()
    by_cell = _constant_memory_book(tmp_path / "cells.xlsx", lambda ws, f: _write_cells(ws, plan, f, set()))
    by_block = _constant_memory_book(tmp_path / "block.xlsx", lambda ws, f: _write_block(ws, block, f, chunk=5))
    assert by_block == by_cell
    assert "_x000D_=1+1" in by_block and 'xml:space="preserve"> espace </t>' in by_block


def test_block_text_is_always_escaped(tmp_path):
    """XlsxWriter copies text that looks like rich-text XML (<r>…</r>) as is in constant-memory mode;
    a data block never does."""
    block = DataBlock(2, 1, [np.array(["<r><t>x</t></r>", "<r>"], dtype=object)], ["data_text"])
    xml = _constant_memory_book(tmp_path / "b.xlsx", lambda ws, f: _write_block(ws, block, f))
    assert "&lt;r&gt;&lt;t&gt;x&lt;/t&gt;&lt;/r&gt;" in xml and "<r><t>x" not in xml


def test_expand_blocks_gives_the_cells_of_a_cell_plan():
    block = _block()
    plan = SheetPlan("S", blocks=[block])
    assert plan.max_row == 13 and plan.max_column == 7
    plan.expand_blocks()
    assert plan.blocks == [] and len(plan.cells) == 12 * 7
    assert plan.cells[(3, 1)].value == "=1+1" and plan.cells[(3, 1)].formula is None
    assert plan.cells[(2, 4)].value == dt.datetime(2026, 1, 31) and plan.cells[(5, 4)].value is None
    assert plan.cells[(3, 2)].value is None and plan.cells[(2, 5)].value is True
    assert plan.cells[(13, 7)].formula == "=ROUND(Ventes[[#This Row],[A]]*2,2)"


def _cells(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                out[(ws.title, c.coordinate)] = (c.value, c.data_type, c.number_format, c.quotePrefix, c.font.b,
                                                 c.protection.locked)
        for name in ws.tables:
            t = ws.tables[name]
            out[(ws.title, name)] = (t.ref, t.autoFilter.ref, [(c.name, c.dataDxfId, c.calculatedColumnFormula and
                                                               c.calculatedColumnFormula.attr_text) for c in t.tableColumns])
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    write_sample_data(folder, lines=2500, seed=11)
    return folder, xio.read_sales(folder / "ventes.csv"), xio.read_targets(folder / "objectifs.csv")


def test_dashboard_with_a_data_block_is_the_same_workbook(sample, tmp_path):
    _, sales, targets = sample
    sales = sales.copy()
    sales.loc[3, "customer_name"] = '=HYPERLINK("http://x";"clic")'
    sales.loc[5, "unit_cost"] = np.nan
    for block, name in ((True, "block.xlsx"), (False, "cells.xlsx")):
        write_book(build_dashboard(sales, targets, data_block=block)[0], tmp_path / name)
    block, cells = _cells(tmp_path / "block.xlsx"), _cells(tmp_path / "cells.xlsx")
    assert block == cells
    assert block[("Ventes", "Ventes")][0] == "A1:S2501"


def test_a_block_and_cells_cannot_share_rows(tmp_path):
    plan = build_dashboard(*_tiny(), data_block=True)[0]
    plan.sheet("Ventes").set(3, 30, "une note")
    with pytest.raises(ValueError, match="cells and a data block"):
        write_book(plan, tmp_path / "x.xlsx")


def _tiny():
    sales = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-02-07"]), "customer": ["C1", "C2"],
                          "rep": ["Ana", "Bob"], "product": ["P", "P"], "quantity": [1.0, 2.0],
                          "unit_price": [10.0, 20.0]})
    return sales, None


# -- totals with polars ----------------------------------------------------------------------------

def _reference_totals(sales: pd.DataFrame) -> pd.DataFrame:
    s = sales.assign(year=sales.date.dt.year, month=sales.date.dt.month,
                     cost=sales.revenue - sales.margin.fillna(sales.revenue))
    return (s.groupby(["year", "month", "rep", "region", "family", "customer"], dropna=False)
            .agg(lines=("revenue", "size"), revenue=("revenue", "sum"), cost=("cost", "sum"), quantity=("quantity", "sum"))
            .reset_index())


def test_totals_equal_the_reader_lines(sample):
    folder, sales, _ = sample
    totals = aggregate_sales(folder / "ventes.csv")
    assert totals.attrs["lines"] == len(sales) and totals.attrs["aggregated"] is True
    assert list(totals.columns) == ["year", "month", "rep", "region", "family", "customer", "customer_name", "lines",
                                    "quantity", "revenue", "cost", "margin"]
    ref = _reference_totals(sales)
    keys = ["year", "month", "rep", "region", "family", "customer"]
    merged = totals.merge(ref, on=keys, how="outer", suffixes=("", "_ref"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged.lines == merged.lines_ref).all()
    np.testing.assert_allclose(merged.revenue, merged.revenue_ref, atol=0.005)
    np.testing.assert_allclose(merged.cost, merged.cost_ref, atol=0.005)
    np.testing.assert_allclose(merged.quantity, merged.quantity_ref)
    np.testing.assert_allclose(totals.margin, totals.revenue - totals.cost, atol=0.005)
    first_names = sales.drop_duplicates("customer").set_index("customer")["customer_name"]
    assert (totals.customer_name.to_numpy() == first_names.reindex(totals.customer).to_numpy()).all()
    assert totals.equals(totals.sort_values(keys).reset_index(drop=True))


def test_totals_of_a_windows_1252_file_with_commas_and_blank_lines(tmp_path):
    text = ("Export ERP du 31/03/2026\n\n"
            "Date,Client,Raison sociale,Commercial,Produit,Qté,PU HT,Remise,Coût unitaire\n"
            '02/03/2026,C1,"Société Générale, Lyon",Zoé,P1,2,"1 234,50",10 %,"1 000,00"\n'
            "\n"
            "2026-03-03,C2,Œuvres & Cie,Zoé,P2,1,99.9,,\n"
            "04/03/2026,C1,Société Générale,Léa,P1,3,\"10,00\",0.05,5\n")
    path = tmp_path / "ventes.csv"
    path.write_bytes(text.encode("cp1252"))
    totals = aggregate_sales(path)
    lines = xio.read_sales(path)
    assert totals.attrs["lines"] == len(lines) == 3
    ref = _reference_totals(lines)
    assert totals.revenue.sum() == pytest.approx(ref.revenue.sum())
    assert totals.cost.sum() == pytest.approx(ref.cost.sum())
    assert set(totals.customer_name) == {"Société Générale, Lyon", "Œuvres & Cie"}
    zoe = totals[totals.rep == "Zoé"]
    assert zoe.revenue.sum() == pytest.approx(2 * 1234.5 * 0.9 + 99.9)


def _same_error(path, capsys=None) -> str:
    with pytest.raises(xio.InputError) as expected:
        xio.read_sales(path)
    with pytest.raises(xio.InputError) as got:
        aggregate_sales(path)
    assert str(got.value) == str(expected.value)
    return str(got.value)


@pytest.mark.parametrize("case", ["bad_values", "missing_column", "duplicate_column", "empty", "header_only",
                                  "no_data", "missing_required"])
def test_problems_are_reported_as_the_reader_reports_them(case, tmp_path):
    header = "Date;Client;Commercial;Produit;Quantité;PU HT;Remise\n"
    rows = ["02/03/2026;C1;Ana;P1;2;10,50;5 %", "03/03/2026;C2;Bob;P2;1;8;0"]
    body = {
        "bad_values": header + "\n".join(rows + ["31/02/2026;C3;Ana;P1;deux;9;0", "05/03/2026;C4;Ana;P1;1;-3;150 %",
                                                 "06/03/2026;C4;Ana;P1;1,5,2;4;0"]) + "\n",
        "missing_column": "Date;Client;Produit;Quantité;PU HT\n02/03/2026;C1;P1;1;2\n",
        "duplicate_column": "Date;Client;Commercial;Vendeur;Produit;Quantité;PU HT\n02/03/2026;C1;A;B;P1;1;2\n",
        "empty": "",
        "header_only": header,
        "no_data": header + ";;;;;;\n\n",
        "missing_required": header + "\n".join(rows + ["04/03/2026;;Ana;P1;1;2;0", "05/03/2026;C5; ;P1;1;2;0"]) + "\n",
    }[case]
    path = tmp_path / "ventes.csv"
    path.write_text(body, encoding="utf-8")
    message = _same_error(path)
    assert "ventes.csv" in message
    if case == "bad_values":
        assert "ligne 4, colonne « Date »" in message and "ligne 4, colonne « Quantité »" in message
        assert "ligne 5, colonne « PU HT »" in message and "ligne 6, colonne « Quantité »" in message


def test_a_ragged_line_is_a_clear_error(tmp_path):
    path = tmp_path / "ventes.csv"
    path.write_text("Date;Client;Commercial;Produit;Quantité;PU HT\n02/03/2026;C1;A;P1;1;2\n"
                    "03/03/2026;C1;A;P1;1;2,5;x;y\n", encoding="utf-8")
    with pytest.raises(xio.InputError, match=r"ventes\.csv.*CSV illisible.*séparateur"):
        aggregate_sales(path)


def test_count_lines(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a\nb\nc")
    assert count_lines(path) == 3
    path.write_bytes(b"a\nb\n")
    assert count_lines(path) == 2


# -- the command ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_books(sample, tmp_path_factory):
    folder, _, _ = sample
    out = tmp_path_factory.mktemp("books")
    args = ["dashboard", str(folder / "ventes.csv"), "--targets", str(folder / "objectifs.csv")]
    lines = runner.invoke(app, args + ["-o", str(out / "lines.xlsx")])
    assert lines.exit_code == 0, lines.output
    totals = runner.invoke(app, args + ["-o", str(out / "totals.xlsx"), "--aggregate-above", "1000"])
    assert totals.exit_code == 0, totals.output
    return out / "lines.xlsx", out / "totals.xlsx"


def test_the_command_aggregates_above_the_threshold(two_books, sample):
    _, sales, _ = sample
    lines = openpyxl.load_workbook(two_books[0])
    assert lines["Ventes"]["A1"].value == "Date" and lines["Ventes"].max_row == len(sales) + 1
    totals = openpyxl.load_workbook(two_books[1])
    ventes = totals["Ventes"]
    header = [ventes.cell(1, c).value for c in range(1, 13)]
    assert header == ["Année", "Mois", "Commercial", "Région", "Famille", "Client", "Raison sociale", "Nb lignes",
                      "Quantité", "CA HT", "Coût", "Marge"]
    assert list(ventes.tables) == ["Ventes"] and ventes.max_row - 1 < len(sales)
    note = ventes["N1"].value
    assert re.search(r"les 2\u202f500 lignes de ventes de « ventes\.csv » sont totalisées", note)
    assert totals["Tableau de bord"]["A3"].value == note
    assert sum(ventes.cell(r, 8).value for r in range(2, ventes.max_row + 1)) == len(sales)


@requires_libreoffice
def test_dashboard_on_totals_shows_the_figures_of_the_dashboard_on_lines(two_books, tmp_path):
    lines = recalculated_workbook(two_books[0], tmp_path / "lines")
    totals = recalculated_workbook(two_books[1], tmp_path / "totals")
    compared = 0
    for name in ("Tableau de bord", "ABC", "Tendance", "Concentration"):
        a, b = lines[name], totals[name]
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column)
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows()):
            for ca, cb in zip(row_a, row_b):
                if name == "Tableau de bord" and ca.coordinate == "A3":
                    continue  # the note saying the lines were aggregated
                if isinstance(ca.value, float):
                    assert cb.value == pytest.approx(ca.value, rel=1e-9, abs=1e-6), (name, ca.coordinate)
                    compared += 1
                else:
                    assert cb.value == ca.value, (name, ca.coordinate)
    assert compared > 500


def test_the_button_rebuilds_a_dashboard_built_on_totals(two_books, tmp_path):
    """The template's refresh on a dashboard whose « Ventes » holds totals: read back as totals (not
    refused for want of a « Date » column), a total typed by the user flows into the rebuilt sheets."""
    payload = officejs_payload(two_books[1])
    ventes = next(s for s in payload["sheets"] if s["name"] == "Ventes")["values"]
    header = ventes[0]
    typed = dict(zip(header, ventes[1]))
    typed.update({"Commercial": "Zoé Nouvelle", "Client": "CL9999", "Raison sociale": "Nouveau client SA",
                  "Nb lignes": 4, "Quantité": 2, "CA HT": 1000, "Coût": 600, "Marge": 400})
    ventes.append([typed.get(h, "") if h in typed else "" for h in header])
    (tmp_path / "payload.json").write_text(json.dumps(payload, default=str), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros import dashboard
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
before = {{s.name: s.used_range.value for s in book.sheets if s.name in ("Ventes", "Objectifs", "Paramètres")}}
dashboard.refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
after = {{s.name: s.used_range.value for s in book.sheets if s.name in ("Ventes", "Objectifs", "Paramètres")}}
print(json.dumps({{
    "inputs_unchanged": before == after,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "dashboard": [v for a in actions if a["func"] in ("setValues", "setFormula")
                  and names[a["sheet_position"]] == "Tableau de bord" for row in a["values"] for v in row],
}}, default=str))
"""
    result = run_live(script)
    assert result["inputs_unchanged"] and "Ventes" not in result["touched"]
    assert {"Tableau de bord", "ABC", "Tendance", "Concentration"} <= set(result["touched"])
    assert "Zoé Nouvelle" in result["dashboard"]  # the typed total got its row
    notes = [v for v in result["dashboard"] if isinstance(v, str) and v.startswith("Lignes agrégées")]
    assert len(notes) == 1 and re.search(r"les 2\u202f504 lignes de ventes de « ventes\.csv » sont totalisées", notes[0])
    assert any(isinstance(v, str) and v.startswith("=SUMIFS(Ventes[CA HT],Ventes[Commercial],$A") for v in result["dashboard"])


def test_a_totals_sheet_with_a_bad_value_names_its_row_and_column():
    from xlsales.macros.dashboard import LABELS, _totals_from_rows

    rows = [["Année", "Mois", "Commercial", "Nb lignes", "CA HT"], [2025, 1, "Ana", 3, 120.5], [2025, 13, "Ana", 1, 10]]
    with pytest.raises(xio.InputError) as error:
        _totals_from_rows(rows, "tableau.xlsx", LABELS["fr"])
    problem = error.value.problems[0]
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("tableau.xlsx", "Ventes", 3, "Mois")
    totals = _totals_from_rows(rows[:2], "tableau.xlsx", LABELS["fr"])
    assert {k: totals.attrs[k] for k in ("source", "lines", "aggregated")} == {"source": "tableau.xlsx", "lines": 3,
                                                                          "aggregated": True}
    assert totals.loc[0, "margin"] == 120.5 and totals.loc[0, "cost"] == 0.0 and pd.isna(totals.loc[0, "region"])


# -- Excel functions over large ranges ------------------------------------------------------------------

def test_a_large_range_gives_the_same_cells_from_lists_or_numpy_arrays():
    from xlsales.udfs import MARGIN, MARGIN_RATE

    rng = np.random.default_rng(5)
    price, cost = rng.uniform(10, 100, 200_000), rng.uniform(5, 50, 200_000)
    cost[::1000] = 0.0
    lists = MARGIN_RATE(price.reshape(-1, 1).tolist(), cost.reshape(-1, 1).tolist())
    arrays = MARGIN_RATE(price.reshape(-1, 1), cost.reshape(-1, 1))
    assert arrays == lists and len(lists) == 200_000
    assert lists[0] == ["#DIV/0!"] and lists[1][0] == pytest.approx((price[1] - cost[1]) / cost[1])
    assert MARGIN(price.reshape(1, -1)[:, :3], 1.0) == [(price[:3] - 1.0).tolist()]
    for cells in ([["1 234,50"], [None]], [["12 %"], ["#N/A"]], [[True], [2]]):
        assert MARGIN_RATE(np.array(cells, dtype=object), 10) == MARGIN_RATE(cells, 10)
    assert MARGIN_RATE(np.array([[120.0]]), 100) == MARGIN_RATE([[120.0]], 100) == pytest.approx(0.2)


def test_a_lone_carriage_return_in_a_title_line_is_not_a_line_break(tmp_path):
    # found by the reader fuzz test: "Export du \r\r\n" is one line for the reader and for polars
    raw = ("Export du \r\r\nDate facture;Code client;Commercial;Référence;Quantité;Prix unitaire HT\r\n"
           "01/01/2000;C1;Ana;P1;2;10,5\r\n").encode("utf-8")
    path = tmp_path / "ventes.csv"
    path.write_bytes(raw)
    assert len(xio.read_sales(path)) == 1
    totals = aggregate_sales(path)
    assert totals.attrs["lines"] == 1 and totals["revenue"].sum() == 21.0
