"""Training core: gaps, action chosen from the catalogue, funding split, calendar, budget and the
professional-interview due dates under the 2014–2025 regime and the law of 24 October 2025.
Expected values are worked by hand from the rules (see the module docstring)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xlsales.core import training as tr
from xlsales.core.training import TrainingParams

D = dt.date


def _d(value):
    """A date (or None) from what the core returns (datetime64, Timestamp, NaT)."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


# ------------------------------------------------------------------------------------------------
# dates as Excel computes them
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, end, months", [
    ("2014-09-01", "2023-05-10", 104),
    ("2014-09-01", "2020-09-01", 72),   # exactly 6 years
    ("2014-09-01", "2020-08-31", 71),   # one day short
    ("2024-01-31", "2024-02-29", 0),    # DATEDIF counts the day of month
    ("2023-02-28", "2023-03-31", 1),
    ("2023-05-10", "2020-01-01", -41),  # end before start
])
def test_months_between(start, end, months):
    assert tr.months_between(start, end) == months


def test_months_between_arrays_and_missing():
    got = tr.months_between(["2020-01-15", None, "2020-01-15"], ["2021-01-14", "2021-01-01", pd.NaT])
    assert got[0] == 11 and np.isnan(got[1]) and np.isnan(got[2])


@pytest.mark.parametrize("start, months, expected", [
    ("2024-01-31", 1, D(2024, 2, 29)),   # clamped to the end of February (leap year)
    ("2023-01-31", 1, D(2023, 2, 28)),
    ("2024-02-29", 12, D(2025, 2, 28)),
    ("2014-09-01", 72, D(2020, 9, 1)),
    ("2026-03-31", -1, D(2026, 2, 28)),
    ("2025-07-01", 12, D(2026, 7, 1)),
])
def test_edate_like_excel(start, months, expected):
    assert tr.edate(start, months) == expected


def test_edate_vectorised_and_missing():
    got = tr.edate(["2024-01-31", None], [1, 5])
    assert _d(got[0]) == D(2024, 2, 29) and np.isnat(got[1])
    assert tr.edate(None, 3) is None
    assert [_d(x) for x in tr.edate(["2020-05-31"], [1, 13])] == [D(2020, 6, 30), D(2021, 6, 30)]


# ------------------------------------------------------------------------------------------------
# gaps
# ------------------------------------------------------------------------------------------------

SKILLS = pd.DataFrame({
    "rep": ["Ana", "Ana", "Ana", "Ben", "Ben", "Ben"],
    "skill": ["Négociation", "CRM", "Anglais", "Négociation", "CRM", "Anglais"],
    "current": [1, 4, 2, 3, 1, None],
    "required": [3, 2, 2, 3, 3, 2],
})


def test_skill_gaps_positive_part_and_missing_level():
    g = tr.skill_gaps(SKILLS)
    assert g["gap"].tolist()[:5] == [2.0, 0.0, 0.0, 0.0, 2.0]
    assert np.isnan(g["gap"].iat[5])  # not assessed


def test_gap_matrix_and_totals():
    m = tr.gap_matrix(SKILLS)
    assert list(m.index) == ["Ana", "Ben"] and list(m.columns) == ["Négociation", "CRM", "Anglais"]
    assert m.loc["Ana", "Négociation"] == 2 and m.loc["Ben", "CRM"] == 2 and np.isnan(m.loc["Ben", "Anglais"])
    t = tr.gap_totals(m, threshold=2)
    assert t["rep_total"].tolist() == [2.0, 2.0]
    assert t["rep_priorities"].tolist() == [1, 1]
    assert t["skill_total"].tolist() == [2.0, 2.0, 0.0]
    assert t["skill_priorities"].tolist() == [1, 1, 0]
    assert t["total"] == 4.0 and t["priorities"] == 2
    # a higher threshold: no priority
    assert tr.gap_totals(m, threshold=3)["priorities"] == 0
    # explicit order, unknown rep → empty row
    m2 = tr.gap_matrix(SKILLS, reps=["Ben", "Zoé"], skill_names=["CRM"])
    assert m2.loc["Ben", "CRM"] == 2 and np.isnan(m2.loc["Zoé", "CRM"])


