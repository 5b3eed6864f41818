"""Parcours client et tournées: opportunities and customer locations → a workbook of live formulas.

Sheets
------
* « Entonnoir » (output): per channel, leads, orders, conversion, revenue ordered, acquisition
  spending (yellow cells, typed in) → cost per lead and per acquisition (CPA), median sales cycle
  and satisfaction; then per channel × stage (piste → contact → rendez-vous → devis →
  commande) the count of opportunities that reached the stage (``COUNTIFS``), step and overall
  conversion and drop-off — :func:`xlsales.core.funnel` — and the median days since the previous
  stage; the lost reasons per stage; charts.
* « Carte d'expérience » (input): stages × touchpoints grid of satisfaction marks 1–5 (colour
  scale), and per stage the pain points, improvement actions, owner, indicator (its current value
  computed from the opportunities) and objective.
* « Tournée » (output): start point, speed, road factor and working time per day (typed in), the
  customers to visit (typed in), their optimised visiting order (:func:`xlsales.core.tour`,
  written as values — TOUR is not an Excel function), the legs by the haversine formula written
  with RADIANS/SIN/COS/ASIN/SQRT, driving and visit times, the split into days that leave from
  and return to the start, a summary per day, a chart and a map of the route (a picture).
* « Opportunités » (input): the opportunities as the Excel Table ``Opportunites``.

Medians are computed by ``AGGREGATE(16, 6, delays / conditions, 0.5)`` (PERCENTILE.INC at 50 %,
errors ignored): an ordinary formula in Excel 2010+ and LibreOffice, no array entry. The rules are
those of :mod:`xlsales.core.journey_plan` (the tests compare every computed cell with it).

Lines added to the ``Opportunites`` table flow into every figure; a new channel gets its rows when
the workbook is rebuilt (button or CLI). Changing the customers to visit or the start point needs a
rebuild for the visiting order; distances, times and days follow the inputs at once.
"""

from __future__ import annotations

import io as _io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import io as xio
from ..core import journey_plan as core
from ..core.journey_plan import ALL_CHANNELS, STAGES
from ..sheets.formulas import column, safe_ratio
from ..sheets.plan import (
    BookPlan,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    Formula,
    Image,
    PrintSetup,
    SheetPlan,
    TableSpec,
    Validation,
    col,
    quote_sheet,
)

__all__ = [
    "DAY_COLUMNS",
    "EXPERIENCE_STAGES",
    "FUNNEL_COLUMNS",
    "OPP_HEADERS",
    "OPP_TABLE",
    "ORDER_COLUMNS",
    "SHEETS",
    "STAGE_LABELS",
    "SUMMARY_COLUMNS",
    "TOUCHPOINTS",
    "TOUR_PARAMS",
    "JourneyLayout",
    "build_journey",
    "plan_for_company",
    "plan_from_files",
    "refresh",
    "select_visits",
    "tour_map_png",
]

SHEETS = {"funnel": "Entonnoir", "experience": "Carte d'expérience", "tour": "Tournée", "opportunities": "Opportunités"}
OPP_TABLE = "Opportunites"
#: canonical column → header of the « Opportunités » table (the readers' French headers)
OPP_HEADERS = {c.name: c.label for c in xio.OPPORTUNITIES.columns}
#: canonical stage → the word typed in the table (the readers' first French spelling)
STAGE_LABELS = {s: xio.STAGES[s][0] for s in STAGES}
STAGE_TITLES = {s: STAGE_LABELS[s][:1].upper() + STAGE_LABELS[s][1:] for s in STAGES}
DATE_HEADERS = {s: OPP_HEADERS["date_" + s] for s in STAGES}

#: « Entonnoir », summary per channel: key → (header, style)
SUMMARY_COLUMNS: dict[str, tuple[str, str]] = {
    "channel": ("Canal", "text"),
    "leads": ("Pistes", "int"),
    "orders": ("Commandes", "int"),
    "conversion": ("Taux de transformation (commandes / pistes)", "pct"),
    "revenue": ("CA HT commandé", "eur"),
    "average_order": ("Panier moyen (CA / commandes)", "eur"),
    "spend": ("Dépenses d'acquisition (à saisir)", "input_eur"),
    "cost_per_lead": ("Coût par piste", "eur"),
    "cost_per_acquisition": ("Coût par acquisition (CPA)", "eur"),
    "spend_to_revenue": ("Dépenses / CA commandé", "pct"),
    "cycle_days": ("Délai médian piste → commande (jours)", "dec"),
    "satisfaction": ("Satisfaction moyenne (/10)", "dec"),
    "answers": ("Réponses à l'enquête", "int"),
}
#: « Entonnoir », channel × stage block: key → (header, style)
FUNNEL_COLUMNS: dict[str, tuple[str, str]] = {
    "group": ("Canal", "text"),
    "stage": ("Étape", "text"),
    "count": ("Effectif (ont atteint l'étape)", "int"),
    "step": ("Conversion étape", "pct"),
    "overall": ("Conversion globale", "pct"),
    "drop_off": ("Déperdition", "pct"),
    "median_days": ("Délai médian depuis l'étape précédente (jours)", "dec"),
    "at_stage": ("Arrêtées à cette étape", "int"),
}

#: « Tournée » parameters: key → (row, label, style, default)
TOUR_PARAMS: dict[str, tuple[int, str, str, Any]] = {
    "start": (5, "Point de départ (adresse)", "input_text", None),
    "start_latitude": (6, "Latitude du départ", "input_dec4", None),
    "start_longitude": (7, "Longitude du départ", "input_dec4", None),
    "speed_kmh": (8, "Vitesse moyenne sur route (km/h)", "input_dec", 60.0),
    "road_factor": (9, "Coefficient distance routière / vol d'oiseau", "input_dec", 1.3),
    "day_minutes": (10, "Temps de travail par jour, trajets et visites (min)", "input_int", 480),
}
_MINUTES_PER_KM_ROW = 11
#: « Tournée » results: key → (row, label, style)
TOUR_RESULTS: dict[str, tuple[int, str, str]] = {
    "visits": (14, "Clients visités", "int"),
    "days": (15, "Jours de tournée", "int"),
    "km": (16, "Distance à vol d'oiseau (km)", "dec"),
    "road_km": (17, "Distance routière estimée (km)", "dec"),
    "travel_minutes": (18, "Temps de trajet (min)", "dec"),
    "visit_minutes": (19, "Temps de visite (min)", "dec"),
    "total_minutes": (20, "Temps total (min)", "dec"),
    "circuit_km": (21, "Circuit unique optimisé, retour compris (km à vol d'oiseau)", "dec"),
}
#: « Tournée », visiting order: key → (header, style), columns A, B, …
ORDER_COLUMNS: dict[str, tuple[str, str]] = {
    "customer": ("Client", "text"),
    "address": ("Adresse", "text"),
    "rank": ("N° de passage", "int"),
    "day": ("Jour", "int"),
    "latitude": ("Latitude", "dec4"),
    "longitude": ("Longitude", "dec4"),
    "visit": ("Durée de visite (min)", "int"),
    "leg_km": ("Depuis l'arrêt précédent (km)", "dec"),
    "start_km": ("Depuis le départ (km)", "dec"),
    "travel_km": ("Trajet effectué (km)", "dec"),
    "travel_minutes": ("Temps de trajet (min)", "dec"),
    "end_minutes": ("Fin de visite (min depuis le départ du jour)", "dec"),
    "return_km": ("Retour au départ (km)", "dec"),
    "day_end_minutes": ("Retour au départ (min depuis le départ du jour)", "dec"),
}
#: « Tournée », summary per day (from column D): key → (header, style)
DAY_COLUMNS: dict[str, tuple[str, str]] = {
    "day": ("Jour", "int"),
    "visits": ("Visites", "int"),
    "km": ("Distance à vol d'oiseau (km)", "dec"),
    "road_km": ("Distance routière estimée (km)", "dec"),
    "travel_minutes": ("Temps de trajet (min)", "dec"),
    "visit_minutes": ("Temps de visite (min)", "dec"),
    "total_minutes": ("Temps total (min)", "dec"),
    "over": ("Dépassement", "text"),
}
_DAY_FIRST_COL = 4  # D
#: the customers typed in « Tournée » (readers' French headers of the locations)
VISIT_HEADERS = {c.name: c.label for c in xio.LOCATIONS.columns}
_VISIT_STYLES = {"customer": "input_text", "address": "input_text", "latitude": "input_dec4", "longitude": "input_dec4",
                 "visit_minutes": "input_int", "priority": "input_int"}
#: empty rows left below the customers to visit, to add some
SPARE_VISIT_ROWS = 20
DEFAULT_VISIT_MINUTES = 45.0

