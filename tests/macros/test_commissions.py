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
from native_formulas import non_native_cells

from xlsales.core._vector import excel_round
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
    assert non_native_cells(wb) == []
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
        # months of the period: given (one for all reps, or one per rep), else those of the rep's plan
        months = months or layout.plan_of(layout.reps[i]).months
        months = months if isinstance(months, int) else months[i]
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


# ------------------------------------------------------------------------------------------------
# several plans in one workbook
# ------------------------------------------------------------------------------------------------

#: a second plan that differs from PLAN in every rule
JUNIOR = CommissionPlan(
    thresholds=[0, 20000, 40000], rates=[0.04, 0.06, 0.09], mode="paliers", base="revenue", period="trimestre",
    gate=0.6, cap=None, accelerator=1.2, bonus_thresholds=[0.9, 1.1], bonus_amounts=[300, 800],
    draw=500, draw_recoverable=False, team_bonus_thresholds=[1.0, 1.1], team_bonus_amounts=[600, 1200],
    team_bonus_split="parts égales", charge_rate=0.3,
)
PLANS = {"Terrain": PLAN, "Junior": JUNIOR}
#: Bruno (team Nord, with Alice on « Terrain ») and Émilie (no team) on « Junior »
REP_PLANS = {"AM": "Terrain", "BP": "Junior", "CD": "Terrain", "DR": "Terrain", "EL": "Junior"}
#: the parameters of a plan, as defined names (plan 1: as is; plan 2: suffixed « _2 »)
PLAN_NAMES = ("ModeCalcul", "Assiette", "Periode", "MoisPeriode", "Seuil", "Plafond", "Accelerateur", "Avance",
              "AvanceRecuperable", "Repartition", "TauxCharges", "Bornes", "Taux", "TauxDiff", "PrimeSeuils",
              "PrimeMontants", "PrimeEquipeSeuils", "PrimeEquipeMontants")


@pytest.fixture(scope="module")
def multi_built(inputs, tmp_path_factory):
    reps, sales, targets = inputs
    plan, layout = build_commissions(reps.assign(plan=reps["rep"].map(REP_PLANS)), PLANS, sales, targets)
    folder = tmp_path_factory.mktemp("multi")
    paths = {"openpyxl": folder / "multi_openpyxl.xlsx", "xlsxwriter": folder / "multi_xlsxwriter.xlsx"}
    render_book(plan).save(paths["openpyxl"])
    write_book(plan, paths["xlsxwriter"])
    return plan, layout, paths


@pytest.fixture(scope="module", params=["openpyxl", "xlsxwriter"])
def multi_recalculated(request, multi_built, tmp_path_factory):
    _, _, paths = multi_built
    return request.param, recalculated_workbook(paths[request.param], tmp_path_factory.mktemp("multi_recalc"))


def _pay_on(layout, rep_plans):
    """The core's pay of the workbook's data, each rep on the plan named in ``rep_plans``."""
    inputs = layout.pay_inputs()
    inputs["plan"] = [PLANS[rep_plans[r]] for r in layout.reps]
    return compute_pay(**inputs)


def _errors(wb):
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith(EXCEL_ERROR_VALUES)]


def _plan_numbers(wb, layout):
    """The plan number of « Calcul » of each rep, and whether it is the same on the rep's 12 rows."""
    C = layout.calc_columns
    numbers = {rep: {wb["Calcul"][f"{C['plan']}{layout.calc_rows[(rep, m)]}"].value for m in range(1, 13)}
               for rep in layout.reps}
    return [next(iter(v)) if len(v) == 1 else v for v in numbers.values()]


def _by_plan_mismatches(wb, layout, pay, rep_plans):
    """The « Par plan » block of « Synthèse » against the core's totals grouped by plan."""
    totals = pay.totals().set_index("rep")
    totals["plan"] = [rep_plans[r] for r in totals.index]
    grouped = totals.groupby("plan")
    ws, P = wb["Synthèse"], layout.summary_plan_columns
    wrong = []
    for name in PLANS:
        r = layout.summary_plan_rows[name]
        wanted = {"plan": name, "reps": int((totals["plan"] == name).sum())}
        for f in ("base", "commission_paid", "bonus", "team_bonus", "gross", "employer_cost"):
            wanted[f] = grouped[f].sum().get(name, 0.0)
        wrong += [(name, f, ws[f"{P[f]}{r}"].value, v) for f, v in wanted.items() if not _same(ws[f"{P[f]}{r}"].value, v)]
    r = layout.summary_plan_rows["Total"]
    for f in ("gross", "employer_cost"):
        if not _same(ws[f"{P[f]}{r}"].value, totals[f].sum()):
            wrong.append(("Total", f, ws[f"{P[f]}{r}"].value, totals[f].sum()))
    return wrong


