"""Analyse du portefeuille: customers, prospects, products and sectors in live native formulas.

Sheets
------
* « Clients » (output): one row per customer of the customer file or of the sales lines — sector
  and region looked up in « Fiches clients », status (nouveau / actif / perdu / inactif / prospect),
  CA N, number of invoices N, last purchase date, recency, R/F/M scores 1–5, RFM code and segment
  (the rule of :func:`xlsales.core.customers.rfm`), margin N, customer value (CUSTOMER_VALUE, closed
  form m·r/(1+d−r)), share of revenue, ABC class, N−1 figures and growth. Summaries by RFM segment
  and ABC class, and the retention used for the customer value.
* « Produits » (output): ABC by product (revenue N), quantities, margins, growth; totals by family
  and by class; a Pareto chart.
* « Secteurs » (output): revenue N and N−1 by business sector (from « Fiches clients »), growth,
  active customers, average revenue per customer; chart.
* « Attrition » (output): customers active in N−1 and not in N over customers active in N−1 =
  churn rate; retention, average lifetime 1/churn, revenue and margin lost, value lost; by region and
  by sector; chart.
* « Marché » (output with input cells): market sizes and competitors' sales typed by region and by
  sector → market share, relative market share; concentration of the customers' revenue N (HHI and
  Gini by the Lorenz curve, trapezoids); Lorenz chart.
* « Densité » (output with input cells): active customers by region over potential customers typed
  → customer density; chart.
* « Paramètres », « Fiches clients » (Excel Table ``FichesClients``: customer master data) and
  « Ventes » (Excel Table ``Ventes`` of the sales lines) are the inputs.

Every figure is a formula of Excel 2010+ that LibreOffice 7.4 computes (SUMIFS, COUNTIFS, SUMIF,
COUNTIF, SUMPRODUCT, SMALL, LARGE, INDEX/MATCH, IF, IFERROR, ROUND…): lines pasted below the
``Ventes`` table or a sector changed in « Fiches clients » update every sheet. New customers,
products, sectors or regions get their rows when the workbook is regenerated (button or CLI).

Conventions
-----------
* Active customer in a year: at least one invoice that year. An invoice is counted once, on its first
  line (calculated column « Nouvelle facture » of ``Ventes``); a line without invoice number is one
  invoice.
* RFM is computed on the invoices of year N, reference date 1 January N+1 (the day after the year,
  the core's default when the last sale is on 31 December). Scores follow the core's quantile rule:
  ``score = 1 + INT(5 × (number of active customers strictly worse) / (number of active customers))``
  — worse = a longer recency, fewer invoices, a smaller revenue; ties share a score.
* ABC, Gini and HHI use the revenue N of each customer, negative totals counted as 0; Gini and HHI
  are over the customers with a positive revenue N.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import io as xio
from ..sheets.sales import sales_lines_sheet
from ..sheets.formulas import SalesTable, column, safe_ratio
from ..sheets.plan import (
    BookPlan,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    Formula,
    PrintSetup,
    SheetPlan,
    TableSpec,
    Validation,
    col,
    quote_sheet,
)

__all__ = [
    "CUSTOMERS",
    "SEGMENTS",
    "SHEETS",
    "PortfolioLayout",
    "PortfolioParams",
    "build_portfolio",
    "criterion",
    "lookup_value",
    "plan_for_company",
    "plan_from_files",
    "read_customers",
    "read_market_inputs",
    "read_params",
    "refresh",
    "sample_market_inputs",
]

SHEETS = {
    "customers": "Clients", "products": "Produits", "sectors": "Secteurs", "churn": "Attrition",
    "market": "Marché", "density": "Densité", "params": "Paramètres", "master": "Fiches clients",
    "sales": "Ventes",
}

#: The customer master data: an input file of the CLI (``--customers``) and the « Fiches clients » sheet.
CUSTOMERS = xio.Schema(
    name="customers",
    label="fichier clients",
    file_stem="clients",
    sheet_names=("fiches clients", "clients", "fichier clients", "customers"),
    columns=(
        xio.Column("customer", "text", True, ("Client", "code client", "customer code", "customer id")),
        xio.Column("customer_name", "text", False, ("Raison sociale", "nom client", "nom du client", "nom")),
        xio.Column("sector", "text", False, ("Secteur d'activité", "secteur activité", "activité", "secteur",
                                             "branche", "industrie", "sector", "industry")),
        xio.Column("region", "text", False, ("Région", "zone", "région commerciale", "territoire", "region")),
        xio.Column("since", "date", False, ("Client depuis", "depuis", "date d'entrée", "date de création",
                                            "date premier achat", "since")),
        xio.Column("until", "date", False, ("Fin de relation", "date de fin", "jusqu'au", "date de perte",
                                            "date de sortie", "until")),
    ),
)

MASTER_TABLE = "FichesClients"
MASTER_HEADERS = {c.name: c.label for c in CUSTOMERS.columns}
NEW_INVOICE = "Nouvelle facture"
UNKNOWN = "Non renseigné"
NO_PURCHASE = "Sans achat en N"

#: RFM segments in the order of :func:`xlsales.core.customers.rfm_segment`, then customers without invoice in N.
SEGMENTS = ("Champions", "Nouveaux clients", "Fidèles", "Prometteurs", "À risque", "Perdus", "En sommeil", NO_PURCHASE)
STATUSES = ("Nouveau", "Actif", "Perdu", "Inactif", "Prospect")

#: « Paramètres »: key → (row, label, style, defined name)
PARAMETERS = {
    "year": (4, "Exercice analysé (N)", "input_int", "AnneeN"),
    "a_share": (5, "Seuil de la classe A (part cumulée du CA)", "input_pct", "SeuilA"),
    "b_share": (6, "Seuil de la classe B (part cumulée du CA)", "input_pct", "SeuilB"),
    "discount_rate": (7, "Taux d'actualisation annuel (d)", "input_pct", "TauxActu"),
    "retention": (8, "Taux de rétention annuel (r) — vide : taux mesuré N−1 → N", "input_pct", "RetentionSaisie"),
}

COMPETITORS = 3


@dataclass
class PortfolioParams:
    """What « Paramètres » holds (besides the year)."""

    a_share: float = 0.8
    b_share: float = 0.95
    discount_rate: float = 0.10
    retention: float | None = None  # None: the retention measured between N−1 and N


@dataclass
class PortfolioLayout:
    """Where the figures are (tests, live refresh)."""

    year: int
    customers: list[str]
    products: list[str]
    families: list[str]
    sectors: list[str]
    regions: list[str]
    customer_first_row: int
    customer_cols: dict[str, int]
    customer_summary: dict[str, str]
    segment_rows: dict[str, int]
    abc_rows: dict[str, int]
    product_first_row: int
    product_cols: dict[str, int]
    product_abc_rows: dict[str, int]
    family_rows: dict[str, int]
    sector_rows: dict[str, int]
    sector_cols: dict[str, int]
    churn_cells: dict[str, str]
    churn_region_rows: dict[str, int]
    churn_sector_rows: dict[str, int]
    market_region_rows: dict[str, int]
    market_sector_rows: dict[str, int]
    market_cols: dict[str, int]
    concentration_cells: dict[str, str]
    lorenz_first_row: int
    density_rows: dict[str, int]
    density_cols: dict[str, int]
    params: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------------

def read_customers(path, sheet: str | int | None = None) -> pd.DataFrame:
    """The customer file of the CLI (``--customers``): customer, customer_name, sector, region, since, until.

    Same rules as the other readers of :mod:`xlsales.io` (French headers, errors with file, row and
    column). The sample company's ``customers`` frame has these columns already.
    """
    return xio.read_table(path, CUSTOMERS, sheet)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _first_text(sales: pd.DataFrame, key: str, field_name: str, how: str = "first") -> dict[str, str]:
    """customer (or product) → first non-empty value of ``field_name`` (or the most frequent one)."""
    if field_name not in sales.columns:
        return {}
    frame = pd.DataFrame({"key": sales[key].map(_text), "value": sales[field_name].map(_text)})
    frame = frame[frame["value"] != ""]
    if frame.empty:
        return {}
    if how == "mode":
        counts = frame.groupby(["key", "value"], sort=False).size().reset_index(name="n")
        counts = counts.sort_values(["key", "n"], ascending=[True, False], kind="stable")
        return dict(counts.drop_duplicates("key").set_index("key")["value"])
    return dict(frame.drop_duplicates("key").set_index("key")["value"])


def _master_frame(sales: pd.DataFrame, customers: pd.DataFrame | None) -> pd.DataFrame:
    """« Fiches clients »: the customer file's rows (its order), then customers seen only in the sales.

    Missing names and regions are taken from the sales lines (name: first one; region: most frequent).
    """
    columns = list(MASTER_HEADERS)
    names = _first_text(sales, "customer", "customer_name")
    regions = _first_text(sales, "customer", "region", how="mode")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    if customers is not None and len(customers):
        for rec in customers.to_dict("records"):
            code = _text(rec.get("customer"))
            if not code or code in seen:
                continue
            seen.add(code)
            rows.append({
                "customer": code,
                "customer_name": _text(rec.get("customer_name")) or names.get(code, ""),
                "sector": _text(rec.get("sector")),
                "region": _text(rec.get("region")) or regions.get(code, ""),
                "since": _date(rec.get("since")),
                "until": _date(rec.get("until")),
            })
    for code in sorted(set(sales["customer"].map(_text)) - seen - {""}):
        rows.append({"customer": code, "customer_name": names.get(code, ""), "sector": "",
                     "region": regions.get(code, ""), "since": None, "until": None})
    return pd.DataFrame(rows, columns=columns)


def _escaped(text: str) -> str:
    return text.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')


def _plain(text: str) -> bool:
    return not text.startswith(("<", ">", "=")) and not any(ch in text for ch in "*?~\"")


def criterion(text: str, ref: str) -> str:
    """The criterion of SUMIFS/COUNTIFS matching exactly ``text`` (written in cell ``ref``).

    A plain label is referred to by its cell; a label that SUMIFS would read as an operator or a
    wildcard (« <50 salariés », « Agro* », « a?c ») becomes the literal ``"=<escaped text>"``.
    """
    return ref if _plain(text) else '"=' + _escaped(text) + '"'


def lookup_value(text: str, ref: str) -> str:
    """The value MATCH(…, 0) looks up to find exactly ``text`` (wildcards escaped)."""
    return ref if _plain(text) else '"' + _escaped(text) + '"'


def _labels(values) -> list[str]:
    """Sorted distinct labels, « Non renseigné » last when some are empty."""
    texts = [_text(v) for v in values]
    found = sorted({t for t in texts if t})
    if any(not t for t in texts) or not found:
        found.append(UNKNOWN)
    return found


# ------------------------------------------------------------------------------------------------
# sheets
# ------------------------------------------------------------------------------------------------

def _params_sheet(year: int, params: PortfolioParams) -> tuple[SheetPlan, dict[str, str], dict[str, str]]:
    sheet = SheetPlan(SHEETS["params"], role="input", tab_color="70AD47")
    sheet.title("Paramètres de l'analyse du portefeuille",
                "Cellules jaunes : à saisir. Les autres feuilles se recalculent aussitôt.")
    values = {"year": year, "a_share": params.a_share, "b_share": params.b_share,
              "discount_rate": params.discount_rate, "retention": params.retention}
    names, cells = {}, {}
    q = quote_sheet(sheet.name)
    for key, (row, label, style, name) in PARAMETERS.items():
        sheet.set(row, 1, label, style="label")
        sheet.set(row, 2, values[key], style=style)
        names[name] = f"{q}!$B${row}"
        cells[key] = f"B{row}"
    notes = [
        "Client actif une année : au moins une facture cette année-là (une facture compte une fois, sur sa première ligne).",
        ("RFM sur les factures de N, date de référence le 1er janvier N+1 ; notes 1 à 5 par quantiles "
         "(1 + ENT(5 × clients actifs strictement moins bons / clients actifs))."),
        "Valeur client = marge N × r / (1 + d − r) (horizon infini, marge constante perçue en fin d'année).",
        "Attrition = clients actifs en N−1 sans facture en N / clients actifs en N−1 ; rétention mesurée = 1 − attrition.",
    ]
    for i, text in enumerate(notes):
        sheet.set(11 + i, 1, text, style="note")
    sheet.widths.update({"A": 58, "B": 14})
    sheet.validations += [
        Validation("B4", "whole", "between", "1990", "2100", prompt="Année analysée (ex. 2025)",
                   error="Une année (ex. 2025) est attendue."),
        Validation("B5:B6", "decimal", "between", "0", "1", prompt="Part cumulée du CA entre 0 et 100 %",
                   error="Une part entre 0 et 100 % est attendue."),
        Validation("B7", "decimal", "between", "0", "1", prompt="Taux d'actualisation annuel (ex. 10 %)",
                   error="Un taux entre 0 et 100 % est attendu."),
        Validation("B8", "decimal", "between", "0", "1", prompt="Taux de rétention annuel ; laisser vide pour le taux mesuré",
                   error="Un taux entre 0 et 100 % est attendu."),
    ]
    sheet.print_setup = PrintSetup(orientation="portrait")
    return sheet, names, cells


def _master_sheet(master: pd.DataFrame) -> SheetPlan:
    sheet = SheetPlan(SHEETS["master"], role="input", protect=False, freeze="A2", tab_color="70AD47")
    headers = list(MASTER_HEADERS.values())
    sheet.row(1, 1, headers, style="header")
    styles = ["data_text", "data_text", "data_text", "data_text", "data_date", "data_date"]
    for i, rec in enumerate(master.itertuples(index=False), start=2):
        sheet.row(i, 1, [rec.customer, rec.customer_name or None, rec.sector or None, rec.region or None,
                         rec.since, rec.until], style=styles)
    n = max(len(master), 1)
    sheet.tables.append(TableSpec(MASTER_TABLE, f"A1:F{n + 1}"))
    sheet.set(1, 8, "Fiches clients : complétez le secteur d'activité et la région ; un client sans vente est un prospect.",
              style="note")
    sheet.widths.update({"A": 11, "B": 34, "C": 20, "D": 14, "E": 13, "F": 13})
    sheet.validations.append(Validation(f"E2:F{n + 500}", "date", "greaterThan", "1", prompt="Date (jj/mm/aaaa)",
                                        error="Une date est attendue."))
    sheet.print_setup = PrintSetup(orientation="portrait", title_rows="1:1")
    return sheet


def _sales_sheet(sales: pd.DataFrame) -> SheetPlan:
    """The ``Ventes`` table: the dashboard's columns and calculated columns, plus « Nouvelle facture »."""
    r = SalesTable.row
    invoice, invoices = r("invoice"), SalesTable.col("invoice")
    position = f'(ROW()-ROW({SalesTable.name}[[#Headers],[{SalesTable.header("invoice")}]]))'
    first_line = f"IF(MATCH({invoice},{invoices},0)={position},1,0)"
    # An export lists the lines of an invoice together: the line above, when it has the same
    # number, settles it at once (IF evaluates one branch), and MATCH — a scan from the top of the
    # table — runs once per invoice instead of once per line.
    new_invoice = (f'=IF({invoice}="",1,IF({position}=1,{first_line},'
                   f'IF(INDEX({invoices},{position}-1)={invoice},0,{first_line})))')
    return sales_lines_sheet(sales, SHEETS["sales"], extra_calculated={"new_invoice": (NEW_INVOICE, new_invoice, "calc_int")})


