"""Prévisions et budgets: a monthly revenue history → forecasts and budgets in live native formulas.

Sheets
------
* « Historique » (input): month and revenue HT, pre-filled from the sales lines (one row a month).
* « Tendance »: the three linear adjustments of the manuals side by side — least squares (SLOPE /
  INTERCEPT), extreme points and Mayer (two groups by AVERAGE; n odd → the first group takes the
  extra point) — with r (CORREL) and the sum of squared deviations, the fitted values and a chart.
* « Saisonnalité »: centred moving average of order 12 and ratios y / MMC, least-squares trend and
  ratios y / T, seasonal coefficients by both methods normalised to mean 1, deseasonalised series;
  the same computations without the last 12 months for the accuracy check.
* « Prévision »: the next 12 months — trend × coefficient (ratios to the trend) and the variant on
  the moving-average coefficients — Holt-Winters and FORECAST_AUTO (values computed by Python,
  stated so), a chart of the history and the forecasts, the FORECAST_AUTO back-test table (method
  named in plain French) beside it, and the accuracy of each method on the last year held out
  (MAPE by native formulas).
* « Budget des ventes »: annual target (input) × seasonal coefficients → monthly budget in value
  (SALES_BUDGET logic) and in quantity at an average price (input), compared with a year earlier.
* « Approvisionnement »: per product family — Wilson Q*, lot, number of orders, period, safety stock,
  reorder point — and the monthly stock plan (initial + deliveries − consumption) with purchases HT.
* « Trésorerie »: cash budget — receipts TTC by payment terms, supplier payments, salaries and
  charges, VAT collected − deductible paid the following month (credit carried forward), opening
  balance (input), closing balance, negative balances in red.

The formulas are those of :mod:`xlsales.core.forecast`, :mod:`xlsales.core.stock` and
:mod:`xlsales.core.budget`: the tests compare every computed cell with them after LibreOffice
recalculation. Holt-Winters and FORECAST_AUTO are not native formulas: their values are written
when the workbook is built (or rebuilt by the template button), and the sheet says so.
Adding months to « Historique » needs the workbook to be rebuilt (button or command): the other
sheets are laid out for the number of months present.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .. import io as xio
from ..core import budget as core_budget
from ..core._vector import excel_round
from ..core.errors import SalesMathError
from ..core.forecast import ets_forecast, seasonal_forecast
from ..core.forecast_auto import forecast_auto, forecast_auto_report
from ..sheets.formulas import safe_ratio
from ..sheets.plan import (
    BookPlan,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    Formula,
    PrintSetup,
    SheetPlan,
    Validation,
    col,
    quote_sheet,
)

__all__ = [
    "HISTORY",
    "SHEETS",
    "FamilyInputs",
    "ForecastInputs",
    "ForecastLayout",
    "build_forecast",
    "monthly_history",
    "plan_for_company",
    "plan_from_files",
    "read_inputs",
    "refresh",
]

SHEETS = {
    "history": "Historique", "trend": "Tendance", "seasonal": "Saisonnalité", "forecast": "Prévision",
    "budget": "Budget des ventes", "supply": "Approvisionnement", "cash": "Trésorerie",
}

PERIOD = 12  #: months in a season cycle
HOLDOUT = 12  #: months held out for the accuracy check
MIN_MONTHS = 2 * PERIOD  #: moving-average coefficients and Holt-Winters need two full years
HOLDOUT_MIN = HOLDOUT + MIN_MONTHS  #: the same methods fitted without the last year
AUTO_MIN = 2 * PERIOD + 2  #: FORECAST_AUTO: 2 seasons + horizon (≥ 1) + 1

MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"]
COEF_CHOICES = ("rapports à la tendance", "moyennes mobiles")
TERMS = ("Comptant (le mois de la facture)", "30 jours fin de mois (le mois suivant)",
         "60 jours fin de mois (2 mois après)", "90 jours fin de mois (3 mois après)")
BEFORE = 3  #: months of history shown before the budget in « Trésorerie » (receivables, payables, VAT)

#: Defaults that no input file gives (yellow cells, to adapt).
DEFAULT_ORDER_COST = 80.0
DEFAULT_HOLDING_RATE = 0.10
DEFAULT_AVG_LEAD = 10.0
DEFAULT_MAX_LEAD = 15.0
DEFAULT_COST_RATIO = 0.7  #: purchases / sales when the sales lines carry no unit cost
DEFAULT_PRICE = 100.0  #: average price when the history has no quantities

_HIST = quote_sheet(SHEETS["history"])
_TREND = quote_sheet(SHEETS["trend"])
_SEAS = quote_sheet(SHEETS["seasonal"])
_FC = quote_sheet(SHEETS["forecast"])
_BUD = quote_sheet(SHEETS["budget"])
_SUP = quote_sheet(SHEETS["supply"])
_CASH = quote_sheet(SHEETS["cash"])

# --- fixed positions (rows) -----------------------------------------------------------------
HIST_HEADER, HIST_FIRST = 4, 5
HIST_SPARE = 24  #: empty input rows below the history, for the months to come

TREND_ROWS = {"a": 5, "b": 6, "r": 7, "sse": 8, "x1": 9, "y1": 10, "x2": 11, "y2": 12}
TREND_METHOD_COLS = {"least_squares": 2, "extreme_points": 3, "mayer": 4}
TREND_HEADER, TREND_FIRST = 15, 16

COEF_HEADER, COEF_FIRST, COEF_MEAN = 4, 5, 17
#: columns of the coefficient table: raw ratio means and normalised coefficients
COEF_COLS = {"raw_mma": 3, "mma": 4, "raw_rt": 5, "rt": 6, "raw_mma_h": 8, "mma_h": 9, "raw_rt_h": 10, "rt_h": 11}
LINE_ROWS = {"cvs": 5, "trend_h": 6, "cvs_h": 7}  #: lines used by the forecasts (slope in P, intercept in Q)
OBS_HEADER, OBS_FIRST = 20, 21
OBS_COLS = {"x": 1, "month": 2, "season": 3, "y": 4, "mma": 5, "ratio_mma": 6, "trend": 7, "ratio_rt": 8, "cvs": 9,
            "trend_h": 11, "ratio_rt_h": 12, "cvs_h": 13}

FC_HEADER, FC_FIRST, FC_TOTAL = 5, 6, 18
FC_COLS = {"x": 1, "month": 2, "season": 3, "trend": 4, "coef": 5, "forecast": 6, "forecast_mma": 7, "ets": 8,
           "auto": 9}
ACC_HEADER, ACC_FIRST, ACC_MAPE, ACC_BEST = 44, 45, 57, 58
ACC_COLS = {"x": 1, "month": 2, "actual": 3, "rt": 4, "mma": 5, "naive": 6, "ets": 7,
            "ape_rt": 8, "ape_mma": 9, "ape_naive": 10, "ape_ets": 11}
AUTO_ROW, AUTO_HEADER, AUTO_FIRST = 4, 8, 9
AUTO_COL = 13  # M
CHART_HEADER, CHART_FIRST = 61, 62

BUDGET_CELLS = {"target": "B4", "choice": "B5", "price": "B6", "forecast": "B7", "gap": "B8", "gap_rate": "C8"}
BUDGET_HEADER, BUDGET_FIRST, BUDGET_TOTAL = 10, 11, 23
BUDGET_COLS = {"month": 1, "season": 2, "coef": 3, "share": 4, "budget": 5, "cumul": 6, "quantity": 7,
               "last_year": 8, "growth": 9}

SUPPLY_DAYS = "B4"
SUPPLY_HEADER, SUPPLY_FIRST = 6, 7
SUPPLY_COLS = {"family": 1, "demand": 2, "order_cost": 3, "unit_cost": 4, "holding_rate": 5, "eoq": 6, "lot": 7,
               "orders": 8, "period_days": 9, "avg_usage": 10, "max_usage": 11, "avg_lead": 12, "max_lead": 13,
               "safety_stock": 14, "reorder_point": 15, "initial_stock": 16}
PLAN_BLOCKS = ("consumption", "initial", "entries", "final", "purchases")

CASH_CELLS = {"opening": "B4", "vat": "B5", "charges": "B6"}
TERMS_HEADER, TERMS_FIRST, TERMS_TOTAL = 8, 9, 13
CASH_HEADER = 15
CASH_FIRST_COL = 2  #: column of the first month before the budget (B)
CASH_ROWS = {
    "sales_ht": 17, "vat_collected": 18, "sales_ttc": 19, "purchases_ht": 20, "vat_deductible": 21,
    "purchases_ttc": 22, "customer_receipts": 24, "other_receipts": 25, "total_receipts": 26,
    "supplier_payments": 28, "salaries": 29, "social_charges": 30, "vat_paid": 31, "other_payments": 32,
    "total_payments": 33, "vat_net": 35, "vat_due": 36, "vat_credit": 37, "opening": 39, "net_flow": 40,
    "closing": 41,
}
CASH_LABELS = {
    "sales_ht": "Ventes HT", "vat_collected": "TVA collectée", "sales_ttc": "Ventes TTC",
    "purchases_ht": "Achats HT", "vat_deductible": "TVA déductible", "purchases_ttc": "Achats TTC",
    "customer_receipts": "Encaissements clients", "other_receipts": "Autres encaissements",
    "total_receipts": "Total des encaissements", "supplier_payments": "Paiements fournisseurs",
    "salaries": "Salaires bruts", "social_charges": "Charges sociales", "vat_paid": "TVA décaissée (due du mois précédent)",
    "other_payments": "Autres décaissements", "total_payments": "Total des décaissements",
    "vat_net": "TVA collectée − déductible − crédit reporté", "vat_due": "TVA due (payée le mois suivant)",
    "vat_credit": "Crédit de TVA reporté", "opening": "Trésorerie en début de mois",
    "net_flow": "Encaissements − décaissements", "closing": "Trésorerie en fin de mois",
}
_CASH_SECTIONS = {16: "Ventes et achats", 23: "Encaissements", 27: "Décaissements", 34: "TVA", 38: "Trésorerie"}
_CASH_TOTAL_ROWS = ("sales_ht", "vat_collected", "sales_ttc", "purchases_ht", "vat_deductible", "purchases_ttc",
                    "customer_receipts", "other_receipts", "total_receipts", "supplier_payments", "salaries",
                    "social_charges", "vat_paid", "other_payments", "total_payments", "net_flow")
_CASH_INPUT_ROWS = ("salaries", "other_receipts", "other_payments")

#: The history as « Historique » holds it (and as a CSV of month, revenue would): month, revenue HT.
HISTORY = xio.Schema(
    name="history",
    label="historique mensuel",
    columns=(
        xio.Column("month", "date", True, ("Mois", "période", "date", "month")),
        xio.Column("revenue", "number", True, ("CA HT", "chiffre d'affaires HT", "chiffre d'affaires", "CA", "ventes",
                                               "revenue"), minimum=0, fixed=True),
    ),
)


# ------------------------------------------------------------------------------------------------
# inputs typed on the computed sheets
# ------------------------------------------------------------------------------------------------

@dataclass
class FamilyInputs:
    """One row of the Wilson table of « Approvisionnement » (what the user may type)."""

    name: str
    demand: float  #: annual demand, units
    unit_cost: float  #: unit purchase cost HT
    max_usage: float  #: maximum usage per day, units
    order_cost: float = DEFAULT_ORDER_COST
    holding_rate: float = DEFAULT_HOLDING_RATE
    avg_lead: float = DEFAULT_AVG_LEAD  #: days
    max_lead: float = DEFAULT_MAX_LEAD  #: days
    initial_stock: float | None = None  #: default: safety stock + half a lot, rounded


@dataclass
class ForecastInputs:
    """Everything a user types on the computed sheets; ``None`` = the default drawn from the data.

    Monthly amounts are keyed by month (``"2026-03"``), so that they stay on their month when the
    workbook is rebuilt with more history; a month not in the dict gets the default.
    """

    annual_target: float | None = None  #: default: the 12-month forecast, rounded to 100 €
    coefficients: str = COEF_CHOICES[0]
    average_price: float | None = None  #: default: revenue / quantity of the last 12 months
    days_per_year: float = 360.0
    families: list[FamilyInputs] | None = None  #: default: one row per product family of the sales
    opening_balance: float = 0.0
    vat_rate: float = 0.2
    charge_rate: float = 0.42
    customer_shares: tuple[float, float, float, float] = (0.2, 0.5, 0.3, 0.0)
    supplier_shares: tuple[float, float, float, float] = (0.0, 0.5, 0.5, 0.0)
    purchases_before: dict[str, float] = field(default_factory=dict)  #: default: cost of the sales of the month
    salaries: dict[str, float] = field(default_factory=dict)
    salary: float | None = None  #: monthly salaries for months not in ``salaries`` (default: the reps' fixed pay / 12)
    other_receipts: dict[str, float] = field(default_factory=dict)
    other_payments: dict[str, float] = field(default_factory=dict)


@dataclass
class ForecastLayout:
    """What was laid out, for tests and for reading the workbook back."""

    months: list[dt.date]  #: history months
    revenue: np.ndarray
    future: list[dt.date]  #: the 12 months forecast and budgeted
    before: list[dt.date]  #: the months shown before the budget in « Trésorerie »
    holdout: bool  #: the accuracy check on the last year is laid out
    ets: np.ndarray | None
    ets_holdout: np.ndarray | None
    auto: np.ndarray | None
    auto_horizon: int | None
    report: list | None
    notes: list[str]
    inputs: ForecastInputs  #: with every default filled in
    families: list[str]
    supply_blocks: dict[str, int]  #: block → first data row
    purchases_total_row: int

    @property
    def n(self) -> int:
        return len(self.months)


# ------------------------------------------------------------------------------------------------
# history
# ------------------------------------------------------------------------------------------------

def _key(day) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(day) -> str:
    """A month as the column headers show it: « janv. 2026 »."""
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"


def _line_revenue(sales: pd.DataFrame) -> np.ndarray:
    if "revenue" in sales.columns:
        return pd.to_numeric(sales["revenue"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    discount = sales["discount"].fillna(0.0) if "discount" in sales.columns else 0.0
    return excel_round(sales["quantity"].astype(float) * sales["unit_price"].astype(float) * (1 - discount))


def _line_cost(sales: pd.DataFrame) -> np.ndarray | None:
    if "unit_cost" not in sales.columns or sales["unit_cost"].isna().all():
        return None
    return excel_round(sales["quantity"].astype(float) * sales["unit_cost"].fillna(0.0).astype(float))


def _months_range(periods: pd.Series, year: int | None) -> pd.PeriodIndex:
    """The months of the history: all of them, or up to December before the budgeted ``year``."""
    first, last = periods.min(), periods.max()
    if year is not None:
        end = pd.Period(f"{int(year) - 1}-12", freq="M")
        if end < first:
            raise ValueError(f"aucune donnée avant {year} : l'historique commence en {first.strftime('%m/%Y')}")
        if end > last:
            raise ValueError(f"le budget {year} demande l'historique jusqu'en décembre {int(year) - 1} : "
                             f"les données s'arrêtent en {last.strftime('%m/%Y')}")
        last = end
    return pd.period_range(first, last, freq="M")


def monthly_history(sales: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Monthly revenue HT of the sales lines: ``month`` (first day), ``revenue`` (to the cent).

    Parameters
    ----------
    sales : DataFrame
        Sales lines (:func:`xlsales.io.read_sales`): date and revenue (or quantity, unit_price,
        discount).
    year : int, optional
        The year budgeted: the history stops in December of the year before. Default: up to the
        last month with sales. Months without sales inside the range count 0.
    """
    if sales is None or len(sales) == 0:
        raise ValueError("aucune ligne de ventes : impossible de constituer l'historique mensuel")
    periods = pd.to_datetime(sales["date"]).dt.to_period("M")
    months = _months_range(periods, year)
    totals = pd.Series(_line_revenue(sales), index=periods.to_numpy()).groupby(level=0).sum()
    totals = totals.reindex(months, fill_value=0.0)
    return pd.DataFrame({"month": months.to_timestamp(), "revenue": excel_round(totals.to_numpy(), 2)})


