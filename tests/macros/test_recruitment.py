"""Recruitment kit: build it from a small team, a grid with two eliminatory criteria and candidates
covering every case (ties broken by the heaviest criterion then by order, an elimination, an
incomplete evaluation, a score below the threshold, two interviewers averaged), write it with
XlsxWriter (and once with openpyxl), check its structure, recalculate it in LibreOffice and compare
every computed cell with an independent pandas computation (and the core); then change inputs in
the file, recalculate, and compare again; last, the template button on the JSON Excel sends."""

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

from xlsales.core import kpi
from xlsales.core import recruitment as core
from xlsales.macros.recruitment import (
    ALL,
    NO_GROUP,
    SHEETS,
    SPARE_CANDIDATES,
    SPARE_CRITERIA,
    Capacity,
    GroupNeed,
    Scale,
    build_recruitment,
    plan_for_company,
    plan_from_files,
    read_inputs,
)
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.plan import col
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported")

D = dt.date
REFERENCE = D(2026, 3, 16)
START = D(2026, 1, 5)

GRID = pd.DataFrame([
    ("Compétences techniques", 3.0, False, None),
    ("Compétences commerciales", 3.0, False, None),
    ("Communication orale", 2.0, False, None),
    ("Motivation", 2.0, False, None),
    ("Mobilité (permis B)", 1.0, True, 3.0),
    ("Expression écrite", 1.0, True, 2.0),
], columns=["criterion", "weight", "eliminatory", "min_rating"])
CRITERIA = GRID["criterion"].tolist()
WEIGHTS = GRID["weight"].to_numpy()

#: candidate → ratings in grid order (None = not rated)
RATINGS = {
    "Alice Aubert": [5, 4, 4, 5, 4, 4],        # 4.3333 → 17.33
    "Bruno Bailly": [4, 5, 4, 4, 4, 3],        # 4.1667 → 16.67, 4 on the heaviest criterion
    "Chloé Colin": [5, 4, 4, 4, 3, 4],         # 4.1667 → 16.67, 5 on the heaviest: ranked before Bruno
    "David Dumas": [5, 5, 5, 5, 2, 4],         # eliminated: mobility 2 < 3, whatever his score
    "Emma Étienne": [4, 4, None, 4, 4, 4],     # incomplete
    "Farid Fabre": [2, 3, 3, 2, 3, 2],         # 2.5833 → 10.33, below 12
    "Gaël Garnier": [4, 5, 4, 4, 4, 3],        # same as Bruno on every criterion: ranked after him
    "Hugo Henry": [4.5, 3, 4, 3, 5, 1],        # two interviewers on tech (4 and 5); eliminated on writing
}
SCALE = Scale(low=1, high=5, out_of=20, threshold=12, positions=2)
CAPACITY = Capacity(days=210, hours_per_day=7, field_share=0.55)


def make_candidates() -> pd.DataFrame:
    rows = []
    for name, ratings in RATINGS.items():
        for criterion, rating in zip(CRITERIA, ratings):
            if rating is None:
                continue
            if name == "Hugo Henry" and criterion == "Compétences techniques":
                rows += [(name, criterion, 4.0), (name, criterion, 5.0)]
            else:
                rows.append((name, criterion, float(rating)))
    return pd.DataFrame(rows, columns=["candidate", "criterion", "rating"])


def make_reps() -> pd.DataFrame:
    return pd.DataFrame({
        "rep": ["AM", "BP", "CD", "DR", "EL", "FN", "GO"],
        "name": ["Alice Martin", "Bruno Petit", "Chloé Durand", "David Roux", "Émilie Lefèvre", "Farid Nour", "Gina Ott"],
        "region": ["Nord", "Nord", "Nord", "Sud", "Sud", None, "Nord"],
        "team": ["A", "A", "A", "B", "B", "B", "A"],
        "hire_date": pd.to_datetime(["2015-02-02", "2020-09-01", "2018-05-14", "2012-01-09", "2021-04-19", "2019-11-04",
                                     "2026-05-04"]),   # Gina arrives after the reference date
        "end_date": pd.to_datetime([None, "2026-06-30", "2025-12-31", None, None, None, None]),
        "manager": ["Isabelle Marchand"] * 4 + ["Philippe Royer"] * 3,
    })


NEEDS = {"Nord": GroupNeed(departures=1, customers=60, growth=0.1, visits=12, visit_hours=3),
         "Sud": GroupNeed(departures=0, customers=40, growth=0.0, visits=10, visit_hours=2.5, target=3),
         NO_GROUP: GroupNeed(departures=0, customers=None, growth=None, visits=None, visit_hours=None)}


@pytest.fixture(scope="module")
def inputs():
    return make_candidates(), GRID.copy(), make_reps()


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    candidates, grid, reps = inputs
    plan, layout = build_recruitment(candidates, grid, reps, start_date=START, reference_date=REFERENCE, scale=SCALE,
                                     capacity=CAPACITY, needs=NEEDS)
    path = tmp_path_factory.mktemp("recruitment") / "recrutement.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    return recalculated_workbook(built[2], tmp_path_factory.mktemp("recalc"))


# ------------------------------------------------------------------------------------------------
# expected values, computed without the workbook
# ------------------------------------------------------------------------------------------------

