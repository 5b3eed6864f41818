"""Kit de recrutement: staffing needs, job profile, recruitment steps, interview grid, candidate
comparison and onboarding plan, in live native formulas.

Sheets
------
* « Besoins »: headcount per region (or team) counted from the « Équipe » table at the reference
  date, planned departures, workload method (customers × growth × visits × hours / hours a rep has
  for customers) → target headcount and recruitments to plan; skills to look for (level the job
  requires vs the team's mean level). The yellow cells are typed; the button keeps them.
* « Profil de poste » (input): the job profile in the structure of the reference (intitulé,
  rattachement, finalité, missions, cible, objectifs, savoirs / savoir-faire / savoir-être,
  formation et expérience, conditions), pre-filled for a technico-commercial.
* « Étapes » (input): the eight steps of a recruitment with owners, start dates and durations,
  computed end dates and follow-up, a Gantt chart by week made of conditional formats, and the
  legal reminders (L1132-1, L1221-6, L1221-8/9). The reference date (``DateRef``) is here.
* « Grille » (input): criteria × weights × eliminatory × minimum rating, and the scale (``NoteMin``,
  ``NoteMax``, ``Bareme``, ``SeuilRetenu``, ``Postes``).
* « Candidats » (input): ratings grid candidate × criterion, validated on the scale; the grid's
  weights, eliminatory flags and minimums are shown above each criterion.
* « Comparaison »: weighted score = SUMPRODUCT(weights, ratings) / SUM(weights) and the score
  out of the scale, eliminatory criteria below their minimum, rank among the candidates kept
  (RANK, ties broken by the heaviest criterion, then by order), decision suggested, chart.
* « Intégration »: onboarding plan J-7 … M+12: owner, person, date = arrival + offset (days,
  months, or days from the end of the trial period), trial-period end (typed duration and
  renewal), status typed and follow-up with conditional formats.
* « Équipe » (input): the team as the Excel Table ``Equipe`` (lines can be added).

The rules are those of :mod:`xlsales.core.recruitment` (the tests compare every computed cell with
it). Only functions of Excel 2010 / LibreOffice 7.4 are used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..core import recruitment as core
from ..sheets.formulas import column
from ..sheets.plan import (
    BookPlan,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    PrintSetup,
    SheetPlan,
    TableSpec,
    Validation,
    col,
    quote_sheet,
)

__all__ = [
    "SHEETS",
    "Capacity",
    "GroupNeed",
    "Onboarding",
    "OnboardingAction",
    "RecruitmentLayout",
    "Scale",
    "SkillNeed",
    "Step",
    "build_recruitment",
    "default_grid",
    "plan_for_company",
    "plan_from_files",
    "read_inputs",
    "refresh",
]

SHEETS = {"needs": "Besoins", "profile": "Profil de poste", "steps": "Étapes", "grid": "Grille",
          "candidates": "Candidats", "comparison": "Comparaison", "onboarding": "Intégration", "team": "Équipe"}
TEAM_TABLE = "Equipe"
#: columns of the « Équipe » table (headers read back by :data:`xlsales.io.REPS`; no apostrophe, so
#: that the structured references stay plain)
TEAM_HEADERS = {"rep": "Commercial", "name": "Nom", "region": "Région", "team": "Équipe",
                "hire_date": "Date entrée", "end_date": "Date de sortie", "manager": "Manager"}
SPARE_CRITERIA = 2
SPARE_CANDIDATES = 5
SPARE_SKILLS = 2
SPARE_ACTIONS = 3
STEP_STATUSES = ("à faire", "en cours", "fait")
OWNERS = ("RH", "Manager", "Tuteur", "Collaborateur", "Services généraux", "Direction")
UNITS = ("jours", "mois", "fin d'essai")
SKILL_KINDS = ("savoir", "savoir-faire", "savoir-être")

_Q = {k: quote_sheet(v) for k, v in SHEETS.items()}


# ------------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------------

@dataclass
class Scale:
    """Rating scale and decision rules (« Grille »)."""

    low: float = 1.0
    high: float = 5.0
    out_of: float = 20.0
    threshold: float = 12.0
    positions: int = 1


@dataclass
class Capacity:
    """Time a rep has for customers (« Besoins »)."""

    days: float = 215.0
    hours_per_day: float = 7.0
    field_share: float = 0.6


@dataclass
class GroupNeed:
    """Inputs of one region (or team) of « Besoins »."""

    departures: float | None = 0
    customers: float | None = None
    growth: float | None = 0.0
    visits: float | None = 12.0
    visit_hours: float | None = 3.0
    target: float | None = None


@dataclass
class SkillNeed:
    skill: str
    kind: str | None = None
    required: float | None = None
    team_level: float | None = None


@dataclass
class Step:
    name: str
    content: str | None
    owner: str | None
    start: dt.date | None
    days: float | None
    status: str | None = "à faire"


@dataclass
class OnboardingAction:
    milestone: str | None
    action: str | None
    owner: str | None
    offset: float | None
    unit: str | None = "jours"
    status: str | None = "à faire"


@dataclass
class Onboarding:
    newcomer: str | None = None
    hire_date: dt.date | None = None
    manager: str | None = None
    tutor: str | None = None
    trial_months: float | None = 3
    renewal_months: float | None = 0
    actions: list[OnboardingAction] | None = None


DEFAULT_STEPS = [
    ("Analyse du besoin", "Effectif, charge de travail et compétences à recruter (feuille Besoins) ; budget du poste",
     "Manager", 7),
    ("Profil de poste", "Fiche de poste et profil recherché (feuille Profil de poste), validés par la direction",
     "Manager + RH", 7),
    ("Sourcing", "Mobilité interne, annonce (H/F), jobboards, réseaux sociaux, écoles, cooptation, cabinet", "RH", 21),
    ("Présélection", "Tri des CV sur les critères du profil, entretiens téléphoniques", "RH + manager", 7),
    ("Entretiens", "Entretiens structurés (feuille Grille), mise en situation de vente, tests annoncés", "Manager + RH", 14),
    ("Décision", "Comparaison des candidats (feuille Comparaison), références avec l'accord du candidat", "Direction", 3),
    ("Proposition et contrat", "Offre écrite, contrat de travail, réponse à chaque candidat non retenu", "RH", 7),
    ("Intégration", "Accueil, tutorat et suivi de la période d'essai (feuille Intégration)", "Manager + tuteur", 90),
]
#: days between the contract and the arrival (the candidate's notice) in the default schedule
NOTICE_DAYS = 30

DEFAULT_ACTIONS = [
    ("J-7", "Déclaration préalable à l'embauche (DPAE) à l'URSSAF", "RH", -7, "jours"),
    ("J-7", "Envoyer le livret d'accueil et le programme de la première semaine", "Manager", -7, "jours"),
    ("J-5", "Préparer le poste : véhicule, téléphone, ordinateur, accès CRM et messagerie, cartes de visite",
     "Services généraux", -5, "jours"),
    ("J-1", "Annoncer l'arrivée à l'équipe et aux clients clés ; préparer le tuteur", "Manager", -1, "jours"),
    ("J1", "Accueil : entreprise, équipe, règles de sécurité ; remise des outils et du livret d'accueil", "Manager", 0,
     "jours"),
    ("J2 à J5", "Formation produits, tarifs, outils (CRM, ERP) et process commerciaux", "Tuteur", 1, "jours"),
    ("S2", "Tournées en binôme avec le tuteur chez les clients clés du secteur", "Tuteur", 7, "jours"),
    ("S4", "Premiers rendez-vous en autonomie, débriefés avec le tuteur", "Collaborateur", 21, "jours"),
    ("M1", "Point d'étape avec le manager et rapport d'étonnement", "Manager", 1, "mois"),
    ("M2", "Visite d'information et de prévention (dans les 3 mois de la prise de poste)", "RH", 2, "mois"),
    ("M2", "Point d'étape : objectifs de visites et premiers résultats", "Manager", 2, "mois"),
    ("Fin d'essai − 15 j", "Bilan de période d'essai : confirmation, renouvellement ou rupture (délai de prévenance)",
     "Manager", -15, "fin d'essai"),
    ("M6", "Bilan d'intégration à 6 mois et objectifs de l'année", "Manager", 6, "mois"),
    ("M12", "Premier entretien de parcours professionnel (dans l'année qui suit l'embauche)", "RH", 12, "mois"),
]

DEFAULT_SKILLS = [
    ("Connaissance technique des produits", "savoir", 3),
    ("Découverte des besoins", "savoir-faire", 4),
    ("Argumentation technique", "savoir-faire", 4),
    ("Négociation", "savoir-faire", 3),
    ("Prospection", "savoir-faire", 3),
    ("Outils CRM", "savoir-faire", 2),
    ("Écoute et sens du service", "savoir-être", 3),
]
_SKILL_KIND = {"connaissance produits": "savoir", "anglais technique": "savoir"}

#: the interview grid used when none is given (reference §10)
DEFAULT_GRID = [
    ("Compétences techniques", 3, False, None, "Connaissances des produits et procédés du secteur, lecture d'un besoin technique"),
    ("Compétences commerciales", 3, False, None, "Mise en situation : découverte, argumentation, traitement des objections"),
    ("Communication orale", 2, False, None, "Clarté, écoute, reformulation"),
    ("Motivation pour le poste", 2, False, None, "Connaissance de l'entreprise et du poste, projet professionnel"),
    ("Adéquation à l'équipe", 1, False, None, "Travail en équipe, autonomie, organisation"),
    ("Mobilité (permis B, déplacements)", 1, True, 3, "Déplacements quotidiens sur le secteur : exigence liée au poste"),
]
_DESCRIPTIONS = {name: text for name, *_, text in DEFAULT_GRID}

_GRID_HEADERS = ["Critère", "Poids", "Éliminatoire", "Note minimale (si éliminatoire)", "Part du poids",
                 "Ce que l'on évalue (questions en lien direct avec le poste)"]

_LEGAL_STEPS = [
    ("Non-discrimination (C. trav., art. L1132-1) : aucune personne ne peut être écartée d'une procédure de recrutement "
     "en raison de son origine, son sexe, son âge, sa situation de famille, sa grossesse, son état de santé, son handicap, "
     "son apparence physique, son nom, son lieu de résidence, ses opinions, ses activités syndicales, ses convictions "
     "religieuses… (liste complète dans l'article)."),
    ("Informations demandées au candidat (art. L1221-6) : elles ont pour seule finalité d'apprécier sa capacité à occuper "
     "l'emploi ou ses aptitudes professionnelles et présentent un lien direct et nécessaire avec l'emploi proposé."),
    ("Méthodes de recrutement (art. L1221-8 et L1221-9) : le candidat est informé au préalable des méthodes et techniques "
     "utilisées ; aucune information le concernant ne peut être collectée par un dispositif non porté à sa connaissance."),
    ("Données des candidats (RGPD) : conserver les candidatures au plus 2 ans après le dernier contact (recommandation "
     "CNIL), sauf accord du candidat ; répondre à chaque candidat. Textes à vérifier sur Légifrance."),
]
_LEGAL_ONBOARDING = [
    ("Période d'essai d'un CDI (art. L1221-19) : 2 mois au plus pour les ouvriers et employés, 3 mois pour les agents de "
     "maîtrise et techniciens, 4 mois pour les cadres ; renouvelable une fois si un accord de branche étendu le prévoit et "
     "si le contrat le stipule (art. L1221-21), renouvellement compris 4, 6 ou 8 mois."),
    ("Décompte de quantième à quantième : fin = MOIS.DECALER(arrivée ; durée) − 1 jour (dernier jour du mois si ce "
     "quantième n'existe pas). Rupture pendant l'essai : délai de prévenance (art. L1221-25 pour l'employeur, "
     "L1221-26 pour le salarié)."),
    ("DPAE à l'URSSAF dans les 8 jours qui précèdent l'embauche ; visite d'information et de prévention dans les 3 mois "
     "de la prise de poste (art. R4624-10) ; premier entretien de parcours professionnel dans l'année qui suit l'embauche "
     "(loi n° 2025-989 du 24 octobre 2025). Textes à vérifier sur Légifrance."),
]


def default_grid() -> pd.DataFrame:
    """The interview grid of the reference (§10): criterion, weight, eliminatory, min_rating, description."""
    return pd.DataFrame(DEFAULT_GRID, columns=["criterion", "weight", "eliminatory", "min_rating", "description"])


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", ".").replace("\u202f", "").replace(" ", "")) \
            if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and (not value.strip() or value.startswith("="))):
        return None
    if not isinstance(value, str) and pd.isna(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))).date()
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date()


def _yes(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return _text(value).lower() in ("oui", "o", "yes", "y", "vrai", "true", "1", "x")


def _grid_frame(grid: pd.DataFrame | None, candidates: pd.DataFrame | None) -> pd.DataFrame:
    """criterion, weight, eliminatory (bool), min_rating, description — one row per criterion."""
    if grid is None:
        if candidates is not None and len(candidates):
            names = list(dict.fromkeys(_text(c) for c in candidates["criterion"] if _text(c)))
            frame = pd.DataFrame({"criterion": names, "weight": 1.0, "eliminatory": False, "min_rating": np.nan})
        else:
            frame = default_grid()
    else:
        if "criterion" not in grid.columns or "weight" not in grid.columns:
            raise ValueError("la grille d'entretien doit avoir les colonnes « Critère » et « Poids »")
        frame = grid.copy()
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame({"criterion": [_text(c) for c in frame["criterion"]]})
    out["weight"] = [_num(w) for w in frame["weight"]]
    out["eliminatory"] = [_yes(v) for v in frame["eliminatory"]] if "eliminatory" in frame.columns else False
    out["min_rating"] = [_num(v) for v in frame["min_rating"]] if "min_rating" in frame.columns else None
    if "description" in frame.columns:
        out["description"] = [_text(v) or None for v in frame["description"]]
    else:
        out["description"] = [_DESCRIPTIONS.get(c) for c in out["criterion"]]
    out = out[out["criterion"] != ""].reset_index(drop=True)
    duplicated = sorted(set(out["criterion"][out["criterion"].duplicated()]))
    if duplicated:
        raise ValueError(f"critères en double dans la grille : {', '.join(duplicated)}")
    if out.empty:
        raise ValueError("la grille d'entretien ne contient aucun critère")
    return out


def _scale_for(ratings: np.ndarray, scale: Scale | None) -> Scale:
    if scale is not None:
        return scale
    low, high = core.rating_scale(ratings)
    return Scale(low=low, high=high, out_of=20.0, threshold=round(0.6 * 20, 2), positions=1)


def _reps_frame(reps: pd.DataFrame | None) -> pd.DataFrame:
    columns = list(TEAM_HEADERS)
    if reps is None or len(reps) == 0:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"rep": [_text(v) for v in reps["rep"]]}) if "rep" in reps.columns else None
    if frame is None:
        raise ValueError("l'équipe doit avoir une colonne « Commercial »")
    for name in columns[1:]:
        if name not in reps.columns:
            frame[name] = None
        elif name in ("hire_date", "end_date"):
            frame[name] = [_date(v) for v in reps[name]]
        else:
            frame[name] = [_text(v) or None for v in reps[name]]
    return frame[frame["rep"] != ""].reset_index(drop=True)


def _group_by(team: pd.DataFrame) -> str | None:
    for name in ("region", "team"):
        if name in team.columns and any(_text(v) for v in team[name]):
            return name
    return None


NO_GROUP = "(non renseignée)"
ALL = "Ensemble de l'équipe"


def _groups(team: pd.DataFrame, by: str | None, extra: Sequence[str] = ()) -> list[str]:
    if by is None:
        return [ALL]
    names = list(dict.fromkeys([_text(v) for v in team[by] if _text(v)] + [g for g in extra if g and g != NO_GROUP]))
    if any(not _text(v) for v in team[by]) or NO_GROUP in extra:
        names.append(NO_GROUP)
    return names


def _notes(sheet: SheetPlan, row: int, texts: Sequence[str], width: int = 150) -> int:
    """Write notes in column A, one printed line (≤ ``width`` characters) a row; returns the next free row."""
    for text in texts:
        for line in textwrap.wrap(text, width):
            sheet.set(row, 1, line, style="note")
            row += 1
    return row


def _first_monday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


# ------------------------------------------------------------------------------------------------
# layout
# ------------------------------------------------------------------------------------------------

@dataclass
class RecruitmentLayout:
    """Where things are in the generated workbook, and the inputs it was built from (tests, refresh)."""

    reference_date: dt.date | None
    group_by: str | None
    groups: list[str]
    group_rows: dict[str, int]
    needs_total_row: int
    needs_cols: dict[str, int]
    capacity_cells: dict[str, str]
    skill_rows: list[int]
    skill_cols: dict[str, int]
    step_rows: list[int]
    step_cols: dict[str, int]
    week_row: int
    first_week_col: int
    weeks: int
    steps_total_row: int
    criteria: list[str]
    grid_rows: list[int]
    scale_cells: dict[str, str]
    candidates: list[str]
    candidate_rows: list[int]
    rating_cols: list[int]
    comparison_rows: list[int]
    comparison_cols: dict[str, int]
    summary_rows: dict[str, int]
    onboarding_cells: dict[str, str]
    action_rows: list[int]
    action_cols: dict[str, int]
    team_rows: int
    # the inputs written into the workbook
    grid: pd.DataFrame = field(repr=False, default=None)
    ratings: np.ndarray = field(repr=False, default=None)
    scale: Scale = field(default_factory=Scale)
    capacity: Capacity = field(default_factory=Capacity)
    needs: dict[str, GroupNeed] = field(default_factory=dict)
    skills: list[SkillNeed] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    onboarding: Onboarding = field(default_factory=Onboarding)
    team: pd.DataFrame = field(repr=False, default=None)


# ------------------------------------------------------------------------------------------------
# sheets
# ------------------------------------------------------------------------------------------------

def _team_sheet(team: pd.DataFrame) -> SheetPlan:
    sheet = SheetPlan(SHEETS["team"], role="input", protect=False, freeze="A2", tab_color="70AD47")
    headers = list(TEAM_HEADERS.values())
    sheet.row(1, 1, headers, style="header")
    n = max(len(team), 1)
    styles = {"hire_date": "data_date", "end_date": "data_date"}
    for i in range(n):
        for j, key in enumerate(TEAM_HEADERS, start=1):
            value = team[key].iat[i] if i < len(team) else None
            sheet.set(2 + i, j, value, style=styles.get(key, "data_text"))
    sheet.tables.append(TableSpec(TEAM_TABLE, f"A1:{col(len(headers))}{n + 1}"))
    sheet.validations.append(Validation(f"E2:F{n + 200}", "date", "between", "1", "2958465",
                                        prompt="Date (jj/mm/aaaa)", error="Une date est attendue."))
    sheet.set(1, len(headers) + 2, "Un commercial par ligne ; ajoutez les arrivées et les départs au bas du tableau. "
                                   "« Besoins » compte l'effectif présent à la date de référence.", style="note")
    sheet.widths.update({"A": 20, "B": 22, "C": 14, "D": 14, "E": 12, "F": 13, "G": 20})
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="1:1", header="Équipe commerciale")
    return sheet


_NEEDS_HEADERS = {
    "group": None, "current": "Effectif actuel", "departures": "Départs prévus", "after": "Effectif après départs",
    "customers": "Clients à suivre", "growth": "Croissance du portefeuille", "visits": "Visites par client et par an",
    "visit_hours": "Durée d'une visite, trajet compris (h)", "workload": "Charge de travail (h/an)",
    "fte": "Effectif nécessaire (ETP)", "typed_target": "Effectif cible saisi (facultatif)",
    "target": "Effectif cible", "to_recruit": "Recrutements à prévoir",
}
_GROUP_LABEL = {"region": "Région", "team": "Équipe", None: "Périmètre"}
_TEAM_COLUMN = {"region": TEAM_HEADERS["region"], "team": TEAM_HEADERS["team"]}


def _needs_sheet(groups: list[str], by: str | None, needs: dict[str, GroupNeed], capacity: Capacity,
                 skills: list[SkillNeed]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["needs"], tab_color="1F4E78")
    sheet.title("Besoins en effectif et en compétences",
                "Méthode de la charge de travail : ETP = clients × (1 + croissance) × visites × durée / heures disponibles "
                "d'un commercial. Cellules jaunes à saisir ; l'effectif actuel est compté dans « Équipe » à la date de référence.")
    sheet.row(4, 1, ["Capacité d'un commercial", "Valeur", "Remarque"], style="header")
    rows = [("days", "Jours travaillés par an", capacity.days, "input_int",
             "365 − week-ends − congés payés − jours fériés − RTT (exemple : 215)."),
            ("hours_per_day", "Heures travaillées par jour", capacity.hours_per_day, "input_dec", "35 h / 5 jours = 7 h."),
            ("field_share", "Part du temps passée en clientèle (visites, trajets)", capacity.field_share, "input_pct",
             "Le reste : préparation, administratif, réunions, formation.")]
    cells = {}
    for i, (key, label, value, style, note) in enumerate(rows):
        r = 5 + i
        sheet.set(r, 1, label, style="label")
        sheet.set(r, 2, value, style=style)
        sheet.set(r, 3, note, style="note")
        cells[key] = f"B{r}"
    sheet.set(8, 1, "Heures disponibles par commercial et par an", style="total_text")
    sheet.set(8, 2, formula="B5*B6*B7", style="total_int")
    cells["hours"] = "B8"
    sheet.validations += [
        Validation("B5", "decimal", "between", "0", "366", prompt="Jours travaillés par an", error="Entre 0 et 366."),
        Validation("B6", "decimal", "between", "0", "24", prompt="Heures par jour", error="Entre 0 et 24."),
        Validation("B7", "decimal", "between", "0", "1", prompt="Part entre 0 et 100 %", error="Entre 0 et 100 %."),
    ]

    top = 10
    sheet.set(top, 1, f"Effectif par {_GROUP_LABEL[by].lower()}", style="label")
    header = top + 1
    keys = list(_NEEDS_HEADERS)
    cols = {k: j for j, k in enumerate(keys, start=1)}
    C = {k: col(j) for k, j in cols.items()}
    sheet.row(header, 1, [_GROUP_LABEL[by]] + [h for h in list(_NEEDS_HEADERS.values())[1:]], style="header")
    first = header + 1
    table = column(TEAM_TABLE, TEAM_HEADERS["rep"])
    hire = column(TEAM_TABLE, TEAM_HEADERS["hire_date"])
    leave = column(TEAM_TABLE, TEAM_HEADERS["end_date"])
    group_rows = {}
    for i, group in enumerate(groups):
        r = first + i
        group_rows[group] = r
        need = needs.get(group, GroupNeed())
        if by is None:
            criterion = ""
        elif group == NO_GROUP:
            criterion = f'*({column(TEAM_TABLE, _TEAM_COLUMN[by])}="")'
        else:
            criterion = f"*({column(TEAM_TABLE, _TEAM_COLUMN[by])}=$A{r})"
        x = {k: f"{C[k]}{r}" for k in keys}
        sheet.set(r, 1, group, style="text")
        sheet.set(r, cols["current"], formula=(f'SUMPRODUCT(({table}<>""){criterion}*({hire}<=DateRef)'
                                               f'*((({leave}="")+({leave}>DateRef))>0))'), style="int")
        sheet.set(r, cols["departures"], need.departures, style="input_int")
        sheet.set(r, cols["after"], formula=f"{x['current']}-N({x['departures']})", style="int")
        sheet.set(r, cols["customers"], need.customers, style="input_int")
        sheet.set(r, cols["growth"], need.growth, style="input_pct")
        sheet.set(r, cols["visits"], need.visits, style="input_dec")
        sheet.set(r, cols["visit_hours"], need.visit_hours, style="input_dec")
        sheet.set(r, cols["workload"], formula=(f"N({x['customers']})*(1+N({x['growth']}))*N({x['visits']})"
                                                f"*N({x['visit_hours']})"), style="int")
        sheet.set(r, cols["fte"], formula=f'IF($B$8=0,"",{x["workload"]}/$B$8)', style="dec")
        sheet.set(r, cols["typed_target"], need.target, style="input_int")
        sheet.set(r, cols["target"], formula=(f'IF({x["typed_target"]}<>"",{x["typed_target"]},'
                                              f'IF({x["fte"]}="",0,ROUNDUP(ROUND({x["fte"]},6),0)))'), style="int")
        sheet.set(r, cols["to_recruit"], formula=f"MAX(0,{x['target']}-{x['after']})", style="total_int")
    last = first + len(groups) - 1
    total = last + 1
    sheet.set(total, 1, "Total", style="total_text")
    for k in ("current", "departures", "after", "customers", "workload", "fte", "target", "to_recruit"):
        style = "total_int" if k != "fte" else "total_text"
        sheet.set(total, cols[k], formula=f"SUM({C[k]}{first}:{C[k]}{last})", style=style)
    for k in ("growth", "visits", "visit_hours", "typed_target"):
        sheet.set(total, cols[k], None, style="total_text")
    rng = lambda k: f"{C[k]}{first}:{C[k]}{last}"
    sheet.validations += [
        *[Validation(rng(k), "whole", "greaterThanOrEqual", "0", prompt="Nombre entier positif",
                     error="Un entier positif est attendu.") for k in ("departures", "customers", "typed_target")],
        Validation(rng("growth"), "decimal", "between", "-1", "10", prompt="Croissance prévue (ex. 10 %)",
                   error="Une part (−100 % à 1 000 %) est attendue."),
        Validation(f"{C['visits']}{first}:{C['visit_hours']}{last}", "decimal", "greaterThanOrEqual", "0",
                   prompt="Nombre positif", error="Un nombre positif est attendu."),
    ]
    sheet.conditional_formats.append(ConditionalFormat(rng("to_recruit"), "cell_is", "greaterThan", ["0"], look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(rng("to_recruit"), "cell_is", "equal", ["0"], look="good"))
    q = _Q["needs"]
    sheet.charts.append(ChartSpec(
        "column", "Effectif actuel et effectif cible", f"O{top}",
        [ChartSeries(f"{q}!${C['current']}${first}:${C['current']}${last}", "Effectif actuel",
                     categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!${C['target']}${first}:${C['target']}${last}", "Effectif cible")],
        width_cm=14, height_cm=7.5))

    # skills
    s_top = total + 3
    sheet.set(s_top, 1, "Compétences à rechercher (niveaux 0 à 4)", style="label")
    s_header = s_top + 1
    skill_keys = ["skill", "kind", "required", "team_level", "gap", "priority"]
    scols = {k: j for j, k in enumerate(skill_keys, start=1)}
    sheet.row(s_header, 1, ["Compétence", "Type", "Niveau requis pour le poste", "Niveau moyen de l'équipe", "Écart",
                            "Priorité pour le recrutement"], style="header")
    skill_rows = []
    items = list(skills) + [SkillNeed("") for _ in range(SPARE_SKILLS)]
    for i, item in enumerate(items):
        r = s_header + 1 + i
        skill_rows.append(r)
        sheet.set(r, 1, item.skill or None, style="input_text")
        sheet.set(r, 2, item.kind, style="input_text")
        sheet.set(r, 3, item.required, style="input_int")
        sheet.set(r, 4, item.team_level, style="input_dec")
        sheet.set(r, 5, formula=f'IF(OR(C{r}="",D{r}=""),"",MAX(0,C{r}-D{r}))', style="dec")
        sheet.set(r, 6, formula=(f'IF(E{r}="","",IF(E{r}>=1,"{core.SKILL_PRIORITY}",IF(E{r}>0,'
                                 f'"{core.SKILL_REINFORCE}","{core.SKILL_COVERED}")))'), style="text")
    s_first, s_last = skill_rows[0], skill_rows[-1]
    sheet.validations += [
        Validation(f"B{s_first}:B{s_last}", "list", None, '"' + ",".join(SKILL_KINDS) + '"', prompt="Type de compétence",
                   error="savoir, savoir-faire ou savoir-être."),
        Validation(f"C{s_first}:D{s_last}", "decimal", "between", "0", "4", prompt="Niveau de 0 à 4",
                   error="Le niveau va de 0 à 4."),
    ]
    prio = f"F{s_first}:F{s_last}"
    for text, look in ((core.SKILL_PRIORITY, "bad"), (core.SKILL_REINFORCE, "neutral"), (core.SKILL_COVERED, "good")):
        sheet.conditional_formats.append(ConditionalFormat(prio, "cell_is", "equal", [f'"{text}"'], look=look))
    _notes(sheet, s_last + 2, [("Niveaux : 0 non acquis · 1 notions · 2 application guidée · 3 autonome · 4 expert. "
                                "Écart = MAX(0 ; requis − moyenne de l'équipe) ; prioritaire à partir d'un niveau d'écart.")])
    widths = {"group": 34, "current": 10, "departures": 10, "after": 11, "customers": 10, "growth": 11, "visits": 11,
              "visit_hours": 12, "workload": 12, "fte": 11, "typed_target": 12, "target": 10, "to_recruit": 12}
    sheet.widths.update({C[k]: w for k, w in widths.items()})
    sheet.heights[header] = 45
    sheet.heights[s_header] = 30
    sheet.freeze = "B5"
    sheet.print_setup = PrintSetup(orientation="landscape", header="Besoins en recrutement")
    return sheet, {"group_rows": group_rows, "total": total, "cols": cols, "capacity": cells, "skill_rows": skill_rows,
                   "skill_cols": scols}


def _profile_rows(team: pd.DataFrame, groups: list[str], by: str | None) -> list[tuple[str, str]]:
    manager = None
    if "manager" in team.columns:
        managers = [m for m in team["manager"] if _text(m)]
        if managers:
            manager = pd.Series(managers).mode().iat[0]
    area = ", ".join(g for g in groups if g not in (ALL, NO_GROUP)) if by == "region" else None
    pay = "Fixe annuel brut selon profil + variable (commissions et primes sur objectifs, environ 20 % du total)"
    return [
        ("Intitulé du poste", "Technico-commercial(e) itinérant(e) H/F — équipements et fournitures industriels"),
        ("Rattachement hiérarchique", (f"Chef des ventes régional{f' ({manager})' if manager else ''}, "
                                       "lui-même rattaché au directeur commercial")),
        ("Finalité du poste", ("Développer le chiffre d'affaires et la marge d'un secteur en conseillant les clients "
                               "industriels sur des solutions techniques adaptées")),
        ("Missions et activités", "Prospecter et qualifier de nouveaux comptes (plan de prospection, CRM)"),
        ("", "Découvrir les besoins techniques, chiffrer et présenter des offres adaptées"),
        ("", "Négocier et conclure les ventes dans le respect de la politique de prix et de marge"),
        ("", "Suivre et fidéliser le portefeuille : visites, suivi des commandes, réclamations, SAV"),
        ("", "Assurer la veille concurrentielle et rendre compte de l'activité (tableau de bord)"),
        ("Secteur et cible", (f"Secteur {area} : " if area else "") + "PME et ETI industrielles (production, "
                                                                          "maintenance), acheteurs et responsables techniques"),
        ("Objectifs", "Chiffre d'affaires et marge du secteur, nombre de visites, nouveaux clients (fixés chaque année)"),
        ("Compétences : savoirs", ("Technologie des produits (mécanique, hydraulique, électricité), techniques de "
                                   "vente, calculs commerciaux")),
        ("Compétences : savoir-faire", ("Conduire une découverte, argumenter techniquement, négocier, utiliser un "
                                        "CRM et un tableur")),
        ("Compétences : savoir-être", "Écoute, rigueur, autonomie, persévérance, sens du service et du travail en équipe"),
        ("Formation", "Bac+2 technico-commercial (BTS CCST, BTS NDRC, BUT TC) ou technique avec expérience commerciale"),
        ("Expérience", "Première expérience de la vente B2B de produits techniques (alternance ou stage acceptés)"),
        ("Conditions : statut et contrat", "CDI à temps plein, statut agent de maîtrise ; période d'essai (voir Intégration)"),
        ("Conditions : rémunération", pay),
        ("Conditions : véhicule et déplacements", ("Véhicule de service, téléphone et ordinateur ; déplacements "
                                                   "quotidiens sur le secteur (permis B)")),
        ("Date de prise de poste souhaitée", "Voir « Étapes » (début de l'intégration)"),
    ]


def _profile_sheet(rows: list[tuple[str, str]]) -> SheetPlan:
    sheet = SheetPlan(SHEETS["profile"], role="input", tab_color="70AD47")
    sheet.title("Profil de poste",
                "Fiche de poste et profil recherché, à adapter (cellules jaunes). Rédaction sans mention discriminatoire "
                "(art. L1132-1) ; intitulé H/F.")
    sheet.row(4, 1, ["Rubrique", "Contenu"], style="header")
    for i, (rubric, content) in enumerate(rows):
        r = 5 + i
        sheet.set(r, 1, rubric or None, style="label")
        sheet.set(r, 2, content or None, style="input_text")
    sheet.widths.update({"A": 36, "B": 120})
    sheet.freeze = "B5"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="4:4", header="Profil de poste")
    return sheet


_STEP_HEADERS = {"number": "N°", "name": "Étape", "content": "Contenu et livrables", "owner": "Responsable",
                 "start": "Début", "days": "Durée (jours)", "end": "Fin", "status": "Statut", "follow": "Suivi"}


def _steps_sheet(steps: list[Step], reference_date: dt.date | None, weeks: int) -> tuple[SheetPlan, dict, dict]:
    sheet = SheetPlan(SHEETS["steps"], role="input", tab_color="70AD47")
    sheet.title("Étapes du recrutement",
                "Saisissez les responsables, dates de début, durées et statuts (jaune). Fin = début + durée − 1 ; "
                "calendrier par semaine (lundi) à droite ; rappels légaux en bas.")
    sheet.set(3, 1, "Date de référence (aujourd'hui)", style="label")
    if reference_date is None:
        sheet.set(3, 4, formula="TODAY()", style="input_date")
    else:
        sheet.set(3, 4, reference_date, style="input_date")
    sheet.set(3, 5, "=AUJOURDHUI() par défaut ; saisissez une date pour figer les suivis.", style="note")
    header = 5
    keys = list(_STEP_HEADERS)
    cols = {k: j for j, k in enumerate(keys, start=1)}
    C = {k: col(j) for k, j in cols.items()}
    sheet.row(header, 1, list(_STEP_HEADERS.values()), style="header")
    first = header + 1
    last = first + len(steps) - 1
    w0 = len(keys) + 1
    starts = f"${C['start']}${first}:${C['start']}${last}"
    for k in range(weeks):
        sheet.set(header, w0 + k, formula=f"MIN({starts})-WEEKDAY(MIN({starts}),3)+{7 * k}", style="daymonth")
    rows = []
    for i, step in enumerate(steps):
        r = first + i
        rows.append(r)
        x = {k: f"${C[k]}{r}" for k in keys}
        sheet.set(r, cols["number"], i + 1, style="int")
        sheet.set(r, cols["name"], step.name, style="input_text")
        sheet.set(r, cols["content"], step.content, style="input_text")
        sheet.set(r, cols["owner"], step.owner, style="input_text")
        sheet.set(r, cols["start"], step.start, style="input_date")
        sheet.set(r, cols["days"], step.days, style="input_int")
        sheet.set(r, cols["end"], formula=f'IF(OR({x["start"]}="",{x["days"]}=""),"",{x["start"]}+{x["days"]}-1)',
                  style="date")
        sheet.set(r, cols["status"], step.status, style="input_text")
        sheet.set(r, cols["follow"], formula=(
            f'IF({x["end"]}="","{core.STEP_UNPLANNED}",IF({x["status"]}="fait","{core.STEP_DONE}",'
            f'IF({x["end"]}<DateRef,"{core.STEP_LATE}",IF({x["start"]}<=DateRef,"{core.STEP_RUNNING}",'
            f'"{core.STEP_FUTURE}"))))'), style="text")
        for k in range(weeks):
            L = col(w0 + k)
            sheet.set(r, w0 + k, formula=(f'IF(AND({x["end"]}<>"",{x["start"]}<={L}${header}+6,'
                                          f'{x["end"]}>={L}${header}),1,0)'), style="gantt")
    total = last + 1
    sheet.set(total, cols["name"], "Durée totale du recrutement (jours)", style="total_text")
    ends = f"${C['end']}${first}:${C['end']}${last}"
    sheet.set(total, cols["days"], formula=f'IF(COUNT({ends})=0,"",MAX({ends})-MIN({starts})+1)', style="total_int")
    last_week = col(w0 + weeks - 1)
    grid = f"{col(w0)}{first}:{last_week}{last}"
    g0 = f"{col(w0)}{first}"
    sheet.conditional_formats += [
        ConditionalFormat(grid, "expression", formula=[f'AND({g0}=1,${C["follow"]}{first}="{core.STEP_LATE}")'],
                          look="bad"),
        ConditionalFormat(grid, "expression", formula=[f'AND({g0}=1,${C["follow"]}{first}="{core.STEP_DONE}")'],
                          look="neutral"),
        ConditionalFormat(grid, "expression", formula=[f"{g0}=1"], look="good"),
        ConditionalFormat(f"{col(w0)}{header}:{last_week}{header}", "expression",
                          formula=[f"AND(DateRef>={col(w0)}${header},DateRef<{col(w0)}${header}+7)"], look="neutral"),
    ]
    follow = f"{C['follow']}{first}:{C['follow']}{last}"
    for text, look in ((core.STEP_LATE, "bad"), (core.STEP_RUNNING, "neutral"), (core.STEP_DONE, "good")):
        sheet.conditional_formats.append(ConditionalFormat(follow, "cell_is", "equal", [f'"{text}"'], look=look))
    sheet.validations += [
        Validation("D3", "date", "between", "1", "2958465", prompt="Date de référence", error="Une date est attendue."),
        Validation(f"{C['start']}{first}:{C['start']}{last}", "date", "between", "1", "2958465",
                   prompt="Date de début de l'étape", error="Une date est attendue."),
        Validation(f"{C['days']}{first}:{C['days']}{last}", "whole", "between", "1", "3650",
                   prompt="Durée en jours calendaires", error="Un nombre entier de jours (au moins 1) est attendu."),
        Validation(f"{C['status']}{first}:{C['status']}{last}", "list", None, '"' + ",".join(STEP_STATUSES) + '"',
                   prompt="Statut de l'étape", error="à faire, en cours ou fait."),
    ]
    note = total + 2
    sheet.set(note, 1, "Rappels légaux", style="label")
    _notes(sheet, note + 1, _LEGAL_STEPS)
    sheet.widths.update({"A": 5, "B": 24, "C": 60, "D": 18, "E": 11, "F": 9, "G": 11, "H": 10, "I": 11,
                         **{col(c): 6 for c in range(w0, w0 + weeks)}})
    sheet.heights[header] = 30
    sheet.freeze = f"C{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", fit_width=1, title_rows=f"{header}:{header}",
                                   header="Étapes du recrutement")
    names = {"DateRef": f"{_Q['steps']}!$D$3"}
    return sheet, {"rows": rows, "cols": cols, "header": header, "w0": w0, "total": total}, names


_SCALE_ROWS = [("low", "NoteMin", "Note minimale de l'échelle"), ("high", "NoteMax", "Note maximale de l'échelle"),
               ("out_of", "Bareme", "Score ramené sur"), ("threshold", "SeuilRetenu", "Score minimal pour être retenu"),
               ("positions", "Postes", "Postes à pourvoir")]


def _grid_sheet(grid: pd.DataFrame, scale: Scale) -> tuple[SheetPlan, dict, dict]:
    sheet = SheetPlan(SHEETS["grid"], role="input", tab_color="70AD47")
    sheet.title("Grille d'évaluation des entretiens",
                "Critères × poids ; un critère éliminatoire noté sous sa note minimale élimine le candidat quel que soit "
                "son score. Les lignes vides accueillent de nouveaux critères (une colonne les attend dans « Candidats »).")
    header = 4
    sheet.row(header, 1, _GRID_HEADERS, style="header")
    first = header + 1
    n = len(grid) + SPARE_CRITERIA
    last = first + n - 1
    rows = []
    for i in range(n):
        r = first + i
        rows.append(r)
        rec = grid.iloc[i] if i < len(grid) else None
        sheet.set(r, 1, None if rec is None else rec["criterion"], style="input_text")
        sheet.set(r, 2, None if rec is None else rec["weight"], style="input_dec")
        sheet.set(r, 3, None if rec is None else ("oui" if rec["eliminatory"] else "non"), style="input_text")
        minimum = None if rec is None or rec["min_rating"] is None or pd.isna(rec["min_rating"]) else rec["min_rating"]
        sheet.set(r, 4, minimum, style="input_dec")
        sheet.set(r, 5, formula=f'IF(OR(N(B{r})=0,SUM($B${first}:$B${last})=0),"",B{r}/SUM($B${first}:$B${last}))',
                  style="pct")
        sheet.set(r, 6, None if rec is None else rec.get("description"), style="input_text")
    total = last + 1
    sheet.set(total, 1, "Total des poids", style="total_text")
    sheet.set(total, 2, formula=f"SUM(B{first}:B{last})", style="total_int")
    sheet.set(total, 5, formula=f"SUM(E{first}:E{last})", style="total_pct")
    sheet.row(header, 8, ["Barème et décision", "Valeur"], style="header")
    names, cells = {}, {}
    for i, (key, name, label) in enumerate(_SCALE_ROWS):
        r = first + i
        sheet.set(r, 8, label, style="label")
        value = getattr(scale, key)
        sheet.set(r, 9, value, style="input_int" if key == "positions" else "input_dec")
        names[name] = f"{_Q['grid']}!$I${r}"
        cells[key] = f"I{r}"
    sheet.set(first + len(_SCALE_ROWS), 8, "Score sur le barème = score pondéré / note maximale × barème.", style="note")
    sheet.validations += [
        Validation(f"B{first}:B{last}", "decimal", "greaterThanOrEqual", "0", prompt="Poids du critère (coefficient)",
                   error="Un poids positif est attendu."),
        Validation(f"C{first}:C{last}", "list", None, '"oui,non"', prompt="Critère éliminatoire ?", error="oui ou non."),
        Validation(f"D{first}:D{last}", "decimal", "between", _fmt(scale.low), _fmt(scale.high),
                   prompt="Note en dessous de laquelle le candidat est éliminé", error="Une note de l'échelle est attendue."),
        Validation(f"I{first}:I{first + 3}", "decimal", "greaterThanOrEqual", "0", prompt="Nombre positif",
                   error="Un nombre positif est attendu."),
        Validation(f"I{first + 4}", "whole", "greaterThanOrEqual", "1", prompt="Nombre de postes",
                   error="Un entier d'au moins 1 est attendu."),
    ]
    note = total + 2
    sheet.set(note, 1, "Rappels", style="label")
    _notes(sheet, note + 1, [("Critères et questions en lien direct et nécessaire avec l'emploi (art. L1221-6) ; aucun "
                              "critère discriminatoire (art. L1132-1) ; mêmes critères et même grille pour tous les "
                              "candidats."),
                             "Score = SOMMEPROD(poids ; notes) / SOMME(poids) ; un critère de poids nul ne compte pas."])
    sheet.widths.update({"A": 36, "B": 9, "C": 12, "D": 14, "E": 10, "F": 70, "G": 3, "H": 32, "I": 10})
    sheet.heights[header] = 30
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Grille d'entretien")
    return sheet, {"rows": rows, "first": first, "last": last, "total": total, "scale": cells}, names


def _fmt(value: float) -> str:
    return f"{float(value):g}"


def _candidates_sheet(names: list[str], ratings: np.ndarray, grid_rows: list[int], scale: Scale) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["candidates"], role="input", tab_color="70AD47")
    sheet.title("Évaluations des candidats",
                f"Une ligne par candidat, une note de {_fmt(scale.low)} à {_fmt(scale.high)} par critère (jaune). "
                "Poids, critères éliminatoires et notes minimales viennent de « Grille ». Lignes libres en bas.")
    g = _Q["grid"]
    rating_cols = [2 + j for j in range(len(grid_rows))]
    labels = [(4, "Critère"), (5, "Poids"), (6, "Éliminatoire"), (7, "Note minimale")]
    for r, label in labels:
        sheet.set(r, 1, label, style="header" if r == 4 else "total_text")
    for j, gr in enumerate(grid_rows):
        c = rating_cols[j]
        L = col(c)
        sheet.set(4, c, formula=f'IF({g}!$A${gr}="","",{g}!$A${gr})', style="header")
        sheet.set(5, c, formula=f"N({g}!$B${gr})", style="dec")
        sheet.set(6, c, formula=f'IF({g}!$C${gr}="oui","oui","non")', style="text")
        sheet.set(7, c, formula=f'IF({L}$6="oui",N({g}!$D${gr}),"")', style="dec")
    header = 8
    sheet.set(header, 1, "Candidat", style="header")
    for c in rating_cols:
        sheet.set(header, c, formula=f"{col(c)}$4", style="header")
    first = header + 1
    n = len(names) + SPARE_CANDIDATES
    rows = []
    for i in range(n):
        r = first + i
        rows.append(r)
        sheet.set(r, 1, names[i] if i < len(names) else None, style="input_text")
        for j, c in enumerate(rating_cols):
            value = None
            if i < len(names) and j < ratings.shape[1] and not np.isnan(ratings[i, j]):
                value = float(ratings[i, j])
            sheet.set(r, c, value, style="input_dec")
    last = first + n - 1
    last_col = col(rating_cols[-1])
    area = f"B{first}:{last_col}{last}"
    sheet.validations.append(Validation(area, "decimal", "between", _fmt(scale.low), _fmt(scale.high),
                                        prompt=f"Note de {_fmt(scale.low)} à {_fmt(scale.high)}",
                                        error=f"La note va de {_fmt(scale.low)} à {_fmt(scale.high)}."))
    sheet.conditional_formats.append(ConditionalFormat(area, "expression", formula=[f'AND(B{first}<>"",B$6="oui",B{first}<B$7)'],
                                                       look="bad"))
    sheet.set(last + 2, 1, "En rouge : note inférieure au minimum d'un critère éliminatoire. Plusieurs évaluateurs : "
                           "saisissez la moyenne de leurs notes.", style="note")
    sheet.widths.update({"A": 24, **{col(c): 16 for c in rating_cols}})
    sheet.heights[4] = 45
    sheet.heights[header] = 45
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"4:{header}", header="Évaluations des candidats")
    return sheet, {"rows": rows, "cols": rating_cols}


_COMPARISON_HEADERS = {
    "candidate": "Candidat", "rated": "Critères notés", "complete": "Évaluation complète",
    "score": "Score pondéré", "score_scaled": None, "failed": "Critères éliminatoires non atteints",
    "reasons": "Motif d'élimination", "eliminated": "Éliminé", "top_rating": "Note du critère principal (départage)",
    "key": "Score retenu pour le classement", "rank": "Rang", "decision": "Décision proposée",
}


def _comparison_sheet(cand_rows: list[int], rating_cols: list[int]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["comparison"], tab_color="1F4E78")
    p = _Q["profile"]
    sheet.put("A1", formula=f'="Comparaison des candidats — "&{p}!$B$5', style="title")
    sheet.set(2, 1, "Score = SOMMEPROD(poids ; notes) / SOMME(poids), ramené sur le barème ; classement des candidats "
                    "complets et non éliminés (à égalité : note du critère de plus fort poids, puis ordre de saisie).",
              style="subtitle")
    header = 5
    keys = list(_COMPARISON_HEADERS)
    cols = {k: j for j, k in enumerate(keys, start=1)}
    C = {k: col(j) for k, j in cols.items()}
    m0 = len(keys) + 1  # first mirrored rating column
    for k, j in cols.items():
        if k == "score_scaled":
            sheet.set(header, j, formula='="Score /"&Bareme', style="header")
        else:
            sheet.set(header, j, _COMPARISON_HEADERS[k], style="header")
    cq = _Q["candidates"]
    a, z = col(rating_cols[0]), col(rating_cols[-1])
    W, E, M = (f"{cq}!${a}${r}:${z}${r}" for r in (5, 6, 7))
    for j, c in enumerate(rating_cols):
        sheet.set(header, m0 + j, formula=f"{cq}!{col(c)}$4", style="header")
    first = header + 1
    last = first + len(cand_rows) - 1
    rows = []
    for i, cr in enumerate(cand_rows):
        r = first + i
        rows.append(r)
        R = f"{cq}!${a}${cr}:${z}${cr}"
        x = {k: f"${C[k]}{r}" for k in keys}
        blank = f'{x["candidate"]}=""'
        reasons = "&".join(
            f'IF(AND({cq}!{col(c)}$6="oui",{cq}!{col(c)}{cr}<>"",{cq}!{col(c)}{cr}<{cq}!{col(c)}$7),"; "&{cq}!{col(c)}$4,"")'
            for c in rating_cols)
        rng = lambda k: f"${C[k]}${first}:${C[k]}${last}"
        above = lambda k, r=r: f"${C[k]}${header}:${C[k]}{r - 1}"
        formulas = {
            "candidate": f'IF({cq}!$A{cr}="","",{cq}!$A{cr})',
            "rated": f'IF({blank},"",COUNT({R}))',
            "complete": f'IF({blank},"",IF(AND(SUM({W})>0,SUMPRODUCT(({W}>0)*({R}=""))=0),"oui","non"))',
            "score": f'IF({x["complete"]}<>"oui","",SUMPRODUCT({W},{R})/SUM({W}))',
            "score_scaled": f'IF({x["score"]}="","",{x["score"]}/NoteMax*Bareme)',
            "failed": f'IF({blank},"",SUMPRODUCT(({E}="oui")*({R}<>"")*({R}<{M})))',
            "reasons": f'IF({blank},"",MID({reasons},3,1000))',
            "eliminated": f'IF({blank},"",IF({x["failed"]}>0,"oui","non"))',
            "top_rating": f'IF({x["key"]}="","",INDEX({R},MATCH(MAX({W}),{W},0)))',
            "key": f'IF(OR({x["score_scaled"]}="",{x["eliminated"]}="oui"),"",ROUND({x["score_scaled"]},6))',
            "rank": (f'IF({x["key"]}="","",RANK({x["key"]},{rng("key")})+COUNTIFS({rng("key")},{x["key"]},'
                     f'{rng("top_rating")},">"&{x["top_rating"]})+COUNTIFS({above("key")},{x["key"]},'
                     f'{above("top_rating")},{x["top_rating"]}))'),
            "decision": (f'IF({blank},"",IF({x["eliminated"]}="oui","{core.DECISION_ELIMINATED}",'
                         f'IF({x["complete"]}<>"oui","{core.DECISION_INCOMPLETE}",'
                         f'IF({x["score_scaled"]}<SeuilRetenu,"{core.DECISION_REJECTED}",'
                         f'IF({x["rank"]}<=Postes,"{core.DECISION_RETAINED}","{core.DECISION_WAITING}")))))'),
        }
        styles = {"candidate": "text", "rated": "int", "complete": "text", "score": "dec", "score_scaled": "dec",
                  "failed": "int", "reasons": "text", "eliminated": "text", "top_rating": "dec", "key": "dec4",
                  "rank": "int", "decision": "text"}
        for k in keys:
            sheet.set(r, cols[k], formula=formulas[k], style=styles[k])
        for j, c in enumerate(rating_cols):
            sheet.set(r, m0 + j, formula=f'IF({cq}!{col(c)}{cr}="","",{cq}!{col(c)}{cr})', style="dec")
    # summary
    s = last + 2
    rng = lambda k: f"{C[k]}{first}:{C[k]}{last}"
    summary = [
        ("positions", "Postes à pourvoir", "Postes", "int"),
        ("candidates", "Candidats", f'SUMPRODUCT(({rng("candidate")}<>"")*1)', "int"),
        ("complete", "Évaluations complètes", f'COUNTIF({rng("complete")},"oui")', "int"),
        ("eliminated", "Candidats éliminés", f'COUNTIF({rng("eliminated")},"oui")', "int"),
        ("retained", "Candidats retenus", f'COUNTIF({rng("decision")},"{core.DECISION_RETAINED}")', "int"),
        ("waiting", "Liste d'attente", f'COUNTIF({rng("decision")},"{core.DECISION_WAITING}")', "int"),
        ("best", "Meilleur score (barème)", f'IF(COUNT({rng("key")})=0,"",MAX({rng("key")}))', "dec"),
        ("first", "Candidat classé premier", f'IFERROR(INDEX({rng("candidate")},MATCH(1,{rng("rank")},0)),"")', "text"),
    ]
    sheet.set(s, 1, "Synthèse", style="label")
    summary_rows = {}
    for i, (key, label, formula, style) in enumerate(summary):
        r = s + 1 + i
        summary_rows[key] = r
        sheet.set(r, 1, label, style="label")
        sheet.set(r, 2, formula=formula, style=style)
    # formats and chart
    dec = rng("decision")
    for text, look in ((core.DECISION_RETAINED, "good"), (core.DECISION_WAITING, "neutral"),
                       (core.DECISION_REJECTED, "bad"), (core.DECISION_ELIMINATED, "bad")):
        sheet.conditional_formats.append(ConditionalFormat(dec, "cell_is", "equal", [f'"{text}"'], look=look))
    sheet.conditional_formats.append(ConditionalFormat(rng("eliminated"), "cell_is", "equal", ['"oui"'], look="bad"))
    sheet.conditional_formats.append(ConditionalFormat(rng("score_scaled"), "data_bar", colors=("638EC6",)))
    sheet.conditional_formats.append(ConditionalFormat(f"{col(m0)}{first}:{col(m0 + len(rating_cols) - 1)}{last}",
                                                       "color_scale"))
    q = _Q["comparison"]
    sheet.charts.append(ChartSpec(
        "bar", "Score des candidats sur le barème", f"D{s}",
        [ChartSeries(f"{q}!${C['score_scaled']}${first}:${C['score_scaled']}${last}", "Score",
                     categories=f"{q}!$A${first}:$A${last}")],
        y_format="0.0", width_cm=16, height_cm=8))
    widths = {"candidate": 24, "rated": 9, "complete": 11, "score": 10, "score_scaled": 10, "failed": 13, "reasons": 30,
              "eliminated": 9, "top_rating": 12, "key": 13, "rank": 7, "decision": 16}
    sheet.widths.update({C[k]: w for k, w in widths.items()})
    sheet.widths.update({col(m0 + j): 13 for j in range(len(rating_cols))})
    sheet.heights[header] = 45
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Comparaison des candidats")
    return sheet, {"rows": rows, "cols": cols, "summary": summary_rows, "first": first, "last": last, "m0": m0}


_ACTION_HEADERS = {"milestone": "Jalon", "action": "Action", "owner": "Responsable", "person": "Personne",
                   "offset": "Décalage", "unit": "Unité", "date": "Date prévue", "status": "Statut", "follow": "Suivi"}
_ONBOARDING_ROWS = [
    ("first", "Candidat classé premier et retenu (Comparaison)"),
    ("newcomer", "Nouveau collaborateur (si différent)"),
    ("who", "Collaborateur"),
    ("job", "Poste"),
    ("hire_date", "Date d'arrivée (J1)"),
    ("manager", "Manager"),
    ("tutor", "Tuteur"),
    ("trial_months", "Période d'essai (mois)"),
    ("renewal_months", "Renouvellement (mois, 0 = aucun)"),
    ("trial_end", "Fin de la période d'essai"),
    ("renewal_end", "Fin après renouvellement"),
]


def _onboarding_sheet(onb: Onboarding, comp: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["onboarding"], tab_color="1F4E78")
    sheet.title("Plan d'intégration",
                "Date prévue = arrivée + décalage (jours, mois, ou jours depuis la fin de la période d'essai). "
                "Cellules jaunes à saisir ; le bouton les conserve.")
    cq = _Q["comparison"]
    cc = comp["cols"]
    rng = lambda k: f"{cq}!${col(cc[k])}${comp['first']}:${col(cc[k])}${comp['last']}"
    cells = {}
    rows = {}
    for i, (key, label) in enumerate(_ONBOARDING_ROWS):
        rows[key] = 4 + i
        cells[key] = f"B{4 + i}"
        sheet.set(4 + i, 1, label, style="label")
    B = {k: f"$B${r}" for k, r in rows.items()}
    match = f'MATCH(1,{rng("rank")},0)'
    sheet.put(cells["first"], formula=(f'IFERROR(IF(INDEX({rng("decision")},{match})="{core.DECISION_RETAINED}",'
                                       f'INDEX({rng("candidate")},{match}),""),"")'), style="text")
    sheet.put(cells["newcomer"], onb.newcomer, style="input_text")
    sheet.put(cells["who"], formula=f'IF({B["newcomer"]}<>"",{B["newcomer"]},IF({B["first"]}<>"",{B["first"]},"(à désigner)"))',
              style="total_text")
    sheet.put(cells["job"], formula=f'{_Q["profile"]}!$B$5&""', style="text")
    sheet.put(cells["hire_date"], onb.hire_date, style="input_date")
    sheet.put(cells["manager"], onb.manager, style="input_text")
    sheet.put(cells["tutor"], onb.tutor, style="input_text")
    sheet.put(cells["trial_months"], onb.trial_months, style="input_int")
    sheet.put(cells["renewal_months"], onb.renewal_months, style="input_int")
    def period_end(months: str) -> str:  # from date to date; the month's last day when that day does not exist
        same = f'EDATE({B["hire_date"]},{months})'
        return f'{same}-IF(DAY({same})<DAY({B["hire_date"]}),0,1)'

    sheet.put(cells["trial_end"], formula=f'IF(OR({B["hire_date"]}="",N({B["trial_months"]})=0),"",'
                                          f'{period_end(B["trial_months"])})', style="date")
    sheet.put(cells["renewal_end"], formula=f'IF(OR({B["trial_end"]}="",N({B["renewal_months"]})=0),"",'
                                            f'{period_end(B["trial_months"] + "+" + B["renewal_months"])})',
              style="date")
    sheet.set(rows["trial_months"], 3, "CDI : 2 mois (ouvriers, employés), 3 mois (agents de maîtrise, techniciens), "
                                       "4 mois (cadres) au plus.", style="note")
    sheet.set(rows["renewal_months"], 3, "Une fois, si un accord de branche étendu et le contrat le prévoient ; "
                                         "total 4 / 6 / 8 mois au plus.", style="note")
    header = rows["renewal_end"] + 2
    keys = list(_ACTION_HEADERS)
    cols = {k: j for j, k in enumerate(keys, start=1)}
    C = {k: col(j) for k, j in cols.items()}
    sheet.row(header, 1, list(_ACTION_HEADERS.values()), style="header")
    actions = list(onb.actions or []) + [OnboardingAction(None, None, None, None, None, None) for _ in range(SPARE_ACTIONS)]
    action_rows = []
    for i, a in enumerate(actions):
        r = header + 1 + i
        action_rows.append(r)
        x = {k: f"${C[k]}{r}" for k in keys}
        sheet.set(r, cols["milestone"], a.milestone, style="input_text")
        sheet.set(r, cols["action"], a.action, style="input_text")
        sheet.set(r, cols["owner"], a.owner, style="input_text")
        sheet.set(r, cols["person"], formula=(f'IF({x["owner"]}="Tuteur",{B["tutor"]}&"",IF({x["owner"]}="Manager",'
                                              f'{B["manager"]}&"",IF({x["owner"]}="Collaborateur",{B["who"]}&"","")))'),
                  style="text")
        sheet.set(r, cols["offset"], a.offset, style="input_int")
        sheet.set(r, cols["unit"], a.unit, style="input_text")
        sheet.set(r, cols["date"], formula=(
            f'IF(OR({B["hire_date"]}="",{x["offset"]}=""),"",IF({x["unit"]}="mois",EDATE({B["hire_date"]},{x["offset"]}),'
            f'IF({x["unit"]}="fin d\'essai",IF({B["trial_end"]}="","",{B["trial_end"]}+{x["offset"]}),'
            f'{B["hire_date"]}+{x["offset"]})))'), style="date")
        sheet.set(r, cols["status"], a.status, style="input_text")
        sheet.set(r, cols["follow"], formula=(
            f'IF({x["date"]}="","",IF({x["status"]}="fait","{core.ACTION_DONE}",IF({x["date"]}<DateRef,'
            f'"{core.ACTION_LATE}",IF({x["date"]}<=DateRef+7,"{core.ACTION_SOON}","{core.ACTION_FUTURE}"))))'),
            style="text")
    first, last = action_rows[0], action_rows[-1]
    follow = f"{C['follow']}{first}:{C['follow']}{last}"
    for text, look in ((core.ACTION_LATE, "bad"), (core.ACTION_SOON, "neutral"), (core.ACTION_DONE, "good")):
        sheet.conditional_formats.append(ConditionalFormat(follow, "cell_is", "equal", [f'"{text}"'], look=look))
    sheet.conditional_formats.append(ConditionalFormat(f"{C['status']}{first}:{C['status']}{last}", "cell_is", "equal",
                                                       ['"fait"'], look="good"))
    sheet.validations += [
        Validation(cells["hire_date"], "date", "between", "1", "2958465", prompt="Date d'arrivée",
                   error="Une date est attendue."),
        Validation(cells["trial_months"], "whole", "between", "0", "8", prompt="Durée en mois",
                   error="Une durée de 0 à 8 mois est attendue."),
        Validation(cells["renewal_months"], "whole", "between", "0", "4", prompt="Durée en mois (0 = aucun)",
                   error="Une durée de 0 à 4 mois est attendue."),
        Validation(f"{C['owner']}{first}:{C['owner']}{last}", "list", None, '"' + ",".join(OWNERS) + '"',
                   prompt="Responsable de l'action", error=", ".join(OWNERS) + "."),
        Validation(f"{C['offset']}{first}:{C['offset']}{last}", "whole", "between", "-3650", "3650",
                   prompt="Jours (ou mois) avant (−) ou après (+) la référence", error="Un nombre entier est attendu."),
        Validation(f"{C['unit']}{first}:{C['unit']}{last}", "list", None, '"' + ",".join(UNITS) + '"',
                   prompt="jours ou mois après l'arrivée, ou jours depuis la fin de l'essai",
                   error="jours, mois ou fin d'essai."),
        Validation(f"{C['status']}{first}:{C['status']}{last}", "list", None, '"' + ",".join(STEP_STATUSES) + '"',
                   prompt="Statut de l'action", error="à faire, en cours ou fait."),
    ]
    note = last + 2
    sheet.set(note, 1, "Rappels légaux", style="label")
    _notes(sheet, note + 1, _LEGAL_ONBOARDING)
    sheet.widths.update({"A": 44, "B": 70, "C": 18, "D": 20, "E": 10, "F": 11, "G": 12, "H": 10, "I": 13})
    sheet.freeze = "B4"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="Plan d'intégration")
    return sheet, {"cells": cells, "rows": action_rows, "cols": cols}


# ------------------------------------------------------------------------------------------------
# the book
# ------------------------------------------------------------------------------------------------

def _default_steps(start: dt.date) -> list[Step]:
    steps, day = [], start
    for i, (name, content, owner, days) in enumerate(DEFAULT_STEPS):
        if i == len(DEFAULT_STEPS) - 1:  # arrival on the Monday after the candidate's notice
            day = _first_monday_after(day + dt.timedelta(days=NOTICE_DAYS))
        steps.append(Step(name, content, owner, day, days, "à faire"))
        day = day + dt.timedelta(days=days)
    return steps


def _default_skills(skills: pd.DataFrame | None) -> list[SkillNeed]:
    if skills is None or len(skills) == 0:
        return [SkillNeed(name, kind, level, None) for name, kind, level in DEFAULT_SKILLS]
    out = []
    for name, rows in skills.groupby(skills["skill"].astype(str), sort=False):
        required = pd.to_numeric(rows["required"], errors="coerce").dropna()
        current = pd.to_numeric(rows["current"], errors="coerce").dropna()
        level = int(required.mode().max()) if len(required) else None
        mean = round(float(current.mean()), 1) if len(current) else None
        kind = _SKILL_KIND.get(name.lower(), "savoir-faire")
        out.append(SkillNeed(name, kind, level, mean))
    return out


def _sales_needs(sales: pd.DataFrame | None, by: str | None, groups: list[str]) -> dict[str, GroupNeed]:
    """Customers served in the last year of sales and revenue growth on the year before, per region."""
    if sales is None or len(sales) == 0 or by != "region" or "region" not in sales.columns:
        return {}
    dates = pd.to_datetime(sales["date"], errors="coerce")
    last = int(dates.dt.year.max())
    revenue = sales["revenue"] if "revenue" in sales.columns else sales["quantity"] * sales["unit_price"]
    frame = pd.DataFrame({"region": sales["region"].map(_text), "customer": sales["customer"].map(_text),
                          "year": dates.dt.year, "revenue": pd.to_numeric(revenue, errors="coerce")})
    out = {}
    for group in groups:
        rows = frame[frame["region"] == group]
        now = rows[rows["year"] == last]
        before = rows.loc[rows["year"] == last - 1, "revenue"].sum()
        growth = round(float(now["revenue"].sum() / before - 1), 2) if before > 0 else 0.0
        out[group] = GroupNeed(customers=int(now["customer"].nunique()), growth=growth)
    return out


def build_recruitment(candidates: pd.DataFrame | None = None, grid: pd.DataFrame | None = None,
                      reps: pd.DataFrame | None = None, *, year: int | None = None,
                      start_date: dt.date | str | None = None, reference_date: dt.date | str | None = None,
                      sales: pd.DataFrame | None = None, skills: pd.DataFrame | None = None,
                      scale: Scale | None = None, capacity: Capacity | None = None,
                      needs: Mapping[str, GroupNeed] | None = None, skill_needs: Sequence[SkillNeed] | None = None,
                      steps: Sequence[Step] | None = None, onboarding: Onboarding | None = None,
                      profile: Sequence[tuple[str, str]] | None = None) -> tuple[BookPlan, RecruitmentLayout]:
    """Plan the recruitment workbook.

    Parameters
    ----------
    candidates : DataFrame, optional
        Ratings in long form (:func:`xlsales.io.read_candidates`): candidate, criterion, rating.
        Several ratings of a candidate on a criterion are averaged. None: an empty grid to fill.
    grid : DataFrame, optional
        Interview grid (:func:`xlsales.io.read_interview_grid`): criterion, weight, eliminatory,
        min_rating (and optionally description). Default: the criteria of ``candidates`` with
        weight 1, or the grid of the reference when there are no candidates either.
    reps : DataFrame, optional
        The team (:func:`xlsales.io.read_reps`): rep, name, region, team, hire_date, end_date,
        manager. Headcounts are grouped by region, else by team.
    year : int, optional
        Year of the default schedule (it starts on the first Monday of January); default: the
        schedule starts on the Monday after ``start_date`` or after today.
    start_date : date, optional
        Start of the first step of the default schedule.
    reference_date : date, optional
        Fixed « today » (statuses, headcount); default: the formula ``TODAY()``.
    sales : DataFrame, optional
        Sales lines: pre-fill the customers to follow per region (customers served in the last
        year) and the growth (revenue of that year over the year before − 1).
    skills : DataFrame, optional
        Skills matrix (:func:`xlsales.io.read_skills`): pre-fills the skills to look for with
        the job's required level and the team's mean level.
    scale, capacity, needs, skill_needs, steps, onboarding, profile : optional
        What was typed in a previous version of the workbook (:func:`read_inputs`); defaults
        otherwise. ``needs`` maps a region (or team) to its :class:`GroupNeed`.

    Returns
    -------
    (BookPlan, RecruitmentLayout)

    Raises
    ------
    ValueError
        Criteria of the candidates missing from the grid, duplicated criteria, an empty grid.
    """
    grid_frame = _grid_frame(grid, candidates)
    criteria = grid_frame["criterion"].tolist()
    if candidates is not None and len(candidates):
        for name in ("candidate", "criterion", "rating"):
            if name not in candidates.columns:
                raise ValueError(f"évaluations des candidats : colonne « {name} » manquante")
        unknown = sorted({_text(c) for c in candidates["criterion"]} - set(criteria) - {""})
        if unknown:
            raise ValueError("critères notés absents de la grille d'entretien : " + ", ".join(unknown))
        cand_names, ratings = core.ratings_matrix(candidates.assign(criterion=candidates["criterion"].map(_text)), criteria)
    else:
        cand_names, ratings = [], np.zeros((0, len(criteria)))
    scale_given = scale is not None
    scale = replace(_scale_for(ratings, scale))
    reference = _date(reference_date)
    today = reference or dt.date.today()
    team = _reps_frame(reps)
    by = _group_by(team)
    groups = _groups(team, by, list(needs or {}))
    group_needs = {g: GroupNeed() for g in groups}
    group_needs.update(_sales_needs(sales, by, groups))
    if needs is None:
        keys = {g: ("" if g in (NO_GROUP, ALL) else g) for g in groups}
        labels = [_text(v) for v in team[by]] if by else [""] * len(team)
        present = core.headcount(labels, team["hire_date"], team["end_date"], today, list(dict.fromkeys(keys.values())))
        for g in groups:
            k = keys[g]
            group_needs[g].departures = sum(1 for label, end in zip(labels, team["end_date"])
                                            if label == k and end is not None and end > today)
            if group_needs[g].customers is None:
                group_needs[g].target = int(present[k]) or None
    else:
        group_needs.update(needs)
    capacity = capacity or Capacity()
    skill_items = list(skill_needs) if skill_needs is not None else _default_skills(skills)
    if steps is None:
        start = _date(start_date)
        if start is None:
            start = dt.date(int(year), 1, 1) if year else today + dt.timedelta(days=1)
        steps = _default_steps(_first_monday_after(start))
    steps = list(steps)
    if onboarding is None:
        hire = next((s.start for s in reversed(steps) if s.start), None)
        manager = tutor = None
        if len(team):
            managers = [m for m in team["manager"] if _text(m)]
            manager = pd.Series(managers).mode().iat[0] if managers else None
            seniors = team.dropna(subset=["hire_date"]).sort_values("hire_date", kind="stable")
            seniors = seniors[[d is None or d > today for d in seniors["end_date"]]]
            tutor = (seniors["name"].iat[0] or seniors["rep"].iat[0]) if len(seniors) else None
        onboarding = Onboarding(None, hire, manager, tutor, 3, 0,
                                [OnboardingAction(m, a, o, off, u, "à faire") for m, a, o, off, u in DEFAULT_ACTIONS])
    if not scale_given:  # positions to fill: the recruitments that « Besoins » computes with these inputs
        labels = [_text(v) for v in team[by]] if by else [""] * len(team)
        keys = [("" if g in (NO_GROUP, ALL) else g) for g in groups]
        current = core.headcount(labels, team["hire_date"], team["end_date"], today, list(dict.fromkeys(keys)))
        gn = [group_needs[g] for g in groups]
        plan = core.staffing_needs([n.customers for n in gn], [n.growth for n in gn], [n.visits for n in gn],
                                   [n.visit_hours for n in gn], core.hours_per_rep(capacity.days, capacity.hours_per_day,
                                                                                   capacity.field_share),
                                   [current[k] for k in keys], [n.departures for n in gn], [n.target for n in gn])
        scale.positions = max(1, int(plan["to_recruit"].sum()))
    scale.positions = max(1, int(scale.positions or 1))

    starts = [s.start for s in steps if s.start]
    ends = [e for e in core.step_ends([s.start for s in steps], [s.days for s in steps]) if e]
    span = ((max(ends) - min(starts)).days if starts and ends else 0)
    weeks = max(12, span // 7 + 3)

    book = BookPlan(title="Kit de recrutement")
    needs_sheet, nd = _needs_sheet(groups, by, group_needs, capacity, skill_items)
    profile_sheet = _profile_sheet(list(profile) if profile is not None else _profile_rows(team, groups, by))
    steps_sheet, st, defined = _steps_sheet(steps, reference, weeks)
    book.names.update(defined)
    grid_sheet, gd, defined = _grid_sheet(grid_frame, scale)
    book.names.update(defined)
    cand_sheet, cd = _candidates_sheet(cand_names, ratings, gd["rows"], scale)
    comparison, cp = _comparison_sheet(cd["rows"], cd["cols"])
    onboarding_sheet, ob = _onboarding_sheet(onboarding, cp)
    for sheet in (needs_sheet, profile_sheet, steps_sheet, grid_sheet, cand_sheet, comparison, onboarding_sheet,
                  _team_sheet(team)):
        book.add(sheet)
    book.active = comparison.name
    layout = RecruitmentLayout(
        reference_date=reference, group_by=by, groups=groups, group_rows=nd["group_rows"], needs_total_row=nd["total"],
        needs_cols=nd["cols"], capacity_cells=nd["capacity"], skill_rows=nd["skill_rows"], skill_cols=nd["skill_cols"],
        step_rows=st["rows"], step_cols=st["cols"], week_row=st["header"], first_week_col=st["w0"], weeks=weeks,
        steps_total_row=st["total"], criteria=criteria, grid_rows=gd["rows"], scale_cells=gd["scale"],
        candidates=cand_names, candidate_rows=cd["rows"], rating_cols=cd["cols"],
        comparison_rows=cp["rows"], comparison_cols=cp["cols"], summary_rows=cp["summary"],
        onboarding_cells=ob["cells"], action_rows=ob["rows"], action_cols=ob["cols"], team_rows=max(len(team), 1),
        grid=grid_frame, ratings=ratings, scale=scale, capacity=capacity, needs=group_needs, skills=skill_items,
        steps=steps, onboarding=onboarding, team=team)
    return book, layout


# ------------------------------------------------------------------------------------------------
# reading a workbook back (to rebuild it without losing what was typed)
# ------------------------------------------------------------------------------------------------

def _cell(ws, row: int, column: int) -> Any:
    value = ws.cell(row, column).value
    return None if value == "" else value


def _max_row(ws) -> int:
    return ws.max_row if hasattr(ws, "max_row") else len(ws.rows)


def _rows(ws) -> list[list]:
    if hasattr(ws, "rows") and isinstance(ws.rows, list):
        return ws.rows
    return [[c.value for c in row] for row in ws.iter_rows()]


def _find(ws, column: int, predicate, start: int = 1) -> int | None:
    for r in range(start, _max_row(ws) + 1):
        if predicate(_text(_cell(ws, r, column))):
            return r
    return None


def read_inputs(workbook) -> dict[str, Any]:
    """What the user typed in a recruitment workbook (openpyxl, or a view of an open book's values).

    Returns
    -------
    dict
        The keyword arguments of :func:`build_recruitment`: ``candidates`` (long form),
        ``grid``, ``reps``, ``scale``, ``capacity``, ``needs``, ``skill_needs``, ``steps``,
        ``onboarding``, ``profile`` and ``reference_date`` (None when it is the TODAY() formula).
    """
    from .. import io as xio

    # Grille
    ws = workbook[SHEETS["grid"]]
    total = _find(ws, 1, lambda t: t == "Total des poids", 5) or 5
    grid_rows = []
    for r in range(5, total):
        grid_rows.append({"criterion": _text(_cell(ws, r, 1)), "weight": _num(_cell(ws, r, 2)),
                          "eliminatory": _yes(_cell(ws, r, 3)), "min_rating": _num(_cell(ws, r, 4)),
                          "description": _text(_cell(ws, r, 6)) or None})
    grid = pd.DataFrame([g for g in grid_rows if g["criterion"]],
                        columns=["criterion", "weight", "eliminatory", "min_rating", "description"])
    values = {key: _num(_cell(ws, 5 + i, 9)) for i, (key, _, _) in enumerate(_SCALE_ROWS)}
    default = Scale()
    scale = Scale(**{k: (v if v is not None else getattr(default, k)) for k, v in values.items()})
    scale.positions = int(scale.positions)

    # Candidats: column 2 + j holds the criterion of the j-th row of the grid
    ws = workbook[SHEETS["candidates"]]
    end = _find(ws, 1, lambda t: t.startswith("En rouge"), 9) or (_max_row(ws) + 1)
    records = []
    for r in range(9, end):
        name = _text(_cell(ws, r, 1))
        if not name:
            continue
        for j, g in enumerate(grid_rows):
            rating = _num(_cell(ws, r, 2 + j))
            if g["criterion"] and rating is not None:
                records.append({"candidate": name, "criterion": g["criterion"], "rating": rating})
        if not any(rec["candidate"] == name for rec in records):
            records.append({"candidate": name, "criterion": next((g["criterion"] for g in grid_rows if g["criterion"]), ""),
                            "rating": np.nan})
    candidates = pd.DataFrame(records, columns=["candidate", "criterion", "rating"])

    # Besoins
    ws = workbook[SHEETS["needs"]]
    capacity = Capacity(*(_num(_cell(ws, r, 2)) if _num(_cell(ws, r, 2)) is not None else d
                          for r, d in zip((5, 6, 7), (Capacity.days, Capacity.hours_per_day, Capacity.field_share))))
    cols = {k: j for j, k in enumerate(_NEEDS_HEADERS, start=1)}
    total = _find(ws, 1, lambda t: t == "Total", 12) or 12
    needs = {}
    for r in range(12, total):
        group = _text(_cell(ws, r, 1))
        if group:
            needs[group] = GroupNeed(departures=_num(_cell(ws, r, cols["departures"])),
                                     customers=_num(_cell(ws, r, cols["customers"])),
                                     growth=_num(_cell(ws, r, cols["growth"])), visits=_num(_cell(ws, r, cols["visits"])),
                                     visit_hours=_num(_cell(ws, r, cols["visit_hours"])),
                                     target=_num(_cell(ws, r, cols["typed_target"])))
    header = _find(ws, 1, lambda t: t == "Compétence", total) or total
    note = _find(ws, 1, lambda t: t.startswith("Niveaux :"), header) or (_max_row(ws) + 1)
    skill_needs = [SkillNeed(_text(_cell(ws, r, 1)), _text(_cell(ws, r, 2)) or None, _num(_cell(ws, r, 3)),
                             _num(_cell(ws, r, 4))) for r in range(header + 1, note) if _text(_cell(ws, r, 1))]

    # Étapes
    ws = workbook[SHEETS["steps"]]
    ref_value = _cell(ws, 3, 4)
    reference = None if isinstance(ref_value, str) and ref_value.startswith("=") else _date(ref_value)
    total = _find(ws, 2, lambda t: t.startswith("Durée totale"), 6) or 6
    steps = [Step(_text(_cell(ws, r, 2)), _text(_cell(ws, r, 3)) or None, _text(_cell(ws, r, 4)) or None,
                  _date(_cell(ws, r, 5)), _num(_cell(ws, r, 6)), _text(_cell(ws, r, 8)) or None) for r in range(6, total)]

    # Profil de poste
    ws = workbook[SHEETS["profile"]]
    profile = [(_text(_cell(ws, r, 1)), _text(_cell(ws, r, 2))) for r in range(5, _max_row(ws) + 1)]
    while profile and profile[-1] == ("", ""):
        profile.pop()

    # Intégration
    ws = workbook[SHEETS["onboarding"]]
    at = {key: 4 + i for i, (key, _) in enumerate(_ONBOARDING_ROWS)}
    head = at["renewal_end"] + 2
    stop = _find(ws, 1, lambda t: t == "Rappels légaux", head) or (_max_row(ws) + 1)
    actions = []
    for r in range(head + 1, stop):
        a = OnboardingAction(_text(_cell(ws, r, 1)) or None, _text(_cell(ws, r, 2)) or None,
                             _text(_cell(ws, r, 3)) or None, _num(_cell(ws, r, 5)), _text(_cell(ws, r, 6)) or None,
                             _text(_cell(ws, r, 8)) or None)
        if a.milestone or a.action or a.offset is not None:
            actions.append(a)
    onboarding = Onboarding(_text(_cell(ws, at["newcomer"], 2)) or None, _date(_cell(ws, at["hire_date"], 2)),
                            _text(_cell(ws, at["manager"], 2)) or None, _text(_cell(ws, at["tutor"], 2)) or None,
                            _num(_cell(ws, at["trial_months"], 2)), _num(_cell(ws, at["renewal_months"], 2)), actions)

    # Équipe
    rows = [list(r) for r in _rows(workbook[SHEETS["team"]]) if any(v not in (None, "") for v in r)]
    reps = xio.read_rows(rows, xio.REPS, source="classeur", sheet=SHEETS["team"]) if len(rows) > 1 else None
    return {"candidates": candidates, "grid": grid, "reps": reps, "scale": scale, "capacity": capacity, "needs": needs,
            "skill_needs": skill_needs, "steps": steps, "onboarding": onboarding, "profile": profile,
            "reference_date": reference}


# ------------------------------------------------------------------------------------------------
# entry points: files (CLI), the sample company (ready-made workbook, template), an open workbook
# ------------------------------------------------------------------------------------------------

def plan_from_files(candidates: pd.DataFrame | None, grid: pd.DataFrame | None = None,
                    reps: pd.DataFrame | None = None) -> BookPlan:
    """The recruitment workbook from the files of the CLI (``xlsales recruitment CANDIDATES -o OUT``).

    Parameters
    ----------
    candidates : DataFrame or None
        Ratings (:func:`xlsales.io.read_candidates`); None gives an empty grid to fill.
    grid : DataFrame, optional
        Interview grid (:func:`xlsales.io.read_interview_grid`); default: the criteria of the
        candidates with weight 1 (or the reference grid without candidates).
    reps : DataFrame, optional
        The team (:func:`xlsales.io.read_reps`) for the headcount per region.

    Raises
    ------
    ValueError
        A criterion rated but missing from the grid, duplicated criteria.
    """
    return build_recruitment(candidates, grid, reps)[0]


def plan_for_company(company) -> BookPlan:
    """The recruitment kit of the sample company: its candidates, grid and team; customers and growth
    per region from its sales; skills from its skills matrix; schedule from January of the year after
    its sales history."""
    year = int(pd.to_datetime(company.sales["date"]).dt.year.max()) + 1
    return build_recruitment(company.candidates, company.interview_grid, company.reps, year=year, sales=company.sales,
                             skills=company.skills)[0]


class _Cell:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _ValuesSheet:
    """An openpyxl-like read-only view of a sheet's values (for :func:`read_inputs` on an open book)."""

    def __init__(self, rows: list[list]):
        self.rows = [list(r) for r in rows]

    def cell(self, row: int, column: int) -> _Cell:
        try:
            value = self.rows[row - 1][column - 1]
        except IndexError:
            value = None
        return _Cell(value)


def _open_book_view(book) -> dict[str, _ValuesSheet]:
    from .live import sheet_rows

    return {sheet.name: _ValuesSheet(sheet_rows(book, sheet.name)) for sheet in book.sheets}


def _structure_changed(view, layout: RecruitmentLayout) -> set[str]:
    """Input sheets whose rows no longer match what the button would build (criteria or candidates added)."""
    changed = set()
    ws = view[SHEETS["grid"]]
    total = _find(ws, 1, lambda t: t == "Total des poids", 5) or 5
    present = [_text(_cell(ws, r, 1)) for r in range(5, total)]
    if present != layout.criteria + [""] * SPARE_CRITERIA:
        changed |= {SHEETS["grid"], SHEETS["candidates"]}
    ws = view[SHEETS["candidates"]]
    end = _find(ws, 1, lambda t: t.startswith("En rouge"), 9) or (_max_row(ws) + 1)
    names = [_text(_cell(ws, r, 1)) for r in range(9, end - 1)]
    typed = list(names)
    while typed and typed[-1] == "":
        typed.pop()
    if typed != layout.candidates or len(names) != len(layout.candidates) + SPARE_CANDIDATES:
        changed.add(SHEETS["candidates"])
    return changed


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open recruitment workbook (template button, xlwings Lite).

    Everything typed is read first — the grid, the ratings, the team, and the yellow cells of
    « Besoins » and « Intégration » — and written back into the rebuilt sheets. « Grille » and
    « Candidats » are rebuilt (with every value kept) only when criteria or candidates were added
    in their free rows, so that new free rows appear; « Profil de poste », « Étapes » and
    « Équipe » are never rewritten.
    """
    from ..sheets.render_xlwings import render_book_live
    from .live import refresh_outputs

    view = _open_book_view(book)
    inputs = read_inputs(view)
    if inputs["reference_date"] == dt.date.today():
        inputs["reference_date"] = None  # the cell holds =TODAY(): keep the formula
    plan, layout = build_recruitment(**inputs)
    changed = _structure_changed(view, layout)
    if changed:
        if SHEETS["grid"] in changed:
            for name in ("NoteMin", "NoteMax", "Bareme", "SeuilRetenu", "Postes"):
                # a runtime without this part of the names API: the renderer re-adds what is missing
                with contextlib.suppress(Exception):
                    book.names[name].delete()
        render_book_live(plan, book, only=changed)
    return refresh_outputs(book, plan)
