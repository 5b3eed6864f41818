"""Macro-enabled templates: xlwings' VBA kept byte for byte, the button, the .py beside, and the
button's work done live on the JSON Excel sends (xlwings' Office.js book), inputs untouched."""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile

import openpyxl
import pytest

from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from xlsales.templates import MACRO, TEMPLATES, build_template, quickstart_vba_project

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

NAMES = list(TEMPLATES)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    return folder, {name: build_template(name, folder, company) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_vba_project_is_xlwings_quickstart_byte_for_byte(built, name):
    _, paths = built
    with zipfile.ZipFile(paths[name]) as archive:
        assert archive.read("xl/vbaProject.bin") == quickstart_vba_project()
        content_types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types
    assert quickstart_vba_project()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE file


@pytest.mark.parametrize("name", NAMES)
def test_vba_modules_seen_by_oletools(built, name):
    from oletools.olevba import VBA_Parser

    _, paths = built
    parser = VBA_Parser(str(paths[name]))
    modules = {vba_filename: code for _, _, vba_filename, code in parser.extract_macros()}
    parser.close()
    assert {"xlwings.bas", "Module1.bas"} <= set(modules)
    assert f"Sub {MACRO}()" in modules["Module1.bas"]
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in modules["Module1.bas"]
    import xlwings

    assert f'xlwings{64}-{xlwings.__version__}.dll' in modules["xlwings.bas"]


@pytest.mark.parametrize("name", NAMES)
def test_button_runs_the_macro_and_conf_sheet(built, name):
    _, paths = built
    with zipfile.ZipFile(paths[name]) as archive:
        vml = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/drawings/vmlDrawing")]
        workbook_xml = archive.read("xl/workbook.xml").decode()
    assert any(f"<x:FmlaMacro>[0]!{MACRO}</x:FmlaMacro>" in v and "Mettre à jour" in v for v in vml)
    assert 'codeName="ThisWorkbook"' in workbook_xml
    wb = openpyxl.load_workbook(paths[name], keep_vba=True)
    assert wb.sheetnames[0] == "Accueil" and wb.sheetnames[-1] == "xlwings.conf"
    assert wb["Accueil"].sheet_properties.codeName == "Sheet1"
    assert wb["xlwings.conf"].sheet_properties.codeName == "Sheet2"
    conf = {row[0].value: row[1].value for row in wb["xlwings.conf"].iter_rows(max_col=2)}
    assert conf["UDF Modules"] == "xlsales.udfs" and conf["Interpreter_Win"] == "python"
    script = paths[name].with_suffix(".py").read_text(encoding="utf-8")
    assert "def main():" in script and f"from xlsales.macros.{name} import refresh" in script


@requires_libreoffice
@pytest.mark.parametrize("name", NAMES)
def test_template_recalculates_without_error(built, name, tmp_path):
    from xlsales.recalc import error_cells

    _, paths = built
    assert error_cells(paths[name], tmp_path) == []






def test_button_rebuilds_generated_sheets_and_keeps_inputs(built, tmp_path):
    """What the button does, run on the JSON of the workbook with the user's inputs changed."""
    folder, paths = built
    payload = officejs_payload(paths["dashboard"])
    ventes = next(s for s in payload["sheets"] if s["name"] == "Ventes")
    header = ventes["values"][0]
    new_line = list(ventes["values"][1])
    new_line[header.index("Commercial")] = "Zoé Nouvelle"  # a new rep typed by the user
    new_line[header.index("Client")] = "CL9999"
    ventes["values"].append(new_line)
    params = next(s for s in payload["sheets"] if s["name"] == "Paramètres")
    params["values"][2][1] = 2024  # the user chose to analyse 2024
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json, sys
import xlwings as xw
sys.path.insert(0, {str(folder)!r})
import dashboard  # the .py beside the template, as RunPython imports it
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
xw.Book.caller = staticmethod(lambda: book)
before = {{s.name: s.used_range.value for s in book.sheets if s.name in ("Ventes", "Objectifs", "Paramètres")}}
dashboard.main()
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
after = {{s.name: s.used_range.value for s in book.sheets if s.name in ("Ventes", "Objectifs", "Paramètres")}}
print(json.dumps({{
    "names": names,
    "inputs_unchanged": before == after,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "funcs": sorted({{a["func"] for a in actions}}),
    "dashboard_cells": [v for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == "Tableau de bord"
                        for row in a["values"] for v in row],
    "status": [a["values"][0][0] for a in actions if a["func"] == "setValues" and names[a["sheet_position"]] == "Accueil"],
}}, default=str))
"""
    result = run_live(script)
    assert result["inputs_unchanged"]
    assert not {"Ventes", "Objectifs", "Paramètres", "xlwings.conf"} & set(result["touched"])
    assert {"Tableau de bord", "ABC", "Tendance", "Concentration"} <= set(result["touched"])
    assert {"sheetDelete", "addSheet", "setFormula", "setNumberFormat", "addChart", "addConditionalFormat",
            "freezePaneAtRange"} <= set(result["funcs"])
    assert "Zoé Nouvelle" in result["dashboard_cells"]  # the new rep got its row
    assert any(isinstance(v, str) and v.startswith("=SUMIFS(Ventes[CA HT],Ventes[Commercial],$A") for v in result["dashboard_cells"])
    assert result["names"][0] == "Accueil" and result["names"][-1] == "xlwings.conf"
    assert len(result["status"]) == 1 and result["status"][0].startswith("Mis à jour le ")


def test_commissions_button_adds_a_rep_and_keeps_every_amount_typed(built, tmp_path):
    folder, paths = built
    payload = officejs_payload(paths["commissions"])
    team = next(s for s in payload["sheets"] if s["name"] == "Équipe")
    reps = sum(1 for row in team["values"][4:] if row and row[0] not in ("", None))  # below the header, row 4
    assert reps == 8  # the sample company's whole team, on its two plans
    new_rep = list(team["values"][4])
    new_rep[0] = "Zoé Nouvelle"
    team["values"].append(new_rep)
    saisie = next(s for s in payload["sheets"] if s["name"] == "Saisie")
    saisie["values"][5][2] = 12345.67  # January amount typed for the first rep
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json, sys
import xlwings as xw
sys.path.insert(0, {str(folder)!r})
import commissions
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
xw.Book.caller = staticmethod(lambda: book)
commissions.main()
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
saisie = [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == "Saisie"]
print(json.dumps({{"names": names, "saisie": saisie[0],
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}})}}, default=str))
"""
    result = run_live(script)
    assert not {"Paramètres", "Équipe", "xlwings.conf"} & set(result["touched"])
    assert result["names"][-1] == "xlwings.conf" and "Relevé Zoé Nouvelle" in result["names"]
    grid = result["saisie"]
    old = saisie["values"]
    assert grid[5][2] == 12345.67
    for r in range(6, 5 + reps):  # the other reps' amounts are kept, month by month
        assert grid[r][2:14] == old[r][2:14]
    added, team_row = 5 + reps, 5 + reps  # the new rep's row in « Saisie » (0-based) and in « Équipe » (1-based)
    assert grid[added][:1] == [f'=IF(Équipe!$A${team_row}="","",Équipe!$A${team_row})']
    assert grid[added][2:14] == [0.0] * 12


def test_training_plan_button_keeps_typed_dates_and_levels(built, tmp_path):
    folder, paths = built
    payload = officejs_payload(paths["training_plan"])
    interviews = next(s for s in payload["sheets"] if s["name"] == "Entretiens")
    interviews["values"][5][3] = "2024-05-13T00:00:00.000Z"  # last interview of the first rep, typed by the user
    skills = next(s for s in payload["sheets"] if s["name"] == "Compétences")
    skills["values"][5][1] = 0  # first rep, first skill: level lowered to 0
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json, sys
import xlwings as xw
sys.path.insert(0, {str(folder)!r})
import training_plan
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
xw.Book.caller = staticmethod(lambda: book)
training_plan.main()
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
def grid(name):
    return [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name][0]
print(json.dumps({{"entretiens": grid("Entretiens"), "besoins": grid("Besoins et actions"),
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}})}}, default=str))
"""
    result = run_live(script)
    assert not {"Compétences", "Catalogue", "Paramètres", "xlwings.conf"} & set(result["touched"])
    assert {"Écarts", "Besoins et actions", "Calendrier", "Budget", "Entretiens"} <= set(result["touched"])
    serial = (dt.date(2024, 5, 13) - dt.date(1899, 12, 30)).days
    assert result["entretiens"][5][3] == serial
    first_rep, first_skill = skills["values"][5][0], skills["values"][3][1]
    assert [first_rep, first_skill] in [row[:2] for row in result["besoins"]]