# ------------------------------------------------------------------------------------------------
# actions and funding
# ------------------------------------------------------------------------------------------------

CATALOGUE = pd.DataFrame({
    "action": ["Négocier en B2B", "Défendre ses prix", "Habilitation", "CRM en pratique", "Anglais 40 h"],
    "skill": ["Négociation", "négociation", "Négociation", "CRM", "Anglais"],
    "duration_hours": [21.0, 7.0, 14.0, 7.0, 40.0],
    "cost": [1890.0, 690.0, 420.0, 450.0, 1600.0],
    "provider": ["Académie", "Académie", "Agréé", "Éditeur", None],
    "mode": ["présentiel", "distanciel", "présentiel", "distanciel", "distanciel"],
    "mandatory": [False, False, True, False, False],
    "cpf": [True, False, False, False, True],
})


def test_choose_actions_mandatory_first_then_catalogue_order():
    chosen = tr.choose_actions(CATALOGUE, ["Négociation", "CRM", "Anglais", "Prospection"])
    assert chosen == {"Négociation": 3, "CRM": 4, "Anglais": 5, "Prospection": 0}
    no_mandatory = CATALOGUE.assign(mandatory=["non", "non", "non", "non", "non"])
    assert tr.choose_actions(no_mandatory, ["Négociation"]) == {"Négociation": 1}
    # oui/non text and case-insensitive skill names, as MATCH in the sheet
    text = CATALOGUE.assign(mandatory=["non", "Oui", "non", "non", "non"])
    assert tr.choose_actions(text, ["NÉGOCIATION"]) == {"NÉGOCIATION": 2}


def test_select_needs_order():
    skills = pd.DataFrame({"rep": ["B", "A", "A", "A", "A"], "skill": ["CRM", "CRM", "Anglais", "Négociation", "X"],
                           "current": [0, 1, 0, 2, 1], "required": [1, 2, 3, 3, 1]})
    # A: Anglais gap 3 (high), Négociation gap 1 but its action is mandatory (high), CRM gap 1 (normal); X no gap
    assert tr.select_needs(skills, CATALOGUE, reps=["A", "B"]) == [
        ("A", "Anglais"), ("A", "Négociation"), ("A", "CRM"), ("B", "CRM")]


def test_funding_split_rules():
    p = TrainingParams(opco_share=0.5, cpf_cap=500.0, hourly_cost=35.0, headcount=30)
    got = tr.funding_split(
        cost=[1890.0, 1600.0, 420.0, 450.0, 1600.0, 0.0],
        hours=[21, 40, 14, 7, 40, 21],
        cpf_eligible=[True, True, True, False, True, False],
        mandatory=[False, False, True, False, False, True],
        reps=["A", "A", "A", "A", "B", "B"], params=p)
    # A: 500 € of CPF on the first action, nothing left for the second; mandatory → no CPF
    assert got["cpf"].tolist() == [500.0, 0.0, 0.0, 0.0, 500.0, 0.0]
    assert got["opco"].tolist() == [695.0, 800.0, 210.0, 225.0, 550.0, 0.0]
    assert got["company"].tolist() == [695.0, 800.0, 210.0, 225.0, 550.0, 0.0]
    assert got["time_cost"].tolist() == [735.0, 1400.0, 490.0, 245.0, 1400.0, 735.0]
    assert got["total_cost"].tolist() == [2625.0, 3000.0, 910.0, 695.0, 3000.0, 735.0]
    assert np.allclose(got["cpf"] + got["opco"] + got["company"], [1890, 1600, 420, 450, 1600, 0])


