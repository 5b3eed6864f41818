"""Marché et concentration (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import pytest

from xlsales.udfs.market import CUSTOMER_DENSITY, GINI, HHI, MARKET_SHARE, MEDIALE, RELATIVE_MARKET_SHARE


def test_market_share_cells():
    # https://fr.scribd.com/document/715218592/Exercice-BCG-Voitures : 7,91 %, 16,83 %
    result = MARKET_SHARE([[8000], [35000], [1]], [[101200], [208000], [0]])
    assert result[0][0] * 100 == pytest.approx(7.91, abs=0.005)
    assert result[1][0] * 100 == pytest.approx(16.83, abs=0.005)
    assert result[2][0] == "#DIV/0!"
    assert MARKET_SHARE("20 500", "600 000") * 100 == pytest.approx(3.4, abs=0.05)
    assert MARKET_SHARE(-1, 5) == "#NUM!"


def test_relative_market_share_cells():
    # https://fr.scribd.com/document/739876397/Exercice-BCG-GBC : 20 500 / 35 600 = 0,58
    assert RELATIVE_MARKET_SHARE(20500, [[35600]]) == pytest.approx(0.58, abs=0.005)
    # https://etudier.com/dissertations/Test/433821.html : Calvados 45 % vs 23 % -> 1,96 (shares as text)
    assert RELATIVE_MARKET_SHARE("45 %", [["23 %"], ["10 %"], ["22 %"]]) == pytest.approx(1.96, abs=0.005)
    # a whole market table that includes the company: own / n° 2
    assert RELATIVE_MARKET_SHARE([[45], [11]], [[45], [23], [11]]) == [
        [pytest.approx(45 / 23)],
        [pytest.approx(11 / 45)],
    ]
    assert RELATIVE_MARKET_SHARE(5, [[5]]) == "#N/A"
    assert RELATIVE_MARKET_SHARE(5, [[0], [0]]) == "#DIV/0!"
    assert RELATIVE_MARKET_SHARE(None, [[5]]) == "#VALUE!"


def test_gini_and_mediale_cells(worked):
    # https://tcetsgedakhla.blogspot.com/2018/05/les-indicateurs-de-concentration.html
    example = worked("gini_mediale_tcetsge")
    classes, counts = example["inputs"]["classes"], example["inputs"]["effectifs"]
    centres = [[(a + b) / 2] for a, b in classes]
    assert GINI(centres, [[n] for n in counts]) * 100 == pytest.approx(example["expected"]["gini_pct"], abs=0.001)
    assert MEDIALE([[a for a, _ in classes]], [[b for _, b in classes]], [counts]) == pytest.approx(
        example["expected"]["mediale"], abs=0.01
    )
    # https://moodle.luniversitenumerique.fr/mod/book/view.php?id=4242&chapterid=1154 : 0,496 (rounded thirds)
    assert GINI([[0, 25, 75]], None) == pytest.approx(0.496, abs=0.005)
    assert GINI([[0], [0]]) == "#DIV/0!"
    assert GINI([[1], [2]], [[1]]) == "#N/A"
    assert GINI([[1], [-2]]) == "#NUM!"
    assert MEDIALE([[0, 10]], [[10, 5]], [[1, 1]]) == "#NUM!"
    assert MEDIALE([[0, 10]], [[10, 20]], [[1]]) == "#N/A"


def test_hhi_and_density_cells():
    # EU Commission glossary (quoted on https://375835.pnozaj.asia/terme?id=2738): 5 x 20 % -> 2 000
    assert HHI([["20 %"], ["20 %"], ["20 %"], ["20 %"], ["20 %"]]) == pytest.approx(2000)
    # https://helpleft.com/fr/finance/what-is-the-herfindahl-hirschman-index.html : 30/30/20/20 points -> 2 600
    assert HHI([[30, 30, 20, 20]]) == pytest.approx(2600)
    assert HHI([[60, 50]]) == "#NUM!"
    # https://www.smappen.fr/blog/calcul-taux-de-penetration/ : 500 / 10 000 = 5 %
    assert CUSTOMER_DENSITY("500", "10 000") == pytest.approx(0.05)
    assert CUSTOMER_DENSITY([[500, 3]], [[10000, 0]]) == [[pytest.approx(0.05), "#DIV/0!"]]
