"""Running a template's refresh on a workbook without Excel: the JSON Excel (Office.js) sends for a
book, read by ``xlwings.Book(json=…)`` in a child process (that path needs
``XLWINGS_LICENSE_KEY=noncommercial``, set for the child only)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl


def officejs_payload(book: str | os.PathLike | openpyxl.Workbook, name: str | None = None) -> dict:
    """The JSON Excel sends for ``book`` (a path or an open workbook): every sheet's used range of values."""
    if not isinstance(book, openpyxl.Workbook):
        name = name or Path(book).name
        book = openpyxl.load_workbook(book, data_only=False)
    import xlwings

    sheets = []
    for ws in book.worksheets:
        values = [["" if v is None else (v.isoformat() + ".000Z" if isinstance(v, (dt.date, dt.datetime)) else v)
                   for v in row] for row in ws.iter_rows(values_only=True)]
        sheets.append({"name": ws.title, "values": values or [[""]], "pictures": [], "tables": [], "shapes": []})
    return {"client": "Office.js", "version": xlwings.__version__, "names": [],
            "book": {"name": name or "classeur.xlsx", "active_sheet_index": 0, "selection": "A1"}, "sheets": sheets}


def run_live(script: str, env_extra: dict | None = None) -> dict:
    """Run ``script`` in a child Python; its last printed line is JSON, returned decoded."""
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", **(env_extra or {}))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