def _normalise_history(history: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """A history frame (month, revenue), sorted, one row a month, cut at December before ``year``."""
    frame = history.rename(columns={c: c.lower() for c in history.columns})
    if "month" not in frame.columns or "revenue" not in frame.columns:
        raise ValueError("l'historique doit avoir les colonnes « Mois » (month) et « CA HT » (revenue)")
    periods = pd.to_datetime(frame["month"]).dt.to_period("M")
    if periods.duplicated().any():
        twice = periods[periods.duplicated()].iloc[0]
        raise ValueError(f"le mois {twice.strftime('%m/%Y')} figure deux fois dans l'historique")
    values = pd.Series(frame["revenue"].astype(float).to_numpy(), index=periods.to_numpy()).sort_index()
    months = _months_range(periods, year)
    missing = [p for p in months if p not in values.index]
    if missing:
        raise ValueError(f"mois manquant dans l'historique : {missing[0].strftime('%m/%Y')} "
                         "(un mois sans vente s'écrit 0)")
    values = values.reindex(months)
    return pd.DataFrame({"month": months.to_timestamp(), "revenue": values.to_numpy(dtype=float)})


# ------------------------------------------------------------------------------------------------
# defaults drawn from the data
# ------------------------------------------------------------------------------------------------

def _ceil2(x: float) -> float:
    return math.ceil(round(x * 100, 6)) / 100


def _family_defaults(name: str, quantities: np.ndarray, unit_cost: float, days: float) -> FamilyInputs:
    """One family's Wilson inputs from its last 12 monthly quantities."""
    demand = float(excel_round(quantities.sum(), 0))
    max_usage = max(_ceil2(float(quantities.max()) / 30.0), _ceil2(demand / days))
    fam = FamilyInputs(name=name, demand=demand, unit_cost=float(excel_round(unit_cost, 2)), max_usage=max_usage)
    p = core_budget.procurement(fam.demand, fam.order_cost, fam.unit_cost, fam.holding_rate, fam.max_usage,
                                fam.avg_lead, fam.max_lead, days)
    fam.initial_stock = float(excel_round(p["safety_stock"] + p["lot"] / 2, 0))
    return fam


def _default_families(sales: pd.DataFrame | None, last12: list[dt.date], revenue12: float, price: float,
                      days: float) -> list[FamilyInputs]:
    if sales is None:
        quantities = np.array([revenue12 / 12 / price] * 12)
        return [_family_defaults("Ensemble des produits", quantities, price * DEFAULT_COST_RATIO, days)]
    frame = sales.copy()
    frame["period"] = pd.to_datetime(frame["date"]).dt.to_period("M")
    keep = {pd.Period(d, freq="M") for d in last12}
    frame = frame[frame["period"].isin(keep)]
    if "family" not in frame.columns or frame["family"].isna().all():
        frame["family"] = "Ensemble des produits"
    frame["family"] = frame["family"].fillna("(sans famille)").astype(str)
    revenue = _line_revenue(frame)
    cost = _line_cost(frame)
    frame = frame.assign(_rev=revenue, _cost=cost if cost is not None else revenue * DEFAULT_COST_RATIO)
    out = []
    months = pd.PeriodIndex(sorted(keep), freq="M")
    for name, group in frame.groupby("family", sort=True):
        qty = group.groupby("period")["quantity"].sum().reindex(months, fill_value=0.0).to_numpy(dtype=float)
        total_q = qty.sum()
        if total_q <= 0:
            continue
        unit_cost = group["_cost"].sum() / total_q
        if unit_cost <= 0:
            unit_cost = group["_rev"].sum() / total_q
        out.append(_family_defaults(str(name), qty, unit_cost if unit_cost > 0 else price, days))
    if not out:
        raise ValueError("aucune quantité vendue sur les 12 derniers mois : approvisionnement impossible à estimer")
    return out


def _complete_inputs(inputs: ForecastInputs, months: list[dt.date], revenue: np.ndarray, future: list[dt.date],
                     before: list[dt.date], forecast_total: float, sales: pd.DataFrame | None,
                     reps: pd.DataFrame | None) -> ForecastInputs:
    """The inputs with every ``None`` replaced by its default drawn from the data."""
    inp = replace(inputs, purchases_before=dict(inputs.purchases_before), salaries=dict(inputs.salaries),
                  other_receipts=dict(inputs.other_receipts), other_payments=dict(inputs.other_payments))
    last12 = months[-PERIOD:]
    revenue12 = float(revenue[-PERIOD:].sum())
    quantity12 = None
    if sales is not None:
        periods = pd.to_datetime(sales["date"]).dt.to_period("M")
        keep = periods.isin({pd.Period(d, freq="M") for d in last12})
        quantity12 = float(sales.loc[keep, "quantity"].sum())
    if inp.annual_target is None:
        inp.annual_target = float(excel_round(forecast_total, -2))
    if inp.average_price is None:
        inp.average_price = (float(excel_round(revenue12 / quantity12, 2)) if quantity12 else DEFAULT_PRICE)
    if inp.coefficients not in COEF_CHOICES:
        inp.coefficients = COEF_CHOICES[0]
    if inp.families is None:
        inp.families = _default_families(sales, last12, revenue12, inp.average_price, inp.days_per_year)
    else:
        inp.families = [replace(f) for f in inp.families]
    for fam in inp.families:
        if fam.initial_stock is None:
            fam.initial_stock = _family_defaults(fam.name, np.full(12, fam.demand / 12), fam.unit_cost,
                                                 inp.days_per_year).initial_stock
    if inp.salary is None:
        inp.salary = 0.0
        if reps is not None and "base_salary" in reps.columns:
            inp.salary = float(excel_round(pd.to_numeric(reps["base_salary"], errors="coerce").fillna(0).sum() / 12, 2))
    cost_by_month: dict[str, float] = {}
    if sales is not None:
        cost = _line_cost(sales)
        periods = pd.to_datetime(sales["date"]).dt.to_period("M")
        amounts = cost if cost is not None else _line_revenue(sales) * DEFAULT_COST_RATIO
        sums = pd.Series(amounts, index=periods.to_numpy()).groupby(level=0).sum()
        cost_by_month = {str(p): float(excel_round(v, 2)) for p, v in sums.items()}
    by_month = dict(zip((_key(m) for m in months), revenue))
    for day in before:
        k = _key(day)
        if k not in inp.purchases_before:
            default = cost_by_month.get(k) if sales is not None else None
            inp.purchases_before[k] = (default if default is not None
                                       else float(excel_round(by_month.get(k, 0.0) * DEFAULT_COST_RATIO, 2)))
    for day in future:
        k = _key(day)
        inp.salaries.setdefault(k, inp.salary)
        inp.other_receipts.setdefault(k, 0.0)
        inp.other_payments.setdefault(k, 0.0)
    return inp


# ------------------------------------------------------------------------------------------------
# sheets
# ------------------------------------------------------------------------------------------------

def _history_sheet(months: list[dt.date], revenue: np.ndarray, from_sales: bool) -> SheetPlan:
    sheet = SheetPlan(SHEETS["history"], role="input", tab_color="70AD47")
    sheet.title("Historique du chiffre d'affaires mensuel",
                "Cellules jaunes : un mois par ligne (1er du mois) et son CA HT. Après l'ajout de mois, "
                "bouton « Mettre à jour » (ou nouvelle génération) pour prolonger les autres feuilles.")
    if from_sales:
        sheet.set(3, 1, "Pré-rempli avec la somme des lignes de ventes du mois (CA HT = ARRONDI(quantité × PU HT × "
                        "(1 − remise) ; 2)).", style="note")
    sheet.row(HIST_HEADER, 1, ["Mois", "CA HT"], style="header")
    n = len(months)
    for i, (day, value) in enumerate(zip(months, revenue)):
        sheet.set(HIST_FIRST + i, 1, day, style="input_date")
        sheet.set(HIST_FIRST + i, 2, float(value), style="input_eur")
    last_input = HIST_FIRST + n + HIST_SPARE - 1
    for r in range(HIST_FIRST + n, last_input + 1):
        sheet.set(r, 1, None, style="input_date")
        sheet.set(r, 2, None, style="input_eur")
    sheet.validations.append(Validation(f"A{HIST_FIRST}:A{last_input}", "date", "between", "1", "2958465",
                                        prompt="Premier jour du mois (ex. 01/03/2025)", error="Une date est attendue."))
    sheet.validations.append(Validation(f"B{HIST_FIRST}:B{last_input}", "decimal", "greaterThanOrEqual", "0",
                                        prompt="CA HT du mois (€)", error="Un montant positif ou nul est attendu."))
    sheet.widths.update({"A": 14, "B": 18})
    sheet.freeze = f"A{HIST_FIRST}"
    sheet.print_setup = PrintSetup(orientation="portrait", title_rows=f"{HIST_HEADER}:{HIST_HEADER}",
                                   header="Historique des ventes")
    return sheet


def _hist_ref(i: int, column: str = "B") -> str:
    """Historique cell of observation i (0-based)."""
    return f"{_HIST}!${column}${HIST_FIRST + i}"


def _trend_sheet(months: list[dt.date]) -> SheetPlan:
    sheet = SheetPlan(SHEETS["trend"], tab_color="1F4E78")
    n = len(months)
    g = (n + 1) // 2
    sheet.title("Tendance : trois ajustements linéaires y = a·x + b",
                "Rang x = 1 … n. Moindres carrés : PENTE / ORDONNEE.ORIGINE ; points extrêmes : la droite du premier "
                "et du dernier point ; Mayer : la droite des points moyens de deux groupes consécutifs.")
    first, last = TREND_FIRST, TREND_FIRST + n - 1
    X, Y = f"$A${first}:$A${last}", f"$C${first}:$C${last}"
    sheet.row(4, 1, ["", "Moindres carrés", "Points extrêmes", "Mayer (double moyenne)"], style="header")
    labels = {"a": "Pente a", "b": "Ordonnée à l'origine b", "r": "Coefficient de corrélation r (COEFFICIENT.CORRELATION)",
              "sse": "Somme des carrés des écarts", "x1": "x̄₁ (premier point / groupe 1)", "y1": "ȳ₁",
              "x2": "x̄₂ (dernier point / groupe 2)", "y2": "ȳ₂"}
    for key, r in TREND_ROWS.items():
        sheet.set(r, 1, labels[key], style="label")
    b, c, d = TREND_METHOD_COLS["least_squares"], TREND_METHOD_COLS["extreme_points"], TREND_METHOD_COLS["mayer"]
    R = TREND_ROWS
    sheet.set(R["a"], b, formula=f"SLOPE({Y},{X})", style="dec")
    sheet.set(R["b"], b, formula=f"INTERCEPT({Y},{X})", style="dec")
    points = {c: (f"$A${first}", f"$C${first}", f"$A${last}", f"$C${last}"),
              d: (f"AVERAGE($A${first}:$A${first + g - 1})", f"AVERAGE($C${first}:$C${first + g - 1})",
                  f"AVERAGE($A${first + g}:$A${last})", f"AVERAGE($C${first + g}:$C${last})")}
    for j, (x1, y1, x2, y2) in points.items():
        L = col(j)
        sheet.set(R["x1"], j, formula=x1, style="dec")
        sheet.set(R["y1"], j, formula=y1, style="eur")
        sheet.set(R["x2"], j, formula=x2, style="dec")
        sheet.set(R["y2"], j, formula=y2, style="eur")
        sheet.set(R["a"], j, formula=f"({L}{R['y2']}-{L}{R['y1']})/({L}{R['x2']}-{L}{R['x1']})", style="dec")
        sheet.set(R["b"], j, formula=f"{L}{R['y1']}-{L}{R['a']}*{L}{R['x1']}", style="dec")
    for j, fit in ((b, "D"), (c, "E"), (d, "F")):
        sheet.set(R["r"], j, formula=f'IFERROR(CORREL({X},{Y}),"")', style="dec4")  # constant data: no r
        sheet.set(R["sse"], j, formula=f"SUMXMY2({Y},${fit}${first}:${fit}${last})", style="eur0")
    sheet.set(13, 1, f"Mayer : groupe 1 = rangs 1 à {g}, groupe 2 = rangs {g + 1} à {n}"
                     + (" (n impair : le premier groupe prend le point supplémentaire)." if n % 2 else "."),
              style="note")
    sheet.row(TREND_HEADER, 1, ["Rang x", "Mois", "CA HT", "Moindres carrés", "Points extrêmes", "Mayer"],
              style="header")
    for i in range(n):
        r = first + i
        sheet.row(r, 1, [
            i + 1, Formula(f"={_hist_ref(i, 'A')}"), Formula(f"={_hist_ref(i)}"),
            Formula(f"$B${R['a']}*A{r}+$B${R['b']}"), Formula(f"$C${R['a']}*A{r}+$C${R['b']}"),
            Formula(f"$D${R['a']}*A{r}+$D${R['b']}"),
        ], style=["int", "month", "eur", "eur", "eur", "eur"])
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "line", "CA HT mensuel et droites de tendance", "H4",
        [ChartSeries(f"{q}!$C${first}:$C${last}", "CA HT", categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!$D${first}:$D${last}", "Moindres carrés"),
         ChartSeries(f"{q}!$E${first}:$E${last}", "Points extrêmes"),
         ChartSeries(f"{q}!$F${first}:$F${last}", "Mayer")],
        x_title=f"Rang x (1 = {month_label(months[0])})", y_format='#,##0 "€"', width_cm=20, height_cm=10))
    sheet.widths.update({"A": 46, "B": 16, "C": 16, "D": 16, "E": 16, "F": 16, "G": 3})
    sheet.freeze = f"A{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{TREND_HEADER}:{TREND_HEADER}",
                                   header="Tendance")
    return sheet