def test_two_plans_layout_and_core(multi_built):
    _, layout, _ = multi_built
    assert layout.several_plans and list(layout.plans) == ["Terrain", "Junior"] and layout.plan == PLAN
    assert layout.rep_plans == REP_PLANS and layout.unmatched_plans == {}
    assert layout.param_sheets == {"Terrain": "Paramètres", "Junior": "Paramètres Junior"}
    assert layout.pay_inputs()["plan"] == [PLAN, JUNIOR, PLAN, PLAN, JUNIOR]
    pay = compute_pay(**layout.pay_inputs())
    am, bp, _, dr, el = range(5)
    # Nord mixes the plans: one pooled attainment; Alice's pool every month (monthly « Terrain »),
    # Bruno's at the ends of the quarters only (« Junior »), shared equally with Alice once he is there
    np.testing.assert_array_equal(pay.team_attainment[am], pay.team_attainment[bp])
    assert set(np.flatnonzero(pay.team_pool[bp])) <= {2, 5, 8, 11} and pay.team_pool[bp, 5] in (600, 1200)
    assert pay.team_bonus[bp, :5].sum() == 0 and pay.team_bonus[bp, 5] == pay.team_pool[bp, 5] / 2
    assert (pay.team_pool[am] > 0).sum() > 4
    assert pay.team_bonus[el].sum() == 0
    # « Junior »: no recovery of the draw, its own charge rate
    assert pay.draw_balance[[bp, el]].sum() == 0 and (pay.draw_topup[[bp, el]] > 0).any()
    np.testing.assert_allclose(pay.employer_cost[el], excel_round(pay.gross[el] * 1.3, 2))
    np.testing.assert_allclose(pay.employer_cost[dr], excel_round(pay.gross[dr] * 1.45, 2))