# -- Clients ---------------------------------------------------------------------------------------

CUSTOMER_COLUMNS: list[tuple[str, str, str, float]] = [
    # key, header, style, width
    ("customer", "Client", "text", 11),
    ("name", "Raison sociale", "text", 30),
    ("sector", "Secteur", "text", 16),
    ("region", "Région", "text", 12),
    ("status", "Statut", "text", 14),
    ("revenue", "CA HT N", "eur", 14),
    ("invoices", "Nb factures N", "int", 10),
    ("last", "Dernier achat N", "date", 12),
    ("recency", "Récence (jours)", "int", 10),
    ("r", "R", "int", 10),
    ("f", "F", "int", 14),
    ("m", "M", "int", 10),
    ("rfm", "Code RFM", "text", 8),
    ("segment", "Segment RFM", "text", 16),
    ("margin", "Marge N", "eur", 13),
    ("clv", "Valeur client", "eur", 14),
    ("share", "Part du CA N", "pct", 9),
    ("cum_share", "Part cumulée (ABC)", "pct", 10),
    ("abc", "Classe ABC", "text", 8),
    ("revenue_prev", "CA HT N−1", "eur", 14),
    ("margin_prev", "Marge N−1", "eur", 13),
    ("invoices_prev", "Nb factures N−1", "int", 10),
    ("growth", "Évolution CA", "pct", 10),
    ("before", "Factures avant N", "int", 10),
    ("master_row", "Ligne fiche", "int", 8),
]


def _master_lookup(master_row: str):
    """``INDEX(FichesClients[header], row)&""`` — a master-data field as text ("" when empty)."""
    return lambda header_name: f'INDEX({column(MASTER_TABLE, header_name)},{master_row})&""'


