"""Réseau de partenaires et RGPD: the partner directory → a workbook of live formulas.

Sheets
------
* « Annuaire » (input): the Excel Table ``Annuaire`` of the actors (suppliers, customers,
  distributors, prescribers): contact, e-mail, phone, region, revenue, potential, last contact,
  consent date and the « Note … » rating columns.
* « Qualification »: per partner the ratings (looked up in the directory), the weighted score
  Σ wᵢ·rᵢ / Σ wᵢ with the weights typed above the grid (equal to :func:`xlsales.core.score`), the
  segment A / B / C given by score thresholds typed per partner type, and the counts by segment ×
  type.
* « Plan d'animation »: the Excel Table ``Actions`` (target — a partner, « Segment A », or a type —,
  action, tool, owner, planned date, status) and a calendar by month (COUNTIFS) per status, tool,
  target and partner; a partner counts the actions aimed at it, at its segment and at its type.
* « Diffusion »: the Excel Table ``Diffusions`` (date, information, recipient, tool) and the
  counts per partner × tool (same rule for segments and types).
* « Performance »: revenue, previous revenue (typed), growth, potential, share of the potential
  achieved, potential left, share of the network's revenue, rank; chart.
* « RGPD »: the processing register (Excel Table ``Traitements``: purpose, legal basis from a list,
  categories of data, data subjects, retention in months) and, per partner, the processing its
  contact falls under (typed), consent date and last contact, retention end
  ``EDATE(MAX(last contact, consent), months)``, alert « à purger » once the reference date is
  past it, « consentement manquant » for a consent-based processing without consent date.

Every figure is a formula over the Excel Tables; the rules are those of
:mod:`xlsales.core.network` and :func:`xlsales.core.score` (the tests compare every computed cell
with them after LibreOffice recalculation). Lists of partners are taken from the directory when
the workbook is built; :func:`refresh` rebuilds them in an open workbook and keeps everything the
user typed on the rebuilt sheets (weights, thresholds, actions, diffusion log, previous revenue,
register, processing per partner, reference date).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import io as xio
from ..core.network import LEGAL_BASES, NO_CONSENT, PURGE
from ..sheets.formulas import column
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
    "ACTION_HEADERS",
    "DEFAULT_REGISTER",
    "DIFFUSION_HEADERS",
    "DIRECTORY_HEADERS",
    "REGISTER_HEADERS",
    "SHEETS",
    "STATUSES",
    "TABLES",
    "TOOLS",
    "TYPES",
    "UNRATED",
    "NetworkLayout",
    "build_network",
    "default_actions",
    "example_diffusions",
    "plan_for_company",
    "plan_from_files",
    "read_inputs",
    "refresh",
]

SHEETS = {
    "directory": "Annuaire", "qualification": "Qualification", "plan": "Plan d'animation",
    "diffusion": "Diffusion", "performance": "Performance", "gdpr": "RGPD",
}
TABLES = {"directory": "Annuaire", "actions": "Actions", "diffusion": "Diffusions", "register": "Traitements"}

#: canonical column of the partners' frame → header of the « Annuaire » table (the reader's labels)
DIRECTORY_HEADERS = {name: xio.PARTNERS.column(name).label for name in (
    "partner", "type", "contact", "email", "phone", "region", "revenue", "potential", "last_contact", "consent_date")}
ACTION_HEADERS = {"target": "Cible", "action": "Action", "tool": "Outil", "owner": "Responsable",
                  "date": "Date prévue", "status": "Statut"}
DIFFUSION_HEADERS = {"date": "Date", "what": "Information diffusée", "recipient": "Destinataire", "tool": "Outil"}
REGISTER_HEADERS = {"processing": "Traitement", "purpose": "Finalité", "basis": "Base légale",
                    "categories": "Catégories de données", "subjects": "Personnes concernées",
                    "months": "Durée de conservation (mois)"}

TYPES = tuple(xio.PARTNER_TYPES)  # fournisseur, client, distributeur, prescripteur
TOOLS = ("E-mail", "Newsletter", "Téléphone", "Visite", "Réunion", "Salon", "Webinaire", "Courrier", "Extranet",
         "Réseaux sociaux")
STATUSES = ("prévue", "réalisée", "reportée", "annulée")
CANCELLED = "annulée"
UNRATED = "non noté"
SEGMENTS = ("A", "B", "C")
SEGMENT_PREFIX = "Segment "
DEFAULT_RATING = "Note globale"
DEFAULT_THRESHOLDS = (4.0, 3.0)

#: the processing register proposed (one row per processing); retention in months
DEFAULT_REGISTER: list[dict[str, Any]] = [
    {"processing": "Fiches partenaires",
     "purpose": "Gestion de la relation avec les partenaires : contacts, commandes, suivi des échanges",
     "basis": "intérêt légitime", "categories": "Identité, coordonnées professionnelles, fonction, historique des échanges",
     "subjects": "Contacts des fournisseurs, clients et distributeurs", "months": 36},
    {"processing": "Prospection commerciale",
     "purpose": "Prospection B2B par téléphone et par e-mail en lien avec la profession de la personne",
     "basis": "intérêt légitime", "categories": "Identité, coordonnées professionnelles, fonction",
     "subjects": "Prospects et prescripteurs", "months": 36},
    {"processing": "Newsletter",
     "purpose": "Envoi de la lettre d'information et des actualités produits",
     "basis": "consentement", "categories": "Identité, adresse e-mail", "subjects": "Abonnés", "months": 36},
    {"processing": "Contrats et facturation",
     "purpose": "Exécution des contrats de distribution, commandes et facturation",
     "basis": "contrat", "categories": "Identité, coordonnées, conditions commerciales",
     "subjects": "Signataires et contacts des partenaires", "months": 60},
    {"processing": "Pièces comptables",
     "purpose": "Conservation des pièces justificatives (art. L123-22 du Code de commerce)",
     "basis": "obligation légale", "categories": "Identité, factures, règlements",
     "subjects": "Clients et fournisseurs", "months": 120},
]
_DEFAULT_PROCESSING = {"prescripteur": "Prospection commerciale"}  # others: « Fiches partenaires »
_REGISTER_SPARE_ROWS = 4

#: proposed animation plan: (target, action, tool, months)
_PLAN_TEMPLATE = [
    (SEGMENT_PREFIX + "A", "Revue d'affaires et plan de développement conjoint", "Visite", (3, 6, 9, 12)),
    (SEGMENT_PREFIX + "B", "Point de suivi et détection des besoins", "Téléphone", (2, 5, 8, 11)),
    (SEGMENT_PREFIX + "C", "Lettre d'information : nouveautés et offres", "Newsletter", (1, 4, 7, 10)),
    ("distributeur", "Formation produits des équipes de vente", "Webinaire", (4, 10)),
    ("prescripteur", "Invitation aux rencontres techniques", "Salon", (5,)),
    ("fournisseur", "Revue qualité et délais", "Réunion", (6,)),
]

_NOTES = {
    "qualification": "Score = Σ poids × note / Σ poids (grille complète) ; segment A si score ≥ seuil A du type, "
                     "B si ≥ seuil B, sinon C.",
    "plan": "Cible : un partenaire, « Segment A », « Segment B », « Segment C » ou un type. Ajoutez des lignes sous "
            "le tableau.",
    "diffusion": "Journal : quoi, à qui (partenaire, segment ou type), quand, par quel outil.",
    "performance": "CA et potentiel : annuaire ; CA N−1 : à saisir (cellules jaunes).",
    "gdpr": "Fin de conservation = MOIS.DECALER(MAX(dernier contact ; consentement) ; durée du traitement).",
}
#: rules printed below the sheets' tables (one line each)
_RULES = {
    "plan": [
        "Calendrier : nombre d'actions par mois de l'année choisie, actions annulées exclues (sauf ligne « annulée »).",
        "Un partenaire compte les actions qui le visent, lui, son segment (« Segment A »…) ou son type (« client »…).",
        "En rouge : action « prévue » dont la date est passée.",
    ],
    "diffusion": [
        "Un partenaire compte les informations envoyées à lui, à son segment (« Segment A »…) ou à son type.",
        "« Envois » : lignes du journal par outil.",
    ],
    "performance": [
        "Évolution = (CA − CA N−1) / CA N−1 ; part du potentiel = CA / potentiel ; potentiel restant = max(0 ; potentiel − CA).",
        "Rang : 1 = plus gros CA (ex aequo au même rang).",
    ],
    "gdpr": [
        "« à purger » : fin de conservation dépassée à la date de référence (supprimer ou anonymiser la fiche).",
        "« consentement manquant » : traitement fondé sur le consentement sans date de consentement.",
        "Registre des activités de traitement : art. 30 RGPD ; bases légales : art. 6 RGPD.",
        "Prospects : 3 ans à compter de la collecte ou du dernier contact émanant de la personne (référentiel CNIL).",
        "Prospection B2B par e-mail sans consentement préalable si le message concerne la profession (opposition possible).",
        "Durées proposées à titre d'exemple : adaptez-les à votre registre.",
    ],
}


def _rules(sheet: SheetPlan, row: int, key: str, column: int = 1) -> None:
    sheet.set(row, column, "Règles appliquées", style="label")
    for i, text in enumerate(_RULES[key], start=1):
        sheet.set(row + i, column, text, style="note")


@dataclass
class NetworkLayout:
    """Where things are, for the tests and for reading the workbook back."""

    year: int
    reference_date: dt.date | None
    partners: list[str]
    types: dict[str, str]
    ratings: list[str]
    weights: dict[str, float]
    thresholds: dict[str, tuple[float, float]]
    # Qualification
    q_weight_row: int
    q_first_row: int
    q_rows: dict[str, int]
    q_rating_cols: dict[str, int]
    q_score_col: int
    q_segment_col: int
    q_threshold_rows: dict[str, int]
    q_threshold_col: int
    q_count_rows: dict[str, int]  # "A", "B", "C", UNRATED, "Total"
    q_count_cols: dict[str, int]  # types and "Total"
    # Plan d'animation
    actions: pd.DataFrame
    a_first_row: int
    a_year_cell: str
    a_late_cell: str
    cal_month_row: int
    cal_first_col: int
    cal_rows: dict[tuple[str, str], int]  # (kind, value) → row; kind: total, status, tool, target, partner
    # Diffusion
    diffusions: pd.DataFrame
    d_first_row: int
    d_tool_cols: dict[str, int]
    d_rows: dict[str, int]
    d_total_col: int
    d_sent_row: int
    # Performance
    perf_partners: list[str]
    p_rows: dict[str, int]
    p_cols: dict[str, int]
    p_total_row: int
    previous_revenue: dict[str, float]
    # RGPD
    register: pd.DataFrame
    g_reference_cell: str
    g_purge_cell: str
    g_consent_cell: str
    g_register_first_row: int
    g_rows: dict[str, int]
    g_cols: dict[str, int]
    processing: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _date(value: Any) -> dt.date | None:
    if _is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))).date()
    try:
        stamp = pd.Timestamp(str(value).replace("Z", "")) if isinstance(value, str) and "T" in value else None
        if stamp is None:
            stamp = pd.to_datetime(value, dayfirst=isinstance(value, str) and "/" in value)
        return None if pd.isna(stamp) else stamp.date()
    except (ValueError, TypeError):
        return None


def _number(value: Any) -> float | None:
    if _is_missing(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    values, ok, _ = xio.parse_numbers([value])
    return float(values[0]) if ok[0] else None


def _text(value: Any) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_RATING = re.compile(r"^(note|rating|score|critere)\b")


def _rating_columns(partners: pd.DataFrame) -> list[str]:
    known = set(DIRECTORY_HEADERS) | set(xio.PARTNERS.computed)
    return [c for c in partners.columns if c not in known and _RATING.search(xio.normalize_header(c))]


def _partners_frame(partners: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    if partners is None or len(partners) == 0:
        raise ValueError("l'annuaire des partenaires est vide : au moins un partenaire est attendu "
                         "(colonnes Partenaire et Type)")
    frame = partners.reset_index(drop=True).copy()
    for name, header in DIRECTORY_HEADERS.items():
        if name not in frame.columns:
            if name in ("partner", "type"):
                raise ValueError(f"colonne « {header} » absente de l'annuaire des partenaires")
            frame[name] = None
    frame["partner"] = [_text(v) for v in frame["partner"]]
    frame = frame[frame["partner"] != ""].reset_index(drop=True)
    if frame.empty:
        raise ValueError("l'annuaire des partenaires ne contient aucun nom de partenaire")
    duplicated = frame["partner"][frame["partner"].duplicated()].unique().tolist()
    if duplicated:
        raise ValueError("partenaire(s) en double dans l'annuaire : " + ", ".join(f"« {d} »" for d in duplicated)
                         + " (un nom par partenaire : les formules les retrouvent par leur nom)")
    frame["type"] = [_text(v).lower() for v in frame["type"]]
    ratings = _rating_columns(frame)
    if not ratings:
        frame[DEFAULT_RATING] = np.nan
        ratings = [DEFAULT_RATING]
    for r in ratings:
        frame[r] = pd.to_numeric(frame[r], errors="coerce")
    for name in ("revenue", "potential"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce")
    for name in ("last_contact", "consent_date"):
        frame[name] = [_date(v) for v in frame[name]]
    return frame, ratings


def default_actions(partners: pd.DataFrame, year: int) -> pd.DataFrame:
    """The animation plan proposed for a year: actions per segment and per type, on the 15th of
    their months, status « prévue » (only the types present in ``partners``)."""
    present = {_text(t).lower() for t in partners["type"]} if "type" in partners else set(TYPES)
    rows = []
    for target, action, tool, months in _PLAN_TEMPLATE:
        if not target.startswith(SEGMENT_PREFIX) and target not in present:
            continue
        for m in months:
            rows.append({"target": target, "action": action, "tool": tool, "owner": None,
                         "date": dt.date(year, m, 15), "status": "prévue"})
    return pd.DataFrame(rows, columns=list(ACTION_HEADERS))


def example_diffusions(partners: pd.DataFrame, year: int) -> pd.DataFrame:
    """A few entries of a diffusion log (sample workbook): catalogue, price list, technical sheets."""
    names = [_text(p) for p in partners["partner"]][:3]
    rows = [
        {"date": dt.date(year, 1, 8), "what": f"Catalogue {year}", "recipient": "distributeur", "tool": "E-mail"},
        {"date": dt.date(year, 1, 8), "what": f"Conditions tarifaires {year}", "recipient": "client", "tool": "Courrier"},
        {"date": dt.date(year, 2, 3), "what": "Lettre d'information n° 1", "recipient": SEGMENT_PREFIX + "C",
         "tool": "Newsletter"},
        {"date": dt.date(year, 3, 12), "what": "Fiches techniques de la nouvelle gamme", "recipient": "prescripteur",
         "tool": "Extranet"},
    ]
    rows += [{"date": dt.date(year, 2, 10 + i), "what": "Prévisions d'approvisionnement", "recipient": name,
              "tool": "Réunion"} for i, name in enumerate(names)]
    return pd.DataFrame(rows, columns=list(DIFFUSION_HEADERS))


def _frame(rows: pd.DataFrame | Sequence[Mapping[str, Any]] | None, headers: Mapping[str, str]) -> pd.DataFrame:
    if rows is None:
        return pd.DataFrame(columns=list(headers))
    frame = pd.DataFrame(rows).copy() if not isinstance(rows, pd.DataFrame) else rows.copy()
    for name in headers:
        if name not in frame.columns:
            frame[name] = None
    return frame[list(headers)].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# formula helpers
# ------------------------------------------------------------------------------------------------

def _dir(field_or_header: str) -> str:
    return column(TABLES["directory"], DIRECTORY_HEADERS.get(field_or_header, field_or_header))


def _escaped(text: str) -> str:
    return text.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')


def _plain(text: str) -> bool:
    return not text.startswith(("<", ">", "=")) and not any(ch in text for ch in "*?~\"")


def _crit(text: str, ref: str) -> str:
    """The SUMIFS/COUNTIFS criterion matching exactly ``text`` (written in cell ``ref``): the cell
    for a plain name, the literal ``"=<escaped>"`` for a name read as an operator or a wildcard
    (« <Nord> Services », « Atelier *Pro? »)."""
    return ref if _plain(text) else '"=' + _escaped(text) + '"'


def _lookup(text: str, ref: str) -> str:
    """The value MATCH(…, 0) looks up to find exactly ``text`` (wildcards escaped)."""
    return ref if _plain(text) else '"' + _escaped(text) + '"'


def _match(key: str) -> str:
    return f"MATCH({key},{_dir('partner')},0)"


def _lookup_text(field_or_header: str, key: str) -> str:
    return f'IFERROR(INDEX({_dir(field_or_header)},{_match(key)})&"","")'


def _lookup_value(field_or_header: str, key: str) -> str:
    idx = f"INDEX({_dir(field_or_header)},{_match(key)})"
    return f'IFERROR(IF({idx}="","",{idx}),"")'


def _sum_of(field_or_header: str, key: str) -> str:
    return f"SUMIFS({_dir(field_or_header)},{_dir('partner')},{key})"


# ------------------------------------------------------------------------------------------------
# sheets
# ------------------------------------------------------------------------------------------------

def _directory_sheet(frame: pd.DataFrame, ratings: list[str]) -> SheetPlan:
    sheet = SheetPlan(SHEETS["directory"], role="input", protect=False, freeze="B2", tab_color="70AD47")
    fields = list(DIRECTORY_HEADERS)
    headers = [DIRECTORY_HEADERS[f] for f in fields] + ratings
    sheet.row(1, 1, headers, style="header")
    sheet.heights[1] = 30
    styles = {"revenue": "data_eur", "potential": "data_eur", "last_contact": "data_date", "consent_date": "data_date"}
    n = len(frame)
    for i, rec in enumerate(frame.to_dict("records")):
        r = i + 2
        for j, f in enumerate(fields, start=1):
            value = rec.get(f)
            sheet.set(r, j, None if _is_missing(value) else value, style=styles.get(f, "data_text"))
        for j, name in enumerate(ratings, start=len(fields) + 1):
            value = rec.get(name)
            sheet.set(r, j, None if _is_missing(value) else float(value), style="data_dec")
    last = max(n, 1) + 1
    sheet.tables.append(TableSpec(TABLES["directory"], f"A1:{col(len(headers))}{last}"))
    end = last + 500
    sheet.validations.append(Validation(f"B2:B{end}", "list", None, '"' + ",".join(TYPES) + '"',
                                        prompt="fournisseur, client, distributeur ou prescripteur",
                                        error="Type inconnu : choisissez dans la liste."))
    sheet.validations.append(Validation(f"G2:H{end}", "decimal", "greaterThanOrEqual", "0",
                                        prompt="Montant HT en euros", error="Un montant positif est attendu."))
    sheet.validations.append(Validation(f"{col(len(fields) + 1)}2:{col(len(headers))}{end}", "decimal",
                                        "greaterThanOrEqual", "0", prompt="Note du critère (ex. 1 à 5)",
                                        error="Une note positive est attendue."))
    widths = {"partner": 28, "type": 13, "contact": 20, "email": 32, "phone": 16, "region": 11, "revenue": 14,
              "potential": 14, "last_contact": 12, "consent_date": 14}
    for j, f in enumerate(fields, start=1):
        sheet.widths[col(j)] = widths[f]
    for j in range(len(fields) + 1, len(headers) + 1):
        sheet.widths[col(j)] = 11
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="1:1", header="Annuaire des partenaires")
    return sheet


def _qualification_sheet(partners: list[str], ratings: list[str], weights: Mapping[str, float],
                         thresholds: Mapping[str, tuple[float, float]]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["qualification"], tab_color="1F4E78")
    sheet.title("Qualification des partenaires", _NOTES["qualification"])
    k = len(ratings)
    weight_row, header, first = 5, 6, 7
    last = first + len(partners) - 1
    c_rating = {name: 3 + j for j, name in enumerate(ratings)}
    c_score, c_seg = 3 + k, 4 + k
    r1, r2 = col(3), col(2 + k)
    sheet.set(4, 1, "Pondération des critères", style="label")
    sheet.set(weight_row, 1, "Poids (à saisir)", style="label")
    sheet.set(weight_row, 2, "→", style="label")
    for name, c in c_rating.items():
        sheet.set(weight_row, c, float(weights.get(name, 1.0)), style="input_dec")
    sheet.row(header, 1, ["Partenaire", "Type", *ratings, "Score", "Segment"], style="header")
    sheet.heights[header] = 30
    weights_rng = f"${r1}${weight_row}:${r2}${weight_row}"
    # thresholds per type and counts, to the right
    t0 = c_seg + 2
    tA, tB = col(t0 + 1), col(t0 + 2)
    sheet.set(weight_row, t0, "Seuils de segmentation (score minimal)", style="label")
    sheet.row(header, t0, ["Type", "Seuil A", "Seuil B"], style="header")
    threshold_rows = {}
    for i, kind in enumerate(TYPES):
        r = first + i
        threshold_rows[kind] = r
        a, b = thresholds.get(kind, DEFAULT_THRESHOLDS)
        sheet.row(r, t0, [kind, float(a), float(b)], style=["text", "input_dec", "input_dec"])
    t_first, t_last = first, first + len(TYPES) - 1
    t_types = f"${col(t0)}${t_first}:${col(t0)}${t_last}"
    thr = {"A": f"${tA}${t_first}:${tA}${t_last}", "B": f"${tB}${t_first}:${tB}${t_last}"}
    sheet.validations.append(Validation(f"{tA}{t_first}:{tB}{t_last}", "decimal", "greaterThanOrEqual", "0",
                                        prompt="Score minimal du segment", error="Un nombre positif est attendu."))
    sheet.validations.append(Validation(f"{r1}{weight_row}:{r2}{weight_row}", "decimal", "greaterThanOrEqual", "0",
                                        prompt="Poids du critère (≥ 0)", error="Un poids positif est attendu."))
    rows = {}
    for i, partner in enumerate(partners):
        r = first + i
        rows[partner] = r
        key = _lookup(partner, f"$A{r}")
        cells: list[Any] = [partner, Formula(_lookup_text("type", key))]
        cells += [Formula(_lookup_value(name, key)) for name in ratings]
        grid = f"{r1}{r}:{r2}{r}"
        score = f'IF(OR(COUNT({grid})<{k},SUM({weights_rng})=0),"",SUMPRODUCT({grid},{weights_rng})/SUM({weights_rng}))'
        s = f"{col(c_score)}{r}"
        level = {x: f"INDEX({thr[x]},MATCH($B{r},{t_types},0))" for x in ("A", "B")}
        seg = f'IF({s}="","{UNRATED}",IFERROR(IF({s}>={level["A"]},"A",IF({s}>={level["B"]},"B","C")),"type inconnu"))'
        cells += [Formula(score), Formula(seg)]
        sheet.row(r, 1, cells, style=["text", "text", *(["dec"] * k), "dec", "text"])
    seg_rng = f"${col(c_seg)}${first}:${col(c_seg)}${last}"
    type_rng = f"$B${first}:$B${last}"
    # counts segment × type
    top = t_last + 2
    sheet.set(top, t0, "Nombre de partenaires par segment et par type", style="label")
    sheet.row(top + 1, t0, ["Segment", *TYPES, "Total"], style="header")
    count_rows, count_cols = {}, {kind: t0 + 1 + j for j, kind in enumerate(TYPES)}
    count_cols["Total"] = t0 + 1 + len(TYPES)
    for i, segment in enumerate([*SEGMENTS, UNRATED]):
        r = top + 2 + i
        count_rows[segment] = r
        cells = [segment] + [Formula(f'COUNTIFS({type_rng},{col(count_cols[kind])}${top + 1},{seg_rng},${col(t0)}{r})')
                             for kind in TYPES]
        cells.append(Formula(f"SUM({col(t0 + 1)}{r}:{col(t0 + len(TYPES))}{r})"))
        sheet.row(r, t0, cells, style=["text", *(["int"] * (len(TYPES) + 1))])
    total_row = top + 2 + len(SEGMENTS) + 1
    count_rows["Total"] = total_row
    sheet.row(total_row, t0, ["Total"] + [Formula(f"SUM({col(c)}{top + 2}:{col(c)}{total_row - 1})")
                                          for c in range(t0 + 1, t0 + 2 + len(TYPES))],
              style=["total_text", *(["total_int"] * (len(TYPES) + 1))])
    # decorations
    seg_ref = f"{col(c_seg)}{first}:{col(c_seg)}{last}"
    for segment, look in zip(SEGMENTS, ("good", "neutral", "bad")):
        sheet.conditional_formats.append(ConditionalFormat(seg_ref, "cell_is", "equal", [f'"{segment}"'], look=look))
    sheet.conditional_formats.append(ConditionalFormat(f"{col(c_score)}{first}:{col(c_score)}{last}", "color_scale"))
    sheet.widths.update({"A": 28, "B": 13, **{col(c): 11 for c in c_rating.values()}, col(c_score): 9,
                         col(c_seg): 11, col(c_seg + 1): 3, col(t0): 22,
                         **{col(c): 12 for c in range(t0 + 1, t0 + 2 + len(TYPES))}})
    sheet.freeze = f"C{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Qualification des partenaires")
    info = {"weight_row": weight_row, "first": first, "rows": rows, "rating_cols": c_rating, "score_col": c_score,
            "segment_col": c_seg, "threshold_rows": threshold_rows, "threshold_col": t0, "count_rows": count_rows,
            "count_cols": count_cols, "segment_range": seg_rng, "last": last}
    return sheet, info


def _segment_ref(q: dict, key: str) -> str:
    """The partner's segment looked up on « Qualification » (« Segment A »…)."""
    name = quote_sheet(SHEETS["qualification"])
    first, last = q["first"], q["last"]
    seg = f"{name}!${col(q['segment_col'])}${first}:${col(q['segment_col'])}${last}"
    return f'IFERROR("{SEGMENT_PREFIX}"&INDEX({seg},MATCH({key},{name}!$A${first}:$A${last},0)),"")'


