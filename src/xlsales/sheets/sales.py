"""The sales lines sheet (Excel Table ``Ventes``) shared by the generators that work on sales lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .formulas import SalesTable
from .plan import DataBlock, PrintSetup, SheetPlan, TableSpec, col

__all__ = ["sales_lines_sheet"]


def _block_column(sales: pd.DataFrame, f: str, n: int):
    """One input column of the ``Ventes`` table as an array (data block of a large sheet)."""
    if f not in sales.columns:
        return np.zeros(n) if f == "discount" else np.full(n, np.nan)
    values = sales[f]
    if f == "date":
        return pd.to_datetime(values).dt.normalize().to_numpy()
    if f == "paid" and values.dtype == bool:
        return np.where(values.to_numpy(), "oui", "non").astype(object)
    return values.to_numpy()


def sales_lines_sheet(sales: pd.DataFrame, name: str, *, data_block: bool = False,
                      extra_calculated: dict[str, tuple[str, str, str]] | None = None) -> SheetPlan:
    """The sales lines as the Excel Table ``Ventes``: every input column of :class:`SalesTable` in a
    fixed order (users paste exports in that order), then the calculated columns.

    Parameters
    ----------
    sales : DataFrame
        Canonical columns of :func:`xlsales.io.read_sales` (missing optional ones stay empty).
    name : str
        Sheet name.
    data_block : bool
        Plan the lines as one :class:`DataBlock` (a few arrays) instead of one cell each: for
        hundreds of thousands of lines.
    extra_calculated : dict, optional
        More calculated columns: field → (header, formula over the same row, style).
    """
    sheet = SheetPlan(name, role="input", protect=False, freeze="A2", tab_color="70AD47")
    fields = list(SalesTable.INPUT)  # always the same layout, so that users paste exports in a known order
    styles = {"date": "data_date", "quantity": "data_dec", "unit_price": "data_eur", "unit_cost": "data_eur",
              "discount": "data_pct"}
    calculated = SalesTable.calculated_formulas()
    calc_styles = {"revenue": "calc_eur", "cost": "calc_eur", "margin": "calc_eur", "year": "calc_int", "month": "calc_int"}
    calc_headers = dict(SalesTable.CALCULATED)
    for field, (header, formula, style) in (extra_calculated or {}).items():
        calculated[field] = formula
        calc_styles[field] = style
        calc_headers[field] = header
    headers = [SalesTable.INPUT[f] for f in fields] + [calc_headers[f] for f in calculated]
    sheet.row(1, 1, headers, style="header")
    n = len(sales)
    data = {}
    if data_block:  # a few arrays instead of one cell object per value (a million lines)
        sheet.blocks.append(DataBlock(2, 1, [_block_column(sales, f, n) for f in fields] + list(calculated.values()),
                                      [styles.get(f, "data_text") for f in fields] + [calc_styles[f] for f in calculated]))
    cell_rows = 0 if data_block else n
    for f in fields if cell_rows else ():
        if f in sales.columns:
            values = sales[f]
            if f == "date":
                values = pd.to_datetime(values).dt.date
            elif f == "paid" and values.dtype == bool:
                values = values.map({True: "oui", False: "non"})
            data[f] = values.astype(object).tolist()
        else:
            data[f] = [0.0 if f == "discount" else None] * n
    for i in range(cell_rows):
        r = i + 2
        for j, f in enumerate(fields, start=1):
            value = data[f][i]
            if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
                value = None
            sheet.set(r, j, value, style=styles.get(f, "data_text"))
        for k, (f, formula) in enumerate(calculated.items(), start=len(fields) + 1):
            sheet.set(r, k, formula=formula, style=calc_styles[f])
    last_col = len(headers)
    sheet.tables.append(TableSpec(SalesTable.name, f"A1:{col(last_col)}{max(n, 1) + 1}",
                                  calculated={calc_headers[f]: formula for f, formula in calculated.items()}))
    widths = {"date": 11, "invoice": 13, "customer": 10, "customer_name": 28, "rep": 18, "region": 12, "channel": 14,
              "product": 12, "family": 20, "quantity": 9, "unit_price": 12, "unit_cost": 12, "discount": 8, "paid": 9}
    for j, f in enumerate(fields, start=1):
        sheet.widths[col(j)] = widths.get(f, 12)
    for k in range(len(fields) + 1, last_col + 1):
        sheet.widths[col(k)] = 13
    sheet.print_setup = PrintSetup(title_rows="1:1")
    return sheet
