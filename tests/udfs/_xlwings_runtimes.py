"""Run the Excel functions under the real xlwings runtimes, each in a fresh interpreter.

Importing :mod:`xlsales.udfs` once per runtime (classic decorators, Office.js decorators, the
Lite bundle) would pollute ``sys.modules`` of the test session, so each runtime runs in a child
process. This file is both:

* a helper for the tests: :func:`run_runtime` starts the child and returns its JSON answer;
* the child: ``python _xlwings_runtimes.py MODE`` reads a JSON request on stdin and prints a
  JSON answer on stdout. ``MODE`` is ``classic``, ``officejs`` or ``lite``.

Cell values cross the process boundary as JSON, with three tags: ``{"$date": "2024-03-01"}``
(a date cell), ``{"$missing": true}`` (an argument left out of the formula) and
``{"$error": "#DIV/0!"}`` (a cell showing an error). Each child turns them into what its runtime
really hands over (pywin32 values for classic, Office.js JSON for the others).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SRC = ROOT / "src"
LITE_DIR = ROOT / "lite"

#: What Excel sends for an argument left out of the formula (classic: VBA's "missing" Variant).
CLASSIC_MISSING = -2147352572
#: Error cells as pywin32 hands them to Python (classic).
CLASSIC_ERRORS = {
    "#DIV/0!": -2146826281,
    "#N/A": -2146826246,
    "#NAME?": -2146826259,
    "#NULL!": -2146826288,
    "#NUM!": -2146826252,
    "#REF!": -2146826265,
    "#VALUE!": -2146826273,
}
OFFICEJS_ERROR_TYPES = {
    "#DIV/0!": "Div0",
    "#N/A": "NotAvailable",
    "#NUM!": "Num",
    "#VALUE!": "Value",
    "#NAME?": "Name",
    "#NULL!": "Null",
    "#REF!": "Ref",
}


# --------------------------------------------------------------------------- parent side


def run_runtime(mode: str, request: dict | None = None, *, timeout: float = 300) -> dict:
    """Run the child for ``mode`` with ``request`` and return its answer (a dict).

    Fails the calling test with the child's stderr if the child does not answer.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "PYTHONPATH"))}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    if mode in ("officejs", "lite"):
        env["XLWINGS_LICENSE_KEY"] = "noncommercial"
    # -I: no PYTHONPATH, no user site, no script directory on sys.path (the child decides).
    cmd = [sys.executable, "-I", str(Path(__file__).resolve()), mode]
    proc = subprocess.run(
        cmd,
        check=False,
        input=json.dumps(request or {}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=str(ROOT),
        timeout=timeout,
    )
    marker = "@@XLSALES-ANSWER@@"
    if proc.returncode != 0 or marker not in proc.stdout:
        raise AssertionError(
            f"{mode} runtime child failed (exit {proc.returncode}):\n"
            f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-8000:]}"
        )
    return json.loads(proc.stdout.split(marker, 1)[1])


def officejs_payload(func_name: str, args: list, *, runtime: str = "1.4", version: str | None = None) -> dict:
    """The body that xlwings' Office.js custom-functions code posts for one cell (French Excel).

    ``args`` holds one entry per argument, each a 2-D list (``dimensionality: matrix``), or
    ``None`` for an argument left out of the formula.
    """
    if version is None:
        import xlwings

        version = xlwings.__version__
    return {
        "client": "Office.js",
        "func_name": func_name,
        "args": args,
        "caller_address": "[Classeur1.xlsx]Feuil1!B2",
        "session_id": "test-session",
        "culture_info_name": "fr-FR",
        "date_format": "jj/mm/aaaa",
        "version": version,
        "runtime": runtime,
    }


# --------------------------------------------------------------------------- child side


