"""Commissions workbook: build it with a small team (a mid-year hire, a leaver, someone below the gate,
someone above target with accelerator and cap, a recoverable draw, a team bonus), render it with
openpyxl and with XlsxWriter, check its structure, recalculate both files in LibreOffice and compare
every computed cell of « Calcul », « Synthèse » and the statements with the core
(:func:`xlsales.core.payplan.compute_pay`) to the cent. Then change inputs in the file (a sale, the
mode of the grid, the period) and recalculate: the figures follow."""

from __future__ import annotations

import datetime as dt
import re
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import requires_libreoffice

from xlsales.core.payplan import CommissionPlan, compute_pay
from xlsales.macros.commissions import (
    CALC_COLUMNS,
    STATEMENT_COLUMNS,
    SUMMARY_COLUMNS,
    build_commissions,
    monthly_bases,
    monthly_targets,
)
from xlsales.recalc import EXCEL_ERROR_VALUES, recalculated_workbook
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

YEAR = 2025
#: rep, name, team, hire date, leaving date, annual fixed pay, monthly revenue level, monthly target
TEAM = [
    ("AM", "Alice Martin", "Nord", "2016-03-01", None, 33600.0, 21000.0, 14000.0),   # above target: accelerator, cap
    ("BP", "Bruno Petit", "Nord", "2025-06-10", None, 27000.0, 9500.0, 10000.0),     # hired in June
    ("CD", "Chloé Durand", "Sud", "2019-09-02", None, 30000.0, 6000.0, 10000.0),     # below the 80 % gate
    ("DR", "David Roux", "Sud", "2012-01-09", None, 36000.0, 12500.0, 11000.0),      # around target: bonus steps
    ("EL", "Émilie Lefèvre", None, "2020-05-04", "2025-10-15", 31200.0, 10000.0, 10000.0),  # no team, leaves in October
]

PLAN = CommissionPlan(
    thresholds=[0, 8000, 15000], rates=[0.03, 0.05, 0.07], mode="progressive", base="revenue", period="month",
    gate=0.8, cap=1200, accelerator=1.5, bonus_thresholds=[1.0, 1.2], bonus_amounts=[200, 500],
    draw=400, draw_recoverable=True, team_bonus_thresholds=[1.0], team_bonus_amounts=[900],
    team_bonus_split="prorata du fixe", charge_rate=0.45,
)


def make_inputs(seed: int = 11):
    rng = np.random.default_rng(seed)
    reps = pd.DataFrame([{"rep": r, "name": n, "team": t, "hire_date": h, "end_date": e, "base_salary": s}
                         for r, n, t, h, e, s, _, _ in TEAM])
    lines = []
    for rep, _, _, hire, end, _, level, _ in TEAM:
        start = max(pd.Timestamp(hire), pd.Timestamp(f"{YEAR - 1}-01-01"))
        stop = pd.Timestamp(end) if end else pd.Timestamp(f"{YEAR}-12-31")
        for day in pd.date_range(start, stop, freq="7D"):
            for _ in range(rng.integers(1, 4)):
                qty = float(rng.integers(1, 6))
                lines.append({"date": day + pd.Timedelta(days=int(rng.integers(0, 7))), "rep": rep, "customer": "C1",
                              "product": "P1", "quantity": qty,
                              "unit_price": round(level / 9.0 / qty * rng.uniform(0.4, 1.6), 2),
                              "discount": float(rng.choice([0.0, 0.05, 0.1])), "unit_cost": 10.0, "paid": True})
    sales = pd.DataFrame(lines)
    sales = sales[sales["date"] <= pd.Timestamp(f"{YEAR}-12-31")]
    # a big deal for Alice in May (cap), a sale of a rep not in the team (ignored)
    sales.loc[len(sales)] = {"date": pd.Timestamp(f"{YEAR}-05-20"), "rep": "AM", "customer": "C2", "product": "P2",
                             "quantity": 1.0, "unit_price": 9000.0, "discount": 0.0, "unit_cost": 10.0, "paid": True}
    sales.loc[len(sales)] = {"date": pd.Timestamp(f"{YEAR}-05-20"), "rep": "ZZ", "customer": "C2", "product": "P2",
                             "quantity": 1.0, "unit_price": 500.0, "discount": 0.0, "unit_cost": 10.0, "paid": True}
    targets = pd.DataFrame([{"rep": r, "period": f"{YEAR}-{m:02d}", "target": target}
                            for r, *_, target in TEAM for m in range(1, 13)])
    return reps, sales, targets