def _log_rows(frame: pd.DataFrame, headers: Mapping[str, str], styles: Mapping[str, str]) -> list[list[Any]]:
    rows = []
    for rec in frame.to_dict("records"):
        row = []
        for name in headers:
            value = rec.get(name)
            if styles[name] == "data_date":
                value = _date(value)
            elif _is_missing(value):
                value = None
            row.append(value)
        rows.append(row)
    return rows or [[None] * len(headers)]


def _plan_sheet(partners: list[str], actions: pd.DataFrame, year: int, q: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["plan"], protect=False, tab_color="1F4E78")
    sheet.title("Plan d'animation du réseau", _NOTES["plan"])
    sheet.set(3, 1, "Année du calendrier", style="label")
    sheet.set(3, 2, int(year), style="input_int")
    sheet.validations.append(Validation("B3", "whole", "between", "2000", "2100", prompt="Année du calendrier",
                                        error="Une année (ex. 2026) est attendue."))
    header, first = 5, 6
    table = TABLES["actions"]
    a = {k: column(table, h) for k, h in ACTION_HEADERS.items()}
    sheet.set(3, 4, "Actions prévues en retard", style="label")
    late = sheet.set(3, 5, formula=f'COUNTIFS({a["status"]},"prévue",{a["date"]},"<"&TODAY())', style="int")
    styles = {"target": "data_text", "action": "data_text", "tool": "data_text", "owner": "data_text",
              "date": "data_date", "status": "data_text"}
    sheet.row(header, 1, list(ACTION_HEADERS.values()), style="header")
    rows = _log_rows(actions, ACTION_HEADERS, styles)
    for i, values in enumerate(rows):
        sheet.row(first + i, 1, values, style=list(styles.values()))
    last = first + len(rows) - 1
    sheet.tables.append(TableSpec(table, f"A{header}:F{last}"))
    end = last + 500
    sheet.validations.append(Validation(f"C{first}:C{end}", "list", None, '"' + ",".join(TOOLS) + '"',
                                        prompt="Outil de communication", error="Choisissez un outil de la liste."))
    sheet.validations.append(Validation(f"F{first}:F{end}", "list", None, '"' + ",".join(STATUSES) + '"',
                                        prompt="prévue, réalisée, reportée ou annulée",
                                        error="Choisissez un statut de la liste."))
    sheet.validations.append(Validation(f"E{first}:E{end}", "date", "between", "1", "2958465",
                                        prompt="Date prévue (jj/mm/aaaa)", error="Une date est attendue."))
    sheet.conditional_formats.append(ConditionalFormat(f"A{first}:F{end}", "expression",
                                                       formula=[f'AND($F{first}="prévue",$E{first}<>"",$E{first}<TODAY())'],
                                                       look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(f"F{first}:F{end}", "cell_is", "equal", ['"réalisée"'], look="good"))
    sheet.conditional_formats.append(ConditionalFormat(f"F{first}:F{end}", "cell_is", "equal", ['"reportée"'],
                                                       look="neutral"))
    # calendar by month
    c0 = 8  # H: kind, I: value, J…U: months, V: total, W/X: segment and type of a partner
    m0 = c0 + 2
    total_col, seg_col, type_col = m0 + 12, m0 + 13, m0 + 14
    sheet.set(4, c0, "Calendrier des actions par mois (hors actions annulées, sauf ligne de statut)", style="label")
    sheet.row(header, c0, ["Ligne", "Valeur"], style="header")
    for m in range(12):
        sheet.set(header, m0 + m, formula=f"DATE($B$3,{m + 1},1)", style="month")
    sheet.set(header, total_col, "Total", style="header")
    sheet.set(header, seg_col, "Segment", style="header")
    sheet.set(header, type_col, "Type", style="header")
    lines: list[tuple[str, str, str]] = [("total", "", "Toutes les actions")]
    lines += [("status", s, "Statut") for s in STATUSES]
    tools = list(dict.fromkeys([*TOOLS, *(_text(t) for t in actions["tool"] if _text(t))]))
    lines += [("tool", t, "Outil") for t in tools]
    lines += [("target", SEGMENT_PREFIX + s, "Cible") for s in SEGMENTS]
    lines += [("target", t, "Cible") for t in TYPES]
    lines += [("partner", p, "Partenaire") for p in partners]
    cal_rows = {}
    active = f'{a["status"]},"<>{CANCELLED}"'
    for i, (kind, value, label) in enumerate(lines):
        r = first + i
        cal_rows[(kind, value)] = r
        sheet.set(r, c0, label, style="text")
        sheet.set(r, c0 + 1, value or None, style="text")
        for m in range(12):
            month = f"{col(m0 + m)}${header}"
            window = f'{a["date"]},">="&{month},{a["date"]},"<"&EDATE({month},1)'
            if kind == "total":
                f = f"COUNTIFS({window},{active})"
            elif kind == "status":
                f = f'COUNTIFS({window},{a["status"]},$I{r})'
            elif kind == "tool":
                f = f'COUNTIFS({window},{a["tool"]},{_crit(value, f"$I{r}")},{active})'
            elif kind == "target":
                f = f'COUNTIFS({window},{a["target"]},{_crit(value, f"$I{r}")},{active})'
            else:
                f = "+".join(f'COUNTIFS({window},{a["target"]},{who},{active})'
                             for who in (_crit(value, f"$I{r}"), f"${col(seg_col)}{r}", f"${col(type_col)}{r}"))
            sheet.set(r, m0 + m, formula=f, style="int")
        sheet.set(r, total_col, formula=f"SUM({col(m0)}{r}:{col(m0 + 11)}{r})", style="total_int")
        if kind == "partner":
            sheet.set(r, seg_col, formula=_segment_ref(q, _lookup(value, f"$I{r}")), style="text")
            sheet.set(r, type_col, formula=_lookup_text("type", _lookup(value, f"$I{r}")), style="text")
    cal_last = first + len(lines) - 1
    _rules(sheet, cal_last + 2, "plan", c0)
    sheet.conditional_formats.append(ConditionalFormat(f"{col(m0)}{first}:{col(m0 + 11)}{cal_last}", "cell_is",
                                                       "greaterThan", ["0"], look="good"))
    sheet.widths.update({"A": 24, "B": 40, "C": 13, "D": 16, "E": 12, "F": 11, "G": 3, "H": 12, "I": 28,
                         **{col(m0 + m): 9 for m in range(12)}, col(total_col): 8, col(seg_col): 11, col(type_col): 13})
    sheet.freeze = f"A{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Plan d'animation du réseau")
    return sheet, {"first": first, "year_cell": "B3", "late_cell": late, "month_row": header, "first_month_col": m0,
                   "cal_rows": cal_rows}