def _decode_classic(value):
    """JSON cell value -> what pywin32 hands to ``call_udf`` (tuples for arrays)."""
    import datetime as dt

    if isinstance(value, list):
        return tuple(_decode_classic(v) for v in value)
    if isinstance(value, dict):
        if "$date" in value:
            return dt.datetime.fromisoformat(value["$date"])
        if "$missing" in value:
            return CLASSIC_MISSING
        if "$error" in value:
            return CLASSIC_ERRORS[value["$error"]]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # COM hands numbers over as doubles
    return value


def _excel_serial(iso: str) -> float:
    import datetime as dt

    delta = dt.datetime.fromisoformat(iso) - dt.datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400


def _decode_officejs(value):
    """JSON cell value -> what Office.js posts (dates are serial numbers, errors are objects)."""
    if isinstance(value, list):
        return [_decode_officejs(v) for v in value]
    if isinstance(value, dict):
        if "$date" in value:
            return _excel_serial(value["$date"])
        if "$missing" in value:
            return None
        if "$error" in value:
            return {"type": "Error", "basicValue": value["$error"], "errorType": OFFICEJS_ERROR_TYPES[value["$error"]]}
    return value


def _officejs_arg(value):
    """One argument of the payload: always a 2-D list, except a left-out argument (``null``)."""
    value = _decode_officejs(value)
    if value is None or (isinstance(value, list) and value and isinstance(value[0], list)):
        return value
    if isinstance(value, list):
        return [value]
    return [[value]]


def _jsonable(value):
    """Make a runtime result JSON-safe (numpy scalars, tuples; anything else by repr)."""
    import math

    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if np is not None and isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and math.isnan(value):
            return {"$nan": True}
        return value
    return {"$repr": repr(value), "$type": type(value).__name__}


def _answer(data: dict) -> None:
    sys.stdout.write("@@XLSALES-ANSWER@@" + json.dumps(_jsonable(data), ensure_ascii=False))
    sys.stdout.flush()


def _use_source_tree() -> None:
    """Import ``xlsales`` from this checkout (whatever the editable install points to)."""
    sys.path.insert(0, str(SRC))


def _install_classic_standins() -> None:
    """Stand-ins for pywin32 so that classic xlwings' ``udfs`` and ``_xlwindows`` import on Linux."""
    import ctypes
    import types
    from unittest import mock

    class com_error(Exception):
        pass

    names = [
        "pythoncom",
        "pywintypes",
        "win32api",
        "win32con",
        "win32gui",
        "win32process",
        "win32timezone",
        "win32com",
        "win32com.client",
    ]
    for name in names:
        sys.modules[name] = mock.MagicMock(name=name)
    sys.modules["pythoncom"].__file__ = "pythoncom311.dll"
    sys.modules["pywintypes"].com_error = com_error
    sys.modules["pywintypes"].TimeType = type("TimeType", (), {})
    client = sys.modules["win32com.client"]
    sys.modules["win32com"].client = client
    for cls in ("CDispatch", "CoClassBaseClass", "DispatchBaseClass"):
        setattr(client, cls, type(cls, (), {}))
    for attr in ("oledll", "windll"):  # Windows-only names of ctypes
        if not hasattr(ctypes, attr):
            setattr(ctypes, attr, mock.MagicMock(name=attr))
    # call_udf imports the COM server's event loop (only used by async functions).
    sys.modules["xlwings.com_server"] = types.ModuleType("xlwings.com_server")
    sys.modules["xlwings.com_server"].loop = None


class _FakeVBComponents:
    def __init__(self, com_error):
        self._com_error = com_error
        self.imported: list[str] = []

    def __call__(self, name):  # VBComponents("xlwings_udfs"): not there yet
        raise self._com_error("no such component")

    def Remove(self, component):
        raise self._com_error("nothing to remove")

    def Import(self, path):
        self.imported.append(Path(path).read_text(encoding="utf-8"))