@pytest.fixture(scope="module")
def inputs():
    return make_inputs()


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    reps, sales, targets = inputs
    plan, layout = build_commissions(reps, PLAN, sales, targets)
    folder = tmp_path_factory.mktemp("commissions")
    by_openpyxl = folder / "commissions_openpyxl.xlsx"
    render_book(plan).save(by_openpyxl)
    by_xlsxwriter = folder / "commissions_xlsxwriter.xlsx"
    write_book(plan, by_xlsxwriter)
    return plan, layout, {"openpyxl": by_openpyxl, "xlsxwriter": by_xlsxwriter}


@pytest.fixture(scope="module")
def expected(built):
    _, layout, _ = built
    return compute_pay(**layout.pay_inputs())


@pytest.fixture(scope="module", params=["openpyxl", "xlsxwriter"])
def recalculated(request, built, tmp_path_factory):
    _, _, paths = built
    return request.param, recalculated_workbook(paths[request.param], tmp_path_factory.mktemp("recalc"))


# ------------------------------------------------------------------------------------------------
# inputs and core figures of the test team
# ------------------------------------------------------------------------------------------------


def test_prefilled_grid_is_the_revenue_of_the_sales_lines(inputs, built):
    _, sales, _ = inputs
    _, layout, _ = built
    assert layout.year == YEAR and layout.reps == ["AM", "BP", "CD", "DR", "EL"]
    s = sales[sales["date"].dt.year == YEAR]
    revenue = (s["quantity"] * s["unit_price"] * (1 - s["discount"])).groupby([s["rep"], s["date"].dt.month]).sum()
    for i, rep in enumerate(layout.reps):
        for m in range(1, 13):
            assert layout.bases[i, m - 1] == pytest.approx(revenue.get((rep, m), 0.0), abs=0.005)
    assert layout.bases[1, :5].sum() == 0  # hired in June
    assert layout.bases[4, 10:].sum() == 0  # left in October
    assert layout.unknown_reps == ["ZZ"]
    assert layout.targets[0].tolist() == [14000.0] * 12


def test_the_team_covers_every_rule(expected):
    pay = expected
    am, bp, cd, dr, el = range(5)
    assert (pay.accelerator_extra[am] > 0).sum() >= 8  # above target most months
    assert (pay.commission[am] == 1200).any() and pay.commission_after_gate[am, 4] > 1200  # capped in May
    assert not pay.gate_ok[cd].any() and pay.commission[cd].sum() == 0  # below the gate all year
    assert pay.draw_balance[cd, -1] == 12 * 400  # the draw is owed back
    assert pay.presence[bp, 5] == 21 / 30 and pay.fixed[bp, :5].sum() == 0
    assert pay.presence[el, 9] == 15 / 31 and pay.presence[el, 10:].sum() == 0
    assert set(np.unique(pay.bonus[dr])) >= {0.0, 200.0}
    assert pay.team_bonus[am].sum() > 0 and pay.team_bonus[el].sum() == 0
    assert pay.team_bonus[[am, bp], 5].tolist() == [576.0, 324.0]  # 900 pro rata of 2 800 and 21/30 × 2 250
    assert (pay.draw_recovery > 0).any()


# ------------------------------------------------------------------------------------------------
# structure, on both renderers' files
# ------------------------------------------------------------------------------------------------

BANNED = re.compile(r"(?<![A-Z._])(XLOOKUP|XMATCH|LET|FILTER|LAMBDA|SEQUENCE|MAXIFS|MINIFS|IFS|SORT|SORTBY|UNIQUE|"
                    r"CONCAT|TEXTJOIN|SWITCH)\(")


