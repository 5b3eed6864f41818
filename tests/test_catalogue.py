"""The function catalogue (docs/spec/functions.md) is exactly what xlsales exposes.

For every function of the contract: a UDF in ``xlsales.udfs`` (upper and lower case) whose
Python parameters are the contract's arguments in order, optional ones defaulting to None, with a
French — English description and one description per argument; and a core function of the
snake_case name in ``xlsales.core``.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import xlsales.core
import xlsales.udfs
from xlsales.udfs import UDF_REGISTRY

SPEC = Path(__file__).resolve().parents[1] / "docs" / "spec" / "functions.md"
EXPECTED_COUNT = 64  # the list in the spec (its introduction once said 62)

_ROW = re.compile(r"^\|\s*([A-Z][A-Z0-9_]*)\(([^|]*)\)\s*\|")
_OPTIONAL = re.compile(r"^\[\s*([a-z_][a-z0-9_]*)\s*(?:=\s*(.*?))?\s*\]$")
_REQUIRED = re.compile(r"^[a-z_][a-z0-9_]*$")


def _split_args(text: str) -> list[str]:
    """Split an argument list on the commas outside ``[...]``."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def parse_spec(text: str) -> dict[str, list[tuple[str, bool, str | None]]]:
    """``{FUNCTION: [(argument, optional, default text or None), ...]}`` in the order of the spec."""
    functions = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        name, args = match.group(1), []
        for part in _split_args(match.group(2)):
            optional = _OPTIONAL.match(part)
            if optional:
                args.append((optional.group(1), True, optional.group(2)))
            elif _REQUIRED.match(part):
                args.append((part, False, None))
            else:
                raise AssertionError(f"{name}: cannot read argument {part!r} in the spec")
        assert name not in functions, f"{name} listed twice in the spec"
        functions[name] = args
    return functions


CATALOGUE = parse_spec(SPEC.read_text(encoding="utf-8"))
NAMES = sorted(CATALOGUE)


def test_parser_reads_the_documented_forms():
    parsed = parse_spec(
        "| MULTIPLIER(price_ht, cost, [vat_rate=0]) | x |\n"
        "| RFM(customer_ids, dates, amounts, [as_of=max date + 1 day], [bins=5]) | x |\n"
        '| LINEAR_TREND(known_y, [known_x], [method="least_squares"]) | x |\n'
        "| not a row |\n"
    )
    assert parsed == {
        "MULTIPLIER": [("price_ht", False, None), ("cost", False, None), ("vat_rate", True, "0")],
        "RFM": [
            ("customer_ids", False, None),
            ("dates", False, None),
            ("amounts", False, None),
            ("as_of", True, "max date + 1 day"),
            ("bins", True, "5"),
        ],
        "LINEAR_TREND": [("known_y", False, None), ("known_x", True, None), ("method", True, '"least_squares"')],
    }


def test_the_spec_lists_64_functions():
    assert len(CATALOGUE) == EXPECTED_COUNT, sorted(CATALOGUE)
    assert CATALOGUE["INVOICE"][0] == ("gross", False, None)
    assert CATALOGUE["FORECAST_AUTO_REPORT"] == [("known_y", False, None), ("period", False, None), ("horizon", True, "period")]


def test_every_function_of_the_spec_is_an_excel_function():
    missing = [name for name in NAMES if name not in UDF_REGISTRY]
    assert missing == [], f"{len(missing)} of {EXPECTED_COUNT} functions of the catalogue are not UDFs yet"


def test_no_excel_function_outside_the_spec():
    assert sorted(set(UDF_REGISTRY) - set(CATALOGUE)) == []


@pytest.mark.parametrize("name", NAMES)
def test_udf_matches_the_contract(name):
    assert name in UDF_REGISTRY, f"{name} is not an Excel function yet"
    udf = UDF_REGISTRY[name]
    assert getattr(xlsales.udfs, name) is udf
    assert getattr(xlsales.udfs, name.lower()) is udf
    assert name in xlsales.udfs.__all__

    params = list(inspect.signature(udf).parameters.values())
    spec_args = CATALOGUE[name]
    assert [p.name for p in params] == [a for a, _, _ in spec_args]
    for param, (arg, optional, _) in zip(params, spec_args):
        assert param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, arg
        if optional:
            assert param.default is None, f"{name}: optional {arg} must default to None (empty cell = default)"
        else:
            assert param.default is inspect.Parameter.empty, f"{name}: {arg} is required in the spec"

    description = udf.__doc__ or ""
    assert " — " in description, f"{name}: description must be French — English"
    french, english = description.split(" — ", 1)
    assert french.strip() and english.strip()
    assert len(description) <= 255, f"{name}: Excel cuts function descriptions at 255 characters"

    docs = getattr(udf, "__xlsales_arg_docs__", {})
    assert list(docs) == [a for a, _, _ in spec_args]
    for arg, doc in docs.items():
        assert doc.strip() and not doc.startswith("Positional argument"), f"{name}: no description for {arg}"
        assert len(doc) <= 255, f"{name}: Excel cuts argument descriptions at 255 characters ({arg})"


@pytest.mark.parametrize("name", NAMES)
def test_core_function_exists(name):
    core = getattr(xlsales.core, name.lower(), None)
    assert callable(core), f"xlsales.core.{name.lower()} is missing"
    assert inspect.getmodule(core).__name__.startswith("xlsales.core."), core
