"""Excel functions — 1. Prix et marges."""

from __future__ import annotations

from ..core import pricing as core
from ._convert import number, optional_number, series, is_missing
from ._excel import elementwise, excel_function

_PRICE = "Prix de vente HT (nombre ou plage) — selling price excl. VAT"
_COST = "Coût d'achat HT (nombre ou plage) — purchase cost excl. VAT"


@excel_function(
    "Marge unitaire : prix de vente HT − coût. — Unit margin: price minus cost.",
    price=_PRICE,
    cost=_COST,
)
def MARGIN(price, cost):
    return elementwise(core.margin, price=number(price, "price"), cost=number(cost, "cost"))


@excel_function(
    "Taux de marge = (PV − coût) / coût, sur le coût d'achat. — Markup rate, on cost.",
    price=_PRICE,
    cost=_COST,
)
def MARGIN_RATE(price, cost):
    return elementwise(core.margin_rate, price=number(price, "price"), cost=number(cost, "cost"))


@excel_function(
    "Taux de marque = (PV − coût) / PV HT, sur le prix de vente. — Margin rate, on selling price.",
    price=_PRICE,
    cost=_COST,
)
def MARK_RATE(price, cost):
    return elementwise(core.mark_rate, price=number(price, "price"), cost=number(cost, "cost"))


@excel_function(
    "Coefficient multiplicateur = PV HT × (1 + TVA) / coût (HT si TVA = 0). — Price multiplier on cost.",
    price_ht=_PRICE,
    cost=_COST,
    vat_rate="Taux de TVA pour un coefficient TTC (0 par défaut : coefficient HT) — VAT rate, default 0",
)
def MULTIPLIER(price_ht, cost, vat_rate=None):
    return elementwise(
        core.multiplier,
        price_ht=number(price_ht, "price_ht"),
        cost=number(cost, "cost"),
        vat_rate=optional_number(vat_rate, "vat_rate", 0.0),
    )


@excel_function(
    "Prix de vente HT = coût × (1 + taux de marge). — Price from a markup rate on cost.",
    cost=_COST,
    margin_rate="Taux de marge sur coût (0,25 ou 25 %) — markup rate on cost",
)
def PRICE_FROM_MARGIN_RATE(cost, margin_rate):
    return elementwise(
        core.price_from_margin_rate,
        cost=number(cost, "cost"),
        margin_rate=number(margin_rate, "margin_rate"),
    )


@excel_function(
    "Prix de vente HT = coût / (1 − taux de marque). — Price from a margin rate on price.",
    cost=_COST,
    mark_rate="Taux de marque sur prix de vente, inférieur à 1 — margin rate on price, below 1",
)
def PRICE_FROM_MARK_RATE(cost, mark_rate):
    return elementwise(
        core.price_from_mark_rate,
        cost=number(cost, "cost"),
        mark_rate=number(mark_rate, "mark_rate"),
    )


@excel_function(
    "Prix TTC = prix HT × (1 + taux de TVA). — Price including VAT.",
    price_ht="Prix hors taxes — price excl. VAT",
    vat_rate="Taux de TVA (20 % par défaut) — VAT rate, default 20 %",
)
def PRICE_TTC(price_ht, vat_rate=None):
    return elementwise(
        core.price_ttc,
        price_ht=number(price_ht, "price_ht"),
        vat_rate=optional_number(vat_rate, "vat_rate", 0.2),
    )


@excel_function(
    "Prix HT = prix TTC / (1 + taux de TVA). — Price excluding VAT.",
    price_ttc="Prix toutes taxes comprises — price incl. VAT",
    vat_rate="Taux de TVA (20 % par défaut) — VAT rate, default 20 %",
)
def PRICE_HT(price_ttc, vat_rate=None):
    return elementwise(
        core.price_ht,
        price_ttc=number(price_ttc, "price_ttc"),
        vat_rate=optional_number(vat_rate, "vat_rate", 0.2),
    )


@excel_function(
    "Prix net après réductions commerciales en cascade : brut × Π(1 − réduction). — Net price after cascading discounts.",
    gross="Prix ou montant brut HT — gross price",
    discounts_range="Taux de réduction successifs (rabais, remise, ristourne) — successive discount rates",
)
def NET_PRICE(gross, discounts_range):
    discounts = [] if is_missing(discounts_range) else series(discounts_range, "discounts_range")
    return elementwise(
        lambda gross: core.net_price(gross, discounts),
        gross=number(gross, "gross"),
    )


@excel_function(
    "Facture : brut, réductions, net commercial, port, escompte, net financier, TVA, net à payer (2 colonnes). — Invoice chain.",
    gross="Montant brut HT — gross amount",
    commercial_discounts_range="Taux de réduction commerciale en cascade (facultatif) — commercial discount rates",
    shipping="Frais de port HT (0 par défaut) — shipping excl. VAT",
    cash_discount="Taux d'escompte sur net commercial + port (0 par défaut) — cash discount rate",
    vat_rate="Taux de TVA (20 % par défaut) — VAT rate",
)
def INVOICE(gross, commercial_discounts_range=None, shipping=None, cash_discount=None, vat_rate=None):
    discounts = (
        [] if is_missing(commercial_discounts_range) else series(commercial_discounts_range, "commercial_discounts_range")
    )
    rows = core.invoice(
        number(gross, "gross", empty=None),
        discounts,
        optional_number(shipping, "shipping", 0.0),
        optional_number(cash_discount, "cash_discount", 0.0),
        optional_number(vat_rate, "vat_rate", 0.2),
    )
    return [[label, amount] for label, amount in rows]
