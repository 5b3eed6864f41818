"""Indicateurs commerciaux (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from xlsales import udfs
from xlsales.udfs import customers as udf_customers
from xlsales.udfs import kpi as udf_kpi
from xlsales.udfs import market as udf_market
from xlsales.udfs.kpi import (
    ATTAINMENT,
    AVERAGE_BASKET,
    CAGR,
    CONTACT_RATE,
    CONVERSION_RATE,
    COVERAGE_RATE,
    GROWTH_RATE,
    INDEX_BASE,
    RETURN_RATE,
    REVENUE_VARIANCE,
    SCORE,
    UNPAID_RATE,
    VARIANCE,
    VARIANCE_RATE,
)

SPEC = Path(__file__).resolve().parents[2] / "docs" / "spec" / "functions.md"
SECTIONS = {"3": udf_kpi, "4": udf_customers, "5": udf_market}


def _spec_signatures():
    """Excel name -> argument names, for sections 3, 4 and 5 of the catalogue."""
    signatures, section = {}, None
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\d+)\.", line)
        if heading:
            section = heading.group(1)
        call = re.match(r"^\| ([A-Z_]+)\(([^)]*)\)", line)
        if call and section in SECTIONS:
            args = [a.strip().strip("[]").split("=")[0].strip() for a in call.group(2).split(",")]
            signatures[call.group(1)] = (section, args)
    return signatures


def test_catalogue_sections_3_to_5_are_all_implemented_with_spec_argument_names():
    signatures = _spec_signatures()
    assert len(signatures) == 26
    for name, (section, args) in signatures.items():
        function = getattr(SECTIONS[section], name)
        assert list(inspect.signature(function).parameters) == args, name
        assert udfs.__getattr__(name.lower()) is function
        assert getattr(udfs, name) is function


RATIO_UDFS = [COVERAGE_RATE, CONTACT_RATE, CONVERSION_RATE, RETURN_RATE, UNPAID_RATE, AVERAGE_BASKET]


def test_ratio_cells_published():
    # https://sky-level.fr/contact-rate-definition-exemple-et-bonnes-pratiques : 80 / 200 = 40 %
    assert CONTACT_RATE(80, 200) == pytest.approx(0.4)
    # https://www.itl.fr/fr/fichier/105-interpretation-des-resultats : 400 / 20 000 = 2 %; 24 000 / 400 = 60
    assert RETURN_RATE("400", "20 000") == pytest.approx(0.02)
    assert AVERAGE_BASKET("24 000 €", [[400]]) == pytest.approx(60)
    # https://rivva.ai/blog/fixer-objectifs-commerciaux.html : 20 sales out of 80 meetings
    assert CONVERSION_RATE([[20]], [[80]]) == pytest.approx(0.25)
    # https://datalegal.fr/lexique/definitions/taux-de-penetration/ : 1 500 / 5 000
    assert COVERAGE_RATE(1500, 5000) == pytest.approx(0.3)
    assert UNPAID_RATE("3 000,00", 120000) == pytest.approx(0.025)


@pytest.mark.parametrize("udf", RATIO_UDFS)
def test_ratio_columns_errors_per_cell(udf):
    result = udf([[1], [2], [-3]], [[4], [0], [5]])
    assert result[0][0] == pytest.approx(0.25)
    assert result[1][0] == "#DIV/0!"
    assert result[2][0] == "#NUM!"
    # a text cell in a range makes the whole range bad input
    assert udf([[1], ["abc"]], [[4], [1]]) == "#VALUE!"
    assert udf("abc", 4) == "#VALUE!"
    assert udf([[1, 2]], [[1, 2, 3]]) == "#N/A"
    # a row stays a row; an empty cell counts as 0 like Excel's arithmetic
    assert udf([[1, 3]], 4) == [[0.25, 0.75]]
    assert udf(None, 4) == 0.0
    assert udf(4, None) == "#DIV/0!"


def test_score_cells():
    # https://lecoursgratuit.com/grille-devaluation-des-reponses-a-appel-doffres-modeles-word/amp : 77 / 100
    assert SCORE([[4, 3, 4, 5]], [[35], [25], [30], [10]], 5, 100) == pytest.approx(77.0)
    assert SCORE([[4], [3], [4], [5]], [[35, 25, 30, 10]], None, None) == pytest.approx(3.85)
    # only one of max_rating / scale: no rescaling
    assert SCORE([[4, 3, 4, 5]], [[35, 25, 30, 10]], "5", None) == pytest.approx(3.85)
    # one grid per row -> a column of scores; one grid per column -> a row
    per_row = SCORE([[4, 3, 4, 5], [5, 5, 5, 5]], [[35, 25, 30, 10]], 5, 20)
    assert per_row == [[pytest.approx(15.4)], [pytest.approx(20.0)]]
    per_column = SCORE([[4, 5], [3, 5], [4, 5], [5, 5]], [[35, 25, 30, 10]], 5, 20)
    assert per_column == [[pytest.approx(15.4), pytest.approx(20.0)]]
    assert SCORE([[4, 3, 4]], [[35, 25, 30, 10]]) == "#N/A"
    assert SCORE([[4, 3]], [[0, 0]]) == "#DIV/0!"
    assert SCORE([[4, None]], [[1, 1]]) == "#VALUE!"


def test_variances_and_growth_cells():
    # https://fr.scribd.com/document/622980697/Corrige-Electrodepot : -420 (-4,1 %), +7,1 %
    assert VARIANCE(9800, 10220) == -420.0
    assert VARIANCE_RATE([[9800], [2009]], [[10220], [2085]]) == [
        [pytest.approx(-0.041, abs=5e-4)],
        [pytest.approx(-0.036, abs=5e-4)],
    ]
    assert GROWTH_RATE("9 800", "9 150") == pytest.approx(0.071, abs=5e-4)
    assert ATTAINMENT(10426, 10220) == pytest.approx(1.0202, abs=5e-5)
    assert ATTAINMENT(1, 0) == "#DIV/0!"
    assert VARIANCE_RATE(1, 0) == "#DIV/0!"
    assert GROWTH_RATE([[10, 5]], [[0, 4]]) == [["#DIV/0!", 0.25]]


def test_index_base_cells():
    # https://www.maxicours.com/se/cours/indice-simple-en-base-100/ : 106,6 and 147,1 (base 100 by default)
    result = INDEX_BASE([[145, 200]], 136, None)
    assert result == [[pytest.approx(106.6, abs=0.05), pytest.approx(147.1, abs=0.05)]]
    assert INDEX_BASE(150, 100, [[None]]) == pytest.approx(150)
    assert INDEX_BASE(150, 100, 1) == pytest.approx(1.5)
    assert INDEX_BASE(150, 0) == "#DIV/0!"


def test_cagr_cells(worked):
    # https://fr.scribd.com/document/683808226/Corrige-maths-CGO
    example = worked("tcam_bts_cg_2021")
    data = example["inputs"]
    tcam = CAGR(data["CA_2018"], data["CA_2013"], data["n_annees"])
    assert tcam * 100 == pytest.approx(example["expected"]["TCAM_pct"], abs=0.05)
    # https://vittorina.fr/devoir/3576726 : 1,91 % a year over 8 years
    assert CAGR("1 672 300", "1 437 000", 8) == pytest.approx(0.0191, abs=5e-5)
    assert CAGR(10, 5, 0) == "#NUM!"
    assert CAGR(10, 5, None) == "#VALUE!"
    assert CAGR(10, 0, 2) == "#DIV/0!"
    assert CAGR([[121], [-4]], 100, 2) == [[pytest.approx(0.1)], ["#NUM!"]]


def test_revenue_variance_spills_label_amount_rows():
    # https://fr.scribd.com/document/722367025/exercices-corrige-s-contro-le-des-ventes-1 (« Mon jardin »);
    # the sheet's "-615000" volume effect is a typo for -61 500 (see tests/core/test_kpi.py).
    rows = REVENUE_VARIANCE([[2200], [4900]], [[1250], [290]], [[2400], [4800]], [["1 235"], ["305"]])
    assert [r[0] for r in rows] == [
        "Écart sur chiffre d'affaires",
        "Écart sur prix",
        "Écart sur quantités",
        "dont écart sur volume global",
        "dont écart sur composition (mix)",
    ]
    assert [r[1] for r in rows] == pytest.approx([-257000, -40500, -216500, -61500, -155000])
    single = REVENUE_VARIANCE(2200, 1250, 2400, 1235)
    assert [r[1] for r in single] == pytest.approx([-214000, 33000, -247000])
    assert REVENUE_VARIANCE([[1, 2]], [[1, 2]], [[1]], [[1, 2]]) == "#N/A"
    assert REVENUE_VARIANCE([[1, -2]], [[1, 2]], [[1, 2]], [[1, 2]]) == "#NUM!"
    assert REVENUE_VARIANCE([[1, "x"]], [[1, 2]], [[1, 2]], [[1, 2]]) == "#VALUE!"