@pytest.mark.parametrize("renderer", ["openpyxl", "xlsxwriter"])
def test_two_plans_structure(multi_built, renderer):
    _, layout, paths = multi_built
    wb = openpyxl.load_workbook(paths[renderer])
    statements = [f"Relevé {name}" for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "David Roux", "Émilie Lefèvre")]
    assert wb.sheetnames == ["Paramètres", "Paramètres Junior", "Équipe", "Saisie", "Calcul", "Synthèse"] + statements
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
    params, junior = wb["Paramètres"], wb["Paramètres Junior"]
    # the list of the plans on « Paramètres », each plan's name on its sheet
    assert [[params.cell(r, c).value for c in range(7, 10)] for r in (4, 5, 6)] == [
        ["N°", "Plan", "Feuille des paramètres"], [1, "Terrain", "Paramètres"], [2, "Junior", "Paramètres Junior"]]
    assert params["H5"].protection.locked is True
    assert (params["B3"].value, junior["B3"].value) == ("=INDEX(Plans,1)", "=INDEX(Plans,2)")
    # one year, on « Paramètres »; each plan's inputs on its sheet
    assert params["B4"].value == YEAR and params["B4"].protection.locked is False
    assert junior["B4"].value == "=Annee" and junior["B4"].protection.locked is True
    assert [junior[f"B{r}"].value for r in (5, 7, 13, 14)] == ["paliers", "trimestre", "non", "parts égales"]
    assert junior["B5"].protection.locked is False and junior["B9"].value == 0.6
    assert junior["B8"].value == '=IF(Periode_2="trimestre",3,IF(Periode_2="année",12,1))'
    assert [junior.cell(r, 2).value for r in layout.tier_rows[:4]] == [0, 20000, 40000, None]
    # defined names: plan 1 as in a one-plan workbook, plan 2 suffixed, on its sheet; one year
    names = wb.defined_names
    for name in PLAN_NAMES:
        assert names[name].attr_text.startswith("Paramètres!"), name
        assert names[f"{name}_2"].attr_text.startswith("'Paramètres Junior'!"), name
    assert "Annee" in names and "Annee_2" not in names
    assert names["Plans"].attr_text == "Paramètres!$H$5:$H$6"
    # « Équipe »: the plan of each rep, typed, from the list of the plans
    equipe = wb["Équipe"]
    assert equipe["H4"].value == "Plan" and [equipe[f"H{r}"].value for r in range(5, 10)] == list(REP_PLANS.values())
    assert equipe["H6"].protection.locked is False
    dv = {str(v.sqref): v for v in equipe.data_validations.dataValidation}["H5:H9"]
    assert (dv.type, dv.formula1) == ("list", '"Terrain,Junior"')
    # « Calcul »: the plan number, then every parameter picked by it
    calc, C = wb["Calcul"], layout.calc_columns
    assert (C["rep"], C["team"], C["plan"], C["month"]) == ("A", "B", "C", "D") and calc.freeze_panes == "E5"
    assert calc["C4"].value == "N° plan"
    assert calc["C5"].value == "=IFERROR(MATCH(Équipe!$H$5,Plans,0),1)"
    assert calc[f"C{layout.calc_rows[('BP', 7)]}"].value == "=IFERROR(MATCH(Équipe!$H$6,Plans,0),1)"
    grid = calc[f"{C['grid_commission']}5"].value
    assert C["cum_base"] == "J" and grid.startswith('=IF(CHOOSE(C5,ModeCalcul,ModeCalcul_2)="paliers",')
    assert "SUMPRODUCT((J5>CHOOSE(C5,Bornes,Bornes_2))*(J5-CHOOSE(C5,Bornes,Bornes_2))*CHOOSE(C5,TauxDiff,TauxDiff_2))" in grid
    assert "INDEX(CHOOSE(C5,Taux,Taux_2),MATCH(J5,CHOOSE(C5,Bornes,Bornes_2),1))" in grid
    # no parameter of a plan is read outside a CHOOSE of the row's plan number
    choose = re.compile(r"CHOOSE\(C(\d+),(\w+),(\w+)_2\)")
    bare = re.compile(r"\b(" + "|".join(PLAN_NAMES) + r")(_2)?\b")
    for row in calc.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                for m in choose.finditer(cell.value):
                    assert int(m.group(1)) == cell.row and m.group(2) == m.group(3), (cell.coordinate, m.group(0))
                assert not bare.search(choose.sub("", cell.value)), (cell.coordinate, cell.value)
    # « Synthèse » and the statements name the plan
    summary = wb["Synthèse"]
    assert summary["D4"].value == "Plan" and summary["D5"].value == "=INDEX(Plans,Calcul!$C$5)"
    statement = wb[layout.statements["BP"]]
    assert statement["A8"].value == "Plan de commissionnement"
    assert statement["B8"].value == f"=INDEX(Plans,Calcul!$C${layout.calc_rows[('BP', 1)]})"
    assert non_native_cells(wb) == []


@requires_libreoffice
def test_two_plans_every_calculated_cell_equals_the_core(multi_recalculated, multi_built):
    _, wb = multi_recalculated
    _, layout, _ = multi_built
    pay = compute_pay(**layout.pay_inputs())
    assert _errors(wb) == []
    assert _plan_numbers(wb, layout) == [1, 2, 1, 1, 2]
    assert calc_mismatches(wb, layout, pay) == []
    assert summary_mismatches(wb, layout, pay) == []
    assert statement_mismatches(wb, layout, pay) == []
    assert _by_plan_mismatches(wb, layout, pay, REP_PLANS) == []
    summary = wb["Synthèse"]
    assert [summary[f"D{layout.summary_rows[r]}"].value for r in layout.reps] == list(REP_PLANS.values())
    t = layout.summary_total_row
    assert summary[f"{layout.summary_columns['employer_cost']}{t}"].value == pytest.approx(pay.employer_cost.sum(), abs=0.005)
    # Bruno's quarterly « Junior » team bonus, shared with Alice, in June
    row = layout.calc_rows[("BP", 6)]
    assert wb["Calcul"][f"{layout.calc_columns['team_bonus']}{row}"].value == pay.team_bonus[1, 5] > 0
    assert wb[layout.statements["BP"]]["D3"].value == "Plan « Junior » : paliers sur CA, période : trimestre"
    assert wb[layout.statements["AM"]]["B8"].value == "Terrain"
    assert wb["Paramètres Junior"]["B4"].value == YEAR and wb["Paramètres Junior"]["B8"].value == 3
    assert wb["Saisie"]["A2"].value == f"Assiette des commissions selon le plan du commercial — Terrain : CA ; Junior : CA — exercice {YEAR}"


