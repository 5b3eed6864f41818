"""The committed ready-made workbooks (workbooks/) and templates (templates/) are exactly what
``xlsales demo`` and ``xlsales templates`` build, recalculate without error, and render to a page."""

from __future__ import annotations

import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from conftest import requires_libreoffice
from xlsales.cli import DEMO_WORKBOOKS, ready_made_plan
from xlsales.sample import make_sample_company
from xlsales.sheets.render_xlsxwriter import write_book
from xlsales.templates import TEMPLATES, build_template

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

ROOT = Path(__file__).resolve().parents[1]
HINT = "run `xlsales demo` and `xlsales templates` and commit workbooks/ and templates/"


@pytest.fixture(scope="module")
def company():
    return make_sample_company()


def same_workbook(a: Path, b: Path) -> list[str]:
    """Names of the parts that differ (the creation time in docProps/core.xml aside)."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names_a, names_b = set(za.namelist()), set(zb.namelist())
        differ = sorted(names_a ^ names_b)
        differ += [n for n in sorted(names_a & names_b) if n != "docProps/core.xml" and za.read(n) != zb.read(n)]
    return differ


@pytest.mark.parametrize("name", list(DEMO_WORKBOOKS))
def test_ready_made_workbook_is_what_demo_builds(name, company, tmp_path):
    fresh = tmp_path / name
    write_book(ready_made_plan(DEMO_WORKBOOKS[name], company), fresh)
    committed = ROOT / "workbooks" / name
    assert committed.exists(), HINT
    assert same_workbook(fresh, committed) == [], HINT
    assert fresh.read_bytes() == committed.read_bytes(), HINT  # reproducible, to the byte


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_template_is_what_templates_builds(name, company, tmp_path):
    build_template(name, tmp_path, company)
    assert same_workbook(tmp_path / f"{name}.xlsm", ROOT / "templates" / f"{name}.xlsm") == [], HINT
    assert (tmp_path / f"{name}.xlsm").read_bytes() == (ROOT / "templates" / f"{name}.xlsm").read_bytes(), HINT
    assert (tmp_path / f"{name}.py").read_text(encoding="utf-8") == (ROOT / "templates" / f"{name}.py").read_text(encoding="utf-8")


@requires_libreoffice
def test_ready_made_workbooks_recalculate_without_error(tmp_path):
    from xlsales.recalc import error_cells

    for name in DEMO_WORKBOOKS:
        assert error_cells(ROOT / "workbooks" / name, tmp_path / name) == [], name


@requires_libreoffice
def test_ready_made_dashboard_figures_equal_pandas(company, tmp_path):
    from xlsales.core import gini
    from xlsales.macros.dashboard import build_dashboard
    from xlsales.recalc import recalculated_workbook

    _, layout = build_dashboard(company.sales, company.targets)
    values = recalculated_workbook(ROOT / "workbooks" / "tableau_de_bord.xlsx", tmp_path)
    sales = company.sales.assign(year=company.sales["date"].dt.year)
    current = sales[sales.year == layout.year]
    by_rep = current.groupby("rep")[["revenue", "margin"]].sum()
    ws = values["Tableau de bord"]
    for rep, row in layout.rep_rows.items():
        if rep == "Total":
            assert ws.cell(row, 2).value == pytest.approx(current.revenue.sum(), abs=0.005)
            continue
        assert ws.cell(row, 2).value == pytest.approx(by_rep.revenue[rep], abs=0.005)
        assert ws.cell(row, 3).value == pytest.approx(by_rep.margin[rep], abs=0.005)
    per_customer = current.groupby("customer").revenue.sum().reindex(layout.customers, fill_value=0.0)
    assert values["Concentration"][layout.gini_cell].value == pytest.approx(gini(per_customer.to_numpy()), abs=1e-9)


@requires_libreoffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_dashboard_page_renders(tmp_path):
    """The first page as a user would print it: PDF by LibreOffice, PNG by pdftoppm, not blank."""
    from xlsales.recalc import recalculate

    pdf = recalculate(ROOT / "workbooks" / "tableau_de_bord.xlsx", tmp_path, to="pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    image = np.asarray(Image.open(png).convert("L"), dtype=float)
    assert image.shape[1] > image.shape[0]  # landscape
    assert image.std() > 10  # text, tables and charts, not an empty page
    assert (image < 128).mean() > 0.01


@pytest.mark.parametrize("path", sorted((ROOT / "workbooks").glob("*.xlsx")) + sorted((ROOT / "templates").glob("*.xlsm")),
                         ids=lambda p: p.name)
def test_ready_made_files_carry_native_formulas_only(path):
    """What trainers hand to students and finance fills in: no function after Excel 2010, none of our
    UDFs (a machine without the add-in would show #NAME?), no DATEDIF (undocumented in Excel)."""
    import openpyxl

    from native_formulas import non_native_cells

    book = openpyxl.load_workbook(path)
    formulas = sum(1 for ws in book.worksheets for row in ws.iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("="))
    assert formulas > 100
    assert non_native_cells(book, "DATEDIF") == []
