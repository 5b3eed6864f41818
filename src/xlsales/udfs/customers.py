"""Excel functions — 4. Clients et portefeuille."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from ..core import customers as core
from ..core.errors import BadValueError
from ._convert import excel_serial, is_missing, number, optional_number, series
from ._excel import elementwise, excel_function

_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _rows(value) -> list[list]:
    """A cell or a range as a list of rows."""
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if value and not isinstance(value[0], (list, tuple)):
        return [list(value)]
    return [list(row) for row in value]


def _is_range(value) -> bool:
    return sum(len(row) for row in _rows(value)) > 1


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _flat(value) -> list:
    """Cells read row by row, trailing empty cells dropped."""
    cells = [c for row in _rows(value) for c in row]
    while cells and _empty(cells[-1]):
        cells.pop()
    return cells


def _date_cell(cell, name: str) -> float:
    """A date cell as an Excel serial: number, date/datetime, or text 31/12/2026 or 2026-12-31."""
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
    return number(cell, name, empty=None)


@excel_function(
    "Valeur vie client : Σ marge × rétention^t / (1 + taux)^t − coût d'acquisition (horizon infini si "
    "une seule marge et pas de durée). — Customer lifetime value.",
    margin="Marge par période (un nombre) ou une marge par période (plage) — margin per period",
    retention_rate="Taux de rétention (0 à 1) — retention rate",
    discount_rate="Taux d'actualisation par période — discount rate",
    years="Facultatif : nombre de périodes (défaut : longueur de la plage de marges, sinon infini) — optional number of periods",
    acquisition_cost="Facultatif : coût d'acquisition déduit (0 par défaut) — optional acquisition cost",
    first_period="Facultatif : exposant de la 1re marge, 1 (fin de période, défaut) ou 0 (immédiate) — first period",
)
def CUSTOMER_VALUE(margin, retention_rate, discount_rate, years=None, acquisition_cost=None, first_period=None):
    n = optional_number(years, "years", None)
    first = optional_number(first_period, "first_period", 1.0)
    arguments = dict(
        retention_rate=number(retention_rate, "retention_rate", empty=None),
        discount_rate=number(discount_rate, "discount_rate"),
        acquisition_cost=optional_number(acquisition_cost, "acquisition_cost", 0.0),
    )
    if _is_range(margin):
        margins = series(margin, "margin")

        def compute(retention_rate, discount_rate, acquisition_cost):
            return core.customer_value(margins, retention_rate, discount_rate, n, acquisition_cost, first)

        return elementwise(compute, **arguments)

    def compute_one(margin, retention_rate, discount_rate, acquisition_cost):
        return core.customer_value(margin, retention_rate, discount_rate, n, acquisition_cost, first)

    return elementwise(compute_one, margin=number(margin, "margin", empty=None), **arguments)


@excel_function(
    "Coût d'acquisition client : dépenses d'acquisition / nouveaux clients. — Customer acquisition cost.",
    spend="Dépenses d'acquisition (nombre ou plage) — acquisition spending",
    new_customers="Nombre de nouveaux clients — new customers",
)
def ACQUISITION_COST(spend, new_customers):
    return elementwise(
        core.acquisition_cost, spend=number(spend, "spend"), new_customers=number(new_customers, "new_customers")
    )


@excel_function(
    "Taux d'attrition : clients perdus / clients en début de période. — Churn rate.",
    lost_customers="Clients perdus sur la période (nombre ou plage) — customers lost",
    customers_at_start="Clients en début de période — customers at the start",
)
def CHURN_RATE(lost_customers, customers_at_start):
    return elementwise(
        core.churn_rate,
        lost_customers=number(lost_customers, "lost_customers"),
        customers_at_start=number(customers_at_start, "customers_at_start"),
    )


@excel_function(
    "Durée de vie moyenne d'un client : 1 / taux d'attrition (en périodes). — Customer lifetime.",
    churn_rate="Taux d'attrition par période (0 à 1) — churn rate",
)
def CUSTOMER_LIFETIME(churn_rate):
    return elementwise(core.customer_lifetime, churn_rate=number(churn_rate, "churn_rate"))


@excel_function(
    "Classe ABC (Pareto) de chaque valeur, alignée sur la plage : A jusqu'à 80 % du total cumulé, B jusqu'à "
    "95 %, C au-delà. — ABC (Pareto) class of each value.",
    values="Valeurs à classer (CA par client ou par produit), en ligne ou en colonne — values",
    a_share="Part cumulée de la classe A (0,8 par défaut) — cumulative share of class A, default 0.8",
    b_share="Part cumulée des classes A + B (0,95 par défaut) — cumulative share of A and B, default 0.95",
)
def ABC_CLASS(values, a_share=None, b_share=None):
    rows = _rows(values)
    if len({len(row) for row in rows}) != 1:
        raise BadValueError("plage irrégulière", "values")
    cells = [c for row in rows for c in row]
    present = [i for i, c in enumerate(cells) if not _empty(c)]
    numbers = [number(cells[i], "values", empty=None) for i in present]
    classes = core.abc_class(
        numbers, optional_number(a_share, "a_share", 0.8), optional_number(b_share, "b_share", 0.95)
    )
    out = [""] * len(cells)
    for i, c in zip(present, classes):
        out[i] = c
    width = len(rows[0])
    return np.asarray(out, dtype=object).reshape(len(rows), width)


@excel_function(
    "Segmentation RFM : un tableau avec en-tête — client, récence (jours), fréquence, montant, notes R, F, M "
    "(1 à bins, par quantiles), code RFM et segment. — RFM segmentation table.",
    customer_ids="Client de chaque transaction — customer of each transaction",
    dates="Date de chaque transaction — transaction dates",
    amounts="Montant de chaque transaction — transaction amounts",
    as_of="Facultatif : date de référence (défaut : dernière date + 1 jour) — optional reference date",
    bins="Facultatif : nombre de niveaux de note, 2 à 9 (5 par défaut) — optional number of score levels",
)
def RFM(customer_ids, dates, amounts, as_of=None, bins=None):
    ids = _flat(customer_ids)
    days = [_date_cell(c, "dates") for c in _flat(dates)]
    reference = None if is_missing(as_of) else _date_cell(as_of, "as_of")
    rows = core.rfm(
        ids,
        days,
        series(amounts, "amounts"),
        reference,
        optional_number(bins, "bins", 5.0),
    )
    return [list(row) for row in rows]
