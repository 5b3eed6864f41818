"""Prix et marges (core): published exercises, French conventions, broadcasting and errors."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import tolerance
from xlsales.core import pricing
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError
from xlsales.core.pricing import (
    invoice,
    margin,
    margin_rate,
    mark_rate,
    multiplier,
    net_price,
    price_from_margin_rate,
    price_from_mark_rate,
    price_ht,
    price_ttc,
)


def rows_of(table):
    return dict(table)


# --------------------------------------------------------------------------------------------
# Worked example "marge_marque_coef_multiplicateur"
# https://monbtsmco.com/calculs-commerciaux-exercices-pdf-9-exercices ;
# http://docplayer.fr/23910814-Chapitre-11-les-facteurs-explicatifs-d-un-prix.html ;
# http://france83.free.fr/TTT (fiche « Les marges », K. Petit)
# --------------------------------------------------------------------------------------------


def test_epicerie_verte_margin_and_mark_rates(worked):
    ex = worked("marge_marque_coef_multiplicateur")
    ev, exp = ex["inputs"]["epicerie_verte"], ex["expected"]
    assert margin_rate(ev["PV_HT"], ev["PA_HT"]) * 100 == pytest.approx(
        exp["ev_taux_marge_pct"], abs=tolerance(ex, "ev_taux_marge_pct")
    )
    assert mark_rate(ev["PV_HT"], ev["PA_HT"]) * 100 == pytest.approx(
        exp["ev_taux_marque_pct"], abs=tolerance(ex, "ev_taux_marque_pct")
    )
    assert margin(ev["PV_HT"], ev["PA_HT"]) * ev["Q"] == pytest.approx(
        exp["ev_marge_globale"], abs=tolerance(ex, "ev_marge_globale")
    )


def test_manteau_rates(worked):
    ex = worked("marge_marque_coef_multiplicateur")
    m, exp = ex["inputs"]["manteau"], ex["expected"]
    assert margin_rate(m["PV_HT"], m["PA_HT"]) * 100 == pytest.approx(exp["manteau_taux_marge_pct"], abs=1e-9)
    # published "33 %" is 33.33 % rounded: the example carries a 0.34 point tolerance.
    assert mark_rate(m["PV_HT"], m["PA_HT"]) * 100 == pytest.approx(
        exp["manteau_taux_marque_pct"], abs=tolerance(ex, "manteau_taux_marque_pct")
    )
    assert mark_rate(m["PV_HT"], m["PA_HT"]) == pytest.approx(1 / 3)


def test_chaussures_coefficient_ttc(worked):
    ex = worked("marge_marque_coef_multiplicateur")
    c, exp = ex["inputs"]["chaussures"], ex["expected"]
    pv_ttc = c["PA_HT"] * c["coef_TTC"]
    assert pv_ttc == pytest.approx(exp["chaussures_PV_TTC"])
    pv_ht = price_ht(exp["chaussures_PV_TTC"])  # 37.50 € HT at 20 %
    assert pv_ht == pytest.approx(37.5)
    assert multiplier(pv_ht, c["PA_HT"], 0.2) == pytest.approx(c["coef_TTC"])
    assert multiplier(pv_ht, c["PA_HT"]) == pytest.approx(2.5)  # HT coefficient


def test_bijoutier_mark_rate_and_truncated_coefficient(worked):
    ex = worked("marge_marque_coef_multiplicateur")
    b, exp = ex["inputs"]["bijoutier"], ex["expected"]
    assert mark_rate(b["PV_HT"], b["cout_achat"]) * 100 == pytest.approx(exp["bijoutier_taux_marque_pct"])
    coef = multiplier(b["PV_HT"], b["cout_achat"])
    # published 1,42 is truncated; the right rounding is 1.43 (1250 / 875 = 1.4286).
    assert coef == pytest.approx(exp["bijoutier_coef_HT"], abs=tolerance(ex, "bijoutier_coef_HT"))
    assert round(coef, 2) == 1.43
    # coefficient HT = 1 / (1 − taux de marque)
    assert coef == pytest.approx(1 / (1 - mark_rate(b["PV_HT"], b["cout_achat"])))


def test_petit_price_from_mark_and_margin_rates(worked):
    ex = worked("marge_marque_coef_multiplicateur")
    p, exp = ex["inputs"]["petit"], ex["expected"]
    assert price_from_mark_rate(72, p["PA_72_taux_marque"]) == pytest.approx(exp["petit_PV"])
    # PA = PV / (1 + Tmarge) = 260 / 1.3 = 200: going forward from the published cost gives 260.
    assert price_from_margin_rate(exp["petit_PA"], p["PV_260_taux_marge"]) == pytest.approx(260)


# --------------------------------------------------------------------------------------------
# Worked example "facture_remise_escompte"
# https://openclassrooms.com/fr/courses/4940566-realisez-les-operations-courantes-de-comptabilite/5093966-prenez-en-compte-les-remises-et-les-escomptes-pour-les-ventes
# http://fisker.free.fr/Fac/S4/TI89%20-%20Compta/compta.rrr.89t
# --------------------------------------------------------------------------------------------


def test_openclassrooms_invoice_case_2(worked):
    ex = worked("facture_remise_escompte")
    oc, exp = ex["inputs"]["openclassrooms"], ex["expected"]
    table = invoice(oc["brut_HT"], [oc["remise"]], vat_rate=oc["TVA"])
    amounts = [amount for _label, amount in table]
    tol = tolerance(ex, "oc_cas2_TVA")
    assert -amounts[1] == pytest.approx(exp["oc_cas2_remise"], abs=tol)
    assert rows_of(table)["TVA (20 %)"] == pytest.approx(exp["oc_cas2_TVA"], abs=tol)
    assert rows_of(table)["Net à payer TTC"] == pytest.approx(exp["oc_cas2_TTC"], abs=tol)


def test_openclassrooms_invoice_case_4_with_escompte(worked):
    ex = worked("facture_remise_escompte")
    oc = ex["inputs"]["openclassrooms"]
    table = rows_of(invoice(oc["brut_HT"], [oc["remise"]], cash_discount=oc["cas4_escompte"], vat_rate=oc["TVA"]))
    # Case 4 is not in the stored excerpt; by hand: NC 9 000, escompte 2 % = 180, NF 8 820,
    # TVA 1 764, net à payer 10 584 (the escompte comes before the VAT).
    assert table["Net commercial HT"] == pytest.approx(9000)
    assert table["Escompte (2 %)"] == pytest.approx(-180)
    assert table["Net financier HT"] == pytest.approx(8820)
    assert table["TVA (20 %)"] == pytest.approx(1764)
    assert table["Net à payer TTC"] == pytest.approx(10584)


def test_ti89_invoice_old_vat_rate(worked):
    ex = worked("facture_remise_escompte")
    ti, exp = ex["inputs"]["ti89"], ex["expected"]
    table = rows_of(invoice(ti["brut_HT"], [ti["remise"]], vat_rate=ti["TVA_ancien_taux"]))
    tol = tolerance(ex, "ti_TVA")
    assert table["Net commercial HT"] == pytest.approx(exp["ti_net_commercial"], abs=tol)
    assert table["TVA (19,6 %)"] == pytest.approx(exp["ti_TVA"], abs=tol)
    assert table["Net à payer TTC"] == pytest.approx(exp["ti_TTC"], abs=tol)
    assert net_price(ti["brut_HT"], [ti["remise"]]) == pytest.approx(exp["ti_net_commercial"])


# --------------------------------------------------------------------------------------------
# Extra public exercises
# --------------------------------------------------------------------------------------------


def test_cascade_discounts_lecoursgratuit_typo():
    # https://lecoursgratuit.com/calculer-une-remise-en-cascade-appliquer-sur-les-factures
    # 1 000 € with 10 %, 5 %, 2 % in cascade: 900, then 855 (published), then the page prints
    # 838,90 € — a typo: 855 × 0,98 = 837,90 €. The correct value is tested.
    assert net_price(1000, [0.10]) == pytest.approx(900)
    assert net_price(1000, [0.10, 0.05]) == pytest.approx(855)
    assert net_price(1000, [0.10, 0.05, 0.02]) == pytest.approx(837.90)
    # the page's pitfall: adding the rates (17 %) gives 830 €, not the cascade.
    assert net_price(1000, [0.17]) == pytest.approx(830)
    assert net_price(1000, [0.10, 0.05, 0.02]) != pytest.approx(830)


def test_cascade_discounts_macalculatriceenligne():
    # https://macalculatriceenligne.com/finance/salaire/calcul-remise
    # 100 € −20 % = 80 €, −10 % = 72 € (≠ 70 €), −5 % = 68,40 €; global ≈ 31,6 % (≠ 35 %).
    assert net_price(100, [0.20]) == pytest.approx(80)
    assert net_price(100, [0.20, 0.10]) == pytest.approx(72)
    assert net_price(100, [0.20, 0.10, 0.05]) == pytest.approx(68.40)
    assert 1 - net_price(1, [0.20, 0.10, 0.05]) == pytest.approx(0.316, abs=0.0005)
    # order of the rates does not change the net
    assert net_price(100, [0.05, 0.10, 0.20]) == pytest.approx(68.40)


def test_element_prix_exercise_1_addition_slip():
    # https://fr.scribd.com/document/649686010/Exercice-Element-Prix (exercice 1)
    # Bought 373,32 DH net, taux de marge 10 %: marge 37,33 DH. The page prints
    # 373,32 + 37,33 = 410,66 DH — an addition slip (it is 410,65; exactly 410,652). Its
    # coefficient 1,1000214 and TTC 492,79 follow from the slip. Correct values tested.
    pv = price_from_margin_rate(373.32, 0.10)
    assert margin(pv, 373.32) == pytest.approx(37.33, abs=0.005)
    assert pv == pytest.approx(410.65, abs=0.005)
    assert multiplier(pv, 373.32) == pytest.approx(1.10)
    assert price_ttc(pv) == pytest.approx(492.78, abs=0.005)


def test_element_prix_exercise_2_escompte_then_margin():
    # https://fr.scribd.com/document/649686010/Exercice-Element-Prix (exercice 2)
    # 92 m at 53,50 DH = 4 922 DH brut, escompte 5 % → net financier 4 675,9 DH; selling at
    # 25 % on cost → 5 844,88 DH HT (5 844,875 rounded); TTC published 7 013,86 DH, computed
    # from the rounded 5 844,88 (× 1,2 = 7 013,856): from the exact HT price it is 7 013,85.
    table = rows_of(invoice(92 * 53.50, cash_discount=0.05))
    assert table["Montant brut HT"] == pytest.approx(4922)
    assert table["Net financier HT"] == pytest.approx(4675.9)
    pv_ht = price_from_margin_rate(table["Net financier HT"], 0.25)
    assert pv_ht == pytest.approx(5844.875)
    assert abs(pv_ht - 5844.88) <= 0.005 + 1e-9  # the published value is this, rounded half up
    assert price_ttc(5844.88) == pytest.approx(7013.86, abs=0.005)
    assert price_ttc(pv_ht) == pytest.approx(7013.85, abs=0.001)


def test_gourmet_tradition():
    # https://monbtsmco.com/qcm-calculs-commerciaux-pdf-9-exercices (Gourmet Tradition)
    assert price_from_margin_rate(4, 0.30) == pytest.approx(5.20)
    assert margin(7, 4) == pytest.approx(3)
    assert net_price(7, [0.10]) == pytest.approx(6.30)


def test_la_bonne_cuisine():
    # https://monbtsmco.com/comment-calculer-sa-marge-en-restauration-9-exercices
    # Coq au vin: cost 15 €, sold 30 € HT → marge 15 €, taux de marge 100 %, taux de marque
    # 50 %; for a 60 % taux de marge the price is 24 € HT; 200 dishes → 3 000 € of margin.
    assert margin(30, 15) == 15
    assert margin_rate(30, 15) == pytest.approx(1.0)
    assert mark_rate(30, 15) == pytest.approx(0.5)
    assert price_from_margin_rate(15, 0.60) == pytest.approx(24)
    assert margin(30, 15) * 200 == pytest.approx(3000)


def test_k_petit_rates_on_200_150():
    # http://france83.free.fr/TTT (K. Petit, « Les marges »): PV 200 €, PA 150 € →
    # taux de marque 25 %, taux de marge 33 1/3 %.
    assert mark_rate(200, 150) == pytest.approx(0.25)
    assert margin_rate(200, 150) == pytest.approx(1 / 3)


# --------------------------------------------------------------------------------------------
# Conventions, broadcasting, errors
# --------------------------------------------------------------------------------------------


def test_scalars_give_python_floats():
    for value in (margin(30, 18), margin_rate(30, 18), mark_rate(30, 18), price_ttc(10), price_ht(12), net_price(10, [])):
        assert type(value) is float


def test_margin_rate_is_on_cost_mark_rate_on_price():
    # French convention: same margin, two different bases.
    assert margin_rate(125, 100) == pytest.approx(0.25)
    assert mark_rate(125, 100) == pytest.approx(0.20)


def test_price_ht_divides_never_subtracts():
    assert price_ht(120, 0.2) == pytest.approx(100)
    assert price_ht(120, 0.2) != pytest.approx(120 * (1 - 0.2))
    assert price_ttc(100, 0.055) == pytest.approx(105.5)
    assert price_ht(105.5, 0.055) == pytest.approx(100)


def test_arrays_broadcast_and_mark_bad_elements_with_nan():
    result = margin_rate(np.array([30.0, 12.0, 20.0]), np.array([18.0, 0.0, 10.0]))
    assert isinstance(result, np.ndarray) and result.shape == (3,)
    assert result[0] == pytest.approx(2 / 3)
    assert math.isnan(result[1])
    assert result[2] == pytest.approx(1.0)
    column = price_from_mark_rate(np.array([[72.0], [72.0]]), np.array([[0.2], [1.0]]))
    assert column.shape == (2, 1)
    assert column[0, 0] == pytest.approx(90) and math.isnan(column[1, 0])
    grid = price_ttc([100, 200], [[0.2], [0.1]])
    assert grid.shape == (2, 2)
    np.testing.assert_allclose(grid, [[120, 240], [110, 220]])


def test_scalar_errors_raise_the_right_class():
    with pytest.raises(DivisionByZeroError) as error:
        margin_rate(10, 0)
    assert error.value.excel == "#DIV/0!" and error.value.argument == "cost"
    with pytest.raises(DivisionByZeroError):
        mark_rate(0, 10)
    with pytest.raises(DivisionByZeroError):
        multiplier(10, 0)
    with pytest.raises(DomainError) as error:
        price_from_mark_rate(10, 1)
    assert error.value.excel == "#NUM!" and error.value.argument == "mark_rate"
    with pytest.raises(DomainError):
        price_ht(10, -1)
    with pytest.raises(BadValueError) as error:
        margin("abc", 1)
    assert error.value.excel == "#VALUE!"


def test_net_price_discount_domain():
    assert net_price(100, []) == 100
    assert net_price(100, None) == 100
    with pytest.raises(DomainError):
        net_price(100, [0.1, 1.0])
    with pytest.raises(DomainError):
        net_price(100, [-0.1])
    with pytest.raises(BadValueError):
        net_price(100, ["dix"])
    assert net_price(np.array([100.0, 200.0]), [0.5]).tolist() == [50.0, 100.0]


def test_invoice_rows_order_and_shipping_before_escompte():
    table = invoice(1000, [0.10, 0.05], shipping=50, cash_discount=0.02, vat_rate=0.2)
    labels = [label for label, _ in table]
    assert labels == [
        "Montant brut HT",
        "Réduction 1 (10 %)",
        "Réduction 2 (5 %)",
        "Net commercial HT",
        "Frais de port HT",
        "Escompte (2 %)",
        "Net financier HT",
        "TVA (20 %)",
        "Net à payer TTC",
    ]
    amounts = dict(table)
    assert amounts["Réduction 1 (10 %)"] == pytest.approx(-100)
    assert amounts["Réduction 2 (5 %)"] == pytest.approx(-45)  # on the previous net, 900
    assert amounts["Net commercial HT"] == pytest.approx(855)
    assert amounts["Escompte (2 %)"] == pytest.approx(-(855 + 50) * 0.02)
    assert amounts["Net financier HT"] == pytest.approx(886.9)
    assert amounts["TVA (20 %)"] == pytest.approx(177.38)
    assert amounts["Net à payer TTC"] == pytest.approx(1064.28)
    # every amount is a plain float, no negative zero for an absent escompte
    plain = invoice(100)
    assert all(type(a) is float for _, a in plain)
    assert math.copysign(1, dict(plain)["Escompte (0 %)"]) == 1.0


def test_invoice_argument_errors():
    with pytest.raises(DomainError):
        invoice(-1)
    with pytest.raises(DomainError):
        invoice(100, cash_discount=1)
    with pytest.raises(DomainError):
        invoice(100, shipping=-5)
    with pytest.raises(DomainError):
        invoice(100, vat_rate=-0.2)
    with pytest.raises(BadValueError):
        invoice([100, 200])
    with pytest.raises(DomainError):
        invoice(100, [1.5])


def test_invoice_argument_name_follows_the_catalogue():
    import inspect

    assert "commercial_discounts_range" in inspect.signature(invoice).parameters
    assert invoice(100, commercial_discounts_range=[0.5])[2] == ("Net commercial HT", 50.0)


def test_all_lists_the_catalogue_functions():
    assert set(pricing.__all__) == {
        "margin",
        "margin_rate",
        "mark_rate",
        "multiplier",
        "price_from_margin_rate",
        "price_from_mark_rate",
        "price_ttc",
        "price_ht",
        "net_price",
        "invoice",
    }


finite_price = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(price=finite_price, cost=finite_price)
def test_rate_relations(price, cost):
    # Tmarque = Tmarge / (1 + Tmarge); coefficient HT = 1 + Tmarge = 1 / (1 − Tmarque).
    # Each rate is checked against exact rational arithmetic on the same inputs: evaluating the
    # identities themselves in floating point is ill-conditioned when the price is far below the cost.
    p, c = Fraction(price), Fraction(cost)
    exact_marge, exact_marque = (p - c) / c, (p - c) / p
    t_marge, t_marque = margin_rate(price, cost), mark_rate(price, cost)
    assert t_marge == pytest.approx(float(exact_marge), rel=1e-12)
    assert t_marque == pytest.approx(float(exact_marque), rel=1e-12)
    assert exact_marque == exact_marge / (1 + exact_marge)
    assert multiplier(price, cost) == pytest.approx(float(1 + exact_marge), rel=1e-12)
    assert price_from_margin_rate(cost, t_marge) == pytest.approx(price, rel=1e-9, abs=1e-9 * cost)
    if t_marque < 1:
        assert price_from_mark_rate(cost, t_marque) == pytest.approx(price, rel=1e-6)


@given(price=finite_price, rate=st.sampled_from([0.2, 0.1, 0.055, 0.021]))
def test_vat_round_trip(price, rate):
    assert price_ht(price_ttc(price, rate), rate) == pytest.approx(price, rel=1e-12)