def _season_names(first_month: int) -> list[str]:
    return [MONTH_NAMES[(first_month - 1 + j) % 12] for j in range(PERIOD)]


def _seasonal_sheet(n: int, first_month: int, holdout: bool) -> SheetPlan:
    sheet = SheetPlan(SHEETS["seasonal"], tab_color="1F4E78")
    sheet.title("Coefficients saisonniers",
                "Moyennes mobiles centrées d'ordre 12 (½yₜ₋₆ + yₜ₋₅ + … + yₜ₊₅ + ½yₜ₊₆) / 12 et rapports y / MMC ; "
                "rapports à la tendance des moindres carrés y / T ; coefficient = moyenne des rapports de la saison, "
                "normalisée (moyenne des 12 coefficients = 1).")
    first, last = OBS_FIRST, OBS_FIRST + n - 1
    C = OBS_COLS
    K = COEF_COLS
    rng = lambda key, end=last: f"${col(C[key])}${first}:${col(C[key])}${end}"
    season_rng = lambda end=last: rng("season", end)
    headers = {1: "Saison", 2: "Mois", K["raw_mma"]: "Rapport moyen y / MMC", K["mma"]: "Coefficient (moyennes mobiles)",
               K["raw_rt"]: "Rapport moyen y / tendance", K["rt"]: "Coefficient (rapports à la tendance)"}
    if holdout:
        headers.update({K["raw_mma_h"]: "y / MMC sans la dernière année", K["mma_h"]: "Coefficient MMC sans la dernière année",
                        K["raw_rt_h"]: "y / tendance sans la dernière année",
                        K["rt_h"]: "Coefficient tendance sans la dernière année"})
    for j, h in headers.items():
        sheet.set(COEF_HEADER, j, h, style="header")
    sheet.heights[COEF_HEADER] = 45
    train_end = first + n - HOLDOUT - 1  # last observation row without the held-out year
    mma_train_end = train_end - PERIOD // 2  # last row whose MMC uses no held-out value
    names = _season_names(first_month)
    coef_rng = lambda key: f"${col(K[key])}${COEF_FIRST}:${col(K[key])}${COEF_FIRST + PERIOD - 1}"
    for j in range(PERIOD):
        r = COEF_FIRST + j
        sheet.set(r, 1, j + 1, style="int")
        sheet.set(r, 2, names[j], style="text")
        sheet.set(r, K["raw_mma"], formula=f"AVERAGEIF({season_rng()},$A{r},{rng('ratio_mma')})", style="dec4")
        sheet.set(r, K["mma"], formula=f"{col(K['raw_mma'])}{r}/AVERAGE({coef_rng('raw_mma')})", style="dec4")
        sheet.set(r, K["raw_rt"], formula=f"AVERAGEIF({season_rng()},$A{r},{rng('ratio_rt')})", style="dec4")
        sheet.set(r, K["rt"], formula=f"{col(K['raw_rt'])}{r}/AVERAGE({coef_rng('raw_rt')})", style="dec4")
        if holdout:
            sheet.set(r, K["raw_mma_h"], style="dec4",
                      formula=f"AVERAGEIF({season_rng(mma_train_end)},$A{r},{rng('ratio_mma', mma_train_end)})")
            sheet.set(r, K["mma_h"], formula=f"{col(K['raw_mma_h'])}{r}/AVERAGE({coef_rng('raw_mma_h')})", style="dec4")
            sheet.set(r, K["raw_rt_h"], style="dec4",
                      formula=f"AVERAGEIF({season_rng(train_end)},$A{r},{rng('ratio_rt_h', train_end)})")
            sheet.set(r, K["rt_h"], formula=f"{col(K['raw_rt_h'])}{r}/AVERAGE({coef_rng('raw_rt_h')})", style="dec4")
    sheet.set(COEF_MEAN, 1, "Moyenne", style="total_text")
    sheet.set(COEF_MEAN, 2, None, style="total_text")
    for key, j in K.items():
        if holdout or not key.endswith("_h"):
            sheet.set(COEF_MEAN, j, formula=f"AVERAGE({coef_rng(key)})", style="dec4")

    # the lines the forecasts use
    sheet.row(4, 15, ["Droites utilisées par les prévisions", "Pente a", "Ordonnée à l'origine b"], style="header")
    x_all, x_train = rng("x"), rng("x", train_end)
    lines = {"cvs": ("CVS (coefficients MMC), toute la période", rng("cvs"), x_all)}
    if holdout:
        lines["trend_h"] = ("CA HT sans la dernière année (moindres carrés)", rng("y", train_end), x_train)
        lines["cvs_h"] = ("CVS sans la dernière année (coefficients MMC sans la dernière année)", rng("cvs_h", train_end),
                          x_train)
    for key, (label, ys, xs) in lines.items():
        r = LINE_ROWS[key]
        sheet.set(r, 15, label, style="text")
        sheet.set(r, 16, formula=f"SLOPE({ys},{xs})", style="dec")
        sheet.set(r, 17, formula=f"INTERCEPT({ys},{xs})", style="dec")

    # one row per observation
    obs_headers = {C["x"]: "Rang x", C["month"]: "Mois", C["season"]: "Saison", C["y"]: "CA HT", C["mma"]: "MMC 12",
                   C["ratio_mma"]: "y / MMC", C["trend"]: "Tendance (moindres carrés)", C["ratio_rt"]: "y / tendance",
                   C["cvs"]: "CVS = y / coefficient MMC"}
    if holdout:
        obs_headers.update({C["trend_h"]: "Tendance sans la dernière année", C["ratio_rt_h"]: "y / tendance sans la dernière année",
                            C["cvs_h"]: "CVS sans la dernière année"})
    for j, h in obs_headers.items():
        sheet.set(OBS_HEADER, j, h, style="header")
    sheet.heights[OBS_HEADER] = 45
    sheet.set(OBS_HEADER - 1, 1, "Calculs par mois", style="label")
    half = PERIOD // 2
    y = col(C["y"])
    for i in range(n):
        r = first + i
        t = i + 1
        sheet.set(r, C["x"], t, style="int")
        sheet.set(r, C["month"], formula=f"={_hist_ref(i, 'A')}", style="month")
        sheet.set(r, C["season"], i % PERIOD + 1, style="int")
        sheet.set(r, C["y"], formula=f"={_hist_ref(i)}", style="eur")
        if half < t <= n - half:
            sheet.set(r, C["mma"], style="eur",
                      formula=f"(SUM({y}{r - half}:{y}{r + half})-({y}{r - half}+{y}{r + half})/2)/{PERIOD}")
            sheet.set(r, C["ratio_mma"], formula=f"{y}{r}/{col(C['mma'])}{r}", style="dec4")
        sheet.set(r, C["trend"], formula=f"{_TREND}!$B${TREND_ROWS['a']}*A{r}+{_TREND}!$B${TREND_ROWS['b']}", style="eur")
        sheet.set(r, C["ratio_rt"], formula=f"{y}{r}/{col(C['trend'])}{r}", style="dec4")
        sheet.set(r, C["cvs"], formula=f"{y}{r}/INDEX({coef_rng('mma')},{col(C['season'])}{r})", style="eur")
        if holdout and r <= train_end:
            sheet.set(r, C["trend_h"], formula=f"$P${LINE_ROWS['trend_h']}*A{r}+$Q${LINE_ROWS['trend_h']}", style="eur")
            sheet.set(r, C["ratio_rt_h"], formula=f"{y}{r}/{col(C['trend_h'])}{r}", style="dec4")
            sheet.set(r, C["cvs_h"], formula=f"{y}{r}/INDEX({coef_rng('mma_h')},{col(C['season'])}{r})", style="eur")
    q = quote_sheet(sheet.name)
    end = COEF_FIRST + PERIOD - 1
    sheet.charts.append(ChartSpec(
        "column", "Coefficients saisonniers", "O9",
        [ChartSeries(f"{q}!$D${COEF_FIRST}:$D${end}", "Moyennes mobiles", categories=f"{q}!$B${COEF_FIRST}:$B${end}"),
         ChartSeries(f"{q}!$F${COEF_FIRST}:$F${end}", "Rapports à la tendance")],
        y_format="0.00", width_cm=16, height_cm=8))
    sheet.widths.update({"A": 8, "B": 12, **{col(j): 14 for j in range(3, 14)}, "G": 14 if holdout else 3,
                         "J": 14 if holdout else 3, "N": 3, "O": 44, "P": 13, "Q": 15})
    sheet.freeze = "C5"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{OBS_HEADER}:{OBS_HEADER}",
                                   header="Coefficients saisonniers")
    return sheet


