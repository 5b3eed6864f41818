"""Training-plan workbook: build it, check its structure, recalculate it in LibreOffice and compare
every computed cell of Écarts, Besoins et actions, Calendrier, Budget and Entretiens with
:mod:`xlsales.core.training` on the same inputs; then change inputs in the file (levels, catalogue,
dates, parameters), recalculate, and compare again with the core on the changed inputs."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import requires_libreoffice
from native_formulas import non_native_cells

from xlsales.core import training as tr
from xlsales.core.training import TrainingParams
from xlsales.macros.training_plan import (
    CATALOGUE_TABLE,
    NEED_HEADERS,
    PARAMETERS,
    SHEETS,
    build_training_plan,
    read_inputs,
)
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.plan import col
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

D = dt.date
YEAR = 2026
START = D(2026, 1, 5)
SKILL_NAMES = ["Découverte des besoins", "Négociation", "Prospection", "Outils CRM", "Anglais technique",
               "Gestion de comptes clés"]
REQUIRED = {"Découverte des besoins": 4, "Négociation": 3, "Prospection": 3, "Outils CRM": 2, "Anglais technique": 2,
            "Gestion de comptes clés": 3}
LEVELS = {  # current levels; None = not assessed
    "Alice Martin": [4, 1, 3, 2, 0, 3],
    "Bruno Petit": [2, 3, 1, 0, 2, 1],
    "Chloé Durand": [1, 0, 2, 2, 1, 0],
    "David Roux": [4, 3, 3, 2, 2, 3],
    "Emma Blanc": [3, 1, 2, None, 0, 2],
}
OWN_REQUIRED = {("Emma Blanc", "Négociation"): 2, ("Bruno Petit", "Anglais technique"): 4}
PARAMS = TrainingParams(cpf_cap=1500.0, opco_hourly_cap=40.0, hourly_cost=38.5)

MONEY = ["hours", "cost", "cpf", "opco", "company", "time_cost", "total_cost"]


def make_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = []
    for rep, levels in LEVELS.items():
        for skill, level in zip(SKILL_NAMES, levels):
            if level is None:
                continue
            rows.append({"rep": rep, "skill": skill, "current": level,
                         "required": OWN_REQUIRED.get((rep, skill), REQUIRED[skill])})
    skills = pd.DataFrame(rows)
    catalogue = pd.DataFrame([
        ("Découverte client et questionnement SPIN", "Découverte des besoins", 14, 1290.0, "Institut Vente", "présentiel", False, True),
        ("Négociation commerciale en B2B", "Négociation", 21, 1890.0, "Académie Négo", "présentiel", False, True),
        ("Défendre ses prix et ses marges", "Négociation", 7, 690.0, "Académie Négo", "distanciel", False, False),
        ("Négociation : cadre réglementaire", "Négociation", 14, 420.0, "Organisme agréé", "présentiel", True, False),
        ("Prospection multicanale", "Prospection", 14, 980.0, "Digital Campus", "distanciel", False, True),
        ("Le CRM au quotidien", "Outils CRM", 7, 0.0, "Service interne", "AFEST", False, False),
        ("Anglais technique et commercial (40 h)", "Anglais technique", 40, 1600.0, None, "distanciel", False, True),
    ], columns=["action", "skill", "duration_hours", "cost", "provider", "mode", "mandatory", "cpf"])
    reps = pd.DataFrame({
        "rep": ["Alice Martin", "Bruno Petit", "Chloé Durand", "David Roux", "Emma Blanc", "Farid Nour"],
        "name": ["Alice Martin", "Bruno Petit", "Chloé Durand", "David Roux", "Emma Blanc", "Farid Nour"],
        "hire_date": pd.to_datetime(["2014-09-01", "2018-03-05", "2025-07-01", "2012-01-09", None, "2020-01-31"]),
        "birth_date": pd.to_datetime(["1981-08-20", "1967-05-20", None, "1990-02-28", None, "1986-11-02"]),
        "last_interview": pd.to_datetime(["2023-05-10", "2024-03-05", None, "2019-06-01", "2024-01-15", "2024-02-29"]),
    })
    return skills, catalogue, reps


# ------------------------------------------------------------------------------------------------
# expected values: the core on the same inputs
# ------------------------------------------------------------------------------------------------

def _d(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _v(value):
    """Core value → what a cell shows (None for empty / NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, (np.datetime64, pd.Timestamp)):
        return _d(value)
    if isinstance(value, (np.integer, np.floating)):
        return float(value)
    return value