def independent_scores(ratings: dict[str, list], criteria: list[str], weights, eliminatory, minimum,
                       scale: Scale) -> pd.DataFrame:
    """Scores, eliminations, ranks and decisions with plain pandas (not the core)."""
    frame = pd.DataFrame(ratings, index=criteria).T.astype(float)
    w = pd.Series(weights, index=criteria)
    out = pd.DataFrame(index=frame.index)
    out["rated"] = frame.notna().sum(axis=1)
    out["complete"] = frame.loc[:, w > 0].notna().all(axis=1) & (w.sum() > 0)
    out["score"] = (frame.fillna(0) * w).sum(axis=1) / w.sum()
    out.loc[~out["complete"], "score"] = np.nan
    out["score_scaled"] = out["score"] / scale.high * scale.out_of
    fails = pd.DataFrame({c: frame[c].notna() & eliminatory[c] & (frame[c] < minimum[c]) for c in criteria})
    out["failed"] = fails.sum(axis=1)
    out["reasons"] = fails.apply(lambda row: "; ".join(c for c in criteria if row[c]), axis=1)
    out["eliminated"] = out["failed"] > 0
    out["top"] = frame[w.idxmax()]
    ranked = out[out["complete"] & ~out["eliminated"]].copy()
    ranked["key"] = ranked["score_scaled"].round(6)
    ranked["order"] = range(len(ranked))
    ranked = ranked.sort_values(["key", "top", "order"], ascending=[False, False, True])
    out["key"] = ranked["key"]
    out["rank"] = pd.Series(range(1, len(ranked) + 1), index=ranked.index, dtype=float)
    decision = []
    for name, rec in out.iterrows():
        if rec.eliminated:
            decision.append("Éliminé")
        elif not rec.complete:
            decision.append("À compléter")
        elif rec.score_scaled < scale.threshold:
            decision.append("Non retenu")
        elif rec["rank"] <= scale.positions:
            decision.append("Retenu")
        else:
            decision.append("Liste d'attente")
    out["decision"] = decision
    return out



def _v(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (np.integer, np.floating)):
        return float(value)
    if isinstance(value, str):
        return value or None
    return value