def _customers_sheet(customers: list[str]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["customers"], tab_color="1F4E78")
    sheet.title("Portefeuille clients — RFM, valeur client, ABC",
                "RFM sur les factures de N (référence : 1er janvier N+1) ; notes 1 à 5 = 1 + ENT(5 × clients actifs "
                "strictement moins bons / clients actifs) ; ex aequo : même note.")
    sheet.set(3, 1, "Valeur client = marge N × r / (1 + d − r). ABC : clients classés par CA N décroissant, A tant que "
                    "la part cumulée ≤ seuil A, B ≤ seuil B, sinon C (le premier est toujours A).", style="note")
    C = {key: i for i, (key, *_rest) in enumerate(CUSTOMER_COLUMNS, start=1)}
    L = {key: col(i) for key, i in C.items()}
    header = 15
    first = header + 1
    n = len(customers)
    last = first + max(n, 1) - 1

    def rng(key: str) -> str:
        return f"${L[key]}${first}:${L[key]}${last}"

    # key figures (H10:K13)
    summary = {"as_of": "$K$10", "measured": "$K$11", "retention": "$K$12", "discount": "$K$13"}
    lost = f'COUNTIFS({rng("invoices_prev")},">0",{rng("invoices")},0)'
    active_prev = f'COUNTIF({rng("invoices_prev")},">0")'
    figures = [
        ("Date de référence RFM (1er janvier N+1)", "DATE(AnneeN+1,1,1)", "date"),
        ("Taux de rétention mesuré N−1 → N", f'IF({active_prev}=0,"",1-{lost}/{active_prev})', "pct"),
        ("Taux de rétention retenu (r)", 'IF(RetentionSaisie="",K11,RetentionSaisie)', "pct"),
        ("Taux d'actualisation (d)", "TauxActu", "pct"),
    ]
    sheet.set(9, 8, "Paramètres de la valeur client", style="label")
    for i, (label, formula, style) in enumerate(figures):
        sheet.set(10 + i, 8, label, style="text")
        sheet.set(10 + i, 11, formula=formula, style=style)
    as_of, r, d = summary["as_of"], summary["retention"], summary["discount"]

    # summary by RFM segment (B4:F13) and by ABC class (H4:L8)
    sheet.row(4, 2, ["Segment RFM", "Nb clients", "% clients", "CA HT N", "% du CA N"], style="header")
    total_revenue = f"SUM({rng('revenue')})"
    segment_rows = {}
    for i, segment in enumerate(SEGMENTS):
        row = 5 + i
        segment_rows[segment] = row
        sheet.row(row, 2, [segment, Formula(f'COUNTIF({rng("segment")},B{row})'),
                           Formula(safe_ratio(f"C{row}", f"COUNTA({rng('customer')})")),
                           Formula(f'SUMIF({rng("segment")},B{row},{rng("revenue")})'),
                           Formula(safe_ratio(f"E{row}", total_revenue))], style=["text", "int", "pct", "eur", "pct"])
    seg_total = 5 + len(SEGMENTS)
    sheet.row(seg_total, 2, ["Total", Formula(f"SUM(C5:C{seg_total - 1})"), Formula(f"SUM(D5:D{seg_total - 1})"),
                             Formula(f"SUM(E5:E{seg_total - 1})"), Formula(f"SUM(F5:F{seg_total - 1})")],
              style=["total_text", "total_int", "total_pct", "total_eur", "total_pct"])
    sheet.row(4, 8, ["Classe ABC", "Nb clients", "% clients", "CA HT N", "% du CA N"], style="header")
    abc_rows = {}
    for i, cls in enumerate("ABC"):
        row = 5 + i
        abc_rows[cls] = row
        sheet.row(row, 8, [cls, Formula(f'COUNTIF({rng("abc")},H{row})'),
                           Formula(safe_ratio(f"I{row}", f"COUNTA({rng('customer')})")),
                           Formula(f'SUMIF({rng("abc")},H{row},{rng("revenue")})'),
                           Formula(safe_ratio(f"K{row}", total_revenue))], style=["text", "int", "pct", "eur", "pct"])
    sheet.row(8, 8, ["Total", Formula("SUM(I5:I7)"), Formula("SUM(J5:J7)"), Formula("SUM(K5:K7)"),
                     Formula("SUM(L5:L7)")], style=["total_text", "total_int", "total_pct", "total_eur", "total_pct"])
    abc_rows["Total"] = 8

    # the table
    sheet.row(header, 1, [h for _, h, _, _ in CUSTOMER_COLUMNS], style="header")
    sheet.heights[header] = 30
    S = SalesTable
    positive_total = f'SUMIF({rng("revenue")},">0")'
    active = f'COUNTIF({rng("invoices")},">0")'
    for i, customer in enumerate(customers):
        row = first + i
        c = {key: f"{L[key]}{row}" for key in C}
        a = criterion(customer, f"$A{row}")
        lookup = _master_lookup(c["master_row"])
        fm = f'({c["f"]}+{c["m"]})'
        clipped = f"MAX(0,{c['revenue']})"
        values = {
            "customer": customer,
            "name": Formula(f'IF({c["master_row"]}=0,"",{lookup(MASTER_HEADERS["customer_name"])})'),
            "sector": Formula(f'IF({c["master_row"]}=0,"{UNKNOWN}",IF({lookup(MASTER_HEADERS["sector"])}="",'
                              f'"{UNKNOWN}",{lookup(MASTER_HEADERS["sector"])}))'),
            "region": Formula(f'IF({c["master_row"]}=0,"{UNKNOWN}",IF({lookup(MASTER_HEADERS["region"])}="",'
                              f'"{UNKNOWN}",{lookup(MASTER_HEADERS["region"])}))'),
            "status": Formula(f'IF({c["invoices"]}>0,IF({c["before"]}=0,"Nouveau","Actif"),IF({c["invoices_prev"]}>0,'
                              f'"Perdu",IF(COUNTIF({S.col("customer")},{a})>0,"Inactif","Prospect")))'),
            "revenue": Formula(f"ROUND({S.sum('revenue', customer=a, year='AnneeN')},2)"),
            "invoices": Formula(f"SUMIFS({column(S.name, NEW_INVOICE)},{S.col('customer')},{a},{S.col('year')},AnneeN)"),
            "last": Formula(f'IF({c["invoices"]}=0,"",SUMPRODUCT(MAX(({S.col("customer")}=$A{row})'
                            f'*({S.col("year")}=AnneeN)*{S.col("date")})))'),
            "recency": Formula(f'IF({c["invoices"]}=0,"",{as_of}-{c["last"]})'),
            "r": Formula(f'IF({c["invoices"]}=0,"",1+INT(5*COUNTIFS({rng("recency")},">"&{c["recency"]},'
                         f'{rng("invoices")},">0")/{active}))'),
            "f": Formula(f'IF({c["invoices"]}=0,"",1+INT(5*COUNTIFS({rng("invoices")},"<"&{c["invoices"]},'
                         f'{rng("invoices")},">0")/{active}))'),
            "m": Formula(f'IF({c["invoices"]}=0,"",1+INT(5*COUNTIFS({rng("revenue")},"<"&{c["revenue"]},'
                         f'{rng("invoices")},">0")/{active}))'),
            "rfm": Formula(f'IF({c["invoices"]}=0,"",{c["r"]}&{c["f"]}&{c["m"]})'),
            "segment": Formula(
                f'IF({c["invoices"]}=0,"{NO_PURCHASE}",'
                f'IF(AND({c["r"]}>=4,{fm}>=8),"Champions",'
                f'IF(AND({c["r"]}>=4,{c["f"]}=1),"Nouveaux clients",'
                f'IF(AND({c["r"]}>=3,{fm}>=6),"Fidèles",'
                f'IF({c["r"]}>=3,"Prometteurs",'
                f'IF({fm}>=6,"À risque",'
                f'IF({c["r"]}=1,"Perdus","En sommeil")))))))'),
            "margin": Formula(f"ROUND({S.sum('margin', customer=a, year='AnneeN')},2)"),
            "clv": Formula(f'IF({c["invoices"]}=0,"",IF({r}="","",IF({r}>=1+{d},"",{c["margin"]}*{r}/(1+{d}-{r}))))'),
            "share": Formula(safe_ratio(clipped, positive_total)),
            "cum_share": Formula(f'IF({positive_total}=0,"",(SUMIF({rng("revenue")},">"&{clipped})'
                                 f'+{clipped}*COUNTIF(${L["revenue"]}${first}:{c["revenue"]},{c["revenue"]}))'
                                 f'/{positive_total})'),
            "abc": Formula(f'IF({c["cum_share"]}="","",IF(SUMIF({rng("revenue")},">"&{clipped})+{clipped}'
                           f'*(COUNTIF(${L["revenue"]}${first}:{c["revenue"]},{c["revenue"]})-1)=0,"A",'
                           f'IF({c["cum_share"]}<=SeuilA+1E-9,"A",IF({c["cum_share"]}<=SeuilB+1E-9,"B","C"))))'),
            "revenue_prev": Formula(f"ROUND({S.sum('revenue', customer=a, year='AnneeN-1')},2)"),
            "margin_prev": Formula(f"ROUND({S.sum('margin', customer=a, year='AnneeN-1')},2)"),
            "invoices_prev": Formula(f"SUMIFS({column(S.name, NEW_INVOICE)},{S.col('customer')},{a},"
                                     f"{S.col('year')},AnneeN-1)"),
            "growth": Formula(safe_ratio(f'{c["revenue"]}-{c["revenue_prev"]}', c["revenue_prev"])),
            "before": Formula(f'SUMIFS({column(S.name, NEW_INVOICE)},{S.col("customer")},{a},'
                              f'{S.col("year")},"<"&AnneeN)'),
            "master_row": Formula(f'IFERROR(MATCH({lookup_value(customer, f"$A{row}")},'
                                  f'{column(MASTER_TABLE, MASTER_HEADERS["customer"])},0),0)'),
        }
        sheet.row(row, 1, [values[key] for key, *_ in CUSTOMER_COLUMNS], style=[s for _, _, s, _ in CUSTOMER_COLUMNS])
    # decorations
    body = lambda key: f"{L[key]}{first}:{L[key]}{last}"
    sheet.conditional_formats += [
        ConditionalFormat(body("abc"), "cell_is", "equal", ['"A"'], look="good"),
        ConditionalFormat(body("abc"), "cell_is", "equal", ['"B"'], look="neutral"),
        ConditionalFormat(body("abc"), "cell_is", "equal", ['"C"'], look="bad"),
        ConditionalFormat(body("segment"), "cell_is", "equal", ['"Champions"'], look="good"),
        ConditionalFormat(body("segment"), "cell_is", "equal", ['"À risque"'], look="neutral"),
        ConditionalFormat(body("segment"), "cell_is", "equal", ['"Perdus"'], look="bad"),
        ConditionalFormat(body("status"), "cell_is", "equal", ['"Perdu"'], look="bad"),
        ConditionalFormat(body("status"), "cell_is", "equal", ['"Nouveau"'], look="good"),
        ConditionalFormat(body("growth"), "cell_is", "lessThan", ["0"], look="bad"),
        ConditionalFormat(body("revenue"), "data_bar"),
    ]
    for key, _, _, width in CUSTOMER_COLUMNS:
        sheet.widths[L[key]] = width
    sheet.freeze = f"C{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="Portefeuille clients")
    info = {"first": first, "cols": C, "summary": {k: v.replace("$", "") for k, v in summary.items()}, "absolute": summary,
            "segment_rows": segment_rows, "abc_rows": abc_rows, "rng": rng, "last": last}
    return sheet, info


