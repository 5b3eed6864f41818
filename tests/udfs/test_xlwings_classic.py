"""Classic xlwings (Windows, COM): the UDFs as "Import Functions" declares them, and calls through
xlwings' own ``call_udf``.

Runs on Linux in a child interpreter where stand-ins for pywin32 (``pythoncom``, ``pywintypes``,
``win32api``, ``win32com.client``…) let the real ``xlwings.udfs`` and ``xlwings._xlwindows`` import;
``xlwings.func/arg/ret`` are the classic decorators there, so ``xlsales.udfs`` is decorated exactly
as on Windows. Checked: the ``__xlfunc__`` metadata of every UDF, the VBA module that
``generate_vba_wrapper`` / ``import_udfs`` write, the ``Application.MacroOptions`` calls that
register the French — English help, and values returned by ``call_udf``.
"""

from __future__ import annotations

import inspect
import re

import pytest

from xlsales.udfs import UDF_REGISTRY
from xlsales.udfs._excel import VBA_RESERVED

from ._xlwings_runtimes import (
    as_cells,
    direct_args,
    run_runtime,
    sample_calls,
    udf_signatures,
)

NAMES = sorted(UDF_REGISTRY)
SIGNATURES = udf_signatures(UDF_REGISTRY)

SPECIFIC_CALLS = [
    {"func": "MARGIN_RATE", "args": [120, 100]},
    {"func": "MARGIN_RATE", "args": [[[120], [150], [90]], 100]},
    {"func": "PRICE_TTC", "args": [100, {"$missing": True}]},
    {"func": "PRICE_TTC", "args": ["1 234,50", "5,5 %"]},
    {"func": "MARGIN_RATE", "args": [120, 0]},
    {"func": "MARGIN", "args": [{"$date": "2024-01-01T00:00:00"}, 0]},
    {"func": "MARGIN", "args": [120, {"$error": "#N/A"}]},
    {"func": "INVOICE", "args": [1000, [[0.1, 0.05]], {"$missing": True}, 0.02, {"$missing": True}]},
    {"func": "PRICE_FROM_MARK_RATE", "args": [[[60], [60]], [[0.25], [1.2]]]},
]
CALLS = SPECIFIC_CALLS + sample_calls(SIGNATURES)

_FUNCTION_LINE = re.compile(r"^Function (\w+)\((.*)\)$")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,254}$")


def vba_name(python_name: str) -> str:
    return python_name + "_" if python_name.lower() in VBA_RESERVED else python_name


@pytest.fixture(scope="module")
def classic():
    return run_runtime("classic", {"calls": CALLS, "workbook": "ventes.xlsm"})


def _vba_functions(vba: str) -> dict[str, list[str]]:
    functions = {}
    for line in vba.splitlines():
        match = _FUNCTION_LINE.match(line)
        if match:
            assert match.group(1) not in functions, f"Function {match.group(1)} declared twice"
            args = [a.strip() for a in match.group(2).split(",")] if match.group(2).strip() else []
            functions[match.group(1)] = args
    return functions


def test_child_sees_the_same_catalogue(classic):
    assert classic["registry"] == NAMES
    assert classic["udfs_file"].replace("\\", "/").endswith("xlsales/udfs/__init__.py")


def test_each_udf_is_visible_once_to_xlwings(classic):
    # xlwings scans dir(module): the lower-case aliases must not be members
    assert classic["dir_with_xlfunc"] == NAMES
    assert not any(name != name.upper() for name in classic["dir_with_xlfunc"])


def test_vba_reserved_words_are_known():
    assert {"new", "date", "string", "end", "next", "type", "rem"} <= VBA_RESERVED
    assert {"array", "application", "err", "range"} <= VBA_RESERVED  # used by the wrapper's body
    assert vba_name("new") == "new_" and vba_name("old") == "old"


@pytest.mark.parametrize("name", NAMES)
def test_function_name_is_usable_in_a_formula(name):
    assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name) and len(name) <= 255
    # a name that reads as a cell reference (A1 or R1C1 style) cannot be called from a formula
    assert not re.fullmatch(r"[A-Z]{1,3}[0-9]+|R[0-9]*C[0-9]*|R[0-9]*|C[0-9]*", name), name


@pytest.mark.parametrize("name", NAMES)
def test_xlfunc_metadata(classic, name):
    udf = UDF_REGISTRY[name]
    info = classic["xlfunc"][name]
    params = list(inspect.signature(udf).parameters.values())
    docs = udf.__xlsales_arg_docs__

    assert info["name"] == name
    assert info["sub"] is False
    assert info["doc"] == udf.__doc__ and " — " in info["doc"]
    assert info["category"] == "xlwings"
    assert info["volatile"] is False and info["async_mode"] is None
    assert info["ret_options"] == {}
    assert len(info["args"]) == len(params)
    for pos, (arg, param) in enumerate(zip(info["args"], params)):
        assert arg["name"] == vba_name(param.name)
        assert arg["pos"] == pos
        # every argument arrives as a list of rows; an error cell as its text
        assert arg["options"] == {"ndim": 2, "err_to_str": True}
        assert arg["doc"] == docs[param.name] and not arg["doc"].startswith("Positional argument")
        assert arg["vba"] is None and arg["vararg"] is False
        optional = param.default is not inspect.Parameter.empty
        assert arg["has_default"] is optional
        if optional:
            assert arg["default"] is None, "an omitted optional argument must arrive as None"


