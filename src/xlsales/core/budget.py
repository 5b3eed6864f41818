"""Budgets: procurement (Wilson, safety stock, reorder point, monthly stock plan) and cash budget.

The BTS manuals' rules, as the forecast workbook writes them in native formulas:

* **Approvisionnement** — Q* = √(2·D·Cc / (Cu·t)), lot ordered = Q* rounded to the unit, N* = D / Q*,
  period = days per year / N*, average usage = D / days per year, safety stock = max usage × max lead
  time − average usage × average lead time, reorder point (stock d'alerte) = average usage × lead
  time + safety stock. Monthly stock plan: stock final = stock initial + entrées − sorties, the
  entrées of a month being the whole lots needed for the final stock to stay at or above the safety
  stock.
* **Trésorerie** — receipts TTC spread by payment terms (share collected the month of the sale, one
  month later, two months later…), supplier payments likewise, salaries and social charges, VAT
  collected − deductible paid the following month (a VAT credit is carried forward), closing
  balance = opening balance + receipts − disbursements.

Everything is pure numpy / pandas; :mod:`xlsales.macros.forecast` lays the same computations out
as formulas and its tests compare every cell with these functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._vector import as_float, as_series, excel_round
from .errors import BadValueError, DomainError, NotAvailableError
from .stock import eoq, reorder_point, safety_stock

__all__ = ["CASH_ROWS", "cash_budget", "collections", "procurement", "stock_plan", "vat_schedule"]

#: Columns of :func:`cash_budget`, in the order of the workbook's rows.
CASH_ROWS = (
    "sales_ht", "vat_collected", "sales_ttc", "purchases_ht", "vat_deductible", "purchases_ttc",
    "customer_receipts", "other_receipts", "total_receipts",
    "supplier_payments", "salaries", "social_charges", "vat_paid", "other_payments", "total_payments",
    "vat_net", "vat_due", "vat_credit",
    "opening", "net_flow", "closing",
)


def _roundup(x: np.ndarray) -> np.ndarray:
    """Spreadsheet ROUNDUP(x; 0) for x ≥ 0: a value within 1e-9 of a whole number counts as that
    number (Excel and LibreOffice work on 15 significant digits), the rest goes up."""
    return np.ceil(np.round(x, 9))


def procurement(annual_demand, order_cost, unit_cost, holding_rate, max_usage, avg_lead_time, max_lead_time,
                days_per_year=360):
    """Procurement figures of one or several products (families): Wilson, safety stock, reorder point.

    Parameters
    ----------
    annual_demand : array_like
        Annual demand D, in units (≥ 0).
    order_cost : array_like
        Cost of one order Cc (coût de passation, €).
    unit_cost : array_like
        Unit purchase cost Cu (€ HT, > 0).
    holding_rate : array_like
        Annual holding rate t (taux de possession, decimal, > 0).
    max_usage : array_like
        Maximum usage per day (units); not below the average usage D / days.
    avg_lead_time, max_lead_time : array_like
        Average and maximum delivery lead times, in days.
    days_per_year : int, default 360
        The manuals' commercial year (360) or 365.

    Returns
    -------
    dict of float or ndarray
        ``eoq`` (Q*), ``lot`` (Q* rounded to the unit, at least 1), ``orders`` (N* = D / Q*, ``nan``
        when D = 0), ``period_days`` (days / N*, ``nan`` when D = 0), ``avg_usage`` (D / days),
        ``safety_stock``, ``reorder_point``.

    Raises
    ------
    DomainError, DivisionByZeroError
        As :func:`~xlsales.core.stock.eoq` and :func:`~xlsales.core.stock.safety_stock` (scalar call).

    Notes
    -----
    .. math:: Q^* = \\sqrt{\\frac{2 D C_c}{C_u t}}, \\quad N^* = \\frac{D}{Q^*}, \\quad
              T = \\frac{360}{N^*}, \\quad SS = c_{max} d_{max} - \\bar c \\, \\bar d, \\quad
              SA = \\bar c \\, \\bar d + SS, \\quad \\bar c = \\frac{D}{360}

    Examples
    --------
    EXO STOCK (fr.scribd.com/document/643396404): D = 2 400, Cc = 120 €, Cu = 20 €, t = 8 % → Q* = 600,
    4 orders, one every 90 days. Usage 10 a day at most, lead time 8 days on average, 12 at most.

    >>> p = procurement(2400, 120, 20, 0.08, 10, 8, 12)
    >>> p["eoq"], p["lot"], p["orders"], p["period_days"]
    (600.0, 600.0, 4.0, 90.0)
    >>> round(p["avg_usage"], 4), round(p["safety_stock"], 4), round(p["reorder_point"], 4)
    (6.6667, 66.6667, 120.0)
    """
    d = as_float(annual_demand, "annual_demand")
    days = as_float(days_per_year, "days_per_year")
    if np.any(days <= 0):
        raise DomainError("nombre de jours par an nul ou négatif", "days_per_year")
    q = eoq(d, order_cost, unit_cost, holding_rate)
    q_arr = np.asarray(q, dtype=float)
    lot = np.maximum(1.0, excel_round(q_arr, 0))
    with np.errstate(all="ignore"):
        orders = np.where(d > 0, d / q_arr, np.nan)
        period = np.where(d > 0, days * q_arr / d, np.nan)
    avg_usage = d / days
    ss = safety_stock(max_usage, max_lead_time, avg_usage, avg_lead_time)
    rop = reorder_point(avg_usage, avg_lead_time, ss)
    out = {"eoq": q_arr, "lot": lot, "orders": orders, "period_days": period, "avg_usage": avg_usage,
           "safety_stock": np.asarray(ss, dtype=float), "reorder_point": np.asarray(rop, dtype=float)}
    if all(np.ndim(v) == 0 for v in out.values()):
        return {k: float(v) for k, v in out.items()}
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {k: np.broadcast_to(np.asarray(v, dtype=float), shape).copy() for k, v in out.items()}


def stock_plan(consumption, initial_stock, lot, safety_stock=0.0) -> pd.DataFrame:
    """Monthly stock plan (budget des approvisionnements in units) with deliveries by whole lots.

    Parameters
    ----------
    consumption : sequence of float
        Units consumed (sold) each month, in order.
    initial_stock : float
        Stock at the start of the first month.
    lot : float
        Size of one delivery (the Wilson lot), > 0.
    safety_stock : float, default 0
        The final stock of a month must not fall below it.

    Returns
    -------
    DataFrame
        One row per month: ``initial``, ``lots``, ``entries`` (= lots × lot), ``consumption``,
        ``final`` (= initial + entries − consumption; the next month's initial).

    Raises
    ------
    DomainError
        A lot that is not positive, or a negative consumption (``#NUM!``).

    Notes
    -----
    Lots delivered in month m: the fewest whole lots that keep the final stock at or above the
    safety stock, as the spreadsheet writes it:

    .. math:: n_m = \\max\\left(0, \\left\\lceil \\frac{SS + C_m - S_m}{Q} \\right\\rceil\\right), \\quad
              S_{m+1} = S_m + n_m Q - C_m

    Examples
    --------
    Stock 150, lot 200, safety stock 50; consumption 120, 90, 300. Month 1: 150 − 120 = 30 would fall
    below 50, so one lot (final 230); month 2: no delivery (140); month 3: two lots (140 + 400 − 300 = 240).

    >>> stock_plan([120, 90, 300], 150, 200, 50)[["initial", "entries", "final"]].to_numpy().tolist()
    [[150.0, 200.0, 230.0], [230.0, 0.0, 140.0], [140.0, 400.0, 240.0]]
    """
    c = as_series(consumption, "consumption")
    lot_value = float(as_float(lot, "lot").reshape(-1)[0])
    if not lot_value > 0:
        raise DomainError("le lot doit être positif", "lot")
    if np.any(c < 0):
        raise DomainError("consommation négative", "consumption")
    stock = float(as_float(initial_stock, "initial_stock").reshape(-1)[0])
    ss = float(as_float(safety_stock, "safety_stock").reshape(-1)[0])
    rows = []
    for used in c:
        lots = max(0.0, float(_roundup((ss + used - stock) / lot_value)))
        entries = lots * lot_value
        final = stock + entries - used
        rows.append((stock, lots, entries, float(used), final))
        stock = final
    return pd.DataFrame(rows, columns=["initial", "lots", "entries", "consumption", "final"])


def collections(amounts, shares, previous=()) -> np.ndarray:
    """Cash collected (or paid) each month from amounts invoiced with payment terms.

    Parameters
    ----------
    amounts : sequence of float
        Amounts invoiced (TTC) each month of the budget, in order.
    shares : sequence of float
        ``shares[k]`` = part of an invoice settled ``k`` months after it (0 = the same month:
        comptant; 1 = 30 jours fin de mois; 2 = 60 jours fin de mois; 3 = 90 jours…).
    previous : sequence of float, optional
        Amounts invoiced in the months just before the budget, oldest first (the receivables or
        payables at the start); earlier months count as nothing.

    Returns
    -------
    ndarray
        One amount per budget month.

    Notes
    -----
    .. math:: E_m = \\sum_k s_k \\, A_{m-k}

    Examples
    --------
    Sales TTC of 1 200 and 2 400, with 600 in the month before; 30 % cash, 70 % at 30 days end of month:

    >>> collections([1200, 2400], [0.3, 0.7], previous=[600]).round(2).tolist()
    [780.0, 1560.0]
    """
    a = as_series(amounts, "amounts")
    s = as_series(shares, "shares")
    prev = np.asarray(as_float(previous, "previous"), dtype=float).reshape(-1)
    if not np.all(np.isfinite(prev)):
        raise BadValueError("la plage contient une valeur non numérique", "previous")
    full = np.concatenate([prev, a])
    p = prev.size
    out = np.zeros(a.size)
    for k, share in enumerate(s):
        idx = p + np.arange(a.size) - k
        ok = idx >= 0
        out[ok] += share * full[idx[ok]]
    return out


def vat_schedule(collected, deductible) -> pd.DataFrame:
    """VAT of each month and when it is paid: the following month, a credit carried forward.

    Parameters
    ----------
    collected, deductible : sequence of float
        VAT collected on sales and deductible on purchases, month by month (same length).

    Returns
    -------
    DataFrame
        One row per month: ``net`` (collected − deductible − credit carried from the previous
        month), ``due`` (max(0, net), paid the following month), ``credit`` (max(0, −net), carried
        to the next month), ``paid`` (the previous month's ``due``; 0 for the first month).

    Notes
    -----
    .. math:: V_m = TVA^{coll}_m - TVA^{déd}_m - Cr_{m-1}, \\quad D_m = \\max(0, V_m), \\quad
              Cr_m = \\max(0, -V_m), \\quad P_{m+1} = D_m

    Examples
    --------
    >>> vat_schedule([400, 100, 500], [150, 300, 120]).to_numpy().tolist()
    [[250.0, 250.0, 0.0, 0.0], [-200.0, 0.0, 200.0, 250.0], [180.0, 180.0, 0.0, 0.0]]
    """
    col = as_series(collected, "collected")
    ded = as_series(deductible, "deductible")
    if col.size != ded.size:
        raise NotAvailableError(f"plages de tailles différentes (collected = {col.size}, deductible = {ded.size})")
    rows = []
    credit = 0.0
    due_before = 0.0
    for c, d in zip(col, ded):
        net = c - d - credit
        due, credit = max(0.0, net), max(0.0, -net)
        rows.append((net, due, credit, due_before))
        due_before = due
    return pd.DataFrame(rows, columns=["net", "due", "credit", "paid"])


def _monthly(value, m: int, name: str) -> np.ndarray:
    arr = np.asarray(as_float(value, name), dtype=float).reshape(-1)
    if arr.size == 1:
        arr = np.full(m, arr[0])
    if arr.size != m:
        raise NotAvailableError(f"{m} valeurs mensuelles attendues ({arr.size} reçues)", name)
    if not np.all(np.isfinite(arr)):
        raise BadValueError("la plage contient une valeur non numérique", name)
    return arr


def cash_budget(sales_ht, purchases_ht, *, vat_rate=0.2, customer_shares=(1.0,), supplier_shares=(1.0,),
                salaries=0.0, charge_rate=0.0, other_receipts=0.0, other_payments=0.0, opening_balance=0.0,
                sales_before=(), purchases_before=()) -> pd.DataFrame:
    """Budget de trésorerie, month by month.

    Parameters
    ----------
    sales_ht, purchases_ht : sequence of float
        Sales and purchases HT of each budget month (same length m).
    vat_rate : float, default 0.2
        VAT rate on sales and purchases.
    customer_shares, supplier_shares : sequence of float
        Payment terms: share settled the month of the invoice, 1 month later, 2 months later…
        (see :func:`collections`).
    salaries : float or sequence of float, default 0
        Gross salaries paid each month (one number = the same every month).
    charge_rate : float, default 0
        Employer social charges as a share of the salaries, paid the same month.
    other_receipts, other_payments : float or sequence of float, default 0
        Other receipts and disbursements of each month (amounts paid, no VAT).
    opening_balance : float, default 0
        Cash at the start of the first month.
    sales_before, purchases_before : sequence of float, optional
        Sales and purchases HT of the months just before the budget (same length, oldest first):
        the receivables and payables at the start, and the VAT of the last of these months,
        paid in the first budget month.

    Returns
    -------
    DataFrame
        Indexed by month offset: ``-p … -1`` for the months before (only the sales, purchases and
        VAT columns are filled), ``0 … m-1`` for the budget months. Columns: :data:`CASH_ROWS`.

    Notes
    -----
    Amounts TTC = HT × (1 + VAT rate); receipts :math:`E_m = \\sum_k s_k \\, TTC_{m-k}` (same for the
    suppliers); VAT of month m (see :func:`vat_schedule`) is paid in month m + 1;

    .. math:: Tréso^{fin}_m = Tréso^{début}_m + Encaissements_m - Décaissements_m, \\quad
              Tréso^{début}_{m+1} = Tréso^{fin}_m

    Examples
    --------
    Two months of sales (10 000 and 12 000 HT, 9 000 the month before), purchases 6 000, 5 000
    (4 000 before), VAT 20 %, customers 50 % cash / 50 % at 30 days, suppliers at 30 days,
    salaries 2 000 + 40 % charges, opening cash 1 000.

    >>> cb = cash_budget([10000, 12000], [6000, 5000], customer_shares=[0.5, 0.5], supplier_shares=[0, 1],
    ...                  salaries=2000, charge_rate=0.4, opening_balance=1000,
    ...                  sales_before=[9000], purchases_before=[4000])
    >>> cb.loc[0, ["total_receipts", "supplier_payments", "vat_paid", "total_payments", "closing"]].tolist()
    [11400.0, 4800.0, 1000.0, 8600.0, 3800.0]
    >>> cb.loc[1, ["total_receipts", "total_payments", "closing"]].tolist()
    [13200.0, 10800.0, 6200.0]
    """
    sales = as_series(sales_ht, "sales_ht")
    m = sales.size
    purchases = _monthly(purchases_ht, m, "purchases_ht")
    before_s = np.asarray(as_float(sales_before, "sales_before"), dtype=float).reshape(-1)
    before_p = np.asarray(as_float(purchases_before, "purchases_before"), dtype=float).reshape(-1)
    if before_s.size != before_p.size:
        raise NotAvailableError("sales_before et purchases_before doivent avoir la même longueur")
    rate = float(as_float(vat_rate, "vat_rate").reshape(-1)[0])
    if rate < 0:
        raise DomainError("taux de TVA négatif", "vat_rate")
    p = before_s.size
    all_sales = np.concatenate([before_s, sales])
    all_purchases = np.concatenate([before_p, purchases])
    frame = pd.DataFrame(index=pd.RangeIndex(-p, m, name="month"), columns=list(CASH_ROWS), dtype=float)
    frame["sales_ht"] = all_sales
    frame["vat_collected"] = all_sales * rate
    frame["sales_ttc"] = all_sales + frame["vat_collected"].to_numpy()
    frame["purchases_ht"] = all_purchases
    frame["vat_deductible"] = all_purchases * rate
    frame["purchases_ttc"] = all_purchases + frame["vat_deductible"].to_numpy()
    vat = vat_schedule(frame["vat_collected"], frame["vat_deductible"])
    frame["vat_net"] = vat["net"].to_numpy()
    frame["vat_due"] = vat["due"].to_numpy()
    frame["vat_credit"] = vat["credit"].to_numpy()

    budget = slice(0, m - 1)
    ttc_s = frame["sales_ttc"].to_numpy()
    ttc_p = frame["purchases_ttc"].to_numpy()
    frame.loc[budget, "customer_receipts"] = collections(ttc_s[p:], customer_shares, ttc_s[:p])
    frame.loc[budget, "other_receipts"] = _monthly(other_receipts, m, "other_receipts")
    frame.loc[budget, "total_receipts"] = (frame.loc[budget, "customer_receipts"] + frame.loc[budget, "other_receipts"])
    frame.loc[budget, "supplier_payments"] = collections(ttc_p[p:], supplier_shares, ttc_p[:p])
    pay = _monthly(salaries, m, "salaries")
    frame.loc[budget, "salaries"] = pay
    frame.loc[budget, "social_charges"] = pay * float(as_float(charge_rate, "charge_rate").reshape(-1)[0])
    frame.loc[budget, "vat_paid"] = vat["paid"].to_numpy()[p:]
    frame.loc[budget, "other_payments"] = _monthly(other_payments, m, "other_payments")
    frame.loc[budget, "total_payments"] = frame.loc[budget, ["supplier_payments", "salaries", "social_charges",
                                                             "vat_paid", "other_payments"]].sum(axis=1)
    flow = (frame.loc[budget, "total_receipts"] - frame.loc[budget, "total_payments"]).to_numpy()
    closing = float(as_float(opening_balance, "opening_balance").reshape(-1)[0]) + np.cumsum(flow)
    frame.loc[budget, "net_flow"] = flow
    frame.loc[budget, "closing"] = closing
    frame.loc[budget, "opening"] = closing - flow
    return frame
