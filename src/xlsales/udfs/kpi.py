"""Excel functions — 3. Indicateurs commerciaux (tableaux de bord)."""

from __future__ import annotations

import numpy as np

from ..core import kpi as core
from ._convert import matrix, number, optional_number, series
from ._excel import elementwise, excel_function

_ACTUAL = "Valeur réalisée (nombre ou plage) — actual value"
_PLANNED = "Valeur prévue, objectif ou budget (nombre ou plage) — planned value"


def _ratio(core_function, num: str, numerator, den: str, denominator):
    """The body shared by the ratio functions: both arguments element-wise."""
    return elementwise(core_function, **{num: number(numerator, num), den: number(denominator, den)})


@excel_function(
    "Taux de couverture de la cible : cibles atteintes / effectif de la cible. — Target coverage rate.",
    customers_reached="Cibles contactées ou visitées (nombre ou plage) — targets reached",
    target_size="Effectif total de la cible — size of the target",
)
def COVERAGE_RATE(customers_reached, target_size):
    return _ratio(core.coverage_rate, "customers_reached", customers_reached, "target_size", target_size)


@excel_function(
    "Taux de contact (joignabilité) : contacts utiles / tentatives. — Contact rate.",
    contacts="Contacts utiles obtenus (nombre ou plage) — contacts reached",
    attempts="Tentatives : appels, relances… — attempts",
)
def CONTACT_RATE(contacts, attempts):
    return _ratio(core.contact_rate, "contacts", contacts, "attempts", attempts)


@excel_function(
    "Taux de transformation : commandes / opportunités (visites, RDV, devis…). — Conversion rate.",
    orders="Commandes ou ventes conclues (nombre ou plage) — orders",
    opportunities="Opportunités : visites, rendez-vous, devis, visiteurs… — opportunities",
)
def CONVERSION_RATE(orders, opportunities):
    return _ratio(core.conversion_rate, "orders", orders, "opportunities", opportunities)


@excel_function(
    "Taux de retour : retours (réponses) / envois. — Return (response) rate.",
    returned="Réponses reçues ou produits retournés (nombre ou plage) — answers or returns",
    sent="Envois ou produits vendus — items sent or sold",
)
def RETURN_RATE(returned, sent):
    return _ratio(core.return_rate, "returned", returned, "sent", sent)


@excel_function(
    "Taux d'impayés : montant des impayés / montant facturé (TTC). — Unpaid rate.",
    unpaid_amount="Montant des impayés (nombre ou plage) — unpaid amount",
    invoiced_amount="Montant facturé sur la période, TTC — amount invoiced",
)
def UNPAID_RATE(unpaid_amount, invoiced_amount):
    return _ratio(core.unpaid_rate, "unpaid_amount", unpaid_amount, "invoiced_amount", invoiced_amount)


@excel_function(
    "Panier moyen : CA / nombre de transactions (tickets, commandes). — Average basket per transaction.",
    revenue="Chiffre d'affaires HT (nombre ou plage) — revenue",
    transactions="Nombre de transactions (tickets, commandes), pas de clients — number of transactions",
)
def AVERAGE_BASKET(revenue, transactions):
    return _ratio(core.average_basket, "revenue", revenue, "transactions", transactions)


@excel_function(
    "Score d'une grille pondérée : Σ poids × note / Σ poids, éventuellement ramené sur une autre échelle. "
    "— Weighted scoring grid.",
    ratings="Notes de la grille (une ligne ou colonne), ou un tableau d'une grille par ligne — ratings",
    weights="Poids (coefficients) des critères, autant que de notes — weights",
    max_rating="Facultatif : note maximale de la grille (ex. 5) — optional top rating",
    scale="Facultatif : échelle d'affichage (ex. 20 ou 100), avec max_rating — optional display scale",
)
def SCORE(ratings, weights, max_rating=None, scale=None):
    r = matrix(ratings, "ratings", empty=None)
    w = series(weights, "weights")
    result = core.score(
        r, w, optional_number(max_rating, "max_rating", None), optional_number(scale, "scale", None)
    )
    if np.ndim(result) == 1 and r.shape[0] == w.size and r.shape[1] != w.size:
        return [list(result)]  # one grid per column: one score per column, as a row
    return result


@excel_function(
    "Écart absolu : réel − prévu. — Variance: actual minus planned.",
    actual=_ACTUAL,
    planned=_PLANNED,
)
def VARIANCE(actual, planned):
    return elementwise(core.variance, actual=number(actual, "actual"), planned=number(planned, "planned"))


@excel_function(
    "Écart relatif : (réel − prévu) / prévu. — Variance rate.",
    actual=_ACTUAL,
    planned=_PLANNED,
)
def VARIANCE_RATE(actual, planned):
    return elementwise(core.variance_rate, actual=number(actual, "actual"), planned=number(planned, "planned"))


@excel_function(
    "Indice simple : valeur / valeur de base × base (100 par défaut). — Index number, base 100.",
    value="Valeur à la date étudiée (nombre ou plage) — value",
    base_value="Valeur à la date de base — base value",
    base="Indice de la date de base (100 par défaut) — base, default 100",
)
def INDEX_BASE(value, base_value, base=None):
    return elementwise(
        core.index_base,
        value=number(value, "value"),
        base_value=number(base_value, "base_value"),
        base=optional_number(base, "base", 100.0),
    )


@excel_function(
    "Taux d'évolution : (valeur d'arrivée − valeur de départ) / valeur de départ. — Growth rate.",
    new="Valeur d'arrivée (nombre ou plage) — new value",
    old="Valeur de départ — old value",
)
def GROWTH_RATE(new, old):
    return elementwise(core.growth_rate, new=number(new, "new"), old=number(old, "old"))


@excel_function(
    "TCAM : (arrivée / départ)^(1 / n) − 1, n = nombre d'intervalles. — Compound annual growth rate.",
    end_value="Valeur d'arrivée (nombre ou plage) — end value",
    start_value="Valeur de départ — start value",
    periods="Nombre d'intervalles (2013 → 2018 : 5) — number of periods",
)
def CAGR(end_value, start_value, periods):
    return elementwise(
        core.cagr,
        end_value=number(end_value, "end_value"),
        start_value=number(start_value, "start_value"),
        periods=number(periods, "periods", empty=None),
    )


@excel_function(
    "Écart sur CA et sa décomposition : total, écart sur prix, écart sur quantités (volume et composition "
    "avec plusieurs produits), 2 colonnes. — Revenue variance: price, quantity, volume and mix effects.",
    actual_qty="Quantités réelles (une par produit) — actual quantities",
    actual_price="Prix unitaires réels — actual unit prices",
    planned_qty="Quantités prévues — planned quantities",
    planned_price="Prix unitaires prévus — planned unit prices",
)
def REVENUE_VARIANCE(actual_qty, actual_price, planned_qty, planned_price):
    rows = core.revenue_variance(
        series(actual_qty, "actual_qty"),
        series(actual_price, "actual_price"),
        series(planned_qty, "planned_qty"),
        series(planned_price, "planned_price"),
    )
    return [[label, amount] for label, amount in rows]


@excel_function(
    "Taux de réalisation de l'objectif : réel / objectif. — Attainment: actual over target.",
    actual=_ACTUAL,
    target="Objectif (nombre ou plage) — target",
)
def ATTAINMENT(actual, target):
    return elementwise(core.attainment, actual=number(actual, "actual"), target=number(target, "target"))