class _FakeApplication:
    Version = "16.0"

    def __init__(self):
        self.macro_options: list[dict] = []

    def MacroOptions(self, macro, **kwargs):
        self.macro_options.append({"macro": macro, **kwargs})

    def Run(self, *args):
        raise AssertionError(f"unexpected Application.Run{args}")


class _FakeWorkbook:
    """Just enough of a COM Workbook for ``import_udfs`` ("Import Functions")."""

    def __init__(self, name, com_error):
        self.Name = name
        self.Application = _FakeApplication()
        self.VBProject = type("VBProject", (), {})()
        self.VBProject.VBComponents = _FakeVBComponents(com_error)


def _xlfunc_summary(info: dict) -> dict:
    return {
        "name": info["name"],
        "sub": info.get("sub"),
        "doc": info["ret"]["doc"],
        "ret_options": {k: repr(v) for k, v in info["ret"]["options"].items()},
        "category": info.get("category"),
        "volatile": info.get("volatile"),
        "async_mode": info.get("async_mode"),
        "args": [
            {
                "name": a["name"],
                "pos": a["pos"],
                "doc": a["doc"],
                "vba": a.get("vba"),
                "vararg": a["vararg"],
                "has_default": "optional" in a,
                "default": a.get("optional"),
                "options": {k: v if isinstance(v, (int, str, bool)) else repr(v) for k, v in a["options"].items()},
            }
            for a in info["args"]
        ],
    }


def _call_each(calls: list, run) -> list:
    import traceback

    out = []
    for call in calls:
        try:
            out.append({"ok": True, "value": run(call)})
        except BaseException:  # noqa: BLE001 - report everything to the parent
            out.append({"ok": False, "error": traceback.format_exc()})
    return out


def child_classic(request: dict) -> dict:
    import io

    _install_classic_standins()
    _use_source_tree()
    import ctypes
    from unittest import mock

    import xlwings

    with mock.patch.object(ctypes, "PyDLL", mock.MagicMock(name="PyDLL")):  # loads pythoncom's DLL
        from xlwings import _xlwindows  # the real COM engine, on stand-ins
    import xlwings.udfs as classic

    xlwings._xlwindows = _xlwindows
    xlwings.engines.add(xlwings.main.Engine(impl=_xlwindows.engine))
    xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret

    import xlsales.udfs as module

    registry = sorted(module.UDF_REGISTRY)
    answer = {
        "registry": registry,
        "udfs_file": module.__file__,
        "xlfunc": {name: _xlfunc_summary(module.UDF_REGISTRY[name].__xlfunc__) for name in registry},
        "dir_with_xlfunc": sorted(n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")),
    }
    workbook = _FakeWorkbook(request.get("workbook", "xlsales.xlsm"), sys.modules["pywintypes"].com_error)
    buffer = io.StringIO()
    classic.generate_vba_wrapper("xlsales.udfs", module, buffer, workbook)
    answer["vba"] = buffer.getvalue()

    # The whole "Import Functions" button: VBA module import, then MacroOptions per function.
    classic.import_udfs("xlsales.udfs", workbook)
    answer["imported_vba"] = workbook.VBProject.VBComponents.imported
    answer["macro_options"] = workbook.Application.macro_options

    def run(call):
        args = tuple(_decode_classic(a) for a in call["args"])
        return classic.call_udf("xlsales.udfs", call["func"], args, None, None)

    answer["calls"] = _call_each(request.get("calls", []), run)
    return answer


def _patch_officejs_decorators():
    import xlwings
    from xlwings import server

    xlwings.func, xlwings.arg, xlwings.ret = server.func, server.arg, server.ret
    return server


def _officejs_calls(server, module, calls: list) -> list:
    import asyncio

    import xlwings

    def run(call):
        payload = officejs_payload(
            call["func"],
            [_officejs_arg(a) for a in call["args"]],
            runtime=call.get("runtime", "1.4"),
            version=xlwings.__version__,
        )
        return asyncio.run(server.custom_functions_call(payload, module))

    return _call_each(calls, run)


def child_officejs(request: dict) -> dict:
    _use_source_tree()
    server = _patch_officejs_decorators()
    import xlsales.udfs as module

    return {
        "registry": sorted(module.UDF_REGISTRY),
        "udfs_file": module.__file__,
        "members": sorted(n for n, _ in __import__("inspect").getmembers(module) if hasattr(_, "__xlfunc__")),
        "meta": server.custom_functions_meta(module),
        "calls": _officejs_calls(server, module, request.get("calls", [])),
    }


class _BlockInstalledXlsales:
    """A meta-path finder placed first: the installed ``xlsales`` (editable or not) is unreachable.

    The Lite bundle inserts its own finder in front of this one, as xlwings Lite has no
    ``xlsales`` installed at all.
    """

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname == "xlsales" or fullname.startswith("xlsales."):
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked: not installed in xlwings Lite)")