@pytest.mark.parametrize("renderer", ["openpyxl", "xlsxwriter"])
def test_structure(built, renderer):
    _, layout, paths = built
    wb = openpyxl.load_workbook(paths[renderer])
    statements = [f"Relevé {name}" for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "David Roux", "Émilie Lefèvre")]
    assert wb.sheetnames == ["Paramètres", "Équipe", "Saisie", "Calcul", "Synthèse"] + statements
    assert list(layout.statements.values()) == statements
    assert wb.active.title == "Saisie"
    # every sheet protected; input cells unlocked, formulas locked
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
    saisie, calc, params = wb["Saisie"], wb["Calcul"], wb["Paramètres"]
    base_cell = saisie[layout.input_base[("CD", 3)]]
    assert base_cell.protection.locked is False and base_cell.value == pytest.approx(layout.bases[2, 2])
    assert saisie[layout.input_target[("CD", 3)]].protection.locked is False
    assert saisie["O6"].value == "=SUM(C6:N6)" and saisie["O6"].protection.locked is True
    commission = calc[f"{layout.calc_columns['commission']}{layout.calc_rows[('AM', 5)]}"]
    assert commission.value.startswith("=ROUND(") and commission.protection.locked is True
    assert commission.number_format.startswith("#,##0.00")
    assert "SUMPRODUCT(" in calc[f"{layout.calc_columns['grid_commission']}5"].value
    assert "MATCH(" in calc[f"{layout.calc_columns['grid_commission']}5"].value
    assert params["B5"].value == "progressif" and params["B5"].protection.locked is False
    assert params["B8"].value.startswith("=IF(") and params["B8"].protection.locked is True
    assert [params.cell(r, 2).value for r in layout.tier_rows[:3]] == [0, 8000, 15000]
    assert params[f"E{layout.tier_rows[1]}"].value == f"=IF(ISNUMBER(B{layout.tier_rows[1]}),D{layout.tier_rows[1]}-D{layout.tier_rows[0]},0)"
    equipe = wb["Équipe"]
    assert equipe["D6"].value == dt.datetime(2025, 6, 10) and equipe["D6"].protection.locked is False
    # validations: lists for the choices, decimals 0–1 for rates, ≥ 0 for amounts
    def validations(ws):
        return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    pv = validations(params)
    assert pv["B5"].type == "list" and pv["B5"].formula1 == '"progressif,paliers"'
    assert pv["B6"].type == "list" and pv["B6"].formula1 == '"CA,marge,encaissé"'
    assert pv["B7"].formula1 == '"mois,trimestre,année"' and pv["B13"].formula1 == '"oui,non"'
    rates = pv[f"D{layout.tier_rows[0]}:D{layout.tier_rows[-1]}"]
    # "between" is the default operator: XlsxWriter leaves it out
    assert (rates.type, rates.operator or "between", float(rates.formula1), float(rates.formula2)) == ("decimal", "between", 0, 1)
    assert (pv["B15"].type, float(pv["B15"].formula2)) == ("decimal", 1)
    sv = validations(saisie)
    assert {k: (v.type, v.operator, float(v.formula1)) for k, v in sv.items()} == {
        "C6:N10": ("decimal", "greaterThanOrEqual", 0), "C16:N20": ("decimal", "greaterThanOrEqual", 0)}
    assert validations(equipe)["D5:E9"].type == "date"
    # frozen headers
    assert (params.freeze_panes, equipe.freeze_panes, saisie.freeze_panes, calc.freeze_panes,
            wb["Synthèse"].freeze_panes) == ("A4", "B5", "C6", "D5", "B5")
    # print set-up: A4, one statement per page, title rows repeated
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    statement = wb[statements[0]]
    assert statement.page_setup.orientation == "landscape"
    # 1 is the default of both: XlsxWriter leaves them out
    assert (statement.page_setup.fitToWidth or 1, statement.page_setup.fitToHeight or 1) == (1, 1)
    assert (int(calc.page_setup.fitToWidth), int(calc.page_setup.fitToHeight)) == (3, 0)
    assert statement.print_area.replace("$", "").endswith("!A1:M34")
    assert statement.freeze_panes == f"B{layout.statement_first_row}"
    assert calc.print_title_rows == "$4:$4" or calc.print_title_rows == "4:4"
    # defined names of the plan
    for name in ("Annee", "ModeCalcul", "Bornes", "Taux", "TauxDiff", "Seuil", "Plafond", "Accelerateur", "Avance",
                 "AvanceRecuperable", "PrimeSeuils", "PrimeMontants", "PrimeEquipeSeuils", "Repartition", "TauxCharges"):
        assert name in wb.defined_names, name
    # only functions of Excel 2010 and LibreOffice 7.4
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert not BANNED.search(cell.value.upper()), (ws.title, cell.coordinate, cell.value)
    if renderer == "openpyxl":  # XlsxWriter's chart is not read back by openpyxl
        assert len(wb["Synthèse"]._charts) == 1