def _pct_fr(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def _forecast_sheet(n: int, months: list[dt.date], future: list[dt.date], holdout: bool, ets, ets_holdout, auto,
                    auto_horizon, report, notes: list[str]) -> SheetPlan:
    sheet = SheetPlan(SHEETS["forecast"], tab_color="1F4E78")
    sheet.title("Prévision des ventes des 12 prochains mois",
                "Méthode des manuels : tendance des moindres carrés T(x) = a·x + b × coefficient saisonnier de la saison "
                "(rapports à la tendance) ; variante : droite de la CVS × coefficient des moyennes mobiles.")
    F = FC_COLS
    sheet.set(FC_HEADER - 1, 1, "Prévision", style="label")
    headers = {F["x"]: "Rang x", F["month"]: "Mois", F["season"]: "Saison", F["trend"]: "Tendance T(x)",
               F["coef"]: "Coefficient (rapports à la tendance)", F["forecast"]: "Prévision = T(x) × coefficient",
               F["forecast_mma"]: "Prévision (CVS et moyennes mobiles)", F["ets"]: "Holt-Winters (calculé par Python)",
               F["auto"]: "FORECAST_AUTO (calculé par Python)"}
    for j, h in headers.items():
        sheet.set(FC_HEADER, j, h, style="header")
    sheet.heights[FC_HEADER] = 45
    a, b = f"{_TREND}!$B${TREND_ROWS['a']}", f"{_TREND}!$B${TREND_ROWS['b']}"
    coef = lambda key: f"{_SEAS}!${col(COEF_COLS[key])}${COEF_FIRST}:${col(COEF_COLS[key])}${COEF_FIRST + PERIOD - 1}"
    line = lambda key: (f"{_SEAS}!$P${LINE_ROWS[key]}", f"{_SEAS}!$Q${LINE_ROWS[key]}")
    ca, cb = line("cvs")
    for k, day in enumerate(future):
        r = FC_FIRST + k
        t = n + 1 + k
        sheet.set(r, F["x"], t, style="int")
        sheet.set(r, F["month"], day, style="month")
        sheet.set(r, F["season"], (t - 1) % PERIOD + 1, style="int")
        sheet.set(r, F["trend"], formula=f"{a}*A{r}+{b}", style="eur")
        sheet.set(r, F["coef"], formula=f"INDEX({coef('rt')},C{r})", style="dec4")
        sheet.set(r, F["forecast"], formula=f"D{r}*E{r}", style="eur")
        sheet.set(r, F["forecast_mma"], formula=f"({ca}*A{r}+{cb})*INDEX({coef('mma')},C{r})", style="eur")
        sheet.set(r, F["ets"], None if ets is None else float(ets[k]), style="eur")
        sheet.set(r, F["auto"], None if auto is None or k >= len(auto) else float(auto[k]), style="eur")
    last = FC_FIRST + PERIOD - 1
    sheet.set(FC_TOTAL, 1, "Total des 12 mois", style="total_text")
    for j in (F["month"], F["season"], F["trend"], F["coef"]):
        sheet.set(FC_TOTAL, j, None, style="total_text")
    for key in ("forecast", "forecast_mma", "ets", "auto"):
        L = col(F[key])
        full = (key != "ets" or ets is not None) and (key != "auto" or (auto is not None and len(auto) == PERIOD))
        sheet.set(FC_TOTAL, F[key], formula=f"SUM({L}{FC_FIRST}:{L}{last})" if full else None, style="total_eur")
    sheet.set(FC_TOTAL + 1, 1, "Holt-Winters (statsmodels, comme PREVISION.ETS) et FORECAST_AUTO ne sont pas des formules "
                               "Excel : leurs valeurs sont calculées par Python à la création du classeur ; le bouton "
                               "« Mettre à jour » les recalcule.", style="note")
    for i, text in enumerate(notes):
        sheet.set(FC_TOTAL + 2 + i, 1, text, style="note")

    # FORECAST_AUTO report, beside the chart
    M = AUTO_COL
    sheet.set(AUTO_ROW, M, "FORECAST_AUTO : la méthode qui aurait le mieux prévu votre historique (calcul Python)",
              style="label")
    if report:
        chosen = next(row for row in report if row.chosen)
        sheet.set(AUTO_ROW + 1, M, f"Méthode retenue : {chosen.method} ({chosen.window}), erreur moyenne au "
                                   f"back-test : {_pct_fr(chosen.mape)}.", style="label")
        sheet.set(AUTO_ROW + 2, M, f"Back-test : chaque méthode est ajustée sur l'historique arrêté à plusieurs dates, "
                                   f"puis prévoit les {auto_horizon} mois suivants ; MAPE = moyenne des écarts absolus "
                                   "en % (la plus petite l'emporte).", style="note")
        # one line of header: the row is also a row of the forecast table
        sheet.row(AUTO_HEADER, M, ["Méthode", "Fenêtre d'ajustement", "MAPE", "Retenue"], style="header")
        for i, row in enumerate(report):
            r = AUTO_FIRST + i
            sheet.row(r, M, [row.method, row.window, row.mape if row.mape is not None else "non évaluée",
                             "oui" if row.chosen else ""], style=["text", "text", "pct", "text"])
        end = AUTO_FIRST + len(report) - 1
        sheet.conditional_formats.append(ConditionalFormat(f"{col(M)}{AUTO_FIRST}:{col(M + 3)}{end}", "expression",
                                                           formula=[f'${col(M + 3)}{AUTO_FIRST}="oui"'], look="good"))
    else:
        sheet.set(AUTO_ROW + 1, M, f"Non disponible : FORECAST_AUTO demande au moins {AUTO_MIN} mois d'historique "
                                   f"({n} fournis)." if n < AUTO_MIN else "Non disponible : voir la note sous la "
                                   "prévision.", style="note")

    # accuracy on the held-out year
    A = ACC_COLS
    sheet.set(ACC_HEADER - 1, 1, "Précision sur la dernière année mise de côté : chaque méthode est ajustée sans les "
                                 "12 derniers mois, puis comparée au réalisé", style="label")
    if holdout:
        acc_headers = {A["x"]: "Rang x", A["month"]: "Mois", A["actual"]: "CA HT réalisé",
                       A["rt"]: "Tendance × coefficients", A["mma"]: "CVS et moyennes mobiles",
                       A["naive"]: "Même mois un an plus tôt", A["ets"]: "Holt-Winters (calculé par Python)",
                       A["ape_rt"]: "Écart % tendance × coefficients", A["ape_mma"]: "Écart % moyennes mobiles",
                       A["ape_naive"]: "Écart % même mois un an plus tôt", A["ape_ets"]: "Écart % Holt-Winters"}
        for j, h in acc_headers.items():
            sheet.set(ACC_HEADER, j, h, style="header")
        sheet.heights[ACC_HEADER] = 45
        th_a, th_b = line("trend_h")
        ch_a, ch_b = line("cvs_h")
        for k in range(HOLDOUT):
            r = ACC_FIRST + k
            i = n - HOLDOUT + k
            season = f"MOD(A{r}-1,{PERIOD})+1"
            sheet.set(r, A["x"], i + 1, style="int")
            sheet.set(r, A["month"], formula=f"={_hist_ref(i, 'A')}", style="month")
            sheet.set(r, A["actual"], formula=f"={_hist_ref(i)}", style="eur")
            sheet.set(r, A["rt"], formula=f"({th_a}*A{r}+{th_b})*INDEX({coef('rt_h')},{season})", style="eur")
            sheet.set(r, A["mma"], formula=f"({ch_a}*A{r}+{ch_b})*INDEX({coef('mma_h')},{season})", style="eur")
            sheet.set(r, A["naive"], formula=f"={_hist_ref(i - PERIOD)}", style="eur")
            sheet.set(r, A["ets"], None if ets_holdout is None else float(ets_holdout[k]), style="eur")
            for method in ("rt", "mma", "naive", "ets"):
                if method == "ets" and ets_holdout is None:
                    continue
                L = col(A[method])
                sheet.set(r, A["ape_" + method], formula=f'IF($C{r}=0,"",ABS($C{r}-{L}{r})/ABS($C{r}))', style="pct")
        sheet.set(ACC_MAPE, 1, "MAPE (moyenne des écarts absolus en %, mois de CA nul exclus)", style="label")
        for method in ("rt", "mma", "naive", "ets"):
            if method == "ets" and ets_holdout is None:
                continue
            L = col(A["ape_" + method])
            sheet.set(ACC_MAPE, A["ape_" + method], formula=f"AVERAGE({L}{ACC_FIRST}:{L}{ACC_FIRST + HOLDOUT - 1})",
                      style="total_pct")
        last_ape = col(A["ape_ets"] if ets_holdout is not None else A["ape_naive"])
        last_fc = col(A["ets"] if ets_holdout is not None else A["naive"])
        mapes = f"${col(A['ape_rt'])}${ACC_MAPE}:${last_ape}${ACC_MAPE}"
        sheet.set(ACC_BEST, 1, "Méthode la plus précise sur cette année", style="label")
        sheet.set(ACC_BEST, A["ape_rt"], style="total_text",
                  formula=f"INDEX(${col(A['rt'])}${ACC_HEADER}:${last_fc}${ACC_HEADER},MATCH(MIN({mapes}),{mapes},0))")
        sheet.conditional_formats.append(ConditionalFormat(f"{col(A['ape_rt'])}{ACC_MAPE}:{last_ape}{ACC_MAPE}",
                                                           "expression", look="good",
                                                           formula=[f"{col(A['ape_rt'])}{ACC_MAPE}=MIN({mapes})"]))
    else:
        sheet.set(ACC_HEADER, 1, f"Non disponible : {HOLDOUT_MIN} mois d'historique au moins ({n} fournis).",
                  style="note")

    # data of the chart: history then forecasts, in one block
    sheet.set(CHART_HEADER - 1, 1, "Données du graphique", style="label")
    sheet.row(CHART_HEADER, 1, ["Mois", "CA HT réalisé", "Prévision (tendance × coefficient)", "Holt-Winters",
                                "FORECAST_AUTO"], style="header")
    sheet.heights[CHART_HEADER] = 45
    for i in range(n):
        r = CHART_FIRST + i
        sheet.set(r, 1, month_label(months[i]), style="text")
        sheet.set(r, 2, formula=f"={_hist_ref(i)}", style="eur")
    for k in range(PERIOD):
        r = CHART_FIRST + n + k
        src = FC_FIRST + k
        sheet.set(r, 1, month_label(future[k]), style="text")
        sheet.set(r, 3, formula=f"=${col(F['forecast'])}${src}", style="eur")
        if ets is not None:
            sheet.set(r, 4, formula=f"=${col(F['ets'])}${src}", style="eur")
        if auto is not None and k < len(auto):
            sheet.set(r, 5, formula=f"=${col(F['auto'])}${src}", style="eur")
    end = CHART_FIRST + n + PERIOD - 1
    q = quote_sheet(sheet.name)
    series = [ChartSeries(f"{q}!$B${CHART_FIRST}:$B${end}", "CA HT réalisé", categories=f"{q}!$A${CHART_FIRST}:$A${end}"),
              ChartSeries(f"{q}!$C${CHART_FIRST}:$C${end}", "Prévision (tendance × coefficient)")]
    if ets is not None:
        series.append(ChartSeries(f"{q}!$D${CHART_FIRST}:$D${end}", "Holt-Winters"))
    if auto is not None:
        series.append(ChartSeries(f"{q}!$E${CHART_FIRST}:$E${end}", "FORECAST_AUTO"))
    sheet.charts.append(ChartSpec("line", "CA HT mensuel : historique et prévisions", "A23", series,
                                  y_format='#,##0 "€"', width_cm=24, height_cm=9.5))
    sheet.widths.update({"A": 9, "B": 12, "C": 15, **{col(j): 16 for j in range(4, 12)}, "L": 3, "M": 50, "N": 20,
                         "O": 13, "P": 9})
    sheet.freeze = f"A{FC_FIRST}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{FC_HEADER}:{FC_HEADER}",
                                   header="Prévision des ventes")
    return sheet


