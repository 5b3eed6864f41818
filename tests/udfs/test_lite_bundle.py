"""The xlwings Lite bundle (lite/main.py, lite/requirements.txt).

* The committed files are what ``python -m xlsales.lite`` generates from the package today.
* ``main.py`` is self-contained: in an interpreter where the installed ``xlsales`` cannot be
  imported (as in xlwings Lite), with the Office.js decorators that Lite uses, ``import main``
  works, every Excel function is a member of ``main`` registered once, and calls give the values
  that ``xlsales.udfs`` gives.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import xlsales
from xlsales import lite
from xlsales.udfs import UDF_REGISTRY

from ._xlwings_runtimes import (
    LITE_DIR,
    as_cells,
    direct_args,
    run_runtime,
    sample_calls,
    udf_signatures,
)

NAMES = sorted(UDF_REGISTRY)
PACKAGE = Path(xlsales.__file__).resolve().parent
REGENERATE = "lite/ is out of date: run `python -m xlsales.lite` and commit lite/main.py and lite/requirements.txt"

SPECIFIC_CALLS = [
    {"func": "MARGIN_RATE", "args": [[[120]], [[100]]]},
    {"func": "MARGIN_RATE", "args": [[[120]], [[0]]]},
    {"func": "PRICE_TTC", "args": [[["1 234,50"]], None]},
    {"func": "INVOICE", "args": [[[1000]], [[0.1], [0.05]], None, [[0.02]], None]},
]
CALLS = SPECIFIC_CALLS + sample_calls(udf_signatures(UDF_REGISTRY))


def _embedded(main_py: str) -> dict[str, tuple[bool, str]]:
    """The ``_SOURCES`` literal of a generated main.py."""
    for node in ast.parse(main_py).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_SOURCES":
            return ast.literal_eval(node.value)
    raise AssertionError("no _SOURCES in main.py")


def _imported_udfs(main_py: str) -> list[str]:
    for node in ast.parse(main_py).body:
        if isinstance(node, ast.ImportFrom) and node.module == "xlsales.udfs":
            return [alias.name for alias in node.names]
    raise AssertionError("main.py does not import from xlsales.udfs")


@pytest.fixture(scope="module")
def rendered():
    return lite.render_bundle()


# ----------------------------------------------------------------------------- generation


def test_committed_bundle_is_up_to_date(rendered):
    stale = [
        name
        for name in ("main.py", "requirements.txt")
        if not (LITE_DIR / name).exists() or (LITE_DIR / name).read_text(encoding="utf-8") != rendered[name]
    ]
    assert stale == [], REGENERATE


def test_generation_is_deterministic(rendered):
    again = lite.render_bundle()
    assert again == rendered
    keys = list(_embedded(rendered["main.py"]))
    assert keys == sorted(keys)


def test_write_lite_bundle_and_cli_write_the_same_files(tmp_path, rendered, capsys):
    written = lite.write_lite_bundle(tmp_path / "a")
    assert sorted(p.name for p in written) == ["main.py", "requirements.txt"]
    assert lite.main([str(tmp_path / "b")]) == 0
    assert "main.py" in capsys.readouterr().out
    for name, text in rendered.items():
        assert (tmp_path / "a" / name).read_bytes() == text.encode("utf-8")
        assert (tmp_path / "b" / name).read_bytes() == text.encode("utf-8")


def test_bundle_embeds_the_functions_and_what_the_buttons_need(rendered):
    embedded = _embedded(rendered["main.py"])
    expected = {"xlsales": PACKAGE / "__init__.py", "xlsales.io": PACKAGE / "io.py"}
    for sub in lite.BUNDLED_SUBPACKAGES:
        expected[f"xlsales.{sub}"] = PACKAGE / sub / "__init__.py"
        for path in (PACKAGE / sub).glob("*.py"):
            if path.name != "__init__.py" and f"{sub}/{path.name}" not in lite.EXCLUDED_FILES:
                expected[f"xlsales.{sub}.{path.stem}"] = path
    assert {"xlsales.core", "xlsales.udfs", "xlsales.sheets", "xlsales.macros"} <= set(expected)
    assert set(embedded) == set(expected)
    for name, path in expected.items():
        is_package, source = embedded[name]
        assert is_package is (path.name == "__init__.py"), name
        assert source == path.read_text(encoding="utf-8"), f"{name} differs from {path}"
    for excluded in ("xlsales.cli", "xlsales.lite", "xlsales.recalc", "xlsales.sample", "xlsales.templates",
                     "xlsales.sheets.render_openpyxl", "xlsales.sheets.render_xlsxwriter"):
        assert not any(m == excluded or m.startswith(excluded + ".") for m in embedded)


def test_every_template_button_is_a_lite_script(rendered):
    from xlsales.templates import LITE_SCRIPTS, TEMPLATES

    tree = ast.parse(rendered["main.py"])
    scripts = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)
               and any(getattr(d, "id", "") == "script" for d in node.decorator_list)}
    assert set(scripts) == {LITE_SCRIPTS[name] for name in TEMPLATES}
    for name, (module, _, _) in TEMPLATES.items():
        assert f"from {module} import refresh" in ast.unparse(scripts[LITE_SCRIPTS[name]])
    assert "python_calamine" not in rendered["requirements.txt"] and "xlsxwriter" not in rendered["requirements.txt"]


def test_dashboard_button_runs_as_a_lite_script_from_the_bundle(rendered, tmp_path):
    import openpyxl
    import xlwings

    from xlsales.macros.dashboard import build_dashboard
    from xlsales.sample import make_sample_company
    from xlsales.sheets.render_xlsxwriter import write_book

    (tmp_path / "main.py").write_text(rendered["main.py"], encoding="utf-8")
    company = make_sample_company(lines=300)
    write_book(build_dashboard(company.sales, company.targets)[0], tmp_path / "tdb.xlsx")
    sheets = []
    for ws in openpyxl.load_workbook(tmp_path / "tdb.xlsx").worksheets:
        rows = [["" if v is None else (v.isoformat() + ".000Z" if hasattr(v, "isoformat") else v) for v in row]
                for row in ws.iter_rows(values_only=True)]
        sheets.append({"name": ws.title, "values": rows or [[""]], "pictures": [], "tables": [], "shapes": []})
    payload = {"client": "Office.js", "version": xlwings.__version__, "names": [],
               "book": {"name": "tdb.xlsx", "active_sheet_index": 0, "selection": "A1"}, "sheets": sheets}
    answer = run_runtime("lite", {"lite_dir": str(tmp_path), "calls": [],
                                  "script": {"name": "actualiser_tableau_de_bord", "payload": payload}})
    assert answer["importable_before"] is False
    script = answer["script"]
    assert {"Tableau de bord", "ABC", "Tendance", "Concentration"} <= set(script["touched"])
    assert not {"Ventes", "Objectifs", "Paramètres"} & set(script["touched"])
    assert {"addSheet", "setFormula", "addChart"} <= set(script["funcs"])
    assert all(origin.startswith("<xlsales-lite>/") for origin in script["modules"].values())


def test_main_imports_every_udf_by_name(rendered):
    assert _imported_udfs(rendered["main.py"]) == NAMES
    header = rendered["main.py"].split("_SOURCES = {", 1)[0]
    assert "from xlwings import arg, func, ret, script" in header
    assert "python -m xlsales.lite" in header
    compile(rendered["main.py"], "main.py", "exec")


def test_requirements_list_what_the_core_imports(rendered):
    lines = rendered["requirements.txt"].splitlines()
    import xlwings

    assert lines[0] == f"xlwings=={xlwings.__version__}"
    needed = lite.third_party_imports(lite.bundle_sources())
    assert "numpy" in needed
    assert [lite.DISTRIBUTION_NAMES.get(n, n) for n in needed] == lines[1:]
    assert lite.unknown_to_pyodide(rendered["requirements.txt"]) == [], "not available in Pyodide (xlwings Lite)"


def test_third_party_imports_sees_lazy_and_dotted_imports():
    source = (
        "import os\nimport numpy as np\nfrom scipy.stats import norm\nfrom . import x\n"
        "def f():\n    import statsmodels.api as sm\n    from xlsales.core import y\n"
        "def g():\n    try:\n        from threadpoolctl import threadpool_limits\n"
        "    except ImportError:\n        return None\n"
        "try:\n    import pandas\nexcept (ModuleNotFoundError, OSError):\n    pandas = None\n"
        "try:\n    import polars\nexcept ValueError:\n    pass\n"
    )
    sources = {"m": (False, source)}
    assert lite.third_party_imports(sources) == ["numpy", "polars", "scipy", "statsmodels"]


@pytest.mark.parametrize(
    "text",
    ["plain", "a 'quote' and \"quotes\"", "triple ''' inside", "ends with \\", "raw \\d+ regex", "cr\r\nlf", "é — ∑"],
)
def test_string_literal_round_trips(text):
    assert ast.literal_eval(lite._string_literal(text)) == text


# ----------------------------------------------------------------------------- in "xlwings Lite"


@pytest.fixture(scope="module")
def lite_run(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("lite")
    lite.write_lite_bundle(outdir)
    return run_runtime("lite", {"calls": CALLS, "lite_dir": str(outdir), "rerun": True})


def test_installed_xlsales_is_not_importable_there(lite_run):
    assert lite_run["importable_before"] is False


def test_xlsales_comes_from_the_bundle(lite_run):
    assert lite_run["xlsales_loader"] == "_XlsalesBundle"
    modules = lite_run["xlsales_modules"]
    assert "xlsales.udfs" in modules and "xlsales.core" in modules
    assert all(str(f).startswith("<xlsales-lite>/") for f in modules.values()), modules
    assert not any(m.startswith(("xlsales.cli", "xlsales.io", "xlsales.sheets")) for m in modules)


def test_every_udf_is_a_member_of_main_once(lite_run):
    assert lite_run["members"] == NAMES
    assert lite_run["registry"] == NAMES
    ids = [f["id"] for f in lite_run["meta"]["functions"]]
    assert sorted(ids) == NAMES and len(set(ids)) == len(ids)


@pytest.mark.parametrize("name", NAMES)
def test_metadata_in_lite(lite_run, name):
    udf = UDF_REGISTRY[name]
    function = next(f for f in lite_run["meta"]["functions"] if f["id"] == name)
    assert function["description"] == udf.__doc__
    params = list(inspect.signature(udf).parameters.values())
    assert [p["name"] for p in function["parameters"]] == [p.name for p in params]
    assert [p["description"] for p in function["parameters"]] == list(udf.__xlsales_arg_docs__.values())
    assert [p.get("optional", False) for p in function["parameters"]] == [
        p.default is not inspect.Parameter.empty for p in params
    ]


def test_specific_calls_in_lite(lite_run):
    values = [c["value"] if c["ok"] else c["error"] for c in lite_run["calls"][: len(SPECIFIC_CALLS)]]
    assert values[0] == [[pytest.approx(0.2)]]
    assert values[1] == [[{"type": "Error", "errorType": "Div0"}]]
    assert values[2] == [[pytest.approx(1234.5 * 1.2)]]
    assert values[3][-1] == ["Net à payer TTC", pytest.approx(1000 * 0.9 * 0.95 * 0.98 * 1.2)]


@pytest.mark.parametrize("kind", ["scalars", "ranges", "columns"])
@pytest.mark.parametrize("name", NAMES)
def test_lite_gives_the_value_of_xlsales_udfs(lite_run, name, kind):
    index = next(i for i, c in enumerate(CALLS) if c["func"] == name and c.get("kind") == kind)
    result = lite_run["calls"][index]
    assert result["ok"], f"{name} raised in the Lite bundle:\n{result.get('error')}"
    expected = as_cells(UDF_REGISTRY[name](*direct_args(CALLS[index], "officejs")), "officejs")
    assert result["value"] == expected


def test_running_main_again_still_works(lite_run):
    # xlwings Lite runs main.py again after each edit of the code
    assert lite_run["meta_after_rerun"] == lite_run["meta"]
    assert lite_run["calls_after_rerun"] == lite_run["calls"]


def test_uncommitted_sources_are_reported(tmp_path):
    import subprocess

    package = tmp_path / "repo" / "xlsales"
    for name in ("__init__.py", "core/__init__.py", "udfs/__init__.py", "cli.py"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("x = 1\n", encoding="utf-8")
    assert lite.uncommitted_sources(package) == []  # not a git checkout
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=package.parent, check=True)
    subprocess.run([*git, "add", "."], cwd=package.parent, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "init"], cwd=package.parent, check=True)
    assert lite.uncommitted_sources(package) == []
    (package / "core" / "__init__.py").write_text("x = 2\n", encoding="utf-8")
    (package / "cli.py").write_text("x = 2\n", encoding="utf-8")  # not bundled
    assert lite.uncommitted_sources(package) == ["xlsales/core/__init__.py"]