@requires_libreoffice
def test_changing_a_reps_plan_in_the_file_changes_their_pay(multi_built, tmp_path):
    """In « Équipe »: David to « junior » (MATCH ignores the case), Bruno's plan emptied and Émilie
    on a plan that does not exist (both: plan 1). After recalculation every cell is the core's with
    the new plans, Sud's team bonus included (its attainment pools David's quarter now)."""
    _, layout, paths = multi_built
    wb = openpyxl.load_workbook(paths["xlsxwriter"])
    rows = layout.team_sheet_rows
    wb["Équipe"][f"H{rows['DR']}"] = "junior"
    wb["Équipe"][f"H{rows['BP']}"] = None
    wb["Équipe"][f"H{rows['EL']}"] = "Inconnu"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    values = recalculated_workbook(changed, tmp_path / "out")
    new_plans = {"AM": "Terrain", "BP": "Terrain", "CD": "Terrain", "DR": "Junior", "EL": "Terrain"}
    pay = _pay_on(layout, new_plans)
    before = compute_pay(**layout.pay_inputs())
    dr = layout.reps.index("DR")
    assert pay.gross[dr].sum() != before.gross[dr].sum() and pay.commission[dr].sum() != before.commission[dr].sum()
    assert _errors(values) == []
    assert _plan_numbers(values, layout) == [1, 1, 1, 2, 1]
    assert calc_mismatches(values, layout, pay, months=[PLANS[new_plans[r]].months for r in layout.reps]) == []
    assert summary_mismatches(values, layout, pay) == []
    assert statement_mismatches(values, layout, pay) == []
    assert _by_plan_mismatches(values, layout, pay, new_plans) == []
    # David's year on « Junior »: paid by quarter, no recovery of the draw, charges at 30 %
    C = layout.calc_columns
    calc = values["Calcul"]
    assert [calc[f"{C['period_start']}{layout.calc_rows[('DR', m)]}"].value for m in (1, 5, 12)] == [1, 4, 10]
    assert calc[f"{C['draw_balance']}{layout.calc_rows[('DR', 12)]}"].value == 0
    assert values[layout.statements["DR"]]["B8"].value == "Junior"
    assert values[layout.statements["BP"]]["D3"].value == "Plan « Terrain » : progressif sur CA, période : mois"


@requires_libreoffice
def test_sample_company_has_its_whole_sales_force(tmp_path):
    """The sample company's two plans: its 8 reps in one workbook, Léa Bonnet on « Junior », hired
    on 1 July 2025, paid from July; every figure is the core's."""
    sample = pytest.importorskip("xlsales.sample")
    from xlsales.io import commission_plans
    from xlsales.macros.commissions import plan_for_company

    company = sample.make_sample_company()
    book = plan_for_company(company)
    same, layout = build_commissions(company.reps, commission_plans(company.commission_plan), company.sales,
                                     company.targets)
    assert book == same
    assert len(layout.reps) == len(company.reps) == 8
    assert layout.rep_plans["Léa Bonnet"] == "Junior"
    assert [layout.rep_plans[r] for r in layout.reps].count("Terrain") == 7
    assert layout.hire_dates[layout.reps.index("Léa Bonnet")] == dt.date(2025, 7, 1)
    assert [s.name for s in book.sheets][:2] == ["Paramètres", "Paramètres Junior"]
    path = tmp_path / "commissions.xlsx"
    write_book(book, path)
    values = recalculated_workbook(path, tmp_path / "out")
    pay = compute_pay(**layout.pay_inputs())
    assert _errors(values) == []
    assert calc_mismatches(values, layout, pay) == []
    assert summary_mismatches(values, layout, pay) == []
    assert statement_mismatches(values, layout, pay) == []
    lea = layout.reps.index("Léa Bonnet")
    C = layout.calc_columns
    calc = values["Calcul"]
    assert _plan_numbers(values, layout) == [1] * 7 + [2]
    assert [calc[f"{C['presence']}{layout.calc_rows[('Léa Bonnet', m)]}"].value for m in (6, 7)] == [0, 1]
    assert [calc[f"{C['fixed']}{layout.calc_rows[('Léa Bonnet', m)]}"].value for m in (6, 7)] == [0, 2583.33]  # 31 000 / 12
    assert pay.fixed[lea].sum() == pytest.approx(6 * 2583.33)
    # « Junior »: 2 % then 3 %, draw of 370 € not recovered, paid on the year to date from July
    assert pay.commission[lea, :6].sum() == 0 and pay.commission[lea].sum() > 0
    assert pay.draw[lea, 6] == 370 and pay.draw_balance[lea].sum() == 0
    summary = values["Synthèse"]
    assert summary[f"D{layout.summary_rows['Léa Bonnet']}"].value == "Junior"
    t = layout.summary_total_row
    assert summary[f"{layout.summary_columns['employer_cost']}{t}"].value == pytest.approx(pay.employer_cost.sum(), abs=0.005)
    company_plans = {r: layout.rep_plans[r] for r in layout.reps}
    totals = pay.totals().assign(plan=[company_plans[r] for r in layout.reps]).groupby("plan")["employer_cost"].sum()
    P = layout.summary_plan_columns
    assert [summary[f"{P['employer_cost']}{layout.summary_plan_rows[n]}"].value for n in ("Terrain", "Junior")] == [
        pytest.approx(totals["Terrain"], abs=0.005), pytest.approx(totals["Junior"], abs=0.005)]


