"""MARGIN_RATE over a column of cells, end to end through classic xlwings' own ``call_udf``.

What Excel on Windows runs: pywin32 hands the ranges over as tuples of rows, xlwings cleans every
cell (error codes, dates), calls the UDF, then prepares every result cell for COM. pywin32 is
replaced by the stand-ins of the test suite (``tests/udfs/_xlwings_runtimes.py``), so this runs on
Linux; COM's own marshalling is not counted.

Run: ``python bench/udf_classic.py`` (a child process of ``bench/run.py udf``).
"""

from __future__ import annotations

import ctypes
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "udfs"))


def main() -> None:
    import _xlwings_runtimes as runtimes

    runtimes._install_classic_standins()
    import numpy as np
    import xlwings

    with mock.patch.object(ctypes, "PyDLL", mock.MagicMock(name="PyDLL")):
        from xlwings import _xlwindows
    import xlwings.udfs as classic

    xlwings._xlwindows = _xlwindows
    xlwings.engines.add(xlwings.main.Engine(impl=_xlwindows.engine))
    xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret
    import xlsales.udfs as udfs

    rng = np.random.default_rng(0)
    for n in (100_000, 1_000_000):
        price = tuple((x,) for x in rng.uniform(10, 100, n).tolist())
        cost = tuple((x,) for x in rng.uniform(5, 50, n).tolist())
        total = inside = np.inf
        for _ in range(3):
            start = time.perf_counter()
            classic.call_udf("xlsales.udfs", "MARGIN_RATE", (price, cost), None, None)
            total = min(total, time.perf_counter() - start)
            cells = [list(row) for row in price], [list(row) for row in cost]  # what xlwings hands over
            start = time.perf_counter()
            udfs.MARGIN_RATE(*cells)
            inside = min(inside, time.perf_counter() - start)
        count = f"{n:,}".replace(",", " ")
        print(f"MARGIN_RATE through classic xlwings call_udf, {count} rows\t{total:.3f} s")
        print(f"  of which xlsales (conversion, core, result cells), {count} rows\t{inside:.3f} s")


if __name__ == "__main__":
    main()
