"""Formula builders: the one place that knows how generated sheets refer to Excel Tables.

Formulas use only functions of Excel 2010+ that LibreOffice 7.4 computes (SUMIFS, COUNTIFS,
AVERAGEIF, SUMPRODUCT, INDEX/MATCH, RANK, SLOPE, INTERCEPT, CORREL…), written with English
names and ``,`` separators as the xlsx format stores them. Structured references use the
long ``Table[[#This Row],[Col]]`` form (LibreOffice does not read ``[@Col]``).
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["column", "this_row", "sumifs", "countifs", "safe_ratio", "SalesTable"]


def _escape(header: str) -> str:
    # special characters inside a structured-reference column name are escaped with a quote
    return "".join("'" + ch if ch in "[]#'" else ch for ch in header)


def column(table: str, header: str) -> str:
    """``Table[Header]`` — the whole data column of an Excel Table."""
    return f"{table}[{_escape(header)}]"


def this_row(table: str, header: str) -> str:
    """``Table[[#This Row],[Header]]`` — the same row of a calculated column."""
    return f"{table}[[#This Row],[{_escape(header)}]]"


def sumifs(table: str, value_header: str, criteria: Iterable[tuple[str, str]]) -> str:
    """``SUMIFS(Table[value], Table[h1], c1, …)`` — criteria are (header, Excel expression)."""
    parts = [column(table, value_header)]
    for header, criterion in criteria:
        parts += [column(table, header), criterion]
    return f"SUMIFS({','.join(parts)})"


def countifs(table: str, criteria: Iterable[tuple[str, str]]) -> str:
    parts = []
    for header, criterion in criteria:
        parts += [column(table, header), criterion]
    return f"COUNTIFS({','.join(parts)})"


def safe_ratio(numerator: str, denominator: str) -> str:
    """``IF(den=0,"",num/den)`` — an empty cell rather than #DIV/0! on a dashboard."""
    return f'IF(({denominator})=0,"",({numerator})/({denominator}))'


class SalesTable:
    """The sales lines as the Excel Table ``Ventes``: French headers of the canonical columns."""

    name = "Ventes"
    #: canonical field → header in the workbook (input columns, in order)
    INPUT = {
        "date": "Date",
        "invoice": "Facture",
        "customer": "Client",
        "customer_name": "Raison sociale",
        "rep": "Commercial",
        "region": "Région",
        "channel": "Canal",
        "product": "Produit",
        "family": "Famille",
        "quantity": "Quantité",
        "unit_price": "PU HT",
        "unit_cost": "Coût unitaire",
        "discount": "Remise",
        "paid": "Payé",
    }
    #: calculated columns: header → formula over the same row
    CALCULATED = {
        "revenue": "CA HT",
        "cost": "Coût",
        "margin": "Marge",
        "year": "Année",
        "month": "Mois",
    }

    @classmethod
    def header(cls, field: str) -> str:
        return cls.INPUT.get(field) or cls.CALCULATED[field]

    @classmethod
    def col(cls, field: str) -> str:
        return column(cls.name, cls.header(field))

    @classmethod
    def row(cls, field: str) -> str:
        return this_row(cls.name, cls.header(field))

    @classmethod
    def calculated_formulas(cls) -> dict[str, str]:
        r = cls.row
        return {
            "revenue": f"=ROUND({r('quantity')}*{r('unit_price')}*(1-{r('discount')}),2)",
            "cost": f"=ROUND({r('quantity')}*{r('unit_cost')},2)",
            "margin": f"={r('revenue')}-{r('cost')}",
            "year": f"=YEAR({r('date')})",
            "month": f"=MONTH({r('date')})",
        }

    @classmethod
    def sum(cls, value_field: str, **criteria: str) -> str:
        """SUMIFS over the sales table: ``SalesTable.sum("revenue", rep="$A5", year="$B$2")``."""
        return sumifs(cls.name, cls.header(value_field), [(cls.header(f), c) for f, c in criteria.items()])
