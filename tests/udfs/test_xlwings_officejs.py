"""xlwings Lite / xlwings Server (Office.js): the custom-functions metadata Excel registers, and
calls made from the JSON that Excel's Office.js code posts.

Runs in a child interpreter with ``XLWINGS_LICENSE_KEY=noncommercial`` where ``xlwings.func/arg/ret``
are ``xlwings.server.func/arg/ret`` (what xlwings Lite uses), so ``xlsales.udfs`` is decorated as
in Excel. ``custom_functions_meta`` gives the function list; ``custom_functions_call`` runs calls
whose payload has the shape Excel sends (``func_name``, one 2-D list per argument or ``null``,
``client: "Office.js"``, ``runtime``, French culture info…).
"""

from __future__ import annotations

import inspect
import re

import pytest

from xlsales.udfs import UDF_REGISTRY

from ._xlwings_runtimes import (
    as_cells,
    direct_args,
    officejs_payload,
    run_runtime,
    sample_calls,
    udf_signatures,
)

NAMES = sorted(UDF_REGISTRY)
SIGNATURES = udf_signatures(UDF_REGISTRY)
DIV0 = {"type": "Error", "errorType": "Div0"}
NUM = {"type": "Error", "errorType": "Num"}
NA = {"type": "Error", "errorType": "NotAvailable"}
VALUE = {"type": "Error", "errorType": "Value"}

SPECIFIC = {
    "scalar": {"func": "MARGIN_RATE", "args": [[[120]], [[100]]]},
    "range": {"func": "MARGIN_RATE", "args": [[[120], [150], [90]], [[100]]]},
    "row_range": {"func": "MARGIN", "args": [[[120, 150, 90]], [[100, 100, 100]]]},
    "omitted_optional": {"func": "PRICE_TTC", "args": [[[100]], None]},
    "empty_cell_optional": {"func": "PRICE_TTC", "args": [[[100]], [[""]]]},
    "french_text": {"func": "PRICE_TTC", "args": [[["1 234,50"]], [["5,5 %"]]]},
    "div0": {"func": "MARGIN_RATE", "args": [[[120]], [[0]]]},
    "div0_runtime_1_3": {"func": "MARGIN_RATE", "args": [[[120]], [[0]]], "runtime": "1.3"},
    "error_cell": {"func": "MARGIN", "args": [[[120]], [[{"$error": "#N/A"}]]]},
    "date_cell": {"func": "MARGIN", "args": [[[{"$date": "2024-01-01T00:00:00"}]], [[0]]]},
    "bad_row": {"func": "PRICE_FROM_MARK_RATE", "args": [[[60], [60]], [[0.25], [1.2]]]},
    "garbage_text": {"func": "MARGIN", "args": [[["douze"]], [[1]]]},
    "sizes_differ": {"func": "MARGIN", "args": [[[1, 2]], [[1, 2, 3]]]},
    "invoice": {"func": "INVOICE", "args": [[[1000]], [[0.1], [0.05]], None, [[0.02]], None]},
    "commission_progressive": {
        "func": "COMMISSION",
        "args": [[[9500]], [[0], [5000], [8000]], [["3 %"], ["4 %"], ["6 %"]], None],
    },
    "commission_mode_error_cell": {
        "func": "COMMISSION",
        "args": [[[9500]], [[0], [5000], [8000]], [[0.03], [0.04], [0.06]], [[{"$error": "#DIV/0!"}]]],
    },
    "commission_flat": {
        "func": "COMMISSION",
        "args": [[[9500]], [[0], [5000], [8000]], [[0.03], [0.04], [0.06]], [["flat"]]],
    },
}
SPECIFIC_KEYS = list(SPECIFIC)
CALLS = [SPECIFIC[k] for k in SPECIFIC_KEYS] + sample_calls(SIGNATURES)


@pytest.fixture(scope="module")
def officejs():
    return run_runtime("officejs", {"calls": CALLS})


@pytest.fixture(scope="module")
def meta(officejs):
    return {f["id"]: f for f in officejs["meta"]["functions"]}


def test_payload_shape():
    payload = officejs_payload("MARGIN", [[[1]], None])
    assert payload["client"] == "Office.js" and payload["runtime"] == "1.4"
    assert payload["args"] == [[[1]], None]
    assert {"func_name", "caller_address", "culture_info_name", "date_format", "version"} <= set(payload)


def test_child_sees_the_same_catalogue(officejs):
    assert officejs["registry"] == NAMES
    assert officejs["members"] == NAMES, "lower-case aliases must not be module members"


def test_every_udf_is_registered_once(officejs):
    functions = officejs["meta"]["functions"]
    ids = [f["id"] for f in functions]
    assert sorted(ids) == NAMES and len(set(ids)) == len(ids)
    assert sorted(f["name"] for f in functions) == NAMES
    assert officejs["meta"]["allowErrorForDataTypeAny"] is True
    assert "enums" not in officejs["meta"]


