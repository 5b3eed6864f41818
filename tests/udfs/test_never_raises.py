"""Fuzzing every Excel function with what Excel can hand over: the cell never gets a traceback.

For every UDF of the registry, hypothesis draws arguments as Excel sends them: empty cells
(``None``), numbers (ints from Office.js, floats incl. huge, tiny, negative and zero), booleans,
text (French numbers such as "1 234,50" or "12 %", option names, garbage, ""), dates and
datetimes, error cells as their text ("#N/A"), and rectangular ranges (lists of rows, up to
6 × 3, 1 × 1 included). The call must return — a number, a boolean, a string or a rectangular
2-D list of those — and every string starting with "#" must be one of the four error values
the catalogue uses.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlsales.core.errors import EXCEL_ERRORS
from xlsales.udfs import UDF_REGISTRY

NAMES = sorted(UDF_REGISTRY)
MAX_EXAMPLES = 40

FRENCH_NUMBERS = [
    "1 234,50",
    "12 %",
    "15,5 €",
    "-3,5",
    "0,25",
    "5,5 %",
    "100 %",
    "1\u00a0000",
    "1\u202f000,75",
    "1e3",
    "0",
    "4",
    "12",
]
OPTION_WORDS = [
    "flat",
    "progressive",
    "step",
    "linear",
    "least_squares",
    "extreme_points",
    "mayer",
    "moving_average",
    "ratio_to_trend",
    "average",
    "multiplicative",
    "additive",
    "VRAI",
    "FAUX",
    "TRUE",
]
GARBAGE = ["", " ", "abc", "douze", "1,2.3", "--1", "∞", "nan", "inf", "NaN", "1e999", "%", "€", ",", "0x10"]
CELL_ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#NUM!", "#REF!", "#NAME?"]

numbers = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.sampled_from([0, 0.0, -0.0, 1, -1, 0.5, 0.2, 0.99, 1.0, 2, 4, 12, 100, 1e-300, 5e-324, 1e15, 1e308, -1e308]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(2**53), max_value=2**53),
)
texts = st.one_of(
    st.sampled_from(FRENCH_NUMBERS + OPTION_WORDS + GARBAGE + CELL_ERRORS),
    st.text(alphabet=st.characters(blacklist_characters="#", blacklist_categories=("Cs",)), max_size=8),
)
dates = st.one_of(
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)
cells = st.one_of(numbers, numbers, st.none(), st.booleans(), texts, dates)


@st.composite
def argument_lists(draw, n_params: int):
    """Arguments for one call: each one a scalar, ``None`` or a rectangular range (list of rows).

    Ranges often share one shape in a call (element-wise functions go deeper that way).
    """
    common = (draw(st.integers(1, 6)), draw(st.integers(1, 3)))
    args = []
    for _ in range(n_params):
        kind = draw(st.sampled_from(["scalar", "number", "none", "1x1", "common", "common", "any"]))
        if kind == "scalar":
            args.append(draw(cells))
        elif kind == "number":
            args.append(draw(numbers))
        elif kind == "none":
            args.append(None)
        elif kind == "1x1":
            args.append([[draw(cells)]])
        else:
            rows, cols = common if kind == "common" else (draw(st.integers(1, 6)), draw(st.integers(1, 3)))
            cell = draw(st.sampled_from([cells, numbers, numbers]))
            args.append([[draw(cell) for _ in range(cols)] for _ in range(rows)])
    return args


def _check_cell(name: str, value) -> None:
    assert type(value) in (bool, int, float, str), f"{name}: cell of type {type(value).__name__}: {value!r}"
    if isinstance(value, float):
        assert math.isfinite(value), f"{name}: {value!r} cannot be shown in a cell"
    if isinstance(value, str) and value.startswith("#"):
        assert value in EXCEL_ERRORS, f"{name}: unexpected error text {value!r}"


#: Excel's grid: a spill cannot be larger.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384


def check_result(name: str, result) -> None:
    """A scalar cell, or a non-empty rectangular 2-D list of cells that fits in a sheet."""
    if isinstance(result, list):
        assert result and all(isinstance(row, list) for row in result), f"{name}: not a list of rows: {result!r}"
        width = len(result[0])
        assert width > 0 and all(len(row) == width for row in result), f"{name}: ragged result {result!r}"
        assert len(result) <= MAX_ROWS and width <= MAX_COLUMNS, f"{name}: {len(result)} x {width} cannot spill"
        for row in result:
            for value in row:
                _check_cell(name, value)
    else:
        _check_cell(name, result)


def test_check_result_rejects_what_a_cell_cannot_show():
    check_result("X", [[1.0, "A"], [True, "#N/A"]])
    check_result("X", "")
    too_wide = [[0.0] * (MAX_COLUMNS + 1)]
    for bad in ([[1.0], [1.0, 2.0]], [], [[]], float("nan"), None, "#REF!", [[{"a": 1}]], (1, 2), too_wide):
        with pytest.raises(AssertionError):
            check_result("X", bad)


@pytest.mark.parametrize("name", NAMES)
def test_udf_never_raises(name):
    udf = UDF_REGISTRY[name]
    n_params = len(inspect.signature(udf).parameters)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(args=argument_lists(n_params))
    def run(args):
        try:
            result = udf(*args)
        except BaseException as error:
            raise AssertionError(f"{name}{tuple(args)!r} raised {error!r}") from error
        check_result(name, result)

    run()