def test_vba_declares_each_function_once(classic):
    functions = _vba_functions(classic["vba"])
    assert sorted(functions) == NAMES
    assert classic["vba"].count("\nEnd Function") + classic["vba"].startswith("End Function") == len(NAMES)
    lowered = {n.lower() for n in functions}
    assert len(lowered) == len(functions), "VBA is case-insensitive: two functions differ only by case"


@pytest.mark.parametrize("name", NAMES)
def test_vba_wrapper(classic, name):
    functions = _vba_functions(classic["vba"])
    params = list(inspect.signature(UDF_REGISTRY[name]).parameters.values())
    expected = [
        ("Optional " if p.default is not inspect.Parameter.empty else "") + vba_name(p.name) for p in params
    ]
    assert functions[name] == expected
    for declared in functions[name]:
        identifier = declared.removeprefix("Optional ")
        assert _IDENTIFIER.match(identifier), identifier
        assert identifier.lower() not in VBA_RESERVED, f"{name}: VBA keyword {identifier!r} as an argument"
        assert identifier.lower() != name.lower()
    array = ", ".join(vba_name(p.name) for p in params)
    call = f'{name} = XLPy.CallUDF("xlsales.udfs", "{name}", Array({array}), ThisWorkbook, Application.Caller)'
    assert call in classic["vba"]
    assert all(len(line) < 1024 for line in classic["vba"].splitlines()), "VBA lines are limited to 1023 characters"


def test_import_functions_writes_the_same_module(classic):
    assert len(classic["imported_vba"]) == 1
    module = classic["imported_vba"][0]
    assert module.startswith('Attribute VB_Name = "xlwings_udfs"')
    assert classic["vba"] in module
    assert sorted(_vba_functions(module)) == NAMES


def test_import_functions_registers_the_help(classic):
    options = {o["macro"]: o for o in classic["macro_options"]}
    assert len(options) == len(classic["macro_options"]) == len(NAMES)
    for name in NAMES:
        udf = UDF_REGISTRY[name]
        option = options[f"'ventes.xlsm'!{name}"]
        assert option["Description"] == udf.__doc__[:255]
        assert " — " in option["Description"]
        assert option["Category"] == "xlwings"
        docs = [d[:255] for d in udf.__xlsales_arg_docs__.values()]
        assert option["ArgumentDescriptions"] == (docs or None)


# ----------------------------------------------------------------------------- calls


def _value(classic, index):
    result = classic["calls"][index]
    assert result["ok"], result.get("error")
    return result["value"]


def test_call_scalar(classic):
    assert _value(classic, 0) == [[pytest.approx(0.2)]]


def test_call_range_spills_a_column(classic):
    assert _value(classic, 1) == [[pytest.approx(0.2)], [pytest.approx(0.5)], [pytest.approx(-0.1)]]


def test_call_omitted_optional_uses_the_default(classic):
    assert _value(classic, 2) == [[pytest.approx(120.0)]]


def test_call_french_text_numbers(classic):
    assert _value(classic, 3) == [[pytest.approx(1234.5 * 1.055)]]


def test_call_error_is_text_in_classic(classic):
    # classic xlwings cannot return real error values: the cell shows the text
    assert _value(classic, 4) == [["#DIV/0!"]]


def test_call_date_cell_is_its_serial_number(classic):
    assert _value(classic, 5) == [[45292.0]]


def test_call_error_cell_gives_the_same_error(classic):
    # pywin32 hands an error cell as an int code; with err_to_str xlwings reads it as "#N/A"
    # and the UDF shows #N/A (never a number computed as if the cell were empty)
    assert _value(classic, 6) == [["#N/A"]]


def test_call_invoice_spills_the_table(classic):
    table = _value(classic, 7)
    assert all(len(row) == 2 for row in table)
    labels = [row[0] for row in table]
    assert labels[0].lower().startswith("montant brut") and "net à payer" in labels[-1].lower()
    gross, net_commercial = 1000.0, 1000.0 * 0.9 * 0.95
    amounts = {row[0]: row[1] for row in table}
    assert amounts[labels[0]] == pytest.approx(gross)
    assert net_commercial in [pytest.approx(a) for a in amounts.values()]
    assert table[-1][1] == pytest.approx(net_commercial * 0.98 * 1.2)


def test_call_range_with_one_bad_row(classic):
    assert _value(classic, 8) == [[pytest.approx(80.0)], ["#NUM!"]]


@pytest.mark.parametrize("kind", ["scalars", "ranges", "columns"])
@pytest.mark.parametrize("name", NAMES)
def test_every_udf_through_call_udf_gives_the_python_value(classic, name, kind):
    index = next(
        i for i, c in enumerate(CALLS) if c["func"] == name and c.get("kind") == kind
    )
    result = classic["calls"][index]
    assert result["ok"], f"{name} raised through call_udf:\n{result.get('error')}"
    expected = as_cells(UDF_REGISTRY[name](*direct_args(CALLS[index], "classic")), "classic")
    assert result["value"] == expected