def _diffusion_sheet(partners: list[str], diffusions: pd.DataFrame, q: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["diffusion"], protect=False, tab_color="1F4E78")
    sheet.title("Diffusion de l'information", _NOTES["diffusion"])
    header, first = 4, 5
    table = TABLES["diffusion"]
    d = {k: column(table, h) for k, h in DIFFUSION_HEADERS.items()}
    styles = {"date": "data_date", "what": "data_text", "recipient": "data_text", "tool": "data_text"}
    sheet.row(header, 1, list(DIFFUSION_HEADERS.values()), style="header")
    rows = _log_rows(diffusions, DIFFUSION_HEADERS, styles)
    for i, values in enumerate(rows):
        sheet.row(first + i, 1, values, style=list(styles.values()))
    last = first + len(rows) - 1
    sheet.tables.append(TableSpec(table, f"A{header}:D{last}"))
    end = last + 500
    sheet.validations.append(Validation(f"D{first}:D{end}", "list", None, '"' + ",".join(TOOLS) + '"',
                                        prompt="Outil de diffusion", error="Choisissez un outil de la liste."))
    sheet.validations.append(Validation(f"A{first}:A{end}", "date", "between", "1", "2958465",
                                        prompt="Date de diffusion", error="Une date est attendue."))
    # counts per partner × tool
    c0 = 6  # F: partner, G…: tools, then total, segment, type
    tools = list(dict.fromkeys([*TOOLS, *(_text(t) for t in diffusions["tool"] if _text(t))]))
    tool_cols = {t: c0 + 1 + j for j, t in enumerate(tools)}
    total_col = c0 + 1 + len(tools)
    seg_col, type_col = total_col + 1, total_col + 2
    sheet.set(3, c0, "Informations reçues par partenaire et par outil (envois au partenaire, à son segment ou à son type)",
              style="label")
    sheet.row(header, c0, ["Partenaire", *tools, "Total", "Segment", "Type"], style="header")
    sheet.heights[header] = 30
    p_rows = {}
    for i, partner in enumerate(partners):
        r = first + i
        p_rows[partner] = r
        sheet.set(r, c0, partner, style="text")
        for tool, c in tool_cols.items():
            f = "+".join(f"COUNTIFS({d['recipient']},{who},{d['tool']},{_crit(tool, f'{col(c)}${header}')})"
                         for who in (_crit(partner, f"${col(c0)}{r}"), f"${col(seg_col)}{r}", f"${col(type_col)}{r}"))
            sheet.set(r, c, formula=f, style="int")
        sheet.set(r, total_col, formula=f"SUM({col(c0 + 1)}{r}:{col(total_col - 1)}{r})", style="total_int")
        sheet.set(r, seg_col, formula=_segment_ref(q, _lookup(partner, f"${col(c0)}{r}")), style="text")
        sheet.set(r, type_col, formula=_lookup_text("type", _lookup(partner, f"${col(c0)}{r}")), style="text")
    sent_row = first + len(partners)
    sheet.set(sent_row, c0, "Envois (lignes du journal)", style="total_text")
    for tool, c in tool_cols.items():
        sheet.set(sent_row, c, formula=f"COUNTIF({d['tool']},{_crit(tool, f'{col(c)}${header}')})", style="total_int")
    sheet.set(sent_row, total_col, formula=f"SUM({col(c0 + 1)}{sent_row}:{col(total_col - 1)}{sent_row})",
              style="total_int")
    p_last = first + len(partners) - 1
    _rules(sheet, sent_row + 2, "diffusion", c0)
    sheet.conditional_formats.append(ConditionalFormat(f"{col(c0 + 1)}{first}:{col(total_col - 1)}{p_last}",
                                                       "cell_is", "greaterThan", ["0"], look="good"))
    sheet.conditional_formats.append(ConditionalFormat(f"{col(total_col)}{first}:{col(total_col)}{p_last}",
                                                       "cell_is", "equal", ["0"], look="bad"))
    sheet.widths.update({"A": 11, "B": 40, "C": 26, "D": 13, "E": 3, col(c0): 28,
                         **{col(c): 10 for c in tool_cols.values()}, col(total_col): 8, col(seg_col): 11,
                         col(type_col): 13})
    sheet.freeze = f"A{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Diffusion de l'information")
    return sheet, {"first": first, "tool_cols": tool_cols, "rows": p_rows, "total_col": total_col, "sent_row": sent_row}