#: « Carte d'expérience »: stage → (funnel stage or None, indicator, value kind)
EXPERIENCE_STAGES: dict[str, tuple[str | None, str, str]] = {
    "Piste (découverte)": ("lead", "Nombre de pistes", "count"),
    "Contact": ("contact", "Taux de contact (contacts / pistes)", "step"),
    "Rendez-vous": ("meeting", "Taux de prise de rendez-vous (rendez-vous / contacts)", "step"),
    "Devis": ("quote", "Taux de devis (devis / rendez-vous)", "step"),
    "Commande": ("order", "Taux de transformation des devis (commandes / devis)", "step"),
    "Livraison et mise en service": (None, "Satisfaction moyenne des clients (enquête, /10)", "satisfaction"),
    "Suivi et fidélisation": (None, "Part des clients satisfaits (note ≥ 8/10)", "satisfied"),
}
TOUCHPOINTS = ("Site web", "E-mail", "Téléphone", "Salon", "Visite terrain", "Devis / ADV", "Livraison / SAV")
EXPERIENCE_PLAN = {"pain": ("Irritants (points de douleur)", 34), "actions": ("Actions d'amélioration", 34),
                   "owner": ("Responsable", 16), "indicator": ("Indicateur de suivi", 30),
                   "value": ("Valeur actuelle", 12), "objective": ("Objectif", 12)}

_TOTAL_STYLES = {"text": "total_text", "int": "total_int", "pct": "total_pct", "eur": "total_eur",
                 "input_eur": "total_eur"}
_MEDIAN_NOTE = ("Délais médians calculés par AGREGAT(16 ; 6 ; délais / conditions ; 0,5) — le centile 50 % des "
                "opportunités du canal dont les deux dates sont connues (formule ordinaire, sans validation matricielle).")


@dataclass
class JourneyLayout:
    """Where things are in the workbook (tests, reading the workbook back)."""

    channels: list[str]
    opportunities: pd.DataFrame  # as written in the « Opportunités » table
    spend: dict[str, float]
    #: « Entonnoir »
    summary_rows: dict[str, int]  # channel (and ALL_CHANNELS) → row
    summary_cols: dict[str, int]
    funnel_rows: dict[tuple[str, str], int]  # (channel or ALL_CHANNELS, stage) → row
    funnel_cols: dict[str, int]
    reasons: list[str]
    reason_rows: dict[str, int]
    reason_cols: dict[str, int]  # stage → column, "total", "share"
    reason_total_row: int | None
    #: « Carte d'expérience »
    experience_rows: dict[str, int]
    touchpoint_cols: dict[str, int]
    experience_cols: dict[str, int]  # "average" and the EXPERIENCE_PLAN keys
    experience_average_row: int
    #: « Tournée »
    tour_params: dict[str, Any]
    param_cells: dict[str, str]
    result_cells: dict[str, str]
    visits: pd.DataFrame  # the customers to visit, as typed
    visit_header_row: int
    visit_capacity: int
    order: list[str]  # customers in visiting order
    order_first_row: int
    order_cols: dict[str, int]
    day_first_row: int
    day_rows: int
    day_cols: dict[str, int]
    tour: core.TourPlan | None
    has_map: bool


# ------------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------------

def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _opportunities_frame(opportunities: pd.DataFrame, year: int | None) -> pd.DataFrame:
    o = opportunities.reset_index(drop=True).copy()
    for name in OPP_HEADERS:
        if name not in o.columns:
            o[name] = None
    for s in STAGES:
        o["date_" + s] = pd.to_datetime(o["date_" + s], errors="coerce")
    if year is not None:
        o = o[o["date_lead"].dt.year == int(year)].reset_index(drop=True)
        if o.empty:
            raise ValueError(f"aucune opportunité dont la date de piste tombe en {year}")
    o["stage"] = [str(s).strip().lower() for s in o["stage"]]
    unknown = sorted(set(o["stage"]) - set(STAGES))
    if unknown:
        raise ValueError(f"étape inconnue dans les opportunités : {', '.join(unknown)} (attendu : {', '.join(STAGES)})")
    for name in ("id", "customer", "channel", "rep", "lost_reason"):
        o[name] = pd.Series([_text(v) for v in o[name]], index=o.index, dtype=object)
    o["amount"] = pd.to_numeric(o["amount"], errors="coerce")
    o["satisfaction"] = pd.to_numeric(o["satisfaction"], errors="coerce")
    return o[list(OPP_HEADERS)]


def _visits_frame(visits: pd.DataFrame | None) -> pd.DataFrame:
    columns = list(VISIT_HEADERS)
    if visits is None or len(visits) == 0:
        return pd.DataFrame(columns=columns)
    v = visits.reset_index(drop=True).copy()
    for name in columns:
        if name not in v.columns:
            v[name] = None
    v["customer"] = pd.Series([_text(x) for x in v["customer"]], index=v.index, dtype=object)
    v = v[v["customer"].notna()]
    v = v.drop_duplicates("customer", keep="first").reset_index(drop=True)
    v["address"] = pd.Series([_text(x) for x in v["address"]], index=v.index, dtype=object)
    for name in ("latitude", "longitude", "visit_minutes", "priority"):
        v[name] = pd.to_numeric(v[name], errors="coerce")
    missing = v["latitude"].isna() | v["longitude"].isna()
    if missing.any():
        raise ValueError("coordonnées manquantes pour le(s) client(s) à visiter : "
                         + ", ".join(v.loc[missing, "customer"].astype(str)))
    v["visit_minutes"] = v["visit_minutes"].fillna(DEFAULT_VISIT_MINUTES)
    return v[columns]


def select_visits(locations: pd.DataFrame | None, *, sales: pd.DataFrame | None = None,
                  customers: pd.DataFrame | None = None, rep: str | None = None, region: str | None = None,
                  limit: int = 20, radius_km: float = 150.0) -> pd.DataFrame:
    """The customers to put in the default tour.

    Parameters
    ----------
    locations : DataFrame or None
        Customer locations (:func:`xlsales.io.read_locations`). None or empty: no customer.
    sales : DataFrame, optional
        Sales lines (rep, customer, region): with them the tour is one rep's customers of one
        region — ``rep`` (default: the rep with the most customers located, first in alphabetical
        order on a tie) and ``region`` (default: the rep's main region, from ``customers`` when
        it has a region per customer, else from the sales lines).
    customers : DataFrame, optional
        The customer file (customer, region), for the customers' regions.
    limit : int
        Without sales lines: at most this many customers, the nearest to the centre of the
        densest area (the location with the most others within ``radius_km``).

    Returns
    -------
    DataFrame
        Rows of ``locations`` (customer, address, latitude, longitude, visit_minutes, priority),
        in the order of ``locations``.
    """
    if locations is None or len(locations) == 0:
        return pd.DataFrame(columns=list(VISIT_HEADERS))
    loc = locations.reset_index(drop=True).copy()
    loc["customer"] = loc["customer"].astype(str)
    located = set(loc["customer"])
    if sales is not None and len(sales) and "rep" in sales.columns:
        s = sales.assign(customer=sales["customer"].astype(str), rep=sales["rep"].astype(str))
        s = s[s["customer"].isin(located)]
        if s.empty:
            return loc.iloc[0:0]
        if rep is None:
            per_rep = s.groupby("rep")["customer"].nunique()
            rep = min(per_rep.index, key=lambda r: (-per_rep[r], r))
        mine = s[s["rep"] == rep]
        region_of = None
        if customers is not None and "region" in customers.columns:
            region_of = customers.assign(customer=customers["customer"].astype(str)).set_index("customer")["region"]
        elif "region" in s.columns:
            region_of = mine.groupby("customer")["region"].agg(lambda x: x.mode().iat[0])
        wanted = set(mine["customer"])
        if region_of is not None:
            regions = region_of.reindex(sorted(wanted)).dropna().astype(str)
            if region is None and len(regions):
                counts = regions.value_counts()
                region = min(counts.index, key=lambda r: (-counts[r], r))
            if region is not None:
                wanted = set(regions[regions == region].index)
        return loc[loc["customer"].isin(wanted)].reset_index(drop=True)
    lat = loc["latitude"].to_numpy(dtype=float)
    lon = loc["longitude"].to_numpy(dtype=float)
    from ..core.journey import distance_matrix_km

    d = distance_matrix_km(lat, lon)
    seed = int(np.argmax((d <= radius_km).sum(axis=1)))
    near = np.argsort(d[seed], kind="stable")
    near = near[d[seed, near] <= radius_km][:limit]
    return loc.iloc[np.sort(near)].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# formulas