def expected_cells(layout, *, ratings, grid: pd.DataFrame, scale: Scale, capacity: Capacity, needs, reps: pd.DataFrame,
                   reference: dt.date, steps, onboarding, skills, title: str) -> dict:
    exp = {}
    # --- Besoins
    ws = SHEETS["needs"]
    hours = capacity.days * capacity.hours_per_day * capacity.field_share
    exp[(ws, 8, 2)] = hours
    nc = layout.needs_cols
    totals = {k: 0.0 for k in ("current", "departures", "after", "customers", "workload", "fte", "target", "to_recruit")}
    for group, r in layout.group_rows.items():
        need = needs[group]
        region = reps["region"].fillna("")
        here = (region == ("" if group == NO_GROUP else group)) if group != ALL else region.notna()
        present = here & (reps["hire_date"] <= pd.Timestamp(reference)) & (
            reps["end_date"].isna() | (reps["end_date"] > pd.Timestamp(reference)))
        current = float(present.sum())
        departures = float(need.departures or 0)
        workload = (need.customers or 0) * (1 + (need.growth or 0)) * (need.visits or 0) * (need.visit_hours or 0)
        fte = workload / hours
        target = float(need.target) if need.target is not None else float(np.ceil(round(fte, 6)))
        after = current - departures
        row = {"current": current, "after": after, "workload": workload, "fte": fte, "target": target,
               "to_recruit": max(0.0, target - after)}
        for k, v in row.items():
            exp[(ws, r, nc[k])] = v
        for k in totals:
            totals[k] += row.get(k, {"departures": departures, "customers": need.customers or 0}.get(k, 0.0))
    for k, v in totals.items():
        exp[(ws, layout.needs_total_row, nc[k])] = v
    for i, r in enumerate(layout.skill_rows):
        item = skills[i] if i < len(skills) else None
        if item is None or item.required is None or item.team_level is None:
            exp[(ws, r, 5)] = exp[(ws, r, 6)] = None
            continue
        gap = max(0.0, item.required - item.team_level)
        exp[(ws, r, 5)] = gap
        exp[(ws, r, 6)] = "Prioritaire" if gap >= 1 else ("À renforcer" if gap > 0 else "Couverte")

    # --- Étapes
    ws = SHEETS["steps"]
    sc = layout.step_cols
    starts = [s.start for s in steps]
    ends = [None if s.start is None or s.days is None else s.start + dt.timedelta(days=int(s.days) - 1) for s in steps]
    first_monday = min(d for d in starts if d) - dt.timedelta(days=min(d for d in starts if d).weekday())
    for k in range(layout.weeks):
        exp[(ws, layout.week_row, layout.first_week_col + k)] = first_monday + dt.timedelta(days=7 * k)
    grid_weeks = core.gantt_weeks(starts, ends, first_monday, layout.weeks)
    for i, r in enumerate(layout.step_rows):
        s, e = starts[i], ends[i]
        exp[(ws, r, sc["end"])] = e
        if e is None:
            follow = "à planifier"
        elif (steps[i].status or "") == "fait":
            follow = "terminée"
        elif e < reference:
            follow = "en retard"
        elif s <= reference:
            follow = "en cours"
        else:
            follow = "à venir"
        exp[(ws, r, sc["follow"])] = follow
        for k in range(layout.weeks):
            monday = first_monday + dt.timedelta(days=7 * k)
            inside = e is not None and s <= monday + dt.timedelta(days=6) and e >= monday
            assert grid_weeks[i, k] == int(inside)
            exp[(ws, r, layout.first_week_col + k)] = float(inside)
    exp[(ws, layout.steps_total_row, sc["days"])] = float((max(e for e in ends if e) - min(d for d in starts if d)).days + 1)

    # --- Grille
    ws = SHEETS["grid"]
    weights = [grid["weight"].iat[i] if i < len(grid) else None for i in range(len(layout.grid_rows))]
    total_w = sum(w or 0 for w in weights)
    for r, w in zip(layout.grid_rows, weights):
        exp[(ws, r, 5)] = None if not w or not total_w else w / total_w
    last = layout.grid_rows[-1] + 1
    exp[(ws, last, 2)] = total_w
    exp[(ws, last, 5)] = 1.0 if total_w else 0.0

    # --- Candidats: the grid above each criterion
    ws = SHEETS["candidates"]
    for j, c in enumerate(layout.rating_cols):
        rec = grid.iloc[j] if j < len(grid) else None
        name = None if rec is None else rec["criterion"]
        elim = rec is not None and bool(rec["eliminatory"])
        exp[(ws, 4, c)] = name
        exp[(ws, 8, c)] = name
        exp[(ws, 5, c)] = 0.0 if rec is None else float(rec["weight"] or 0)
        exp[(ws, 6, c)] = "oui" if elim else "non"
        exp[(ws, 7, c)] = (float(rec["min_rating"]) if rec["min_rating"] is not None and not pd.isna(rec["min_rating"])
                           else 0.0) if elim else None

    # --- Comparaison
    ws = SHEETS["comparison"]
    names = list(ratings)
    crit = grid["criterion"].tolist()
    table = independent_scores(ratings, crit, grid["weight"].astype(float).tolist(),
                               dict(zip(crit, grid["eliminatory"].astype(bool))),
                               dict(zip(crit, grid["min_rating"].astype(float).fillna(0))), scale)
    # the core agrees
    matrix = np.array([[np.nan if v is None else v for v in ratings[n]] for n in names], dtype=float)
    from_core = core.compare_candidates(matrix, grid["weight"].astype(float), grid["eliminatory"].astype(bool),
                                        grid["min_rating"].astype(float), crit, max_rating=scale.high, scale=scale.out_of,
                                        threshold=scale.threshold, positions=scale.positions)
    assert from_core["decision"].tolist() == table["decision"].tolist()
    np.testing.assert_allclose(from_core["rank"].to_numpy(dtype=float), table["rank"].to_numpy(dtype=float))
    np.testing.assert_allclose(from_core["score_scaled"].to_numpy(dtype=float), table["score_scaled"].to_numpy(dtype=float))
    for name in names:
        if table.loc[name, "complete"]:
            assert table.loc[name, "score"] == pytest.approx(kpi.score(np.nan_to_num(matrix[names.index(name)]), grid["weight"]))
    cc = layout.comparison_cols
    m0 = max(cc.values()) + 1
    exp[(ws, 1, 1)] = "Comparaison des candidats — " + title
    exp[(ws, 5, cc["score_scaled"])] = f"Score /{scale.out_of:g}"
    for j in range(len(layout.rating_cols)):
        exp[(ws, 5, m0 + j)] = crit[j] if j < len(crit) else None
    for i, r in enumerate(layout.comparison_rows):
        if i >= len(names):
            for c in list(cc.values()) + [m0 + j for j in range(len(layout.rating_cols))]:
                exp[(ws, r, c)] = None
            continue
        rec = table.loc[names[i]]
        ranked = not pd.isna(rec["rank"])
        exp[(ws, r, cc["candidate"])] = names[i]
        exp[(ws, r, cc["rated"])] = float(rec["rated"])
        exp[(ws, r, cc["complete"])] = "oui" if rec["complete"] else "non"
        exp[(ws, r, cc["score"])] = _v(rec["score"])
        exp[(ws, r, cc["score_scaled"])] = _v(rec["score_scaled"])
        exp[(ws, r, cc["failed"])] = float(rec["failed"])
        exp[(ws, r, cc["reasons"])] = rec["reasons"] or None
        exp[(ws, r, cc["eliminated"])] = "oui" if rec["eliminated"] else "non"
        exp[(ws, r, cc["top_rating"])] = float(rec["top"]) if ranked else None
        exp[(ws, r, cc["key"])] = float(rec["key"]) if ranked else None
        exp[(ws, r, cc["rank"])] = float(rec["rank"]) if ranked else None
        exp[(ws, r, cc["decision"])] = rec["decision"]
        for j in range(len(layout.rating_cols)):
            v = ratings[names[i]][j] if j < len(crit) else None
            exp[(ws, r, m0 + j)] = None if v is None else float(v)
    sr = layout.summary_rows
    first = table[table["rank"] == 1].index
    exp[(ws, sr["positions"], 2)] = float(scale.positions)
    exp[(ws, sr["candidates"], 2)] = float(len(names))
    exp[(ws, sr["complete"], 2)] = float(table["complete"].sum())
    exp[(ws, sr["eliminated"], 2)] = float(table["eliminated"].sum())
    exp[(ws, sr["retained"], 2)] = float((table["decision"] == "Retenu").sum())
    exp[(ws, sr["waiting"], 2)] = float((table["decision"] == "Liste d'attente").sum())
    exp[(ws, sr["best"], 2)] = _v(table["key"].max())
    exp[(ws, sr["first"], 2)] = first[0] if len(first) else None

    # --- Intégration
    ws = SHEETS["onboarding"]
    oc = layout.onboarding_cells
    top = first[0] if len(first) and table.loc[first[0], "decision"] == "Retenu" else None
    who = onboarding.newcomer or top or "(à désigner)"
    exp[(ws, int(oc["first"][1:]), 2)] = top
    exp[(ws, int(oc["who"][1:]), 2)] = who
    exp[(ws, int(oc["job"][1:]), 2)] = title
    hire = onboarding.hire_date
    trial = core.trial_end(hire, onboarding.trial_months) if onboarding.trial_months else None
    exp[(ws, int(oc["trial_end"][1:]), 2)] = trial
    exp[(ws, int(oc["renewal_end"][1:]), 2)] = (core.trial_end(hire, onboarding.trial_months + onboarding.renewal_months)
                                                if trial and onboarding.renewal_months else None)
    ac = layout.action_cols
    actions = list(onboarding.actions) + [None] * (len(layout.action_rows) - len(onboarding.actions))
    for r, a in zip(layout.action_rows, actions):
        if a is None:
            exp[(ws, r, ac["person"])] = exp[(ws, r, ac["date"])] = exp[(ws, r, ac["follow"])] = None
            continue
        person = {"Tuteur": onboarding.tutor, "Manager": onboarding.manager, "Collaborateur": who}.get(a.owner)
        exp[(ws, r, ac["person"])] = person
        if hire is None or a.offset is None:
            date = None
        elif a.unit == "mois":
            date = core.edate(hire, int(a.offset))
        elif a.unit == "fin d'essai":
            date = None if trial is None else trial + dt.timedelta(days=int(a.offset))
        else:
            date = hire + dt.timedelta(days=int(a.offset))
        exp[(ws, r, ac["date"])] = date
        if date is None:
            follow = None
        elif a.status == "fait":
            follow = "fait"
        elif date < reference:
            follow = "en retard"
        elif date <= reference + dt.timedelta(days=7):
            follow = "cette semaine"
        else:
            follow = "à venir"
        exp[(ws, r, ac["follow"])] = follow
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
            for (sheet, r, c), e in sorted(exp.items(), key=str) if not same(values[sheet].cell(r, c).value, e)]