_PERF_HEADERS = {"partner": "Partenaire", "type": "Type", "segment": "Segment", "revenue": "CA réalisé",
                 "previous": "CA N−1 (à saisir)", "growth": "Évolution", "potential": "Potentiel",
                 "share_potential": "Part du potentiel réalisée", "left": "Potentiel restant",
                 "share_network": "Part du CA du réseau", "rank": "Rang (CA)"}


def _performance_sheet(partners: list[str], previous: Mapping[str, float], q: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["performance"], tab_color="1F4E78")
    sheet.title("Performance des partenaires", _NOTES["performance"])
    header, first = 4, 5
    cols = {k: j for j, k in enumerate(_PERF_HEADERS, start=1)}
    L = {k: col(c) for k, c in cols.items()}
    sheet.row(header, 1, list(_PERF_HEADERS.values()), style="header")
    sheet.heights[header] = 42
    last = first + len(partners) - 1
    total = last + 1
    rows = {}
    for i, partner in enumerate(partners):
        r = first + i
        rows[partner] = r
        key = _lookup(partner, f"$A{r}")
        prev = previous.get(partner)
        sheet.row(r, 1, [
            partner,
            Formula(_lookup_text("type", key)),
            Formula(f'IFERROR(MID({_segment_ref(q, key)},{len(SEGMENT_PREFIX) + 1},20),"")'),
            Formula(_sum_of("revenue", _crit(partner, f"$A{r}"))),
            None if prev is None or _is_missing(prev) else float(prev),
            Formula(f'IF({L["previous"]}{r}=0,"",({L["revenue"]}{r}-{L["previous"]}{r})/{L["previous"]}{r})'),
            Formula(_sum_of("potential", _crit(partner, f"$A{r}"))),
            Formula(f'IF({L["potential"]}{r}=0,"",{L["revenue"]}{r}/{L["potential"]}{r})'),
            Formula(f'MAX(0,{L["potential"]}{r}-{L["revenue"]}{r})'),
            Formula(f'IF(${L["revenue"]}${total}=0,"",{L["revenue"]}{r}/${L["revenue"]}${total})'),
            Formula(f'RANK({L["revenue"]}{r},${L["revenue"]}${first}:${L["revenue"]}${last},0)'),
        ], style=["text", "text", "text", "eur", "input_eur", "pct", "eur", "pct", "eur", "pct", "int"])
    sums = {k: Formula(f"SUM({L[k]}{first}:{L[k]}{last})") for k in ("revenue", "previous", "potential", "left")}
    sheet.row(total, 1, [
        "Total", None, None, sums["revenue"], sums["previous"],
        Formula(f'IF({L["previous"]}{total}=0,"",({L["revenue"]}{total}-{L["previous"]}{total})/{L["previous"]}{total})'),
        sums["potential"],
        Formula(f'IF({L["potential"]}{total}=0,"",{L["revenue"]}{total}/{L["potential"]}{total})'),
        sums["left"],
        Formula(f'IF({L["revenue"]}{total}=0,"",{L["revenue"]}{total}/{L["revenue"]}{total})'),
        None,
    ], style=["total_text", "total_text", "total_text", "total_eur", "total_eur", "total_pct", "total_eur", "total_pct",
              "total_eur", "total_pct", "total_text"])
    _rules(sheet, total + 2, "performance")
    sheet.validations.append(Validation(f"{L['previous']}{first}:{L['previous']}{last}", "decimal", "greaterThanOrEqual",
                                        "0", prompt="CA HT de l'exercice précédent", error="Un montant positif est attendu."))
    growth = f"{L['growth']}{first}:{L['growth']}{last}"
    sheet.conditional_formats.append(ConditionalFormat(growth, "cell_is", "lessThan", ["0"], look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(growth, "cell_is", "greaterThan", ["0"], look="good"))
    sheet.conditional_formats.append(ConditionalFormat(f"{L['share_potential']}{first}:{L['share_potential']}{last}",
                                                       "data_bar", colors=("638EC6",)))
    q_ = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "column", "CA réalisé et potentiel par partenaire", "M4",
        [ChartSeries(f"{q_}!${L['revenue']}${first}:${L['revenue']}${last}", "CA réalisé",
                     categories=f"{q_}!$A${first}:$A${last}"),
         ChartSeries(f"{q_}!${L['potential']}${first}:${L['potential']}${last}", "Potentiel",
                     categories=f"{q_}!$A${first}:$A${last}")],
        y_format='#,##0 "€"', width_cm=22, height_cm=11))
    sheet.widths.update({"A": 28, "B": 13, "C": 9, "D": 14, "E": 14, "F": 11, "G": 14, "H": 12, "I": 14, "J": 12, "K": 8})
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Performance des partenaires")
    return sheet, {"first": first, "rows": rows, "cols": cols, "total": total}