def test_funding_split_cap_partly_used_and_company_size():
    p = TrainingParams(cpf_cap=800.0, opco_share=0.6, opco_hourly_cap=25.0)
    got = tr.funding_split([690.0, 1890.0], [7, 21], [True, True], [False, False], ["A", "A"], p)
    assert got["cpf"].tolist() == [690.0, 110.0]          # 800 − 690 left for the second action
    # OPCO: 60 % of the rest, capped at 25 €/h: min(0, 175) and min(1068, 525)
    assert got["opco"].tolist() == [0.0, 525.0]
    assert got["company"].tolist() == [0.0, 1255.0]
    big = TrainingParams(headcount=50, use_cpf=False)
    got = tr.funding_split([1000.0], [10], [True], [False], ["A"], big)
    assert got[["cpf", "opco", "company"]].values.tolist() == [[0.0, 0.0, 1000.0]]
    # the OPCO share is rounded to the cent, half away from zero
    got = tr.funding_split([100.01], [1], [False], [False], ["A"], TrainingParams(opco_share=0.5))
    assert got["opco"].tolist() == [50.01] and got["company"].tolist() == [50.0]


def test_funding_label():
    assert tr.funding_label(1000, 500, 250, 250) == "CPF + OPCO + Entreprise"
    assert tr.funding_label(1000, 0, 0, 1000) == "Entreprise"
    assert tr.funding_label(1000, 0, 500, 500) == "OPCO + Entreprise"
    assert tr.funding_label(0, 0, 0, 0) == tr.INTERNAL
    assert tr.funding_label(0, 0, 0, 0, has_action=False) == ""


def test_evaluate_needs_rows():
    skills = pd.DataFrame({"rep": ["A", "A", "A", "B"], "skill": ["Négociation", "CRM", "Prospection", "Anglais"],
                           "current": [2, 2, 1, 0], "required": [3, 2, 2, 3]})
    pairs = [("A", "Négociation"), ("A", "CRM"), ("A", "Prospection"), ("B", "Anglais"), ("B", "CRM")]
    t = tr.evaluate_needs(pairs, skills, CATALOGUE, TrainingParams(headcount=60)).set_index(["rep", "skill"])
    neg = t.loc[("A", "Négociation")]
    assert (neg.priority, neg.catalogue_row, neg.action, neg.mandatory, neg.cpf_eligible) == (
        "Haute", 3, "Habilitation", "oui", "non")
    assert (neg.hours, neg.cost, neg.cpf, neg.opco, neg.company, neg.funding) == (14.0, 420.0, 0.0, 0.0, 420.0, "Entreprise")
    crm = t.loc[("A", "CRM")]  # gap now 0: the row stays, without action nor cost
    assert (crm.gap, crm.priority, crm.catalogue_row, crm.action, crm.cost, crm.funding) == (0.0, "Couvert", 0, "", 0.0, "")
    pro = t.loc[("A", "Prospection")]  # no action in the catalogue
    assert (pro.priority, pro.catalogue_row, pro.action, pro.total_cost) == ("Normale", 0, tr.NO_ACTION, 0.0)
    eng = t.loc[("B", "Anglais")]
    assert (eng.priority, eng.action, eng.provider, eng.cpf, eng.company, eng.time_cost) == (
        "Haute", "Anglais 40 h", "", 500.0, 1100.0, 1400.0)
    missing = t.loc[("B", "CRM")]  # not assessed
    assert missing.priority == "" and np.isnan(missing.gap) and missing.action == ""


def test_training_needs_is_select_then_evaluate():
    t = tr.training_needs(SKILLS, CATALOGUE)
    assert list(zip(t.rep, t.skill)) == [("Ana", "Négociation"), ("Ben", "CRM")]
    assert t.action.tolist() == ["Habilitation", "CRM en pratique"]


# ------------------------------------------------------------------------------------------------
# calendar and budget
# ------------------------------------------------------------------------------------------------

def test_weeks_and_mondays():
    assert tr.training_weeks([14, 15, 40, 0, 7], 7).tolist() == [2.0, 3.0, 6.0, 0.0, 1.0]
    assert tr.training_weeks(21, 10.5) == 2.0
    w26 = tr.iso_week_mondays(2026)
    assert len(w26) == 53 and w26[0] == D(2025, 12, 29) and w26[-1] == D(2026, 12, 28)
    assert all(m.weekday() == 0 for m in w26)
    w25 = tr.iso_week_mondays(2025)
    assert len(w25) == 52 and w25[0] == D(2024, 12, 30)
    assert len(tr.iso_week_mondays(2020)) == 53


