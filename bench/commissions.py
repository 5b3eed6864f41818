"""Time of :func:`xlsales.core.payplan.compute_pay` for a large sales team (goal: 10 000 reps × 12
months in at most 1 s).

Run: ``python bench/commissions.py [reps] [repeats]``. The plan uses every rule at once (progressive
tiers, yearly period paid monthly, gate, cap, accelerator, bonus grid, recoverable draw, team bonus
pro rata of the fixed pay, mid-year hires), so the figure is the slowest path.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from xlsales.core.payplan import CommissionPlan, compute_pay


def main(reps: int = 10_000, repeats: int = 5) -> float:
    rng = np.random.default_rng(1)
    base = rng.gamma(4.0, 6000.0, (reps, 12)).round(2)
    targets = np.full((reps, 12), 22000.0)
    salary = rng.uniform(28000, 45000, reps).round(0)
    hire = np.where(rng.random(reps) < 0.1, "2026-06-10", "2015-01-01")
    teams = [f"E{i % 250:03d}" for i in range(reps)]
    plan = CommissionPlan(
        thresholds=[0, 150000, 250000], rates=[0.02, 0.03, 0.045], mode="progressive", period="year",
        gate=0.8, cap=20000, accelerator=1.5, bonus_thresholds=[1.0, 1.1, 1.2], bonus_amounts=[1000, 2000, 3000],
        draw=600, draw_recoverable=True, team_bonus_thresholds=[1.0], team_bonus_amounts=[5000],
        team_bonus_split="salary", charge_rate=0.42,
    )
    compute_pay(plan, base[:10], targets[:10], salary[:10], hire[:10], 2026, teams=teams[:10])  # warm-up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        result = compute_pay(plan, base, targets, salary, hire, 2026, teams=teams)
        best = min(best, time.perf_counter() - start)
    gross = result.gross.sum()
    print(f"compute_pay: {reps:,} reps × 12 months in {best * 1000:.0f} ms (best of {repeats}); "
          f"total gross {gross:,.2f} €".replace(",", " "))
    return best


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
