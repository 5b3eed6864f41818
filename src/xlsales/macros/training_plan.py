"""Plan de développement des compétences: skills matrix + training catalogue → a workbook of live formulas.

Sheets
------
* « Compétences » (input): rep × skill grid of current levels (0–4), a row of required levels
  (the job's reference) and a grid of required levels specific to a rep (empty = the reference).
* « Écarts »: heat map of the gaps max(0, required − current), totals per rep and per skill,
  number of priority gaps (≥ the « Paramètres » threshold).
* « Catalogue » (input): the training catalogue as the Excel Table ``Catalogue``.
* « Besoins et actions »: one row per (rep, skill) with a gap when the workbook was built; the
  action proposed (INDEX/MATCH on the skill, mandatory actions first), its duration, cost, mode,
  provider, priority and funding (CPF / OPCO / entreprise) and the cost of the time in training.
* « Calendrier »: Gantt chart actions × ISO weeks made of conditional formats; the start dates are
  typed in (yellow column), a marker shows the reference date (today).
* « Budget »: per rep, per action and in total, funded by CPF / OPCO / company, time cost, charts.
* « Entretiens »: hire date, birth date and last professional interview typed in; next due dates
  and statuses under the 2014–2025 regime and under the law of 24 October 2025.
* « Paramètres » (input): every rule parameter, as defined names used by the formulas.

The rules are those of :mod:`xlsales.core.training` (the tests compare every computed cell with
it). Lists of reps, skills and needs are taken from the data when the workbook is built; the
levels, the catalogue, the dates and the parameters are live inputs. Rebuilding keeps what was
typed in the Calendrier and Entretiens sheets when :func:`read_inputs` feeds it back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from typing import Any

import numpy as np
import pandas as pd

from ..core import training as core
from ..core.training import TrainingParams
from ..sheets.formulas import column, safe_ratio, this_row
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
    ref,
)

__all__ = [
    "CATALOGUE_HEADERS",
    "CATALOGUE_TABLE",
    "NEED_HEADERS",
    "PARAMETERS",
    "SHEETS",
    "TrainingLayout",
    "build_training_plan",
    "read_inputs",
]

SHEETS = {
    "skills": "Compétences", "gaps": "Écarts", "catalogue": "Catalogue", "needs": "Besoins et actions",
    "calendar": "Calendrier", "budget": "Budget", "interviews": "Entretiens", "params": "Paramètres",
}
CATALOGUE_TABLE = "Catalogue"
CATALOGUE_HEADERS = {
    "action": "Action", "skill": "Compétence", "duration_hours": "Durée (h)", "cost": "Coût HT",
    "provider": "Organisme", "mode": "Modalité", "mandatory": "Obligatoire", "cpf": "Éligible CPF",
}
KEY_HEADER = "Clé"
MODES = ("présentiel", "distanciel", "AFEST", "mixte")

#: columns of « Besoins et actions », in order (A, B, …)
NEED_HEADERS = {
    "rep": "Commercial", "skill": "Compétence", "current": "Niveau actuel", "required": "Niveau requis",
    "gap": "Écart", "priority": "Priorité", "catalogue_row": "N° catalogue", "action": "Action proposée",
    "mode": "Modalité", "provider": "Organisme", "hours": "Durée (h)", "cost": "Coût pédagogique HT",
    "mandatory": "Obligatoire", "cpf_eligible": "Éligible CPF", "funding": "Financement", "cpf": "CPF",
    "opco": "OPCO", "company": "Entreprise", "time_cost": "Coût du temps de formation", "total_cost": "Coût total",
}
_NEED_STYLES = {
    "rep": "text", "skill": "text", "current": "int", "required": "int", "gap": "int", "priority": "text",
    "catalogue_row": "int", "action": "text", "mode": "text", "provider": "text", "hours": "dec", "cost": "eur",
    "mandatory": "text", "cpf_eligible": "text", "funding": "text", "cpf": "eur", "opco": "eur", "company": "eur",
    "time_cost": "eur", "total_cost": "eur",
}
_MONEY = ["hours", "cost", "cpf", "opco", "company", "time_cost", "total_cost"]

#: « Paramètres »: (TrainingParams field or special key, defined name, label, style, validation, note)
PARAMETERS: list[tuple[str | None, str, str, str, tuple | None, str]] = [
    (None, "", "Plan de formation", "", None, ""),
    ("year", "AnneePlan", "Année du plan", "input_int", ("whole", "between", "2000", "2100"),
     "Semaines du calendrier (semaines ISO de l'année)."),
    ("reference_date", "DateRef", "Date de référence (aujourd'hui)", "input_date", ("date", "between", "1", "2958465"),
     "=AUJOURDHUI() par défaut ; saisissez une date pour figer les statuts des entretiens."),
    ("priority_gap", "SeuilPriorite", "Écart prioritaire à partir de (niveaux)", "input_int",
     ("whole", "between", "1", "4"), "Un écart au moins égal, ou une action obligatoire, donne la priorité « Haute »."),
    ("hours_per_week", "HeuresSemaine", "Heures de formation par semaine (calendrier)", "input_dec",
     ("decimal", "between", "0.5", "60"), "Durée en semaines = ARRONDI.SUP(heures / heures par semaine)."),
    (None, "", "Financement", "", None, ""),
    ("headcount", "Effectif", "Effectif de l'entreprise (salariés)", "input_int", ("whole", "greaterThanOrEqual", "0"),
     "Détermine la prise en charge OPCO et l'abondement correctif."),
    ("opco_headcount_limit", "SeuilOPCO", "L'OPCO finance le plan en dessous de (salariés)", "input_int",
     ("whole", "greaterThanOrEqual", "0"), "Art. L6332-17 : plan de développement des compétences des entreprises de moins de 50 salariés."),
    ("opco_share", "PartOPCO", "Part des coûts pédagogiques prise en charge par l'OPCO", "input_pct",
     ("decimal", "between", "0", "1"), "Appliquée au coût non couvert par le CPF (exemple : critères de votre OPCO)."),
    ("opco_hourly_cap", "PlafondOPCOHeure", "Plafond OPCO par heure de formation (0 = sans plafond)", "input_eur",
     ("decimal", "greaterThanOrEqual", "0"), "Prise en charge OPCO ≤ plafond × durée."),
    ("use_cpf", "UtiliserCPF", "Mobiliser le CPF des salariés (oui / non)", "input_text", ("list", None, '"oui,non"'),
     "Actions éligibles et non obligatoires, avec l'accord du salarié (co-construction)."),
    ("cpf_cap", "PlafondCPF", "Montant CPF mobilisable par salarié sur le plan", "input_eur",
     ("decimal", "greaterThanOrEqual", "0"), "Droits acquis : 500 €/an, plafond 5 000 € (800 € / 8 000 € peu qualifiés)."),
    ("hourly_cost", "CoutHoraire", "Coût horaire chargé du temps passé en formation", "input_eur",
     ("decimal", "greaterThanOrEqual", "0"), "Temps de travail effectif, rémunération maintenue : à la charge de l'entreprise."),
    (None, "", "Entretiens professionnels", "", None, ""),
    ("planning_horizon_months", "Horizon", "« À planifier » si l'échéance tombe dans les (mois)", "input_int",
     ("whole", "between", "0", "36"), "Au-delà : « à jour » ; échéance dépassée : « en retard »."),
    ("old_period_months", "PeriodeAncien", "Régime 2014–2025 : périodicité de l'entretien (mois)", "input_int",
     ("whole", "between", "1", "120"), "Tous les 2 ans (24 mois) depuis l'embauche puis le dernier entretien."),
    ("old_inventory_months", "EDLAncien", "Régime 2014–2025 : état des lieux récapitulatif (mois d'ancienneté)",
     "input_int", ("whole", "between", "1", "240"), "Tous les 6 ans d'ancienneté (72 mois)."),
    ("corrective_amount", "Abondement", "Régime 2014–2025 : abondement correctif du CPF", "input_eur",
     ("decimal", "greaterThanOrEqual", "0"), "3 000 € si, à l'état des lieux, les entretiens et une formation non obligatoire manquent."),
    ("corrective_headcount", "SeuilAbondement", "Abondement correctif : entreprises d'au moins (salariés)", "input_int",
     ("whole", "greaterThanOrEqual", "0"), "50 salariés."),
    ("law_2025_date", "DateLoiParcours", "Loi n° 2025-989 : date d'application retenue", "input_date",
     ("date", "between", "1", "2958465"),
     "Loi du 24 oct. 2025 (JO du 25) ; accords à mettre en conformité avant le 1er oct. 2026 : date à ajuster."),
    ("new_first_months", "PremierNouveau", "Loi 2025 : premier entretien après l'embauche (mois)", "input_int",
     ("whole", "between", "1", "120"), "Dans l'année qui suit l'embauche."),
    ("new_period_months", "PeriodeNouveau", "Loi 2025 : périodicité de l'entretien (mois)", "input_int",
     ("whole", "between", "1", "48"), "Tous les 4 ans au plus (un accord peut prévoir moins)."),
    ("new_inventory_months", "EDLNouveau", "Loi 2025 : état des lieux récapitulatif (mois d'ancienneté)", "input_int",
     ("whole", "between", "1", "240"), "Tous les 8 ans (96 mois)."),
    ("mid_career_age", "AgeMiCarriere", "Loi 2025 : âge de l'entretien de mi-carrière", "input_int",
     ("whole", "between", "18", "70"), "Au plus tard le 31/12 de l'année de cet anniversaire (visite médicale de mi-carrière)."),
    ("end_career_age", "AgeFinCarriere", "Loi 2025 : âge de l'entretien de fin de carrière", "input_int",
     ("whole", "between", "18", "75"), "Avant cet anniversaire."),
    ("end_career_window_months", "FenetreFinCarriere", "Loi 2025 : fenêtre de l'entretien de fin de carrière (mois)",
     "input_int", ("whole", "between", "1", "120"), "Dans les 2 années (24 mois) qui précèdent."),
]

_NOTES_INTERVIEWS = [
    ("Régime 2014–2025 (art. L6315-1 C. trav., loi du 5 mars 2014) : entretien professionnel tous les 2 ans à compter de "
     "l'embauche ; tous les 6 ans, état des lieux récapitulatif ; dans les entreprises d'au moins 50 salariés, abondement "
     "correctif de 3 000 € du CPF si le salarié n'a pas eu ses entretiens et au moins une formation non obligatoire."),
    ("Loi n° 2025-989 du 24 octobre 2025 (« entretien de parcours professionnel ») : premier entretien dans l'année qui suit "
     "l'embauche, puis tous les 4 ans ; état des lieux tous les 8 ans ; entretien de mi-carrière après la visite médicale de "
     "mi-carrière (année des 45 ans) et entretien de fin de carrière dans les 2 années qui précèdent les 60 ans."),
    ("Calcul : prochain entretien = dernier entretien + périodicité (sans entretien : embauche + délai du premier) ; état des "
     "lieux = premier anniversaire de l'embauche multiple de la période postérieur au dernier entretien. Mi-carrière et fin "
     "de carrière : dus à partir de la date d'application de la loi (Paramètres), sauf entretien déjà tenu dans la fenêtre."),
    ("Statut : « en retard » si la prochaine échéance est passée, « à planifier » si elle tombe dans l'horizon (Paramètres), "
     "« à jour » sinon. Textes à vérifier sur Légifrance (accords de branche ou d'entreprise possibles)."),
]
_NOTE_FUNDING = (
    "Financement : CPF si l'action est éligible et non obligatoire (dans la limite du montant mobilisable par salarié, "
    "lignes dans l'ordre), puis OPCO (entreprises de moins de 50 salariés : part × reste, plafond horaire), "
    "le reste à l'entreprise ; le temps de formation (heures × coût horaire) est à la charge de l'entreprise."
)


@dataclass
class TrainingLayout:
    """Where things are, for the tests and for reading the workbook back."""

    year: int
    start_date: dt.date
    reps: list[str]
    skills: list[str]
    actions: list[str]
    needs: list[tuple[str, str]]
    skill_cols: dict[str, int]  # same columns in Compétences and Écarts
    required_row: int
    current_rows: dict[str, int]
    override_rows: dict[str, int]
    gap_rows: dict[str, int]
    gap_total_col: int
    gap_priority_col: int
    gap_total_row: int
    gap_priority_row: int
    need_first_row: int
    need_total_row: int
    need_cols: dict[str, int]
    calendar_first_row: int
    calendar_week_row: int
    calendar_today_row: int
    calendar_total_row: int
    calendar_first_week_col: int
    weeks: list[dt.date]
    start_dates: list[dt.date | None]
    budget_rep_rows: dict[str, int]
    budget_rep_total_row: int
    budget_action_rows: dict[str, int]
    budget_action_total_row: int
    budget_cols: dict[str, int]
    funding_rows: dict[str, int]
    interview_rows: dict[str, int]
    interview_cols: dict[str, int]
    params: dict[str, str] = field(default_factory=dict)  # TrainingParams field → Paramètres cell


# ------------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------------

def _ordered(values) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if not pd.isna(v)))


def _reference_levels(skills: pd.DataFrame, skill_names: list[str]) -> dict[str, float | None]:
    """Job reference per skill: the most frequent required level (highest on a tie)."""
    out = {}
    for skill in skill_names:
        levels = pd.to_numeric(skills.loc[skills["skill"] == skill, "required"], errors="coerce").dropna()
        if levels.empty:
            out[skill] = None
            continue
        counts = Counter(levels.astype(int).tolist())
        best = max(counts.values())
        out[skill] = max(level for level, n in counts.items() if n == best)
    return out


def _catalogue_frame(catalogue: pd.DataFrame) -> pd.DataFrame:
    cat = catalogue.reset_index(drop=True).copy()
    for name in CATALOGUE_HEADERS:
        if name not in cat.columns:
            cat[name] = None
    cat["mandatory"] = np.where(core._yes(cat["mandatory"]), "oui", "non")
    cat["cpf"] = np.where(core._yes(cat["cpf"]), "oui", "non")
    return cat


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _first_monday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


# ------------------------------------------------------------------------------------------------
# sheets
# ------------------------------------------------------------------------------------------------

def _params_sheet(values: dict[str, Any]) -> tuple[SheetPlan, dict[str, str], dict[str, str]]:
    sheet = SheetPlan(SHEETS["params"], role="input", tab_color="70AD47")
    sheet.title("Paramètres du plan de formation", "Cellules jaunes : à adapter à l'entreprise (noms définis utilisés par les formules).")
    q = quote_sheet(sheet.name)
    names, cells = {}, {}
    r = 3
    for key, name, label, style, validation, note in PARAMETERS:
        if key is None:
            r += 2 if r > 3 else 1
            sheet.set(r, 1, label, style="header")
            sheet.set(r, 2, "Valeur", style="header")
            sheet.set(r, 3, "Règle / remarque", style="header")
            continue
        r += 1
        sheet.set(r, 1, label, style="label")
        value = values[key]
        if key == "reference_date" and value is None:
            sheet.set(r, 2, formula="TODAY()", style=style)
        else:
            sheet.set(r, 2, value, style=style)
        sheet.set(r, 3, note, style="note")
        names[name] = f"{q}!$B${r}"
        cells[key] = f"B{r}"
        if validation:
            kind, operator, *formulas = validation
            f1 = formulas[0] if formulas else None
            f2 = formulas[1] if len(formulas) > 1 else None
            sheet.validations.append(Validation(f"B{r}", kind, operator, f1, f2, prompt=label[:255],
                                                error="Valeur hors des limites prévues."))
    sheet.widths.update({"A": 62, "B": 14, "C": 100})
    sheet.print_setup = PrintSetup(orientation="landscape")
    return sheet, names, cells


def _skills_sheet(reps, skill_names, skills: pd.DataFrame, reference: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["skills"], role="input", tab_color="70AD47")
    sheet.title("Matrice des compétences",
                "Niveaux 0 à 4 : 0 non acquis · 1 notions · 2 application guidée · 3 autonome · 4 expert (transmet). "
                "Cellules jaunes à saisir.")
    header_row, required_row = 4, 5
    first = 6
    skill_cols = {s: 2 + j for j, s in enumerate(skill_names)}
    last_col = 1 + len(skill_names)
    sheet.row(header_row, 1, ["Commercial"] + list(skill_names), style="header")
    sheet.set(required_row, 1, "Niveau requis (référentiel du poste)", style="total_text")
    for s, c in skill_cols.items():
        sheet.set(required_row, c, reference[s], style="input_int")
    current = {}
    required = {}
    for rec in skills.itertuples(index=False):
        current[(str(rec.rep), str(rec.skill))] = rec.current
        required[(str(rec.rep), str(rec.skill))] = rec.required
    current_rows = {}
    for i, rep in enumerate(reps):
        r = first + i
        current_rows[rep] = r
        sheet.set(r, 1, rep, style="text")
        for s, c in skill_cols.items():
            v = current.get((rep, s))
            sheet.set(r, c, None if v is None or pd.isna(v) else int(v), style="input_int")
    last = first + len(reps) - 1
    top = last + 2
    sheet.set(top, 1, "Niveau requis propre à un commercial (laisser vide = référentiel du poste)", style="label")
    sheet.row(top + 1, 1, ["Commercial"] + list(skill_names), style="header")
    override_rows = {}
    for i, rep in enumerate(reps):
        r = top + 2 + i
        override_rows[rep] = r
        sheet.set(r, 1, rep, style="text")
        for s, c in skill_cols.items():
            v = required.get((rep, s))
            own = None
            if v is not None and not pd.isna(v) and (reference[s] is None or int(v) != reference[s]):
                own = int(v)
            sheet.set(r, c, own, style="input_int")
    o_last = top + 1 + len(reps)
    for rng in (f"B{required_row}:{col(last_col)}{last}", f"B{top + 2}:{col(last_col)}{o_last}"):
        sheet.validations.append(Validation(rng, "whole", "between", "0", "4", prompt="Niveau de 0 à 4",
                                            error="Le niveau est un entier de 0 à 4."))
    sheet.widths.update({"A": 36, **{col(c): 14 for c in skill_cols.values()}})
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header_row}:{required_row}",
                                   header="Matrice des compétences")
    return sheet, {"skill_cols": skill_cols, "required_row": required_row, "current_rows": current_rows,
                   "override_rows": override_rows}


def _required_expr(skill_col: int, rep: str, s: dict) -> str:
    q = SHEETS["skills"]
    own = ref(s["override_rows"][rep], skill_col, sheet=q)
    reference = ref(s["required_row"], skill_col, sheet=q)
    return f'IF({own}="",{reference},{own})'


def _gaps_sheet(reps, skill_names, s: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["gaps"], tab_color="1F4E78")
    sheet.title("Écarts de compétences (niveau requis − niveau actuel)",
                "Écart = MAX(0 ; requis − actuel) : un niveau au-dessus du requis ne compense pas un autre écart. "
                "Vide : niveau non évalué.")
    header, first = 4, 5
    n_skills = len(skill_names)
    total_col, prio_col = 2 + n_skills, 3 + n_skills
    sheet.row(header, 1, ["Commercial"] + list(skill_names) + ["Total des écarts", "Écarts prioritaires"], style="header")
    rows = {}
    for i, rep in enumerate(reps):
        r = first + i
        rows[rep] = r
        sheet.set(r, 1, rep, style="text")
        for skill in skill_names:
            c = s["skill_cols"][skill]
            current = ref(s["current_rows"][rep], c, sheet=SHEETS["skills"])
            required = _required_expr(c, rep, s)
            sheet.set(r, c, formula=f'IF(OR({current}="",{required}=""),"",MAX(0,{required}-{current}))', style="int")
        grid = f"{col(2)}{r}:{col(1 + n_skills)}{r}"
        sheet.set(r, total_col, formula=f"SUM({grid})", style="total_int")
        sheet.set(r, prio_col, formula=f'COUNTIF({grid},">="&SeuilPriorite)', style="total_int")
    last = first + len(reps) - 1
    total_row, prio_row = last + 1, last + 2
    sheet.set(total_row, 1, "Total des écarts", style="total_text")
    sheet.set(prio_row, 1, "Écarts prioritaires (≥ seuil)", style="total_text")
    for c in range(2, 2 + n_skills):
        rng = f"{col(c)}{first}:{col(c)}{last}"
        sheet.set(total_row, c, formula=f"SUM({rng})", style="total_int")
        sheet.set(prio_row, c, formula=f'COUNTIF({rng},">="&SeuilPriorite)', style="total_int")
    sheet.set(total_row, total_col, formula=f"SUM({col(total_col)}{first}:{col(total_col)}{last})", style="total_int")
    sheet.set(prio_row, prio_col, formula=f"SUM({col(prio_col)}{first}:{col(prio_col)}{last})", style="total_int")
    sheet.conditional_formats.append(ConditionalFormat(
        f"B{first}:{col(1 + n_skills)}{last}", "color_scale", colors=("63BE7B", "FFEB84", "F8696B")))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{col(prio_col)}{first}:{col(prio_col)}{last}", "cell_is", "greaterThan", ["0"], look="bad"))
    sheet.widths.update({"A": 24, **{col(c): 14 for c in range(2, prio_col + 1)}})
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}", header="Écarts de compétences")
    return sheet, {"rows": rows, "total_col": total_col, "prio_col": prio_col, "total_row": total_row, "prio_row": prio_row}


def _catalogue_sheet(cat: pd.DataFrame) -> SheetPlan:
    sheet = SheetPlan(SHEETS["catalogue"], role="input", protect=False, freeze="A2", tab_color="70AD47")
    headers = list(CATALOGUE_HEADERS.values()) + [KEY_HEADER]
    sheet.row(1, 1, headers, style="header")
    key = (f'={this_row(CATALOGUE_TABLE, CATALOGUE_HEADERS["skill"])}&"|"&'
           f'IF({this_row(CATALOGUE_TABLE, CATALOGUE_HEADERS["mandatory"])}="oui",1,0)')
    styles = {"duration_hours": "data_dec", "cost": "data_eur"}
    n = max(len(cat), 1)
    for i in range(n):
        r = 2 + i
        for j, name in enumerate(CATALOGUE_HEADERS, start=1):
            value = cat[name].iat[i] if i < len(cat) else None
            if value is not None and not isinstance(value, str) and pd.isna(value):
                value = None
            if name in ("duration_hours", "cost") and value is not None:
                value = float(value)
            elif value is not None:
                value = str(value)
            sheet.set(r, j, value, style=styles.get(name, "data_text"))
        sheet.set(r, len(headers), formula=key, style="calc_text")
    last_col = col(len(headers))
    sheet.tables.append(TableSpec(CATALOGUE_TABLE, f"A1:{last_col}{n + 1}", calculated={KEY_HEADER: key}))
    end = n + 300
    sheet.validations += [
        Validation(f"C2:C{end}", "decimal", "greaterThanOrEqual", "0", prompt="Durée de l'action en heures",
                   error="Une durée positive (heures) est attendue."),
        Validation(f"D2:D{end}", "decimal", "greaterThanOrEqual", "0", prompt="Coût pédagogique HT (€)",
                   error="Un montant positif est attendu."),
        Validation(f"F2:F{end}", "list", None, '"' + ",".join(MODES) + '"', prompt="Modalité",
                   error="présentiel, distanciel, AFEST ou mixte."),
        Validation(f"G2:H{end}", "list", None, '"oui,non"', prompt="oui ou non", error="oui ou non."),
    ]
    sheet.set(1, len(headers) + 2, "Une action par ligne ; ajoutez des lignes au bas du tableau. L'action proposée pour une "
                                   "compétence est la première action obligatoire du catalogue, sinon la première action.",
              style="note")
    sheet.widths.update({"A": 46, "B": 26, "C": 10, "D": 12, "E": 28, "F": 12, "G": 11, "H": 11, "I": 28})
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="1:1", header="Catalogue de formations")
    return sheet


def _need_formulas(r: int, header: int, C: dict[str, str], rep: str, skill: str, s: dict, g: dict) -> dict[str, str]:
    """Formulas of one row of « Besoins et actions » (C: key → column letter)."""
    sc = s["skill_cols"][skill]
    current = ref(s["current_rows"][rep], sc, sheet=SHEETS["skills"])
    required = _required_expr(sc, rep, s)
    gap = ref(g["rows"][rep], sc, sheet=SHEETS["gaps"])
    x = {k: f"{v}{r}" for k, v in C.items()}
    idx = x["catalogue_row"]
    cat = lambda h: column(CATALOGUE_TABLE, CATALOGUE_HEADERS[h])
    key = column(CATALOGUE_TABLE, KEY_HEADER)
    prev = lambda k: f"${C[k]}${header}:{C[k]}{r - 1}"
    opco_base = f"PartOPCO*({x['cost']}-{x['cpf']})"
    return {
        "current": f'IF({current}="","",{current})',
        "required": f'IF({required}="","",{required})',
        "gap": gap,
        "priority": (f'IF({x["gap"]}="","",IF({x["gap"]}<=0,"{core.PRIORITY_MET}",'
                     f'IF(OR({x["gap"]}>=SeuilPriorite,{x["mandatory"]}="oui"),"{core.PRIORITY_HIGH}","{core.PRIORITY_NORMAL}")))'),
        "catalogue_row": (f'IF(N({x["gap"]})<=0,0,IFERROR(MATCH({x["skill"]}&"|1",{key},0),'
                          f'IFERROR(MATCH({x["skill"]}&"|0",{key},0),0)))'),
        "action": f'IF({idx}=0,IF(N({x["gap"]})>0,"{core.NO_ACTION}",""),INDEX({cat("action")},{idx})&"")',
        "mode": f'IF({idx}=0,"",INDEX({cat("mode")},{idx})&"")',
        "provider": f'IF({idx}=0,"",INDEX({cat("provider")},{idx})&"")',
        "hours": f'IF({idx}=0,0,N(INDEX({cat("duration_hours")},{idx})))',
        "cost": f'IF({idx}=0,0,N(INDEX({cat("cost")},{idx})))',
        "mandatory": f'IF({idx}=0,"",IF(INDEX({cat("mandatory")},{idx})="oui","oui","non"))',
        "cpf_eligible": f'IF({idx}=0,"",IF(INDEX({cat("cpf")},{idx})="oui","oui","non"))',
        "funding": (f'IF({idx}=0,"",IF({x["cost"]}=0,"{core.INTERNAL}",MID(IF({x["cpf"]}>0," + CPF","")'
                    f'&IF({x["opco"]}>0," + OPCO","")&IF({x["company"]}>0," + Entreprise",""),4,60)))'),
        "cpf": (f'IF(AND({x["cpf_eligible"]}="oui",{x["mandatory"]}<>"oui",UtiliserCPF="oui"),'
                f'MAX(0,MIN({x["cost"]},PlafondCPF-SUMIF({prev("rep")},{x["rep"]},{prev("cpf")}))),0)'),
        "opco": (f"IF(Effectif<SeuilOPCO,ROUND(IF(PlafondOPCOHeure>0,MIN({opco_base},PlafondOPCOHeure*{x['hours']}),"
                 f"{opco_base}),2),0)"),
        "company": f"ROUND({x['cost']}-{x['cpf']}-{x['opco']},2)",
        "time_cost": f"ROUND({x['hours']}*CoutHoraire,2)",
        "total_cost": f"{x['cost']}+{x['time_cost']}",
    }


def _needs_sheet(needs: list[tuple[str, str]], s: dict, g: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["needs"], tab_color="1F4E78")
    sheet.title("Besoins de formation et actions proposées", _NOTE_FUNDING)
    header, first = 4, 5
    keys = list(NEED_HEADERS)
    C = {k: col(j) for j, k in enumerate(keys, start=1)}
    cols = {k: j for j, k in enumerate(keys, start=1)}
    sheet.row(header, 1, list(NEED_HEADERS.values()), style="header")
    for i, (rep, skill) in enumerate(needs):
        r = first + i
        formulas = _need_formulas(r, header, C, rep, skill, s, g)
        sheet.set(r, 1, rep, style="text")
        sheet.set(r, 2, skill, style="text")
        for k in keys[2:]:
            sheet.set(r, cols[k], formula=formulas[k], style=_NEED_STYLES[k])
    last = first + max(len(needs), 1) - 1
    total = last + 1
    sheet.set(total, 1, "Total", style="total_text")
    for k in _MONEY:
        style = "total_eur" if k != "hours" else "total_int"
        sheet.set(total, cols[k], formula=f"SUM({C[k]}{first}:{C[k]}{last})", style=style)
    prio = f"{C['priority']}{first}:{C['priority']}{last}"
    for text, look in ((core.PRIORITY_HIGH, "bad"), (core.PRIORITY_NORMAL, "neutral"), (core.PRIORITY_MET, "good")):
        sheet.conditional_formats.append(ConditionalFormat(prio, "cell_is", "equal", [f'"{text}"'], look=look))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{C['gap']}{first}:{C['gap']}{last}", "color_scale", colors=("63BE7B", "FFEB84", "F8696B")))
    widths = {"rep": 20, "skill": 24, "current": 8, "required": 8, "gap": 7, "priority": 10, "catalogue_row": 8,
              "action": 44, "mode": 11, "provider": 26, "hours": 8, "cost": 13, "mandatory": 10, "cpf_eligible": 9,
              "funding": 24, "cpf": 11, "opco": 11, "company": 12, "time_cost": 13, "total_cost": 13}
    sheet.widths.update({C[k]: w for k, w in widths.items()})
    sheet.freeze = f"C{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{header}:{header}",
                                   header="Besoins de formation et actions")
    return sheet, {"first": first, "last": last, "total": total, "cols": cols, "C": C}


def _calendar_sheet(needs: list[tuple[str, str]], n_info: dict, weeks: list[dt.date],
                    starts: list[dt.date | None]) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["calendar"], tab_color="1F4E78")
    sheet.title("Calendrier des actions de formation",
                "Saisissez la date de début (colonne jaune) ; durée en semaines = ARRONDI.SUP(heures / heures par semaine). "
                "▼ : semaine de la date de référence.")
    today_row, header, week_row, first = 3, 4, 5, 6
    fixed = ["Commercial", "Action", "Priorité", "Durée (h)", "Début", "Semaines", "Fin"]
    w0 = len(fixed) + 1  # first week column
    sheet.row(header, 1, fixed, style="header")
    for j in range(1, len(fixed) + 1):
        sheet.set(week_row, j, None, style="header")
    nq = quote_sheet(SHEETS["needs"])
    NC = n_info["C"]
    for k in range(len(weeks)):
        c = w0 + k
        L = col(c)
        sheet.set(header, c, f"S{k + 1}", style="header")
        sheet.set(week_row, c, formula=f"DATE(AnneePlan,1,4)-WEEKDAY(DATE(AnneePlan,1,4),3)+{7 * k}", style="daymonth")
        sheet.set(today_row, c, formula=f'IF(AND(DateRef>={L}${week_row},DateRef<{L}${week_row}+7),"▼","")')
    last_week_col = w0 + len(weeks) - 1
    for i in range(len(needs)):
        r = first + i
        nr = n_info["first"] + i
        sheet.set(r, 1, formula=f"{nq}!{NC['rep']}{nr}", style="text")
        sheet.set(r, 2, formula=f"{nq}!{NC['action']}{nr}", style="text")
        sheet.set(r, 3, formula=f"{nq}!{NC['priority']}{nr}", style="text")
        sheet.set(r, 4, formula=f"{nq}!{NC['hours']}{nr}", style="dec")
        sheet.set(r, 5, starts[i], style="input_date")
        sheet.set(r, 6, formula=f"IF(D{r}>0,ROUNDUP(D{r}/HeuresSemaine,0),0)", style="int")
        sheet.set(r, 7, formula=f'IF(E{r}="","",E{r}+7*F{r})', style="date")
        for k in range(len(weeks)):
            L = col(w0 + k)
            sheet.set(r, w0 + k, formula=f'IF(AND($E{r}<>"",$E{r}<{L}${week_row}+7,$G{r}>{L}${week_row}),1,0)',
                      style="gantt")
    last = first + max(len(needs), 1) - 1
    total = last + 1
    sheet.set(total, 1, "Actions en cours", style="total_text")
    for k in range(len(weeks)):
        L = col(w0 + k)
        sheet.set(total, w0 + k, formula=f"SUM({L}{first}:{L}{last})", style="total_int")
    grid = f"{col(w0)}{first}:{col(last_week_col)}{last}"
    g0 = f"{col(w0)}{first}"
    sheet.conditional_formats += [
        ConditionalFormat(grid, "expression", formula=[f'AND({g0}=1,$C{first}="{core.PRIORITY_HIGH}")'], look="bad"),
        ConditionalFormat(grid, "expression", formula=[f"{g0}=1"], look="good"),
        ConditionalFormat(f"{col(w0)}{first}:{col(last_week_col)}{total}", "expression",
                          formula=[f"AND(DateRef>={col(w0)}${week_row},DateRef<{col(w0)}${week_row}+7)"], look="neutral"),
    ]
    sheet.validations.append(Validation(f"E{first}:E{last}", "date", "between", "1", "2958465",
                                        prompt="Date de début de l'action", error="Une date est attendue."))
    sheet.widths.update({"A": 18, "B": 40, "C": 9, "D": 8, "E": 11, "F": 8, "G": 11,
                         **{col(c): 5.5 for c in range(w0, last_week_col + 1)}})
    sheet.freeze = f"{col(w0)}{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", fit_width=2, title_rows=f"{header}:{week_row}",
                                   header="Calendrier des formations")
    return sheet, {"first": first, "week_row": week_row, "today_row": today_row, "total": total, "w0": w0}


_BUDGET_HEADERS = {"key": None, "count": None, "hours": "Heures", "cost": "Coût pédagogique HT", "cpf": "CPF",
                   "opco": "OPCO", "company": "Entreprise", "time_cost": "Coût du temps de formation",
                   "total_cost": "Coût total", "company_total": "Reste à charge entreprise (avec temps)"}


def _budget_sheet(reps: list[str], actions: list[str], n_info: dict) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["budget"], tab_color="1F4E78")
    sheet.title("Budget du plan de formation", _NOTE_FUNDING)
    nq = quote_sheet(SHEETS["needs"])
    NC, first_n, last_n = n_info["C"], n_info["first"], n_info["last"]
    rng = lambda k: f"{nq}!${NC[k]}${first_n}:${NC[k]}${last_n}"
    keys = list(_BUDGET_HEADERS)
    cols = {k: j for j, k in enumerate(keys, start=1)}
    styles = {"key": "text", "count": "int", "hours": "dec", "company_total": "eur"}
    total_styles = {"key": "total_text", "count": "total_int", "hours": "total_int"}

    def block(top: int, label: str, first_header: str, count_header: str, items: list[str], by: str):
        sheet.set(top, 1, label, style="label")
        heads = dict(_BUDGET_HEADERS, key=first_header, count=count_header)
        sheet.row(top + 1, 1, [heads[k] for k in keys], style="header")
        rows = {}
        first = top + 2
        for i, item in enumerate(items):
            r = first + i
            rows[item] = r
            crit = f"{rng(by)},$A{r}"
            sheet.set(r, 1, item, style="text")
            sheet.set(r, cols["count"], formula=f'COUNTIFS({crit},{rng("catalogue_row")},">0")', style="int")
            for k in ("hours", "cost", "cpf", "opco", "company", "time_cost", "total_cost"):
                sheet.set(r, cols[k], formula=f"SUMIFS({rng(k)},{crit})", style=styles.get(k, "eur"))
            sheet.set(r, cols["company_total"], formula=f"{col(cols['company'])}{r}+{col(cols['time_cost'])}{r}",
                      style="eur")
        last = first + max(len(items), 1) - 1
        total = last + 1
        sheet.set(total, 1, "Total", style="total_text")
        for k in keys[1:]:
            L = col(cols[k])
            sheet.set(total, cols[k], formula=f"SUM({L}{first}:{L}{last})", style=total_styles.get(k, "total_eur"))
        return rows, first, last, total

    rep_rows, rep_first, rep_last, rep_total = block(4, "Par commercial", "Commercial", "Actions", reps, "rep")
    top = rep_total + 2
    action_rows, _, _, action_total = block(top, "Par action de formation", "Action", "Participants", actions, "action")
    top = action_total + 2
    sheet.set(top, 1, "Financement du plan", style="label")
    sheet.row(top + 1, 1, ["Source", "Montant", "Part"], style="header")
    sources = [("cpf", "CPF (compte personnel de formation)", rng("cpf")),
               ("opco", "OPCO (plan des entreprises de moins de 50 salariés)", rng("opco")),
               ("company", "Entreprise : coûts pédagogiques", rng("company")),
               ("time_cost", "Entreprise : temps de formation", rng("time_cost"))]
    funding_rows = {}
    f_first = top + 2
    f_total = f_first + len(sources)
    for i, (key, label, source) in enumerate(sources):
        r = f_first + i
        funding_rows[key] = r
        sheet.row(r, 1, [label, Formula(f"SUM({source})"), Formula(safe_ratio(f"B{r}", f"$B${f_total}"))],
                  style=["text", "eur", "pct"])
    funding_rows["total"] = f_total
    sheet.row(f_total, 1, ["Total (coût complet du plan)", Formula(f"SUM(B{f_first}:B{f_total - 1})"),
                           Formula(safe_ratio(f"B{f_total}", f"$B${f_total}"))], style=["total_text", "total_eur", "total_pct"])
    q = quote_sheet(sheet.name)
    cats = f"{q}!$A${rep_first}:$A${rep_last}"
    series = [ChartSeries(f"{q}!${col(cols[k])}${rep_first}:${col(cols[k])}${rep_last}", _BUDGET_HEADERS[k],
                          categories=cats) for k in ("cpf", "opco", "company", "time_cost")]
    sheet.charts.append(ChartSpec("column", "Financement par commercial", "M4", series, y_format='#,##0 "€"',
                                  width_cm=20, height_cm=9))
    sheet.charts.append(ChartSpec("pie", "Qui finance le plan ?", "M24",
                                  [ChartSeries(f"{q}!$B${f_first}:$B${f_total - 1}", "Montant",
                                               categories=f"{q}!$A${f_first}:$A${f_total - 1}")],
                                  width_cm=14, height_cm=9))
    sheet.widths.update({"A": 46, "B": 13, "C": 10, "D": 14, "E": 12, "F": 12, "G": 12, "H": 14, "I": 13, "J": 16})
    sheet.freeze = "B4"
    sheet.print_setup = PrintSetup(orientation="landscape", header="Budget du plan de formation")
    return sheet, {"rep_rows": rep_rows, "rep_total": rep_total, "action_rows": action_rows,
                   "action_total": action_total, "cols": cols, "funding_rows": funding_rows}


_INTERVIEW_HEADERS = {
    "rep": "Commercial", "hire": "Date d'embauche", "birth": "Date de naissance (facultatif)",
    "last": "Dernier entretien professionnel",
    "old_periodic": "Entretien périodique", "old_inventory": "État des lieux récapitulatif",
    "old_next": "Prochaine échéance", "old_status": "Statut", "old_top_up": "Abondement correctif (risque)",
    "new_periodic": "Entretien de parcours", "new_inventory": "État des lieux récapitulatif",
    "new_mid": "Entretien de mi-carrière", "new_end": "Entretien de fin de carrière",
    "new_next": "Prochaine échéance", "new_status": "Statut",
}


def _months(a: str, b: str) -> str:
    """Complete months from a to b (DATEDIF(a, b, "m") written with YEAR/MONTH/DAY)."""
    return f"(YEAR({b})-YEAR({a}))*12+MONTH({b})-MONTH({a})-IF(DAY({b})<DAY({a}),1,0)"


def _interviews_sheet(people: pd.DataFrame) -> tuple[SheetPlan, dict]:
    sheet = SheetPlan(SHEETS["interviews"], tab_color="1F4E78")
    sheet.title("Entretiens professionnels : échéances",
                "Saisissez les dates en jaune. Deux calendriers : régime 2014–2025 et loi du 24 octobre 2025 "
                "(entretien de parcours professionnel) ; règles en bas de page.")
    group, header, first = 4, 5, 6
    keys = list(_INTERVIEW_HEADERS)
    cols = {k: j for j, k in enumerate(keys, start=1)}
    C = {k: col(j) for k, j in cols.items()}
    sheet.row(header, 1, list(_INTERVIEW_HEADERS.values()), style="header")
    sheet.set(group, cols["old_periodic"], "Régime 2014–2025 (entretien professionnel)", style="header")
    sheet.set(group, cols["new_periodic"], "Loi n° 2025-989 du 24 octobre 2025 (entretien de parcours professionnel)",
              style="header")
    for k in ("old_inventory", "old_next", "old_status", "old_top_up", "new_inventory", "new_mid", "new_end", "new_next",
              "new_status"):
        sheet.set(group, cols[k], None, style="header")
    sheet.merges += [f"{C['old_periodic']}{group}:{C['old_top_up']}{group}",
                     f"{C['new_periodic']}{group}:{C['new_status']}{group}"]
    rows = {}
    for i, rec in enumerate(people.itertuples(index=False)):
        r = first + i
        rows[rec.rep] = r
        x = {k: f"${C[k]}{r}" if k in ("hire", "birth", "last") else f"{C[k]}{r}" for k in keys}
        hire, birth, last = x["hire"], x["birth"], x["last"]
        anchor = f'IF({last}="",{hire},{last})'

        def inventory(period: str, hire: str = hire, anchor: str = anchor) -> str:
            return f'IF({hire}="","",EDATE({hire},{period}*(INT(MAX(0,{_months(hire, anchor)})/{period})+1)))'

        def status(next_cell: str, hire: str = hire) -> str:
            return (f'IF({hire}="","{core.STATUS_MISSING}",IF({next_cell}<DateRef,"{core.STATUS_LATE}",'
                    f'IF({next_cell}<=EDATE(DateRef,Horizon),"{core.STATUS_TO_PLAN}","{core.STATUS_OK}")))')

        mid_due = f"DATE(YEAR({birth})+AgeMiCarriere,12,31)"
        mid_start = f"DATE(YEAR({birth})+AgeMiCarriere,1,1)"
        end_due = f"EDATE({birth},12*AgeFinCarriere)"
        end_start = f"EDATE({birth},12*AgeFinCarriere-FenetreFinCarriere)"
        formulas = {
            "old_periodic": f'IF({hire}="","",IF({last}="",EDATE({hire},PeriodeAncien),EDATE({last},PeriodeAncien)))',
            "old_inventory": inventory("EDLAncien"),
            "old_next": f'IF({hire}="","",MIN({x["old_periodic"]},{x["old_inventory"]}))',
            "old_status": status(x["old_next"]),
            "old_top_up": f'IF({hire}="","",IF(AND(Effectif>=SeuilAbondement,{x["old_inventory"]}<DateRef),Abondement,0))',
            "new_periodic": f'IF({hire}="","",IF({last}="",EDATE({hire},PremierNouveau),EDATE({last},PeriodeNouveau)))',
            "new_inventory": inventory("EDLNouveau"),
            "new_mid": (f'IF(OR({hire}="",{birth}=""),"",IF(AND({mid_due}>=DateLoiParcours,{mid_due}>={hire},'
                        f'OR({last}="",{last}<{mid_start})),{mid_due},""))'),
            "new_end": (f'IF(OR({hire}="",{birth}=""),"",IF(AND({end_due}>=DateLoiParcours,{end_due}>={hire},'
                        f'OR({last}="",{last}<{end_start})),{end_due},""))'),
            "new_next": f'IF({hire}="","",MIN({x["new_periodic"]},{x["new_inventory"]},{x["new_mid"]},{x["new_end"]}))',
            "new_status": status(x["new_next"]),
        }
        sheet.set(r, cols["rep"], rec.rep, style="text")
        sheet.set(r, cols["hire"], _date(rec.hire_date), style="input_date")
        sheet.set(r, cols["birth"], _date(rec.birth_date), style="input_date")
        sheet.set(r, cols["last"], _date(rec.last_interview), style="input_date")
        for k, f in formulas.items():
            style = "text" if k.endswith("status") else ("eur" if k == "old_top_up" else "date")
            sheet.set(r, cols[k], formula=f, style=style)
    last_row = first + max(len(people), 1) - 1
    for k in ("old_status", "new_status"):
        rng = f"{C[k]}{first}:{C[k]}{last_row}"
        for text, look in ((core.STATUS_LATE, "bad"), (core.STATUS_TO_PLAN, "neutral"), (core.STATUS_OK, "good")):
            sheet.conditional_formats.append(ConditionalFormat(rng, "cell_is", "equal", [f'"{text}"'], look=look))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{C['old_top_up']}{first}:{C['old_top_up']}{last_row}", "cell_is", "greaterThan", ["0"], look="bad"))
    sheet.validations.append(Validation(f"{C['hire']}{first}:{C['last']}{last_row}", "date", "between", "1", "2958465",
                                        prompt="Date (jj/mm/aaaa)", error="Une date est attendue."))
    note_row = last_row + 2
    sheet.set(note_row, 1, "Règles appliquées", style="label")
    for i, text in enumerate(_NOTES_INTERVIEWS, start=1):
        sheet.set(note_row + i, 1, text, style="note")
    sheet.widths.update({"A": 20, "B": 12, "C": 13, "D": 13, **{col(c): 13 for c in range(5, len(keys) + 1)}})
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows=f"{group}:{header}",
                                   header="Entretiens professionnels")
    return sheet, {"rows": rows, "cols": cols}


# ------------------------------------------------------------------------------------------------
# the book
# ------------------------------------------------------------------------------------------------

def _people(skill_reps: list[str], reps: pd.DataFrame | None) -> pd.DataFrame:
    """rep, hire_date, birth_date, last_interview for the Entretiens sheet (skills' reps first)."""
    columns = ["rep", "hire_date", "birth_date", "last_interview"]
    if reps is None or len(reps) == 0:
        frame = pd.DataFrame({"rep": skill_reps})
    else:
        frame = reps.copy()
        frame["rep"] = frame["rep"].astype(str)
        frame = frame.drop_duplicates("rep", keep="last")
        order = skill_reps + [r for r in frame["rep"] if r not in skill_reps]
        frame = frame.set_index("rep").reindex(order).reset_index()
    for c in columns[1:]:
        if c not in frame.columns:
            frame[c] = None
        frame[c] = [_date(v) for v in frame[c]]
    return frame[columns].astype(object)


def build_training_plan(skills: pd.DataFrame, catalogue: pd.DataFrame, reps: pd.DataFrame | None = None,
                        year: int | None = None, start_date: dt.date | str | None = None, *,
                        params: TrainingParams | None = None, reference_date: dt.date | str | None = None,
                        start_dates: Mapping[tuple[str, str], dt.date] | None = None) -> tuple[BookPlan, TrainingLayout]:
    """Plan the training-plan workbook.

    Parameters
    ----------
    skills : DataFrame
        Skills matrix in long form (:func:`xlsales.io.read_skills`): rep, skill, current, required.
    catalogue : DataFrame
        Training catalogue (:func:`xlsales.io.read_training_catalogue`): action, skill,
        duration_hours, cost, provider, mode, mandatory, cpf.
    reps : DataFrame, optional
        The team (:func:`xlsales.io.read_reps`): rep, hire_date, and optionally birth_date and
        last_interview (date of the last professional interview).
    year : int, optional
        Year of the plan (calendar weeks); default: the year of ``start_date``, else this year.
    start_date : date, optional
        First day of the proposed schedule; default: the first Monday after 1 January.
    params : TrainingParams, optional
        Values written on « Paramètres » (defaults of :class:`TrainingParams`).
    reference_date : date, optional
        Fixed « today » for the statuses; default: the formula ``TODAY()``.
    start_dates : mapping (rep, skill) → date, optional
        Start dates typed in a previous version of the workbook (see :func:`read_inputs`); the
        other needs get the proposed schedule.

    Returns
    -------
    (BookPlan, TrainingLayout)
    """
    params = params or TrainingParams()
    start = _date(start_date)
    year = int(year or (start.year if start else dt.date.today().year))
    start = start or _first_monday_after(dt.date(year, 1, 1))
    skills = skills.copy()
    skills["rep"] = skills["rep"].astype(str)
    skills["skill"] = skills["skill"].astype(str)
    rep_list = _ordered(skills["rep"])
    skill_list = _ordered(skills["skill"])
    cat = _catalogue_frame(catalogue)
    actions = _ordered(cat["action"])
    needs_pairs = core.select_needs(skills, cat, params, rep_list, skill_list)
    needs_table = core.evaluate_needs(needs_pairs, skills, cat, params)
    proposed = core.default_start_dates(needs_table, start, params.hours_per_week)
    typed = dict(start_dates or {})
    starts = [typed.get(pair, proposed[i]) for i, pair in enumerate(needs_pairs)]
    starts = [_date(d) for d in starts]
    weeks = core.iso_week_mondays(year)

    values = {f.name: getattr(params, f.name) for f in dc_fields(TrainingParams)}
    values["use_cpf"] = "oui" if params.use_cpf else "non"
    values["year"] = year
    values["reference_date"] = _date(reference_date)

    book = BookPlan(title="Plan de développement des compétences")
    params_sheet, names, param_cells = _params_sheet(values)
    book.names.update(names)
    skills_sheet, s = _skills_sheet(rep_list, skill_list, skills, _reference_levels(skills, skill_list))
    gaps_sheet, g = _gaps_sheet(rep_list, skill_list, s)
    needs_sheet, n = _needs_sheet(needs_pairs, s, g)
    calendar_sheet, c = _calendar_sheet(needs_pairs, n, weeks, starts)
    budget_sheet, b = _budget_sheet(rep_list, actions, n)
    interviews_sheet, e = _interviews_sheet(_people(rep_list, reps))
    for sheet in (skills_sheet, gaps_sheet, _catalogue_sheet(cat), needs_sheet, calendar_sheet, budget_sheet,
                  interviews_sheet, params_sheet):
        book.add(sheet)
    book.active = needs_sheet.name
    layout = TrainingLayout(
        year=year, start_date=start, reps=rep_list, skills=skill_list, actions=actions, needs=needs_pairs,
        skill_cols=s["skill_cols"], required_row=s["required_row"], current_rows=s["current_rows"],
        override_rows=s["override_rows"], gap_rows=g["rows"], gap_total_col=g["total_col"],
        gap_priority_col=g["prio_col"], gap_total_row=g["total_row"], gap_priority_row=g["prio_row"],
        need_first_row=n["first"], need_total_row=n["total"], need_cols=n["cols"],
        calendar_first_row=c["first"], calendar_week_row=c["week_row"], calendar_today_row=c["today_row"],
        calendar_total_row=c["total"], calendar_first_week_col=c["w0"], weeks=weeks, start_dates=starts,
        budget_rep_rows=b["rep_rows"], budget_rep_total_row=b["rep_total"], budget_action_rows=b["action_rows"],
        budget_action_total_row=b["action_total"], budget_cols=b["cols"], funding_rows=b["funding_rows"],
        interview_rows=e["rows"], interview_cols=e["cols"], params=param_cells,
    )
    return book, layout


# ------------------------------------------------------------------------------------------------
# reading a workbook back (to rebuild it without losing what was typed)
# ------------------------------------------------------------------------------------------------

def read_inputs(workbook) -> dict[str, Any]:
    """What the user typed in a training-plan workbook (openpyxl, formulas not evaluated).

    Returns
    -------
    dict
        ``skills`` (long form), ``catalogue``, ``reps`` (rep, hire_date, birth_date,
        last_interview), ``start_dates`` {(rep, skill): date}, ``year``, ``params``
        (TrainingParams) and ``reference_date`` (None when it is the TODAY() formula): the
        arguments of :func:`build_training_plan`.
    """
    def cell_date(v):
        return v.date() if isinstance(v, dt.datetime) else (v if isinstance(v, dt.date) else None)

    # parameters
    ws = workbook[SHEETS["params"]]
    labels = {label: key for key, _, label, *_ in PARAMETERS if key}
    raw = {}
    for row in ws.iter_rows(min_row=1, max_col=2):
        label, value = row[0].value, row[1].value
        if label in labels:
            raw[labels[label]] = value
    kwargs = {}
    for f in dc_fields(TrainingParams):
        if f.name not in raw or raw[f.name] is None:
            continue
        v = raw[f.name]
        if f.name == "use_cpf":
            kwargs[f.name] = str(v).strip().lower() == "oui"
        elif f.name == "law_2025_date":
            kwargs[f.name] = cell_date(v) or f.default
        elif isinstance(f.default, int) and not isinstance(f.default, bool):
            kwargs[f.name] = int(v)
        else:
            kwargs[f.name] = float(v)
    params = TrainingParams(**kwargs)
    ref_value = raw.get("reference_date")
    reference = cell_date(ref_value) if not (isinstance(ref_value, str) and ref_value.startswith("=")) else None
    year = int(raw["year"]) if raw.get("year") else None

    # skills grid
    ws = workbook[SHEETS["skills"]]
    header, required_row, first = 4, 5, 6
    skill_cols = {}
    c = 2
    while ws.cell(header, c).value not in (None, ""):
        skill_cols[str(ws.cell(header, c).value)] = c
        c += 1
    reps, r = [], first
    while ws.cell(r, 1).value not in (None, ""):
        reps.append((str(ws.cell(r, 1).value), r))
        r += 1
    override_first = r + 3  # after a blank row, the block's label and its header row
    overrides = {str(ws.cell(override_first + i, 1).value): override_first + i for i in range(len(reps))}
    rows = []
    for rep, rr in reps:
        for skill, cc in skill_cols.items():
            current = ws.cell(rr, cc).value
            own = ws.cell(overrides.get(rep, 0), cc).value if rep in overrides else None
            required = own if own not in (None, "") else ws.cell(required_row, cc).value
            if current in (None, "") and own in (None, ""):
                continue  # not assessed
            rows.append({"rep": rep, "skill": skill,
                         "current": None if current in (None, "") else int(current),
                         "required": None if required in (None, "") else int(required)})
    skills = pd.DataFrame(rows, columns=["rep", "skill", "current", "required"])

    # catalogue table
    ws = workbook[SHEETS["catalogue"]]
    table = ws.tables[CATALOGUE_TABLE]
    min_col, min_row, max_col, max_row = _bounds(table.ref)
    head = [ws.cell(min_row, cc).value for cc in range(min_col, max_col + 1)]
    by_header = {h: k for k, h in CATALOGUE_HEADERS.items()}
    records = []
    for rr in range(min_row + 1, max_row + 1):
        rec = {by_header[h]: ws.cell(rr, min_col + j).value for j, h in enumerate(head) if h in by_header}
        if rec.get("action") in (None, ""):
            continue
        rec["mandatory"] = str(rec.get("mandatory") or "").strip().lower() == "oui"
        rec["cpf"] = str(rec.get("cpf") or "").strip().lower() == "oui"
        records.append(rec)
    catalogue = pd.DataFrame(records, columns=list(CATALOGUE_HEADERS))

    # interviews
    ws = workbook[SHEETS["interviews"]]
    people = []
    r = 6
    while ws.cell(r, 1).value not in (None, ""):
        people.append({"rep": str(ws.cell(r, 1).value), "hire_date": cell_date(ws.cell(r, 2).value),
                       "birth_date": cell_date(ws.cell(r, 3).value), "last_interview": cell_date(ws.cell(r, 4).value)})
        r += 1
    reps_frame = pd.DataFrame(people, columns=["rep", "hire_date", "birth_date", "last_interview"])

    # start dates: Calendrier rows follow « Besoins et actions » rows
    needs_ws, cal = workbook[SHEETS["needs"]], workbook[SHEETS["calendar"]]
    start_dates = {}
    r = 0
    while True:
        rep, skill = needs_ws.cell(5 + r, 1).value, needs_ws.cell(5 + r, 2).value
        if rep in (None, "", "Total"):
            break
        d = cell_date(cal.cell(6 + r, 5).value)
        if d is not None:
            start_dates[(str(rep), str(skill))] = d
        r += 1
    return {"skills": skills, "catalogue": catalogue, "reps": reps_frame, "start_dates": start_dates, "year": year,
            "params": params, "reference_date": reference}


def _bounds(reference: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(reference)


# ------------------------------------------------------------------------------------------------
# entry points: files (CLI), the sample company (ready-made workbook, template), an open workbook
# ------------------------------------------------------------------------------------------------

def plan_from_files(skills: pd.DataFrame, catalogue: pd.DataFrame | None, reps: pd.DataFrame | None = None,
                    year: int | None = None) -> BookPlan:
    """The training-plan workbook from the files of the CLI (an empty catalogue when none is given)."""
    if catalogue is None:
        catalogue = pd.DataFrame(columns=list(CATALOGUE_HEADERS))
    return build_training_plan(skills, catalogue, reps, year=year)[0]


def plan_for_company(company) -> BookPlan:
    """The training plan of the sample company, for the year after its sales history."""
    year = int(pd.to_datetime(company.sales["date"]).dt.year.max()) + 1
    return build_training_plan(company.skills, company.training_catalogue, company.reps, year=year)[0]


class _Cell:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _ValuesSheet:
    """An openpyxl-like read-only view of a sheet's values (for :func:`read_inputs` on an open book)."""

    def __init__(self, rows: list[list]):
        self.rows = rows
        self.tables = {}

    def cell(self, row: int, column: int) -> _Cell:
        try:
            value = self.rows[row - 1][column - 1]
        except IndexError:
            value = None
        return _Cell(None if value == "" else value)

    def iter_rows(self, min_row: int = 1, max_col: int | None = None):
        for r in range(min_row, len(self.rows) + 1):
            width = max_col or len(self.rows[r - 1])
            yield tuple(self.cell(r, c) for c in range(1, width + 1))


class _TableRef:
    def __init__(self, ref: str):
        self.ref = ref


def _open_book_view(book) -> dict[str, _ValuesSheet]:
    from .live import sheet_rows

    view = {}
    for sheet in book.sheets:
        view[sheet.name] = _ValuesSheet(sheet_rows(book, sheet.name))
    catalogue = view.get(SHEETS["catalogue"])
    if catalogue is not None:
        # the Excel Table's extent: its header row down to the last filled row
        rows = catalogue.rows
        top = next((i for i, r in enumerate(rows) if r and CATALOGUE_HEADERS["action"] in r), 0)
        width = len([h for h in rows[top] if h not in (None, "")]) if rows else 1
        bottom = top
        while bottom + 1 < len(rows) and rows[bottom + 1] and rows[bottom + 1][0] not in (None, ""):
            bottom += 1
        catalogue.tables[CATALOGUE_TABLE] = _TableRef(f"A{top + 1}:{col(width)}{bottom + 1}")
    return view


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open training-plan workbook (template button, xlwings Lite).

    Everything typed — levels, catalogue, parameters, start dates in « Calendrier », interview and
    birth dates in « Entretiens » — is read first and written back into the rebuilt sheets.
    """
    from .live import refresh_outputs

    inputs = read_inputs(_open_book_view(book))
    if inputs["reference_date"] == dt.date.today():
        inputs["reference_date"] = None  # the cell holds =TODAY(): keep the formula
    plan, _ = build_training_plan(**inputs)
    return refresh_outputs(book, plan)