def errors_of(values) -> list:
    return [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]


def default_expected(layout):
    return expected_cells(layout, ratings=RATINGS, grid=GRID, scale=SCALE, capacity=CAPACITY, needs=layout.needs,
                          reps=make_reps(), reference=REFERENCE, steps=layout.steps, onboarding=layout.onboarding,
                          skills=layout.skills, title=layout_title(layout))


def layout_title(layout) -> str:
    return "Technico-commercial(e) itinérant(e) H/F — équipements et fournitures industriels"


# ------------------------------------------------------------------------------------------------
# structure
# ------------------------------------------------------------------------------------------------

def test_layout_follows_the_data(built):
    _, layout, _ = built
    assert layout.criteria == CRITERIA
    assert layout.candidates == list(RATINGS)
    assert layout.ratings[list(RATINGS).index("Hugo Henry"), 0] == 4.5  # two interviewers averaged
    assert np.isnan(layout.ratings[list(RATINGS).index("Emma Étienne"), 2])
    assert layout.group_by == "region" and layout.groups == ["Nord", "Sud", NO_GROUP]
    assert len(layout.grid_rows) == len(CRITERIA) + SPARE_CRITERIA
    assert len(layout.candidate_rows) == len(RATINGS) + SPARE_CANDIDATES
    assert [s.start for s in layout.steps][:2] == [START, D(2026, 1, 12)]
    # arrival: a Monday after the contract step and the candidate's notice
    assert layout.steps[-1].start.weekday() == 0 and layout.onboarding.hire_date == layout.steps[-1].start
    assert layout.onboarding.manager == "Isabelle Marchand" and layout.onboarding.tutor == "David Roux"