_GDPR_HEADERS = {"partner": "Partenaire", "type": "Type", "contact": "Contact", "processing": "Traitement (à choisir)",
                 "basis": "Base légale", "months": "Durée (mois)", "consent": "Date consentement",
                 "last_contact": "Dernier contact", "start": "Début de conservation", "end": "Fin de conservation",
                 "alert": "Alerte"}


def _gdpr_sheet(partners: list[str], register: pd.DataFrame, processing: Mapping[str, str],
                reference_date: dt.date | None) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["gdpr"], tab_color="C00000")
    sheet.title("RGPD : registre des traitements et durées de conservation", _NOTES["gdpr"])
    sheet.set(3, 1, "Date de référence", style="label")
    if reference_date is None:
        sheet.set(3, 2, formula="TODAY()", style="input_date")
    else:
        sheet.set(3, 2, reference_date, style="input_date")
    sheet.validations.append(Validation("B3", "date", "between", "1", "2958465", prompt="Date du contrôle (aujourd'hui par défaut)",
                                        error="Une date est attendue."))
    # register
    reg_label, reg_header = 7, 8
    reg_first = reg_header + 1
    sheet.set(reg_label, 1, "Registre des traitements (art. 30 RGPD) — lignes vides du tableau : à compléter", style="label")
    sheet.row(reg_header, 1, list(REGISTER_HEADERS.values()), style="header")
    sheet.heights[reg_header] = 42
    reg_styles = ["data_text"] * 5 + ["data_int"]
    records = [[None if _is_missing(rec.get(k)) else (int(_number(rec[k]) or 0) if k == "months" else rec[k])
                for k in REGISTER_HEADERS] for rec in register.to_dict("records")]
    records += [[None] * len(REGISTER_HEADERS)] * _REGISTER_SPARE_ROWS
    for i, values in enumerate(records):
        sheet.row(reg_first + i, 1, values, style=reg_styles)
    reg_last = reg_first + len(records) - 1
    sheet.tables.append(TableSpec(TABLES["register"], f"A{reg_header}:F{reg_last}", style="TableStyleLight9"))
    sheet.validations.append(Validation(f"C{reg_first}:C{reg_last}", "list", None, '"' + ",".join(LEGAL_BASES) + '"',
                                        prompt="Base légale (art. 6 RGPD)", error="Choisissez une base légale de la liste."))
    sheet.validations.append(Validation(f"F{reg_first}:F{reg_last}", "whole", "between", "0", "1200",
                                        prompt="Durée de conservation en mois", error="Un nombre de mois est attendu."))
    t = TABLES["register"]
    reg = {k: column(t, h) for k, h in REGISTER_HEADERS.items()}
    # per partner
    label = reg_last + 2
    header = label + 1
    first = header + 1
    last = first + len(partners) - 1
    sheet.set(label, 1, "Fiches des contacts : fin de conservation et alertes", style="label")
    cols = {k: j for j, k in enumerate(_GDPR_HEADERS, start=1)}
    L = {k: col(c) for k, c in cols.items()}
    sheet.row(header, 1, list(_GDPR_HEADERS.values()), style="header")
    sheet.heights[header] = 42
    rows = {}
    for i, partner in enumerate(partners):
        r = first + i
        rows[partner] = r
        key = _lookup(partner, f"$A{r}")
        proc = f"${L['processing']}{r}"
        start = f"{L['start']}{r}"
        end = f"{L['end']}{r}"
        sheet.row(r, 1, [
            partner,
            Formula(_lookup_text("type", key)),
            Formula(_lookup_text("contact", key)),
            processing.get(partner) or None,
            Formula(f'IFERROR(INDEX({reg["basis"]},MATCH({proc},{reg["processing"]},0))&"","")'),
            Formula(f'IFERROR(INDEX({reg["months"]},MATCH({proc},{reg["processing"]},0)),"")'),
            Formula(_lookup_value("consent_date", key)),
            Formula(_lookup_value("last_contact", key)),
            Formula(f'IF(AND({L["consent"]}{r}="",{L["last_contact"]}{r}=""),"",MAX({L["consent"]}{r},{L["last_contact"]}{r}))'),
            Formula(f'IF(OR({start}="",{L["months"]}{r}=""),"",EDATE({start},{L["months"]}{r}))'),
            Formula(f'IF(AND({end}<>"",{end}<$B$3),"{PURGE}",IF(AND({L["basis"]}{r}="consentement",'
                    f'{L["consent"]}{r}=""),"{NO_CONSENT}",""))'),
        ], style=["text", "text", "text", "input_text", "text", "int", "date", "date", "date", "date", "text"])
    names = [_text(p) for p in register["processing"] if _text(p)]
    if names and not any(("," in n or '"' in n) for n in names):
        sheet.validations.append(Validation(f"{L['processing']}{first}:{L['processing']}{last}", "list", None,
                                            '"' + ",".join(dict.fromkeys(names)) + '"',
                                            prompt="Traitement du registre dont relève la fiche",
                                            error="Choisissez un traitement du registre.", allow_blank=True))
    alert = f"${L['alert']}${first}:${L['alert']}${last}"
    sheet.set(4, 1, "Fiches à purger", style="label")
    sheet.set(4, 2, formula=f'COUNTIF({alert},"{PURGE}")', style="total_int")
    sheet.set(5, 1, "Consentements manquants", style="label")
    sheet.set(5, 2, formula=f'COUNTIF({alert},"{NO_CONSENT}")', style="total_int")
    block = f"A{first}:{L['alert']}{last}"
    _rules(sheet, last + 2, "gdpr")
    sheet.conditional_formats.append(ConditionalFormat(block, "expression", formula=[f'${L["alert"]}{first}="{PURGE}"'],
                                                       look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(block, "expression",
                                                       formula=[f'${L["alert"]}{first}="{NO_CONSENT}"'], look="neutral"))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{L['end']}{first}:{L['end']}{last}", "expression",
        formula=[f'AND({L["end"]}{first}<>"",{L["end"]}{first}>=$B$3,{L["end"]}{first}<EDATE($B$3,3))'], look="neutral"))
    sheet.widths.update({"A": 28, "B": 40, "C": 22, "D": 40, "E": 26, "F": 14, "G": 14, "H": 14, "I": 14, "J": 14,
                         "K": 22})
    sheet.freeze = "B4"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="RGPD")
    return sheet, {"reference_cell": "B3", "purge_cell": "B4", "consent_cell": "B5", "register_first": reg_first,
                   "rows": rows, "cols": cols}