def _clients_ref(info: dict, key: str) -> str:
    return f"{quote_sheet(SHEETS['customers'])}!{info['rng'](key)}"


# -- Produits --------------------------------------------------------------------------------------

PRODUCT_COLUMNS: list[tuple[str, str, str, float]] = [
    ("product", "Produit", "text", 13),
    ("family", "Famille", "text", 22),
    ("quantity", "Quantité N", "dec", 10),
    ("revenue", "CA HT N", "eur", 14),
    ("margin", "Marge N", "eur", 13),
    ("mark_rate", "Taux de marque", "pct", 9),
    ("share", "Part du CA N", "pct", 9),
    ("cum_share", "Part cumulée (ABC)", "pct", 10),
    ("abc", "Classe ABC", "text", 8),
    ("revenue_prev", "CA HT N−1", "eur", 14),
    ("growth", "Évolution CA", "pct", 10),
]


def _products_sheet(products: list[str], families_of: dict[str, str], families: list[str]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["products"], tab_color="1F4E78")
    sheet.title("Produits — ABC et familles",
                "ABC sur le CA N : produits classés par CA décroissant, A tant que la part cumulée ≤ seuil A, "
                "B ≤ seuil B, sinon C (le premier est toujours A).")
    C = {key: i for i, (key, *_rest) in enumerate(PRODUCT_COLUMNS, start=1)}
    L = {key: col(i) for key, i in C.items()}
    header, first = 4, 5
    n = len(products)
    last = first + max(n, 1) - 1

    def rng(key: str) -> str:
        return f"${L[key]}${first}:${L[key]}${last}"

    S = SalesTable
    sheet.row(header, 1, [h for _, h, _, _ in PRODUCT_COLUMNS], style="header")
    sheet.heights[header] = 30
    positive_total = f'SUMIF({rng("revenue")},">0")'
    for i, product in enumerate(products):
        row = first + i
        c = {key: f"{L[key]}{row}" for key in C}
        a = criterion(product, f"$A{row}")
        clipped = f"MAX(0,{c['revenue']})"
        values = {
            "product": product,
            "family": families_of.get(product, ""),
            "quantity": Formula(f"SUMIFS({S.col('quantity')},{S.col('product')},{a},{S.col('year')},AnneeN)"),
            "revenue": Formula(f"ROUND({S.sum('revenue', product=a, year='AnneeN')},2)"),
            "margin": Formula(f"ROUND({S.sum('margin', product=a, year='AnneeN')},2)"),
            "mark_rate": Formula(safe_ratio(c["margin"], c["revenue"])),
            "share": Formula(safe_ratio(clipped, positive_total)),
            "cum_share": Formula(f'IF({positive_total}=0,"",(SUMIF({rng("revenue")},">"&{clipped})'
                                 f'+{clipped}*COUNTIF(${L["revenue"]}${first}:{c["revenue"]},{c["revenue"]}))'
                                 f'/{positive_total})'),
            "abc": Formula(f'IF({c["cum_share"]}="","",IF(SUMIF({rng("revenue")},">"&{clipped})+{clipped}'
                           f'*(COUNTIF(${L["revenue"]}${first}:{c["revenue"]},{c["revenue"]})-1)=0,"A",'
                           f'IF({c["cum_share"]}<=SeuilA+1E-9,"A",IF({c["cum_share"]}<=SeuilB+1E-9,"B","C"))))'),
            "revenue_prev": Formula(f"ROUND({S.sum('revenue', product=a, year='AnneeN-1')},2)"),
            "growth": Formula(safe_ratio(f'{c["revenue"]}-{c["revenue_prev"]}', c["revenue_prev"])),
        }
        sheet.row(row, 1, [values[key] for key, *_ in PRODUCT_COLUMNS], style=[s for _, _, s, _ in PRODUCT_COLUMNS])
    # ABC summary (M4:Q8)
    m = len(PRODUCT_COLUMNS) + 2  # one empty column
    X = {k: col(m + k) for k in range(9)}
    sheet.row(header, m, ["Classe ABC", "Nb produits", "CA HT N", "% du CA N", "% des produits"], style="header")
    abc_rows = {}
    for i, cls in enumerate("ABC"):
        row = first + i
        abc_rows[cls] = row
        sheet.row(row, m, [cls, Formula(f'COUNTIF({rng("abc")},{X[0]}{row})'),
                           Formula(f'SUMIF({rng("abc")},{X[0]}{row},{rng("revenue")})'),
                           Formula(safe_ratio(f"{X[2]}{row}", f"SUM({rng('revenue')})")),
                           Formula(safe_ratio(f"{X[1]}{row}", f"COUNTA({rng('product')})"))],
                  style=["text", "int", "eur", "pct", "pct"])
    total = first + 3
    abc_rows["Total"] = total
    sheet.row(total, m, ["Total"] + [Formula(f"SUM({X[k]}{first}:{X[k]}{total - 1})") for k in range(1, 5)],
              style=["total_text", "total_int", "total_eur", "total_pct", "total_pct"])
    # families (M11…)
    fam_header = total + 3
    sheet.set(fam_header - 1, m, "Par famille", style="label")
    sheet.row(fam_header, m, ["Famille", "Nb produits", "CA HT N", "% du CA N", "Marge N", "Taux de marque",
                              "CA HT N−1", "Évolution CA", "Produits classés A"], style="header")
    family_rows = {}
    fam_first = fam_header + 1
    fam_list = families or [""]
    for i, family in enumerate(fam_list):
        row = fam_first + i
        family_rows[family] = row
        f = criterion(family, f"${X[0]}{row}")
        sheet.row(row, m, [
            family,
            Formula(f"COUNTIF({rng('family')},{f})"),
            Formula(f"ROUND({S.sum('revenue', family=f, year='AnneeN')},2)"),
            Formula(safe_ratio(f"{X[2]}{row}", f"SUM({rng('revenue')})")),
            Formula(f"ROUND({S.sum('margin', family=f, year='AnneeN')},2)"),
            Formula(safe_ratio(f"{X[4]}{row}", f"{X[2]}{row}")),
            Formula(f"ROUND({S.sum('revenue', family=f, year='AnneeN-1')},2)"),
            Formula(safe_ratio(f"{X[2]}{row}-{X[6]}{row}", f"{X[6]}{row}")),
            Formula(f'COUNTIFS({rng("family")},{f},{rng("abc")},"A")'),
        ], style=["text", "int", "eur", "pct", "eur", "pct", "eur", "pct", "int"])
    fam_total = fam_first + len(fam_list)
    family_rows["Total"] = fam_total
    sheet.row(fam_total, m, [
        "Total", Formula(f"SUM({X[1]}{fam_first}:{X[1]}{fam_total - 1})"),
        Formula(f"SUM({X[2]}{fam_first}:{X[2]}{fam_total - 1})"),
        Formula(safe_ratio(f"{X[2]}{fam_total}", f"SUM({rng('revenue')})")),
        Formula(f"SUM({X[4]}{fam_first}:{X[4]}{fam_total - 1})"),
        Formula(safe_ratio(f"{X[4]}{fam_total}", f"{X[2]}{fam_total}")),
        Formula(f"SUM({X[6]}{fam_first}:{X[6]}{fam_total - 1})"),
        Formula(safe_ratio(f"{X[2]}{fam_total}-{X[6]}{fam_total}", f"{X[6]}{fam_total}")),
        Formula(f"SUM({X[8]}{fam_first}:{X[8]}{fam_total - 1})"),
    ], style=["total_text", "total_int", "total_eur", "total_pct", "total_eur", "total_pct", "total_eur", "total_pct",
              "total_int"])
    # Pareto block: products sorted by decreasing revenue (LARGE), cumulative share (for the chart)
    p = m + 10
    P = {k: col(p + k) for k in range(3)}
    sheet.row(header, p, ["Rang", "CA HT N trié", "Part cumulée"], style="header")
    for i in range(n):
        row = first + i
        sheet.row(row, p, [i + 1, Formula(f"MAX(0,LARGE({rng('revenue')},{P[0]}{row}))"),
                           Formula(safe_ratio(f"SUM(${P[1]}${first}:{P[1]}{row})", positive_total))],
                  style=["int", "eur", "pct"])
    q = quote_sheet(sheet.name)
    if n:
        sheet.charts.append(ChartSpec(
            "column", "Pareto des produits (CA N)", f"{X[0]}{fam_total + 3}",
            [ChartSeries(f"{q}!${P[1]}${first}:${P[1]}${last}", "CA HT N", categories=f"{q}!${P[0]}${first}:${P[0]}${last}"),
             ChartSeries(f"{q}!${P[2]}${first}:${P[2]}${last}", "Part cumulée", secondary=True)],
            y_format='#,##0 "€"', y2_format="0%", width_cm=20, height_cm=9))
    body = lambda key: f"{L[key]}{first}:{L[key]}{last}"
    sheet.conditional_formats += [
        ConditionalFormat(body("abc"), "cell_is", "equal", ['"A"'], look="good"),
        ConditionalFormat(body("abc"), "cell_is", "equal", ['"B"'], look="neutral"),
        ConditionalFormat(body("abc"), "cell_is", "equal", ['"C"'], look="bad"),
        ConditionalFormat(body("growth"), "cell_is", "lessThan", ["0"], look="bad"),
        ConditionalFormat(body("revenue"), "data_bar"),
    ]
    for key, _, _, width in PRODUCT_COLUMNS:
        sheet.widths[L[key]] = width
    sheet.widths[col(m - 1)] = 3
    sheet.widths.update({X[0]: 22, X[1]: 12, X[2]: 14, X[3]: 11, X[4]: 14, X[5]: 15, X[6]: 14, X[7]: 13, X[8]: 18})
    sheet.widths.update({col(p - 1): 3, P[0]: 7, P[1]: 14, P[2]: 10})
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="Produits")
    return sheet, {"first": first, "cols": C, "abc_rows": abc_rows, "family_rows": family_rows,
                   "family_col": m, "pareto_col": p}