# ------------------------------------------------------------------------------------------------

def _opp(field_name: str) -> str:
    return column(OPP_TABLE, OPP_HEADERS[field_name])


def _median_formula(later: str, earlier: str, channel_cell: str | None) -> str:
    """Median days from ``earlier`` to ``later`` stage (opportunities with both dates), "" when none."""
    d1, d0 = _opp("date_" + later), _opp("date_" + earlier)
    conditions = f'({d1}<>"")*({d0}<>"")'
    if channel_cell:
        conditions = f"({_opp('channel')}={channel_cell})*" + conditions
    return f'IFERROR(_xlfn.AGGREGATE(16,6,({d1}-{d0})/({conditions}),0.5),"")'


def _reached_formula(k: int) -> str:
    """Opportunities whose stage reached is the k-th (0-based) or a later one (all channels)."""
    return "+".join(f'COUNTIF({_opp("stage")},"{STAGE_LABELS[s]}")' for s in STAGES[k:])


def _haversine(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """Great-circle km between two points, R = 6 371 km (as :func:`xlsales.core.distance_km`)."""
    return (f"2*6371*ASIN(MIN(1,SQRT(SIN(RADIANS({lat2}-{lat1})/2)^2"
            f"+COS(RADIANS({lat1}))*COS(RADIANS({lat2}))*SIN(RADIANS({lon2}-{lon1})/2)^2)))")


# ------------------------------------------------------------------------------------------------
# sheets
# ------------------------------------------------------------------------------------------------

def _opportunities_sheet(o: pd.DataFrame) -> SheetPlan:
    sheet = SheetPlan(SHEETS["opportunities"], role="input", protect=False, freeze="B2", tab_color="70AD47")
    headers = list(OPP_HEADERS.values())
    sheet.row(1, 1, headers, style="header")
    styles = {"amount": "data_eur", "satisfaction": "data_dec", **{"date_" + s: "data_date" for s in STAGES}}
    n = len(o)
    for i, rec in enumerate(o.itertuples(index=False), start=2):
        for j, name in enumerate(OPP_HEADERS, start=1):
            value = getattr(rec, name)
            if name == "stage":
                value = STAGE_LABELS[value]
            elif name.startswith("date_"):
                value = None if pd.isna(value) else value.date()
            elif isinstance(value, float) and np.isnan(value):
                value = None
            sheet.set(i, j, value, style=styles.get(name, "data_text"))
    sheet.tables.append(TableSpec(OPP_TABLE, f"A1:{col(len(headers))}{max(n, 1) + 1}"))
    letters = {name: col(j) for j, name in enumerate(OPP_HEADERS, start=1)}
    end = max(n, 1) + 500
    sheet.validations += [
        Validation(f"{letters['stage']}2:{letters['stage']}{end}", "list", None,
                   '"' + ",".join(STAGE_LABELS.values()) + '"',
                   prompt="Étape la plus avancée atteinte : piste, contact, rendez-vous, devis ou commande",
                   error="piste, contact, rendez-vous, devis ou commande."),
        Validation(f"{letters['date_lead']}2:{letters['date_order']}{end}", "date", "between", "1", "2958465",
                   prompt="Date à laquelle l'opportunité a atteint l'étape", error="Une date est attendue."),
        Validation(f"{letters['amount']}2:{letters['amount']}{end}", "decimal", "greaterThanOrEqual", "0",
                   prompt="Montant HT estimé ou commandé (€)", error="Un montant positif est attendu."),
        Validation(f"{letters['satisfaction']}2:{letters['satisfaction']}{end}", "decimal", "between", "0", "10",
                   prompt="Note de satisfaction de 0 à 10", error="Une note de 0 à 10 est attendue."),
    ]
    note_col = len(headers) + 2
    sheet.set(1, note_col, "Une ligne par opportunité ; « Étape atteinte » = l'étape la plus avancée (commande si gagnée). "
                           "Collez de nouvelles lignes sous le tableau : l'entonnoir se recalcule.", style="note")
    widths = {"id": 16, "customer": 34, "channel": 22, "rep": 18, "stage": 12, "amount": 13, "lost_reason": 22,
              "satisfaction": 11}
    for j, name in enumerate(OPP_HEADERS, start=1):
        sheet.widths[col(j)] = widths.get(name, 12)
    sheet.print_setup = PrintSetup(title_rows="1:1", header="Opportunités")
    return sheet


def _funnel_sheet(o: pd.DataFrame, channels: list[str], spend: dict[str, float]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["funnel"], tab_color="1F4E78")
    sheet.title("Entonnoir de conversion par canal",
                "Effectif d'une étape = opportunités qui l'ont atteinte (étape atteinte égale ou plus avancée) ; "
                "conversion étape = effectif / effectif de l'étape précédente ; déperdition = 1 − conversion étape.")
    sheet.set(3, 1, _MEDIAN_NOTE, style="note")
    groups = channels + [ALL_CHANNELS]
    # --- summary per channel ---------------------------------------------------------------------
    s_label, s_header = 4, 5
    s_first = s_header + 1
    scol = {key: j for j, key in enumerate(SUMMARY_COLUMNS, start=1)}
    L = {key: col(c) for key, c in scol.items()}
    sheet.set(s_label, 1, "Synthèse par canal", style="label")
    sheet.row(s_header, 1, [h for h, _ in SUMMARY_COLUMNS.values()], style="header")
    sheet.heights[s_header] = 60
    summary_rows = {g: s_first + i for i, g in enumerate(groups)}
    s_total = summary_rows[ALL_CHANNELS]
    # --- funnel per channel × stage ----------------------------------------------------------------
    f_label = s_total + 2
    f_header = f_label + 1
    f_first = f_header + 1
    fcol = {key: j for j, key in enumerate(FUNNEL_COLUMNS, start=1)}
    F = {key: col(c) for key, c in fcol.items()}
    funnel_rows = {}
    for i, g in enumerate(groups):
        for k, s in enumerate(STAGES):
            funnel_rows[(g, s)] = f_first + i * len(STAGES) + k
    f_last = f_first + len(groups) * len(STAGES) - 1

    for g in groups:
        r = summary_rows[g]
        total = g == ALL_CHANNELS
        first_row, order_row = funnel_rows[(g, "lead")], funnel_rows[(g, "order")]
        channel_cell = None if total else f"$A{r}"
        revenue = (f'SUMIFS({_opp("amount")},{_opp("stage")},"{STAGE_LABELS["order"]}")' if total else
                   f'SUMIFS({_opp("amount")},{_opp("channel")},$A{r},{_opp("stage")},"{STAGE_LABELS["order"]}")')
        if total:
            satisfaction = f'IFERROR(AVERAGE({_opp("satisfaction")}),"")'
            answers = f"COUNT({_opp('satisfaction')})"
            spend_cell: Any = Formula(f'IF(COUNT({L["spend"]}{s_first}:{L["spend"]}{s_total - 1})=0,"",'
                                      f'SUM({L["spend"]}{s_first}:{L["spend"]}{s_total - 1}))')
        else:
            satisfaction = f'IFERROR(AVERAGEIFS({_opp("satisfaction")},{_opp("channel")},$A{r}),"")'
            answers = f'COUNTIFS({_opp("channel")},$A{r},{_opp("satisfaction")},">=0")'
            value = spend.get(g)
            spend_cell = None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)
        values = {
            "channel": g,
            "leads": Formula(f"{F['count']}{first_row}"),
            "orders": Formula(f"{F['count']}{order_row}"),
            "conversion": Formula(safe_ratio(f"{L['orders']}{r}", f"{L['leads']}{r}")),
            "revenue": Formula(revenue),
            "average_order": Formula(safe_ratio(f"{L['revenue']}{r}", f"{L['orders']}{r}")),
            "spend": spend_cell,
            "cost_per_lead": Formula(f'IF(OR({L["spend"]}{r}="",{L["leads"]}{r}=0),"",{L["spend"]}{r}/{L["leads"]}{r})'),
            "cost_per_acquisition": Formula(
                f'IF(OR({L["spend"]}{r}="",{L["orders"]}{r}=0),"",{L["spend"]}{r}/{L["orders"]}{r})'),
            "spend_to_revenue": Formula(
                f'IF(OR({L["spend"]}{r}="",{L["revenue"]}{r}=0),"",{L["spend"]}{r}/{L["revenue"]}{r})'),
            "cycle_days": Formula(_median_formula("order", "lead", channel_cell)),
            "satisfaction": Formula(satisfaction),
            "answers": Formula(answers),
        }
        styles = [_TOTAL_STYLES.get(st, st) if total else st for _, st in SUMMARY_COLUMNS.values()]
        sheet.row(r, 1, list(values.values()), style=styles)
    # funnel rows
    sheet.set(f_label, 1, "Entonnoir par canal et par étape", style="label")
    sheet.row(f_header, 1, [h for h, _ in FUNNEL_COLUMNS.values()], style="header")
    sheet.heights[f_header] = 60
    for g in groups:
        total = g == ALL_CHANNELS
        first_row = funnel_rows[(g, "lead")]
        for k, s in enumerate(STAGES):
            r = funnel_rows[(g, s)]
            at_stage = (f"COUNTIFS({_opp('stage')},$B{r})" if total
                        else f"COUNTIFS({_opp('channel')},$A{r},{_opp('stage')},$B{r})")
            count = f"{F['at_stage']}{r}" + (f"+{F['count']}{r + 1}" if k < len(STAGES) - 1 else "")
            if k == 0:
                step = f'IF({F["count"]}{r}=0,"",1)'
                drop = f'IF({F["count"]}{r}=0,"",0)'
                median: Any = None
            else:
                step = safe_ratio(f"{F['count']}{r}", f"{F['count']}{r - 1}")
                drop = f'IF({F["count"]}{r - 1}=0,"",1-{F["step"]}{r})'
                median = Formula(_median_formula(s, STAGES[k - 1], None if total else f"$A{r}"))
            overall = safe_ratio(f"{F['count']}{r}", f"{F['count']}${first_row}")
            row_styles = [_TOTAL_STYLES.get(st, st) if total else st for _, st in FUNNEL_COLUMNS.values()]
            sheet.row(r, 1, [g, STAGE_TITLES[s], Formula(count), Formula(step), Formula(overall), Formula(drop),
                             median, Formula(at_stage)], style=row_styles)
    sheet.conditional_formats.append(ConditionalFormat(
        f"{F['drop_off']}{f_first}:{F['drop_off']}{f_last}", "cell_is", "greaterThanOrEqual", ["0.5"], look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{F['count']}{f_first}:{F['count']}{f_last}", "data_bar", colors=("638EC6",)))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{L['conversion']}{s_first}:{L['conversion']}{s_total - 1}", "color_scale"))
    # --- lost reasons ------------------------------------------------------------------------------
    reasons = [r for r in dict.fromkeys(x for x in o["lost_reason"] if x)]
    reason_rows, reason_cols, reason_total = {}, {}, None
    if reasons:
        r_label = f_last + 2
        r_header = r_label + 1
        sheet.set(r_label, 1, "Motifs de perte par étape atteinte (nombre d'opportunités)", style="label")
        headers = ["Motif de perte"] + [STAGE_TITLES[s] for s in STAGES] + ["Total", "Part"]
        sheet.row(r_header, 1, headers, style="header")
        reason_cols = {s: 2 + k for k, s in enumerate(STAGES)}
        reason_cols["total"] = 2 + len(STAGES)
        reason_cols["share"] = 3 + len(STAGES)
        first = r_header + 1
        reason_total = first + len(reasons)
        for i, reason in enumerate(reasons):
            r = first + i
            reason_rows[reason] = r
            cells: list[Any] = [reason]
            for s in STAGES:
                cells.append(Formula(f'COUNTIFS({_opp("lost_reason")},$A{r},{_opp("stage")},"{STAGE_LABELS[s]}")'))
            t = col(reason_cols["total"])
            cells.append(Formula(f"SUM(B{r}:{col(reason_cols[STAGES[-1]])}{r})"))
            cells.append(Formula(safe_ratio(f"{t}{r}", f"{t}${reason_total}")))
            sheet.row(r, 1, cells, style=["text"] + ["int"] * (len(STAGES) + 1) + ["pct"])
        totals: list[Any] = ["Total"]
        for c in range(2, reason_cols["total"] + 1):
            totals.append(Formula(f"SUM({col(c)}{first}:{col(c)}{reason_total - 1})"))
        totals.append(Formula(safe_ratio(f"{col(reason_cols['total'])}{reason_total}",
                                         f"{col(reason_cols['total'])}{reason_total}")))
        sheet.row(reason_total, 1, totals, style=["total_text"] + ["total_int"] * (len(STAGES) + 1) + ["total_pct"])
        sheet.conditional_formats.append(ConditionalFormat(
            f"{col(reason_cols['total'])}{first}:{col(reason_cols['total'])}{reason_total - 1}", "data_bar",
            colors=("F8696B",)))
    # --- charts ------------------------------------------------------------------------------------
    q = quote_sheet(sheet.name)
    t_first, t_last = funnel_rows[(ALL_CHANNELS, "lead")], funnel_rows[(ALL_CHANNELS, "order")]
    chart_col = col(len(SUMMARY_COLUMNS) + 2)
    sheet.charts.append(ChartSpec(
        "column", "Entonnoir, tous canaux (opportunités ayant atteint l'étape)", f"{chart_col}4",
        [ChartSeries(f"{q}!${F['count']}${t_first}:${F['count']}${t_last}", "Effectif",
                     categories=f"{q}!${F['stage']}${t_first}:${F['stage']}${t_last}")],
        y_format="#,##0", width_cm=16, height_cm=8))
    if channels:
        c_first, c_last = summary_rows[channels[0]], summary_rows[channels[-1]]
        sheet.charts.append(ChartSpec(
            "bar", "Taux de transformation par canal", f"{chart_col}21",
            [ChartSeries(f"{q}!${L['conversion']}${c_first}:${L['conversion']}${c_last}", "Commandes / pistes",
                         categories=f"{q}!$A${c_first}:$A${c_last}")],
            y_format="0%", width_cm=16, height_cm=8))
        sheet.charts.append(ChartSpec(
            "column", "Coût par acquisition par canal", f"{chart_col}38",
            [ChartSeries(f"{q}!${L['cost_per_acquisition']}${c_first}:${L['cost_per_acquisition']}${c_last}", "CPA",
                         categories=f"{q}!$A${c_first}:$A${c_last}")],
            y_format='#,##0 "€"', width_cm=16, height_cm=8))
    sheet.validations.append(Validation(
        f"{L['spend']}{s_first}:{L['spend']}{max(s_total - 1, s_first)}", "decimal", "greaterThanOrEqual", "0",
        prompt="Dépenses d'acquisition du canal sur la période (salons, publicité, prospection…), en € HT",
        error="Un montant positif est attendu."))
    sheet.widths.update({"A": 26, "B": 14, **{col(c): 14 for c in range(3, len(SUMMARY_COLUMNS) + 1)}})
    sheet.widths[col(len(SUMMARY_COLUMNS) + 1)] = 3
    sheet.freeze = f"B{s_first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="1:2", header="Entonnoir de conversion")
    return sheet, {"summary_rows": summary_rows, "summary_cols": scol, "funnel_rows": funnel_rows, "funnel_cols": fcol,
                   "reasons": reasons, "reason_rows": reason_rows, "reason_cols": reason_cols,
                   "reason_total": reason_total}