def test_plans_from_files_each_rep_on_the_plan_of_its_column(inputs):
    from xlsales.macros.commissions import MAX_PLANS, plan_from_files

    reps, sales, targets = inputs
    frame = pd.DataFrame([
        ("Terrain", "tier", 0.0, 0.03), ("Terrain", "period", None, "month"),
        ("Marge", "tier", 0.0, 0.1), ("Marge", "base", None, "margin"), ("Marge", "period", None, "quarter"),
    ], columns=["plan", "item", "threshold", "value"])
    # empty, unknown, and another case: plan 1 for the first two, « Marge » for the third
    typed = reps.assign(plan=["Terrain", None, "Inconnu", "MARGE", "Marge"])
    book = plan_from_files(sales, frame, typed, targets)
    assert [s.name for s in book.sheets][:2] == ["Paramètres", "Paramètres Marge"]
    equipe = book.sheet("Équipe")
    assert [equipe.at(f"H{r}").value for r in range(5, 10)] == ["Terrain", "Terrain", "Terrain", "Marge", "Marge"]
    from xlsales.io import commission_plans

    _, layout = build_commissions(typed, commission_plans(frame), sales, targets)
    assert layout.unmatched_plans == {"CD": "Inconnu"}
    # « Saisie » pre-filled with each rep's base: revenue for « Terrain », margin for « Marge »
    s = sales[sales["date"].dt.year == YEAR]
    revenue = s["quantity"] * s["unit_price"] * (1 - s["discount"])
    margin = revenue - s["quantity"] * s["unit_cost"]
    for rep, amounts in (("AM", revenue), ("DR", margin), ("EL", margin)):
        assert layout.bases[layout.reps.index(rep)].sum() == pytest.approx(amounts[s["rep"] == rep].sum(), abs=0.05)
    assert layout.pay_inputs()["plan"][3].base == "margin" and layout.pay_inputs()["plan"][3].months == 3
    # one plan in the file: the one-plan workbook, every rep on it, even on another plan's name
    book = plan_from_files(sales, frame[frame["plan"] == "Marge"], typed, targets)
    assert [s.name for s in book.sheets][:3] == ["Paramètres", "Équipe", "Saisie"]
    assert book.sheet("Équipe").max_column == 7 and len(book.sheet("Synthèse").charts) == 1
    assert book.sheet("Calcul").at("C4").value == "Mois"
    # no plan column: everyone on the first plan
    _, layout = build_commissions(reps, commission_plans(frame), sales, targets)
    assert set(layout.rep_plans.values()) == {"Terrain"} and layout.unmatched_plans == {}
    with pytest.raises(ValueError, match="au plus"):
        build_commissions(reps, {f"P{k}": PLAN for k in range(MAX_PLANS + 1)})