# -- Secteurs --------------------------------------------------------------------------------------

SECTOR_COLUMNS = [
    ("sector", "Secteur d'activité", "text", 24),
    ("customers", "Clients (fiches)", "int", 10),
    ("active", "Clients actifs N", "int", 10),
    ("revenue", "CA HT N", "eur", 14),
    ("share", "Part du CA N", "pct", 9),
    ("margin", "Marge N", "eur", 13),
    ("mark_rate", "Taux de marque", "pct", 9),
    ("revenue_prev", "CA HT N−1", "eur", 14),
    ("growth", "Évolution CA", "pct", 10),
    ("average", "CA moyen par client actif", "eur", 14),
]


def _sectors_sheet(sectors: list[str], ci: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["sectors"], tab_color="1F4E78")
    sheet.title("Secteurs d'activité", "Secteur de chaque client : « Fiches clients ». CA et marges : lignes de ventes "
                "des clients de la feuille « Clients ».")
    C = {key: i for i, (key, *_rest) in enumerate(SECTOR_COLUMNS, start=1)}
    L = {key: col(i) for key, i in C.items()}
    header, first = 4, 5
    sheet.row(header, 1, [h for _, h, _, _ in SECTOR_COLUMNS], style="header")
    sheet.heights[header] = 30
    cl = lambda key: _clients_ref(ci, key)
    rows = {}
    for i, sector in enumerate(sectors):
        row = first + i
        rows[sector] = row
        c = {key: f"{L[key]}{row}" for key in C}
        a = criterion(sector, f"$A{row}")
        values = {
            "sector": sector,
            "customers": Formula(f"COUNTIF({cl('sector')},{a})"),
            "active": Formula(f'COUNTIFS({cl("sector")},{a},{cl("invoices")},">0")'),
            "revenue": Formula(f"SUMIF({cl('sector')},{a},{cl('revenue')})"),
            "share": Formula(safe_ratio(c["revenue"], f"SUM({cl('revenue')})")),
            "margin": Formula(f"SUMIF({cl('sector')},{a},{cl('margin')})"),
            "mark_rate": Formula(safe_ratio(c["margin"], c["revenue"])),
            "revenue_prev": Formula(f"SUMIF({cl('sector')},{a},{cl('revenue_prev')})"),
            "growth": Formula(safe_ratio(f'{c["revenue"]}-{c["revenue_prev"]}', c["revenue_prev"])),
            "average": Formula(safe_ratio(c["revenue"], c["active"])),
        }
        sheet.row(row, 1, [values[k] for k, *_ in SECTOR_COLUMNS], style=[s for _, _, s, _ in SECTOR_COLUMNS])
    total = first + len(sectors)
    rows["Total"] = total
    last = total - 1
    s = lambda key: f"SUM({L[key]}{first}:{L[key]}{last})"
    t = {key: f"{L[key]}{total}" for key in C}
    sheet.row(total, 1, [
        "Total", Formula(s("customers")), Formula(s("active")), Formula(s("revenue")), Formula(s("share")),
        Formula(s("margin")), Formula(safe_ratio(t["margin"], t["revenue"])), Formula(s("revenue_prev")),
        Formula(safe_ratio(f'{t["revenue"]}-{t["revenue_prev"]}', t["revenue_prev"])),
        Formula(safe_ratio(t["revenue"], t["active"])),
    ], style=["total_text", "total_int", "total_int", "total_eur", "total_pct", "total_eur", "total_pct", "total_eur",
              "total_pct", "total_eur"])
    sheet.conditional_formats.append(
        ConditionalFormat(f"{L['growth']}{first}:{L['growth']}{last}", "cell_is", "lessThan", ["0"], look="bad"))
    sheet.conditional_formats.append(
        ConditionalFormat(f"{L['growth']}{first}:{L['growth']}{last}", "cell_is", "greaterThan", ["0"], look="good"))
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "bar", "CA HT par secteur : N et N−1", f"{col(len(SECTOR_COLUMNS) + 2)}4",
        [ChartSeries(f"{q}!${L['revenue']}${first}:${L['revenue']}${last}", "CA HT N",
                     categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!${L['revenue_prev']}${first}:${L['revenue_prev']}${last}", "CA HT N−1")],
        y_format='#,##0 "€"', width_cm=18, height_cm=max(8.0, 0.6 * len(sectors) + 3)))
    for key, _, _, width in SECTOR_COLUMNS:
        sheet.widths[L[key]] = width
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="Secteurs")
    return sheet, {"rows": rows, "cols": C}


# -- Attrition -------------------------------------------------------------------------------------

