"""xlsales benchmarks: prints each figure (seconds are wall-clock, best of a few runs).

Run: ``python bench/run.py`` (all), or ``python bench/run.py udf tour`` for some of them.
Detailed scripts: ``bench/udf_classic.py`` (a UDF through classic xlwings' ``call_udf``), ``bench/forecast_auto.py`` (accuracy on public series), ``bench/commissions.py``,
``bench/dashboard_scale.py`` (the dashboard on 1 M and 10 M sales lines; the CSV files are made once).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np


def best_of(function, repeats: int = 5) -> float:
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def bench_udf() -> list[tuple[str, str]]:
    """A ranged UDF call as Excel makes it: lists of rows in, lists of rows out; and with numpy arrays
    in (what xlwings' ``np.array`` converter hands)."""
    from xlsales.core import margin_rate
    from xlsales.udfs import MARGIN_RATE

    rows = []
    rng = np.random.default_rng(0)
    for n in (100_000, 1_000_000):
        price = rng.uniform(10, 100, n)
        cost = rng.uniform(5, 50, n)
        cost[::1000] = 0.0  # one #DIV/0! every 1 000 rows
        price_cells = price.reshape(-1, 1).tolist()
        cost_cells = cost.reshape(-1, 1).tolist()
        udf = best_of(lambda: MARGIN_RATE(price_cells, cost_cells), 3)
        price_array, cost_array = price.reshape(-1, 1), cost.reshape(-1, 1)
        arrays = best_of(lambda: MARGIN_RATE(price_array, cost_array), 3)
        core = best_of(lambda: margin_rate(price, cost), 5)
        count = f"{n:,}".replace(",", " ")
        rows.append((f"MARGIN_RATE UDF, {count} rows (cell lists in and out)", f"{udf:.3f} s"))
        rows.append((f"MARGIN_RATE UDF, {count} rows (numpy arrays in, cell lists out)", f"{arrays:.3f} s"))
        rows.append((f"margin_rate core, {count} rows (numpy)", f"{core * 1000:.1f} ms"))
    # end to end through classic xlwings (its per-cell cleaning included), in a child process: the
    # pywin32 stand-ins it installs must not leak into the other benchmarks
    import subprocess
    from pathlib import Path

    child = subprocess.run([sys.executable, str(Path(__file__).with_name("udf_classic.py"))],
                           capture_output=True, text=True, check=True)
    rows += [tuple(line.split("\t")) for line in child.stdout.splitlines() if "\t" in line]
    return rows


def bench_seasonal() -> list[tuple[str, str]]:
    """SEASONAL_FORECAST for 10 000 series × 36 months against a per-series statsmodels loop."""
    from statsmodels.tsa.seasonal import seasonal_decompose

    from xlsales.core import seasonal_forecast

    rng = np.random.default_rng(1)
    season = np.tile(1 + 0.3 * np.sin(np.arange(12) / 12 * 2 * np.pi), 3)
    y = (100 + rng.uniform(0, 3, (10_000, 1)) * np.arange(36)) * season * rng.uniform(0.95, 1.05, (10_000, 36))
    vectorised = best_of(lambda: seasonal_forecast(y, 12, 12, "moving_average"), 3)
    sample = 500

    def loop():
        for row in y[:sample]:
            seasonal = seasonal_decompose(row, model="multiplicative", period=12).seasonal
            slope, intercept = np.polyfit(np.arange(1, 37), row / seasonal, 1)
            (slope * np.arange(37, 49) + intercept) * seasonal[:12]

    per_series = best_of(loop, 2) / sample
    loop_total = per_series * len(y)
    return [
        ("SEASONAL_FORECAST, 10 000 series × 36 months (numpy, all at once)", f"{vectorised:.3f} s"),
        ("same with a statsmodels loop (measured on 500 series, scaled)", f"{loop_total:.2f} s"),
        ("speed-up", f"{loop_total / vectorised:.0f}×"),
    ]


def bench_tour() -> list[tuple[str, str]]:
    from xlsales.core import tour

    rng = np.random.default_rng(2024)
    rows = []
    for n in (10, 50, 200):
        lat = rng.uniform(43.0, 50.0, n)
        lon = rng.uniform(-1.0, 7.0, n)
        rows.append((f"TOUR, {n} points", f"{best_of(lambda: tour(lat, lon), 3):.3f} s"))
    return rows


def bench_forecast_auto() -> list[tuple[str, str]]:
    from xlsales.core import forecast_auto

    rng = np.random.default_rng(3)
    t = np.arange(180)
    y = (1000 + 4 * t) * (1 + 0.25 * np.sin(2 * np.pi * t / 12)) * rng.uniform(0.93, 1.07, 180)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds = best_of(lambda: forecast_auto(y, 12, 12), 3)
    return [("FORECAST_AUTO, 15 years of monthly data, horizon 12", f"{seconds:.3f} s")]


def bench_commissions() -> list[tuple[str, str]]:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_commissions", Path(__file__).with_name("commissions.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seconds = module.main(10_000, 3)
    return [("commissions, 10 000 reps × 12 months (compute_pay)", f"{seconds:.3f} s")]


def _bench_module(name: str):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_dashboard() -> list[tuple[str, str]]:
    """xlsales dashboard on 1 000 000 sales lines beside the floor (bench/dashboard_scale.py)."""
    return _bench_module("dashboard_scale").bench_lines(1_000_000)


def bench_beyond_excel() -> list[tuple[str, str]]:
    """xlsales dashboard on 10 000 000 sales lines: aggregated with polars (bench/dashboard_scale.py)."""
    return _bench_module("dashboard_scale").bench_beyond(10_000_000)


BENCHES = {
    "udf": bench_udf,
    "seasonal": bench_seasonal,
    "tour": bench_tour,
    "forecast_auto": bench_forecast_auto,
    "commissions": bench_commissions,
    "dashboard": bench_dashboard,
    "beyond_excel": bench_beyond_excel,
}


def main(names: list[str]) -> None:
    names = names or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)} (choose from {', '.join(BENCHES)})")
    results = []
    for name in names:
        print(f"… {name}", file=sys.stderr, flush=True)
        results.extend(BENCHES[name]())
    width = max(len(label) for label, _ in results)
    for label, value in results:
        print(f"{label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main(sys.argv[1:])