# ------------------------------------------------------------------------------------------------
# the book
# ------------------------------------------------------------------------------------------------

def build_network(partners: pd.DataFrame, *, year: int | None = None, reference_date: dt.date | str | None = None,
                  weights: Mapping[str, float] | None = None,
                  thresholds: Mapping[str, tuple[float, float]] | None = None,
                  actions: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None,
                  diffusions: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None,
                  previous_revenue: Mapping[str, float] | None = None,
                  register: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None,
                  processing: Mapping[str, str] | None = None) -> tuple[BookPlan, NetworkLayout]:
    """Plan the partner-network workbook.

    Parameters
    ----------
    partners : DataFrame
        The directory (:func:`xlsales.io.read_partners`): partner, type, contact, email, phone,
        region, revenue, potential, last_contact, consent_date and « Note … » rating columns
        (none: an empty « Note globale » column to fill in). Partner names must be unique.
    year : int, optional
        Year of the animation calendar; default: the year of the latest last contact, else this year.
    reference_date : date, optional
        Fixed date of the GDPR check; default: the formula ``TODAY()``.
    weights : mapping rating column → weight, optional
        Weights of the qualification grid (default 1 for each criterion).
    thresholds : mapping type → (threshold A, threshold B), optional
        Lowest score of segments A and B per partner type (default 4 and 3).
    actions : DataFrame or records, optional
        Animation plan: target, action, tool, owner, date, status; default :func:`default_actions`.
    diffusions : DataFrame or records, optional
        Diffusion log: date, what, recipient, tool; default: empty.
    previous_revenue : mapping partner → revenue of the previous year, optional
    register : DataFrame or records, optional
        Processing register: processing, purpose, basis, categories, subjects, months; default
        :data:`DEFAULT_REGISTER`.
    processing : mapping partner → processing name, optional
        The processing each contact's record falls under; default « Prospection commerciale » for
        prescribers and « Fiches partenaires » for the others.

    Returns
    -------
    (BookPlan, NetworkLayout)

    Raises
    ------
    ValueError
        Empty directory, missing Partenaire/Type column or duplicate partner names (French message).
    """
    frame, ratings = _partners_frame(partners)
    names = frame["partner"].tolist()
    types = dict(zip(names, frame["type"]))
    if year is None:
        known = [d for d in frame["last_contact"] if d is not None]
        year = max(known).year if known else dt.date.today().year
    year = int(year)
    weights = {r: float((weights or {}).get(r, 1.0)) for r in ratings}
    thresholds = {t: tuple(float(x) for x in (thresholds or {}).get(t, DEFAULT_THRESHOLDS)) for t in TYPES}
    actions = _frame(default_actions(frame, year) if actions is None else actions, ACTION_HEADERS)
    diffusions = _frame(diffusions, DIFFUSION_HEADERS)
    register = _frame(DEFAULT_REGISTER if register is None else register, REGISTER_HEADERS)
    register_names = {_text(p) for p in register["processing"]}
    chosen = dict(processing or {})
    processing_map = {}
    for p in names:
        value = _text(chosen.get(p))
        if not value:
            value = _DEFAULT_PROCESSING.get(types[p], "Fiches partenaires")
            if value not in register_names and register_names:
                value = next(iter(_text(x) for x in register["processing"] if _text(x)))
        processing_map[p] = value
    previous = {p: float(v) for p, v in (previous_revenue or {}).items() if _number(v) is not None}
    perf_partners = [p for p in names if types[p] != "fournisseur" or not pd.isna(frame.loc[names.index(p), "revenue"])
                     or not pd.isna(frame.loc[names.index(p), "potential"])]
    ref = _date(reference_date)

    book = BookPlan(title="Réseau de partenaires")
    directory = _directory_sheet(frame, ratings)
    qualification, q = _qualification_sheet(names, ratings, weights, thresholds)
    plan_sheet, a = _plan_sheet(names, actions, year, q)
    diffusion_sheet, d = _diffusion_sheet(names, diffusions, q)
    performance, p = _performance_sheet(perf_partners, previous, q)
    gdpr, g = _gdpr_sheet(names, register, processing_map, ref)
    for sheet in (directory, qualification, plan_sheet, diffusion_sheet, performance, gdpr):
        book.add(sheet)
    book.active = qualification.name
    layout = NetworkLayout(
        year=year, reference_date=ref, partners=names, types=types, ratings=ratings, weights=weights,
        thresholds=thresholds, q_weight_row=q["weight_row"], q_first_row=q["first"], q_rows=q["rows"],
        q_rating_cols=q["rating_cols"], q_score_col=q["score_col"], q_segment_col=q["segment_col"],
        q_threshold_rows=q["threshold_rows"], q_threshold_col=q["threshold_col"], q_count_rows=q["count_rows"],
        q_count_cols=q["count_cols"], actions=actions, a_first_row=a["first"], a_year_cell=a["year_cell"],
        a_late_cell=a["late_cell"], cal_month_row=a["month_row"], cal_first_col=a["first_month_col"],
        cal_rows=a["cal_rows"], diffusions=diffusions, d_first_row=d["first"], d_tool_cols=d["tool_cols"],
        d_rows=d["rows"], d_total_col=d["total_col"], d_sent_row=d["sent_row"], perf_partners=perf_partners,
        p_rows=p["rows"], p_cols=p["cols"], p_total_row=p["total"], previous_revenue=previous, register=register,
        g_reference_cell=g["reference_cell"], g_purge_cell=g["purge_cell"], g_consent_cell=g["consent_cell"],
        g_register_first_row=g["register_first"], g_rows=g["rows"], g_cols=g["cols"], processing=processing_map,
    )
    return book, layout