def _churn_sheet(regions: list[str], sectors: list[str], ci: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["churn"], tab_color="1F4E78")
    sheet.title("Attrition (churn) N−1 → N",
                "Clients perdus = actifs en N−1 (au moins une facture) sans facture en N ; attrition = perdus / actifs N−1.")
    cl = lambda key: _clients_ref(ci, key)
    r = f"{quote_sheet(SHEETS['customers'])}!{ci['absolute']['retention']}"
    d = "TauxActu"
    sheet.row(4, 1, ["Indicateur", "Valeur"], style="header")
    lines = [
        ("active_prev", "Clients actifs en N−1", f'COUNTIF({cl("invoices_prev")},">0")', "int"),
        ("active", "Clients actifs en N", f'COUNTIF({cl("invoices")},">0")', "int"),
        ("kept", "Clients conservés (actifs en N−1 et en N)", f'COUNTIFS({cl("invoices_prev")},">0",{cl("invoices")},">0")', "int"),
        ("lost", "Clients perdus (actifs en N−1, sans facture en N)", f'COUNTIFS({cl("invoices_prev")},">0",{cl("invoices")},0)', "int"),
        ("new", "Nouveaux clients en N (première facture)", f'COUNTIF({cl("status")},"Nouveau")', "int"),
        ("back", "Clients revenus en N (actifs avant N−1)", "B6-B7-B9", "int"),
        ("churn", "Taux d'attrition", safe_ratio("B8", "B5"), "pct"),
        ("retention", "Taux de rétention (1 − attrition)", 'IF(B11="","",1-B11)', "pct"),
        ("lifetime", "Durée de vie moyenne d'un client (années) = 1 / attrition", 'IF(B11="","",IF(B11=0,"",1/B11))', "dec"),
        ("lost_revenue", "CA N−1 des clients perdus", f'SUMIFS({cl("revenue_prev")},{cl("invoices_prev")},">0",{cl("invoices")},0)', "eur"),
        ("lost_margin", "Marge N−1 perdue (marge annuelle des clients perdus)", f'SUMIFS({cl("margin_prev")},{cl("invoices_prev")},">0",{cl("invoices")},0)', "eur"),
        ("lost_value", "Valeur client perdue = marge perdue × r / (1 + d − r)",
         f'IF({r}="","",IF({r}>=1+{d},"",B15*{r}/(1+{d}-{r})))', "eur"),
        ("average_margin", "Marge N−1 moyenne d'un client perdu", safe_ratio("B15", "B8"), "eur"),
    ]
    cells = {}
    for i, (key, label, formula, style) in enumerate(lines):
        row = 5 + i
        cells[key] = f"B{row}"
        sheet.set(row, 1, label, style="text")
        sheet.set(row, 2, formula=formula, style=style)
    sheet.set(18, 1, "r : taux de rétention retenu sur la feuille « Clients » ; d : taux d'actualisation (« Paramètres »).",
              style="note")
    headers = ["Clients actifs N−1", "Clients perdus", "Taux d'attrition", "CA N−1 perdu", "Marge N−1 perdue",
               "Clients actifs N"]

    def block(top: int, label: str, first_header: str, keys: list[str], by: str) -> dict[str, int]:
        sheet.set(top, 1, label, style="label")
        sheet.row(top + 1, 1, [first_header] + headers, style="header")
        sheet.heights[top + 1] = 30
        rows = {}
        for i, key in enumerate(keys):
            row = top + 2 + i
            rows[key] = row
            a = criterion(key, f"$A{row}")
            sheet.row(row, 1, [
                key,
                Formula(f'COUNTIFS({cl(by)},{a},{cl("invoices_prev")},">0")'),
                Formula(f'COUNTIFS({cl(by)},{a},{cl("invoices_prev")},">0",{cl("invoices")},0)'),
                Formula(safe_ratio(f"C{row}", f"B{row}")),
                Formula(f'SUMIFS({cl("revenue_prev")},{cl(by)},{a},{cl("invoices_prev")},">0",{cl("invoices")},0)'),
                Formula(f'SUMIFS({cl("margin_prev")},{cl(by)},{a},{cl("invoices_prev")},">0",{cl("invoices")},0)'),
                Formula(f'COUNTIFS({cl(by)},{a},{cl("invoices")},">0")'),
            ], style=["text", "int", "int", "pct", "eur", "eur", "int"])
        total = top + 2 + len(keys)
        rows["Total"] = total
        f, lr = top + 2, total - 1
        sheet.row(total, 1, ["Total", Formula(f"SUM(B{f}:B{lr})"), Formula(f"SUM(C{f}:C{lr})"),
                             Formula(safe_ratio(f"C{total}", f"B{total}")), Formula(f"SUM(E{f}:E{lr})"),
                             Formula(f"SUM(F{f}:F{lr})"), Formula(f"SUM(G{f}:G{lr})")],
                  style=["total_text", "total_int", "total_int", "total_pct", "total_eur", "total_eur", "total_int"])
        sheet.conditional_formats.append(ConditionalFormat(f"D{f}:D{lr}", "color_scale",
                                                           colors=("63BE7B", "FFEB84", "F8696B")))
        return rows

    region_rows = block(20, "Par région", "Région", regions, "region")
    sector_top = region_rows["Total"] + 3
    sector_rows = block(sector_top, "Par secteur d'activité", "Secteur", sectors, "sector")
    q = quote_sheet(sheet.name)
    f, lr = 22, region_rows["Total"] - 1
    sheet.charts.append(ChartSpec(
        "column", "Taux d'attrition par région", "I4",
        [ChartSeries(f"{q}!$D${f}:$D${lr}", "Taux d'attrition", categories=f"{q}!$A${f}:$A${lr}")],
        y_format="0%", width_cm=16, height_cm=8))
    sheet.widths.update({"A": 52, "B": 14, "C": 12, "D": 11, "E": 14, "F": 14, "G": 11})
    sheet.freeze = "A4"
    sheet.print_setup = PrintSetup(orientation="portrait", header="Attrition")
    return sheet, {"cells": cells, "region_rows": region_rows, "sector_rows": sector_rows}


# -- Marché ----------------------------------------------------------------------------------------

MARKET_COLUMNS = [
    ("segment", "Segment", "text", 24),
    ("revenue", "CA HT N de l'entreprise", "eur", 15),
    ("market", "Taille du marché (CA HT)", "input_eur", 16),
    ("share", "Part de marché", "pct", 10),
    ("comp1", "CA concurrent 1", "input_eur", 15),
    ("comp2", "CA concurrent 2", "input_eur", 15),
    ("comp3", "CA concurrent 3", "input_eur", 15),
    ("relative", "PDM relative", "dec", 11),
    ("position", "Position", "text", 10),
]


def _market_sheet(regions: list[str], sectors: list[str], customers_count: int, ci: dict,
                  market: Mapping[tuple[str, str], Mapping[str, Any]]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["market"], tab_color="1F4E78")
    sheet.title("Marché et concentration",
                "Cellules jaunes : tailles de marché et CA des principaux concurrents (études, syndicats professionnels…). "
                "PDM relative = CA / CA du premier concurrent (du deuxième si l'entreprise est en tête à égalité).")
    C = {key: i for i, (key, *_rest) in enumerate(MARKET_COLUMNS, start=1)}
    L = {key: col(i) for key, i in C.items()}
    cl = lambda key: _clients_ref(ci, key)

    def block(top: int, label: str, kind: str, keys: list[str], by: str) -> dict[str, int]:
        sheet.set(top, 1, label, style="label")
        headers = [h for _, h, _, _ in MARKET_COLUMNS]
        headers[0] = "Région" if kind == "region" else "Secteur"
        sheet.row(top + 1, 1, headers, style="header")
        sheet.heights[top + 1] = 30
        rows = {}
        for i, key in enumerate(keys):
            row = top + 2 + i
            rows[key] = row
            typed = market.get((kind, key), {})
            comps = list(typed.get("competitors", ()))[:COMPETITORS]
            comps += [None] * (COMPETITORS - len(comps))
            c = {k: f"{L[k]}{row}" for k in C}
            comp_range = f"{L['comp1']}{row}:{L['comp3']}{row}"
            relative = (f'IF(COUNT({comp_range})=0,"",IF({c["revenue"]}=MAX({comp_range}),'
                        f'IF(COUNT({comp_range})<2,"",IF(LARGE({comp_range},2)=0,"",{c["revenue"]}/LARGE({comp_range},2))),'
                        f'IF(MAX({comp_range})=0,"",{c["revenue"]}/MAX({comp_range}))))')
            sheet.row(row, 1, [
                key,
                Formula(f"SUMIF({cl(by)},{criterion(key, f'$A{row}')},{cl('revenue')})"),
                typed.get("size"),
                Formula(f'IF(N({c["market"]})=0,"",{c["revenue"]}/{c["market"]})'),
                *comps,
                Formula(relative),
                Formula(f'IF({c["relative"]}="","",IF({c["relative"]}>1,"Leader","Suiveur"))'),
            ], style=[s for _, _, s, _ in MARKET_COLUMNS])
        last = top + 1 + len(keys)
        f = top + 2
        sheet.validations.append(Validation(f"{L['market']}{f}:{L['comp3']}{last}", "decimal", "greaterThanOrEqual", "0",
                                            prompt="Montant HT en euros", error="Un montant positif est attendu."))
        sheet.conditional_formats.append(ConditionalFormat(f"{L['position']}{f}:{L['position']}{last}", "cell_is",
                                                           "equal", ['"Leader"'], look="good"))
        return rows

    region_rows = block(4, "Par région", "region", regions, "region")
    sector_top = 4 + 2 + len(regions) + 2
    sector_rows = block(sector_top, "Par secteur d'activité", "sector", sectors, "sector")

    # concentration of the customers' revenue N: sorted block (SMALL), Lorenz points, trapezoids
    top = sector_top + 2 + len(sectors) + 2
    n = customers_count
    first = top + 3  # the (0, 0) point
    data_first, data_last = first + 1, first + max(n, 1)
    sheet.set(top, 1, "Concentration du CA N des clients", style="label")
    sorted_col = 12  # L…P: rank, sorted revenue, x, y, trapezoid
    K = {k: col(sorted_col + k) for k in range(5)}
    sorted_rng = f"${K[1]}${data_first}:${K[1]}${data_last}"
    figures = [
        ("active", "Clients avec un CA N positif", f'COUNTIF({cl("revenue")},">0")', "int"),
        ("hhi", "Indice de Herfindahl-Hirschman (HHI) du CA clients",
         f'IF(SUM({sorted_rng})=0,"",SUMPRODUCT({sorted_rng},{sorted_rng})/SUM({sorted_rng})^2*10000)', "dec"),
        ("gini", "Indice de Gini du CA clients", f'IF(SUM({sorted_rng})=0,"",1-SUM(${K[4]}${data_first}:${K[4]}${data_last}))',
         "pct2"),
        ("reading", "Lecture", (f'IF(B{top + 3}="","",IF(B{top + 3}<0.3,"CA peu concentré",IF(B{top + 3}<0.6,'
                                f'"CA moyennement concentré","CA très concentré : dépendance à quelques clients")))'), "text"),
    ]
    cells = {}
    for i, (key, label, formula, style) in enumerate(figures):
        row = top + 1 + i
        cells[key] = f"B{row}"
        sheet.set(row, 1, label, style="text")
        sheet.set(row, 2, formula=formula, style=style)
    sheet.set(top + 5, 1, "Gini par les trapèzes : G = 1 − Σ (xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁), clients classés par CA croissant "
                          "(courbe de Lorenz) ; HHI = Σ (part du CA × 100)².", style="note")
    sheet.row(first - 1, sorted_col, ["Rang", "CA HT N trié (croissant)", "Part cumulée des clients (x)",
                                      "Part cumulée du CA (y)", "(xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁)"], style="header")
    sheet.heights[first - 1] = 30
    sheet.row(first, sorted_col, [0, None, 0, 0, None], style=["int", "eur", "pct", "pct", "dec4"])
    positive = f'COUNTIF({cl("revenue")},">0")'
    for i in range(n):
        row = data_first + i
        sheet.row(row, sorted_col, [
            i + 1,
            Formula(f"MAX(0,SMALL({cl('revenue')},{K[0]}{row}))"),
            Formula(f'IF({positive}=0,"",MAX(0,{K[0]}{row}-{n}+{positive})/{positive})'),
            Formula(safe_ratio(f"SUM(${K[1]}${data_first}:{K[1]}{row})", f"SUM({sorted_rng})")),
            Formula(f'IF({K[3]}{row}="","",({K[2]}{row}-{K[2]}{row - 1})*({K[3]}{row}+{K[3]}{row - 1}))'),
        ], style=["int", "eur", "pct", "pct", "dec4"])
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "scatter", "Courbe de Lorenz du CA N des clients", f"A{top + 7}",
        [ChartSeries(f"{q}!${K[3]}${first}:${K[3]}${data_last}", "Courbe de Lorenz",
                     categories=f"{q}!${K[2]}${first}:${K[2]}${data_last}"),
         ChartSeries(f"{q}!${K[2]}${first}:${K[2]}${data_last}", "Égalité parfaite",
                     categories=f"{q}!${K[2]}${first}:${K[2]}${data_last}")],
        x_title="Part cumulée des clients", y_title="Part cumulée du CA", y_format="0%", width_cm=14, height_cm=11))
    for key, _, _, width in MARKET_COLUMNS:
        sheet.widths[L[key]] = width
    sheet.widths["A"] = 52
    sheet.widths.update({col(sorted_col - 1): 3, K[0]: 7, K[1]: 14, K[2]: 12, K[3]: 12, K[4]: 12})
    sheet.freeze = "B4"
    sheet.print_setup = PrintSetup(orientation="landscape", header="Marché et concentration")
    return sheet, {"region_rows": region_rows, "sector_rows": sector_rows, "cols": C, "cells": cells,
                   "lorenz_first": data_first, "sorted_col": sorted_col}


