"""Excel functions — 2. Coûts et rentabilité."""

from __future__ import annotations

import datetime as dt
import re

from ..core import costs as core
from ..core.errors import BadValueError
from ._convert import excel_serial, number, optional_number, series
from ._excel import elementwise, excel_function

_FIXED = "Charges fixes de l'année (nombre ou plage) — annual fixed costs"
_REVENUE = "Chiffre d'affaires HT de l'année (nombre ou plage) — annual revenue excl. VAT"
_VARIABLE = "Charges variables de l'année (nombre ou plage) — annual variable costs"
_DAYS = "Jours par an : 360 par défaut (mois de 30 jours), 365, ou jours d'ouverture — days per year, default 360"
_PERIODS = (
    "Facultatif : CA de chaque période égale (4 trimestres, 12 mois…), de somme égale au CA — "
    "optional revenue of each equal period, summing to revenue"
)

_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _date(value, name: str):
    """A start date: Excel serial, date/datetime, or a date typed as text (31/12/2026, 2026-12-31)."""
    cell = value
    while isinstance(cell, (list, tuple)) and len(cell) == 1:
        cell = cell[0]
    if isinstance(cell, str):
        french, iso = _FRENCH_DATE.match(cell), _ISO_DATE.match(cell)
        try:
            if french:
                day, month, year = map(int, french.groups())
                return excel_serial(dt.date(year, month, day))
            if iso:
                year, month, day = map(int, iso.groups())
                return excel_serial(dt.date(year, month, day))
        except ValueError:
            raise BadValueError(f"« {cell} » n'est pas une date", name) from None
    return number(value, name, empty=None)


@excel_function(
    "Marge sur coût variable : CA − charges variables. — Contribution margin: revenue minus variable costs.",
    revenue="Chiffre d'affaires HT (ou prix unitaire) — revenue (or unit price)",
    variable_costs="Charges variables (ou coût variable unitaire) — variable costs (or unit variable cost)",
)
def CONTRIBUTION_MARGIN(revenue, variable_costs):
    return elementwise(
        core.contribution_margin,
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
    )


@excel_function(
    "Seuil de rentabilité en valeur : CF / taux de MCV. — Breakeven revenue: fixed costs over the contribution margin ratio.",
    fixed_costs=_FIXED,
    revenue=_REVENUE,
    variable_costs=_VARIABLE,
)
def BREAKEVEN(fixed_costs, revenue, variable_costs):
    return elementwise(
        core.breakeven,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
    )


@excel_function(
    "Seuil de rentabilité en quantité : CF / marge unitaire sur coût variable. — Breakeven quantity.",
    fixed_costs="Charges fixes — fixed costs",
    unit_price="Prix de vente unitaire HT — unit selling price",
    unit_variable_cost="Coût variable unitaire — unit variable cost",
)
def BREAKEVEN_QTY(fixed_costs, unit_price, unit_variable_cost):
    return elementwise(
        core.breakeven_qty,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        unit_price=number(unit_price, "unit_price"),
        unit_variable_cost=number(unit_variable_cost, "unit_variable_cost"),
    )


@excel_function(
    "Point mort en jours depuis le début de l'année (SR / CA × 360, ou par cumul des CA de période). "
    "— Breakeven point in days from the start of the year.",
    fixed_costs=_FIXED,
    revenue=_REVENUE,
    variable_costs=_VARIABLE,
    days_per_year=_DAYS,
    period_revenues=_PERIODS,
)
def BREAKEVEN_DAYS(fixed_costs, revenue, variable_costs, days_per_year=None, period_revenues=None):
    periods = series(period_revenues, "period_revenues", optional=True)

    def compute(fixed_costs, revenue, variable_costs, days_per_year):
        return core.breakeven_days(fixed_costs, revenue, variable_costs, days_per_year, periods)

    return elementwise(
        compute,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
        days_per_year=optional_number(days_per_year, "days_per_year", 360.0),
    )


@excel_function(
    "Date du point mort (date Excel : mettre la cellule au format date) ; 360 jours = mois de 30 jours. "
    "— Breakeven date (an Excel date serial).",
    fixed_costs=_FIXED,
    revenue=_REVENUE,
    variable_costs=_VARIABLE,
    start_date="Premier jour de l'année (date) — first day of the year",
    days_per_year=_DAYS,
    period_revenues=_PERIODS,
)
def BREAKEVEN_DATE(fixed_costs, revenue, variable_costs, start_date, days_per_year=None, period_revenues=None):
    periods = series(period_revenues, "period_revenues", optional=True)

    def compute(fixed_costs, revenue, variable_costs, start_date, days_per_year):
        return core.breakeven_date(fixed_costs, revenue, variable_costs, start_date, days_per_year, periods)

    return elementwise(
        compute,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
        start_date=_date(start_date, "start_date"),
        days_per_year=optional_number(days_per_year, "days_per_year", 360.0),
    )


@excel_function(
    "Marge de sécurité : CA − seuil de rentabilité. — Safety margin: revenue minus breakeven.",
    revenue="Chiffre d'affaires HT — revenue",
    breakeven="Seuil de rentabilité — breakeven revenue",
)
def SAFETY_MARGIN(revenue, breakeven):
    return elementwise(
        core.safety_margin, revenue=number(revenue, "revenue"), breakeven=number(breakeven, "breakeven")
    )


@excel_function(
    "Indice de sécurité : (CA − SR) / CA, baisse de CA supportable sans perte. — Safety index.",
    revenue="Chiffre d'affaires HT — revenue",
    breakeven="Seuil de rentabilité — breakeven revenue",
)
def SAFETY_INDEX(revenue, breakeven):
    return elementwise(
        core.safety_index, revenue=number(revenue, "revenue"), breakeven=number(breakeven, "breakeven")
    )


@excel_function(
    "Levier opérationnel : MCV / résultat (= 1 / indice de sécurité). — Operating leverage.",
    revenue="Chiffre d'affaires HT — revenue",
    variable_costs="Charges variables — variable costs",
    fixed_costs="Charges fixes — fixed costs",
)
def OPERATING_LEVERAGE(revenue, variable_costs, fixed_costs):
    return elementwise(
        core.operating_leverage,
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
        fixed_costs=number(fixed_costs, "fixed_costs"),
    )


@excel_function(
    "Retour sur investissement : (gain − coût) / coût ; gain = marge supplémentaire. — Return on investment.",
    gain="Gain de l'action (marge supplémentaire générée, pas le CA) — extra margin generated",
    cost="Coût de l'action — cost of the action",
)
def ROI(gain, cost):
    return elementwise(core.roi, gain=number(gain, "gain"), cost=number(cost, "cost"))
