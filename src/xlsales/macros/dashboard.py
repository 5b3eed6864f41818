"""Tableau de bord commercial: sales lines → a workbook of live formulas over the ``Ventes`` table.

Sheets: Paramètres (year analysed, ABC thresholds), Ventes (Excel Table of the sales lines with
calculated columns), Objectifs (Excel Table of targets), Tableau de bord (per rep / region / family /
month: CA, marge, taux de marque, objectif, écart, écart %, taux de réalisation, évolution N/N−1,
with conditional formats and charts), ABC (Pareto), Tendance (least squares, seasonal coefficients by
ratio to trend, 12-month forecast), Concentration (Lorenz curve, Gini).

Every figure is a formula over the tables, so lines pasted below the ``Ventes`` table update it.
Lists of reps, regions, families, customers and months are taken from the data when the workbook
is (re)built: new reps or customers appear when the dashboard is regenerated (button or CLI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..sheets.formulas import SalesTable, safe_ratio, sumifs
from ..sheets.sales import sales_lines_sheet
from ..sheets.plan import (
    BookPlan,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    DataBlock,
    Formula,
    PrintSetup,
    SheetPlan,
    TableSpec,
    Validation,
    col,
    quote_sheet,
    ref,
)

__all__ = ["build_dashboard", "DashboardLayout", "LABELS", "MONTHS_FR"]

MONTHS_FR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

LABELS = {
    "fr": {
        "params": "Paramètres", "sales": "Ventes", "targets": "Objectifs", "dashboard": "Tableau de bord",
        "abc": "ABC", "trend": "Tendance", "concentration": "Concentration", "readme": "Lisez-moi",
        "year": "Exercice analysé (N)", "a_share": "Seuil de la classe A (part cumulée du CA)",
        "b_share": "Seuil de la classe B (part cumulée du CA)",
        "title": "Tableau de bord commercial", "by_rep": "Par commercial", "by_region": "Par région",
        "by_family": "Par famille", "by_month": "Par mois",
        "rep": "Commercial", "region": "Région", "family": "Famille", "month": "Mois",
        "revenue": "CA HT N", "margin": "Marge N", "mark_rate": "Taux de marque", "target": "Objectif N",
        "variance": "Écart", "variance_rate": "Écart %", "attainment": "Taux de réalisation",
        "revenue_prev": "CA HT N−1", "growth": "Évolution N/N−1", "total": "Total",
        "cum_revenue": "CA cumulé N", "cum_target": "Objectif cumulé N",
        "chart_month": "CA mensuel N, objectif et N−1", "chart_family": "CA N par famille",
        "customer": "Client", "customer_name": "Raison sociale", "rank": "Rang",
        "share": "Part du CA", "cum": "CA cumulé", "cum_share": "Part cumulée du CA",
        "cum_customers": "Part cumulée des clients", "class": "Classe", "count": "Nb clients",
        "pareto": "Pareto des clients (CA N)",
        "x": "Rang (x)", "trend_col": "Tendance", "ratio": "Rapport à la tendance", "forecast": "Prévision",
        "slope": "Pente a", "intercept": "Ordonnée à l'origine b", "correl": "Coefficient de corrélation r",
        "coef_raw": "Coefficient brut", "coef": "Coefficient saisonnier", "year_col": "Année",
        "chart_trend": "CA mensuel, tendance et prévision à 12 mois",
        "lorenz": "Courbe de Lorenz (CA N par client)", "gini": "Indice de Gini",
        "x_share": "Part cumulée des clients (x)", "y_share": "Part cumulée du CA (y)", "trapeze": "(xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁)",
        "equality": "Égalité parfaite",
        "targets_note": "Objectifs mensuels par commercial (Région renseignée pour le cumul par région ; "
                        "une ligne avec seulement une Famille fixe un objectif par famille).",
        "trend_note": "Méthode des manuels : droite des moindres carrés sur le CA mensuel, rapports à la tendance, "
                      "coefficients moyens par mois normalisés (moyenne 1), prévision = tendance × coefficient.",
        "gini_note": "Gini par les trapèzes : G = 1 − Σ (xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁), clients classés par CA croissant.",
        "abc_note": "Clients classés par CA N décroissant ; A tant que la part cumulée ≤ seuil A, B ≤ seuil B, sinon C.",
        "lines": "Nb lignes",
        "aggregated_note": "Lignes agrégées : les {lines} lignes de ventes de « {source} » sont totalisées par année, "
                           "mois, commercial, région, famille et client (une feuille Excel n'a que 1 048 576 lignes) ; "
                           "la feuille Ventes contient ces totaux et toutes les formules portent sur eux.",
    },
    "en": {
        "params": "Settings", "sales": "Sales", "targets": "Targets", "dashboard": "Dashboard",
        "abc": "ABC", "trend": "Trend", "concentration": "Concentration", "readme": "Read me",
        "year": "Year analysed (N)", "a_share": "Class A threshold (cumulative revenue share)",
        "b_share": "Class B threshold (cumulative revenue share)",
        "title": "Sales dashboard", "by_rep": "By rep", "by_region": "By region",
        "by_family": "By product family", "by_month": "By month",
        "rep": "Rep", "region": "Region", "family": "Family", "month": "Month",
        "revenue": "Revenue N", "margin": "Margin N", "mark_rate": "Margin rate on price", "target": "Target N",
        "variance": "Variance", "variance_rate": "Variance %", "attainment": "Attainment",
        "revenue_prev": "Revenue N−1", "growth": "Growth N/N−1", "total": "Total",
        "cum_revenue": "Cumulative revenue N", "cum_target": "Cumulative target N",
        "chart_month": "Monthly revenue N, target and N−1", "chart_family": "Revenue N by family",
        "customer": "Customer", "customer_name": "Name", "rank": "Rank",
        "share": "Revenue share", "cum": "Cumulative revenue", "cum_share": "Cumulative revenue share",
        "cum_customers": "Cumulative customer share", "class": "Class", "count": "Customers",
        "pareto": "Customer Pareto (revenue N)",
        "x": "Rank (x)", "trend_col": "Trend", "ratio": "Ratio to trend", "forecast": "Forecast",
        "slope": "Slope a", "intercept": "Intercept b", "correl": "Correlation r",
        "coef_raw": "Raw coefficient", "coef": "Seasonal coefficient", "year_col": "Year",
        "chart_trend": "Monthly revenue, trend and 12-month forecast",
        "lorenz": "Lorenz curve (revenue N by customer)", "gini": "Gini index",
        "x_share": "Cumulative customer share (x)", "y_share": "Cumulative revenue share (y)", "trapeze": "(xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁)",
        "equality": "Perfect equality",
        "targets_note": "Monthly targets per rep (fill Region to total by region; a row with only a Family sets a family target).",
        "trend_note": "Textbook method: least-squares line on monthly revenue, ratios to trend, mean ratio per month "
                      "normalised to mean 1, forecast = trend × coefficient.",
        "gini_note": "Gini by trapezoids: G = 1 − Σ (xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁), customers sorted by increasing revenue.",
        "abc_note": "Customers sorted by decreasing revenue N; A while the cumulative share ≤ threshold A, B ≤ threshold B, else C.",
        "lines": "Nb lignes",
        "aggregated_note": "Aggregated lines: the {lines} sales lines of “{source}” are totalled by year, month, rep, "
                           "region, family and customer (an Excel sheet has only 1,048,576 rows); the Sales sheet "
                           "holds these totals and every formula works on them.",
    },
}

TARGET_HEADERS = {"rep": "Commercial", "region": "Région", "family": "Famille", "year": "Année", "month": "Mois",
                  "target": "Objectif CA"}
TARGETS_TABLE = "Objectifs"


@dataclass
class DashboardLayout:
    """Where the key figures are, for tests and for the live renderer."""

    year: int
    reps: list[str]
    regions: list[str]
    families: list[str]
    customers: list[str]
    months: list[tuple[int, int]]
    rep_rows: dict[str, int]
    region_rows: dict[str, int]
    family_rows: dict[str, int]
    month_rows: dict[int, int]
    abc_first_row: int
    trend_first_row: int
    forecast_first_row: int
    coef_first_row: int
    trend_params: dict[str, str]
    lorenz_first_row: int
    gini_cell: str


def _targets_frame(targets: pd.DataFrame | None, sales: pd.DataFrame) -> pd.DataFrame:
    """Normalise targets to rows (rep, region, family, year, month, target)."""
    columns = ["rep", "region", "family", "year", "month", "target"]
    if targets is None or len(targets) == 0:
        return pd.DataFrame(columns=columns)
    t = targets.copy()
    if "year" not in t.columns or "month" not in t.columns:
        period = t["period"].astype(str)
        t["year"] = period.str.slice(0, 4).astype(int)
        t["month"] = pd.to_numeric(period.str.slice(5, 7), errors="coerce").fillna(0).astype(int)
    target_col = next(c for c in ("target", "target_revenue", "revenue") if c in t.columns)
    t["target"] = t[target_col].astype(float)
    if "rep" not in t.columns:
        t["rep"] = ""
    if "family" not in t.columns:
        t["family"] = ""
    if "region" not in t.columns or t["region"].isna().all():
        if "region" in sales and "lines" in sales:  # totals: the region of most lines (ties: first by name)
            counts = sales.groupby(["rep", "region"])["lines"].sum().reset_index()
            main_region = (counts.sort_values(["rep", "lines", "region"], ascending=[True, False, True])
                           .drop_duplicates("rep").set_index("rep")["region"])
        else:
            main_region = sales.groupby("rep")["region"].agg(lambda s: s.mode().iat[0]) if "region" in sales else {}
        t["region"] = t["rep"].map(main_region)
    t = t.fillna({"rep": "", "region": "", "family": ""})
    return t[columns]


def _sales_sheet(sales: pd.DataFrame, L: dict, data_block: bool = False) -> SheetPlan:
    return sales_lines_sheet(sales, L["sales"], data_block=data_block)


#: columns of the data sheet of a dashboard built on totals (:func:`xlsales.bigdata.aggregate_sales`)
AGGREGATE_FIELDS = ["year", "month", "rep", "region", "family", "customer", "customer_name", "lines", "quantity",
                    "revenue", "cost", "margin"]


def _aggregates_sheet(totals: pd.DataFrame, L: dict, data_block: bool = False) -> SheetPlan:
    """The ``Ventes`` table holding totals instead of lines: same headers, so the same SUMIFS work."""
    sheet = SheetPlan(L["sales"], role="input", protect=False, freeze="A2", tab_color="70AD47")
    headers = [L["lines"] if f == "lines" else SalesTable.header(f) for f in AGGREGATE_FIELDS]
    styles = ["data_int", "data_int", "data_text", "data_text", "data_text", "data_text", "data_text", "data_int",
              "data_dec", "data_eur", "data_eur", "data_eur"]
    sheet.row(1, 1, headers, style="header")
    n = len(totals)
    arrays = [totals[f].to_numpy() for f in AGGREGATE_FIELDS]
    if data_block:
        sheet.blocks.append(DataBlock(2, 1, arrays, styles))
    else:
        for i in range(n):
            sheet.row(i + 2, 1, [None if pd.isna(a[i]) else a[i] for a in arrays], style=styles)
    last = len(headers)
    sheet.tables.append(TableSpec(SalesTable.name, f"A1:{col(last)}{max(n, 1) + 1}"))
    lines = f"{int(totals.attrs.get('lines', totals['lines'].sum())):,}".replace(",", "\u202f")
    sheet.set(1, last + 2, L["aggregated_note"].format(lines=lines, source=totals.attrs.get("source", "?")), style="note")
    sheet.widths.update({"A": 8, "B": 7, "C": 18, "D": 12, "E": 20, "F": 10, "G": 28, "H": 10, "I": 11, "J": 14,
                         "K": 14, "L": 14})
    sheet.print_setup = PrintSetup(title_rows="1:1")
    return sheet


def _targets_sheet(targets: pd.DataFrame, L: dict) -> SheetPlan:
    sheet = SheetPlan(L["targets"], role="input", protect=False, freeze="A2", tab_color="70AD47")
    headers = list(TARGET_HEADERS.values())
    sheet.row(1, 1, headers, style="header")
    styles = ["data_text", "data_text", "data_text", "data_int", "data_int", "data_eur"]
    for i, rec in enumerate(targets.itertuples(index=False), start=2):
        sheet.row(i, 1, [rec.rep or None, rec.region or None, rec.family or None, int(rec.year), int(rec.month),
                         float(rec.target)], style=styles)
    n = max(len(targets), 1)
    sheet.tables.append(TableSpec(TARGETS_TABLE, f"A1:F{n + 1}"))
    sheet.set(1, 8, L["targets_note"], style="note")
    sheet.widths.update({"A": 20, "B": 14, "C": 18, "D": 8, "E": 7, "F": 14})
    sheet.validations.append(Validation(f"F2:F{n + 200}", "decimal", "greaterThanOrEqual", "0",
                                        prompt="Objectif de CA HT du mois (€)", error="Un montant positif est attendu."))
    sheet.validations.append(Validation(f"E2:E{n + 200}", "whole", "between", "1", "12",
                                        prompt="Mois (1 à 12)", error="Le mois est un entier de 1 à 12."))
    return sheet


def _params_sheet(year: int, L: dict) -> tuple[SheetPlan, dict[str, str]]:
    sheet = SheetPlan(L["params"], role="input", tab_color="70AD47")
    sheet.title(L["params"])
    sheet.set(3, 1, L["year"], style="label")
    sheet.set(3, 2, year, style="input_int")
    sheet.set(4, 1, L["a_share"], style="label")
    sheet.set(4, 2, 0.8, style="input_pct")
    sheet.set(5, 1, L["b_share"], style="label")
    sheet.set(5, 2, 0.95, style="input_pct")
    sheet.widths.update({"A": 48, "B": 14})
    sheet.validations.append(Validation("B3", "whole", "between", "1990", "2100", prompt="Année analysée",
                                        error="Une année (ex. 2026) est attendue."))
    sheet.validations.append(Validation("B4:B5", "decimal", "between", "0", "1", prompt="Part entre 0 et 100 %",
                                        error="Une part entre 0 et 100 % est attendue."))
    q = quote_sheet(L["params"])
    names = {"AnneeN": f"{q}!$B$3", "SeuilA": f"{q}!$B$4", "SeuilB": f"{q}!$B$5"}
    return sheet, names


_SPECIAL_CRITERION = re.compile(r"^[=<>]|[*?~]")


def _criterion(cell: str, key) -> str:
    """SUMIFS criterion matching exactly the text in ``cell`` (which holds ``key``).

    A criterion is read by SUMIFS: ``<x``, ``>x``, ``=x`` compare, ``*`` and ``?`` are wildcards,
    ``~`` escapes. A name with such characters (« <NA> », « A*B », « =1+1 ») is compared with ``=``
    and its wildcards escaped, so that it matches only itself; other names are the cell itself.
    """
    if isinstance(key, str) and _SPECIAL_CRITERION.search(key):
        return f'"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell},"~","~~"),"*","~*"),"?","~?")'
    return cell


_HEADERS = ["revenue", "margin", "mark_rate", "target", "variance", "variance_rate", "attainment", "revenue_prev", "growth"]
_STYLES = ["text", "eur", "eur", "pct", "eur", "eur", "pct", "pct", "eur", "pct"]
_TOTAL_STYLES = ["total_text", "total_eur", "total_eur", "total_pct", "total_eur", "total_eur", "total_pct", "total_pct",
                 "total_eur", "total_pct"]


def _kpi_block(sheet: SheetPlan, top: int, label: str, first_header: str, keys: list[str], field: str,
               target_field: str | None, L: dict) -> tuple[dict[str, int], int]:
    """One block of the dashboard; returns {key: row} and the next free row."""
    sheet.set(top, 1, label, style="label")
    sheet.row(top + 1, 1, [first_header] + [L[h] for h in _HEADERS], style="header")
    sheet.heights[top + 1] = 30
    rows = {}
    first = top + 2
    for i, key in enumerate(keys):
        r = first + i
        rows[key] = r
        a = _criterion(ref(r, 1, absolute=False).replace("A", "$A", 1), key)
        target = (sumifs(TARGETS_TABLE, TARGET_HEADERS["target"],
                         [(TARGET_HEADERS[target_field], a), (TARGET_HEADERS["year"], "AnneeN")])
                  if target_field else "0")
        sheet.row(r, 1, [
            key,
            Formula(SalesTable.sum("revenue", **{field: a, "year": "AnneeN"})),
            Formula(SalesTable.sum("margin", **{field: a, "year": "AnneeN"})),
            Formula(safe_ratio(f"C{r}", f"B{r}")),
            Formula(target),
            Formula(f'IF(E{r}=0,"",B{r}-E{r})'),
            Formula(safe_ratio(f"F{r}", f"E{r}")),
            Formula(safe_ratio(f"B{r}", f"E{r}")),
            Formula(SalesTable.sum("revenue", **{field: a, "year": "AnneeN-1"})),
            Formula(safe_ratio(f"B{r}-I{r}", f"I{r}")),
        ], style=_STYLES)
    last = first + len(keys) - 1
    t = last + 1
    sheet.row(t, 1, [
        L["total"],
        Formula(f"SUM(B{first}:B{last})"), Formula(f"SUM(C{first}:C{last})"), Formula(safe_ratio(f"C{t}", f"B{t}")),
        Formula(f"SUM(E{first}:E{last})"), Formula(f'IF(E{t}=0,"",B{t}-E{t})'), Formula(safe_ratio(f"F{t}", f"E{t}")),
        Formula(safe_ratio(f"B{t}", f"E{t}")), Formula(f"SUM(I{first}:I{last})"), Formula(safe_ratio(f"B{t}-I{t}", f"I{t}")),
    ], style=_TOTAL_STYLES)
    rows[L["total"]] = t
    _attainment_formats(sheet, f"H{first}:H{t}")
    _attainment_formats(sheet, f"J{first}:J{t}", growth=True)
    sheet.conditional_formats.append(ConditionalFormat(f"B{first}:B{last}", "data_bar", colors=("638EC6",)))
    return rows, t + 2


def _attainment_formats(sheet: SheetPlan, reference: str, growth: bool = False) -> None:
    top_left = reference.split(":")[0]
    if growth:
        sheet.conditional_formats.append(ConditionalFormat(reference, "expression", formula=[f'AND(ISNUMBER({top_left}),{top_left}<0)'], look="bad"))
        sheet.conditional_formats.append(ConditionalFormat(reference, "expression", formula=[f'AND(ISNUMBER({top_left}),{top_left}>=0)'], look="good"))
        return
    sheet.conditional_formats.append(ConditionalFormat(reference, "expression", formula=[f'AND(ISNUMBER({top_left}),{top_left}<0.9)'], look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(reference, "expression", formula=[f'AND(ISNUMBER({top_left}),{top_left}>=0.9,{top_left}<1)'], look="neutral"))
    sheet.conditional_formats.append(ConditionalFormat(reference, "expression", formula=[f'AND(ISNUMBER({top_left}),{top_left}>=1)'], look="good"))


def _dashboard_sheet(reps, regions, families, L, months_names, note: str | None = None) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(L["dashboard"], tab_color="1F4E78")
    sheet.title(L["title"])
    if note:
        sheet.set(3, 1, note, style="note")
    sheet.put("A2", formula=f'="{L["year_col"]} N = "&AnneeN&"  ·  N−1 = "&(AnneeN-1)', style="subtitle")
    rep_rows, nxt = _kpi_block(sheet, 4, L["by_rep"], L["rep"], reps, "rep", "rep", L)
    region_rows, nxt = _kpi_block(sheet, nxt, L["by_region"], L["region"], regions, "region", "region", L)
    family_rows, nxt = _kpi_block(sheet, nxt, L["by_family"], L["family"], families, "family", "family", L)
    # monthly block
    top = nxt
    sheet.set(top, 1, L["by_month"], style="label")
    sheet.row(top + 1, 1, [L["month"], L["revenue"], L["target"], L["revenue_prev"], L["variance"], L["attainment"],
                           L["growth"], L["cum_revenue"], L["cum_target"]], style="header")
    sheet.heights[top + 1] = 30
    month_rows = {}
    first = top + 2
    for m in range(1, 13):
        r = first + m - 1
        month_rows[m] = r
        sheet.row(r, 1, [
            months_names[m - 1],
            Formula(SalesTable.sum("revenue", month=str(m), year="AnneeN")),
            Formula(sumifs(TARGETS_TABLE, TARGET_HEADERS["target"], [(TARGET_HEADERS["month"], str(m)),
                                                                      (TARGET_HEADERS["year"], "AnneeN"),
                                                                      (TARGET_HEADERS["rep"], '"<>"')])),
            Formula(SalesTable.sum("revenue", month=str(m), year="AnneeN-1")),
            Formula(f"B{r}-C{r}"),
            Formula(safe_ratio(f"B{r}", f"C{r}")),
            Formula(safe_ratio(f"B{r}-D{r}", f"D{r}")),
            Formula(f"SUM(B${first}:B{r})"),
            Formula(f"SUM(C${first}:C{r})"),
        ], style=["text", "eur", "eur", "eur", "eur", "pct", "pct", "eur", "eur"])
    last = first + 11
    _attainment_formats(sheet, f"F{first}:F{last}")
    _attainment_formats(sheet, f"G{first}:G{last}", growth=True)
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "line", L["chart_month"], "L4",
        [ChartSeries(f"{q}!$B${first}:$B${last}", L["revenue"], categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!$C${first}:$C${last}", L["target"]),
         ChartSeries(f"{q}!$D${first}:$D${last}", L["revenue_prev"])],
        y_format='#,##0 "€"', width_cm=18, height_cm=9))
    f_first, f_last = min(family_rows[f] for f in families), max(family_rows[f] for f in families)
    sheet.charts.append(ChartSpec(
        "bar", L["chart_family"], "L24",
        [ChartSeries(f"{q}!$B${f_first}:$B${f_last}", L["revenue"], categories=f"{q}!$A${f_first}:$A${f_last}")],
        y_format='#,##0 "€"', width_cm=18, height_cm=9))
    sheet.widths.update({"A": 24, **{col(c): 14 for c in range(2, 11)}})
    sheet.freeze = "B4"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="1:2", header=L["title"])
    return sheet, {"rep": rep_rows, "region": region_rows, "family": family_rows, "month": month_rows}


def _abc_sheet(customers: list[str], names: dict[str, str], L: dict) -> tuple[SheetPlan, int]:
    sheet = SheetPlan(L["abc"], tab_color="1F4E78")
    sheet.title(L["abc"] + " — " + L["pareto"], L["abc_note"])
    n = len(customers)
    # summary
    sheet.row(4, 1, [L["class"], L["count"], "% " + L["count"].lower(), L["revenue"], L["share"]], style="header")
    first = 12
    last = first + n - 1
    rng = lambda c: f"${c}${first}:${c}${last}"  # noqa: E731
    for i, cls in enumerate("ABC"):
        r = 5 + i
        sheet.row(r, 1, [cls, Formula(f'COUNTIF({rng("N")},"{cls}")'), Formula(f"B{r}/{n}"),
                         Formula(f'SUMIF({rng("N")},"{cls}",{rng("I")})'), Formula(safe_ratio(f"D{r}", "$D$8"))],
                  style=["text", "int", "pct", "eur", "pct"])
    sheet.row(8, 1, [L["total"], Formula("SUM(B5:B7)"), Formula("SUM(C5:C7)"), Formula("SUM(D5:D7)"),
                     Formula(safe_ratio("D8", "$D$8"))], style=["total_text", "total_int", "total_pct", "total_eur", "total_pct"])
    headers = [L["customer"], L["customer_name"], L["revenue"], L["rank"], None, L["rank"], L["customer"],
               L["customer_name"], L["revenue"], L["share"], L["cum"], L["cum_share"], L["cum_customers"], L["class"]]
    for j, h in enumerate(headers, start=1):
        if h:
            sheet.set(first - 1, j, h, style="header")
    total = f"SUM({rng('C')})"
    for i, customer in enumerate(customers):
        r = first + i
        k = i + 1
        sheet.row(r, 1, [
            customer, names.get(customer, ""),
            Formula(SalesTable.sum("revenue", customer=_criterion(f"$A{r}", customer), year="AnneeN")),
            Formula(f"RANK(C{r},{rng('C')},0)+COUNTIF($C${first}:C{r},C{r})-1"),
        ], style=["text", "text", "eur", "int"])
        sheet.row(r, 6, [
            k,
            Formula(f"INDEX({rng('A')},MATCH(F{r},{rng('D')},0))"),
            Formula(f"INDEX({rng('B')},MATCH(F{r},{rng('D')},0))"),
            Formula(f"INDEX({rng('C')},MATCH(F{r},{rng('D')},0))"),
            Formula(safe_ratio(f"I{r}", total)),
            Formula(f"SUM($I${first}:I{r})"),
            Formula(safe_ratio(f"K{r}", total)),
            Formula(f"F{r}/{n}"),
            Formula(f'IF(F{r}=1,"A",IF(L{r}<=SeuilA,"A",IF(L{r}<=SeuilB,"B","C")))'),
        ], style=["int", "text", "text", "eur", "pct", "eur", "pct", "pct", "text"])
    sheet.conditional_formats.append(ConditionalFormat(f"N{first}:N{last}", "cell_is", "equal", ['"A"'], look="good"))
    sheet.conditional_formats.append(ConditionalFormat(f"N{first}:N{last}", "cell_is", "equal", ['"B"'], look="neutral"))
    sheet.conditional_formats.append(ConditionalFormat(f"N{first}:N{last}", "cell_is", "equal", ['"C"'], look="bad"))
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "column", L["pareto"], "P4",
        [ChartSeries(f"{q}!$I${first}:$I${last}", L["revenue"], categories=f"{q}!$G${first}:$G${last}"),
         ChartSeries(f"{q}!$L${first}:$L${last}", L["cum_share"], secondary=True)],
        y_format='#,##0 "€"', y2_format="0%", width_cm=22, height_cm=10))
    sheet.widths.update({"A": 11, "B": 28, "C": 14, "D": 7, "E": 3, "F": 7, "G": 11, "H": 28, "I": 14, "J": 10,
                         "K": 14, "L": 12, "M": 12, "N": 8})
    sheet.heights[first - 1] = 30
    sheet.freeze = f"A{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{first - 1}:{first - 1}", header=L["pareto"])
    return sheet, first


def _trend_sheet(months: list[tuple[int, int]], L: dict, months_names) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(L["trend"], tab_color="1F4E78")
    sheet.title(L["trend"], L["trend_note"])
    n = len(months)
    first = 12
    last = first + n - 1
    sheet.row(first - 1, 1, [L["x"], L["year_col"], L["month"], "CA HT", L["trend_col"], L["ratio"], L["forecast"]],
              style="header")
    params = {"a": "$J$4", "b": "$J$5", "r": "$J$6"}
    sheet.set(4, 9, L["slope"], style="label")
    sheet.set(4, 10, formula=f"SLOPE($D${first}:$D${last},$A${first}:$A${last})", style="dec")
    sheet.set(5, 9, L["intercept"], style="label")
    sheet.set(5, 10, formula=f"INTERCEPT($D${first}:$D${last},$A${first}:$A${last})", style="dec")
    sheet.set(6, 9, L["correl"], style="label")
    sheet.set(6, 10, formula=f"CORREL($A${first}:$A${last},$D${first}:$D${last})", style="dec4")
    for i, (year, month) in enumerate(months):
        r = first + i
        sheet.row(r, 1, [
            i + 1, year, month,
            Formula(SalesTable.sum("revenue", year=f"$B{r}", month=f"$C{r}")),
            Formula(f"{params['a']}*A{r}+{params['b']}"),
            Formula(safe_ratio(f"D{r}", f"E{r}")),
            None,
        ], style=["int", "int", "int", "eur", "eur", "dec4", "eur"])
    # seasonal coefficients by calendar month
    coef_top = 9
    sheet.set(coef_top, 9, L["month"], style="header")
    sheet.set(coef_top, 10, L["coef_raw"], style="header")
    sheet.set(coef_top, 11, L["coef"], style="header")
    coef_first = coef_top + 1
    coef_last = coef_first + 11
    for m in range(1, 13):
        r = coef_first + m - 1
        sheet.row(r, 9, [m, Formula(f"AVERAGEIF($C${first}:$C${last},I{r},$F${first}:$F${last})"),
                         Formula(f"J{r}/AVERAGE($J${coef_first}:$J${coef_last})")], style=["int", "dec4", "dec4"])
    # 12-month forecast appended below the history
    forecast_first = last + 1
    last_year, last_month = months[-1]
    for h in range(12):
        r = forecast_first + h
        month = (last_month + h) % 12 + 1
        year = last_year + (last_month + h) // 12
        sheet.row(r, 1, [
            n + h + 1, year, month, None,
            Formula(f"{params['a']}*A{r}+{params['b']}"),
            None,
            Formula(f"E{r}*INDEX($K${coef_first}:$K${coef_last},C{r})"),
        ], style=["int", "int", "int", "eur", "eur", "dec4", "eur"])
    q = quote_sheet(sheet.name)
    end = forecast_first + 11
    sheet.charts.append(ChartSpec(
        "line", L["chart_trend"], "M4",
        [ChartSeries(f"{q}!$D${first}:$D${end}", "CA HT", categories=f"{q}!$A${first}:$A${end}"),
         ChartSeries(f"{q}!$E${first}:$E${end}", L["trend_col"]),
         ChartSeries(f"{q}!$G${first}:$G${end}", L["forecast"])],
        x_title=L["x"], y_format='#,##0 "€"', width_cm=22, height_cm=10))
    sheet.widths.update({"A": 8, "B": 8, "C": 7, "D": 14, "E": 14, "F": 12, "G": 14, "H": 3, "I": 28, "J": 16, "K": 16})
    sheet.heights[first - 1] = 30
    sheet.heights[coef_top] = 30
    sheet.freeze = f"A{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{first - 1}:{first - 1}")
    return sheet, {"first": first, "forecast_first": forecast_first, "coef_first": coef_first,
                   "params": {"a": "J4", "b": "J5", "r": "J6"}}


def _concentration_sheet(customers: list[str], L: dict) -> tuple[SheetPlan, int, str]:
    sheet = SheetPlan(L["concentration"], tab_color="1F4E78")
    sheet.title(L["concentration"], L["gini_note"])
    n = len(customers)
    first = 9  # row of the (0, 0) point in the sorted block
    data_first = first + 1
    data_last = data_first + n - 1
    sheet.set(4, 1, L["gini"], style="label")
    sheet.set(4, 2, formula=f"1-SUM($J${data_first}:$J${data_last})", style="pct2")
    sheet.row(first - 1, 1, [L["customer"], L["revenue"], L["rank"], None, L["rank"], L["revenue"],
                             L["x_share"], L["cum"], L["y_share"], L["trapeze"]], style="header")
    sheet.set(first - 1, 4, None)
    sheet.row(first, 5, [0, None, 0, 0, 0, None], style=["int", "eur", "pct", "eur", "pct", "dec4"])
    rng = lambda c: f"${c}${data_first}:${c}${data_last}"  # noqa: E731
    for i, customer in enumerate(customers):
        r = data_first + i
        sheet.row(r, 1, [customer, Formula(SalesTable.sum("revenue", customer=_criterion(f"$A{r}", customer), year="AnneeN")),
                         Formula(f"RANK(B{r},{rng('B')},1)+COUNTIF($B${data_first}:B{r},B{r})-1")],
                  style=["text", "eur", "int"])
        sheet.row(r, 5, [
            i + 1,
            Formula(f"INDEX({rng('B')},MATCH(E{r},{rng('C')},0))"),
            Formula(f"E{r}/{n}"),
            Formula(f"SUM($F${data_first}:F{r})"),
            Formula(safe_ratio(f"H{r}", f"SUM({rng('B')})")),
            Formula(f"(G{r}-G{r - 1})*(I{r}+I{r - 1})"),
        ], style=["int", "eur", "pct", "eur", "pct", "dec4"])
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "scatter", L["lorenz"], "L4",
        [ChartSeries(f"{q}!$I${first}:$I${data_last}", L["lorenz"], categories=f"{q}!$G${first}:$G${data_last}"),
         ChartSeries(f"{q}!$G${first}:$G${data_last}", L["equality"], categories=f"{q}!$G${first}:$G${data_last}")],
        x_title=L["x_share"], y_title=L["y_share"], y_format="0%", width_cm=14, height_cm=12))
    sheet.widths.update({"A": 16, "B": 14, "C": 7, "D": 3, "E": 7, "F": 14, "G": 14, "H": 14, "I": 14, "J": 16})
    sheet.heights[first - 1] = 30
    sheet.freeze = f"A{first}"
    return sheet, data_first, "B4"


def build_dashboard(sales: pd.DataFrame, targets: pd.DataFrame | None = None, *, year: int | None = None,
                    lang: str = "fr", data_block: bool = False) -> tuple[BookPlan, DashboardLayout]:
    """Plan the dashboard workbook for ``sales`` (canonical columns of :mod:`xlsales.io`).

    Parameters
    ----------
    sales : DataFrame
        Sales lines: date, customer, rep, product, quantity, unit_price, and optionally
        customer_name, region, channel, family, unit_cost, discount, paid, invoice. Or the totals
        of a file too large for a sheet (:func:`xlsales.bigdata.aggregate_sales`: year, month,
        lines, …): the ``Ventes`` sheet then holds the totals, and a note says so.
    targets : DataFrame, optional
        Targets: rep, period ("2026-03") or year + month, target (revenue).
    year : int, optional
        Year analysed (N); default: the last year present in the sales.
    lang : {"fr", "en"}
        Language of labels and sheet names (table headers stay French).
    data_block : bool
        Plan the sales lines as one :class:`~xlsales.sheets.plan.DataBlock` (arrays, no cell
        objects) for the XlsxWriter renderer: large files. Other renderers need
        ``plan.expand_blocks()`` first.
    """
    if lang not in LABELS:
        raise ValueError(f"langue inconnue : {lang!r} (fr ou en)")
    L = LABELS[lang]
    months_names = MONTHS_FR if lang == "fr" else MONTHS_EN
    sales = sales.copy()
    # totals of a file beyond Excel's row limit (xlsales.bigdata.aggregate_sales): one row per key
    aggregated = "date" not in sales.columns and {"year", "month", "lines"} <= set(sales.columns)
    if aggregated:
        sales["date"] = pd.to_datetime(pd.DataFrame({"year": sales["year"], "month": sales["month"], "day": 1}))
    else:
        sales["date"] = pd.to_datetime(sales["date"])
    for optional, default in (("region", ""), ("family", ""), ("customer_name", ""), ("discount", 0.0), ("unit_cost", 0.0)):
        if optional not in sales.columns:
            sales[optional] = default
    year = int(year or sales["date"].dt.year.max())
    reps = sorted(sales["rep"].astype(str).unique())
    regions = sorted(r for r in sales["region"].astype(str).unique() if r)
    families = sorted(f for f in sales["family"].astype(str).unique() if f)
    customers = sorted(sales["customer"].astype(str).unique())
    names = sales.drop_duplicates("customer").set_index(sales.drop_duplicates("customer")["customer"].astype(str))["customer_name"].astype(str).to_dict()
    periods = sales["date"].dt.to_period("M")
    months = [(p.year, p.month) for p in pd.period_range(periods.min(), periods.max(), freq="M")]
    targets_frame = _targets_frame(targets, sales)

    book = BookPlan(title=L["title"])
    params, names_map = _params_sheet(year, L)
    book.names.update(names_map)
    note = None
    if aggregated:
        lines = f"{int(sales.attrs.get('lines', sales['lines'].sum())):,}".replace(",", "\u202f")
        note = L["aggregated_note"].format(lines=lines, source=sales.attrs.get("source", "?"))
    dashboard, rows = _dashboard_sheet(reps, regions or [""], families or [""], L, months_names, note)
    abc, abc_first = _abc_sheet(customers, names, L)
    trend, trend_info = _trend_sheet(months, L, months_names)
    concentration, lorenz_first, gini_cell = _concentration_sheet(customers, L)
    book.add(dashboard)
    book.add(abc)
    book.add(trend)
    book.add(concentration)
    book.add(params)
    book.add(_aggregates_sheet(sales, L, data_block) if aggregated else _sales_sheet(sales, L, data_block))
    book.add(_targets_sheet(targets_frame, L))
    book.active = dashboard.name
    layout = DashboardLayout(
        year=year, reps=reps, regions=regions, families=families, customers=customers, months=months,
        rep_rows=rows["rep"], region_rows=rows["region"], family_rows=rows["family"], month_rows=rows["month"],
        abc_first_row=abc_first, trend_first_row=trend_info["first"], forecast_first_row=trend_info["forecast_first"],
        coef_first_row=trend_info["coef_first"], trend_params=trend_info["params"], lorenz_first_row=lorenz_first,
        gini_cell=gini_cell,
    )
    return book, layout


def plan_for_company(company, lang: str = "fr") -> BookPlan:
    """The dashboard of the sample company (ready-made workbook, template)."""
    return build_dashboard(company.sales, company.targets, lang=lang)[0]


def _targets_rows_with_period(rows: list[list]) -> list[list]:
    """The « Objectifs » sheet keeps year and month in two columns (for SUMIFS); the targets reader
    expects one period ("2025-03" or "2025"): merge them."""
    if not rows:
        return rows
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    if TARGET_HEADERS["year"] not in header or TARGET_HEADERS["month"] not in header:
        return rows
    y, m = header.index(TARGET_HEADERS["year"]), header.index(TARGET_HEADERS["month"])
    keep = [j for j in range(len(header)) if j not in (y, m)]
    merged = [[header[j] for j in keep] + ["Période"]]
    for row in rows[1:]:
        row = list(row) + [None] * (len(header) - len(row))
        year, month = row[y], row[m]
        if isinstance(year, float) and year.is_integer():
            year = int(year)
        if isinstance(month, float) and month.is_integer():
            month = int(month)
        period = None if year in (None, "") else (f"{year}-{int(month):02d}" if month not in (None, "", 0) else f"{year}")
        merged.append([row[j] for j in keep] + [period])
    return merged


def _totals_from_rows(rows: list[list], source: str, L: dict) -> pd.DataFrame:
    """The « Ventes » sheet of a dashboard built on totals, read back as :func:`xlsales.bigdata.aggregate_sales`
    returns it (the number of lines and the source file come from the sheet and its note)."""
    from .. import io as xio

    totals = xio.read_rows(rows, xio.SALES_TOTALS, source=source, sheet=L["sales"])
    for field in ("quantity", "cost"):
        totals[field] = totals[field].fillna(0.0)
    totals["margin"] = totals["margin"].fillna(totals["revenue"] - totals["cost"])
    totals = totals[AGGREGATE_FIELDS].astype({"year": "int64", "month": "int64", "lines": "int64"})
    note = next((v for v in rows[0] if isinstance(v, str) and "«" in v and "»" in v), "")
    origin = re.search(r"«\s*(.+?)\s*»", note)
    totals.attrs.update(source=origin.group(1) if origin else source, lines=int(totals["lines"].sum()),
                        aggregated=True)
    return totals


def refresh(book) -> list[str]:
    """Rebuild the generated sheets of an open dashboard workbook from its « Ventes » and « Objectifs » sheets."""
    from .. import io as xio
    from .live import read_input, refresh_outputs, sheet_rows

    L = LABELS["fr"]
    names = [s.name for s in book.sheets]
    rows = sheet_rows(book, L["sales"]) if L["sales"] in names else []
    if rows and L["lines"] in rows[0] and SalesTable.header("date") not in rows[0]:
        sales = _totals_from_rows(rows, book.name, L)  # a dashboard built on totals (> 1 048 575 lines)
    else:
        sales = read_input(book, L["sales"], xio.SALES)
    targets = None
    if L["targets"] in names:
        targets = xio.read_rows(_targets_rows_with_period(sheet_rows(book, L["targets"])), xio.TARGETS,
                                source=book.name, sheet=L["targets"])
    year = None
    if L["params"] in names:
        value = book.sheets[L["params"]]["B3"].value
        year = int(value) if isinstance(value, (int, float)) and value else None
    plan, _ = build_dashboard(sales, targets, year=year)
    return refresh_outputs(book, plan)