def _refresh_live(payload: dict, tmp_path, inputs: tuple[str, ...], grids: tuple[str, ...]) -> dict:
    """Run the template's button (:func:`refresh`) on ``payload`` (the JSON Excel sends): the sheet
    names after it, whether the ``inputs`` sheets are unchanged (and their values), the sheets it
    wrote to, and the cells it wrote in the ``grids`` sheets."""
    import json

    from live_book import run_live

    (tmp_path / "payload.json").write_text(json.dumps(payload, default=str), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros import commissions
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
inputs = {inputs!r}
before = {{s.name: s.used_range.value for s in book.sheets if s.name in inputs}}
commissions.refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
after = {{s.name: s.used_range.value for s in book.sheets if s.name in inputs}}
def grid(name):
    found = [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name]
    return found[0] if len(found) == 1 else found
print(json.dumps({{"names": names, "inputs_unchanged": before == after, "after": after,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "grids": {{n: grid(n) for n in {grids!r}}}}}, default=str))
"""
    return run_live(script)


def _formulas_written(grids: dict, fresh, names) -> dict:
    """The sheets ``names`` of the new generation ``fresh`` whose formulas the button did not write."""
    wrong = {}
    for name in names:
        expected = {(r, c): cell.formula for (r, c), cell in fresh.sheet(name).cells.items() if cell.formula}
        written = {(r, c): grids[name][r - 1][c - 1] for (r, c) in expected}
        bad = {k: (written[k], v) for k, v in expected.items() if written[k] != v}
        if bad:
            wrong[name] = bad
    return wrong


def _new_rep_payload(path, layout):
    """The JSON of the workbook at ``path`` with a new rep « ZN » (copied from Bruno) typed in
    « Équipe » and 12 345,67 € typed for Alice in January."""
    from live_book import officejs_payload

    payload = officejs_payload(path)
    sheets = {s["name"]: s for s in payload["sheets"]}
    team = sheets["Équipe"]["values"]
    new_rep = list(team[layout.team_sheet_rows["BP"] - 1])
    new_rep[:2] = ["ZN", "Zoé Nouvelle"]
    team.append(new_rep)
    sheets["Saisie"]["values"][5][2] = 12345.67
    return payload, sheets


def _six_reps(inputs) -> pd.DataFrame:
    reps, _, _ = inputs
    return pd.concat([reps, pd.DataFrame([{"rep": "ZN", "name": "Zoé Nouvelle", "team": "Nord", "base_salary": 27000.0}])])


def _saisie_kept(grid, saisie) -> bool:
    """« Saisie » rebuilt for 6 reps from the one of 5: every amount and target kept on its row."""
    return (grid[5][2] == 12345.67
            and all(grid[r][2:14] == saisie[r][2:14] for r in range(5, 10))  # the amounts of the five reps
            and grid[10][:1] == ['=IF(Équipe!$A$10="","",Équipe!$A$10)'] and grid[10][2:14] == [0.0] * 12
            and [row[2:14] for row in grid[16:21]] == [row[2:14] for row in saisie[15:20]]  # the targets, one row lower
            and saisie[15][2:14] == [14000.0] * 12 and grid[21][2:14] == [0.0] * 12)


def test_refresh_on_a_one_plan_workbook(built, inputs, tmp_path):
    _, layout, paths = built
    payload, sheets = _new_rep_payload(paths["openpyxl"], layout)
    result = _refresh_live(payload, tmp_path, ("Paramètres", "Équipe"), ("Saisie", "Calcul", "Synthèse", "Relevé Zoé Nouvelle"))
    assert result["inputs_unchanged"] and not {"Paramètres", "Équipe"} & set(result["touched"])
    assert result["names"] == (["Paramètres", "Équipe", "Saisie", "Calcul", "Synthèse"] + list(layout.statements.values())
                               + ["Relevé Zoé Nouvelle"])
    assert _saisie_kept(result["grids"]["Saisie"], sheets["Saisie"]["values"])
    fresh, _ = build_commissions(_six_reps(inputs), PLAN)
    assert _formulas_written(result["grids"], fresh, ("Calcul", "Synthèse", "Relevé Zoé Nouvelle")) == {}
    assert "CHOOSE(" not in str(result["grids"]["Calcul"])


def test_refresh_on_a_two_plan_workbook_keeps_every_input(multi_built, inputs, tmp_path):
    """The template's button on a two-plan workbook: David moved to « Junior », a new rep on
    « Junior », an amount typed, the gate of « Junior » changed. The parameter sheets and « Équipe »
    are left as typed; « Saisie » keeps every amount; « Calcul », « Synthèse » and the statements
    are rebuilt as a new generation for the new team would write them."""
    _, layout, paths = multi_built
    payload, sheets = _new_rep_payload(paths["openpyxl"], layout)
    sheets["Équipe"]["values"][layout.team_sheet_rows["DR"] - 1][7] = "Junior"
    sheets["Paramètres Junior"]["values"][8][1] = 0.65  # gate of « Junior »
    inputs_sheets = ("Paramètres", "Paramètres Junior", "Équipe")
    result = _refresh_live(payload, tmp_path, inputs_sheets, ("Saisie", "Calcul", "Synthèse", "Relevé Zoé Nouvelle"))
    assert result["inputs_unchanged"] and result["after"]["Paramètres Junior"][8][1] == 0.65
    assert [row[7] for row in result["after"]["Équipe"][4:]] == ["Terrain", "Junior", "Terrain", "Junior", "Junior", "Junior"]
    assert not set(inputs_sheets) & set(result["touched"])
    assert result["names"] == (["Paramètres", "Paramètres Junior", "Équipe", "Saisie", "Calcul", "Synthèse"]
                               + list(layout.statements.values()) + ["Relevé Zoé Nouvelle"])
    grids = result["grids"]
    assert _saisie_kept(grids["Saisie"], sheets["Saisie"]["values"])
    # the computed sheets: every formula of a new generation for the six reps on the two plans
    fresh, fresh_layout = build_commissions(_six_reps(inputs).assign(plan="Junior"), PLANS)
    assert _formulas_written(grids, fresh, ("Calcul", "Synthèse", "Relevé Zoé Nouvelle")) == {}
    calc = grids["Calcul"]
    assert calc[fresh_layout.calc_rows[("ZN", 1)] - 1][2] == "=IFERROR(MATCH(Équipe!$H$10,Plans,0),1)"
    assert "CHOOSE(C5,Seuil,Seuil_2)" in calc[4][ord(fresh_layout.calc_columns["gate_ok"]) - 65]
    assert grids["Relevé Zoé Nouvelle"][7][1] == f"=INDEX(Plans,Calcul!$C${fresh_layout.calc_rows[('ZN', 1)]})"


@requires_libreoffice
def test_long_and_odd_plan_names(inputs, tmp_path):
    """Plan names too long for a sheet name, alike once cut, with an apostrophe or a comma: sheet
    names of 31 characters at most, unique, quoted in the defined names; the workbook computes."""
    reps, sales, targets = inputs
    names = ["Terrain", "Commerciaux itinérants d'Île-de-France", "Commerciaux itinérants d'Île-de-Provence",
             "Grands comptes, export"]
    plans = dict(zip(names, [PLAN, JUNIOR, PLAN, JUNIOR]))
    typed = reps.assign(plan=[names[1], names[2], names[3], "", names[0].upper()])
    book, layout = build_commissions(typed, plans, sales, targets)
    sheets = list(layout.param_sheets.values())
    assert sheets == ["Paramètres", "Paramètres Commerciaux itinéran", "Paramètres Commerciaux itin (2)",
                      "Paramètres Grands comptes, expo"]
    assert all(len(s) <= 31 for s in sheets) and book.names["Seuil_2"] == "'Paramètres Commerciaux itinéran'!$B$9"
    assert layout.rep_plans == dict(zip(layout.reps, [names[1], names[2], names[3], "Terrain", "Terrain"]))
    assert [v.ref for v in book.sheet("Équipe").validations] == ["D5:E9", "F5:F9"]  # a comma in a name: no list
    path = tmp_path / "noms.xlsx"
    write_book(book, path)
    values = recalculated_workbook(path, tmp_path / "out")
    pay = compute_pay(**layout.pay_inputs())
    assert _errors(values) == []
    assert _plan_numbers(values, layout) == [2, 3, 4, 1, 1]
    assert calc_mismatches(values, layout, pay) == [] and summary_mismatches(values, layout, pay) == []
    assert values[layout.statements["CD"]]["B8"].value == "Grands comptes, export"
