"""The dashboard at scale: time and peak memory of ``xlsales dashboard`` on 1 000 000 sales lines,
beside the floor measured in the same run, and on 10 000 000 lines (beyond Excel's row limit:
aggregated with polars).

Floor: read the same CSV with the fastest reader at hand (polars, multi-threaded, French numbers
and dates parsed in polars) and write the same rows with XlsxWriter in constant-memory mode, one
typed call per cell. Goals: dashboard ≤ 1.5 × the floor and ≤ 2 GB; 10 M lines ≤ 60 s.

Each measure runs in a fresh Python process, which reports its wall time and its peak resident
memory (``resource.getrusage``). The CSV files are made once with ``xlsales.sample.write_sample_data``
and kept in ``$XLSALES_BENCH_DIR`` (default: a folder of the system's temporary directory).

Run: ``python bench/dashboard_scale.py [lines ...]`` (default 1000000 10000000).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(os.environ.get("XLSALES_BENCH_DIR", Path(tempfile.gettempdir()) / "xlsales-bench"))

_CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
kind, csv, out, targets = sys.argv[1:5]
if kind == "floor":
    import datetime as dt
    import polars as pl
    import xlsxwriter
    frame = pl.read_csv(csv, separator=";", infer_schema=False)
    names = frame.columns
    number = lambda c: (pl.col(c).str.replace_all(r"[\s\u00a0\u202f€%]", "").str.replace(",", ".")
                        .cast(pl.Float64, strict=False))
    frame = frame.with_columns(pl.col(names[0]).str.to_date("%d/%m/%Y", strict=False),
                               *(number(c) for c in names[9:12]), number(names[12]) / 100)
    read = time.perf_counter() - start
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Ventes")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    for j, name in enumerate(names):
        sheet.write_string(0, j, name)
    kinds = ["date"] + ["text"] * 8 + ["number"] * 4 + ["text"] * (len(names) - 13)
    columns = [s.to_list() for s in frame.get_columns()]
    del frame
    for i, row in enumerate(zip(*columns), start=1):
        for j, value in enumerate(row):
            if value is None:
                continue
            kind = kinds[j]
            if kind == "text":
                sheet.write_string(i, j, value)
            elif kind == "number":
                sheet.write_number(i, j, value, money)
            else:
                sheet.write_datetime(i, j, value, date_format)
    book.close()
else:
    from xlsales.cli import app
    read = float("nan")
    app(["dashboard", csv, "--targets", targets, "-o", out, "--force"], standalone_mode=False)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "read": read, "peak": peak}))
"""


def sample_csv(lines: int) -> tuple[Path, Path]:
    """The sample company's sales (and targets) CSV of ``lines`` lines, made once."""
    from xlsales.sample import write_sample_data

    folder = BENCH_DIR / f"sample-{lines}"
    sales, targets = folder / "ventes.csv", folder / "objectifs.csv"
    if not (sales.exists() and targets.exists()):
        print(f"… writing the sample company's {lines:,} sales lines".replace(",", " "), file=sys.stderr, flush=True)
        write_sample_data(folder, lines=lines, force=True)
    return sales, targets


def measure(kind: str, csv: Path, targets: Path) -> dict:
    out = BENCH_DIR / f"{kind}-{csv.parent.name}.xlsx"
    done = subprocess.run([sys.executable, "-c", _CHILD, kind, str(csv), str(out), str(targets)],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["size"] = out.stat().st_size
    out.unlink()
    return result


def _fmt(result: dict) -> str:
    return f"{result['seconds']:.1f} s / {result['peak'] / 1e6:,.0f} MB".replace(",", " ")


def bench_lines(lines: int = 1_000_000) -> list[tuple[str, str]]:
    """Dashboard from ``lines`` sales lines beside the floor (read + XlsxWriter write of the same rows)."""
    csv, targets = sample_csv(lines)
    n = f"{lines:,}".replace(",", " ")
    print(f"… dashboard, {n} lines", file=sys.stderr, flush=True)
    dash = measure("dashboard", csv, targets)
    print(f"… floor, {n} lines", file=sys.stderr, flush=True)
    floor = measure("floor", csv, targets)
    return [
        (f"dashboard, {n} sales lines (xlsales dashboard, CSV → xlsx)", _fmt(dash)),
        (f"floor: polars read ({floor['read']:.1f} s) + XlsxWriter constant_memory write, same rows", _fmt(floor)),
        ("dashboard / floor (time)", f"{dash['seconds'] / floor['seconds']:.2f}×"),
    ]


def bench_beyond(lines: int = 10_000_000) -> list[tuple[str, str]]:
    """Dashboard from more lines than a sheet holds: aggregated with polars (goal ≤ 60 s)."""
    csv, targets = sample_csv(lines)
    n = f"{lines:,}".replace(",", " ")
    print(f"… dashboard, {n} lines (aggregated)", file=sys.stderr, flush=True)
    dash = measure("dashboard", csv, targets)
    return [(f"dashboard, {n} sales lines (aggregated with polars)", _fmt(dash))]


def main(args: list[str]) -> None:
    sizes = [int(a) for a in args] or [1_000_000, 10_000_000]
    rows = []
    for lines in sizes:
        rows += bench_lines(lines) if lines <= 1_048_575 else bench_beyond(lines)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>16}")


if __name__ == "__main__":
    main(sys.argv[1:])