def _experience_sheet(o: pd.DataFrame, touchpoints: Sequence[str]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["experience"], role="input", tab_color="70AD47")
    sheet.title("Carte d'expérience client",
                "Notez la satisfaction de 1 (très insatisfait) à 5 (très satisfait) à chaque étape et point de contact "
                "(enquêtes, verbatims, observation) ; complétez le plan d'amélioration (cellules jaunes).")
    group, header = 4, 5
    first = header + 1
    tp_cols = {t: 2 + j for j, t in enumerate(touchpoints)}
    avg_col = 2 + len(touchpoints)
    plan_cols = {key: avg_col + 2 + j for j, key in enumerate(EXPERIENCE_PLAN)}
    stages = list(EXPERIENCE_STAGES)
    rows = {s: first + i for i, s in enumerate(stages)}
    last = first + len(stages) - 1
    avg_row = last + 1
    sheet.set(group, 2, "Satisfaction par point de contact (1 à 5)", style="label")
    sheet.set(group, plan_cols["pain"], "Plan d'amélioration", style="label")
    sheet.row(header, 1, ["Étape du parcours"] + list(touchpoints) + ["Moyenne de l'étape"], style="header")
    for key, (label, _) in EXPERIENCE_PLAN.items():
        sheet.set(header, plan_cols[key], label, style="header")
    sheet.heights[header] = 32
    last_tp = col(avg_col - 1)
    satisfaction = _opp("satisfaction")
    lost = o[o["lost_reason"].notna() & (o["stage"] != "order")]
    for stage in stages:
        r = rows[stage]
        funnel_stage, indicator, kind = EXPERIENCE_STAGES[stage]
        sheet.set(r, 1, stage, style="label")
        for c in tp_cols.values():
            sheet.set(r, c, None, style="input_int")
        sheet.set(r, avg_col, formula=f'IF(COUNT(B{r}:{last_tp}{r})=0,"",AVERAGE(B{r}:{last_tp}{r}))', style="dec")
        pain = None
        if funnel_stage is not None:
            here = lost[lost["stage"] == funnel_stage]["lost_reason"]
            if len(here):
                counts = here.value_counts()
                top = min(counts.index, key=lambda x: (-counts[x], x))
                pain = f"Principal motif de perte à cette étape : {top} ({counts[top]} sur {len(here)})"
        elif kind == "satisfaction":
            marks = o["satisfaction"].dropna()
            low = int((marks <= 5).sum())
            if low:
                pain = f"{low} client(s) sur {len(marks)} ont noté leur commande 5/10 ou moins"
        sheet.set(r, plan_cols["pain"], pain, style="input_wrap")
        sheet.set(r, plan_cols["actions"], None, style="input_wrap")
        sheet.set(r, plan_cols["owner"], None, style="input_text")
        sheet.set(r, plan_cols["indicator"], indicator, style="input_wrap")
        if kind == "count":
            value, vstyle, ostyle = _reached_formula(0), "int", "input_int"
        elif kind == "step":
            k = STAGES.index(funnel_stage)
            value = f'IF(({_reached_formula(k - 1)})=0,"",({_reached_formula(k)})/({_reached_formula(k - 1)}))'
            vstyle, ostyle = "pct", "input_pct"
        elif kind == "satisfaction":
            value, vstyle, ostyle = f'IFERROR(AVERAGE({satisfaction}),"")', "dec", "input_dec"
        else:
            value = f'IF(COUNT({satisfaction})=0,"",COUNTIF({satisfaction},">=8")/COUNT({satisfaction}))'
            vstyle, ostyle = "pct", "input_pct"
        sheet.set(r, plan_cols["value"], formula=value, style=vstyle)
        sheet.set(r, plan_cols["objective"], None, style=ostyle)
        sheet.heights[r] = 45
    sheet.set(avg_row, 1, "Moyenne du point de contact", style="total_text")
    for c in tp_cols.values():
        rng = f"{col(c)}{first}:{col(c)}{last}"
        sheet.set(avg_row, c, formula=f'IF(COUNT({rng})=0,"",AVERAGE({rng}))', style="dec")
    grid = f"B{first}:{last_tp}{last}"
    sheet.set(avg_row, avg_col, formula=f'IF(COUNT({grid})=0,"",AVERAGE({grid}))', style="dec")
    sheet.validations.append(Validation(grid, "whole", "between", "1", "5", prompt="Satisfaction de 1 à 5",
                                        error="Une note entière de 1 à 5 est attendue."))
    sheet.conditional_formats.append(ConditionalFormat(f"B{first}:{col(avg_col)}{avg_row}", "color_scale"))
    v, ob = col(plan_cols["value"]), col(plan_cols["objective"])
    sheet.conditional_formats.append(ConditionalFormat(
        f"{v}{first}:{v}{last}", "expression", formula=[f"AND(ISNUMBER(${v}{first}),ISNUMBER(${ob}{first}),${v}{first}<${ob}{first})"],
        look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{v}{first}:{v}{last}", "expression", formula=[f"AND(ISNUMBER(${v}{first}),ISNUMBER(${ob}{first}),${v}{first}>=${ob}{first})"],
        look="good"))
    sheet.widths.update({"A": 28, **{col(c): 12 for c in tp_cols.values()}, col(avg_col): 11, col(avg_col + 1): 2})
    for key, (_, width) in EXPERIENCE_PLAN.items():
        sheet.widths[col(plan_cols[key])] = width
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{group}:{header}", header="Carte d'expérience client")
    return sheet, {"rows": rows, "tp_cols": tp_cols, "cols": {"average": avg_col, **plan_cols}, "avg_row": avg_row}