def _budget_sheet(n: int, future: list[dt.date], inputs: ForecastInputs) -> SheetPlan:
    sheet = SheetPlan(SHEETS["budget"], tab_color="C55A11")
    years = sorted({d.year for d in future})
    period = str(years[0]) if len(years) == 1 else f"{future[0]:%m/%Y} à {future[-1]:%m/%Y}"
    sheet.title(f"Budget des ventes {period}",
                "Budget du mois = objectif annuel × coefficient du mois / somme des coefficients (SALES_BUDGET) ; "
                "quantités = budget / prix moyen, arrondies à l'unité.")
    cells = BUDGET_CELLS
    sheet.put("A4", "Objectif annuel de CA HT", style="label")
    sheet.put(cells["target"], float(inputs.annual_target), style="input_eur")
    sheet.put("A5", "Coefficients saisonniers utilisés", style="label")
    sheet.put(cells["choice"], inputs.coefficients, style="input_text")
    sheet.put("A6", "Prix de vente moyen HT (€ par unité)", style="label")
    sheet.put(cells["price"], float(inputs.average_price), style="input_eur")
    sheet.put("A7", "Prévision des 12 mois (tendance × coefficient)", style="label")
    sheet.put(cells["forecast"], formula=f"{_FC}!${col(FC_COLS['forecast'])}${FC_TOTAL}", style="eur")
    sheet.put("A8", "Écart objectif − prévision", style="label")
    sheet.put(cells["gap"], formula=f"{cells['target']}-{cells['forecast']}", style="eur")
    sheet.put(cells["gap_rate"], formula=safe_ratio(cells["gap"], cells["forecast"]), style="pct")
    sheet.put("C4", "Cellules jaunes : à saisir (l'objectif est pré-rempli avec la prévision arrondie).", style="note")
    sheet.validations.append(Validation(cells["target"], "decimal", "greaterThanOrEqual", "0",
                                        prompt="Objectif de CA HT des 12 mois (€)", error="Un montant positif est attendu."))
    sheet.validations.append(Validation(cells["choice"], "list", None, '"' + ",".join(COEF_CHOICES) + '"',
                                        prompt="Méthode des coefficients saisonniers", error="Choisissez dans la liste."))
    sheet.validations.append(Validation(cells["price"], "decimal", "greaterThan", "0",
                                        prompt="Prix moyen HT d'une unité vendue (€)", error="Un prix positif est attendu."))
    B = BUDGET_COLS
    headers = {B["month"]: "Mois", B["season"]: "Saison", B["coef"]: "Coefficient saisonnier", B["share"]: "Part de l'année",
               B["budget"]: "Budget CA HT", B["cumul"]: "Budget cumulé", B["quantity"]: "Quantités (unités)",
               B["last_year"]: "CA HT un an plus tôt", B["growth"]: "Évolution"}
    for j, h in headers.items():
        sheet.set(BUDGET_HEADER, j, h, style="header")
    sheet.heights[BUDGET_HEADER] = 30
    first, last = BUDGET_FIRST, BUDGET_FIRST + PERIOD - 1
    coef = lambda key: f"{_SEAS}!${col(COEF_COLS[key])}${COEF_FIRST}:${col(COEF_COLS[key])}${COEF_FIRST + PERIOD - 1}"
    target, choice, price = (f"${c[0]}${c[1:]}" for c in (cells["target"], cells["choice"], cells["price"]))
    for k, day in enumerate(future):
        r = first + k
        t = n + 1 + k
        sheet.set(r, B["month"], month_label(day), style="text")
        sheet.set(r, B["season"], (t - 1) % PERIOD + 1, style="int")
        sheet.set(r, B["coef"], style="dec4",
                  formula=f'IF({choice}="{COEF_CHOICES[1]}",INDEX({coef("mma")},B{r}),INDEX({coef("rt")},B{r}))')
        sheet.set(r, B["share"], formula=f"C{r}/SUM($C${first}:$C${last})", style="pct2")
        sheet.set(r, B["budget"], formula=f"{target}*D{r}", style="eur")
        sheet.set(r, B["cumul"], formula=f"SUM($E${first}:E{r})", style="eur")
        sheet.set(r, B["quantity"], formula=f"ROUND(E{r}/{price},0)", style="int")
        sheet.set(r, B["last_year"], formula=f"={_hist_ref(n - PERIOD + k)}", style="eur")
        sheet.set(r, B["growth"], formula=safe_ratio(f"E{r}-H{r}", f"H{r}"), style="pct")
    sheet.set(BUDGET_TOTAL, 1, "Total", style="total_text")
    sheet.set(BUDGET_TOTAL, 2, None, style="total_text")
    sheet.set(BUDGET_TOTAL, B["coef"], formula=f"SUM(C{first}:C{last})", style="total_text")
    sheet.set(BUDGET_TOTAL, B["share"], formula=f"SUM(D{first}:D{last})", style="total_pct")
    sheet.set(BUDGET_TOTAL, B["budget"], formula=f"SUM(E{first}:E{last})", style="total_eur")
    sheet.set(BUDGET_TOTAL, B["cumul"], None, style="total_text")
    sheet.set(BUDGET_TOTAL, B["quantity"], formula=f"SUM(G{first}:G{last})", style="total_int")
    sheet.set(BUDGET_TOTAL, B["last_year"], formula=f"SUM(H{first}:H{last})", style="total_eur")
    sheet.set(BUDGET_TOTAL, B["growth"], formula=safe_ratio(f"E{BUDGET_TOTAL}-H{BUDGET_TOTAL}", f"H{BUDGET_TOTAL}"),
              style="total_pct")
    sheet.conditional_formats.append(ConditionalFormat(f"I{first}:I{BUDGET_TOTAL}", "cell_is", "lessThan", ["0"],
                                                       look="bad"))
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "column", "Budget mensuel et réalisé un an plus tôt", "K4",
        [ChartSeries(f"{q}!$E${first}:$E${last}", "Budget CA HT", categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!$H${first}:$H${last}", "Un an plus tôt")],
        y_format='#,##0 "€"', width_cm=18, height_cm=9))
    sheet.widths.update({"A": 44, "B": 22, "C": 14, "D": 12, "E": 16, "F": 16, "G": 13, "H": 16, "I": 11})
    sheet.freeze = f"A{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{BUDGET_HEADER}:{BUDGET_HEADER}",
                                   header="Budget des ventes")
    return sheet