# -- Densité ---------------------------------------------------------------------------------------

DENSITY_COLUMNS = [
    ("region", "Région", "text", 22),
    ("active", "Clients actifs N", "int", 11),
    ("others", "Prospects et anciens clients (fiches)", "int", 14),
    ("potential", "Clients potentiels de la zone", "input_int", 14),
    ("density", "Densité de clientèle", "pct", 11),
    ("revenue", "CA HT N", "eur", 14),
    ("average", "CA moyen par client actif", "eur", 14),
]


def _density_sheet(regions: list[str], ci: dict, potential: Mapping[str, Any]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["density"], tab_color="1F4E78")
    sheet.title("Densité de clientèle par région",
                "Densité = clients actifs en N / clients potentiels de la zone (cellules jaunes : entreprises de la cible "
                "recensées, fichiers CCI, SIRENE…). Total : régions dont le potentiel est saisi.")
    C = {key: i for i, (key, *_rest) in enumerate(DENSITY_COLUMNS, start=1)}
    L = {key: col(i) for key, i in C.items()}
    cl = lambda key: _clients_ref(ci, key)
    header, first = 4, 5
    sheet.row(header, 1, [h for _, h, _, _ in DENSITY_COLUMNS], style="header")
    sheet.heights[header] = 30
    rows = {}
    for i, region in enumerate(regions):
        row = first + i
        rows[region] = row
        c = {k: f"{L[k]}{row}" for k in C}
        a = criterion(region, f"$A{row}")
        value = potential.get(region)
        sheet.row(row, 1, [
            region,
            Formula(f'COUNTIFS({cl("region")},{a},{cl("invoices")},">0")'),
            Formula(f'COUNTIFS({cl("region")},{a},{cl("invoices")},0)'),
            value,
            Formula(f'IF(N({c["potential"]})=0,"",{c["active"]}/{c["potential"]})'),
            Formula(f"SUMIF({cl('region')},{a},{cl('revenue')})"),
            Formula(safe_ratio(c["revenue"], c["active"])),
        ], style=[s for _, _, s, _ in DENSITY_COLUMNS])
    total = first + len(regions)
    rows["Total"] = total
    last = total - 1
    s = lambda key: f"SUM({L[key]}{first}:{L[key]}{last})"
    t = {k: f"{L[k]}{total}" for k in C}
    typed_active = f'SUMIF({L["potential"]}{first}:{L["potential"]}{last},">0",{L["active"]}{first}:{L["active"]}{last})'
    sheet.row(total, 1, ["Total", Formula(s("active")), Formula(s("others")), Formula(s("potential")),
                         Formula(f'IF(N({t["potential"]})=0,"",{typed_active}/{t["potential"]})'),
                         Formula(s("revenue")), Formula(safe_ratio(t["revenue"], t["active"]))],
              style=["total_text", "total_int", "total_int", "total_int", "total_pct", "total_eur", "total_eur"])
    sheet.validations.append(Validation(f"{L['potential']}{first}:{L['potential']}{last}", "whole", "greaterThanOrEqual",
                                        "0", prompt="Nombre de clients potentiels de la région",
                                        error="Un nombre entier positif est attendu."))
    sheet.conditional_formats.append(ConditionalFormat(f"{L['density']}{first}:{L['density']}{last}", "data_bar"))
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "column", "Densité de clientèle par région", f"{col(len(DENSITY_COLUMNS) + 2)}4",
        [ChartSeries(f"{q}!${L['density']}${first}:${L['density']}${last}", "Densité de clientèle",
                     categories=f"{q}!$A${first}:$A${last}")],
        y_format="0%", width_cm=16, height_cm=8))
    sheet.charts.append(ChartSpec(
        "column", "Clients actifs et clients potentiels", f"{col(len(DENSITY_COLUMNS) + 2)}22",
        [ChartSeries(f"{q}!${L['active']}${first}:${L['active']}${last}", "Clients actifs N",
                     categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!${L['potential']}${first}:${L['potential']}${last}", "Clients potentiels")],
        y_format="#,##0", width_cm=16, height_cm=8))
    for key, _, _, width in DENSITY_COLUMNS:
        sheet.widths[L[key]] = width
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="Densité de clientèle")
    return sheet, {"rows": rows, "cols": C}


# ------------------------------------------------------------------------------------------------
# the workbook
# ------------------------------------------------------------------------------------------------

def _prepare_sales(sales: pd.DataFrame) -> pd.DataFrame:
    if sales is None or len(sales) == 0:
        raise ValueError("aucune ligne de vente : l'analyse du portefeuille a besoin des ventes")
    missing = [c for c in ("date", "customer", "product", "quantity", "unit_price") if c not in sales.columns]
    if missing:
        raise ValueError("colonnes manquantes dans les ventes : " + ", ".join(missing))
    sales = sales.copy()
    sales["date"] = pd.to_datetime(sales["date"])
    sales["customer"] = sales["customer"].map(_text)
    sales["product"] = sales["product"].map(_text)
    return sales


def build_portfolio(sales: pd.DataFrame, customers: pd.DataFrame | None = None, *, year: int | None = None,
                    params: PortfolioParams | None = None,
                    market: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
                    potential: Mapping[str, Any] | None = None) -> tuple[BookPlan, PortfolioLayout]:
    """Plan the portfolio workbook.

    Parameters
    ----------
    sales : DataFrame
        Sales lines (:func:`xlsales.io.read_sales`): date, customer, product, quantity, unit_price,
        and optionally invoice, customer_name, rep, region, channel, family, unit_cost, discount, paid.
    customers : DataFrame, optional
        Customer master data (:func:`read_customers`, or the sample company's ``customers``):
        customer, customer_name, sector, region, since, until. Customers without sales are prospects.
        Without it, « Fiches clients » is filled from the sales (name, most frequent region).
    year : int, optional
        Year analysed (N); default: the last year of the sales.
    params : PortfolioParams, optional
        ABC thresholds, discount rate, retention (None: the measured one).
    market : mapping, optional
        ``{("region" | "sector", name): {"size": market size, "competitors": [sales, …]}}`` written
        in the input cells of « Marché » (up to three competitors).
    potential : mapping, optional
        ``{region: potential customers}`` written in the input cells of « Densité ».

    Returns
    -------
    (BookPlan, PortfolioLayout)
    """
    sales = _prepare_sales(sales)
    params = params or PortfolioParams()
    year = int(year or sales["date"].dt.year.max())
    master = _master_frame(sales, customers)
    customer_list = sorted(master["customer"])
    products = sorted(p for p in sales["product"].unique() if p)
    families_of = _first_text(sales, "product", "family")
    families = sorted({f for f in families_of.values() if f})
    sectors = _labels(master["sector"])
    regions = _labels(master["region"])

    book = BookPlan(title="Analyse du portefeuille")
    params_sheet, names, param_cells = _params_sheet(year, params)
    book.names.update(names)
    customers_sheet, ci = _customers_sheet(customer_list)
    products_sheet, pi = _products_sheet(products, families_of, families)
    sectors_sheet, si = _sectors_sheet(sectors, ci)
    churn_sheet, chi = _churn_sheet(regions, sectors, ci)
    market_sheet, mi = _market_sheet(regions, sectors, len(customer_list), ci, market or {})
    density_sheet, di = _density_sheet(regions, ci, potential or {})
    for sheet in (customers_sheet, products_sheet, sectors_sheet, churn_sheet, market_sheet, density_sheet,
                  params_sheet, _master_sheet(master), _sales_sheet(sales)):
        book.add(sheet)
    book.active = customers_sheet.name
    layout = PortfolioLayout(
        year=year, customers=customer_list, products=products, families=families, sectors=sectors, regions=regions,
        customer_first_row=ci["first"], customer_cols=ci["cols"], customer_summary=ci["summary"],
        segment_rows=ci["segment_rows"], abc_rows=ci["abc_rows"],
        product_first_row=pi["first"], product_cols=pi["cols"], product_abc_rows=pi["abc_rows"],
        family_rows=pi["family_rows"], sector_rows=si["rows"], sector_cols=si["cols"],
        churn_cells=chi["cells"], churn_region_rows=chi["region_rows"], churn_sector_rows=chi["sector_rows"],
        market_region_rows=mi["region_rows"], market_sector_rows=mi["sector_rows"], market_cols=mi["cols"],
        concentration_cells=mi["cells"], lorenz_first_row=mi["lorenz_first"],
        density_rows=di["rows"], density_cols=di["cols"], params=param_cells,
    )
    return book, layout


# ------------------------------------------------------------------------------------------------
# entry points: files (CLI), the sample company (ready-made workbook, template), an open workbook
# ------------------------------------------------------------------------------------------------

def plan_from_files(sales: pd.DataFrame | None, customers: pd.DataFrame | None = None, *,
                    year: int | None = None) -> BookPlan:
    """The portfolio workbook from the files of the CLI.

    Parameters
    ----------
    sales : DataFrame
        :func:`xlsales.io.read_sales` of the sales file (required: a clear ``ValueError`` otherwise).
    customers : DataFrame, optional
        :func:`read_customers` of the ``--customers`` file (sector, region, since, until).
    year : int, optional
        Year analysed; default: the last year of the sales.

    Market sizes, competitors' sales and potential customers are typed in the workbook (« Marché »,
    « Densité »): empty cells give empty shares.
    """
    if sales is None:
        raise ValueError("il faut le fichier des ventes pour analyser le portefeuille")
    return build_portfolio(sales, customers, year=year)[0]


def sample_market_inputs(company, year: int | None = None) -> tuple[dict, dict]:
    """Illustrative market sizes, competitors' sales and potential customers for the sample company.

    Deterministic figures of the right order of magnitude (the company holds 4 to 15 % of each
    market; competitors 0.5 to 2 times its revenue; 8 to 30 potential customers per active one),
    so that the ready-made workbook shows every figure. Real ones come from market studies.
    """
    sales = _prepare_sales(company.sales)
    year = int(year or sales["date"].dt.year.max())
    master = _master_frame(sales, getattr(company, "customers", None))
    this_year = sales[sales["date"].dt.year == year]
    revenue = this_year.groupby("customer")["revenue"].sum() if "revenue" in this_year else \
        (this_year["quantity"] * this_year["unit_price"]).groupby(this_year["customer"]).sum()
    frame = master.assign(revenue=master["customer"].map(revenue).fillna(0.0))
    rng = np.random.default_rng(2025)
    market: dict[tuple[str, str], dict[str, Any]] = {}
    potential: dict[str, Any] = {}
    for kind, by in (("region", "region"), ("sector", "sector")):
        totals = frame.assign(key=frame[by].map(lambda v: _text(v) or UNKNOWN)).groupby("key")["revenue"].sum()
        for key, own in totals.items():
            if own <= 0:
                continue
            share = rng.uniform(0.04, 0.15)
            size = float(round(own / share, -4))
            competitors = [float(round(own * rng.uniform(0.5, 2.0), -3)) for _ in range(COMPETITORS)]
            market[(kind, key)] = {"size": size, "competitors": sorted(competitors, reverse=True)}
    active = frame[frame["revenue"] > 0].assign(key=lambda f: f["region"].map(lambda v: _text(v) or UNKNOWN))
    for key, count in active.groupby("key").size().items():
        potential[key] = int(round(count * rng.uniform(8, 30), -1))
    return market, potential


def plan_for_company(company) -> BookPlan:
    """The portfolio workbook of the sample company (with illustrative market and potential figures)."""
    market, potential = sample_market_inputs(company)
    return build_portfolio(company.sales, company.customers, market=market, potential=potential)[0]


# -- reading an open workbook back -----------------------------------------------------------------

def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    parsed, _, bad = xio.parse_numbers([value])
    return None if bad[0] or np.isnan(parsed[0]) else float(parsed[0])


def read_params(rows: list[list]) -> tuple[int | None, PortfolioParams]:
    """Year and parameters typed in « Paramètres » (rows of values, as :func:`live.sheet_rows` gives them)."""
    by_label = {}
    for row in rows:
        if row and isinstance(row[0], str) and len(row) > 1:
            by_label[row[0].strip()] = row[1]
    values = {key: _number(by_label.get(label)) for key, (_, label, _, _) in PARAMETERS.items()}
    defaults = PortfolioParams()
    params = PortfolioParams(
        a_share=values["a_share"] if values["a_share"] is not None else defaults.a_share,
        b_share=values["b_share"] if values["b_share"] is not None else defaults.b_share,
        discount_rate=values["discount_rate"] if values["discount_rate"] is not None else defaults.discount_rate,
        retention=values["retention"],
    )
    year = int(values["year"]) if values["year"] else None
    return year, params


def read_market_inputs(market_rows: list[list], density_rows: list[list]) -> tuple[dict, dict]:
    """Market sizes, competitors' sales (« Marché ») and potential customers (« Densité ») typed in a workbook."""
    market: dict[tuple[str, str], dict[str, Any]] = {}
    C = {key: i for i, (key, *_rest) in enumerate(MARKET_COLUMNS)}
    kind = None
    for row in market_rows:
        first = _text(row[0]) if row else ""
        if first in ("Région", "Secteur") and len(row) > C["comp3"] and _text(row[C["market"]]).startswith("Taille"):
            kind = "region" if first == "Région" else "sector"
            continue
        if kind is None:
            continue
        if not first or first == "Total" or first.startswith(("Par ", "Concentration")):
            kind = None if not first or first.startswith("Concentration") else kind
            continue
        cells = list(row) + [None] * (len(MARKET_COLUMNS) - len(row))
        size = _number(cells[C["market"]])
        competitors = [_number(cells[C[k]]) for k in ("comp1", "comp2", "comp3")]
        if size is not None or any(v is not None for v in competitors):
            market[(kind, first)] = {"size": size, "competitors": competitors}
    potential: dict[str, Any] = {}
    D = {key: i for i, (key, *_rest) in enumerate(DENSITY_COLUMNS)}
    started = False
    for row in density_rows:
        first = _text(row[0]) if row else ""
        if first == "Région" and len(row) > D["potential"]:
            started = True
            continue
        if not started or not first or first == "Total":
            if started and first == "Total":
                break
            continue
        value = _number(row[D["potential"]]) if len(row) > D["potential"] else None
        if value is not None:
            potential[first] = value
    return market, potential


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open portfolio workbook (template button, xlwings Lite).

    Reads « Ventes », « Fiches clients » and « Paramètres », and the market sizes, competitors' sales
    and potential customers typed in « Marché » and « Densité », which are written back into the rebuilt
    sheets. Customers found in the sales but missing from « Fiches clients » are appended to it (every
    typed cell kept).
    """
    from ..sheets.render_xlwings import render_book_live
    from .live import read_input, refresh_outputs, sheet_rows

    names = [s.name for s in book.sheets]
    sales = read_input(book, SHEETS["sales"], xio.SALES)
    customers = None
    if SHEETS["master"] in names:
        rows = sheet_rows(book, SHEETS["master"])
        if len(rows) > 1 and any(_text(r[0]) for r in rows[1:] if r):
            customers = xio.read_rows(rows, CUSTOMERS, source=book.name, sheet=SHEETS["master"])
    year, params = (None, PortfolioParams())
    if SHEETS["params"] in names:
        year, params = read_params(sheet_rows(book, SHEETS["params"]))
    market_rows = sheet_rows(book, SHEETS["market"]) if SHEETS["market"] in names else []
    density_rows = sheet_rows(book, SHEETS["density"]) if SHEETS["density"] in names else []
    market, potential = read_market_inputs(market_rows, density_rows)
    plan, layout = build_portfolio(sales, customers, year=year, params=params, market=market, potential=potential)
    known = set() if customers is None else {_text(c) for c in customers["customer"]}
    if SHEETS["master"] in names and set(layout.customers) - known:
        render_book_live(plan, book, only={SHEETS["master"]})
    return refresh_outputs(book, plan)