def _tour_sheet(visits: pd.DataFrame, params: dict[str, Any], plan: core.TourPlan | None,
                picture: bytes | None) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["tour"], tab_color="1F4E78")
    sheet.title("Tournée : ordre de visite optimisé et planning par jour",
                "Chaque jour part du point de départ et y revient ; un client rejoint la journée en cours si le retour "
                "au départ reste dans le temps de travail, sinon il ouvre le jour suivant.")
    sheet.set(3, 1, "Ordre de passage calculé par TOUR (circuit le plus court, valeurs) : après avoir changé les clients "
                    "ou le départ, cliquez sur « Mettre à jour » (ou relancez xlsales journey). Distances (haversine), "
                    "temps et jours se recalculent seuls.", style="note")
    # parameters
    sheet.row(4, 1, ["Paramètres", "Valeur"], style="header")
    cells = {}
    for key, (r, label, style, _) in TOUR_PARAMS.items():
        sheet.set(r, 1, label, style="label")
        sheet.set(r, 2, params.get(key), style=style)
        cells[key] = f"B{r}"
    m = _MINUTES_PER_KM_ROW
    sheet.set(m, 1, "Minutes de route par km à vol d'oiseau", style="label")
    sheet.set(m, 2, formula=f"{cells['road_factor']}/{cells['speed_kmh']}*60", style="dec4")
    cells["minutes_per_km"] = f"B{m}"
    A = {key: f"${c[0]}${c[1:]}" for key, c in cells.items()}
    sheet.validations += [
        Validation(cells["start_latitude"], "decimal", "between", "-90", "90", prompt="Latitude en degrés décimaux",
                   error="Une latitude entre -90 et 90 est attendue."),
        Validation(cells["start_longitude"], "decimal", "between", "-180", "180", prompt="Longitude en degrés décimaux",
                   error="Une longitude entre -180 et 180 est attendue."),
        Validation(cells["speed_kmh"], "decimal", "between", "5", "150", prompt="Vitesse moyenne porte à porte (km/h)",
                   error="Une vitesse de 5 à 150 km/h est attendue."),
        Validation(cells["road_factor"], "decimal", "between", "1", "3",
                   prompt="Distance routière / distance à vol d'oiseau (1,2 à 1,4 en général)",
                   error="Un coefficient de 1 à 3 est attendu."),
        Validation(cells["day_minutes"], "whole", "between", "30", "1440", prompt="Temps de travail par jour, en minutes",
                   error="Un nombre de minutes de 30 à 1 440 est attendu."),
    ]
    # layout of the blocks below
    n = 0 if plan is None else len(plan.order)
    day_rows = max(n, 1)
    day_first = 5
    order_top = max(38, day_first + day_rows + 2)
    order_header = order_top + 1
    order_first = order_header + 1
    order_last = order_first + max(n, 1) - 1
    ocol = {key: j for j, key in enumerate(ORDER_COLUMNS, start=1)}
    O = {key: col(c) for key, c in ocol.items()}
    visit_top = order_last + 3
    visit_header = visit_top + 1
    visit_first = visit_header + 1
    capacity = len(visits) + SPARE_VISIT_ROWS
    visit_last = visit_first + capacity - 1
    vcol = {key: j for j, key in enumerate(VISIT_HEADERS, start=1)}
    V = {key: f"${col(c)}${visit_first}:${col(c)}${visit_last}" for key, c in vcol.items()}

    def rng(key):
        return f"${O[key]}${order_first}:${O[key]}${order_last}"

    # results
    sheet.row(13, 1, ["Résultats", ""], style="header")
    last_start = f"{O['start_km']}{order_last}"
    results = {
        "visits": f"COUNT({rng('rank')})",
        "days": f"MAX({rng('day')})",
        "km": f"SUM({rng('travel_km')})+SUM({rng('return_km')})",
        "road_km": f"B{TOUR_RESULTS['km'][0]}*{A['road_factor']}",
        "travel_minutes": f"B{TOUR_RESULTS['km'][0]}*{A['minutes_per_km']}",
        "visit_minutes": f"SUM({rng('visit')})",
        "total_minutes": f"B{TOUR_RESULTS['travel_minutes'][0]}+B{TOUR_RESULTS['visit_minutes'][0]}",
        "circuit_km": f"SUM({rng('leg_km')})+{last_start}",
    }
    result_cells = {}
    for key, (r, label, style) in TOUR_RESULTS.items():
        sheet.set(r, 1, label, style="label")
        sheet.set(r, 2, formula=results[key], style=style)
        result_cells[key] = f"B{r}"
    days_cell = A["days"] = f"$B${TOUR_RESULTS['days'][0]}"
    # visiting order
    sheet.set(order_top, 1, "Ordre de visite optimisé", style="label")
    sheet.row(order_header, 1, [h for h, _ in ORDER_COLUMNS.values()], style="header")
    sheet.heights[order_header] = 45
    order = [] if plan is None else [str(visits["customer"].iat[i]) for i in plan.order]
    mpk, limit = A["minutes_per_km"], A["day_minutes"]
    for k, customer in enumerate(order):
        r = order_first + k
        first, last = k == 0, k == n - 1
        match = f"MATCH($A{r},{V['customer']},0)"
        prev_lat, prev_lon = (A["start_latitude"], A["start_longitude"]) if first else (f"{O['latitude']}{r - 1}",
                                                                                          f"{O['longitude']}{r - 1}")
        lat, lon = f"{O['latitude']}{r}", f"{O['longitude']}{r}"
        x = {key: f"{O[key]}{r}" for key in ORDER_COLUMNS}
        p = {key: f"{O[key]}{r - 1}" for key in ORDER_COLUMNS}
        nx = {key: f"{O[key]}{r + 1}" for key in ORDER_COLUMNS}
        values = {
            "customer": customer,
            "address": Formula(f'INDEX({V["address"]},{match})&""'),
            "rank": k + 1,
            "day": 1 if first else Formula(f"IF({p['end_minutes']}+({x['leg_km']}+{x['start_km']})*{mpk}+{x['visit']}"
                                           f"<={limit},{p['day']},{p['day']}+1)"),
            "latitude": Formula(f"INDEX({V['latitude']},{match})"),
            "longitude": Formula(f"INDEX({V['longitude']},{match})"),
            "visit": Formula(f"INDEX({V['visit_minutes']},{match})"),
            "leg_km": Formula(_haversine(prev_lat, prev_lon, lat, lon)),
            "start_km": Formula(_haversine(A["start_latitude"], A["start_longitude"], lat, lon)),
            "travel_km": Formula(x["start_km"] if first else f"IF({x['day']}={p['day']},{x['leg_km']},{x['start_km']})"),
            "travel_minutes": Formula(f"{x['travel_km']}*{mpk}"),
            "end_minutes": Formula(f"{x['travel_minutes']}+{x['visit']}" if first else
                                   f"IF({x['day']}={p['day']},{p['end_minutes']},0)+{x['travel_minutes']}+{x['visit']}"),
            "return_km": Formula(x["start_km"] if last else f"IF({nx['day']}<>{x['day']},{x['start_km']},0)"),
            "day_end_minutes": Formula(f"{x['end_minutes']}+{x['return_km']}*{mpk}" if last else
                                       f'IF({nx["day"]}<>{x["day"]},{x["end_minutes"]}+{x["return_km"]}*{mpk},"")'),
        }
        sheet.row(r, 1, list(values.values()), style=[st for _, st in ORDER_COLUMNS.values()])
    if n:
        end = f"{O['day_end_minutes']}{order_first}"
        sheet.conditional_formats.append(ConditionalFormat(
            f"{O['day_end_minutes']}{order_first}:{O['day_end_minutes']}{order_last}", "expression",
            formula=[f"AND(ISNUMBER({end}),{end}>{limit})"], look="bad"))
        sheet.conditional_formats.append(ConditionalFormat(
            f"{O['day']}{order_first}:{O['day']}{order_last}", "color_scale", colors=("DDEBF7", "9BC2E6", "2F75B5")))
    else:
        sheet.set(order_first, 1, "Aucun client à visiter : saisissez-les ci-dessous puis mettez le classeur à jour.",
                  style="note")
    # summary per day
    dcol = {key: _DAY_FIRST_COL + j for j, key in enumerate(DAY_COLUMNS)}
    D = {key: col(c) for key, c in dcol.items()}
    sheet.row(4, _DAY_FIRST_COL, [h for h, _ in DAY_COLUMNS.values()], style="header")
    sheet.heights[4] = 45
    for d in range(1, day_rows + 1):
        r = day_first + d - 1
        day = f"${D['day']}{r}"
        blank = f'IF({day}="","",'
        values = {
            "day": Formula(f'IF({d}<={days_cell},{d},"")'),
            "visits": Formula(f"{blank}COUNTIF({rng('day')},{day}))"),
            "km": Formula(f"{blank}SUMIF({rng('day')},{day},{rng('travel_km')})+SUMIF({rng('day')},{day},{rng('return_km')}))"),
            "road_km": Formula(f"{blank}{D['km']}{r}*{A['road_factor']})"),
            "travel_minutes": Formula(f"{blank}{D['km']}{r}*{mpk})"),
            "visit_minutes": Formula(f"{blank}SUMIF({rng('day')},{day},{rng('visit')}))"),
            "total_minutes": Formula(f"{blank}{D['travel_minutes']}{r}+{D['visit_minutes']}{r})"),
            "over": Formula(f'{blank}IF({D["total_minutes"]}{r}>{limit},"oui","non"))'),
        }
        sheet.row(r, _DAY_FIRST_COL, list(values.values()), style=[st for _, st in DAY_COLUMNS.values()])
    day_last = day_first + day_rows - 1
    sheet.conditional_formats.append(ConditionalFormat(
        f"{D['over']}{day_first}:{D['over']}{day_last}", "cell_is", "equal", ['"oui"'], look="bad"))
    # chart of the days at build time, and the map
    q = quote_sheet(sheet.name)
    shown = max(1, int(plan.days.day.max()) if n else 1)
    sheet.charts.append(ChartSpec(
        "column", "Temps par jour (trajets et visites, min)", "A23",
        [ChartSeries(f"{q}!${D['travel_minutes']}${day_first}:${D['travel_minutes']}${day_first + shown - 1}",
                     "Trajets", categories=f"{q}!${D['day']}${day_first}:${D['day']}${day_first + shown - 1}"),
         ChartSeries(f"{q}!${D['visit_minutes']}${day_first}:${D['visit_minutes']}${day_first + shown - 1}", "Visites")],
        x_title="Jour", y_format="#,##0", width_cm=13, height_cm=7.5))
    map_col = col(dcol["over"] + 2)
    if picture is not None:
        sheet.images.append(Image(f"{map_col}4", picture, width_px=640,
                                  description="Carte de la tournée : départ, clients numérotés dans l'ordre de passage, "
                                              "trajets par jour"))
    else:
        sheet.set(4, dcol["over"] + 2, "Carte non dessinée (aucun client, ou Pillow absent).", style="note")
    # customers to visit (typed in)
    sheet.set(visit_top, 1, "Clients à visiter (saisie : ajoutez des lignes dans la zone jaune)", style="label")
    sheet.row(visit_header, 1, list(VISIT_HEADERS.values()), style="header")
    sheet.heights[visit_header] = 30
    for i in range(capacity):
        r = visit_first + i
        rec = visits.iloc[i] if i < len(visits) else None
        for key, c in vcol.items():
            value = None if rec is None else rec[key]
            if value is not None and not isinstance(value, str) and pd.isna(value):
                value = None
            if key in ("visit_minutes", "priority") and value is not None:
                value = int(value) if float(value).is_integer() else float(value)
            elif key in ("latitude", "longitude") and value is not None:
                value = float(value)
            sheet.set(r, c, value, style=_VISIT_STYLES[key])
    VL = {key: col(c) for key, c in vcol.items()}
    sheet.validations += [
        Validation(f"{VL['latitude']}{visit_first}:{VL['latitude']}{visit_last}", "decimal", "between", "-90", "90",
                   prompt="Latitude en degrés décimaux", error="Une latitude entre -90 et 90 est attendue."),
        Validation(f"{VL['longitude']}{visit_first}:{VL['longitude']}{visit_last}", "decimal", "between", "-180", "180",
                   prompt="Longitude en degrés décimaux", error="Une longitude entre -180 et 180 est attendue."),
        Validation(f"{VL['visit_minutes']}{visit_first}:{VL['visit_minutes']}{visit_last}", "decimal",
                   "greaterThanOrEqual", "0", prompt="Durée de la visite en minutes", error="Une durée positive est attendue."),
        Validation(f"{VL['priority']}{visit_first}:{VL['priority']}{visit_last}", "whole", "between", "1", "9",
                   prompt="Priorité de 1 (haute) à 9", error="Un entier de 1 à 9 est attendu."),
    ]
    sheet.widths.update({"A": 48, "B": 42, **{col(c): 12 for c in range(3, len(ORDER_COLUMNS) + 1)}})
    sheet.freeze = "A4"
    sheet.print_setup = PrintSetup(orientation="landscape", header="Tournée")
    return sheet, {"param_cells": cells, "result_cells": result_cells, "order_first": order_first, "order_cols": ocol,
                   "day_first": day_first, "day_rows": day_rows, "day_cols": dcol, "visit_header": visit_header,
                   "capacity": capacity, "order": order}