def test_plan_from_a_reader_dict_and_defaults(inputs):
    reps, sales, _ = inputs
    spec = {"tiers": [(0.0, 0.02), (300000.0, 0.03)], "mode": "flat", "base": "margin", "period": "year", "gate": 0.7,
            "cap": None, "accelerator": 1.25, "bonus_grid": [(1.0, 1500.0)], "draw": 1000.0, "draw_recoverable": False,
            "team_bonus": [(1.0, 1500.0)], "employer_charge_rate": 0.42}
    book, layout = build_commissions(reps[["rep", "base_salary"]], spec, sales)
    params = book.sheet("Paramètres")
    assert [params.at(f"B{r}").value for r in range(5, 8)] == ["paliers", "marge", "année"]
    assert params.at("B10").value == 0.0 and params.at("B13").value == "non" and params.at("B14").value == "par commercial"
    s = sales[sales["date"].dt.year == YEAR]
    margin = s["quantity"] * (s["unit_price"] * (1 - s["discount"]) - s["unit_cost"])
    assert layout.bases.sum() == pytest.approx(margin[s["rep"] != "ZZ"].sum(), abs=0.05)
    assert layout.targets.sum() == 0 and layout.teams == []
    with pytest.raises(ValueError, match="en double"):
        build_commissions(pd.DataFrame({"rep": ["A", "A"]}), PLAN)


# ------------------------------------------------------------------------------------------------
# values after LibreOffice recalculation, against the core
# ------------------------------------------------------------------------------------------------


def _same(actual, wanted) -> bool:
    if isinstance(wanted, str) or wanted is None:
        return actual == wanted or (wanted in ("", None) and actual in ("", None))
    if isinstance(actual, (dt.datetime, dt.date)) or isinstance(wanted, (dt.datetime, dt.date)):
        return pd.Timestamp(actual) == pd.Timestamp(wanted)
    if not isinstance(actual, (int, float)) or isinstance(actual, bool):
        return False
    return abs(actual - wanted) < 0.005


def _wanted(pay, field, i, m, layout, months=None):
    if field == "rep":
        return layout.reps[i]
    if field == "team":
        return layout.team_of[layout.reps[i]]
    if field == "month":
        return m
    if field == "period_date":
        return dt.datetime(layout.year, m, 1)
    if field == "period_start":
        months = months or layout.plan.months
        return m - (m - 1) % months
    value = getattr(pay, field)[i, m - 1]
    if field == "gate_ok":
        return "oui" if value else "non"
    return "" if isinstance(value, float) and np.isnan(value) else float(value)


def calc_mismatches(wb, layout, pay, months=None):
    ws = wb["Calcul"]
    wrong = []
    for (rep, m), r in layout.calc_rows.items():
        i = layout.reps.index(rep)
        for field, _, _ in CALC_COLUMNS:
            cell = f"{layout.calc_columns[field]}{r}"
            actual, wanted = ws[cell].value, _wanted(pay, field, i, m, layout, months)
            if not _same(actual, wanted):
                wrong.append((cell, field, rep, m, actual, wanted))
    return wrong