def _supply_sheet(future: list[dt.date], inputs: ForecastInputs) -> tuple[SheetPlan, dict[str, int], int]:
    sheet = SheetPlan(SHEETS["supply"], tab_color="C55A11")
    sheet.title("Budget des approvisionnements",
                "Wilson : Q* = RACINE(2 × D × Cc / (Cu × t)) ; N* = D / Q* ; période = jours / N* ; stock de sécurité = "
                "conso max × délai max − conso moyenne × délai moyen ; stock d'alerte = conso moyenne × délai moyen + "
                "stock de sécurité.")
    sheet.put("A4", "Jours par an (année commerciale)", style="label")
    sheet.put(SUPPLY_DAYS, float(inputs.days_per_year), style="input_dec")
    sheet.put("C4", "Cellules jaunes : à adapter (pré-remplies avec les ventes des 12 derniers mois et des valeurs "
                    "usuelles ; coût unitaire = coût d'achat moyen des lignes de ventes).", style="note")
    S = SUPPLY_COLS
    headers = {"family": "Famille", "demand": "Demande annuelle (unités)", "order_cost": "Coût de passation (€ par commande)",
               "unit_cost": "Coût unitaire HT", "holding_rate": "Taux de possession annuel", "eoq": "Q* (Wilson)",
               "lot": "Lot commandé (Q* arrondie)", "orders": "Nombre de commandes N*", "period_days": "Période (jours)",
               "avg_usage": "Conso moyenne (unités par jour)", "max_usage": "Conso maximale (unités par jour)",
               "avg_lead": "Délai moyen (jours)", "max_lead": "Délai maximal (jours)", "safety_stock": "Stock de sécurité",
               "reorder_point": "Stock d'alerte", "initial_stock": "Stock initial"}
    for key, h in headers.items():
        sheet.set(SUPPLY_HEADER, S[key], h, style="header")
    sheet.heights[SUPPLY_HEADER] = 60
    days = f"${SUPPLY_DAYS[0]}${SUPPLY_DAYS[1:]}"
    f = len(inputs.families)
    for i, fam in enumerate(inputs.families):
        r = SUPPLY_FIRST + i
        L = {k: f"{col(j)}{r}" for k, j in S.items()}
        sheet.set(r, S["family"], fam.name, style="text")
        for key, style in (("demand", "input_dec"), ("order_cost", "input_eur"), ("unit_cost", "input_eur"),
                           ("holding_rate", "input_pct"), ("max_usage", "input_dec"), ("avg_lead", "input_dec"),
                           ("max_lead", "input_dec"), ("initial_stock", "input_dec")):
            sheet.set(r, S[key], float(getattr(fam, key)), style=style)
        sheet.set(r, S["eoq"], formula=f"SQRT(2*{L['demand']}*{L['order_cost']}/({L['unit_cost']}*{L['holding_rate']}))",
                  style="dec")
        sheet.set(r, S["lot"], formula=f"MAX(1,ROUND({L['eoq']},0))", style="int")
        sheet.set(r, S["orders"], formula=safe_ratio(L["demand"], L["eoq"]), style="dec")
        sheet.set(r, S["period_days"], formula=safe_ratio(f"{days}*{L['eoq']}", L["demand"]), style="dec")
        sheet.set(r, S["avg_usage"], formula=f"{L['demand']}/{days}", style="dec")
        sheet.set(r, S["safety_stock"], formula=f"{L['max_usage']}*{L['max_lead']}-{L['avg_usage']}*{L['avg_lead']}",
                  style="dec")
        sheet.set(r, S["reorder_point"], formula=f"{L['avg_usage']}*{L['avg_lead']}+{L['safety_stock']}", style="dec")
    last = SUPPLY_FIRST + f - 1
    for key in ("demand", "order_cost", "max_usage", "avg_lead", "max_lead", "initial_stock"):
        sheet.validations.append(Validation(f"{col(S[key])}{SUPPLY_FIRST}:{col(S[key])}{last}", "decimal",
                                            "greaterThanOrEqual", "0", error="Un nombre positif ou nul est attendu."))
    for key in ("unit_cost", "holding_rate"):
        sheet.validations.append(Validation(f"{col(S[key])}{SUPPLY_FIRST}:{col(S[key])}{last}", "decimal",
                                            "greaterThan", "0", error="Un nombre strictement positif est attendu."))
    ss = col(S["safety_stock"])
    sheet.conditional_formats.append(ConditionalFormat(f"{ss}{SUPPLY_FIRST}:{ss}{last}", "cell_is", "lessThan", ["0"],
                                                       look="bad"))
    sheet.set(last + 1, 2, "Un stock de sécurité en rouge : la conso ou le délai maximal est inférieur à la moyenne.",
              style="note")

    # monthly plan, family by family
    titles = {
        "consumption": "Consommations prévues (unités) = demande annuelle × part du mois au budget des ventes",
        "initial": "Stock initial (unités) = stock final du mois précédent",
        "entries": "Entrées (livraisons, unités) = lots entiers pour que le stock final reste au-dessus du stock de sécurité",
        "final": "Stock final (unités) = stock initial + entrées − consommations",
        "purchases": "Achats HT (€) = entrées × coût unitaire",
    }
    blocks = {}
    top = last + 3
    for block in PLAN_BLOCKS:
        sheet.set(top, 1, titles[block], style="label")
        sheet.set(top + 1, 1, "Famille", style="header")
        for m, day in enumerate(future):
            sheet.set(top + 1, 2 + m, month_label(day), style="header")
        if block in ("consumption", "entries", "purchases"):
            sheet.set(top + 1, 2 + PERIOD, "Total", style="header")
        blocks[block] = top + 2
        top += f + 4 if block == "purchases" else f + 3
    for i, fam in enumerate(inputs.families):
        w = SUPPLY_FIRST + i
        cell = {b: (lambda m, r=blocks[b] + i: f"{col(2 + m)}{r}") for b in PLAN_BLOCKS}
        for b in PLAN_BLOCKS:
            sheet.set(blocks[b] + i, 1, fam.name, style="text")
        for m in range(PERIOD):
            share = f"{_BUD}!${col(BUDGET_COLS['share'])}${BUDGET_FIRST + m}"
            sheet.set(blocks["consumption"] + i, 2 + m, formula=f"${col(S['demand'])}${w}*{share}", style="dec")
            initial = f"${col(S['initial_stock'])}${w}" if m == 0 else cell["final"](m - 1)
            sheet.set(blocks["initial"] + i, 2 + m, formula=f"={initial}", style="dec")
            lot = f"${col(S['lot'])}${w}"
            sheet.set(blocks["entries"] + i, 2 + m, style="dec",
                      formula=f"MAX(0,ROUNDUP((${ss}${w}+{cell['consumption'](m)}-{cell['initial'](m)})/{lot},0))*{lot}")
            sheet.set(blocks["final"] + i, 2 + m, formula=f"{cell['initial'](m)}+{cell['entries'](m)}-{cell['consumption'](m)}",
                      style="dec")
            sheet.set(blocks["purchases"] + i, 2 + m, formula=f"{cell['entries'](m)}*${col(S['unit_cost'])}${w}",
                      style="eur")
        for b in ("consumption", "entries", "purchases"):
            r = blocks[b] + i
            sheet.set(r, 2 + PERIOD, formula=f"SUM(B{r}:{col(1 + PERIOD)}{r})", style="eur" if b == "purchases" else "dec")
    total_row = blocks["purchases"] + f
    sheet.set(total_row, 1, "Total des achats HT", style="total_text")
    for m in range(PERIOD + 1):
        L = col(2 + m)
        sheet.set(total_row, 2 + m, formula=f"SUM({L}{blocks['purchases']}:{L}{total_row - 1})", style="total_eur")
    e = blocks["entries"]
    sheet.conditional_formats.append(ConditionalFormat(f"B{e}:{col(1 + PERIOD)}{e + f - 1}", "cell_is", "greaterThan",
                                                       ["0"], look="good"))
    sheet.widths.update({"A": 30, **{col(j): 13 for j in range(2, 17)}})
    sheet.freeze = f"B{SUPPLY_FIRST}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{SUPPLY_HEADER}:{SUPPLY_HEADER}",
                                   header="Budget des approvisionnements")
    return sheet, blocks, total_row