# ------------------------------------------------------------------------------------------------
# the map
# ------------------------------------------------------------------------------------------------

_DAY_COLOURS = ["#1F77B4", "#D62728", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2", "#17BECF", "#BCBD22",
                "#7F7F7F"]


def _nice_step(span: float) -> float:
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0):
        if span / step <= 7:
            return step
    return 45.0


def _degrees(value: float, positive: str, negative: str) -> str:
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}° {positive if value >= 0 else negative}"


_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc")


def _font_loader(image_font):
    """(size → font, plain): a TrueType font with accented letters when the system has one, else
    Pillow's own font (``plain`` True: text is written without accents)."""
    for name in _FONTS:
        try:
            image_font.truetype(name, 12)
        except OSError:
            continue
        return (lambda size, name=name: image_font.truetype(name, size)), False
    try:
        image_font.load_default(size=12)
        return (lambda size: image_font.load_default(size=size)), True
    except TypeError:  # pragma: no cover - Pillow < 10.1: fixed-size bitmap font
        return (lambda size: image_font.load_default()), True


def _without_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tour_map_png(start: tuple[float, float], latitudes: Sequence[float], longitudes: Sequence[float],
                 days: Sequence[int], *, title: str = "Tournée", start_label: str = "Départ",
                 size: tuple[int, int] = (960, 680)) -> bytes | None:
    """A map of a tour as PNG bytes: start, stops numbered in visiting order, one colour per day.

    Plain equirectangular projection (longitudes scaled by the cosine of the mean latitude), a
    graticule and a scale bar; no background map (no network). Each day is drawn from the start
    through its stops and back. Returns None when Pillow is not installed.

    Parameters
    ----------
    start : (latitude, longitude)
    latitudes, longitudes : sequences of float
        The stops, in visiting order.
    days : sequence of int
        Day of each stop (1, 2, …).
    """
    try:
        from PIL import Image as PILImage
        from PIL import ImageDraw, ImageFont
    except ImportError:  # pragma: no cover - Pillow is a dependency of the tests
        return None
    lat = np.asarray(latitudes, dtype=float)
    lon = np.asarray(longitudes, dtype=float)
    day = np.asarray(days, dtype=int)
    width, height = size
    u = width / 960  # drawing unit: sizes below are for a 960-pixel-wide picture
    load, plain = _font_loader(ImageFont)
    f_title, f_text, f_small = load(round(22 * u)), load(round(16 * u)), load(round(13 * u))
    label = (lambda t: t) if not plain else _without_accents  # the bitmap fallback font has no accents
    legend_w = round(200 * u)
    left, right, top, bottom = round(70 * u), round(20 * u) + legend_w, round(60 * u), round(56 * u)
    all_lat = np.r_[start[0], lat]
    all_lon = np.r_[start[1], lon]
    k = math.cos(math.radians(float(all_lat.mean())))
    span_x = max(float(np.ptp(all_lon)) * k, 0.05)
    span_y = max(float(np.ptp(all_lat)), 0.05)
    px = min((width - left - right) / (span_x * 1.15), (height - top - bottom) / (span_y * 1.15))
    cx = float(all_lon.min() + all_lon.max()) / 2
    cy = float(all_lat.min() + all_lat.max()) / 2
    mid_x = left + (width - left - right) / 2
    mid_y = top + (height - top - bottom) / 2

    def xy(la, lo):
        return mid_x + (lo - cx) * k * px, mid_y - (la - cy) * px

    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    # graticule
    lon_min, lon_max = cx - (mid_x - left) / (k * px), cx + (mid_x - left) / (k * px)
    lat_min, lat_max = cy - (mid_y - top) / px, cy + (mid_y - top) / px
    step = _nice_step(max((lon_max - lon_min) * k, lat_max - lat_min))
    grey, ink = "#E3E3E3", "#595959"
    g = math.floor(lon_min / step) * step
    while g <= lon_max + 1e-9:
        x, _ = xy(cy, g)
        if left <= x <= width - right:
            draw.line([(x, top), (x, height - bottom)], fill=grey, width=1)
            draw.text((x, height - bottom + 4 * u), label(_degrees(g, "E", "O")), fill=ink, font=f_small, anchor="ma")
        g += step
    g = math.floor(lat_min / step) * step
    while g <= lat_max + 1e-9:
        _, y = xy(g, cx)
        if top <= y <= height - bottom:
            draw.line([(left, y), (width - right, y)], fill=grey, width=1)
            draw.text((left - 4 * u, y), label(_degrees(g, "N", "S")), fill=ink, font=f_small, anchor="rm")
        g += step
    draw.rectangle([left, top, width - right, height - bottom], outline="#BFBFBF", width=1)
    # routes, one colour per day: start → the day's stops → start
    home = xy(*start)
    day_list = sorted(set(day.tolist()))
    for d in day_list:
        colour = _DAY_COLOURS[(d - 1) % len(_DAY_COLOURS)]
        points = [home] + [xy(a, b) for a, b in zip(lat[day == d], lon[day == d])] + [home]
        draw.line(points, fill=colour, width=max(2, round(3 * u)), joint="curve")
    # stops numbered in visiting order, then the start on top
    r = 11 * u
    for i, (a, b) in enumerate(zip(lat, lon)):
        x, y = xy(a, b)
        colour = _DAY_COLOURS[(int(day[i]) - 1) % len(_DAY_COLOURS)]
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline="white", width=max(1, round(2 * u)))
        draw.text((x, y), str(i + 1), fill="white", font=f_small, anchor="mm")
    s = 9 * u
    draw.rectangle([home[0] - s, home[1] - s, home[0] + s, home[1] + s], fill="black", outline="white")
    draw.text((home[0] + s + 5 * u, home[1]), label(start_label), fill="black", font=f_text, anchor="lm",
              stroke_width=max(1, round(2 * u)), stroke_fill="white")
    # title, legend, scale bar
    draw.text((left, round(18 * u)), label(title), fill="#1F4E78", font=f_title)
    x0, y = width - legend_w, top
    draw.text((x0, y), label("Légende"), fill="black", font=f_text)
    y += 28 * u
    draw.rectangle([x0, y, x0 + 16 * u, y + 16 * u], fill="black")
    draw.text((x0 + 24 * u, y + 8 * u), label("Départ et retour"), fill="black", font=f_small, anchor="lm")
    for d in day_list:
        y += 24 * u
        colour = _DAY_COLOURS[(d - 1) % len(_DAY_COLOURS)]
        count = int((day == d).sum())
        draw.ellipse([x0, y, x0 + 16 * u, y + 16 * u], fill=colour)
        draw.text((x0 + 24 * u, y + 8 * u), f"Jour {d} : {count} visite{'s' if count > 1 else ''}", fill="black",
                  font=f_small, anchor="lm")
    km_per_px = 6371.0 * math.pi / 180 / px
    target = (width - left - right) / 5 * km_per_px
    bar = next((v for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000) if v >= target / 2), 2000)
    length = bar / km_per_px
    y0 = height - 18 * u
    draw.line([(left, y0), (left + length, y0)], fill="black", width=max(2, round(3 * u)))
    draw.line([(left, y0 - 5 * u), (left, y0 + 5 * u)], fill="black", width=2)
    draw.line([(left + length, y0 - 5 * u), (left + length, y0 + 5 * u)], fill="black", width=2)
    draw.text((left + length + 8 * u, y0), label(f"{bar} km (à vol d'oiseau)"), fill="black", font=f_small, anchor="lm")
    out = _io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------
