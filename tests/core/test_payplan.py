"""Plan de commissionnement (core): the whole pay of a team, reps × months, against published cases."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tolerance
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsales.core._vector import excel_round
from xlsales.core.errors import BadValueError, DomainError
from xlsales.core.pay import commission
from xlsales.core.payplan import FIELDS, CommissionPlan, compute_pay, presence


def one_month(plan, base, target=0.0, salary=0.0, month=1, year=2026, **kw):
    """Pay of one rep with ``base`` in ``month`` only."""
    bases = np.zeros((1, 12))
    bases[0, month - 1] = base
    targets = np.zeros((1, 12))
    targets[0, month - 1] = target
    return compute_pay(plan, bases, targets, [salary], year=year, **kw)


# --------------------------------------------------------------------------------------------
# Worked example "commission_tranches_commmarketingmuc" (commission par tranches 9 500 € → 360 €)
# https://www.commmarketingmuc.com/article-31165536.html
# --------------------------------------------------------------------------------------------


def test_commmarketingmuc_grid_through_the_plan(worked):
    ex = worked("commission_tranches_commmarketingmuc")
    tranches = ex["inputs"]["tranches"]
    thresholds, rates = [t[0] for t in tranches], [t[2] for t in tranches]
    pay = one_month(CommissionPlan(thresholds, rates), ex["inputs"]["CA"], month=3)
    assert pay.commission[0, 2] == pytest.approx(ex["expected"]["commission"], abs=tolerance(ex, "commission"))
    assert pay.commission[0, 2] == 360.0
    assert pay.commission[0].sum() == 360.0  # nothing in the other months
    flat = one_month(CommissionPlan(thresholds, rates, mode="paliers"), ex["inputs"]["CA"], month=3)
    assert flat.commission[0, 2] == 570.0  # 9 500 × 6 %


def test_excelforum_progressive_quota_tiers():
    # https://www.excelforum.com/excel-formulas-and-functions/861932-vlookup-for-multiple-results-without-duplicates-prev-thread.html
    # 5 % up to 100 000, one more point from 100 000 to 125 000, another from 125 000:
    # 150 000 → 5 000 + 1 500 + 1 750 = 8 250 (as published).
    plan = CommissionPlan([0, 100000, 125000], [0.05, 0.06, 0.07])
    assert one_month(plan, 150000).commission[0, 0] == 8250.0


# --------------------------------------------------------------------------------------------
# DESJOYAUX (https://vizasking.com/vizdevoir/2345183): fixed pay, flat commission, bonus grid
# --------------------------------------------------------------------------------------------


def test_desjoyaux_july_pay():
    # Commission 2.5 % of the CA between 10 000 and 20 000 €, 4 % above (taux global); bonus 0 if the
    # target is missed, 300 € up to 10 % above, 600 € beyond. Fixed 1 500 € + 5 % from 3 years of
    # seniority, + 8 % beyond 6 years (in July N: Jérémy 4.5 years, Guillaume 2, Pierre < 1,
    # Adrien > 6), given here as annual salaries. The published answer only treats Jérémy and
    # takes 4 % of the fixed pay instead of the CA (1 635 €); the grid gives 1 575 + 980 = 2 555 €.
    plan = CommissionPlan([0, 10000, 20000], [0.0, 0.025, 0.04], mode="flat",
                          bonus_thresholds=[1.0, 1.1], bonus_amounts=[300, 600], charge_rate=0)
    reps = ["Jérémy", "Guillaume", "Pierre", "Adrien"]
    ca = np.array([24500, 24500, 21300, 27800])
    objectif = np.array([27000, 23000, 18000, 30000])
    fixe = np.array([1500 * 1.05, 1500, 1500, 1500 * 1.08])
    bases, targets = np.zeros((4, 12)), np.zeros((4, 12))
    bases[:, 6], targets[:, 6] = ca, objectif
    pay = compute_pay(plan, bases, targets, fixe * 12, year=2026, reps=reps)
    july = pay.to_frame().query("month == 7").set_index("rep")
    assert july["commission"].tolist() == [980.0, 980.0, 852.0, 1112.0]
    assert july["bonus"].tolist() == [0.0, 300.0, 600.0, 0.0]
    assert july["fixed"].tolist() == [1575.0, 1500.0, 1500.0, 1620.0]
    assert july["gross"].tolist() == [2555.0, 2780.0, 2952.0, 2732.0]
    assert july.loc["Guillaume", "attainment"] == 1.0652  # 24 500 / 23 000, to 0.01 %
    # the other months have no target: no attainment, no bonus
    assert np.isnan(pay.attainment[:, :6]).all() and pay.bonus.sum() == 900
    assert pay.gross[:, 7:].sum() == pay.fixed[:, 7:].sum()


# --------------------------------------------------------------------------------------------
# Employer cost (frstudy.me/devoir/1584923): charges of 50 % on the fixed pay, commission and bonus
# --------------------------------------------------------------------------------------------


def test_frstudy_employer_cost_and_break_even_target():
    # Fixed 1 260 € (+ 630 € of charges), 2 % of CA (+ 1 % of charges), a 300 € bonus when the
    # target is reached (+ 150 €), 210 € of expenses; the pay is acceptable while its total cost
    # is at most 40 % of the CA: the published minimum target is 6 892 € (2 550 / 0.37, rounded up).
    plan = CommissionPlan([0], [0.02], bonus_thresholds=[1.0], bonus_amounts=[300], charge_rate=0.5)
    at_target = one_month(plan, 6892, target=6892, salary=1260 * 12)
    assert at_target.bonus[0, 0] == 300.0
    assert at_target.gross[0, 0] == 1260 + 137.84 + 300
    cost = at_target.employer_cost[0, 0] + 210
    assert cost == pytest.approx(2756.76) and cost <= 0.4 * 6892
    below = one_month(plan, 6891, target=6891, salary=1260 * 12)
    assert below.employer_cost[0, 0] + 210 > 0.4 * 6891
    # without the bonus (target missed) the threshold is 2 100 / 0.37 = 5 676 €
    missed = one_month(plan, 5676, target=9000, salary=1260 * 12)
    assert missed.bonus[0, 0] == 0 and missed.employer_cost[0, 0] + 210 <= 0.4 * 5676


# --------------------------------------------------------------------------------------------
# Draw (avance sur commissions): Oracle Siebel Incentive Compensation, "Recoverable Draw Scenario"
# https://docs.oracle.com/cd/E05553_01/books/InCompAdm/InCompAdmPlanDesign8.html
# --------------------------------------------------------------------------------------------

ORACLE_COMMISSIONS = [2750, 3000, 1500, 2375, 3000, 2750]


def _oracle(recoverable):
    plan = CommissionPlan([0], [0.1], draw=2000, draw_recoverable=recoverable, charge_rate=0)
    bases = np.zeros((1, 12))
    bases[0, :6] = np.array(ORACLE_COMMISSIONS) * 10
    return compute_pay(plan, bases, np.zeros((1, 12)), [0], year=2002)


def test_oracle_recoverable_draw_scenario():
    pay = _oracle(True)
    assert pay.commission[0, :6].tolist() == ORACLE_COMMISSIONS
    # published net earnings: March topped up to the draw, April repays 375 of the 500 owed,
    # May repays the 125 left
    assert pay.commission_paid[0, :6].tolist() == [2750, 3000, 2000, 2000, 2875, 2750]
    assert pay.draw_topup[0, :6].tolist() == [0, 0, 500, 0, 0, 0]
    assert pay.draw_recovery[0, :6].tolist() == [0, 0, 0, 375, 125, 0]
    assert pay.draw_balance[0, :6].tolist() == [0, 0, 500, 125, 0, 0]
    # from July on there is no commission: the draw is advanced each month and owed
    assert pay.commission_paid[0, 6:].tolist() == [2000] * 6
    assert pay.draw_balance[0, -1] == 12000
    assert pay.totals()["draw_balance"].iat[0] == 12000


def test_non_recoverable_draw_is_a_guaranteed_minimum():
    pay = _oracle(False)
    assert pay.commission_paid[0, :6].tolist() == [2750, 3000, 2000, 2375, 3000, 2750]
    assert pay.draw_recovery.sum() == 0 and pay.draw_balance.sum() == 0


def test_draw_is_prorated_for_a_mid_month_hire():
    plan = CommissionPlan([0], [0.1], draw=1550, charge_rate=0)
    pay = compute_pay(plan, np.zeros((1, 12)), np.zeros((1, 12)), [0], ["2026-03-17"], 2026)
    assert pay.draw[0, :4].tolist() == [0, 0, 750.0, 1550]  # 15/31 of March
    assert pay.commission_paid[0, 1] == 0


# --------------------------------------------------------------------------------------------
# Proration for a mid-period hire: calendar days
# --------------------------------------------------------------------------------------------


def test_legisocial_entry_on_10_january_2024_is_22_of_31_days():
    # https://legisocial.fr/paie/gestion-de-paie/comment-gerer-bulletin-paie-salarie-cours-mois-2024.html
    # entry on 10 January 2024: the social security ceiling is prorated 3 864 × 22/31 = 2 742,19 €.
    plan = CommissionPlan([0], [0.0], charge_rate=0)
    pay = compute_pay(plan, np.zeros((1, 12)), np.zeros((1, 12)), [3864 * 12], ["2024-01-10"], 2024)
    assert pay.presence[0, 0] == 22 / 31
    assert pay.fixed[0, 0] == 2742.19
    assert pay.fixed[0, 1:].tolist() == [3864.0] * 11


def test_personio_calendar_days_proration():
    # https://support.personio.de/hc/fr/articles/115002403225 (« tous les jours du mois »):
    # 2 800 € from the 15th: 17/31 × 2 800 = 1 535,48 (January), 14/28 × 2 800 = 1 400,00
    # (February, non-leap year), 16/30 × 2 800 = 1 493,33 (April).
    plan = CommissionPlan([0], [0.0])
    hires = ["2025-01-15", "2025-02-15", "2025-04-15"]
    pay = compute_pay(plan, np.zeros((3, 12)), np.zeros((3, 12)), [2800 * 12] * 3, hires, 2025)
    assert [pay.fixed[0, 0], pay.fixed[1, 1], pay.fixed[2, 3]] == [1535.48, 1400.0, 1493.33]
    assert pay.fixed[2, :3].tolist() == [0, 0, 0]


def test_targets_are_prorated_and_leavers_stop():
    plan = CommissionPlan([0], [0.1], gate=0.8)
    targets = np.full((1, 12), 31000.0)
    bases = np.full((1, 12), 20000.0)
    pay = compute_pay(plan, bases, targets, [36000], ["2026-01-10"], 2026, end_dates=["2026-11-15"])
    assert pay.target[0, 0] == 22000.0  # 22/31
    assert pay.attainment[0, 0] == round(20000 / 22000, 4)
    assert pay.presence[0, 10] == 0.5 and pay.presence[0, 11] == 0
    assert pay.fixed[0, 10] == 1500 and pay.fixed[0, 11] == 0
    assert pay.target[0, 11] == 0 and np.isnan(pay.attainment[0, 11])


# --------------------------------------------------------------------------------------------
# Gate, accelerator, cap
# --------------------------------------------------------------------------------------------


def test_accelerator_multiplies_the_commission_above_target():
    # https://comp.quotapath.com/account-executive/accelerators-decelerators: above 100 % of quota the rate
    # is doubled on the new business only (not retroactively); quota 33 000, 10 %:
    # 40 000 → 3 300 + 2 × 700 = 4 700.
    plan = CommissionPlan([0], [0.10], accelerator=2.0)
    pay = one_month(plan, 40000, target=33000)
    assert pay.grid_commission[0, 0] == pytest.approx(4000)
    assert pay.grid_commission_at_target[0, 0] == pytest.approx(3300)
    assert pay.accelerator_extra[0, 0] == pytest.approx(700)
    assert pay.commission[0, 0] == 4700.0
    # with tiers crossing the target, the accelerated part is c(B) − c(T)
    tiers = CommissionPlan([0, 10000, 30000], [0.02, 0.04, 0.05], accelerator=1.5)
    pay = one_month(tiers, 36000, target=25000)
    c_b = 200 + 800 + 300  # 10 000 × 2 % + 20 000 × 4 % + 6 000 × 5 %
    c_t = 200 + 600
    assert pay.commission[0, 0] == c_t + 1.5 * (c_b - c_t)
    # below target or without target: no accelerator
    assert one_month(tiers, 36000, target=40000).commission[0, 0] == c_b
    assert one_month(tiers, 36000).commission[0, 0] == c_b


def test_gate_on_rounded_attainment():
    plan = CommissionPlan([0], [0.05], gate=0.8)
    assert one_month(plan, 7999, target=10000).commission[0, 0] == 0  # 79.99 %
    assert one_month(plan, 8000, target=10000).commission[0, 0] == 400
    # 79.996 % is read 80.00 %: the statement shows the same attainment as the test
    assert one_month(plan, 7999.6, target=10000).commission[0, 0] == 399.98
    assert one_month(plan, 500).commission[0, 0] == 25  # no target: no gate


def test_cap_applies_after_the_accelerator():
    plan = CommissionPlan([0], [0.1], accelerator=2, cap=5000)
    pay = one_month(plan, 40000, target=20000)
    assert pay.commission_after_gate[0, 0] == pytest.approx(6000)
    assert pay.commission[0, 0] == 5000
    assert one_month(CommissionPlan([0], [0.1], cap=0), 90000).commission[0, 0] == 9000  # 0 = no cap


# --------------------------------------------------------------------------------------------
# Quarterly and yearly plans paid monthly
# --------------------------------------------------------------------------------------------


def test_yearly_plan_pays_the_increase_of_the_year_to_date_commission():
    plan = CommissionPlan([0, 100000, 200000], [0.02, 0.03, 0.05], period="année")
    bases = np.full((1, 12), 25000.0)
    pay = compute_pay(plan, bases, np.zeros((1, 12)), [0], year=2026)
    assert pay.cum_base[0].tolist() == [25000.0 * k for k in range(1, 13)]
    assert pay.commission.sum() == pytest.approx(commission(300000, [0, 100000, 200000], [0.02, 0.03, 0.05]))
    assert pay.commission[0, :4].tolist() == [500, 500, 500, 500]
    assert pay.commission[0, 4] == 750  # the year to date crosses 100 000 in May
    assert pay.commission[0, -1] == 1250


def test_yearly_gate_lost_gives_a_negative_regularisation():
    plan = CommissionPlan([0], [0.05], period="year", gate=0.9)
    bases = np.array([[10000, 10000, 2000] + [0] * 9], dtype=float)
    targets = np.full((1, 12), 10000.0)
    pay = compute_pay(plan, bases, targets, [0], year=2026)
    assert pay.commission[0, :3].tolist() == [500, 500, -1000]  # 22 000 / 30 000 = 73 % < 90 %
    assert pay.commission_due_cum[0, 2] == 0


def test_quarterly_bonus_is_paid_at_quarter_ends():
    plan = CommissionPlan([0], [0.0], period="trimestre", bonus_thresholds=[1.0], bonus_amounts=[900])
    bases = np.full((1, 12), 11000.0)
    bases[0, 3:6] = 9000
    targets = np.full((1, 12), 10000.0)
    pay = compute_pay(plan, bases, targets, [0], year=2026)
    assert pay.bonus[0].tolist() == [0, 0, 900, 0, 0, 0, 0, 0, 900, 0, 0, 900]
    assert pay.cum_target[0, :4].tolist() == [10000, 20000, 30000, 10000]


# --------------------------------------------------------------------------------------------
# Team bonus
# --------------------------------------------------------------------------------------------


def _team_case(split):
    plan = CommissionPlan([0], [0.0], team_bonus_thresholds=[1.0, 1.2], team_bonus_amounts=[1200, 3000],
                          team_bonus_split=split, charge_rate=0)
    bases = np.array([[12000] * 12, [9000] * 12, [0] * 3 + [5000] * 9, [20000] * 12], dtype=float)
    targets = np.full((4, 12), 10000.0)
    salaries = [36000, 24000, 30000, 40000]
    hires = [None, None, "2026-04-01", None]
    teams = ["Nord", "Nord", "Nord", ""]
    return compute_pay(plan, bases, targets, salaries, hires, 2026, teams=teams)


def test_team_bonus_equal_shares_among_members_present():
    pay = _team_case("parts égales")
    # Jan–Mar: the third member is not there yet (no target, no share): 21 000 / 20 000 = 105 %
    assert pay.team_attainment[0, 0] == 1.05
    assert pay.team_pool[:3, 0].tolist() == [1200, 1200, 1200] and pay.team_pool[3, 0] == 0
    assert pay.team_bonus[:3, 0].tolist() == [600, 600, 0]
    # from April: 26 000 / 30 000 = 86.67 %: no team bonus
    assert pay.team_attainment[0, 3] == 0.8667
    assert pay.team_bonus[:, 3:].sum() == 0
    # no team: no team bonus, no team attainment
    assert pay.team_bonus[3].sum() == 0 and np.isnan(pay.team_attainment[3]).all()


def test_team_bonus_pro_rata_of_the_fixed_pay_and_per_member():
    pay = _team_case("prorata du fixe")
    assert pay.team_bonus[:2, 0].tolist() == [720, 480]  # 1 200 × 3 000 / 5 000, × 2 000 / 5 000
    pay = _team_case("par commercial")
    assert pay.team_bonus[:3, 0].tolist() == [1200, 1200, 0]


# --------------------------------------------------------------------------------------------
# Plans from the reader, errors, vectorisation
# --------------------------------------------------------------------------------------------


def test_plan_from_the_reader_mapping():
    spec = {"tiers": [(600000.0, 0.025), (0.0, 0.015)], "mode": "progressive", "base": "revenue", "period": "year",
            "gate": 0.8, "cap": 45000.0, "accelerator": 1.5, "bonus_grid": [(1.1, 4000.0), (1.0, 2000.0)],
            "draw": 800.0, "draw_recoverable": True, "team_bonus": [(1.0, 1500.0)], "employer_charge_rate": 0.42}
    plan = CommissionPlan.from_mapping(spec)
    assert plan.thresholds == (0.0, 600000.0) and plan.rates == (0.015, 0.025)
    assert plan.bonus_thresholds == (1.0, 1.1) and plan.bonus_amounts == (2000.0, 4000.0)
    assert plan.team_bonus_split == "member" and plan.months == 12 and plan.charge_rate == 0.42
    assert CommissionPlan.from_mapping({"cap": None}).cap is None


def test_plan_errors():
    with pytest.raises(DomainError):
        CommissionPlan([0, 5000, 4000], [0.01, 0.02, 0.03])
    with pytest.raises(BadValueError):
        CommissionPlan([0, 5000], [0.01])
    with pytest.raises(BadValueError):
        CommissionPlan(mode="cumulatif")
    with pytest.raises(BadValueError):
        CommissionPlan(period="semaine")
    with pytest.raises(BadValueError):
        CommissionPlan(draw_recoverable="peut-être")
    with pytest.raises(DomainError):
        CommissionPlan(gate=-0.1)
    assert CommissionPlan(draw_recoverable="non").draw_recoverable is False
    with pytest.raises(BadValueError):
        compute_pay(CommissionPlan(), np.zeros((2, 11)), np.zeros((2, 11)), [0, 0], year=2026)
    with pytest.raises(BadValueError):
        compute_pay(CommissionPlan(), np.zeros((2, 12)), np.zeros((2, 12)), [0, 0])
    with pytest.raises(BadValueError):
        compute_pay(CommissionPlan(), np.zeros((2, 12)), np.zeros((2, 12)), [0], year=2026)


def test_each_rep_is_computed_as_if_alone():
    rng = np.random.default_rng(3)
    plan = CommissionPlan([0, 20000], [0.03, 0.05], period="trimestre", gate=0.7, cap=4000, accelerator=1.3,
                          bonus_thresholds=[1.0], bonus_amounts=[500], draw=300)
    bases = rng.uniform(0, 40000, (6, 12)).round(2)
    targets = np.full((6, 12), 20000.0)
    hires = ["2020-01-01", "2026-05-20", None, "2026-01-31", None, None]
    batch = compute_pay(plan, bases, targets, [30000] * 6, hires, 2026)
    for i in range(6):
        alone = compute_pay(plan, bases[i:i + 1], targets[i:i + 1], [30000], hires[i:i + 1], 2026)
        for name in FIELDS:
            np.testing.assert_array_equal(getattr(batch, name)[i], getattr(alone, name)[0], err_msg=name)
    frame = batch.to_frame()
    assert len(frame) == 72 and list(frame.columns[:2]) == ["rep", "month"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 60000), min_size=12, max_size=12), st.integers(0, 3000), st.booleans())
def test_draw_bookkeeping(commissions_base, draw, recoverable):
    plan = CommissionPlan([0], [0.1], draw=draw, draw_recoverable=recoverable)
    pay = compute_pay(plan, [commissions_base], [[0] * 12], [0], year=2026)
    paid, due = pay.commission_paid[0], pay.commission[0]
    assert np.all(paid >= pay.draw[0] - 1e-9)  # the draw is a guaranteed minimum
    if recoverable:  # what was paid = commissions earned + what is still owed
        assert paid.sum() == pytest.approx(due.sum() + pay.draw_balance[0, -1])
    else:
        np.testing.assert_allclose(paid, np.maximum(due, draw))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=12, max_size=12))
def test_monthly_plan_commission_is_the_grid(bases):
    grid = [0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08]
    pay = compute_pay(CommissionPlan(*grid), [bases], [[0] * 12], [0], year=2026)
    np.testing.assert_array_equal(pay.commission[0], excel_round(commission(np.array(bases), *grid), 2))


def test_presence_without_dates_is_one():
    assert presence(None, 2026, n=2).tolist() == [[1.0] * 12] * 2


# --------------------------------------------------------------------------------------------
# One plan per rep
# --------------------------------------------------------------------------------------------

#: four plans that differ in every rule: period, mode, gate, cap, accelerator, draw, bonuses, charges
PLANS = [
    CommissionPlan([0, 20000], [0.03, 0.05], period="trimestre", gate=0.7, cap=4000, accelerator=1.3,
                   bonus_thresholds=[1.0], bonus_amounts=[500], draw=300, charge_rate=0.45),
    CommissionPlan([0, 8000, 15000], [0.02, 0.04, 0.06], mode="paliers", gate=0.8, draw=250, draw_recoverable=False,
                   bonus_thresholds=[1.0, 1.2], bonus_amounts=[200, 450], charge_rate=0.3),
    CommissionPlan([0, 150000], [0.015, 0.025], period="année", gate=0.5, cap=9000, accelerator=1.5, draw=400,
                   bonus_thresholds=[1.1], bonus_amounts=[3000]),
    CommissionPlan([0], [0.06], charge_rate=0.0),
]


def test_each_rep_is_paid_on_their_own_plan():
    rng = np.random.default_rng(8)
    which = [0, 1, 2, 3, 1, 0, 2, 2]
    n = len(which)
    bases = rng.uniform(0, 30000, (n, 12)).round(2)
    targets = np.full((n, 12), 15000.0)
    salaries = rng.uniform(24000, 42000, n).round(0)
    hires = ["2020-01-01", "2026-05-20", None, "2026-01-31", None, "2026-09-01", None, None]
    ends = [None, None, "2026-10-15", None, None, None, None, None]
    batch = compute_pay([PLANS[k] for k in which], bases, targets, salaries, hires, 2026, end_dates=ends)
    for i, k in enumerate(which):
        alone = compute_pay(PLANS[k], bases[i:i + 1], targets[i:i + 1], salaries[i:i + 1], hires[i:i + 1], 2026,
                            end_dates=ends[i:i + 1])
        for name in FIELDS:
            np.testing.assert_array_equal(getattr(batch, name)[i], getattr(alone, name)[0], err_msg=f"{i} {name}")
    # the plans really differ: yearly plan paid on the year to date, quarterly bonus in March only
    assert batch.commission[2].sum() == batch.commission_due_cum[2, -1]
    assert batch.bonus[0, [0, 1, 3, 4]].sum() == 0
    assert batch.draw_balance[1].sum() == 0 and batch.draw_balance[0, -1] >= 0


def test_the_same_plan_for_every_rep_is_the_one_plan_call():
    pay_one = _team_case("prorata du fixe")
    plan = CommissionPlan([0], [0.0], team_bonus_thresholds=[1.0, 1.2], team_bonus_amounts=[1200, 3000],
                          team_bonus_split="prorata du fixe", charge_rate=0)
    bases = np.array([[12000] * 12, [9000] * 12, [0] * 3 + [5000] * 9, [20000] * 12], dtype=float)
    pay_list = compute_pay([plan] * 4, bases, np.full((4, 12), 10000.0), [36000, 24000, 30000, 40000],
                           [None, None, "2026-04-01", None], 2026, teams=["Nord", "Nord", "Nord", ""])
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(pay_list, name), getattr(pay_one, name), err_msg=name)


def test_two_plan_team_pools_the_attainment_and_splits_by_each_plan():
    """A team of three on two plans, and a rep without a team.

    « Terrain » (monthly): 900 € to share pro rata of the fixed pay when the team reaches 100 %;
    « Junior » (quarterly): 400 € from 100 %, 1 000 € from 120 %, in equal parts among the members
    present. The team's attainment pools everyone's period-to-date figures, whatever their plan."""
    terrain = CommissionPlan([0], [0.05], team_bonus_thresholds=[1.0], team_bonus_amounts=[900],
                             team_bonus_split="prorata du fixe", charge_rate=0.45)
    junior = CommissionPlan([0], [0.04], period="trimestre", team_bonus_thresholds=[1.0, 1.2],
                            team_bonus_amounts=[400, 1000], team_bonus_split="parts égales", charge_rate=0.3)
    bases = np.array([[12000] * 12, [11000] * 12, [0] * 3 + [10000] * 9, [50000] * 12], dtype=float)
    targets = np.full((4, 12), 10000.0)
    salaries = [36000, 24000, 30000, 30000]  # 3 000, 2 000, 2 500 € a month
    hires = [None, None, "2026-04-01", None]
    pay = compute_pay([terrain, junior, terrain, junior], bases, targets, salaries, hires, 2026,
                      teams=["Nord", "Nord", "Nord", ""], reps=["A", "B", "C", "D"])
    # January: A 12 000 / 10 000 (month) + B 11 000 / 10 000 (quarter to date) = 115 %;
    # February: 12 000 + 22 000 / 10 000 + 20 000 = 113.33 %; March: 45 000 / 40 000 = 112.5 %
    assert pay.team_attainment[0, :3].tolist() == pay.team_attainment[1, :3].tolist() == [1.15, 1.1333, 1.125]
    # A (« Terrain », monthly) gets 900 × 3 000 / 5 000 every month; B (« Junior ») only in March,
    # 400 / 2 members present (C is hired in April)
    assert pay.team_pool[0, :3].tolist() == [900, 900, 900] and pay.team_pool[1, :3].tolist() == [0, 0, 400]
    assert pay.team_bonus[:3, :3].tolist() == [[540, 540, 540], [0, 0, 200], [0, 0, 0]]
    # June: A 12 000 / 10 000, B 33 000 / 30 000 (Q2), C 10 000 / 10 000 → 55 000 / 50 000 = 110 %;
    # A and C share 900 pro rata of 3 000 and 2 500; B gets 400 / 3 members present
    assert pay.team_attainment[0, 5] == 1.1
    assert pay.team_bonus[:3, 5].tolist() == [360, 133.33, 300]
    assert pay.team_bonus[:3, 4].tolist() == [360, 0, 300]  # May: not the end of B's quarter
    # D has no team: no team attainment, no team bonus, even far above target
    assert np.isnan(pay.team_attainment[3]).all() and pay.team_bonus[3].sum() == 0
    # commissions and employer cost on each rep's plan
    assert pay.commission[:, 0].tolist() == [600, 440, 0, 2000]  # 5 %, 4 %, —, 4 %
    assert pay.commission[1, 1] == 440 and pay.commission_due_cum[1, 2] == 1320  # quarter to date
    assert pay.gross[:, 2].tolist() == [3000 + 600 + 540, 2000 + 440 + 200, 0, 2500 + 2000]
    assert pay.employer_cost[:, 2].tolist() == [6003.0, 3432.0, 0, 5850.0]  # × 1.45, × 1.3, × 1.3


def test_plans_per_rep_errors_and_dicts():
    with pytest.raises(BadValueError, match="plans pour"):
        compute_pay([CommissionPlan()] * 3, np.zeros((2, 12)), np.zeros((2, 12)), [0, 0], year=2026)
    spec = {"tiers": [(0.0, 0.1)], "period": "month", "employer_charge_rate": 0.2}
    pay = compute_pay([spec, CommissionPlan([0], [0.05])], [[1000] * 12, [1000] * 12], np.zeros((2, 12)), [0, 0],
                      year=2026)
    assert pay.commission[:, 0].tolist() == [100, 50] and pay.employer_cost[:, 0].tolist() == [120, 71]