def child_lite(request: dict) -> dict:
    import importlib
    import inspect

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != SRC.resolve()]
    sys.meta_path.insert(0, _BlockInstalledXlsales())
    importlib.invalidate_caches()
    try:
        import xlsales  # noqa: F401

        importable_before = True
    except ImportError:
        importable_before = False

    server = _patch_officejs_decorators()
    lite_dir = Path(request.get("lite_dir") or LITE_DIR)
    sys.path.insert(0, str(lite_dir))
    import main

    first_loader = type(sys.modules["xlsales"].__spec__.loader).__qualname__
    members = sorted(n for n, obj in inspect.getmembers(main) if hasattr(obj, "__xlfunc__"))
    answer = {
        "importable_before": importable_before,
        "main_file": main.__file__,
        "xlsales_file": sys.modules["xlsales"].__file__,
        "xlsales_loader": first_loader,
        "xlsales_modules": {
            m: getattr(sys.modules[m], "__file__", None)
            for m in sorted(sys.modules)
            if m == "xlsales" or m.startswith("xlsales.")
        },
        "members": members,
        "registry": sorted(sys.modules["xlsales.udfs"].UDF_REGISTRY),
        "meta": server.custom_functions_meta(main),
        "calls": _officejs_calls(server, main, request.get("calls", [])),
    }
    if request.get("script"):
        # a template button as a Lite script, on the JSON Excel sends for the open workbook
        import xlwings as xw

        book = xw.Book(json=request["script"]["payload"])
        getattr(main, request["script"]["name"])(book)
        actions = book.json()["actions"]
        names = [s.name for s in book.sheets]
        answer["script"] = {
            "funcs": sorted({a["func"] for a in actions}),
            "touched": sorted({names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}),
            "modules": {m: sys.modules[m].__spec__.origin for m in sorted(sys.modules) if m.startswith("xlsales.macros")},
        }
    if request.get("rerun"):
        # xlwings Lite runs main.py again after each edit: a second run must still work.
        main = importlib.reload(main)
        answer["meta_after_rerun"] = server.custom_functions_meta(main)
        answer["calls_after_rerun"] = _officejs_calls(server, main, request.get("calls", []))
    return answer


def _child_main(mode: str) -> None:
    request = json.loads(sys.stdin.read() or "{}")
    handler = {"classic": child_classic, "officejs": child_officejs, "lite": child_lite}[mode]
    _answer(handler(request))


if __name__ == "__main__":
    _child_main(sys.argv[1])


# --------------------------------------------------------------------------- sample calls

#: Arguments that take a range in the catalogue (a column of values in the sample calls).
RANGE_ARGUMENTS = frozenset(
    {
        "values",
        "known_y",
        "known_x",
        "new_x",
        "weights",
        "ratings",
        "shares",
        "thresholds",
        "rates",
        "amounts",
        "coefficients",
        "stage_counts",
        "latitudes",
        "longitudes",
        "customer_ids",
        "dates",
        "counts",
        "class_lower_bounds",
        "class_upper_bounds",
        "period_revenues",
    }
)


