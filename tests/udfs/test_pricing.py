"""Prix et marges (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import datetime as dt

import pytest

from xlsales import udfs
from xlsales.udfs.pricing import (
    INVOICE,
    MARGIN,
    MARGIN_RATE,
    MARK_RATE,
    MULTIPLIER,
    NET_PRICE,
    PRICE_FROM_MARGIN_RATE,
    PRICE_FROM_MARK_RATE,
    PRICE_HT,
    PRICE_TTC,
)


def test_registered_under_excel_and_lower_case_names():
    assert udfs.MARGIN_RATE is MARGIN_RATE
    assert udfs.margin_rate is MARGIN_RATE
    assert udfs.invoice is INVOICE


def test_scalar_cells(worked):
    # https://monbtsmco.com/calculs-commerciaux-exercices-pdf-9-exercices (Épicerie Verte, bijoutier)
    ex = worked("marge_marque_coef_multiplicateur")
    ev = ex["inputs"]["epicerie_verte"]
    assert MARGIN(ev["PV_HT"], ev["PA_HT"]) == 12.0
    assert MARGIN_RATE(ev["PV_HT"], ev["PA_HT"]) * 100 == pytest.approx(ex["expected"]["ev_taux_marge_pct"], abs=0.01)
    assert MARK_RATE([[30]], [[18]]) == pytest.approx(0.4)  # a single cell as a 1 × 1 range
    assert MULTIPLIER(1250, 875) == pytest.approx(1.4286, abs=1e-4)


def test_column_with_zero_cost_gives_div0_in_that_row_only():
    result = MARGIN_RATE([[30], [12], [125]], [[18], [0], [100]])
    assert len(result) == 3 and all(len(row) == 1 for row in result)
    assert result[0][0] == pytest.approx(2 / 3)
    assert result[1][0] == "#DIV/0!"
    assert result[2][0] == pytest.approx(0.25)


def test_row_ranges_keep_their_orientation():
    result = MARK_RATE([[30, 0, 1250]], [[18, 5, 875]])
    assert len(result) == 1 and len(result[0]) == 3
    assert result[0][0] == pytest.approx(0.4)
    assert result[0][1] == "#DIV/0!"
    assert result[0][2] == pytest.approx(0.3)


def test_scalar_broadcast_against_a_range():
    # one cost for a column of prices
    assert MARGIN([[30], [40]], 18) == [[12.0], [22.0]]
    # ranges of different sizes cannot be matched
    assert MARGIN([[1, 2]], [[1, 2, 3]]) == "#N/A"


def test_french_text_numbers_are_read():
    assert MARGIN_RATE("1 250,50", "1 000") == pytest.approx(0.2505)
    assert PRICE_FROM_MARK_RATE("72", "20 %") == pytest.approx(90)
    assert PRICE_HT("10\u00a0800", "20 %") == pytest.approx(9000)  # non-breaking space as thousands separator
    assert PRICE_TTC("37,50 €", None) == pytest.approx(45)


def test_bad_input_gives_excel_error_strings():
    assert MARGIN("abc", 3) == "#VALUE!"
    assert PRICE_FROM_MARK_RATE(72, 1) == "#NUM!"
    assert PRICE_FROM_MARK_RATE([[72], [72], [80]], [[0.2], [1.5], [0.2]]) == [[90.0], ["#NUM!"], [100.0]]
    assert PRICE_HT(120, [[0.2], [-1]]) == [[100.0], ["#NUM!"]]
    assert MULTIPLIER(10, 0) == "#DIV/0!"


def test_empty_cells():
    # an empty required cell counts as 0 (Excel arithmetic): zero cost → #DIV/0!
    assert MARGIN_RATE([[30], [None]], [[18], [None]]) == [[pytest.approx(2 / 3)], ["#DIV/0!"]]
    assert MARGIN(30, None) == 30.0


def test_empty_optional_arguments_take_the_defaults():
    assert PRICE_TTC(100) == pytest.approx(120)
    assert PRICE_TTC(100, None) == pytest.approx(120)
    assert PRICE_TTC(100, [[None]]) == pytest.approx(120)
    assert PRICE_TTC(100, "") == pytest.approx(120)
    assert PRICE_HT(120, None) == pytest.approx(100)
    assert MULTIPLIER(1250, 875, None) == pytest.approx(1250 / 875)
    assert MULTIPLIER(37.5, 15, 0.2) == pytest.approx(3.0)  # coefficient TTC (chaussures)
    assert PRICE_TTC(100, 0) == pytest.approx(100)  # an explicit 0 is not "empty"


def test_price_from_margin_rate_range():
    # https://monbtsmco.com/qcm-calculs-commerciaux-pdf-9-exercices (Gourmet Tradition: 4 € at 30 %)
    # https://monbtsmco.com/comment-calculer-sa-marge-en-restauration-9-exercices (15 € at 60 %)
    assert PRICE_FROM_MARGIN_RATE([[4], [15]], [["30 %"], ["60 %"]]) == [[pytest.approx(5.2)], [pytest.approx(24.0)]]


def test_net_price_with_a_range_of_discounts():
    # https://lecoursgratuit.com/calculer-une-remise-en-cascade-appliquer-sur-les-factures
    # 1 000 € at 10 %, 5 %, 2 %: 837,90 € (the page prints 838,90, a typo: 855 × 0,98 = 837,90).
    assert NET_PRICE(1000, [["10 %"], ["5 %"], ["2 %"]]) == pytest.approx(837.90)
    assert NET_PRICE(1000, [[0.10, 0.05, 0.02]]) == pytest.approx(837.90)  # a row works too
    assert NET_PRICE(1000, [[0.10], [0.05], [0.02], [None]]) == pytest.approx(837.90)  # trailing blank
    assert NET_PRICE([[100], [1000]], [[0.2], [0.1], [0.05]]) == [[pytest.approx(68.4)], [pytest.approx(684.0)]]
    assert NET_PRICE(1000, None) == 1000.0
    assert NET_PRICE(1000, [[0.1, 1.2]]) == "#NUM!"
    assert NET_PRICE(1000, [["dix"]]) == "#VALUE!"


def test_invoice_spills_a_two_column_table(worked):
    ex = worked("facture_remise_escompte")
    oc, exp = ex["inputs"]["openclassrooms"], ex["expected"]
    table = INVOICE(oc["brut_HT"], [["10 %"]], None, None, None)
    assert all(len(row) == 2 for row in table)
    assert [row[0] for row in table] == [
        "Montant brut HT",
        "Réduction 1 (10 %)",
        "Net commercial HT",
        "Frais de port HT",
        "Escompte (0 %)",
        "Net financier HT",
        "TVA (20 %)",
        "Net à payer TTC",
    ]
    amounts = dict((label, amount) for label, amount in table)
    assert amounts["Réduction 1 (10 %)"] == pytest.approx(-exp["oc_cas2_remise"])
    assert amounts["TVA (20 %)"] == pytest.approx(exp["oc_cas2_TVA"])
    assert amounts["Net à payer TTC"] == pytest.approx(exp["oc_cas2_TTC"])


def test_invoice_with_escompte_and_shipping():
    # https://fr.scribd.com/document/649686010/Exercice-Element-Prix (exercice 2): 4 922 DH brut,
    # escompte 5 % → net financier 4 675,9 DH.
    amounts = dict((label, amount) for label, amount in INVOICE("4 922", None, None, "5 %", None))
    assert amounts["Net financier HT"] == pytest.approx(4675.9)
    with_port = dict((l, a) for l, a in INVOICE(1000, [[0.1], [0.05]], "50", 0.02, "5,5 %"))
    assert with_port["Net commercial HT"] == pytest.approx(855)
    assert with_port["Escompte (2 %)"] == pytest.approx(-18.1)
    assert with_port["TVA (5,5 %)"] == pytest.approx(886.9 * 0.055)


def test_invoice_errors():
    assert INVOICE(None, None, None, None, None) == "#VALUE!"
    assert INVOICE("abc", None, None, None, None) == "#VALUE!"
    assert INVOICE(100, None, None, 1, None) == "#NUM!"
    assert INVOICE(100, [[1.5]], None, None, None) == "#NUM!"
    assert INVOICE([[100, 200]], None, None, None, None) == "#VALUE!"


def test_dates_are_numbers_for_excel():
    # a date cell arrives as datetime; as a number it is its Excel serial (1 Jan 2026 = 46023)
    assert MARGIN(dt.datetime(2026, 1, 1), 0) == 46023.0