def expected_cells(layout, skills, catalogue, people, params, reference, starts) -> dict:
    """{(sheet, row, column): value} for every computed cell of the output sheets."""
    exp = {}
    # Écarts
    ws = SHEETS["gaps"]
    m = tr.gap_matrix(skills, layout.reps, layout.skills)
    t = tr.gap_totals(m, params.priority_gap)
    for rep, r in layout.gap_rows.items():
        for skill, c in layout.skill_cols.items():
            exp[(ws, r, c)] = _v(m.loc[rep, skill])
        exp[(ws, r, layout.gap_total_col)] = float(t["rep_total"][rep])
        exp[(ws, r, layout.gap_priority_col)] = float(t["rep_priorities"][rep])
    for skill, c in layout.skill_cols.items():
        exp[(ws, layout.gap_total_row, c)] = float(t["skill_total"][skill])
        exp[(ws, layout.gap_priority_row, c)] = float(t["skill_priorities"][skill])
    exp[(ws, layout.gap_total_row, layout.gap_total_col)] = t["total"]
    exp[(ws, layout.gap_priority_row, layout.gap_priority_col)] = float(t["priorities"])

    # Besoins et actions
    ws = SHEETS["needs"]
    needs = tr.evaluate_needs(layout.needs, skills, catalogue, params)
    for i, rec in enumerate(needs.to_dict("records")):
        r = layout.need_first_row + i
        for key, c in layout.need_cols.items():
            if key not in ("rep", "skill"):
                exp[(ws, r, c)] = _v(rec[key])
    for key in MONEY:
        exp[(ws, layout.need_total_row, layout.need_cols[key])] = float(needs[key].sum())

    # Calendrier
    ws = SHEETS["calendar"]
    mondays = tr.iso_week_mondays(layout.year)
    w0 = layout.calendar_first_week_col
    weeks = tr.training_weeks(needs["hours"].to_numpy(), params.hours_per_week)
    grid = tr.calendar_grid(starts, needs["hours"], mondays, params.hours_per_week)
    for k, monday in enumerate(mondays):
        exp[(ws, layout.calendar_week_row, w0 + k)] = monday
        exp[(ws, layout.calendar_today_row, w0 + k)] = "▼" if monday <= reference < monday + dt.timedelta(7) else None
        exp[(ws, layout.calendar_total_row, w0 + k)] = float(grid[:, k].sum())
    for i, rec in enumerate(needs.to_dict("records")):
        r = layout.calendar_first_row + i
        exp[(ws, r, 1)] = rec["rep"]
        exp[(ws, r, 2)] = _v(rec["action"])
        exp[(ws, r, 3)] = _v(rec["priority"])
        exp[(ws, r, 4)] = rec["hours"]
        exp[(ws, r, 6)] = float(weeks[i])
        exp[(ws, r, 7)] = None if starts[i] is None else starts[i] + dt.timedelta(days=7 * int(weeks[i]))
        for k in range(len(mondays)):
            exp[(ws, r, w0 + k)] = float(grid[i, k])

    # Budget
    ws = SHEETS["budget"]
    bc = layout.budget_cols
    fields = ["count"] + MONEY + ["company_total"]
    for frame, rows, total_row in ((tr.budget_by_rep(needs, layout.reps), layout.budget_rep_rows, layout.budget_rep_total_row),
                                   (tr.budget_by_action(needs, layout.actions), layout.budget_action_rows,
                                    layout.budget_action_total_row)):
        for key, r in rows.items():
            for f in fields:
                exp[(ws, r, bc[f])] = float(frame.loc[key, f])
        for f in fields:
            exp[(ws, total_row, bc[f])] = float(frame[f].sum())
    amounts = {k: float(needs[k].sum()) for k in ("cpf", "opco", "company", "time_cost")}
    total = sum(amounts.values())
    for k, amount in amounts.items():
        exp[(ws, layout.funding_rows[k], 2)] = amount
        exp[(ws, layout.funding_rows[k], 3)] = amount / total if total else None
    exp[(ws, layout.funding_rows["total"], 2)] = total
    exp[(ws, layout.funding_rows["total"], 3)] = 1.0 if total else None

    # Entretiens
    ws = SHEETS["interviews"]
    ic = layout.interview_cols
    old = tr.interview_schedule(people.hire_date, people.last_interview, people.birth_date, reference_date=reference,
                                regime="2014", params=params)
    new = tr.interview_schedule(people.hire_date, people.last_interview, people.birth_date, reference_date=reference,
                                regime="2025", params=params)
    top_up = tr.corrective_top_up(old["inventory"], reference, params)
    for i, rep in enumerate(people.rep):
        r = layout.interview_rows[rep]
        for key, frame, name in (("old_periodic", old, "periodic"), ("old_inventory", old, "inventory"),
                                 ("old_next", old, "next_due"), ("old_status", old, "status"),
                                 ("new_periodic", new, "periodic"), ("new_inventory", new, "inventory"),
                                 ("new_mid", new, "mid_career"), ("new_end", new, "end_career"),
                                 ("new_next", new, "next_due"), ("new_status", new, "status")):
            exp[(ws, r, ic[key])] = _v(frame.loc[i, name])
        exp[(ws, r, ic["old_top_up"])] = _v(top_up[i])
    return exp