def udf_signatures(registry: dict) -> dict[str, list[tuple[str, bool]]]:
    """``{NAME: [(argument, optional), ...]}`` for every UDF of ``registry``."""
    import inspect

    return {
        name: [(p.name, p.default is not inspect.Parameter.empty) for p in inspect.signature(udf).parameters.values()]
        for name, udf in sorted(registry.items())
    }


def _column(index: int, length: int = 12) -> list:
    base = 10.0 * (index + 1)
    return [[base + 3.0 * j + (j % 4) * 2.5] for j in range(length)]


def _scalar(name: str, index: int) -> float:
    if name == "period":
        return 4.0
    return [120.0, 100.0, 0.25, 8.0, 3.0, 50.0][index % 6]


def sample_calls(signatures: dict[str, list[tuple[str, bool]]]) -> list[dict]:
    """Three calls per function, with floats only (as Excel sends numbers):

    * ``scalars``: every argument a single cell, optional ones left out of the formula;
    * ``ranges``: range arguments as a 12-row column, the others single cells, optional ones
      pointing at an empty cell;
    * ``columns``: every required argument a 12-row column (element-wise calls).
    """
    calls = []
    for name, args in signatures.items():
        scalars, ranges, columns = [], [], []
        for i, (arg, optional) in enumerate(args):
            scalar = [[_scalar(arg, i)]]
            column = _column(i)
            if optional:
                scalars.append({"$missing": True})
                ranges.append([[""]])
                columns.append({"$missing": True})
            else:
                scalars.append(scalar)
                ranges.append(column if (arg in RANGE_ARGUMENTS or arg.endswith("_range")) else scalar)
                columns.append(column)
        calls.append({"func": name, "kind": "scalars", "args": scalars})
        calls.append({"func": name, "kind": "ranges", "args": ranges})
        calls.append({"func": name, "kind": "columns", "args": columns})
    return calls


def direct_args(call: dict, runtime: str) -> list:
    """The arguments of ``call`` as a UDF receives them from ``runtime`` (``ndim=2`` lists of rows).

    Classic hands dates over as ``datetime``, Office.js as serial numbers; empty cells and
    arguments left out of the formula arrive as ``None``; error cells as their text ("#N/A").
    """
    import datetime as dt

    def cell(value):
        if isinstance(value, dict):
            if "$date" in value:
                iso = value["$date"]
                return dt.datetime.fromisoformat(iso) if runtime == "classic" else _excel_serial(iso)
            return value["$error"]  # an error cell, as its text (err_to_str)
        if value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    out = []
    for arg in call["args"]:
        if isinstance(arg, dict) and "$missing" in arg:
            out.append(None)
        elif isinstance(arg, list) and arg and isinstance(arg[0], list):
            out.append([[cell(c) for c in row] for row in arg])
        elif isinstance(arg, list):
            out.append([[cell(c) for c in arg]])
        else:
            out.append([[cell(arg)]])
    return out


def as_cells(result, runtime: str):
    """What the runtime writes to the sheet for a UDF's return value (always a 2-D list).

    Classic writes error values as text; Office.js (runtime >= 1.4) as Excel error objects.
    """
    import math

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            value = float(value)
            if math.isnan(value):
                return "#NUM!" if runtime == "classic" else {"type": "Error", "errorType": "Num"}
            return value
        if runtime != "classic" and isinstance(value, str) and value in OFFICEJS_ERROR_TYPES:
            return {"type": "Error", "errorType": OFFICEJS_ERROR_TYPES[value]}
        return value

    if isinstance(result, (list, tuple)):
        if result and isinstance(result[0], (list, tuple)):
            return [[cell(c) for c in row] for row in result]
        return [[cell(c) for c in result]]  # xlwings writes a flat list as a row
    return [[cell(result)]]
