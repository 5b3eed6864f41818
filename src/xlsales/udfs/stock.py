"""Excel functions — 7. Stocks et budgets."""

from __future__ import annotations

from ..core import stock as core
from ._convert import number, optional_number, series
from ._excel import elementwise, excel_function


@excel_function(
    "Quantité économique de commande (Wilson) : √(2 × D × coût de passation / (coût unitaire × taux de possession)). "
    "— Economic order quantity (Wilson).",
    annual_demand="Demande annuelle en unités — annual demand in units",
    order_cost="Coût de passation d'une commande — cost of placing one order",
    unit_cost="Coût d'achat unitaire — unit purchase cost",
    holding_rate="Taux de possession annuel (8 % ou 0,08) — annual holding rate",
)
def EOQ(annual_demand, order_cost, unit_cost, holding_rate):
    return elementwise(
        core.eoq,
        annual_demand=number(annual_demand, "annual_demand"),
        order_cost=number(order_cost, "order_cost"),
        unit_cost=number(unit_cost, "unit_cost"),
        holding_rate=number(holding_rate, "holding_rate"),
    )


@excel_function(
    "Stock de sécurité : conso max × délai max − conso moyenne × délai moyen. — Safety stock.",
    max_usage="Consommation maximale par unité de temps — maximum usage per time unit",
    max_lead_time="Délai de livraison maximal (même unité de temps) — maximum lead time",
    avg_usage="Consommation moyenne par unité de temps — average usage per time unit",
    avg_lead_time="Délai de livraison moyen — average lead time",
)
def SAFETY_STOCK(max_usage, max_lead_time, avg_usage, avg_lead_time):
    return elementwise(
        core.safety_stock,
        max_usage=number(max_usage, "max_usage"),
        max_lead_time=number(max_lead_time, "max_lead_time"),
        avg_usage=number(avg_usage, "avg_usage"),
        avg_lead_time=number(avg_lead_time, "avg_lead_time"),
    )


@excel_function(
    "Stock d'alerte (point de commande) : conso moyenne × délai + stock de sécurité. — Reorder point.",
    avg_usage="Consommation moyenne par unité de temps — average usage per time unit",
    lead_time="Délai de livraison (même unité de temps) — lead time",
    safety_stock="Stock de sécurité (0 par défaut) — safety stock, default 0",
)
def REORDER_POINT(avg_usage, lead_time, safety_stock=None):
    return elementwise(
        core.reorder_point,
        avg_usage=number(avg_usage, "avg_usage"),
        lead_time=number(lead_time, "lead_time"),
        safety_stock=optional_number(safety_stock, "safety_stock", 0.0),
    )


def _shape(value) -> tuple[int, int]:
    if not isinstance(value, (list, tuple)):
        return 1, 1
    if value and not isinstance(value[0], (list, tuple)):
        return 1, len(value)
    return len(value), (len(value[0]) if value else 0)


@excel_function(
    "Budget des ventes : total annuel réparti au prorata des coefficients (une valeur par coefficient). "
    "— Sales budget: yearly total split by seasonal coefficients.",
    annual_total="Objectif annuel (quantité ou CA HT) — yearly total",
    coefficients="Coefficients saisonniers ou parts, un par période (ligne ou colonne) — one coefficient per period",
)
def SALES_BUDGET(annual_total, coefficients):
    values = series(coefficients, "coefficients")
    result = core.sales_budget(number(annual_total, "annual_total", empty=None), values)
    rows, cols = _shape(coefficients)
    if rows * cols == result.size:
        return result.reshape(rows, cols)
    return result.reshape(1, -1) if rows == 1 else result.reshape(-1, 1)