def test_default_start_dates_and_grid():
    needs = pd.DataFrame({"rep": ["A", "A", "B", "A"], "hours": [14.0, 0.0, 40.0, 7.0]})
    starts = tr.default_start_dates(needs, D(2026, 1, 5), 7)
    assert starts == [D(2026, 1, 5), D(2026, 1, 19), D(2026, 1, 12), D(2026, 1, 19)]
    mondays = [D(2026, 1, 5) + dt.timedelta(weeks=k) for k in range(8)]
    grid = tr.calendar_grid(starts, needs["hours"], mondays, 7)
    assert grid.tolist() == [
        [1, 1, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],   # no hours: nothing to show
        [0, 1, 1, 1, 1, 1, 1, 0],
        [0, 0, 1, 0, 0, 0, 0, 0],
    ]
    # a start on a Wednesday fills the week it falls in; no start → empty row
    grid = tr.calendar_grid([D(2026, 1, 14), None], [7, 7], mondays, 7)
    assert grid.tolist()[0][:4] == [0, 1, 1, 0] and grid[1].sum() == 0


def test_budget_by_rep_and_action():
    skills = pd.DataFrame({"rep": ["A", "A", "B"], "skill": ["Négociation", "Anglais", "Anglais"],
                           "current": [1, 0, 1], "required": [3, 2, 3]})
    needs = tr.training_needs(skills, CATALOGUE, TrainingParams())
    by_rep = tr.budget_by_rep(needs, ["A", "B", "C"])
    assert by_rep.loc["A", "count"] == 2 and by_rep.loc["C", "count"] == 0
    assert by_rep.loc["A", "cost"] == 420.0 + 1600.0
    assert by_rep.loc["B", "cpf"] == 500.0
    assert by_rep.loc["A", "company_total"] == pytest.approx(by_rep.loc["A", "company"] + by_rep.loc["A", "time_cost"])
    by_action = tr.budget_by_action(needs, ["Anglais 40 h", "Habilitation", "CRM en pratique"])
    assert by_action["count"].tolist() == [2, 1, 0]
    assert by_action.loc["Anglais 40 h", "hours"] == 80.0
    assert by_action["total_cost"].sum() == pytest.approx(needs["total_cost"].sum())


# ------------------------------------------------------------------------------------------------
# professional interviews
# ------------------------------------------------------------------------------------------------

REF = D(2026, 3, 15)


def _schedule(regime, hire, last=None, birth=None, params=None, ref=REF):
    s = tr.interview_schedule([hire], [last], [birth], reference_date=ref, regime=regime, params=params)
    return {k: (s.loc[0, k] if k == "status" else _d(s.loc[0, k])) for k in s.columns}


def test_interviews_2014_regime():
    # hired 1 Sept 2014, last interview 10 May 2023: next = + 2 years; état des lieux at 12 years (2026-09-01)
    s = _schedule("2014", "2014-09-01", "2023-05-10")
    assert s == {"periodic": D(2025, 5, 10), "inventory": D(2026, 9, 1), "next_due": D(2025, 5, 10),
                 "status": "en retard"}
    # no interview since hiring: first due 2 years after hiring, état des lieux at 6 years
    s = _schedule("2014", "2025-07-01")
    assert s["periodic"] == D(2027, 7, 1) and s["inventory"] == D(2031, 7, 1) and s["status"] == "à jour"
    # an interview on the 6-year anniversary holds the état des lieux: the next is at 12 years
    s = _schedule("2014", "2018-03-05", "2024-03-05")
    assert s["inventory"] == D(2030, 3, 5) and s["periodic"] == D(2026, 3, 5) and s["status"] == "en retard"
    s = _schedule("2014", "2018-03-05", "2024-03-04")
    assert s["inventory"] == D(2024, 3, 5) and s["next_due"] == D(2024, 3, 5)


