"""Excel functions — 8. Rémunération."""

from __future__ import annotations

from ..core import pay as core
from ._convert import number, optional_number, optional_text, series
from ._excel import elementwise, excel_function


@excel_function(
    "Commission selon une grille : progressive (par tranches) ou flat (taux du palier atteint sur tout le montant). "
    "— Commission from a tiered grid.",
    amount="Montant commissionné : CA HT, marge… (nombre ou plage) — amount (number or range)",
    thresholds="Bornes inférieures des tranches, croissantes (souvent 0 en premier) — lower bounds of the tiers",
    rates="Taux de chaque tranche — rate of each tier",
    mode='"progressive" (par tranches, défaut) ou "flat" (par paliers) — "progressive" (default) or "flat"',
)
def COMMISSION(amount, thresholds, rates, mode=None):
    grid = series(thresholds, "thresholds"), series(rates, "rates")
    how = optional_text(mode, "mode", "progressive")

    def compute(amount):
        return core.commission(amount, *grid, mode=how)

    return elementwise(compute, amount=number(amount, "amount"))


@excel_function(
    "Prime sur objectif : step (montant du palier atteint) ou linear (interpolée, plafonnée). "
    "— Bonus from attainment thresholds.",
    attainment="Taux de réalisation (réel / objectif) ou montant (nombre ou plage) — attainment (number or range)",
    thresholds="Seuils croissants — ascending thresholds",
    amounts="Prime à chaque seuil — bonus at each threshold",
    mode='"step" (paliers, défaut) ou "linear" (interpolation) — "step" (default) or "linear"',
)
def BONUS(attainment, thresholds, amounts, mode=None):
    grid = series(thresholds, "thresholds"), series(amounts, "amounts")
    how = optional_text(mode, "mode", "step")

    def compute(attainment):
        return core.bonus(attainment, *grid, mode=how)

    return elementwise(compute, attainment=number(attainment, "attainment"))


@excel_function(
    "Coût employeur : salaire brut × (1 + taux de charges patronales). — Employer cost of a gross pay.",
    gross_pay="Salaire brut (nombre ou plage) — gross pay",
    charge_rate="Taux de charges patronales (42 % par défaut) — employer charge rate, default 42 %",
)
def EMPLOYER_COST(gross_pay, charge_rate=None):
    return elementwise(
        core.employer_cost,
        gross_pay=number(gross_pay, "gross_pay"),
        charge_rate=optional_number(charge_rate, "charge_rate", 0.42),
    )