def _cash_col(offset: int) -> int:
    """Column of a month of « Trésorerie »: offset −3 … −1 before the budget, 0 … 11 in it."""
    return CASH_FIRST_COL + BEFORE + offset


def _cash_sheet(n: int, before: list[dt.date], future: list[dt.date], inputs: ForecastInputs,
                purchases_row: int) -> SheetPlan:
    sheet = SheetPlan(SHEETS["cash"], tab_color="C55A11")
    sheet.title("Budget de trésorerie",
                "Montants TTC encaissés et décaissés selon les délais de paiement ; TVA collectée − déductible payée le "
                "mois suivant (un crédit de TVA est reporté) ; trésorerie fin = début + encaissements − décaissements.")
    c = CASH_CELLS
    sheet.put("A4", "Trésorerie au début du premier mois", style="label")
    sheet.put(c["opening"], float(inputs.opening_balance), style="input_eur")
    sheet.put("A5", "Taux de TVA (ventes et achats)", style="label")
    sheet.put(c["vat"], float(inputs.vat_rate), style="input_pct")
    sheet.put("A6", "Charges sociales (% des salaires, payées le mois même)", style="label")
    sheet.put(c["charges"], float(inputs.charge_rate), style="input_pct")
    sheet.row(TERMS_HEADER, 1, ["Délais de paiement", "Clients (part des ventes TTC)", "Fournisseurs (part des achats TTC)"],
              style="header")
    sheet.heights[TERMS_HEADER] = 45
    for k, label in enumerate(TERMS):
        r = TERMS_FIRST + k
        sheet.set(r, 1, label, style="text")
        sheet.set(r, 2, float(inputs.customer_shares[k]), style="input_pct")
        sheet.set(r, 3, float(inputs.supplier_shares[k]), style="input_pct")
    sheet.set(TERMS_TOTAL, 1, "Total (doit faire 100 %)", style="total_text")
    for j in (2, 3):
        L = col(j)
        sheet.set(TERMS_TOTAL, j, formula=f"SUM({L}{TERMS_FIRST}:{L}{TERMS_TOTAL - 1})", style="total_pct")
    sheet.conditional_formats.append(ConditionalFormat(f"B{TERMS_TOTAL}:C{TERMS_TOTAL}", "expression", look="bad",
                                                       formula=[f"ABS(B{TERMS_TOTAL}-1)>0.0001"]))
    sheet.validations.append(Validation(f"B{TERMS_FIRST}:C{TERMS_TOTAL - 1}", "decimal", "between", "0", "1",
                                        prompt="Part de 0 à 100 %", error="Une part entre 0 et 100 % est attendue."))
    sheet.validations.append(Validation(f"{c['vat']}:{c['charges']}", "decimal", "between", "0", "1",
                                        error="Un taux entre 0 et 100 % est attendu."))

    first_budget, last_budget = _cash_col(0), _cash_col(PERIOD - 1)
    total_col = last_budget + 1
    sheet.set(CASH_HEADER - 1, CASH_FIRST_COL, "Fin de l'historique (créances, dettes et TVA à l'ouverture)", style="note")
    sheet.set(CASH_HEADER - 1, first_budget, "Budget", style="label")
    sheet.set(CASH_HEADER, 1, "", style="header")
    for k, day in enumerate(before):
        sheet.set(CASH_HEADER, _cash_col(k - BEFORE), month_label(day), style="header")
    for k, day in enumerate(future):
        sheet.set(CASH_HEADER, _cash_col(k), month_label(day), style="header")
    sheet.set(CASH_HEADER, total_col, "Total", style="header")
    for r, label in _CASH_SECTIONS.items():
        sheet.set(r, 1, label, style="label")
    R = CASH_ROWS
    for key, r in R.items():
        sheet.set(r, 1, CASH_LABELS[key], style="total_text" if key in ("total_receipts", "total_payments", "closing")
                  else "text")
    vat, charges, opening = (f"${x[0]}${x[1:]}" for x in (c["vat"], c["charges"], c["opening"]))
    shares = {side: [f"${side}${TERMS_FIRST + k}" for k in range(len(TERMS))] for side in ("B", "C")}
    for offset in range(-BEFORE, PERIOD):
        j = _cash_col(offset)
        L = col(j)
        prev = col(j - 1)
        money = "eur"
        if offset < 0:
            i = n - BEFORE + (offset + BEFORE)
            sheet.set(R["sales_ht"], j, formula=f"={_hist_ref(i)}", style=money)
            sheet.set(R["purchases_ht"], j, float(inputs.purchases_before[_key(before[offset + BEFORE])]), style="input_eur")
        else:
            sheet.set(R["sales_ht"], j, style=money,
                      formula=f"={_BUD}!${col(BUDGET_COLS['budget'])}${BUDGET_FIRST + offset}")
            sheet.set(R["purchases_ht"], j, formula=f"={_SUP}!{col(2 + offset)}{purchases_row}", style=money)
        sheet.set(R["vat_collected"], j, formula=f"{L}{R['sales_ht']}*{vat}", style=money)
        sheet.set(R["sales_ttc"], j, formula=f"{L}{R['sales_ht']}+{L}{R['vat_collected']}", style=money)
        sheet.set(R["vat_deductible"], j, formula=f"{L}{R['purchases_ht']}*{vat}", style=money)
        sheet.set(R["purchases_ttc"], j, formula=f"{L}{R['purchases_ht']}+{L}{R['vat_deductible']}", style=money)
        credit = "" if offset == -BEFORE else f"-{prev}{R['vat_credit']}"
        sheet.set(R["vat_net"], j, formula=f"{L}{R['vat_collected']}-{L}{R['vat_deductible']}{credit}", style=money)
        sheet.set(R["vat_due"], j, formula=f"MAX(0,{L}{R['vat_net']})", style=money)
        sheet.set(R["vat_credit"], j, formula=f"MAX(0,-{L}{R['vat_net']})", style=money)
        if offset < 0:
            continue
        month = _key(future[offset])
        for key, row_src, side in (("customer_receipts", R["sales_ttc"], "B"),
                                   ("supplier_payments", R["purchases_ttc"], "C")):
            terms = "+".join(f"{shares[side][k]}*{col(j - k)}{row_src}" for k in range(len(TERMS)))
            sheet.set(R[key], j, formula=terms, style=money)
        sheet.set(R["other_receipts"], j, float(inputs.other_receipts[month]), style="input_eur")
        sheet.set(R["total_receipts"], j, formula=f"{L}{R['customer_receipts']}+{L}{R['other_receipts']}",
                  style="total_eur")
        sheet.set(R["salaries"], j, float(inputs.salaries[month]), style="input_eur")
        sheet.set(R["social_charges"], j, formula=f"{L}{R['salaries']}*{charges}", style=money)
        sheet.set(R["vat_paid"], j, formula=f"={prev}{R['vat_due']}", style=money)
        sheet.set(R["other_payments"], j, float(inputs.other_payments[month]), style="input_eur")
        sheet.set(R["total_payments"], j, formula=f"SUM({L}{R['supplier_payments']}:{L}{R['other_payments']})",
                  style="total_eur")
        sheet.set(R["opening"], j, formula=f"={opening}" if offset == 0 else f"={prev}{R['closing']}", style=money)
        sheet.set(R["net_flow"], j, formula=f"{L}{R['total_receipts']}-{L}{R['total_payments']}", style=money)
        sheet.set(R["closing"], j, formula=f"{L}{R['opening']}+{L}{R['net_flow']}", style="total_eur")
    a, z = col(first_budget), col(last_budget)
    for key in _CASH_TOTAL_ROWS:
        r = R[key]
        sheet.set(r, total_col, formula=f"SUM({a}{r}:{z}{r})", style="total_eur")
    for key in ("opening", "closing"):
        r = R[key]
        sheet.conditional_formats.append(ConditionalFormat(f"{a}{r}:{z}{r}", "cell_is", "lessThan", ["0"], look="bad"))
    for key in _CASH_INPUT_ROWS:
        r = R[key]
        sheet.validations.append(Validation(f"{a}{r}:{z}{r}", "decimal", "greaterThanOrEqual", "0",
                                            error="Un montant positif ou nul est attendu."))
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "column", "Trésorerie en fin de mois", "A44",
        [ChartSeries(f"{q}!${a}${R['closing']}:${z}${R['closing']}", "Trésorerie fin",
                     categories=f"{q}!${a}${CASH_HEADER}:${z}${CASH_HEADER}")],
        y_format='#,##0 "€"', width_cm=20, height_cm=9))
    sheet.widths.update({"A": 54, **{col(j): 13 for j in range(2, total_col)}, col(total_col): 16})
    sheet.freeze = f"B{CASH_HEADER + 1}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{CASH_HEADER}:{CASH_HEADER}",
                                   header="Budget de trésorerie")
    return sheet


# ------------------------------------------------------------------------------------------------
# the book
# ------------------------------------------------------------------------------------------------

def _python_forecasts(y: np.ndarray, n: int, holdout: bool) -> dict[str, Any]:
    """Holt-Winters and FORECAST_AUTO values (not native formulas), with a note for what failed."""
    out: dict[str, Any] = {"ets": None, "ets_holdout": None, "auto": None, "auto_horizon": None, "report": None,
                           "notes": []}
    try:
        out["ets"] = np.asarray(ets_forecast(y, PERIOD, PERIOD), dtype=float)
    except SalesMathError as error:
        out["notes"].append(f"Holt-Winters non calculé : {error.message}.")
    if holdout:
        try:
            out["ets_holdout"] = np.asarray(ets_forecast(y[:-HOLDOUT], PERIOD, PERIOD), dtype=float)
        except SalesMathError:
            out["ets_holdout"] = None
    if n >= AUTO_MIN:
        h = min(PERIOD, n - 2 * PERIOD - 1)
        try:
            out["report"] = forecast_auto_report(y, PERIOD, h)
            out["auto"] = np.asarray(forecast_auto(y, PERIOD, h), dtype=float)
            out["auto_horizon"] = h
            if h < PERIOD:
                out["notes"].append(f"FORECAST_AUTO : horizon de {h} mois seulement ({n} mois d'historique ; "
                                    f"{2 * PERIOD + PERIOD + 1} mois permettent 12).")
        except SalesMathError as error:
            out["report"] = out["auto"] = None
            out["notes"].append(f"FORECAST_AUTO non calculé : {error.message}.")
    return out