def test_interviews_2025_law():
    # first interview within the year after hiring
    s = _schedule("2025", "2025-07-01")
    assert (s["periodic"], s["inventory"], s["mid_career"], s["end_career"]) == (D(2026, 7, 1), D(2033, 7, 1), None, None)
    assert s["status"] == "à jour"  # 2026-07-01 is after 2026-06-15 (reference + 3 months)
    s = _schedule("2025", "2025-05-01")
    assert s["next_due"] == D(2026, 5, 1) and s["status"] == "à planifier"
    # then every 4 years; état des lieux every 8 years of seniority
    s = _schedule("2025", "2014-09-01", "2023-05-10")
    assert s["periodic"] == D(2027, 5, 10) and s["inventory"] == D(2030, 9, 1) and s["status"] == "à jour"
    s = _schedule("2025", "2012-01-09", "2019-06-01")
    assert s["inventory"] == D(2020, 1, 9) and s["status"] == "en retard"


def test_interviews_mid_and_end_of_career():
    p = TrainingParams(law_2025_date=D(2025, 10, 26))
    # 45 in 2026: due by 31/12/2026 unless an interview was held since 1/1/2026
    s = _schedule("2025", "2015-02-01", "2024-06-01", "1981-08-20", p)
    assert s["mid_career"] == D(2026, 12, 31) and s["next_due"] == D(2026, 12, 31)
    s = _schedule("2025", "2015-02-01", "2026-01-10", "1981-08-20", p)
    assert s["mid_career"] is None
    # 45 in 2024, before the law: not due
    assert _schedule("2025", "2015-02-01", "2024-06-01", "1979-08-20", p)["mid_career"] is None
    # hired after the 45th year: not due
    assert _schedule("2025", "2027-02-01", None, "1981-08-20", p)["mid_career"] is None
    # end of career: by the 60th birthday, window of the 24 months before
    s = _schedule("2025", "2004-12-01", "2023-09-01", "1967-05-20", p)
    assert s["end_career"] == D(2027, 5, 20) and s["periodic"] == D(2027, 9, 1) and s["next_due"] == D(2027, 5, 20)
    assert _schedule("2025", "2004-12-01", "2025-05-20", "1967-05-20", p)["end_career"] is None  # held in the window
    assert _schedule("2025", "2004-12-01", "2025-05-19", "1967-05-20", p)["end_career"] == D(2027, 5, 20)
    # 60 before the law's date: not due; a later law date makes it not due either
    assert _schedule("2025", "2004-12-01", None, "1965-01-10", p)["end_career"] is None
    late_law = TrainingParams(law_2025_date=D(2026, 10, 1))
    assert _schedule("2025", "2015-02-01", "2024-06-01", "1981-08-20", late_law)["mid_career"] == D(2026, 12, 31)
    assert _schedule("2025", "2015-02-01", "2024-06-01", "1980-08-20", late_law)["mid_career"] is None


def test_interviews_missing_hire_date_and_params():
    s = _schedule("2025", None, "2024-01-01", "1970-01-01")
    assert s == {"periodic": None, "inventory": None, "mid_career": None, "end_career": None, "next_due": None,
                 "status": "à compléter"}
    shorter = TrainingParams(new_period_months=24, planning_horizon_months=6)
    s = _schedule("2025", "2014-09-01", "2024-08-01", params=shorter)
    assert s["periodic"] == D(2026, 8, 1) and s["status"] == "à planifier"
    with pytest.raises(ValueError):
        tr.interview_schedule(["2020-01-01"], reference_date=REF, regime="2018")


def test_interview_status_boundaries():
    ref = D(2026, 3, 15)
    got = tr.interview_status(["2026-03-14", "2026-03-15", "2026-06-15", "2026-06-16", None], ref, 3)
    assert got.tolist() == ["en retard", "à planifier", "à planifier", "à jour", "à compléter"]
    assert tr.interview_status("2026-03-16", ref, 0) == "à jour"


def test_corrective_top_up():
    p = TrainingParams(headcount=80)
    assert tr.corrective_top_up(["2026-03-14", "2026-03-15", None], REF, p)[:2].tolist() == [3000.0, 0.0]
    assert np.isnan(tr.corrective_top_up([None], REF, p)[0])
    assert tr.corrective_top_up(["2020-01-01"], REF, TrainingParams(headcount=49)).tolist() == [0.0]
