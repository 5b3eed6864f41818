"""Seeded figures for the trainers' exercises: plausible data of a technical-sales SME, by topic.

Each topic has a generator that draws its figures from one :class:`numpy.random.Generator` seeded
by ``(seed, topic)``: the same seed always gives the same exercise, another seed other figures.
Figures are rounded the way textbooks print them (amounts to the euro, the ten or the thousand,
rates to the whole or half percent) and kept in ranges a manager meets (a mark rate between 5 % and
60 %, a breakeven reached within the year, a positive trend…). Only the *data* of the statement is
produced here; every answer is computed by the catalogue functions (:mod:`xlsales.core`).

Topics
------
``facture`` (invoice chain), ``marges`` (margin and mark rates), ``seuil`` (breakeven and point
mort), ``moindres_carres`` (least squares, Mayer, extreme points), ``saisonnalite`` (seasonal
coefficients), ``commissions`` (progressive and flat grids), ``gini`` (Lorenz curve), ``abc``
(Pareto classes), ``valeur_client`` (customer lifetime value).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["TOPIC_KEYS", "ExerciseData", "generate"]

#: The topics, in the order of the exercise book; the number is part of the random stream's seed.
TOPIC_KEYS = ("facture", "marges", "seuil", "moindres_carres", "saisonnalite", "commissions", "gini", "abc",
              "valeur_client")

#: Fictional technical-sales SMEs: name, trade, town, products sold.
COMPANIES = (
    ("Hydrolis", "pompes et équipements hydrauliques", "Lyon",
     ("Pompe centrifuge PC-40", "Vanne papillon DN100", "Kit d'étanchéité", "Coffret de commande",
      "Clapet anti-retour DN80", "Manomètre inox", "Surpresseur compact")),
    ("Thermatec", "génie climatique", "Nantes",
     ("Pompe à chaleur 12 kW", "Ventilo-convecteur", "Régulateur connecté", "Vase d'expansion 50 L",
      "Module hydraulique", "Filtre magnétique", "Sonde d'ambiance")),
    ("Électrosud", "matériel électrique industriel", "Toulouse",
     ("Variateur de vitesse 7,5 kW", "Disjoncteur 63 A", "Armoire IP65", "Câble U1000 (touret 100 m)",
      "Automate compact", "Capteur inductif", "Contacteur 40 A")),
    ("Mécaparts", "transmission mécanique", "Saint-Étienne",
     ("Motoréducteur 1,5 kW", "Roulement à rouleaux", "Courroie crantée", "Accouplement élastique",
      "Palier fonte", "Chaîne de transmission (5 m)", "Poulie à gorge")),
    ("Airpro Industrie", "air comprimé", "Lille",
     ("Compresseur à vis 15 kW", "Sécheur frigorifique", "Filtre coalescent", "Réservoir 500 L",
      "Purgeur électronique", "Raccords rapides (lot de 10)", "Enrouleur de flexible")),
    ("Optilab", "instrumentation de laboratoire", "Grenoble",
     ("Balance de précision", "pH-mètre de paillasse", "Étuve 53 L", "Agitateur magnétique",
      "Pipette électronique", "Centrifugeuse compacte", "Bain thermostaté")),
    ("Sécuritech", "équipements de protection et de sécurité", "Rennes",
     ("Détecteur de gaz portable", "Harnais antichute", "Extincteur CO2 5 kg", "Douche de sécurité",
      "Casque ventilé", "Armoire pour produits inflammables", "Balisage lumineux")),
    ("Agriméca", "machinisme agricole", "Reims",
     ("Pulvérisateur porté 800 L", "Herse rotative", "Kit de guidage GPS", "Pièces d'usure (lot)",
      "Pompe de relevage", "Console de semoir", "Coupleur hydraulique")),
)

#: Business customers of those SMEs (invoice, ABC).
CUSTOMERS = (
    "Fromagerie des Alpes", "Papeteries de l'Ouest", "Brasserie Saint-Roch", "Clinique du Parc",
    "Lycée Jean-Moulin", "Transports Morel", "Scierie Garnier", "Laiterie Bellevue", "Imprimerie Lenoir",
    "Conserverie Marine", "Plasturgie du Jura", "Boulangeries Roux", "Chais du Médoc", "Fonderie Dubreuil",
    "Hôtel des Remparts", "Menuiserie Perrin", "Cartonnages Vidal", "Verrerie de l'Est", "Abattoirs du Centre",
    "Station d'épuration de Vienne",
)

#: Sales representatives (commissions).
REPS = ("Léa Fontaine", "Hugo Marchand", "Inès Carpentier", "Karim Benali", "Manon Leroy", "Théo Girard",
        "Sarah Nguyen", "Lucas Mercier")


@dataclass
class ExerciseData:
    """The data of one exercise: who, where, and the figures of the statement.

    ``figures`` holds numbers and lists of numbers (and a few labels): what the statement gives,
    never an answer.
    """

    topic: str
    seed: int
    company: str
    trade: str
    town: str
    figures: dict[str, Any] = field(default_factory=dict)


def _rng(topic: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), TOPIC_KEYS.index(topic) + 1])


def _round_to(value: float, step: float) -> float:
    """Round half away from zero to a multiple of ``step`` (textbook rounding)."""
    q = abs(value) / step
    k = np.floor(q + 0.5)
    return float(np.copysign(k * step, value)) if k else 0.0


def _price(value: float) -> float:
    """A catalogue price: to the 50 cents below 100 €, the euro below 1 000 €, else the ten."""
    step = 0.5 if value < 100 else (1.0 if value < 1000 else 10.0)
    return max(step, _round_to(value, step))


def _company(rng: np.random.Generator):
    return COMPANIES[int(rng.integers(len(COMPANIES)))]


def _pick(rng: np.random.Generator, items, k: int) -> list:
    return [items[i] for i in rng.choice(len(items), size=k, replace=False)]


# ------------------------------------------------------------------------------------------------
# Topics
# ------------------------------------------------------------------------------------------------


def _facture(rng):
    name, trade, town, products = _company(rng)
    n = int(rng.integers(2, 5))
    designations = _pick(rng, products, n)
    quantities, prices = [], []
    for _ in range(n):
        price = _price(float(np.exp(rng.uniform(np.log(18), np.log(2400)))))
        budget = rng.uniform(400, 6000)
        quantities.append(int(np.clip(round(budget / price), 1, 60)))
        prices.append(price)
    discounts = []
    if rng.random() < 0.4:
        discounts.append(("Rabais", float(rng.choice([0.02, 0.03, 0.05]))))
    discounts.append(("Remise", float(rng.choice([0.05, 0.08, 0.1, 0.12, 0.15]))))
    if rng.random() < 0.5:
        discounts.append(("Ristourne", float(rng.choice([0.01, 0.02, 0.03]))))
    gross = float(sum(q * p for q, p in zip(quantities, prices)))
    shipping = 0.0 if gross > 8000 else float(rng.choice([35.0, 45.0, 60.0, 85.0, 120.0]))
    cash_discount = float(rng.choice([0.0, 0.01, 0.015, 0.02]))
    return (name, trade, town), {
        "customer": CUSTOMERS[int(rng.integers(len(CUSTOMERS)))],
        "invoice_number": f"FA-{int(rng.integers(2024, 2027))}-{int(rng.integers(100, 999)):04d}",
        "designations": designations, "quantities": quantities, "unit_prices": prices,
        "discount_labels": [d[0] for d in discounts], "discount_rates": [d[1] for d in discounts],
        "shipping": shipping, "cash_discount": cash_discount, "vat_rate": 0.2,
    }


def _marges(rng):
    name, trade, town, products = _company(rng)
    chosen = _pick(rng, products, 7)
    costs, prices = [], []
    for _ in range(4):
        while True:
            cost = _price(float(np.exp(rng.uniform(np.log(12), np.log(1500)))))
            price = _price(cost / (1 - rng.uniform(0.12, 0.5)))
            rate = (price - cost) / price
            if 0.05 <= rate <= 0.6:
                break
        costs.append(cost)
        prices.append(price)
    new_costs = [_price(float(np.exp(rng.uniform(np.log(20), np.log(1200))))) for _ in range(3)]
    new_rates = [float(r) for r in rng.choice([0.2, 0.25, 0.3, 0.35, 0.4, 0.45], size=3, replace=False)]
    return (name, trade, town), {
        "designations": chosen[:4], "costs": costs, "prices": prices, "vat_rate": 0.2,
        "new_designations": chosen[4:], "new_costs": new_costs, "new_mark_rates": new_rates,
    }


#: Month-by-month activity profile of a technical-sales SME (August closure, year-end peak).
_SEASON = np.array([0.85, 0.9, 1.05, 1.0, 1.0, 1.05, 0.95, 0.55, 1.05, 1.15, 1.15, 1.25])


def _seuil(rng):
    name, trade, town, _ = _company(rng)
    revenue = _round_to(rng.uniform(800_000, 4_800_000), 10_000)
    weights = _SEASON * rng.uniform(0.9, 1.1, 12)
    months = [_round_to(revenue * w / weights.sum(), 1000) for w in weights]
    months[-1] = revenue - sum(months[:-1])
    variable_costs = _round_to(revenue * rng.uniform(0.45, 0.72), 1000)
    contribution_rate = (revenue - variable_costs) / revenue
    safety = rng.uniform(0.12, 0.38)
    fixed_costs = _round_to(revenue * (1 - safety) * contribution_rate, 1000)
    return (name, trade, town), {
        "year": int(rng.integers(2024, 2028)), "revenue": revenue, "variable_costs": variable_costs,
        "fixed_costs": fixed_costs, "monthly_revenue": months,
    }


def _moindres_carres(rng):
    name, trade, town, products = _company(rng)
    n = int(rng.integers(6, 10))
    last = int(rng.integers(2023, 2027))
    base = rng.uniform(400, 5000)
    slope = base * rng.uniform(0.03, 0.12)
    for _ in range(50):
        noise = rng.normal(0, base * rng.uniform(0.02, 0.05), n)
        y = np.round(base + slope * np.arange(1, n + 1) + noise)
        r = np.corrcoef(np.arange(1, n + 1), y)[0, 1]
        if r > 0.8:
            break
    unit = "k€" if rng.random() < 0.5 else "unités"
    return (name, trade, town), {
        "years": list(range(last - n + 1, last + 1)), "x": list(range(1, n + 1)), "y": [float(v) for v in y],
        "unit": unit, "product": products[int(rng.integers(len(products)))],
    }


def _saisonnalite(rng):
    name, trade, town, _ = _company(rng)
    years = int(rng.choice([3, 4]))
    last = int(rng.integers(2023, 2027))
    base = rng.uniform(120, 900)
    growth = rng.uniform(0.005, 0.04)
    raw = rng.uniform(0.7, 1.35, 4)
    season = raw / raw.mean()
    t = np.arange(1, 4 * years + 1)
    y = np.round(base * (1 + growth * t) * season[(t - 1) % 4] * rng.normal(1, 0.02, t.size))
    annual_forecast = _round_to(y[-4:].sum() * rng.uniform(1.02, 1.08), 10)
    return (name, trade, town), {
        "years": list(range(last - years + 1, last + 1)), "y": [float(v) for v in y],
        "annual_forecast": annual_forecast,
    }


def _commissions(rng):
    name, trade, town, _ = _company(rng)
    tiers = int(rng.choice([3, 4]))
    bounds = [0.0]
    for _ in range(tiers - 1):
        bounds.append(bounds[-1] + float(rng.choice([8000, 10000, 12000])))
    first = float(rng.choice([0.02, 0.025, 0.03]))
    rates = [first]
    for _ in range(tiers - 1):
        rates.append(round(rates[-1] + float(rng.choice([0.01, 0.015, 0.02])), 4))
    n = 5
    # every tier reached by at least one rep
    tier_of = np.concatenate([np.arange(tiers), rng.integers(0, tiers, n - tiers)])
    rng.shuffle(tier_of)
    revenue = []
    for k in tier_of:
        low = bounds[k] if k else 4000.0
        high = bounds[k + 1] if k + 1 < tiers else bounds[-1] + 15000.0
        revenue.append(_round_to(rng.uniform(low + 10, high - 10), 10))
    return (name, trade, town), {
        "reps": _pick(rng, REPS, n), "revenue": revenue, "thresholds": bounds, "rates": rates,
        "month": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                  "octobre", "novembre", "décembre"][int(rng.integers(12))],
    }


_LADDERS = ((0, 5, 10, 20, 40, 80, 160, 320), (0, 10, 25, 50, 100, 200, 400, 800), (0, 2, 5, 10, 20, 50, 100, 200))


def _gini(rng):
    name, trade, town, _ = _company(rng)
    ladder = _LADDERS[int(rng.integers(len(_LADDERS)))]
    k = int(rng.integers(5, 8))
    total = rng.uniform(150, 900)
    ratio = rng.uniform(0.45, 0.8)
    shares = ratio ** np.arange(k) * rng.uniform(0.8, 1.2, k)
    counts = [max(2, round(total * s / shares.sum())) for s in shares]
    return (name, trade, town), {
        "lower": [float(v) for v in ladder[:k]], "upper": [float(v) for v in ladder[1:k + 1]], "counts": counts,
    }


def _abc(rng):
    name, trade, town, _ = _company(rng)
    n = int(rng.integers(12, 16))
    values = []
    for v in 1000 * (rng.pareto(1.3, n) + 0.15) * rng.uniform(8, 20):
        v = max(100.0, _round_to(float(300_000 * -np.expm1(-v / 300_000)), 100))  # big accounts level off
        while v in values:
            v += 100.0
        values.append(v)
    a, b = (0.8, 0.95) if rng.random() < 0.75 else (0.7, 0.9)
    return (name, trade, town), {
        "codes": [f"CL{i:03d}" for i in sorted(rng.choice(np.arange(1, 400), n, replace=False))],
        "customers": _pick(rng, CUSTOMERS, n), "revenue": values, "a_share": a, "b_share": b,
    }


def _valeur_client(rng):
    name, trade, town, _ = _company(rng)
    start = int(rng.integers(300, 2500))
    lost = round(start * rng.uniform(0.08, 0.35))
    new = round(start * rng.uniform(0.1, 0.4))
    spend = _round_to(new * rng.uniform(120, 900), 100)
    return (name, trade, town), {
        "customers_start": start, "customers_lost": lost, "new_customers": new, "acquisition_spend": spend,
        "margin": _round_to(rng.uniform(250, 2500), 10),
        "discount_rate": float(rng.choice([0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12])),
        "years": int(rng.integers(4, 9)),
    }


_GENERATORS: dict[str, Callable] = {
    "facture": _facture, "marges": _marges, "seuil": _seuil, "moindres_carres": _moindres_carres,
    "saisonnalite": _saisonnalite, "commissions": _commissions, "gini": _gini, "abc": _abc,
    "valeur_client": _valeur_client,
}


def generate(topic: str, seed: int) -> ExerciseData:
    """The data of the exercise ``topic`` for ``seed``.

    Parameters
    ----------
    topic : str
        One of :data:`TOPIC_KEYS`.
    seed : int
        Any whole number ≥ 0; the same seed gives the same figures.

    Returns
    -------
    ExerciseData
        Company, trade, town and the figures of the statement (see each topic below).

    Notes
    -----
    Figures by topic (amounts HT in euros unless said, rates as decimals):

    * ``facture``: customer, invoice_number, designations, quantities, unit_prices, discount_labels
      and discount_rates (rabais, remise, ristourne in cascade), shipping, cash_discount, vat_rate.
    * ``marges``: designations, costs, prices (mark rate 5–60 %), vat_rate; new_designations,
      new_costs, new_mark_rates (prices to set).
    * ``seuil``: year, revenue, variable_costs, fixed_costs (safety index 12–38 %: the breakeven
      is reached within the year), monthly_revenue (12 months adding up to revenue).
    * ``moindres_carres``: years, x (ranks 1..n, 6 ≤ n ≤ 9), y (rising, r > 0.8), unit, product.
    * ``saisonnalite``: years (3 or 4), y (quarterly), annual_forecast (next year's total).
    * ``commissions``: reps, revenue (one month, each tier reached by someone), thresholds (lower
      bounds, first 0), rates (rising), month.
    * ``gini``: lower, upper (class bounds, k€), counts (customers per class).
    * ``abc``: codes, customers, revenue (distinct), a_share, b_share.
    * ``valeur_client``: customers_start, customers_lost, new_customers, acquisition_spend, margin
      (per customer and year), discount_rate, years.

    The stream is ``numpy.random.default_rng([seed, topic number])``: topics never share draws.

    Examples
    --------
    >>> data = generate("seuil", 1)
    >>> data.figures["variable_costs"] < data.figures["revenue"]
    True
    >>> sum(data.figures["monthly_revenue"]) == data.figures["revenue"]
    True
    >>> generate("abc", 3) == generate("abc", 3), generate("abc", 3) == generate("abc", 4)
    (True, False)
    """
    if topic not in _GENERATORS:
        raise ValueError(f"thème inconnu : {topic!r} (attendu : {', '.join(TOPIC_KEYS)})")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"la graine doit être un entier positif ou nul (reçu : {seed!r})")
    (name, trade, town), figures = _GENERATORS[topic](_rng(topic, int(seed)))
    return ExerciseData(topic=topic, seed=int(seed), company=name, trade=trade, town=town, figures=figures)