# ------------------------------------------------------------------------------------------------
# reading a workbook back (to rebuild it without losing what was typed)
# ------------------------------------------------------------------------------------------------

def _cell(rows: list[list], r: int, c: int) -> Any:
    """Value at 1-based (r, c) of a grid of values, None when outside or empty."""
    if r < 1 or c < 1 or r > len(rows) or c > len(rows[r - 1] or []):
        return None
    value = rows[r - 1][c - 1]
    return None if isinstance(value, str) and value == "" else value


def _find(rows: list[list], text: str, column: int | None = None) -> tuple[int, int] | None:
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row or [], start=1):
            if (column is None or j == column) and isinstance(value, str) and value.strip() == text:
                return i, j
    return None


def _read_table(rows: list[list], headers: Mapping[str, str], *, stop: str | None = None) -> pd.DataFrame:
    """The rows of a table found by its header texts (empty rows skipped; stops at ``stop`` in its first column)."""
    first_header = next(iter(headers.values()))
    where = None
    for i, row in enumerate(rows, start=1):
        texts = [v.strip() if isinstance(v, str) else v for v in (row or [])]
        for j, value in enumerate(texts, start=1):
            if value == first_header and all(_cell(rows, i, j + k) is not None and str(_cell(rows, i, j + k)).strip() == h
                                             for k, h in enumerate(headers.values())):
                where = (i, j)
                break
        if where:
            break
    if where is None:
        return pd.DataFrame(columns=list(headers))
    i0, j0 = where
    records = []
    for r in range(i0 + 1, len(rows) + 1):
        if stop is not None and isinstance(_cell(rows, r, j0), str) and _cell(rows, r, j0).strip() == stop:
            break
        values = [_cell(rows, r, j0 + k) for k in range(len(headers))]
        if all(_is_missing(v) for v in values):
            continue
        records.append(dict(zip(headers, values)))
    return pd.DataFrame(records, columns=list(headers))


