"""Excel functions — 5. Marché et concentration."""

from __future__ import annotations

from ..core import market as core
from ._convert import number, series
from ._excel import elementwise, excel_function


@excel_function(
    "Part de marché : ventes de l'entreprise / ventes du marché. — Market share.",
    sales="Ventes de l'entreprise, en valeur ou en volume (nombre ou plage) — company sales",
    market_sales="Ventes du marché, mesurées de la même façon — market sales",
)
def MARKET_SHARE(sales, market_sales):
    return elementwise(core.market_share, sales=number(sales, "sales"), market_sales=number(market_sales, "market_sales"))


@excel_function(
    "Part de marché relative : ventes de l'entreprise / ventes du principal concurrent (le n° 2 si "
    "l'entreprise est leader). — Relative market share.",
    own_sales="Ventes (ou part de marché) de l'entreprise — own sales",
    competitor_sales_range="Ventes (ou parts) des concurrents ; peut contenir la ligne de l'entreprise — competitors' sales",
)
def RELATIVE_MARKET_SHARE(own_sales, competitor_sales_range):
    competitors = series(competitor_sales_range, "competitor_sales_range")
    return elementwise(
        lambda own_sales: core.relative_market_share(own_sales, competitors),
        own_sales=number(own_sales, "own_sales", empty=None),
    )


@excel_function(
    "Indice de Gini par la courbe de Lorenz (méthode des trapèzes), données brutes ou groupées. "
    "— Gini index (Lorenz curve, trapezoids).",
    values="Valeurs (CA par client) ou centres de classe — values or class centres",
    weights="Facultatif : effectifs des classes (données groupées) — optional class counts",
)
def GINI(values, weights=None):
    return core.gini(series(values, "values"), series(weights, "weights", optional=True))


@excel_function(
    "Médiale : valeur qui partage la masse totale en deux (interpolation dans sa classe). — Médiale (mass median).",
    class_lower_bounds="Bornes inférieures des classes, croissantes — class lower bounds",
    class_upper_bounds="Bornes supérieures des classes — class upper bounds",
    counts="Effectifs des classes — class counts",
)
def MEDIALE(class_lower_bounds, class_upper_bounds, counts):
    return core.mediale(
        series(class_lower_bounds, "class_lower_bounds"),
        series(class_upper_bounds, "class_upper_bounds"),
        series(counts, "counts"),
    )


@excel_function(
    "Indice de Herfindahl-Hirschman : Σ parts² × 10 000 (parts en décimales ; points de % acceptés si leur "
    "somme dépasse 1). — Herfindahl-Hirschman index.",
    shares="Parts de marché des entreprises — market shares",
)
def HHI(shares):
    return core.hhi(series(shares, "shares"))


@excel_function(
    "Densité de clientèle : clients / clients potentiels de la zone. — Customer density.",
    customers="Nombre de clients de la zone (nombre ou plage) — customers",
    potential="Clients potentiels de la zone (ou km², milliers d'habitants) — potential customers",
)
def CUSTOMER_DENSITY(customers, potential):
    return elementwise(core.customer_density, customers=number(customers, "customers"), potential=number(potential, "potential"))