def build_forecast(sales: pd.DataFrame | None = None, history: pd.DataFrame | None = None, *, year: int | None = None,
                   reps: pd.DataFrame | None = None,
                   inputs: ForecastInputs | None = None) -> tuple[BookPlan, ForecastLayout]:
    """Plan the forecasts-and-budgets workbook.

    Parameters
    ----------
    sales : DataFrame, optional
        Sales lines (:func:`xlsales.io.read_sales`): the monthly history is their revenue HT, and
        the procurement table is drawn from their quantities and unit costs by family.
    history : DataFrame, optional
        A plain monthly history instead: ``month`` (any day of the month), ``revenue`` HT. One of
        ``sales`` or ``history`` is required; ``history`` wins when both are given.
    year : int, optional
        The year forecast and budgeted (January to December): the history used stops in December
        of the year before. Default: the 12 months that follow the last month of the data.
    reps : DataFrame, optional
        The team (:func:`xlsales.io.read_reps`): their fixed pay (``base_salary`` / 12) pre-fills
        the salaries of the cash budget.
    inputs : ForecastInputs, optional
        Values typed on the computed sheets (targets, prices, Wilson inputs, payment terms…) —
        :func:`read_inputs` gets them back from a workbook; defaults are drawn from the data.

    Returns
    -------
    (BookPlan, ForecastLayout)

    Raises
    ------
    ValueError
        No data, fewer than 24 months, a month missing from the history, or data that do not
        reach December before ``year`` (message in French).
    """
    if history is not None:
        hist = _normalise_history(history, year)
    elif sales is not None:
        hist = monthly_history(sales, year)
    else:
        raise ValueError("il faut des lignes de ventes ou un historique mensuel (mois, CA HT)")
    n = len(hist)
    if n < MIN_MONTHS:
        raise ValueError(f"{MIN_MONTHS} mois d'historique au moins sont nécessaires (coefficients par moyennes "
                         f"mobiles sur 12 mois, Holt-Winters) : {n} fourni{'s' if n > 1 else ''}")
    y = hist["revenue"].to_numpy(dtype=float)
    if np.any(y < 0):
        raise ValueError("un CA HT mensuel négatif ne se prête pas au modèle multiplicatif : corrigez l'historique")
    months = [ts.date() for ts in hist["month"]]
    last = pd.Period(months[-1], freq="M")
    future = [(last + k).to_timestamp().date() for k in range(1, PERIOD + 1)]
    before = months[-BEFORE:]
    holdout = n >= HOLDOUT_MIN
    py = _python_forecasts(y, n, holdout)
    forecast_total = float(np.sum(seasonal_forecast(y, PERIOD, PERIOD, method="ratio_to_trend")))
    inp = _complete_inputs(inputs or ForecastInputs(), months, y, future, before, forecast_total,
                           None if history is not None else sales, reps)

    book = BookPlan(title="Prévisions et budgets")
    supply, blocks, purchases_row = _supply_sheet(future, inp)
    for sheet in (_history_sheet(months, y, history is None), _trend_sheet(months), _seasonal_sheet(n, months[0].month, holdout),
                  _forecast_sheet(n, months, future, holdout, py["ets"], py["ets_holdout"], py["auto"],
                                  py["auto_horizon"], py["report"], py["notes"]),
                  _budget_sheet(n, future, inp), supply, _cash_sheet(n, before, future, inp, purchases_row)):
        book.add(sheet)
    book.active = SHEETS["forecast"]
    layout = ForecastLayout(months=months, revenue=y, future=future, before=before, holdout=holdout, ets=py["ets"],
                            ets_holdout=py["ets_holdout"], auto=py["auto"], auto_horizon=py["auto_horizon"],
                            report=py["report"], notes=py["notes"], inputs=inp,
                            families=[f.name for f in inp.families], supply_blocks=blocks,
                            purchases_total_row=purchases_row)
    return book, layout


# ------------------------------------------------------------------------------------------------
# reading a workbook back
# ------------------------------------------------------------------------------------------------

def _number(value, default: float | None) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return default
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value) if np.isfinite(value) else default
    parsed, _percent, bad = xio.parse_numbers([value])
    return default if bad[0] or np.isnan(parsed[0]) else float(parsed[0])


def _month_key(label) -> str | None:
    """« janv. 2026 » (a header written by :func:`month_label`) → "2026-01"."""
    parts = str(label or "").split()
    if len(parts) == 2 and parts[0] in MONTHS_SHORT and parts[1].isdigit():
        return f"{int(parts[1]):04d}-{MONTHS_SHORT.index(parts[0]) + 1:02d}"
    return None


def read_inputs(rows_of: Callable[[str], list[list] | None]) -> ForecastInputs:
    """What the user typed on « Budget des ventes », « Approvisionnement » and « Trésorerie ».

    Parameters
    ----------
    rows_of : callable
        ``rows_of(sheet_name)`` → the sheet's rows of values from A1 (``None`` when the sheet is
        missing): :func:`xlsales.macros.live.sheet_rows` on an open book, or
        :func:`rows_of_workbook` for an openpyxl workbook.

    Returns
    -------
    ForecastInputs
        The values found; what is missing or unreadable keeps its default.
    """
    def cell(rows, address: str):
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        letter, r = coordinate_from_string(address)
        return at(rows, r, column_index_from_string(letter))

    def at(rows, r: int, c: int):
        try:
            return rows[r - 1][c - 1]
        except (IndexError, TypeError):
            return None

    inp = ForecastInputs()
    rows = rows_of(SHEETS["budget"])
    if rows:
        inp.annual_target = _number(cell(rows, BUDGET_CELLS["target"]), None)
        choice = cell(rows, BUDGET_CELLS["choice"])
        if isinstance(choice, str) and choice.strip().lower() in COEF_CHOICES:
            inp.coefficients = choice.strip().lower()
        inp.average_price = _number(cell(rows, BUDGET_CELLS["price"]), None)
    rows = rows_of(SHEETS["supply"])
    if rows:
        inp.days_per_year = _number(cell(rows, SUPPLY_DAYS), inp.days_per_year) or inp.days_per_year
        families = []
        r = SUPPLY_FIRST
        S = SUPPLY_COLS
        while at(rows, r, S["family"]) not in (None, ""):
            values = {k: _number(at(rows, r, S[k]), None) for k in ("demand", "unit_cost", "max_usage", "order_cost",
                                                                     "holding_rate", "avg_lead", "max_lead",
                                                                     "initial_stock")}
            fam = FamilyInputs(name=str(at(rows, r, S["family"])), demand=values["demand"] or 0.0,
                               unit_cost=values["unit_cost"] or 0.0, max_usage=values["max_usage"] or 0.0)
            for key in ("order_cost", "holding_rate", "avg_lead", "max_lead", "initial_stock"):
                if values[key] is not None:
                    setattr(fam, key, values[key])
            families.append(fam)
            r += 1
        inp.families = families or None
    rows = rows_of(SHEETS["cash"])
    if rows:
        inp.opening_balance = _number(cell(rows, CASH_CELLS["opening"]), inp.opening_balance)
        inp.vat_rate = _number(cell(rows, CASH_CELLS["vat"]), inp.vat_rate)
        inp.charge_rate = _number(cell(rows, CASH_CELLS["charges"]), inp.charge_rate)
        inp.customer_shares = tuple(_number(at(rows, TERMS_FIRST + k, 2), d) for k, d in enumerate(inp.customer_shares))
        inp.supplier_shares = tuple(_number(at(rows, TERMS_FIRST + k, 3), d) for k, d in enumerate(inp.supplier_shares))
        for offset in range(-BEFORE, PERIOD):
            j = _cash_col(offset)
            month = _month_key(at(rows, CASH_HEADER, j))
            if month is None:
                continue
            if offset < 0:
                value = _number(at(rows, CASH_ROWS["purchases_ht"], j), None)
                if value is not None:
                    inp.purchases_before[month] = value
                continue
            for key in _CASH_INPUT_ROWS:
                value = _number(at(rows, CASH_ROWS[key], j), None)
                if value is not None:
                    getattr(inp, key)[month] = value
    return inp


def rows_of_workbook(workbook) -> Callable[[str], list[list] | None]:
    """``rows_of`` for :func:`read_inputs` over an openpyxl workbook (values as stored)."""
    def rows_of(name: str):
        if name not in workbook.sheetnames:
            return None
        return [list(row) for row in workbook[name].iter_rows(values_only=True)]

    return rows_of


# ------------------------------------------------------------------------------------------------
# entry points: files (CLI), the sample company, an open workbook
# ------------------------------------------------------------------------------------------------

def plan_from_files(sales: pd.DataFrame | None, year: int | None = None, reps: pd.DataFrame | None = None) -> BookPlan:
    """The forecasts-and-budgets workbook from the files of the CLI (``xlsales forecast SALES -o OUT``).

    Parameters
    ----------
    sales : DataFrame
        Sales lines (:func:`xlsales.io.read_sales`), at least 24 months of them.
    year : int, optional
        The year budgeted (``--year``): history up to December of the year before, forecast and
        budgets from January to December; default: the 12 months after the last sale.
    reps : DataFrame, optional
        The team: its fixed pay pre-fills the salaries of the cash budget (0 otherwise).
    """
    if sales is None:
        raise ValueError("il faut le fichier des lignes de ventes pour construire les prévisions")
    return build_forecast(sales, year=year, reps=reps)[0]


def plan_for_company(company) -> BookPlan:
    """The forecasts and budgets of the sample company (ready-made workbook, template)."""
    return build_forecast(company.sales, reps=company.reps)[0]


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open forecast workbook (template button, xlwings Lite).

    « Historique » is read (months may have been added); every value typed on « Budget des
    ventes », « Approvisionnement » and « Trésorerie » is read first and written back into the
    rebuilt sheets; Holt-Winters and FORECAST_AUTO are recomputed.
    """
    from .live import read_input, refresh_outputs, sheet_rows

    history = read_input(book, SHEETS["history"], HISTORY)
    names = {s.name for s in book.sheets}
    inputs = read_inputs(lambda name: sheet_rows(book, name) if name in names else None)
    plan, _ = build_forecast(history=history, inputs=inputs)
    return refresh_outputs(book, plan)
