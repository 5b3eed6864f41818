"""Recalculate a workbook with LibreOffice (headless), the project's independent formula engine.

LibreOffice does not recalculate xlsx formulas on load by default; a private profile forces it
(``OOXMLRecalcMode`` = 0, "always"). Each call uses its own profile, so calls may run in parallel.
The output file is for reading values only (LibreOffice rewrites formulas): never ship it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

__all__ = ["find_soffice", "recalculate", "recalculated_workbook", "error_cells", "LibreOfficeError"]

EXCEL_ERROR_VALUES = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "Err:")

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing or could not convert the file."""


def find_soffice() -> str | None:
    """Path of the ``soffice`` executable, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


def recalculate(path: str | os.PathLike, outdir: str | os.PathLike | None = None,
                *, to: str = "xlsx", timeout: float = 300) -> Path:
    """Open ``path`` in LibreOffice, recalculate every formula and save a copy in ``outdir``.

    Parameters
    ----------
    path : path-like
        The workbook (.xlsx or .xlsm).
    outdir : path-like, optional
        Where to write the copy (default: a new temporary folder).
    to : str
        Output filter: ``"xlsx"`` (values to read back) or ``"pdf"`` (to look at the pages).

    Returns
    -------
    Path
        The recalculated copy.
    """
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError("LibreOffice (soffice) introuvable : installez le paquet libreoffice-calc")
    source = Path(path).resolve()
    outdir = Path(outdir or tempfile.mkdtemp(prefix="xlsales-recalc-")).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlsales-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault",
            "--convert-to", to, "--outdir", str(outdir), str(source),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    result = outdir / (source.stem + "." + to)
    if not result.exists():
        raise LibreOfficeError(
            f"LibreOffice n'a pas pu recalculer {source.name} : {completed.stderr.strip() or completed.stdout.strip()}"
        )
    return result


def recalculated_workbook(path: str | os.PathLike, outdir: str | os.PathLike | None = None):
    """Recalculate ``path`` and load the values (openpyxl, ``data_only=True``)."""
    import openpyxl

    recalculated = recalculate(path, outdir)
    with warnings.catch_warnings():  # LibreOffice's conditional-format extensions, which only values need not read
        warnings.filterwarnings("ignore", message=".*extension is not supported", module="openpyxl")
        return openpyxl.load_workbook(recalculated, data_only=True)


def error_cells(path: str | os.PathLike, outdir: str | os.PathLike | None = None) -> list[tuple[str, str, str]]:
    """Recalculate ``path`` and list the cells that show an error: (sheet, cell, value)."""
    book = recalculated_workbook(path, outdir)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(EXCEL_ERROR_VALUES):
                    found.append((sheet.title, cell.coordinate, value))
    return found