@pytest.mark.parametrize("name", NAMES)
def test_function_metadata(meta, name):
    udf = UDF_REGISTRY[name]
    function = meta[name]
    assert re.fullmatch(r"[A-Z][A-Z0-9_.]{0,127}", function["name"])
    assert function["description"] == udf.__doc__ and " — " in function["description"]
    assert function["result"] == {"dimensionality": "matrix", "type": "any"}
    assert function["options"] == {"requiresAddress": True, "requiresParameterAddresses": True}
    params = list(inspect.signature(udf).parameters.values())
    docs = udf.__xlsales_arg_docs__
    assert [p["name"] for p in function["parameters"]] == [p.name for p in params]
    for declared, param in zip(function["parameters"], params):
        assert declared["description"] == docs[param.name]
        assert not declared["description"].startswith("Positional argument")
        assert declared["dimensionality"] == "matrix" and declared["type"] == "any"
        assert "repeating" not in declared
        if param.default is inspect.Parameter.empty:
            assert "optional" not in declared, f"{name}: {param.name} is required"
        else:
            assert declared["optional"] is True, f"{name}: {param.name} must be optional in Excel"


# ----------------------------------------------------------------------------- calls


def _value(officejs, key):
    result = officejs["calls"][SPECIFIC_KEYS.index(key)]
    assert result["ok"], result.get("error")
    return result["value"]


def _needs(*names):
    missing = [n for n in names if n not in UDF_REGISTRY]
    if missing:
        pytest.skip(f"not an Excel function yet: {missing} (see test_catalogue)")


def test_scalar_call(officejs):
    assert _value(officejs, "scalar") == [[pytest.approx(0.2)]]


def test_range_call_spills_the_same_shape(officejs):
    assert _value(officejs, "range") == [[pytest.approx(0.2)], [pytest.approx(0.5)], [pytest.approx(-0.1)]]
    assert _value(officejs, "row_range") == [[20.0, 50.0, -10.0]]


def test_empty_optional_argument_uses_the_default(officejs):
    assert _value(officejs, "omitted_optional") == [[pytest.approx(120.0)]]
    assert _value(officejs, "empty_cell_optional") == [[pytest.approx(120.0)]]


def test_french_text_numbers(officejs):
    assert _value(officejs, "french_text") == [[pytest.approx(1234.5 * 1.055)]]


def test_division_by_zero_is_an_excel_error_object(officejs):
    assert _value(officejs, "div0") == [[DIV0]]


def test_before_runtime_1_4_errors_are_text(officejs):
    assert _value(officejs, "div0_runtime_1_3") == [["#DIV/0!"]]


def test_error_cell_gives_the_same_error(officejs):
    assert _value(officejs, "error_cell") == [[NA]]


def test_date_cell_is_its_serial_number(officejs):
    assert _value(officejs, "date_cell") == [[45292.0]]


def test_one_bad_row_keeps_the_others(officejs):
    assert _value(officejs, "bad_row") == [[pytest.approx(80.0)], [NUM]]


def test_bad_input_is_value_and_size_mismatch_is_na(officejs):
    assert _value(officejs, "garbage_text") == [[VALUE]]
    assert _value(officejs, "sizes_differ") == [[NA]]


def test_invoice_spills_a_two_column_table(officejs):
    table = _value(officejs, "invoice")
    assert all(len(row) == 2 for row in table)
    assert table[0] == ["Montant brut HT", 1000.0]
    assert table[-1][0] == "Net à payer TTC"
    assert table[-1][1] == pytest.approx(1000 * 0.9 * 0.95 * 0.98 * 1.2)


def test_commission_example_of_the_spec(officejs):
    _needs("COMMISSION")
    assert _value(officejs, "commission_progressive") == [[pytest.approx(360.0)]]
    assert _value(officejs, "commission_flat") == [[pytest.approx(570.0)]]


def test_text_argument_pointing_at_an_error_cell_gives_that_error(officejs):
    _needs("COMMISSION")
    assert _value(officejs, "commission_mode_error_cell") == [[DIV0]]


@pytest.mark.parametrize("kind", ["scalars", "ranges", "columns"])
@pytest.mark.parametrize("name", NAMES)
def test_every_udf_through_office_js_gives_the_python_value(officejs, name, kind):
    index = next(i for i, c in enumerate(CALLS) if c["func"] == name and c.get("kind") == kind)
    result = officejs["calls"][index]
    assert result["ok"], f"{name} raised through custom_functions_call:\n{result.get('error')}"
    expected = as_cells(UDF_REGISTRY[name](*direct_args(CALLS[index], "officejs")), "officejs")
    assert result["value"] == expected