def read_inputs(sheets: Mapping[str, list[list]], *, today: dt.date | None = None) -> dict[str, Any]:
    """What the user typed on the rebuilt sheets of a network workbook.

    Parameters
    ----------
    sheets : mapping sheet name → grid of values (rows of cells, as
        :func:`xlsales.macros.live.sheet_rows` returns them or openpyxl's ``values_only`` rows).
    today : date, optional
        A reference date read equal to it is taken for the ``TODAY()`` formula (kept as a formula).

    Returns
    -------
    dict
        ``weights``, ``thresholds``, ``year``, ``actions``, ``diffusions``, ``previous_revenue``,
        ``register``, ``processing`` and ``reference_date``: keyword arguments of
        :func:`build_network` (only those found).
    """
    out: dict[str, Any] = {}
    today = today or dt.date.today()
    q = sheets.get(SHEETS["qualification"])
    if q:
        at = _find(q, "Poids (à saisir)", column=1)
        if at:
            r = at[0]
            weights = {}
            c = 3
            while isinstance(_cell(q, r + 1, c), str) and _cell(q, r + 1, c).strip() not in ("Score", "Segment"):
                value = _number(_cell(q, r, c))
                if value is not None:
                    weights[_cell(q, r + 1, c).strip()] = value
                c += 1
            out["weights"] = weights
        at = _find(q, "Seuil A")
        if at:
            r, c = at
            thresholds = {}
            rr = r + 1
            while isinstance(_cell(q, rr, c - 1), str) and _cell(q, rr, c - 1).strip() in TYPES:
                a, b = _number(_cell(q, rr, c)), _number(_cell(q, rr, c + 1))
                if a is not None and b is not None:
                    thresholds[_cell(q, rr, c - 1).strip()] = (a, b)
                rr += 1
            out["thresholds"] = thresholds
    a = sheets.get(SHEETS["plan"])
    if a:
        year = _number(_cell(a, 3, 2))
        if year:
            out["year"] = int(year)
        actions = _read_table(a, ACTION_HEADERS)
        actions["date"] = [_date(v) for v in actions["date"]]
        for k in ("target", "action", "tool", "owner", "status"):
            actions[k] = [_text(v) or None for v in actions[k]]
        out["actions"] = actions
    d = sheets.get(SHEETS["diffusion"])
    if d:
        diffusions = _read_table(d, DIFFUSION_HEADERS)
        diffusions["date"] = [_date(v) for v in diffusions["date"]]
        for k in ("what", "recipient", "tool"):
            diffusions[k] = [_text(v) or None for v in diffusions[k]]
        out["diffusions"] = diffusions
    p = sheets.get(SHEETS["performance"])
    if p:
        at = _find(p, _PERF_HEADERS["previous"])
        if at:
            r, c = at
            previous = {}
            for rr in range(r + 1, len(p) + 1):
                name = _text(_cell(p, rr, 1))
                if not name or name == "Total":
                    break
                value = _number(_cell(p, rr, c))
                if value is not None:
                    previous[name] = value
            out["previous_revenue"] = previous
    g = sheets.get(SHEETS["gdpr"])
    if g:
        ref = _date(_cell(g, 3, 2))
        out["reference_date"] = None if ref == today else ref
        register = _read_table(g, REGISTER_HEADERS, stop="Fiches des contacts : fin de conservation et alertes")
        register = register[[bool(_text(v)) for v in register["processing"]]].reset_index(drop=True)
        register["months"] = [None if _number(v) is None else int(_number(v)) for v in register["months"]]
        out["register"] = register
        at = _find(g, _GDPR_HEADERS["processing"])
        if at:
            r, c = at
            processing = {}
            for rr in range(r + 1, len(g) + 1):
                name = _text(_cell(g, rr, 1))
                if not name:
                    break
                value = _text(_cell(g, rr, c))
                if value:
                    processing[name] = value
            out["processing"] = processing
    return out


# ------------------------------------------------------------------------------------------------
# entry points: files (CLI), the sample company (ready-made workbook, template), an open workbook
# ------------------------------------------------------------------------------------------------

def plan_from_files(partners: pd.DataFrame | None, *, year: int | None = None,
                    reference_date: dt.date | str | None = None) -> BookPlan:
    """The network workbook of ``xlsales network PARTNERS -o OUT``.

    Parameters
    ----------
    partners : DataFrame
        :func:`xlsales.io.read_partners` of the PARTNERS file (required: a ValueError in French
        when it is None or empty).
    year : int, optional
        Year of the animation calendar (default: year of the latest last contact).
    reference_date : date, optional
        Fixed date of the GDPR check (default: ``TODAY()`` in the workbook).

    The animation plan proposed is :func:`default_actions`; the diffusion log starts empty; the
    register is :data:`DEFAULT_REGISTER`.
    """
    if partners is None:
        raise ValueError("un fichier de partenaires est nécessaire (colonnes Partenaire et Type au minimum)")
    return build_network(partners, year=year, reference_date=reference_date)[0]


def plan_for_company(company) -> BookPlan:
    """The network workbook of the sample company: calendar of the year after its sales history,
    proposed animation plan and a few diffusion-log entries."""
    year = int(pd.to_datetime(company.sales["date"]).dt.year.max()) + 1
    partners = company.partners
    return build_network(partners, year=year, diffusions=example_diffusions(partners, year))[0]


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open network workbook (template button, xlwings Lite).

    The directory is read from « Annuaire » (same checks as the CLI); weights and thresholds of
    « Qualification », the year and the actions of « Plan d'animation », the log of « Diffusion »,
    the previous revenue of « Performance », the register, the processing of each record and a
    typed reference date of « RGPD » are read first and written back into the rebuilt sheets.
    """
    from .live import read_input, refresh_outputs, sheet_rows

    partners = read_input(book, SHEETS["directory"], xio.PARTNERS)
    present = [s.name for s in book.sheets]
    grids = {name: sheet_rows(book, name) for name in SHEETS.values() if name in present and name != SHEETS["directory"]}
    inputs = read_inputs(grids)
    plan, _ = build_network(partners, **inputs)
    return refresh_outputs(book, plan)