def summary_mismatches(wb, layout, pay):
    ws = wb["Synthèse"]
    totals = pay.totals().set_index("rep")
    totals["name"] = [layout.names[r] for r in totals.index]
    totals["team"] = [layout.team_of[r] for r in totals.index]
    totals.insert(0, "rep", totals.index)
    wrong = []
    S = layout.summary_columns
    for rep, r in layout.summary_rows.items():
        for field, _, _ in SUMMARY_COLUMNS:
            wanted = totals.loc[rep, field]
            wanted = "" if isinstance(wanted, float) and np.isnan(wanted) else wanted
            if not _same(ws[f"{S[field]}{r}"].value, wanted):
                wrong.append((f"{S[field]}{r}", field, rep, ws[f"{S[field]}{r}"].value, wanted))
    t = layout.summary_total_row
    for field, _, _ in SUMMARY_COLUMNS[3:]:
        wanted = totals["base"].sum() / totals["target"].sum() if field == "attainment" else totals[field].sum()
        if not _same(ws[f"{S[field]}{t}"].value, wanted):
            wrong.append((f"{S[field]}{t}", field, "Total", ws[f"{S[field]}{t}"].value, wanted))
    by_team = totals[totals["team"] != ""].groupby("team")[["base", "target", "team_bonus", "gross", "employer_cost"]].sum()
    by_team["attainment"] = by_team["base"] / by_team["target"]
    T = layout.team_columns
    for team, r in layout.team_rows.items():
        for field in ("base", "target", "attainment", "team_bonus", "gross", "employer_cost"):
            if not _same(ws[f"{T[field]}{r}"].value, by_team.loc[team, field]):
                wrong.append((f"{T[field]}{r}", field, team, ws[f"{T[field]}{r}"].value, by_team.loc[team, field]))
    return wrong


def statement_mismatches(wb, layout, pay):
    wrong = []
    R = layout.statement_columns
    for i, rep in enumerate(layout.reps):
        ws = wb[layout.statements[rep]]
        if not (_same(ws["B3"].value, rep) and _same(ws["B4"].value, layout.names[rep])):
            wrong.append((ws.title, "B3:B4", ws["B3"].value, ws["B4"].value))
        for m in range(1, 13):
            r = layout.statement_first_row + m - 1
            for field, _, _ in STATEMENT_COLUMNS:
                if not _same(ws[f"{R[field]}{r}"].value, _wanted(pay, field, i, m, layout)):
                    wrong.append((ws.title, f"{R[field]}{r}", field, ws[f"{R[field]}{r}"].value))
        t = layout.statement_first_row + 12
        if not _same(ws[f"{R['gross']}{t}"].value, pay.gross[i].sum()):
            wrong.append((ws.title, "total gross", ws[f"{R['gross']}{t}"].value, pay.gross[i].sum()))
    return wrong


@requires_libreoffice
def test_every_calculated_cell_equals_the_core(recalculated, built, expected):
    _, wb = recalculated
    _, layout, _ = built
    assert calc_mismatches(wb, layout, expected) == []
    assert summary_mismatches(wb, layout, expected) == []
    assert statement_mismatches(wb, layout, expected) == []
    # spot checks in plain figures
    calc = wb["Calcul"]
    row = layout.calc_rows[("AM", 5)]
    assert calc[f"{layout.calc_columns['commission']}{row}"].value == 1200  # capped
    assert calc[f"{layout.calc_columns['gate_ok']}{layout.calc_rows[('CD', 1)]}"].value == "non"
    assert wb["Saisie"]["A2"].value == f"Assiette des commissions : CA — exercice {YEAR}"


@requires_libreoffice
def test_no_error_cells(recalculated):
    _, wb = recalculated
    errors = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(EXCEL_ERROR_VALUES)]
    assert errors == []


@requires_libreoffice
def test_changed_inputs_flow_through_the_formulas(built, tmp_path):
    """Type a new sale in « Saisie », switch the grid to paliers and the period to the quarter in
    « Paramètres »: after recalculation every cell equals the core on the new inputs."""
    _, layout, paths = built
    wb = openpyxl.load_workbook(paths["xlsxwriter"])
    cell = layout.input_base[("CD", 3)]
    wb["Saisie"][cell] = 16000.0
    wb["Paramètres"][layout.params["mode"]] = "paliers"
    wb["Paramètres"][layout.params["period"]] = "trimestre"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    values = recalculated_workbook(changed, tmp_path / "out")

    bases = layout.bases.copy()
    bases[2, 2] = 16000.0
    plan = CommissionPlan(**{**{f: getattr(PLAN, f) for f in PLAN.__dataclass_fields__}, "mode": "flat", "period": "quarter"})
    inputs = layout.pay_inputs()
    inputs.update(plan=plan, base_amounts=bases)
    pay = compute_pay(**inputs)
    before = compute_pay(**layout.pay_inputs())
    assert pay.commission[2].sum() != before.commission[2].sum()  # the change matters
    assert values["Paramètres"][layout.params["months"]].value == 3
    assert calc_mismatches(values, layout, pay, months=3) == []
    assert summary_mismatches(values, layout, pay) == []
    # Chloé's first quarter: 16 000 in March lifts the quarter above the gate; paliers: the rate
    # of the tier reached on the whole quarter-to-date base
    q1 = bases[2, :3].sum()
    rate = 0.07 if q1 >= 15000 else 0.05
    row = layout.calc_rows[("CD", 3)]
    attainment = values["Calcul"][f"{layout.calc_columns['attainment']}{row}"].value
    assert attainment >= 0.8
    assert values["Calcul"][f"{layout.calc_columns['grid_commission']}{row}"].value == pytest.approx(q1 * rate)
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for r in ws.iter_rows() for c in r
              if isinstance(c.value, str) and c.value.startswith(EXCEL_ERROR_VALUES)]
    assert errors == []