# the book
# ------------------------------------------------------------------------------------------------

def _number(value, default):
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return default if np.isnan(v) else v


def build_journey(opportunities: pd.DataFrame, visits: pd.DataFrame | None = None, *, year: int | None = None,
                  start: tuple[str | None, float, float] | None = None, speed_kmh: float = 60.0,
                  road_factor: float = 1.3, day_minutes: float = 480.0, spend: dict[str, float] | None = None,
                  touchpoints: Sequence[str] = TOUCHPOINTS, draw_map: bool = True) -> tuple[BookPlan, JourneyLayout]:
    """Plan the customer-journey workbook.

    Parameters
    ----------
    opportunities : DataFrame
        :func:`xlsales.io.read_opportunities`: id, customer, channel, rep, stage (lead, contact,
        meeting, quote, order), date_lead … date_order, amount, lost_reason, satisfaction.
    visits : DataFrame, optional
        The customers of the tour (:func:`xlsales.io.read_locations` rows, e.g. chosen by
        :func:`select_visits`): customer, address, latitude, longitude, visit_minutes (45 when
        missing), priority; a customer listed twice is visited once. None: an empty tour, to be
        typed in.
    year : int, optional
        Keep only the opportunities whose lead date falls in that year; default: all of them.
    start : (label, latitude, longitude), optional
        Where every day of the tour starts and ends; default: the centre (mean coordinates) of
        the customers to visit.
    speed_kmh, road_factor, day_minutes : float
        Mean road speed, road / great-circle distance ratio, working minutes per day.
    spend : mapping channel → float, optional
        Acquisition spending per channel (written in the yellow cells of « Entonnoir »).
    touchpoints : sequence of str
        Columns of the experience map.
    draw_map : bool
        Insert a map of the tour (a PNG drawn with Pillow).

    Returns
    -------
    (BookPlan, JourneyLayout)
    """
    if opportunities is None or len(opportunities) == 0:
        raise ValueError("aucune opportunité : le fichier des opportunités est nécessaire (une ligne par opportunité)")
    o = _opportunities_frame(opportunities, year)
    channels = [c for c in dict.fromkeys(o["channel"]) if c]
    spend = {str(k): float(v) for k, v in (spend or {}).items()
             if v is not None and not (isinstance(v, float) and np.isnan(v))}
    v = _visits_frame(visits)
    if start is None or start[1] is None or start[2] is None:
        label = None if start is None else start[0]
        if len(v):
            start = (label or "Centre des clients à visiter (à remplacer par votre adresse de départ)",
                     float(v["latitude"].mean()), float(v["longitude"].mean()))
        else:
            start = (label, None, None)
    params = {"start": start[0], "start_latitude": start[1], "start_longitude": start[2],
              "speed_kmh": float(speed_kmh), "road_factor": float(road_factor), "day_minutes": day_minutes}
    tour_plan = None
    picture = None
    if len(v):
        tour_plan = core.plan_tour(v["latitude"], v["longitude"], v["visit_minutes"], start[1], start[2],
                                   speed_kmh=speed_kmh, road_factor=road_factor, day_minutes=day_minutes)
        if draw_map:
            n_days = int(tour_plan.days.day.max())
            picture = tour_map_png(
                (start[1], start[2]), v["latitude"].to_numpy()[tour_plan.order], v["longitude"].to_numpy()[tour_plan.order],
                tour_plan.days.day, start_label="Départ",
                title=f"Tournée : {len(v)} client{'s' if len(v) > 1 else ''}, {n_days} jour{'s' if n_days > 1 else ''}")

    book = BookPlan(title="Parcours client et tournées")
    funnel_sheet, f = _funnel_sheet(o, channels, spend)
    experience_sheet, e = _experience_sheet(o, list(touchpoints))
    tour_sheet, t = _tour_sheet(v, params, tour_plan, picture)
    for sheet in (funnel_sheet, experience_sheet, tour_sheet, _opportunities_sheet(o)):
        book.add(sheet)
    book.active = funnel_sheet.name
    layout = JourneyLayout(
        channels=channels, opportunities=o, spend=spend,
        summary_rows=f["summary_rows"], summary_cols=f["summary_cols"], funnel_rows=f["funnel_rows"],
        funnel_cols=f["funnel_cols"], reasons=f["reasons"], reason_rows=f["reason_rows"], reason_cols=f["reason_cols"],
        reason_total_row=f["reason_total"],
        experience_rows=e["rows"], touchpoint_cols=e["tp_cols"], experience_cols=e["cols"],
        experience_average_row=e["avg_row"],
        tour_params=params, param_cells=t["param_cells"], result_cells=t["result_cells"], visits=v,
        visit_header_row=t["visit_header"], visit_capacity=t["capacity"], order=t["order"],
        order_first_row=t["order_first"], order_cols=t["order_cols"], day_first_row=t["day_first"],
        day_rows=t["day_rows"], day_cols=t["day_cols"], tour=tour_plan, has_map=picture is not None,
    )
    return book, layout