def same(actual, expected) -> bool:
    if expected is None:
        return actual in (None, "")
    if isinstance(expected, dt.date):
        return isinstance(actual, dt.datetime) and actual.date() == expected
    if isinstance(expected, str):
        return actual == expected
    return isinstance(actual, (int, float)) and not isinstance(actual, bool) and abs(actual - expected) <= 0.005


def compare(values, exp) -> list:
    return [(sheet, f"{col(c)}{r}", values[sheet].cell(r, c).value, e)
            for (sheet, r, c), e in sorted(exp.items()) if not same(values[sheet].cell(r, c).value, e)]


def people_frame(reps: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"rep": reps.rep, "hire_date": [_d(x) for x in reps.hire_date],
                         "birth_date": [_d(x) for x in reps.birth_date],
                         "last_interview": [_d(x) for x in reps.last_interview]}).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inputs():
    return make_inputs()


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    skills, catalogue, reps = inputs
    plan, layout = build_training_plan(skills, catalogue, reps, YEAR, START, params=PARAMS)
    path = tmp_path_factory.mktemp("training") / "plan_de_formation.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    return recalculated_workbook(built[2], tmp_path_factory.mktemp("recalc"))


# ------------------------------------------------------------------------------------------------
# structure
# ------------------------------------------------------------------------------------------------

def test_layout_follows_the_data(built, inputs):
    _, layout, _ = built
    skills, catalogue, _ = inputs
    assert layout.reps == list(LEVELS) and layout.skills == SKILL_NAMES
    expected_needs = tr.select_needs(skills, catalogue, PARAMS, list(LEVELS), SKILL_NAMES)
    assert layout.needs == expected_needs
    # every (rep, skill) with a gap, and only those
    gaps = tr.skill_gaps(skills)
    assert set(layout.needs) == {(r.rep, r.skill) for r in gaps.itertuples() if r.gap > 0}
    # Négociation: the mandatory action comes first, whatever its place in the catalogue
    assert tr.choose_actions(catalogue, ["Négociation"]) == {"Négociation": 4}
    assert list(layout.interview_rows) == ["Alice Martin", "Bruno Petit", "Chloé Durand", "David Roux", "Emma Blanc",
                                           "Farid Nour"]
    assert layout.start_dates == tr.default_start_dates(tr.evaluate_needs(layout.needs, skills, catalogue, PARAMS),
                                                        START, PARAMS.hours_per_week)
    assert len(layout.weeks) == 53 and layout.weeks[0] == D(2025, 12, 29)


