"""Recruitment core: staffing by workload, headcount at a date, skills to look for, interview-grid
scores, eliminations, ranking and decisions, schedule and onboarding dates — values worked by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xlsales.core import kpi
from xlsales.core import recruitment as rc

D = dt.date


def test_hours_and_staffing_by_workload():
    # 215 days × 7 h × 60 % = 903 h with customers a year
    assert rc.hours_per_rep(215, 7, 0.6) == pytest.approx(903)
    table = rc.staffing_needs(customers=[120, 45, None, 30], growth=[0.1, 0, 0.2, None], visits=[6, 12, 10, 4],
                              visit_hours=[2.5, 3, 2, None], hours_available=903, current=[1, 2, 1, 3],
                              departures=[0, 1, None, 0], target=[None, None, None, 2])
    # 120 × 1.1 × 6 × 2.5 = 1 980 h → 2.19 ETP → 3 reps; 1 now → 2 to recruit
    assert table.loc[0, ["workload", "target", "after_departures", "to_recruit"]].tolist() == pytest.approx([1980, 3, 1, 2])
    assert table.loc[0, "fte"] == pytest.approx(1980 / 903)
    # 45 × 12 × 3 = 1 620 h → 1.79 → 2; 2 − 1 departure = 1 → 1 to recruit
    assert table.loc[1, ["target", "to_recruit"]].tolist() == [2, 1]
    # no customers: no workload, target 0, nobody to recruit
    assert table.loc[2, ["workload", "target", "to_recruit"]].tolist() == [0, 0, 0]
    # a typed target wins over the workload; a surplus is no negative recruitment
    assert table.loc[3, ["target", "to_recruit"]].tolist() == [2, 0]


def test_staffing_float_noise_never_adds_a_rep():
    # 1 × 1.1 × 3 × 1 = 3.3000000000000003 h for 3.3 h a rep: 1 rep, not 2
    assert 1 * (1 + 0.1) * 3 * 1 / 3.3 > 1
    table = rc.staffing_needs([1], [0.1], [3], [1], 3.3, [0], [0])
    assert table.loc[0, "target"] == 1
    assert np.isnan(rc.staffing_needs([10], [0], [9], [1], 0.0, [0], [0]).loc[0, "fte"])


def test_headcount_at_a_date():
    ref = D(2026, 3, 16)
    counts = rc.headcount(
        groups=["Nord", "Nord", "Nord", "Nord", "Sud", None, "Sud"],
        hire_dates=["2020-01-01", "2026-03-16", "2026-03-17", None, "2019-05-01", "2018-01-01", "2015-01-01"],
        end_dates=[None, None, None, None, "2026-03-16", None, "2026-03-17"],
        as_of=ref, names=["Nord", "Sud", "", "Ouest"])
    # Nord: hired before, hired that day, hire date unknown (the one hired the next day is not there yet)
    # Sud: left that day (gone), leaves the next day (present); "" = no region; Ouest: nobody
    assert counts.to_dict() == {"Nord": 3, "Sud": 1, "": 1, "Ouest": 0}


def test_skill_needs():
    table = rc.skill_needs([4, 3, 3, 2, None], [3, 2.5, 3.5, 2, 1])
    assert table["gap"].tolist()[:4] == [1, 0.5, 0, 0] and np.isnan(table["gap"].iat[4])
    assert table["priority"].tolist() == ["Prioritaire", "À renforcer", "Couverte", "Couverte", ""]


def test_rating_scale_and_matrix():
    assert rc.rating_scale([]) == (1.0, 5.0)
    assert rc.rating_scale([3, 5]) == (1.0, 5.0)
    assert rc.rating_scale([0.5, 4]) == (0.0, 5.0)
    assert rc.rating_scale([6]) == (1.0, 10.0)
    assert rc.rating_scale([12.5]) == (1.0, 20.0)
    frame = pd.DataFrame({"candidate": ["Léa", "Léa", "Léa", "Tom", "Tom", "Tom"],
                          "criterion": ["Tech", "Com", "Tech", "Tech", "Autre", "Com"],
                          "rating": [3, 4, 5, None, 2, 1]})
    names, matrix = rc.ratings_matrix(frame, ["Tech", "Com", "Motivation"])
    assert names == ["Léa", "Tom"]
    # Léa: two interviewers on Tech (3 and 5 → 4); Tom: Tech empty, "Autre" is not in the grid
    np.testing.assert_array_equal(matrix, [[4, 4, np.nan], [np.nan, 1, np.nan]])


def test_rank_with_ties():
    keys = [15.0, 17.5, np.nan, 15.0, 15.0, 17.5]
    top = [4, 3, 5, 5, 4, 3]
    # 17.5 (row 1), 17.5 (row 5, same top: after row 1), 15 with top 5 (row 3), 15 top 4 (row 0), (row 4)
    np.testing.assert_array_equal(rc.rank_candidates(keys, top), [4, 1, np.nan, 3, 5, 2])


def test_compare_candidates_rules():
    weights = [3, 2, 1, 0]              # the 4th criterion weighs nothing: not needed for a complete evaluation
    eliminatory = [False, True, True, False]
    minimum = [np.nan, 3, np.nan, np.nan]  # an eliminatory criterion without minimum eliminates nobody
    ratings = [
        [5, 4, 1, np.nan],   # (15 + 8 + 1) / 6 = 4 → 16.0
        [5, 2, 5, 5],        # (15 + 4 + 5) / 6 = 4 → 16.0, but mobility 2 < 3: eliminated
        [4, 5, 5, np.nan],   # (12 + 10 + 5) / 6 = 4.5 → 18.0
        [3, 2, np.nan, 1],   # incomplete, yet eliminated: elimination first
        [3, 3, np.nan, 1],   # incomplete
        [3, 3, 3, 3],        # 3 → 12.0: exactly the threshold, kept
        [2, 3, 2, 2],        # (6 + 6 + 2) / 6 = 2.33 → 9.33: below the threshold
        [4, 4, 4, 4],        # 4 → 16.0, ties with row 0; row 0 has 5 on the heaviest criterion
    ]
    table = rc.compare_candidates(ratings, weights, eliminatory, minimum, ["Tech", "Mobilité", "Écrit", "Anglais"],
                                  max_rating=5, scale=20, threshold=12, positions=2)
    assert table["complete"].tolist() == [True, True, True, False, False, True, True, True]
    assert table["rated"].tolist() == [3, 4, 3, 3, 3, 4, 4, 4]
    np.testing.assert_allclose(table["score_scaled"], [16, 16, 18, np.nan, np.nan, 12, 28 / 3, 16])
    assert table["eliminated"].tolist() == [False, True, False, True, False, False, False, False]
    assert table["reasons"].tolist() == ["", "Mobilité", "", "Mobilité", "", "", "", ""]
    np.testing.assert_array_equal(table["rank"], [2, np.nan, 1, np.nan, np.nan, 4, 5, 3])
    assert table["decision"].tolist() == ["Retenu", "Éliminé", "Retenu", "Éliminé", "À compléter", "Liste d'attente",
                                          "Non retenu", "Liste d'attente"]
    # the score is the catalogue's SCORE on complete rows
    for i in (0, 2, 5, 6, 7):
        assert table.loc[i, "score"] == pytest.approx(kpi.score(np.nan_to_num(ratings[i]), weights))
        assert table.loc[i, "score_scaled"] == pytest.approx(kpi.score(np.nan_to_num(ratings[i]), weights, 5, 20))


def test_compare_candidates_edge_cases():
    empty = rc.compare_candidates(np.zeros((0, 2)), [1, 1])
    assert empty.empty and "decision" in empty.columns
    zero = rc.compare_candidates([[3, 4]], [0, 0])
    assert not zero.loc[0, "complete"] and zero.loc[0, "decision"] == "À compléter"


def test_schedule():
    starts = [D(2026, 1, 5), D(2026, 1, 12), None, D(2026, 2, 1)]
    ends = rc.step_ends(starts, [7, 21, 5, None])
    assert ends == [D(2026, 1, 11), D(2026, 2, 1), None, None]
    follow = rc.step_follow_up(starts, ends, ["fait", "à faire", "à faire", "à faire"], D(2026, 1, 20))
    assert follow == ["terminée", "en cours", "à planifier", "à planifier"]
    assert rc.step_follow_up([D(2026, 1, 5)], [D(2026, 1, 11)], [""], D(2026, 1, 12)) == ["en retard"]
    assert rc.step_follow_up([D(2026, 1, 13)], [D(2026, 1, 20)], [None], D(2026, 1, 12)) == ["à venir"]
    # week k starts on Monday 5 Jan + 7k: step 1 = week 0; step 2 from Monday 12 Jan to Sunday 1 Feb = weeks 1–3
    grid = rc.gantt_weeks(starts, ends, D(2026, 1, 5), 5)
    np.testing.assert_array_equal(grid, [[1, 0, 0, 0, 0], [0, 1, 1, 1, 0], [0] * 5, [0] * 5])
    # a step from a Sunday to the next Monday touches two weeks
    np.testing.assert_array_equal(rc.gantt_weeks([D(2026, 1, 11)], [D(2026, 1, 12)], D(2026, 1, 5), 3), [[1, 1, 0]])


def test_trial_period_and_onboarding_dates():
    assert rc.trial_end(D(2026, 3, 2), 3) == D(2026, 6, 1)
    assert rc.trial_end(D(2026, 4, 1), 2) == D(2026, 5, 31)
    assert rc.trial_end(D(2026, 1, 31), 1) == D(2026, 2, 28)   # no 31 February: the last day of February
    assert rc.trial_end(D(2027, 12, 31), 2) == D(2028, 2, 29)  # leap year
    assert rc.trial_end(D(2026, 3, 31), 3) == D(2026, 6, 30)
    assert rc.trial_end(None, 3) is None and rc.trial_end(D(2026, 1, 1), None) is None
    hire = D(2026, 3, 2)
    dates = rc.onboarding_dates(hire, [-7, 0, 1, 6, -15, None], ["jours", "jours", "mois", "mois", "fin d'essai", "jours"],
                                rc.trial_end(hire, 3))
    assert dates == [D(2026, 2, 23), D(2026, 3, 2), D(2026, 4, 2), D(2026, 9, 2), D(2026, 5, 17), None]
    assert rc.onboarding_dates(None, [1], ["jours"], None) == [None]
    assert rc.onboarding_dates(hire, [-15], ["fin d'essai"], None) == [None]
    follow = rc.onboarding_follow_up([D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 9), D(2026, 3, 10), None],
                                     ["fait", "à faire", None, "", ""], D(2026, 3, 2))
    assert follow == ["fait", "en retard", "cette semaine", "à venir", ""]
