"""Clients et portefeuille (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import datetime as dt

import pytest

from xlsales.udfs.customers import (
    ABC_CLASS,
    ACQUISITION_COST,
    CHURN_RATE,
    CUSTOMER_LIFETIME,
    CUSTOMER_VALUE,
    RFM,
)


def test_customer_value_closed_form(worked):
    # http://waycalculator.com/finance/Customers-Lifetime-Value-with-Discount-Rate-Calculator.php
    example = worked("clv_formule_fermee_unites")
    data = example["inputs"]
    assert CUSTOMER_VALUE(data["Cm"], data["CRR"], data["DR"]) == pytest.approx(example["expected"]["CLV"], abs=1e-6)
    # percentages typed as text are read as decimals: no percent-point trap
    assert CUSTOMER_VALUE("8", "4,25 %", "12 %", None, None, None) == pytest.approx(0.315545, abs=1e-6)
    # same page, conversion chart: margin 5 -> 0.197216, 10 -> 0.394432 (a margin RANGE is read as one
    # margin per year, so each margin is its own call)
    assert CUSTOMER_VALUE(5, 0.0425, 0.12) == pytest.approx(0.197216, abs=1e-6)
    assert CUSTOMER_VALUE([[10]], [[0.0425]], [[0.12]]) == pytest.approx(0.394432, abs=1e-6)


def test_customer_value_bts_mco(worked):
    # https://cours-bts-mco.fr/valeur-client/
    example = worked("valeur_client_bts_mco")
    fid = example["inputs"]["fidelisation"]
    acq = example["inputs"]["acquisition"]
    # fidélisation: (150 - 20) a year for 10 years, retention 1, no discounting
    assert CUSTOMER_VALUE(fid["marge_annuelle"] - fid["cout_fidelisation_an"], 1, 0, fid["duree_ans"]) == pytest.approx(
        example["expected"]["valeur_fidelisation"]
    )
    # the same with the ten margins typed in a row: years defaults to the length of the range
    assert CUSTOMER_VALUE([[130] * 10], 1, 0) == pytest.approx(1300)
    # acquisition: one period of margin per customer minus the acquisition cost per customer
    cac = ACQUISITION_COST(acq["cout_offre"], acq["repondants"])
    value = CUSTOMER_VALUE(acq["marge_nette"] / acq["repondants"], 1, 0, 1, cac, None)
    assert value == pytest.approx(example["expected"]["valeur_acquisition_par_client"])


def test_customer_value_errors():
    assert CUSTOMER_VALUE(130, 1, 0) == "#NUM!"  # infinite horizon with retention 1 + discount
    assert CUSTOMER_VALUE(130, 1.2, 0, 3) == "#NUM!"
    assert CUSTOMER_VALUE(130, 0.5, 0, 2.5) == "#NUM!"
    assert CUSTOMER_VALUE([[100, 200]], 1, 0, 3) == "#N/A"
    assert CUSTOMER_VALUE(None, 0.5, 0.1) == "#VALUE!"
    assert CUSTOMER_VALUE("abc", 0.5, 0.1) == "#VALUE!"
    # a column of retention rates: each row its own value, bad rows flagged
    result = CUSTOMER_VALUE(100, [[0.8], [1.5], [0.5]], 0.1)
    assert result[0][0] == pytest.approx(100 * 0.8 / 0.3)
    assert result[1][0] == "#NUM!"
    assert result[2][0] == pytest.approx(100 * 0.5 / 0.6)


def test_customer_value_margin_series_with_first_period():
    # https://termpaperwarehouse.com/essay-on/Clv-8700-Profitable/110734 : -41 at year 0, 427, 465, then
    # 505 to year 40, 10 % discount, retention 1 - 1/7,37 (printed rounded 86 %) -> 1 723,63 (0,1 %).
    margins = [[-41], [427], [465]] + [[505]] * 38
    assert CUSTOMER_VALUE(margins, 1 - 1 / 7.37, "10 %", None, None, 0) == pytest.approx(1723.63, rel=1e-3)


def test_acquisition_churn_lifetime_cells():
    # http://wiki.adviz.ca/?post_type=lexique&p=1284 : 2 500 / 25 = 100
    assert ACQUISITION_COST("2 500", 25) == pytest.approx(100)
    assert ACQUISITION_COST(2500, 0) == "#DIV/0!"
    assert CHURN_RATE([[20], [5]], [[100], [0]]) == [[pytest.approx(0.2)], ["#DIV/0!"]]
    assert CUSTOMER_LIFETIME("20 %") == pytest.approx(5.0)
    assert CUSTOMER_LIFETIME([[0.5, 0, 2]]) == [[2.0, "#DIV/0!", "#NUM!"]]


ALPHA = [6250, 29480, 276, 350, 2610, 150, 1260, 50, 38, 1800, 13500, 1200, 1200, 4500, 400]


def test_abc_class_keeps_orientation():
    # https://fr.scribd.com/document/512838402/La-loi-de-Pareto-3 : B, K, A = 78,06 % -> class A
    column = ABC_CLASS([[v] for v in ALPHA])
    assert len(column) == 15 and all(len(row) == 1 for row in column)
    assert [row[0] for row in column] == ["A", "A", "C", "C", "B", "C", "B", "C", "C", "B", "A", "C", "C", "B", "C"]
    row = ABC_CLASS([ALPHA])
    assert row == [[r[0] for r in column]]
    # French text numbers and trailing empty cells (left blank in the output)
    assert ABC_CLASS([["29 480"], ["6 250"], [None], [""]]) == [["A"], ["C"], [""], [""]]
    # shares given as percentages
    assert ABC_CLASS([[50, 30, 15, 5]], "70 %", "90 %") == [["A", "B", "C", "C"]]


def test_abc_class_errors():
    assert ABC_CLASS([[1], [-1]]) == "#NUM!"
    assert ABC_CLASS([[0], [0]]) == "#DIV/0!"
    assert ABC_CLASS([[1], ["x"]]) == "#VALUE!"
    assert ABC_CLASS([[None]]) == "#N/A"
    assert ABC_CLASS([[1, 2]], 0.9, 0.5) == "#NUM!"
    assert ABC_CLASS(5) == "A"


def test_rfm_table_from_cells():
    ids = [["Ana"], ["Bob"], ["Ana"], ["Cyd"], ["Bob"], ["Ana"], [None]]
    dates = [[45000], [dt.datetime(2023, 3, 17)], ["06/03/2023"], [45005], ["2023-04-06"], [45031], [None]]
    amounts = [[100], ["50,00"], [80], [20], [70], [40], [None]]
    table = RFM(ids, dates, amounts, None, 3)
    assert table[0] == ["Client", "Récence (jours)", "Fréquence", "Montant", "R", "F", "M", "RFM", "Segment"]
    # 2023-03-17 = 45002, 06/03/2023 = 44991, 2023-04-06 = 45022; as_of = 45031 + 1
    assert table[1] == ["Ana", 1.0, 3.0, 220.0, 3.0, 3.0, 3.0, "333", "Champions"]
    assert table[2] == ["Bob", 10.0, 2.0, 120.0, 2.0, 2.0, 2.0, "222", "Fidèles"]
    assert table[3] == ["Cyd", 27.0, 1.0, 20.0, 1.0, 1.0, 1.0, "111", "Perdus"]


def test_rfm_as_of_and_errors():
    ids, dates, amounts = [["a"], ["b"]], [[45000], [45010]], [[10], [20]]
    table = RFM(ids, dates, amounts, dt.date(2023, 4, 1), None)  # 2023-04-01 = 45017
    assert [row[1] for row in table[1:]] == [17.0, 7.0]
    assert RFM(ids, dates, amounts, 45005, None) == "#NUM!"
    assert RFM(ids, [[45000]], amounts, None, None) == "#N/A"
    assert RFM(ids, [["hier"], [45010]], amounts, None, None) == "#VALUE!"
    assert RFM(ids, dates, amounts, None, 12) == "#NUM!"
    assert RFM(ids, [["31/02/2023"], [45010]], amounts, None, None) == "#VALUE!"