# ------------------------------------------------------------------------------------------------
# entry points: files (CLI), the sample company (ready-made workbook, template), an open workbook
# ------------------------------------------------------------------------------------------------

def plan_from_files(opportunities: pd.DataFrame, locations: pd.DataFrame | None = None) -> BookPlan:
    """The journey workbook from the files of the CLI.

    Parameters
    ----------
    opportunities : DataFrame
        :func:`xlsales.io.read_opportunities` (required).
    locations : DataFrame, optional
        :func:`xlsales.io.read_locations`. The tour visits the customers nearest to the centre of
        the densest area (at most 20 within 150 km, see :func:`select_visits`), from their centre;
        without locations the tour is empty, to be typed in the workbook.
    """
    return build_journey(opportunities, select_visits(locations))[0]


def plan_for_company(company) -> BookPlan:
    """The journey workbook of the sample company: its opportunities, and the tour of its first rep's
    customers in the rep's region."""
    rep = str(company.reps["rep"].iat[0]) if len(company.reps) else None
    region = None
    if rep is not None and "region" in company.reps.columns:
        region = company.reps["region"].iat[0]
        region = None if pd.isna(region) else str(region)
    visits = select_visits(company.locations, sales=company.sales, customers=company.customers, rep=rep, region=region)
    return build_journey(company.opportunities, visits)[0]


def _find_row(rows: list[list], predicate) -> int | None:
    for i, row in enumerate(rows):
        if row and predicate(row):
            return i
    return None


def _cell(rows: list[list], r: int, c: int):
    """Value at 0-based (r, c) of a sheet's rows, None when absent or empty."""
    if r < len(rows) and c < len(rows[r]):
        value = rows[r][c]
        return None if value == "" else value
    return None


def read_spend(rows: list[list]) -> dict[str, float]:
    """The acquisition spending typed in « Entonnoir » (its rows of values): channel → amount."""
    header = SUMMARY_COLUMNS["spend"][0]
    h = _find_row(rows, lambda row: row[0] == SUMMARY_COLUMNS["channel"][0] and header in row)
    if h is None:
        return {}
    c = rows[h].index(header)
    out = {}
    r = h + 1
    while r < len(rows) and _cell(rows, r, 0) not in (None, ALL_CHANNELS):
        value = _cell(rows, r, c)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[str(_cell(rows, r, 0))] = float(value)
        r += 1
    return out


def read_tour_inputs(rows: list[list], *, source: str = "classeur") -> dict[str, Any]:
    """What was typed in « Tournée » (its rows of values): the parameters and the customers to visit.

    Returns
    -------
    dict
        ``start`` (label, latitude, longitude), ``speed_kmh``, ``road_factor``, ``day_minutes``
        and ``visits`` (validated like a locations file): arguments of :func:`build_journey`.
    """
    labels = {label: key for key, (_, label, _, _) in TOUR_PARAMS.items()}
    typed = {}
    for row in rows:
        if row and row[0] in labels and len(row) > 1:
            typed[labels[row[0]]] = None if row[1] == "" else row[1]
    out: dict[str, Any] = {
        "start": (_text(typed.get("start")), _number(typed.get("start_latitude"), None),
                  _number(typed.get("start_longitude"), None)),
    }
    for key in ("speed_kmh", "road_factor", "day_minutes"):
        out[key] = _number(typed.get(key), TOUR_PARAMS[key][3])
    headers = list(VISIT_HEADERS.values())
    h = _find_row(rows, lambda row: [str(x) for x in row[: len(headers)]] == headers)
    visits = None
    if h is not None:
        block = [list(row[: len(headers)]) + [None] * (len(headers) - len(row[: len(headers)])) for row in rows[h:]]
        if any(any(x not in (None, "") for x in row) for row in block[1:]):
            visits = xio.read_rows(block, xio.LOCATIONS, source=source, sheet=SHEETS["tour"])
    out["visits"] = visits
    return out


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open journey workbook (template button, xlwings Lite).

    The opportunities are read from « Opportunités »; what was typed on the rebuilt sheets — the
    acquisition spending of « Entonnoir », the start point, speed, road factor, working time and
    customers to visit of « Tournée » — is read first and written back. « Carte d'expérience » and
    « Opportunités » are input sheets and are never rewritten.
    """
    from .live import read_input, refresh_outputs, sheet_rows

    opportunities = read_input(book, SHEETS["opportunities"], xio.OPPORTUNITIES)
    names = [s.name for s in book.sheets]
    spend = read_spend(sheet_rows(book, SHEETS["funnel"])) if SHEETS["funnel"] in names else {}
    tour = read_tour_inputs(sheet_rows(book, SHEETS["tour"]), source=book.name) if SHEETS["tour"] in names else {}
    plan, _ = build_journey(opportunities, tour.pop("visits", None), spend=spend, **tour)
    return refresh_outputs(book, plan)