def test_structure(built):
    plan, _, path = built
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Besoins", "Profil de poste", "Étapes", "Grille", "Candidats", "Comparaison", "Intégration",
                             "Équipe"]
    assert {s.name: s.role for s in plan.sheets} == {
        "Besoins": "output", "Profil de poste": "input", "Étapes": "input", "Grille": "input", "Candidats": "input",
        "Comparaison": "output", "Intégration": "output", "Équipe": "input"}
    assert set(wb.defined_names) >= {"DateRef", "NoteMin", "NoteMax", "Bareme", "SeuilRetenu", "Postes"}
    assert wb.defined_names["Postes"].attr_text == "Grille!$I$9"
    # no output sheet is referred to by an input sheet or a defined name (the button deletes them)
    outputs = [s.name for s in plan.sheets if s.role == "output"]
    for sheet in plan.sheets:
        if sheet.role == "input":
            for spec in sheet.cells.values():
                assert not any(o in (spec.formula or "") for o in outputs), (sheet.name, spec.formula)
    for target in plan.names.values():
        assert not any(o in target for o in outputs)
    for ws in wb.worksheets:
        assert ws.protection.sheet is (ws.title != "Équipe"), ws.title
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert wb["Comparaison"].freeze_panes == "B6" and wb["Candidats"].freeze_panes == "B9"
    assert wb["Étapes"].freeze_panes == "C6" and wb["Grille"].freeze_panes == "B5"
    assert wb["Comparaison"].print_title_rows == "$5:$5"

    # inputs unlocked (yellow), formulas locked
    cand = wb["Candidats"]
    assert cand["A9"].value == "Alice Aubert" and cand["A9"].protection.locked is False
    assert cand["B9"].value == 5 and cand["B9"].protection.locked is False
    assert cand["D13"].value is None and cand["D13"].protection.locked is False  # Emma: not rated
    assert cand["B5"].value == "=N(Grille!$B$5)" and cand["B5"].protection.locked is True
    grid = wb["Grille"]
    assert [grid.cell(5, c).value for c in range(1, 5)] == ["Compétences techniques", 3, "non", None]
    assert [grid.cell(9, c).value for c in range(1, 5)] == ["Mobilité (permis B)", 1, "oui", 3]
    assert grid["A11"].value is None and grid["A11"].protection.locked is False  # free row for a new criterion
    assert [grid.cell(r, 9).value for r in range(5, 10)] == [1, 5, 20, 12, 2]
    steps = wb["Étapes"]
    assert steps["D3"].value.date() == REFERENCE and steps["D3"].protection.locked is False
    assert steps["E6"].value.date() == START and steps["E6"].protection.locked is False
    assert steps["G6"].protection.locked is True
    needs = wb["Besoins"]
    assert needs["C12"].value == 1 and needs["C12"].protection.locked is False
    assert needs["B12"].value.startswith("=SUMPRODUCT((Equipe[Commercial]<>\"\")*(Equipe[Région]=$A12)")
    profile = wb["Profil de poste"]
    rubrics = [profile.cell(r, 1).value for r in range(5, profile.max_row + 1)]
    for rubric in ("Intitulé du poste", "Rattachement hiérarchique", "Finalité du poste", "Missions et activités",
                   "Secteur et cible", "Objectifs", "Compétences : savoirs", "Compétences : savoir-faire",
                   "Compétences : savoir-être", "Formation", "Expérience", "Conditions : rémunération"):
        assert rubric in rubrics
    assert profile["B5"].protection.locked is False
    assert "Isabelle Marchand" in profile["B6"].value
    team = wb["Équipe"]
    assert team.tables["Equipe"].ref == "A1:G8"
    assert [team.cell(1, c).value for c in range(1, 8)] == ["Commercial", "Nom", "Région", "Équipe", "Date entrée",
                                                            "Date de sortie", "Manager"]
    onboarding = wb["Intégration"]
    labels = {onboarding.cell(r, 1).value: onboarding.cell(r, 2) for r in range(4, 15)}
    assert labels["Période d'essai (mois)"].value == 3 and labels["Période d'essai (mois)"].protection.locked is False
    assert labels["Fin de la période d'essai"].protection.locked is True
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and ws.title != "Équipe":
                    assert cell.protection.locked is True or cell.coordinate == "D3", (ws.title, cell.coordinate)

    # validations
    def validations(ws):
        return {(dv.type, str(dv.sqref), dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}

    last_rating = col(1 + len(CRITERIA) + SPARE_CRITERIA)
    last_row = 8 + len(RATINGS) + SPARE_CANDIDATES
    assert {(ref, float(f1), float(f2)) for t, ref, f1, f2 in validations(cand) if t == "decimal"} == {
        (f"B9:{last_rating}{last_row}", 1.0, 5.0)}
    assert ("list", "C5:C12", '"oui,non"', None) in validations(grid)
    assert ("list", "H6:H13", '"à faire,en cours,fait"', None) in validations(steps)
    assert any(t == "list" and "fin d'essai" in f1 for t, _, f1, _ in validations(onboarding))
    assert any(t == "whole" and ref == "C12:C14" for t, ref, *_ in validations(needs))

    # conditional formats: Gantt, decisions, follow-ups
    def rules(ws):
        return [(str(rng.sqref), rule.type, rule.operator, list(rule.formula or []))
                for rng in ws.conditional_formatting for rule in rng.rules]

    comparison = rules(wb["Comparaison"])
    assert ("L6:L18", "cellIs", "equal", ['"Retenu"']) in comparison
    assert ("L6:L18", "cellIs", "equal", ['"Éliminé"']) in comparison
    gantt = [r for r in rules(steps) if r[1] == "expression"]
    assert len(gantt) == 4 and gantt[2][3] == ["J6=1"] and "DateRef" in gantt[3][3][0]
    assert any(r[3] == ['"en retard"'] for r in rules(onboarding))
    assert len(wb["Comparaison"]._charts) == 1 and len(wb["Besoins"]._charts) == 1

    # formulas: Excel 2010 / LibreOffice 7.4 functions only
    assert non_native_cells(wb, "DATEDIF") == []


def test_every_formula_is_checked(built):
    """The comparison below covers every formula cell of the workbook."""
    plan, layout, _ = built
    exp = default_expected(layout)
    for sheet in plan.sheets:
        formulas = {(sheet.name, r, c) for (r, c), spec in sheet.cells.items() if spec.formula}
        if sheet.name == SHEETS["steps"]:
            formulas.discard((sheet.name, 3, 4))  # the reference date is typed here
        checked = {k for k in exp if k[0] == sheet.name}
        assert formulas == checked, (sheet.name, sorted(formulas ^ checked)[:5])


def test_the_candidates_cover_every_rule():
    table = independent_scores(RATINGS, CRITERIA, WEIGHTS, dict(zip(CRITERIA, GRID["eliminatory"])),
                               dict(zip(CRITERIA, GRID["min_rating"].fillna(0))), SCALE)
    assert table["decision"].to_dict() == {
        "Alice Aubert": "Retenu", "Chloé Colin": "Retenu", "Bruno Bailly": "Liste d'attente",
        "Gaël Garnier": "Liste d'attente", "David Dumas": "Éliminé", "Emma Étienne": "À compléter",
        "Farid Fabre": "Non retenu", "Hugo Henry": "Éliminé"}
    # worked by hand: Alice (5·3 + 4·3 + 4·2 + 5·2 + 4 + 4) / 12 = 53 / 12, × 20 / 5 = 17.67
    assert table.loc["Alice Aubert", "score_scaled"] == pytest.approx(53 / 12 * 4)
    # Chloé and Bruno tie at 50/12; Chloé has 5 on the heaviest criterion; Gaël = Bruno, entered after him
    ranks = table["rank"].dropna().to_dict()
    assert ranks == {"Alice Aubert": 1, "Chloé Colin": 2, "Bruno Bailly": 3, "Gaël Garnier": 4, "Farid Fabre": 5}
    assert table.loc["Hugo Henry", "reasons"] == "Expression écrite"


# ------------------------------------------------------------------------------------------------
# values after LibreOffice recalculation
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_no_error_cells(values):
    assert errors_of(values) == []


@requires_libreoffice
def test_every_computed_cell_matches(values, built):
    _, layout, _ = built
    assert compare(values, default_expected(layout)) == []
    # a few figures by hand
    comparison = values["Comparaison"]
    cc = layout.comparison_cols
    row = layout.comparison_rows[list(RATINGS).index("David Dumas")]
    assert comparison.cell(row, cc["score_scaled"]).value == pytest.approx(56 / 12 * 4)  # the best score, yet eliminated
    assert comparison.cell(row, cc["reasons"]).value == "Mobilité (permis B)"
    assert comparison.cell(row, cc["decision"]).value == "Éliminé"
    needs = values["Besoins"]
    nc = layout.needs_cols
    r = layout.group_rows["Nord"]
    # Nord: Alice, Bruno present (Chloé left on 31/12/2025, Gina arrives in May); 60 × 1.1 × 12 × 3 = 2 376 h
    assert needs.cell(r, nc["current"]).value == 2 and needs.cell(r, nc["workload"]).value == pytest.approx(2376)
    assert needs.cell(8, 2).value == pytest.approx(808.5)  # 210 × 7 × 0.55
    assert needs.cell(r, nc["target"]).value == 3 and needs.cell(r, nc["to_recruit"]).value == 2
    onboarding = values["Intégration"]
    assert onboarding["B4"].value == "Alice Aubert" and onboarding["B6"].value == "Alice Aubert"


@requires_libreoffice
def test_changed_inputs_change_the_outputs(built, tmp_path):
    """Ratings, grid, scale, team, needs, dates: edit them in the file, recalculate, compare."""
    plan, layout, _ = built
    path = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    ratings = {k: list(v) for k, v in RATINGS.items()}
    grid = GRID.copy()
    names = list(RATINGS)
    cand = wb["Candidats"]
    # 1. David's mobility re-assessed at 4: no longer eliminated, and now first
    cand.cell(layout.candidate_rows[names.index("David Dumas")], layout.rating_cols[4]).value = 4
    ratings["David Dumas"][4] = 4
    # 2. Emma's missing rating typed: complete
    cand.cell(layout.candidate_rows[names.index("Emma Étienne")], layout.rating_cols[2]).value = 5
    ratings["Emma Étienne"][2] = 5
    # 3. a new candidate typed in a free row, rated on every criterion
    cand.cell(layout.candidate_rows[len(names)], 1).value = "Inès Imbert"
    for j, v in enumerate([3, 4, 3, 3, 3, 2]):
        cand.cell(layout.candidate_rows[len(names)], layout.rating_cols[j]).value = v
    ratings["Inès Imbert"] = [3, 4, 3, 3, 3, 2]
    # 4. the grid: motivation weighs 4, writing no longer eliminatory, a 7th criterion in a free row (weight 0 → ignored)
    gws = wb["Grille"]
    gws.cell(layout.grid_rows[3], 2).value = 4
    grid.loc[3, "weight"] = 4.0
    gws.cell(layout.grid_rows[5], 3).value = "non"
    grid.loc[5, "eliminatory"] = False
    gws.cell(layout.grid_rows[6], 1).value = "Anglais"
    gws.cell(layout.grid_rows[6], 2).value = 0
    grid.loc[6] = ["Anglais", 0.0, False, None]
    for name, values_of in ratings.items():
        ratings[name] = values_of + [None]
    # 5. scale: threshold 15, three positions
    gws["I8"].value = 15
    gws["I9"].value = 3
    scale = replace(SCALE, threshold=15, positions=3)
    # 6. Étapes: a fixed later reference date, first step done, the sourcing lasts 28 days
    steps_ws = wb["Étapes"]
    reference = D(2026, 4, 20)
    steps_ws["D3"].value = dt.datetime(2026, 4, 20)
    steps_ws.cell(layout.step_rows[0], layout.step_cols["status"]).value = "fait"
    steps_ws.cell(layout.step_rows[2], layout.step_cols["days"]).value = 28
    steps = [replace(s) for s in layout.steps]
    steps[0].status = "fait"
    steps[2].days = 28
    # 7. Besoins: 2 departures in Sud, no typed target there, visits 8 a year
    needs_ws = wb["Besoins"]
    nc = layout.needs_cols
    r = layout.group_rows["Sud"]
    needs_ws.cell(r, nc["departures"]).value = 2
    needs_ws.cell(r, nc["typed_target"]).value = None
    needs_ws.cell(r, nc["visits"]).value = 8
    needs = dict(layout.needs)
    needs["Sud"] = replace(needs["Sud"], departures=2, target=None, visits=8)
    needs_ws["B7"].value = 0.5
    needs_ws.cell(layout.skill_rows[0], 4).value = 2.5
    skills = [replace(x) for x in layout.skills]
    skills[0].team_level = 2.5
    capacity = replace(CAPACITY, field_share=0.5)
    # 8. the team: Gina's arrival moved before the reference date, a rep without region gets one
    team_ws = wb["Équipe"]
    team_ws["E8"].value = dt.datetime(2026, 3, 2)
    team_ws["C7"].value = "Sud"
    reps = make_reps()
    reps.loc[6, "hire_date"] = pd.Timestamp("2026-03-02")
    reps.loc[5, "region"] = "Sud"
    # 9. Intégration: another newcomer, an arrival on a 31st, a renewal, an action done
    onb_ws = wb["Intégration"]
    oc = layout.onboarding_cells
    onb_ws[oc["newcomer"]].value = "Chloé Colin"
    onb_ws[oc["hire_date"]].value = dt.datetime(2026, 3, 31)
    onb_ws[oc["renewal_months"]].value = 2
    onb_ws.cell(layout.action_rows[0], layout.action_cols["status"]).value = "fait"
    onboarding = replace(layout.onboarding, newcomer="Chloé Colin", hire_date=D(2026, 3, 31), renewal_months=2,
                         actions=[replace(a) for a in layout.onboarding.actions])
    onboarding.actions[0].status = "fait"
    # 10. the job title
    wb["Profil de poste"]["B5"].value = "Technico-commercial sédentaire"
    wb.save(path)

    after = recalculated_workbook(path, tmp_path / "after")
    assert errors_of(after) == []
    exp = expected_cells(layout, ratings=ratings, grid=grid, scale=scale, capacity=capacity, needs=needs, reps=reps,
                         reference=reference, steps=steps, onboarding=onboarding, skills=skills,
                         title="Technico-commercial sédentaire")
    assert compare(after, exp) == []
    # the changes did show
    comparison = after["Comparaison"]
    cc = layout.comparison_cols
    first_row = layout.comparison_rows[0]
    by_name = {comparison.cell(r, 1).value: r for r in layout.comparison_rows}
    assert comparison.cell(by_name["David Dumas"], cc["rank"]).value == 1
    assert comparison.cell(by_name["Hugo Henry"], cc["eliminated"]).value == "non"
    assert comparison.cell(by_name["Inès Imbert"], cc["decision"]).value == "Non retenu"
    assert comparison.cell(first_row, cc["decision"]).value == "Retenu"
    assert after["Comparaison"].cell(layout.summary_rows["positions"], 2).value == 3
    assert after["Besoins"].cell(layout.group_rows["Sud"], nc["current"]).value == 3
    assert after["Besoins"].cell(layout.group_rows[NO_GROUP], nc["current"]).value == 0
    assert after["Besoins"].cell(layout.group_rows["Nord"], nc["current"]).value == 3
    assert after["Intégration"]["B6"].value == "Chloé Colin"
    # hired on 31 March: 3 months end on 30 June (no 31 June), with 2 more months on 30 August
    assert after["Intégration"][oc["trial_end"]].value.date() == D(2026, 6, 30)
    assert after["Intégration"][oc["renewal_end"]].value.date() == D(2026, 8, 30)
    assert after["Étapes"].cell(layout.step_rows[0], layout.step_cols["follow"]).value == "terminée"
    assert after["Besoins"].cell(layout.skill_rows[0], 6).value == "À renforcer"  # required 3, team 2.5


def test_read_inputs_round_trip(built, inputs):
    """What was typed comes back, and rebuilding from it gives the same workbook."""
    plan, layout, path = built
    got = read_inputs(openpyxl.load_workbook(path))
    assert got["reference_date"] == REFERENCE
    assert got["scale"] == SCALE and got["capacity"] == CAPACITY
    assert got["needs"] == layout.needs and got["steps"] == layout.steps and got["onboarding"] == layout.onboarding
    assert got["grid"]["criterion"].tolist() == CRITERIA
    candidates = got["candidates"].sort_values(["candidate", "criterion"]).reset_index(drop=True)
    averaged = inputs[0].groupby(["candidate", "criterion"], as_index=False)["rating"].mean()
    pd.testing.assert_frame_equal(candidates, averaged.sort_values(["candidate", "criterion"]).reset_index(drop=True),
                                  check_dtype=False)
    assert got["reps"]["rep"].tolist() == make_reps()["rep"].tolist()
    again, layout2 = build_recruitment(**got)
    assert layout2.candidates == layout.candidates
    for sheet in plan.sheets:
        assert again.sheet(sheet.name).cells == sheet.cells, sheet.name


def test_entry_points_and_defaults(inputs):
    candidates, grid, reps = inputs
    # files of the CLI: without a grid, the criteria of the candidates weigh 1 each
    plan = plan_from_files(candidates)
    assert [c.value for c in (plan.sheet("Grille").cells[(r, 2)] for r in range(5, 5 + len(CRITERIA)))] == [1.0] * 6
    # without team: one row for the whole team
    _, layout = build_recruitment(candidates, grid)
    assert layout.groups == [ALL]
    # nothing at all: the reference grid and an empty candidates sheet
    _, layout = build_recruitment()
    assert layout.criteria[0] == "Compétences techniques" and layout.candidates == []
    # the scale follows the ratings (0–20 here) unless it is given
    twenty = candidates.assign(rating=candidates["rating"] * 4)
    assert build_recruitment(twenty, grid)[1].scale.high == 20
    with pytest.raises(ValueError, match="absents de la grille"):
        build_recruitment(candidates, grid.iloc[:3])
    with pytest.raises(ValueError, match="en double"):
        build_recruitment(candidates, pd.concat([grid, grid.iloc[:1]]))
    # positions to fill default to the recruitments « Besoins » computes
    _, layout = build_recruitment(candidates, grid, reps, reference_date=REFERENCE, needs=NEEDS, capacity=CAPACITY)
    staffing = core.staffing_needs([60, 40, None], [0.1, 0, None], [12, 10, None], [3, 2.5, None], 808.5, [2, 2, 1],
                                   [1, 0, 0], [None, 3, None])
    assert layout.scale.positions == int(staffing["to_recruit"].sum()) == 3


@requires_libreoffice
def test_sample_company(tmp_path):
    """The sample company (reader dtypes): no error cell; candidates ranked as by hand."""
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    plan = plan_for_company(company)
    path = tmp_path / "sample.xlsx"
    write_book(plan, path)
    values = recalculated_workbook(path, tmp_path / "recalc")
    assert errors_of(values) == []
    ws = values["Comparaison"]
    got = {ws.cell(r, 1).value: (ws.cell(r, 5).value, ws.cell(r, 11).value) for r in range(6, 11)}
    grid = company.interview_grid
    wide = company.candidates.pivot(index="candidate", columns="criterion", values="rating")[grid["criterion"]]
    scores = (wide * grid["weight"].to_numpy()).sum(axis=1) / grid["weight"].sum() * 4
    for name, score in scores.items():
        assert got[name][0] == pytest.approx(score)
    assert [n for n, _ in sorted(got.items(), key=lambda kv: kv[1][1])] == scores.sort_values(ascending=False).index.tolist()
    needs = values["Besoins"]
    assert [needs.cell(r, 2).value for r in range(12, 16)] == [2, 2, 2, 2]


# ------------------------------------------------------------------------------------------------
# the template button, on the JSON that Excel (Office.js) sends
# ------------------------------------------------------------------------------------------------



def _cell_of(payload, sheet, row, column, value):
    values = next(s for s in payload["sheets"] if s["name"] == sheet)["values"]
    while len(values) < row:
        values.append([""] * len(values[0]))
    line = values[row - 1]
    line += [""] * (column - len(line))
    line[column - 1] = value


def test_refresh_keeps_every_input_and_adds_free_rows(built, tmp_path):
    _, layout, path = built
    payload = officejs_payload(path)
    # a new criterion in the grid's first free row, a new candidate in the first free row, rated on it
    g = layout.grid_rows[len(CRITERIA)]
    _cell_of(payload, "Grille", g, 1, "Anglais technique")
    _cell_of(payload, "Grille", g, 2, 1)
    _cell_of(payload, "Grille", g, 3, "non")
    new = layout.candidate_rows[len(RATINGS)]
    _cell_of(payload, "Candidats", new, 1, "Inès Imbert")
    for j, v in enumerate([3, 4, 3, 3, 3, 2, 5]):
        _cell_of(payload, "Candidats", new, layout.rating_cols[j], v)
    _cell_of(payload, "Candidats", layout.candidate_rows[0], 2, 3)  # Alice's technical rating lowered
    # typed on the computed sheets
    _cell_of(payload, "Besoins", layout.group_rows["Sud"], layout.needs_cols["departures"], 4)
    _cell_of(payload, "Intégration", int(layout.onboarding_cells["tutor"][1:]), 2, "Tutrice Test")
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros.recruitment import refresh
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
untouched = ("Profil de poste", "Étapes", "Équipe")
before = {{s.name: s.used_range.value for s in book.sheets if s.name in untouched}}
skipped = refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
def grid(name):
    return [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name][0]
after = {{s.name: s.used_range.value for s in book.sheets if s.name in untouched}}
print(json.dumps({{"names": names, "unchanged": before == after,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "grille": grid("Grille"), "candidats": grid("Candidats"), "comparaison": grid("Comparaison"),
    "besoins": grid("Besoins"), "integration": grid("Intégration")}}, default=str))
"""
    result = run_live(script)
    assert result["unchanged"]
    assert not {"Profil de poste", "Étapes", "Équipe"} & set(result["touched"])
    assert {"Besoins", "Grille", "Candidats", "Comparaison", "Intégration"} <= set(result["touched"])
    assert result["names"] == ["Besoins", "Profil de poste", "Étapes", "Grille", "Candidats", "Comparaison",
                               "Intégration", "Équipe"]
    # the grid: the new criterion kept, two free rows again
    grille = result["grille"]
    criteria = [row[0] for row in grille[4:4 + len(CRITERIA) + 1 + SPARE_CRITERIA]]
    assert criteria == CRITERIA + ["Anglais technique", "", ""]
    assert grille[4 + len(CRITERIA)][1:3] == [1, "non"]
    # the candidates: every rating kept, the new one with its 7 ratings, free rows below
    cand = result["candidats"]
    block = cand[8:8 + len(RATINGS) + 1 + SPARE_CANDIDATES]
    rows = {row[0]: row[1:1 + len(CRITERIA) + 1] for row in block if row[0]}
    assert list(rows) == list(RATINGS) + ["Inès Imbert"] and [row[0] for row in block[-SPARE_CANDIDATES:]] == [""] * 5
    assert rows["Alice Aubert"][:6] == [3, 4, 4, 5, 4, 4] and rows["Inès Imbert"] == [3, 4, 3, 3, 3, 2, 5]
    assert rows["Hugo Henry"][0] == 4.5 and rows["Emma Étienne"][2] == ""
    comparaison = result["comparaison"]
    assert comparaison[new - 4][0] == f'=IF(Candidats!$A{new}="","",Candidats!$A{new})'  # Inès has her row
    assert comparaison[5 + len(RATINGS) + SPARE_CANDIDATES][0] == (
        f'=IF(Candidats!$A{new + SPARE_CANDIDATES}="","",Candidats!$A{new + SPARE_CANDIDATES})')
    # what was typed on the computed sheets is back
    assert result["besoins"][layout.group_rows["Sud"] - 1][layout.needs_cols["departures"] - 1] == 4
    assert result["integration"][int(layout.onboarding_cells["tutor"][1:]) - 1][1] == "Tutrice Test"


def test_plan_from_files_read_by_the_readers(inputs, tmp_path):
    """The CLI's path: CSV files in the users' format, read by xlsales.io, then the plan."""
    from xlsales import io as xio

    candidates, grid, reps = inputs
    paths = {name: tmp_path / f"{name}.csv" for name in ("candidats", "grille", "equipe")}
    xio.write_table(candidates, paths["candidats"], xio.CANDIDATES)
    xio.write_table(grid, paths["grille"], xio.INTERVIEW_GRID)
    xio.write_table(reps, paths["equipe"], xio.REPS)
    plan = plan_from_files(xio.read_candidates(paths["candidats"]), xio.read_interview_grid(paths["grille"]),
                           xio.read_reps(paths["equipe"]))
    again = build_recruitment(candidates, grid, reps)[0]
    for name in ("Grille", "Candidats", "Comparaison", "Équipe"):
        assert plan.sheet(name).cells == again.sheet(name).cells, name
    grille = plan.sheet("Grille")
    assert [grille.cells[(9, c)].value for c in (1, 2, 3, 4)] == ["Mobilité (permis B)", 1.0, "oui", 3.0]