def test_sample_company_with_its_yearly_plan():
    """The sample company's « Terrain » plan (yearly tiers paid monthly on the year to date)."""
    sample = pytest.importorskip("xlsales.sample")
    from xlsales.io import commission_plans

    company = sample.make_sample_company()
    spec = commission_plans(company.commission_plan)["Terrain"]
    book, layout = build_commissions(company.reps, spec, company.sales, company.targets)
    assert layout.plan.period == "year" and layout.plan.team_bonus_split == "member"
    assert book.sheet("Paramètres").at("B7").value == "année"
    sales = company.sales[company.sales["date"].dt.year == layout.year]
    revenue = sales.groupby([sales["rep"], sales["date"].dt.month])["revenue"].sum()
    for i, rep in enumerate(layout.reps):
        for m in range(1, 13):
            assert layout.bases[i, m - 1] == pytest.approx(revenue.get((rep, m), 0.0), abs=0.005)
    pay = compute_pay(**layout.pay_inputs())
    # yearly plan: the commissions of the months add up to the commission due on the year
    np.testing.assert_allclose(pay.commission.sum(axis=1), pay.commission_due_cum[:, -1], atol=0.005)
    # bonuses and team bonus are paid in December only
    assert pay.bonus[:, :11].sum() == 0 and pay.team_bonus[:, :11].sum() == 0
    hired = [i for i, d in enumerate(layout.hire_dates) if d and d.year == layout.year]
    assert hired and all(pay.fixed[i, 0] == 0 for i in hired)


def test_cash_base_and_targets_readings():
    sales = pd.DataFrame({"date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03", "2024-12-30"]),
                          "rep": ["A", "A", "B", "A"], "quantity": [2.0, 1.0, 3.0, 1.0],
                          "unit_price": [100.0, 50.0, 10.0, 99.0], "discount": [0.1, 0.0, 0.0, 0.0]})
    for paid, january_a, february_b in (([True, False, True, True], 180.0, 30.0),
                                        (["oui", "non", "oui", "oui"], 180.0, 30.0),
                                        ([180.0, np.nan, 12.5, 1.0], 180.0, 12.5),  # amounts, as xlsales.io reads them
                                        ([True, 20.0, "non", None], 200.0, 0.0)):
        sales["paid"] = paid
        bases, unknown = monthly_bases(sales, ["A", "B"], 2025, "cash")
        assert (bases[0, 0], bases[1, 1], bases.sum()) == (january_a, february_b, january_a + february_b)
        assert unknown == []
    targets = pd.DataFrame({"rep": ["A", "B", "B"], "period": ["2025", "2025-02", "2024-02"],
                            "target": [1200.0, 500.0, 9.0], "target_margin": [120.0, 50.0, 1.0]})
    assert monthly_targets(targets, ["A", "B"], 2025)[:, :3].tolist() == [[100.0] * 3, [0.0, 500.0, 0.0]]
    assert monthly_targets(targets, ["A", "B"], 2025, "margin")[:, :3].tolist() == [[10.0] * 3, [0.0, 50.0, 0.0]]
    by_columns = pd.DataFrame({"rep": ["A"], "year": [2025], "month": [3], "target": [700.0]})
    assert monthly_targets(by_columns, ["A"], 2025)[0, :4].tolist() == [0.0, 0.0, 700.0, 0.0]