def test_structure(built):
    plan, layout, path = built
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Compétences", "Écarts", "Catalogue", "Besoins et actions", "Calendrier", "Budget",
                             "Entretiens", "Paramètres"]
    assert {s.name: s.role for s in plan.sheets} == {
        "Compétences": "input", "Écarts": "output", "Catalogue": "input", "Besoins et actions": "output",
        "Calendrier": "output", "Budget": "output", "Entretiens": "output", "Paramètres": "input"}
    for name in (n for _, n, *_ in PARAMETERS if n):
        assert name in wb.defined_names, name
    # protection: every sheet but the catalogue table (which must be able to grow)
    for ws in wb.worksheets:
        assert ws.protection.sheet is (ws.title != "Catalogue"), ws.title
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert wb["Besoins et actions"].print_title_rows == "$4:$4"
    assert wb["Écarts"].freeze_panes == "B5" and wb["Besoins et actions"].freeze_panes == "C5"
    assert wb["Calendrier"].freeze_panes == "H6" and wb["Compétences"].freeze_panes == "B6"

    # input cells unlocked, labels and formulas locked
    comp = wb["Compétences"]
    c = layout.skill_cols["Négociation"]
    r = layout.current_rows["Alice Martin"]
    assert comp.cell(r, c).value == 1 and comp.cell(r, c).protection.locked is False
    assert comp.cell(layout.required_row, c).value == 3 and comp.cell(layout.required_row, c).protection.locked is False
    assert comp.cell(layout.override_rows["Emma Blanc"], c).value == 2
    assert comp.cell(layout.override_rows["Alice Martin"], c).value is None
    assert comp.cell(layout.override_rows["Alice Martin"], c).protection.locked is False
    assert comp.cell(r, 1).protection.locked is True
    assert comp.cell(layout.current_rows["Emma Blanc"], layout.skill_cols["Outils CRM"]).value is None
    cal = wb["Calendrier"]
    first = layout.calendar_first_row
    assert cal.cell(first, 5).protection.locked is False and cal.cell(first, 5).value.date() == layout.start_dates[0]
    assert cal.cell(first, 6).protection.locked is True
    ent = wb["Entretiens"]
    r = layout.interview_rows["Alice Martin"]
    assert [ent.cell(r, c).protection.locked for c in (2, 3, 4)] == [False, False, False]
    assert ent.cell(r, 2).value.date() == D(2014, 9, 1) and ent.cell(r, 4).value.date() == D(2023, 5, 10)
    params = wb["Paramètres"]
    by_label = {params.cell(i, 1).value: params.cell(i, 2) for i in range(1, params.max_row + 1)}
    assert by_label["Date de référence (aujourd'hui)"].value == "=TODAY()"
    assert by_label["Montant CPF mobilisable par salarié sur le plan"].value == 1500
    assert by_label["Mobiliser le CPF des salariés (oui / non)"].value == "oui"
    assert all(cell.protection.locked is False for cell in by_label.values() if cell.value not in ("Valeur", None))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and ws.title != "Paramètres":
                    assert cell.protection.locked is True, (ws.title, cell.coordinate)

    # catalogue: an Excel Table with the calculated key column used by MATCH
    cat = wb["Catalogue"]
    table = cat.tables[CATALOGUE_TABLE]
    assert table.ref == "A1:I8"
    calculated = {c.name: c.calculatedColumnFormula for c in table.tableColumns if c.calculatedColumnFormula is not None}
    assert set(calculated) == {"Clé"}
    assert cat["I2"].value == '=Catalogue[[#This Row],[Compétence]]&"|"&IF(Catalogue[[#This Row],[Obligatoire]]="oui",1,0)'
    assert [cat.cell(5, c).value for c in range(1, 9)] == [
        "Négociation : cadre réglementaire", "Négociation", 14, 420, "Organisme agréé", "présentiel", "oui", "non"]

    # validations
    def validations(ws):
        return {(dv.type, str(dv.sqref), dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}

    last_col = col(1 + len(SKILL_NAMES))
    whole = {(ref, float(f1), float(f2)) for t, ref, f1, f2 in validations(comp) if t == "whole"}
    o_first = layout.override_rows["Alice Martin"]
    assert whole == {(f"B5:{last_col}10", 0.0, 4.0), (f"B{o_first}:{last_col}{o_first + 4}", 0.0, 4.0)}
    assert ("list", "G2:H307", '"oui,non"', None) in validations(cat)
    assert ("list", "F2:F307", '"présentiel,distanciel,AFEST,mixte"', None) in validations(cat)
    assert any(t == "date" and ref.startswith("E6:") for t, ref, *_ in validations(cal))
    assert any(t == "date" and ref == "B6:D11" for t, ref, *_ in validations(ent))
    assert any(t == "list" and f1 == '"oui,non"' for t, _, f1, _ in validations(params))

    # conditional formats: heat map, Gantt, statuses
    def rules(ws):
        return [(str(rng.sqref), rule.type, rule.operator, list(rule.formula or []))
                for rng in ws.conditional_formatting for rule in rng.rules]

    assert ("B5:G9", "colorScale", None, []) in rules(wb["Écarts"])
    gantt = [r for r in rules(cal) if r[1] == "expression"]
    assert len(gantt) == 3 and gantt[1][3] == ["H6=1"] and "DateRef" in gantt[2][3][0]
    statuses = rules(ent)
    assert ("H6:H11", "cellIs", "equal", ['"en retard"']) in statuses
    assert ("O6:O11", "cellIs", "equal", ['"à planifier"']) in statuses
    assert len(wb["Budget"]._charts) == 2

    # formulas: Excel 2010 / LibreOffice 7.4 functions only
    assert non_native_cells(wb, "DATEDIF") == []


def test_every_output_formula_is_checked(built, inputs):
    """The comparison below covers every formula cell of the computed sheets."""
    plan, layout, _ = built
    skills, catalogue, reps = inputs
    exp = expected_cells(layout, skills, catalogue, people_frame(reps), PARAMS, dt.date.today(), layout.start_dates)
    for name in (SHEETS[k] for k in ("gaps", "needs", "calendar", "budget", "interviews")):
        formulas = {(name, r, c) for (r, c), spec in plan.sheet(name).cells.items() if spec.formula}
        checked = {k for k in exp if k[0] == name}
        assert formulas == checked, (name, sorted(formulas ^ checked)[:5])


# ------------------------------------------------------------------------------------------------
# values after LibreOffice recalculation
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_no_error_cells(values):
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []


@requires_libreoffice
def test_every_computed_cell_matches_the_core(values, built, inputs):
    _, layout, _ = built
    skills, catalogue, reps = inputs
    exp = expected_cells(layout, skills, catalogue, people_frame(reps), PARAMS, dt.date.today(), layout.start_dates)
    assert compare(values, exp) == []
    # a few figures worked by hand, so that the core itself is held to the rules
    needs = values["Besoins et actions"]
    row = layout.need_first_row + layout.needs.index(("Chloé Durand", "Négociation"))
    cols = layout.need_cols
    got = {k: needs.cell(row, cols[k]).value for k in NEED_HEADERS}
    assert got["gap"] == 3 and got["priority"] == "Haute" and got["catalogue_row"] == 4
    assert got["action"] == "Négociation : cadre réglementaire" and got["mandatory"] == "oui"
    # mandatory: no CPF; OPCO 50 % of 420 = 210 (under the 40 €/h × 14 h cap); time 14 h × 38.50 €
    assert (got["cpf"], got["opco"], got["company"], got["time_cost"]) == (0, 210, 210, 539)
    assert got["funding"] == "OPCO + Entreprise"
    row = layout.need_first_row + layout.needs.index(("Alice Martin", "Anglais technique"))
    got = {k: needs.cell(row, cols[k]).value for k in NEED_HEADERS}
    # CPF 1 500 €, OPCO 50 % of the 100 € left, the provider cell of the catalogue is empty
    assert (got["cpf"], got["opco"], got["company"], got["provider"]) == (1500, 50, 50, None)
    row = layout.need_first_row + layout.needs.index(("Emma Blanc", "Gestion de comptes clés"))
    assert needs.cell(row, cols["action"]).value == tr.NO_ACTION and needs.cell(row, cols["total_cost"]).value == 0
    ent = values["Entretiens"]
    r, ic = layout.interview_rows["Bruno Petit"], layout.interview_cols
    assert ent.cell(r, ic["new_end"]).value.date() == D(2027, 5, 20)       # 60 on 20/05/2027
    assert ent.cell(r, ic["old_inventory"]).value.date() == D(2030, 3, 5)  # held with the 2024 interview
    r = layout.interview_rows["Emma Blanc"]
    assert ent.cell(r, ic["new_status"]).value == "à compléter" and ent.cell(r, ic["new_next"]).value is None


@requires_libreoffice
def test_changed_inputs_change_the_outputs(built, inputs, tmp_path):
    """Levels, catalogue, dates and parameters are live: edit them in the file, recalculate, compare."""
    plan, layout, _ = built
    skills, catalogue, reps = (x.copy() for x in inputs)
    path = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)

    comp = wb["Compétences"]
    # 1. the first need is met: its gap goes to 0, the row keeps its place without action nor cost
    rep0, skill0 = layout.needs[0]
    required0 = int(skills.loc[(skills.rep == rep0) & (skills.skill == skill0), "required"].iat[0])
    comp.cell(layout.current_rows[rep0], layout.skill_cols[skill0]).value = required0
    skills.loc[(skills.rep == rep0) & (skills.skill == skill0), "current"] = required0
    # 2. a level drops where there was no need: the heat map shows the new gap
    comp.cell(layout.current_rows["David Roux"], layout.skill_cols["Découverte des besoins"]).value = 1
    skills.loc[(skills.rep == "David Roux") & (skills.skill == "Découverte des besoins"), "current"] = 1
    # 3. a requirement of one rep only, and a new job reference for a skill
    comp.cell(layout.override_rows["Chloé Durand"], layout.skill_cols["Prospection"]).value = 4
    skills.loc[(skills.rep == "Chloé Durand") & (skills.skill == "Prospection"), "required"] = 4
    comp.cell(layout.required_row, layout.skill_cols["Anglais technique"]).value = 3
    skills.loc[(skills.skill == "Anglais technique") & ~(skills.rep == "Bruno Petit"), "required"] = 3
    # 4. the catalogue: SPIN becomes mandatory (no more CPF), Prospection costs more
    cat = wb["Catalogue"]
    cat["G2"] = "oui"
    catalogue.loc[0, "mandatory"] = True
    cat["D6"] = 1200.0
    catalogue.loc[4, "cost"] = 1200.0
    # 5. interview dates
    ent = wb["Entretiens"]
    ent.cell(layout.interview_rows["Chloé Durand"], 4).value = dt.datetime(2026, 2, 2)
    ent.cell(layout.interview_rows["Chloé Durand"], 3).value = dt.datetime(1966, 9, 30)
    ent.cell(layout.interview_rows["Emma Blanc"], 2).value = dt.datetime(2017, 11, 30)
    ent.cell(layout.interview_rows["Farid Nour"], 3).value = dt.datetime(1967, 1, 10)
    reps.loc[reps.rep == "Chloé Durand", "last_interview"] = pd.Timestamp("2026-02-02")
    reps.loc[reps.rep == "Chloé Durand", "birth_date"] = pd.Timestamp("1966-09-30")
    reps.loc[reps.rep == "Emma Blanc", "hire_date"] = pd.Timestamp("2017-11-30")
    reps.loc[reps.rep == "Farid Nour", "birth_date"] = pd.Timestamp("1967-01-10")
    # 6. parameters: a fixed reference date, a company of 60 (no OPCO, corrective top-up applies), less CPF
    params_ws = wb["Paramètres"]
    by_label = {params_ws.cell(i, 1).value: params_ws.cell(i, 2) for i in range(1, params_ws.max_row + 1)}
    reference = D(2026, 3, 18)
    by_label["Date de référence (aujourd'hui)"].value = dt.datetime(2026, 3, 18)
    by_label["Effectif de l'entreprise (salariés)"].value = 60
    by_label["Montant CPF mobilisable par salarié sur le plan"].value = 700
    by_label["Heures de formation par semaine (calendrier)"].value = 3.5
    params = replace(PARAMS, headcount=60, cpf_cap=700.0, hours_per_week=3.5)
    # 7. a start date typed in the calendar, another one cleared
    starts = list(layout.start_dates)
    cal = wb["Calendrier"]
    cal.cell(layout.calendar_first_row + 2, 5).value = dt.datetime(2026, 3, 18)
    starts[2] = D(2026, 3, 18)
    cal.cell(layout.calendar_first_row + 3, 5).value = None
    starts[3] = None
    wb.save(path)

    after = recalculated_workbook(path, tmp_path / "after")
    errors = [(ws.title, c.coordinate, c.value) for ws in after.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []
    exp = expected_cells(layout, skills, catalogue, people_frame(reps), params, reference, starts)
    assert compare(after, exp) == []
    # the changes did show
    needs = after["Besoins et actions"]
    assert needs.cell(layout.need_first_row, layout.need_cols["priority"]).value == "Couvert"
    assert needs.cell(layout.need_first_row, layout.need_cols["total_cost"]).value == 0
    assert after["Écarts"].cell(layout.gap_rows["David Roux"], layout.skill_cols["Découverte des besoins"]).value == 3
    assert after["Budget"].cell(layout.funding_rows["opco"], 2).value == 0
    r = layout.interview_rows["Chloé Durand"]
    assert after["Entretiens"].cell(r, layout.interview_cols["new_periodic"]).value.date() == D(2030, 2, 2)
    # 60 on 30/09/2026, but the interview of February falls in the two years before: held
    assert after["Entretiens"].cell(r, layout.interview_cols["new_end"]).value is None
    assert after["Entretiens"].cell(r, layout.interview_cols["new_status"]).value == "à jour"
    r = layout.interview_rows["Farid Nour"]
    assert after["Entretiens"].cell(r, layout.interview_cols["new_end"]).value.date() == D(2027, 1, 10)
    r = layout.interview_rows["Emma Blanc"]  # hire date typed: no longer « à compléter »
    assert after["Entretiens"].cell(r, layout.interview_cols["old_status"]).value == "en retard"
    # 60 employees: the 12-year état des lieux of David (9 Jan 2024) is overdue → 3 000 € at risk
    r = layout.interview_rows["David Roux"]
    assert after["Entretiens"].cell(r, layout.interview_cols["old_inventory"]).value.date() == D(2024, 1, 9)
    assert after["Entretiens"].cell(r, layout.interview_cols["old_top_up"]).value == 3000
    today = [c for c in range(layout.calendar_first_week_col, layout.calendar_first_week_col + 53)
             if after["Calendrier"].cell(layout.calendar_today_row, c).value == "▼"]
    assert today == [layout.calendar_first_week_col + 11]  # week 12: 16–22 March 2026


def test_read_inputs_round_trip(built, inputs, tmp_path):
    """What was typed comes back, and rebuilding from it gives the same workbook."""
    plan, layout, path = built
    skills, catalogue, reps = inputs
    got = read_inputs(openpyxl.load_workbook(path))
    key = ["rep", "skill"]
    pd.testing.assert_frame_equal(got["skills"].sort_values(key).reset_index(drop=True),
                                  skills.sort_values(key).reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(got["catalogue"].astype(object).where(got["catalogue"].notna(), None),
                                  catalogue.astype(object).where(catalogue.notna(), None), check_dtype=False)
    assert got["reps"].to_dict("records") == people_frame(reps).to_dict("records")
    assert got["start_dates"] == dict(zip(layout.needs, layout.start_dates))
    assert got["params"] == PARAMS and got["year"] == YEAR and got["reference_date"] is None
    again, layout2 = build_training_plan(got["skills"], got["catalogue"], got["reps"], got["year"],
                                         params=got["params"], start_dates=got["start_dates"])
    assert layout2.needs == layout.needs
    for sheet in plan.sheets:
        assert again.sheet(sheet.name).cells == sheet.cells, sheet.name


@requires_libreoffice
def test_sample_company_workbook_matches_the_core(tmp_path):
    """The sample company (reader dtypes, every catalogue mode, birth and interview dates): no error
    cell, every computed cell equal to the core."""
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    reference = D(2026, 5, 4)
    plan, layout = build_training_plan(company.skills, company.training_catalogue, company.reps, 2026,
                                       reference_date=reference)
    assert layout.start_date == D(2026, 1, 5) and len(layout.needs) > 10
    assert {"mixte", "AFEST"} <= set(tr.evaluate_needs(layout.needs, company.skills, company.training_catalogue)["mode"])
    path = tmp_path / "sample.xlsx"
    render_book(plan).save(path)
    values = recalculated_workbook(path, tmp_path / "recalc")
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []
    people = people_frame(company.reps.set_index("rep").loc[list(layout.interview_rows)].reset_index())
    exp = expected_cells(layout, company.skills, company.training_catalogue, people, TrainingParams(), reference,
                         layout.start_dates)
    assert compare(values, exp) == []
    statuses = {values["Entretiens"].cell(r, layout.interview_cols["new_status"]).value
                for r in layout.interview_rows.values()}
    assert statuses <= {"à jour", "à planifier", "en retard"} and len(statuses) > 1
