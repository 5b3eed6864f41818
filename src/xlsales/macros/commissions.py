"""Classeur des commissions: a sales team's variable pay for a year, in live native formulas.

Sheets
------
* « Paramètres » (input): the plan — tiers table (lower bound, rate; upper bound and differential
  rate computed), mode (progressif / paliers), base (CA / marge / encaissé), period (mois /
  trimestre / année), gate, cap, accelerator, draw (recoverable or not), team-bonus split,
  employer charge rate, bonus grid and team-bonus grid. Defined names (``Bornes``, ``Taux``,
  ``Seuil``…) make the formulas readable.
* « Équipe » (input): rep code, name, team, hire and leaving dates, annual gross fixed pay.
* « Saisie » (input): rep × month grid of the commission base, pre-filled from the sales lines,
  and the monthly targets.
* « Calcul » (output): one row per rep and month, every step of :mod:`xlsales.core.payplan`
  (presence, period-to-date base and target, attainment, gate, grid commission — progressive by
  ``SUMPRODUCT`` over the differential rates, flat by ``INDEX/MATCH`` — accelerator, cap, commission
  of the month, draw top-up and recovery, bonus, team bonus, prorated fixed pay, gross pay,
  employer cost).
* « Synthèse » (output): totals per rep, per team and for the whole team, with a chart.
* « Relevé NOM » (output, one per rep): a printable monthly statement with signature lines.

Several plans (a dict plan name → plan, as :func:`xlsales.io.commission_plans` returns): one
parameter sheet per plan (« Paramètres » for the first, which also lists the plans and holds the
year; « Paramètres <plan> » for the others, whose defined names carry the suffix ``_2``, ``_3``…),
a « Plan » column in « Équipe » (a list of the plan names), the rep's plan number in « Calcul »
(``MATCH`` of that name in the list; empty or unknown: 1), every parameter picked by
``CHOOSE(n, Seuil, Seuil_2, …)``, the plan on « Synthèse » (with totals per plan) and on each
statement. Changing a rep's plan in « Équipe » changes their pay, without Python.

Every figure is a formula of Excel 2010+ that LibreOffice computes too: typing a sale in
« Saisie » or changing a rate in « Paramètres » updates the whole workbook, without Python.
Adding a rep needs the workbook to be regenerated (the rows of « Calcul » are laid out per rep).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..core.payplan import CommissionPlan
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

__all__ = ["CALC_COLUMNS", "PLAN_TOTAL_COLUMNS", "SHEETS", "CommissionsLayout", "build_commissions", "monthly_bases",
           "monthly_targets", "plan_names"]

MONTHS_FR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

SHEETS = {"params": "Paramètres", "team": "Équipe", "input": "Saisie", "calc": "Calcul", "summary": "Synthèse"}

#: French labels of the plan's choices, as typed in « Paramètres » (and read back by the core).
MODE_FR = {"progressive": "progressif", "flat": "paliers"}
BASE_FR = {"revenue": "CA", "margin": "marge", "cash": "encaissé"}
PERIOD_FR = {"month": "mois", "quarter": "trimestre", "year": "année"}
SPLIT_FR = {"equal": "parts égales", "salary": "prorata du fixe", "member": "par commercial"}

#: Columns of « Calcul »: (field of :class:`~xlsales.core.payplan.PayResult` or a label column, header, style).
CALC_COLUMNS: list[tuple[str, str, str]] = [
    ("rep", "Commercial", "text"),
    ("team", "Équipe", "text"),
    ("month", "Mois", "int"),
    ("period_date", "Période", "month"),
    ("period_start", "1er mois période", "int"),
    ("presence", "Présence", "pct2"),
    ("base", "Assiette du mois", "eur"),
    ("target", "Objectif du mois", "eur"),
    ("cum_base", "Assiette cumulée", "eur"),
    ("cum_target", "Objectif cumulé", "eur"),
    ("attainment", "Réalisation", "pct2"),
    ("gate_ok", "Seuil atteint", "text"),
    ("grid_commission", "Commission barème", "eur"),
    ("grid_commission_at_target", "Barème à l'objectif", "eur"),
    ("accelerator_extra", "Suppl. accélérateur", "eur"),
    ("commission_after_gate", "Commission après seuil", "eur"),
    ("commission_due_cum", "Due cumulée plafonnée", "eur"),
    ("commission", "Commission du mois", "eur"),
    ("draw", "Avance garantie", "eur"),
    ("draw_topup", "Complément d'avance", "eur"),
    ("draw_recovery", "Reprise d'avance", "eur"),
    ("commission_paid", "Commission versée", "eur"),
    ("draw_balance", "Solde d'avance", "eur"),
    ("bonus", "Prime sur objectif", "eur"),
    ("team_attainment", "Réalisation équipe", "pct2"),
    ("fixed", "Fixe du mois", "eur"),
    ("team_pool", "Enveloppe équipe", "eur"),
    ("team_bonus", "Prime d'équipe", "eur"),
    ("gross", "Total brut", "eur"),
    ("employer_cost", "Coût employeur", "eur"),
]

#: Columns of « Synthèse » (per rep): field of ``PayResult.totals()``, header, style.
SUMMARY_COLUMNS: list[tuple[str, str, str]] = [
    ("rep", "Commercial", "text"),
    ("name", "Nom", "text"),
    ("team", "Équipe", "text"),
    ("base", "Assiette", "eur"),
    ("target", "Objectif", "eur"),
    ("attainment", "Réalisation", "pct2"),
    ("commission", "Commissions dues", "eur"),
    ("commission_paid", "Commissions versées", "eur"),
    ("bonus", "Primes sur objectif", "eur"),
    ("team_bonus", "Primes d'équipe", "eur"),
    ("fixed", "Fixe", "eur"),
    ("gross", "Total brut", "eur"),
    ("employer_cost", "Coût employeur", "eur"),
    ("draw_balance", "Avance due au 31/12", "eur"),
]

#: Columns of a « Relevé »: field of « Calcul », header.
STATEMENT_COLUMNS: list[tuple[str, str, str]] = [
    ("base", "Assiette", "eur"),
    ("target", "Objectif", "eur"),
    ("attainment", "Réalisation", "pct2"),
    ("commission", "Commission", "eur"),
    ("draw_topup", "Compl. d'avance", "eur"),
    ("draw_recovery", "Reprise d'avance", "eur"),
    ("commission_paid", "Comm. versée", "eur"),
    ("bonus", "Prime objectif", "eur"),
    ("team_bonus", "Prime équipe", "eur"),
    ("fixed", "Fixe", "eur"),
    ("gross", "Total brut", "eur"),
    ("employer_cost", "Coût employeur", "eur"),
]

# rows of the scalar parameters on « Paramètres »: key → (row, defined name, label, note)
_PARAMS = {
    "year": (4, "Annee", "Exercice", "Année des 12 mois calculés."),
    "mode": (5, "ModeCalcul", "Mode du barème",
             ("progressif : chaque taux sur la part de l'assiette dans sa tranche ; "
              "paliers : le taux de la tranche atteinte sur toute l'assiette.")),
    "base": (6, "Assiette", "Assiette des commissions",
             "CA HT facturé, marge, ou CA encaissé (« Saisie » est pré-remplie avec l'assiette choisie à la génération)."),
    "period": (7, "Periode", "Période de calcul",
               ("Barème, seuil, plafond et primes s'appliquent au cumul de la période ; "
                "versement mensuel de l'augmentation de la commission due.")),
    "months": (8, "MoisPeriode", "Mois par période", "Calculé : 1, 3 ou 12."),
    "gate": (9, "Seuil", "Seuil de déclenchement (réalisation minimale)",
             "Sous ce taux de réalisation de la période, aucune commission."),
    "cap": (10, "Plafond", "Plafond de commission par période", "0 : pas de plafond."),
    "accelerator": (11, "Accelerateur", "Accélérateur au-delà de 100 % de l'objectif",
                    "Multiplie la commission gagnée sur la part de l'assiette au-delà de l'objectif (1 : aucun)."),
    "draw": (12, "Avance", "Avance mensuelle sur commissions",
             "Minimum garanti de la commission du mois, proratisé comme le fixe (0 : aucune)."),
    "draw_recoverable": (13, "AvanceRecuperable", "Avance récupérable",
                         "oui : les compléments versés sont repris sur les commissions suivantes au-delà de l'avance."),
    "split": (14, "Repartition", "Répartition de la prime d'équipe",
              "parts égales entre membres présents, prorata du fixe du mois, ou le montant à chaque commercial."),
    "charge_rate": (15, "TauxCharges", "Taux de charges patronales", "Coût employeur = brut × (1 + taux)."),
}


@dataclass
class _Plans:
    """The plans of the workbook as its formulas see them.

    Plan 1's defined names are those of a one-plan workbook (``Seuil``, ``Bornes``…); plan *k*'s
    carry the suffix ``_k`` (``Seuil_2``…). With several plans, each row of « Calcul » holds its
    rep's plan number and picks every parameter by ``CHOOSE(n, Seuil, Seuil_2, …)``, ranges included
    (Excel 2010+ and LibreOffice pass the chosen range on to ``SUMPRODUCT``, ``MATCH``, ``INDEX``)."""

    names: list[str]
    sheets: list[str]

    @property
    def several(self) -> bool:
        return len(self.names) > 1

    @staticmethod
    def suffix(k: int) -> str:
        """Suffix of the defined names of the plan of index ``k`` (0 for the first plan)."""
        return "" if k == 0 else f"_{k + 1}"

    def pick(self, name: str, number: str) -> str:
        """Defined name ``name`` of the plan whose number is in cell ``number``."""
        if not self.several:
            return name
        return f"CHOOSE({number},{','.join(name + self.suffix(k) for k in range(len(self.names)))})"

    def each(self, text: str) -> str:
        """A text formula listing every plan: ``text`` with ``{n}`` (plan name) and ``{s}`` (suffix)."""
        return '&" ; "&'.join(text.format(n=f"INDEX(Plans,{k + 1})", s=self.suffix(k)) for k in range(len(self.names)))


@dataclass
class CommissionsLayout:
    """Where things are in the generated workbook (for tests, the live renderer and the CLI)."""

    year: int
    plan: CommissionPlan
    reps: list[str]
    names: dict[str, str]
    teams: list[str]
    team_of: dict[str, str]
    #: « Calcul »: first data row, rows per (rep, month), column letter per field
    calc_rows: dict[tuple[str, int], int]
    calc_columns: dict[str, str]
    #: « Saisie »: cells of the base and of the target per (rep, month)
    input_base: dict[tuple[str, int], str]
    input_target: dict[tuple[str, int], str]
    #: « Synthèse »: row per rep, total row, column per field, row per team (column per team field)
    summary_rows: dict[str, int]
    summary_total_row: int
    summary_columns: dict[str, str]
    team_rows: dict[str, int]
    team_columns: dict[str, str]
    #: one statement sheet per rep and its first month row
    statements: dict[str, str]
    statement_first_row: int
    statement_columns: dict[str, str]
    #: « Paramètres »: cell of each scalar parameter, first rows of the grids
    params: dict[str, str]
    tier_rows: list[int]
    bonus_rows: list[int]
    team_bonus_rows: list[int]
    #: « Équipe »: row per rep
    team_sheet_rows: dict[str, int]
    #: the inputs written into the workbook, as arrays (reps × 12) and per rep
    bases: np.ndarray
    targets: np.ndarray
    base_salary: np.ndarray
    hire_dates: list
    end_dates: list
    #: reps present in the sales lines but not in the team (their sales are not counted)
    unknown_reps: list[str] = field(default_factory=list)
    #: every plan of the workbook, by name (the first one is plan 1, on « Paramètres »), and each rep's plan
    plans: dict[str, CommissionPlan] = field(default_factory=dict)
    rep_plans: dict[str, str] = field(default_factory=dict)
    #: several plans: parameter sheet and cells of each plan, column « Plan » of « Équipe », list of the
    #: plans on « Paramètres » (row per plan), « Par plan » block of « Synthèse » (row per plan, columns)
    param_sheets: dict[str, str] = field(default_factory=dict)
    plan_params: dict[str, dict[str, str]] = field(default_factory=dict)
    team_plan_column: str | None = None
    plan_list_rows: dict[str, int] = field(default_factory=dict)
    summary_plan_rows: dict[str, int] = field(default_factory=dict)
    summary_plan_columns: dict[str, str] = field(default_factory=dict)
    #: reps whose plan (in the team file) is not a plan of the workbook: put on the first plan
    unmatched_plans: dict[str, str] = field(default_factory=dict)

    @property
    def several_plans(self) -> bool:
        return len(self.plans) > 1

    def plan_of(self, rep: str) -> CommissionPlan:
        """The plan ``rep`` is on."""
        return self.plans[self.rep_plans[rep]] if self.several_plans else self.plan

    def pay_inputs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`xlsales.core.payplan.compute_pay` for the workbook's data
        (one plan, or one plan per rep when the workbook has several)."""
        plan = [self.plan_of(r) for r in self.reps] if self.several_plans else self.plan
        return {"plan": plan, "base_amounts": self.bases, "targets": self.targets, "base_salary": self.base_salary,
                "hire_dates": self.hire_dates, "year": self.year, "end_dates": self.end_dates,
                "teams": [self.team_of[r] for r in self.reps], "reps": self.reps}


# ------------------------------------------------------------------------------------------------
# Inputs
# ------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date()


def _revenue(sales: pd.DataFrame) -> np.ndarray:
    if "revenue" in sales.columns:
        return sales["revenue"].to_numpy(dtype=float)
    discount = sales["discount"].to_numpy(dtype=float) if "discount" in sales.columns else 0.0
    return (sales["quantity"].to_numpy(dtype=float) * sales["unit_price"].to_numpy(dtype=float)
            * (1.0 - np.nan_to_num(discount)))


def _line_amounts(sales: pd.DataFrame, base: str) -> np.ndarray:
    """The commission base of each sales line: revenue, margin or cash collected."""
    revenue = _revenue(sales)
    if base == "revenue":
        return revenue
    if base == "margin":
        if "margin" in sales.columns:
            return sales["margin"].to_numpy(dtype=float)
        if "unit_cost" not in sales.columns:
            raise ValueError("assiette « marge » : les ventes n'ont pas de coût unitaire (unit_cost)")
        return revenue - sales["quantity"].to_numpy(dtype=float) * sales["unit_cost"].to_numpy(dtype=float)
    if "paid" not in sales.columns:
        raise ValueError("assiette « encaissé » : les ventes n'ont pas de colonne payé (paid)")
    paid = sales["paid"]
    if pd.api.types.is_numeric_dtype(paid) and not pd.api.types.is_bool_dtype(paid):
        return paid.to_numpy(dtype=float)  # amounts collected (xlsales.io)
    return np.array([_paid_amount(v, r) for v, r in zip(paid.tolist(), revenue)], dtype=float)


def _paid_amount(value: Any, revenue: float) -> float:
    """Cash collected on a line: yes/no flag (the line's revenue or 0) or an amount."""
    if isinstance(value, (bool, np.bool_)):
        return revenue if value else 0.0
    if isinstance(value, (int, float, np.number)):
        return 0.0 if np.isnan(value) else float(value)
    text = _text(value).lower()
    if text in ("oui", "o", "yes", "y", "vrai", "true", "payé", "encaissé"):
        return revenue
    try:
        return float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return 0.0


def monthly_bases(sales: pd.DataFrame | None, reps: list[str], year: int, base: str = "revenue") -> tuple[np.ndarray, list[str]]:
    """Commission base per rep (rows, in ``reps`` order) and month of ``year``, to the cent;
    also the reps of the sales lines that are not in ``reps``."""
    out = np.zeros((len(reps), 12))
    if sales is None or len(sales) == 0:
        return out, []
    dates = pd.to_datetime(sales["date"], errors="coerce")
    amounts = np.nan_to_num(_line_amounts(sales, base))
    rep = sales["rep"].map(_text)
    mask = (dates.dt.year == year).to_numpy()
    frame = pd.DataFrame({"rep": rep[mask].to_numpy(), "month": dates[mask].dt.month.to_numpy(), "amount": amounts[mask]})
    sums = frame.groupby(["rep", "month"])["amount"].sum()
    index = {r: i for i, r in enumerate(reps)}
    for (r, m), value in sums.items():
        if r in index:
            out[index[r], int(m) - 1] = value
    unknown = sorted(set(frame["rep"]) - set(reps))
    return np.round(out, 2), unknown


def monthly_targets(targets: pd.DataFrame | None, reps: list[str], year: int, base: str = "revenue") -> np.ndarray:
    """Target per rep and month of ``year`` (a yearly target is spread evenly over the 12 months).

    ``targets``: rep, and period ("2026-03" or "2026") or year + month, and target (revenue); with
    a margin base, ``target_margin`` is used when present."""
    out = np.zeros((len(reps), 12))
    if targets is None or len(targets) == 0 or "rep" not in targets.columns:
        return out
    t = targets.copy()
    column = "target_margin" if base == "margin" and "target_margin" in t.columns and t["target_margin"].notna().any() else \
        next(c for c in ("target", "target_revenue", "revenue") if c in t.columns)
    if "year" in t.columns and "month" in t.columns:
        years = pd.to_numeric(t["year"], errors="coerce")
        months = pd.to_numeric(t["month"], errors="coerce")
    else:
        period = t["period"].map(_text)
        years = pd.to_numeric(period.str.slice(0, 4), errors="coerce")
        months = pd.to_numeric(period.str.slice(5, 7), errors="coerce")
    index = {r: i for i, r in enumerate(reps)}
    values = pd.to_numeric(t[column], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    for rep, y, m, v in zip(t["rep"].map(_text), years, months, values):
        if rep not in index or y != year:
            continue
        if pd.isna(m) or m == 0:
            out[index[rep]] += v / 12
        else:
            out[index[rep], int(m) - 1] += v
    return np.round(out, 2)


def _sheet_title(prefix: str, name: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\']", " ", name).strip() or "?"
    title = f"{prefix} {clean}"[:31].rstrip()
    candidate, k = title, 2
    while candidate.lower() in used:
        suffix = f" ({k})"
        candidate = title[: 31 - len(suffix)].rstrip() + suffix
        k += 1
    used.add(candidate.lower())
    return candidate


# ------------------------------------------------------------------------------------------------
# Sheets
# ------------------------------------------------------------------------------------------------


def _width(header: str, minimum: float) -> float:
    """Column width that shows a bold header on one line."""
    return max(minimum, round(len(header) * 1.15 + 3))


def _grid_rows(first: int, filled: int, minimum: int) -> list[int]:
    return list(range(first, first + max(minimum, filled + 2)))


def _params_sheet(plan: CommissionPlan, year: int, plans: _Plans | None = None, k: int = 0
                  ) -> tuple[SheetPlan, dict[str, str], dict[str, str], dict[str, list[int]]]:
    """The parameter sheet of a plan: « Paramètres » for the first (the only one of a one-plan
    workbook, which holds the year), « Paramètres <plan> » for the others (plan index ``k``)."""
    first = k == 0
    sheet = SheetPlan(plans.sheets[k] if plans else SHEETS["params"], role="input", tab_color="70AD47")
    if first:
        sheet.title("Paramètres du plan de commissionnement",
                    "Cellules jaunes : à saisir. Les autres feuilles se recalculent seules.")
    else:
        sheet.title("Paramètres du plan de commissionnement",
                    "Cellules jaunes : à saisir. Plan des commerciaux qui le portent dans « Équipe » (colonne Plan) ; "
                    "l'exercice se saisit dans « Paramètres ».")
    suffix = plans.suffix(k) if plans else ""
    values = {
        "year": (year, "input_text"),  # General format: 2026, not 2 026
        "mode": (MODE_FR[plan.mode], "input_text"),
        "base": (BASE_FR[plan.base], "input_text"),
        "period": (PERIOD_FR[plan.period], "input_text"),
        "gate": (plan.gate, "input_pct"),
        "cap": (plan.cap or 0.0, "input_eur"),
        "accelerator": (plan.accelerator, "input_dec"),
        "draw": (plan.draw, "input_eur"),
        "draw_recoverable": ("oui" if plan.draw_recoverable else "non", "input_text"),
        "split": (SPLIT_FR[plan.team_bonus_split], "input_text"),
        "charge_rate": (plan.charge_rate, "input_pct"),
    }
    q = quote_sheet(sheet.name)
    names, cells = {}, {}
    if plans is not None and plans.several:
        sheet.set(3, 1, "Plan de commissionnement", style="label")
        sheet.set(3, 2, formula=f"INDEX(Plans,{k + 1})", style="label")
    for key, (row, name, label, note) in _PARAMS.items():
        sheet.set(row, 1, label, style="label")
        if key == "months":
            sheet.set(row, 2, formula=f'IF(Periode{suffix}="trimestre",3,IF(Periode{suffix}="année",12,1))', style="int")
        elif key == "year" and not first:
            sheet.set(row, 2, formula="Annee", style="text")
            note = "Celle de « Paramètres »."
        else:
            value, style = values[key]
            sheet.set(row, 2, value, style=style)
        sheet.set(row, 3, note, style="note")
        if key != "year" or first:
            names[name + suffix] = f"{q}!$B${row}"
        cells[key] = f"B{row}"
    v = sheet.validations
    if first:
        v.append(Validation("B4", "whole", "between", "2000", "2100", prompt="Année (ex. 2026)",
                            error="Une année de 2000 à 2100 est attendue."))
    v.append(Validation("B5", "list", None, '"progressif,paliers"', prompt="progressif (par tranches) ou paliers (taux global)",
                        error="Choisissez progressif ou paliers.", allow_blank=False))
    v.append(Validation("B6", "list", None, '"CA,marge,encaissé"', prompt="CA, marge ou encaissé",
                        error="Choisissez CA, marge ou encaissé.", allow_blank=False))
    v.append(Validation("B7", "list", None, '"mois,trimestre,année"', prompt="mois, trimestre ou année",
                        error="Choisissez mois, trimestre ou année.", allow_blank=False))
    v.append(Validation("B9", "decimal", "between", "0", "1", prompt="Taux de réalisation entre 0 et 100 %",
                        error="Un taux entre 0 et 100 % est attendu."))
    v.append(Validation("B10", "decimal", "greaterThanOrEqual", "0", prompt="Montant maximal par période (0 : aucun)",
                        error="Un montant positif ou nul est attendu."))
    v.append(Validation("B11", "decimal", "between", "0", "10", prompt="Coefficient (1 : pas d'accélérateur ; 1,5 : +50 %)",
                        error="Un coefficient entre 0 et 10 est attendu."))
    v.append(Validation("B12", "decimal", "greaterThanOrEqual", "0", prompt="Avance mensuelle (€)",
                        error="Un montant positif ou nul est attendu."))
    v.append(Validation("B13", "list", None, '"oui,non"', prompt="oui ou non", error="Choisissez oui ou non.", allow_blank=False))
    v.append(Validation("B14", "list", None, '"parts égales,prorata du fixe,par commercial"',
                        prompt="parts égales, prorata du fixe ou par commercial", error="Choisissez une répartition de la liste.",
                        allow_blank=False))
    v.append(Validation("B15", "decimal", "between", "0", "1", prompt="Taux entre 0 et 100 %", error="Un taux entre 0 et 100 % est attendu."))

    # tiers table
    top = 17
    sheet.set(top, 1, "Barème des commissions (bornes croissantes, sans ligne vide intercalée)", style="label")
    sheet.row(top + 1, 1, ["Tranche", "Borne inférieure", "Borne supérieure", "Taux", "Taux différentiel"], style="header")
    tier_rows = _grid_rows(top + 2, len(plan.thresholds), 6)
    for j, r in enumerate(tier_rows):
        bound = plan.thresholds[j] if j < len(plan.thresholds) else None
        rate = plan.rates[j] if j < len(plan.rates) else None
        nxt = f"B{r + 1}" if r != tier_rows[-1] else None
        upper = (f'IF(ISNUMBER(B{r}),IF(ISNUMBER({nxt}),{nxt},"et au-delà"),"")' if nxt else
                 f'IF(ISNUMBER(B{r}),"et au-delà","")')
        diff = f"IF(ISNUMBER(B{r}),D{r},0)" if j == 0 else f"IF(ISNUMBER(B{r}),D{r}-D{r - 1},0)"
        sheet.row(r, 1, [j + 1, bound, Formula(upper), rate, Formula(diff)],
                  style=["int", "input_eur", "eur", "input_pct", "pct2"])
    t0, t1 = tier_rows[0], tier_rows[-1]
    names.update({f"Bornes{suffix}": f"{q}!$B${t0}:$B${t1}", f"Taux{suffix}": f"{q}!$D${t0}:$D${t1}",
                  f"TauxDiff{suffix}": f"{q}!$E${t0}:$E${t1}"})
    v.append(Validation(f"B{t0}:B{t1}", "decimal", "greaterThanOrEqual", "0", prompt="Borne inférieure de la tranche (€)",
                        error="Un montant positif ou nul est attendu."))
    v.append(Validation(f"D{t0}:D{t1}", "decimal", "between", "0", "1", prompt="Taux de commission entre 0 et 100 %",
                        error="Un taux entre 0 et 100 % est attendu."))

    def grid(top: int, title: str, first_header: str, thresholds, amounts, prefix: str) -> list[int]:
        sheet.set(top, 1, title, style="label")
        sheet.row(top + 1, 1, ["Palier", first_header, "Montant"], style="header")
        rows = _grid_rows(top + 2, len(thresholds), 4)
        for j, r in enumerate(rows):
            sheet.row(r, 1, [j + 1, thresholds[j] if j < len(thresholds) else None,
                             amounts[j] if j < len(amounts) else None], style=["int", "input_pct", "input_eur"])
        names[f"{prefix}Seuils{suffix}"] = f"{q}!$B${rows[0]}:$B${rows[-1]}"
        names[f"{prefix}Montants{suffix}"] = f"{q}!$C${rows[0]}:$C${rows[-1]}"
        v.append(Validation(f"B{rows[0]}:B{rows[-1]}", "decimal", "between", "0", "10",
                            prompt="Taux de réalisation (100 % = objectif atteint)", error="Un taux entre 0 et 1 000 % est attendu."))
        v.append(Validation(f"C{rows[0]}:C{rows[-1]}", "decimal", "greaterThanOrEqual", "0", prompt="Montant de la prime (€)",
                            error="Un montant positif ou nul est attendu."))
        return rows

    bonus_rows = grid(t1 + 2, "Prime sur objectif (le palier le plus haut atteint, en fin de période)", "Réalisation ≥",
                      plan.bonus_thresholds, plan.bonus_amounts, "Prime")
    team_rows = grid(bonus_rows[-1] + 2, "Prime d'équipe (réalisation de l'équipe, en fin de période)",
                     "Réalisation ≥", plan.team_bonus_thresholds, plan.team_bonus_amounts, "PrimeEquipe")
    sheet.widths.update({"A": 46, "B": 16, "C": 16, "D": 10, "E": 17})
    if plans is not None and plans.several and first:
        # the list of the plans: plan numbers of « Calcul », names offered in « Équipe »
        sheet.set(3, 7, "Plans du classeur", style="label")
        sheet.row(4, 7, ["N°", "Plan", "Feuille des paramètres"], style="header")
        for j, (name, title) in enumerate(zip(plans.names, plans.sheets)):
            sheet.row(5 + j, 7, [j + 1, name, title], style=["int", "text", "text"])
        last = 4 + len(plans.names)
        names["Plans"] = f"{q}!$H$5:$H${last}"
        sheet.set(last + 1, 7, "Le plan de chaque commercial se choisit dans « Équipe » (colonne Plan) ; "
                               "vide ou inconnu : le plan 1.", style="note")
        sheet.widths.update({"F": 3, "G": 6, "H": 22, "I": 30})
    sheet.freeze = "A4"
    sheet.print_setup = PrintSetup(orientation="portrait", fit_width=1, fit_height=1, header="Plan de commissionnement")
    return sheet, names, cells, {"tiers": tier_rows, "bonus": bonus_rows, "team_bonus": team_rows}


def _team_sheet(reps: list[str], info: pd.DataFrame, plans: _Plans | None = None, rep_plans: Mapping[str, str] | None = None
                ) -> tuple[SheetPlan, dict[str, int]]:
    several = plans is not None and plans.several
    sheet = SheetPlan(SHEETS["team"], role="input", tab_color="70AD47")
    sheet.title("Équipe commerciale", "Fixe annuel brut ; dates d'embauche et de sortie pour le prorata des mois "
                                      "incomplets (jours calendaires)."
                                      + (" Plan : le plan de commissionnement du commercial (liste des plans de "
                                         "« Paramètres » ; vide : le plan 1)." if several else ""))
    headers = ["Commercial", "Nom", "Équipe", "Date d'embauche", "Date de sortie", "Fixe annuel brut", "Fixe mensuel"]
    sheet.row(4, 1, headers + (["Plan"] if several else []), style="header")
    rows = {}
    for i, rep in enumerate(reps):
        r = 5 + i
        rows[rep] = r
        rec = info.loc[rep]
        sheet.row(r, 1, [rep, rec["name"] or None, rec["team"] or None, rec["hire_date"], rec["end_date"],
                         float(rec["base_salary"]), Formula(f"F{r}/12")] + ([rep_plans[rep]] if several else []),
                  style=["input_text", "input_text", "input_text", "input_date", "input_date", "input_eur", "eur",
                         "input_text"])
    last = 4 + len(reps)
    if several:
        listed = ",".join(plans.names)
        if not any("," in n or '"' in n for n in plans.names) and len(listed) <= 250:  # a literal list of the names
            sheet.validations.append(Validation(f"H5:H{last}", "list", None, f'"{listed}"',
                                                prompt="Plan de commissionnement du commercial",
                                                error="Choisissez un plan de la liste (feuille « Paramètres »)."))
        sheet.widths["H"] = max(16, max(len(n) for n in plans.names) + 4)
    sheet.validations.append(Validation(f"D5:E{last}", "date", "between", "18264", "73415",
                                        prompt="Date (jj/mm/aaaa), vide si sans objet", error="Une date est attendue."))
    sheet.validations.append(Validation(f"F5:F{last}", "decimal", "greaterThanOrEqual", "0", prompt="Fixe annuel brut (€)",
                                        error="Un montant positif ou nul est attendu."))
    sheet.widths.update({"A": 20, "B": 26, "C": 16, "D": 15, "E": 15, "F": 16, "G": 14})
    sheet.freeze = "B5"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="4:4", header="Équipe commerciale")
    return sheet, rows


def _input_sheet(reps: list[str], team_rows: dict[str, int], bases: np.ndarray, targets: np.ndarray,
                 plans: _Plans | None = None) -> tuple[SheetPlan, dict, dict]:
    sheet = SheetPlan(SHEETS["input"], role="input", tab_color="70AD47")
    sheet.title("Saisie mensuelle")
    if plans is not None and plans.several:
        sheet.put("A2", formula=('="Assiette des commissions selon le plan du commercial — "&'
                                 + plans.each('{n}&" : "&Assiette{s}') + '&" — exercice "&Annee'), style="subtitle")
    else:
        sheet.put("A2", formula='="Assiette des commissions : "&Assiette&" — exercice "&Annee', style="subtitle")
    eq = quote_sheet(SHEETS["team"])
    n = len(reps)
    blocks = {}
    top = 4
    for key, title, values in (("base", "Assiette du mois (HT)", bases),
                               ("target", ("Objectifs mensuels (mois complet ; proratisés dans « Calcul » pour une "
                                           "embauche ou une sortie en cours de mois)"), targets)):
        sheet.set(top, 1, title, style="label")
        sheet.row(top + 1, 1, ["Commercial", "Nom"] + MONTHS_FR + ["Total"], style="header")
        cells = {}
        first = top + 2
        for i, rep in enumerate(reps):
            r = first + i
            e = team_rows[rep]
            sheet.set(r, 1, formula=f'IF({eq}!$A${e}="","",{eq}!$A${e})', style="text")
            sheet.set(r, 2, formula=f'IF({eq}!$B${e}="","",{eq}!$B${e})', style="text")
            for m in range(1, 13):
                sheet.set(r, 2 + m, float(values[i, m - 1]), style="input_eur")
                cells[(rep, m)] = f"{col(2 + m)}{r}"
            sheet.set(r, 15, formula=f"SUM(C{r}:N{r})", style="eur")
        last = first + n - 1
        t = last + 1
        sheet.set(t, 1, "Total", style="total_text")
        sheet.set(t, 2, None, style="total_text")
        for c in range(3, 16):
            sheet.set(t, c, formula=f"SUM({col(c)}{first}:{col(c)}{last})", style="total_eur")
        sheet.validations.append(Validation(f"C{first}:N{last}", "decimal", "greaterThanOrEqual", "0",
                                            prompt="Montant HT du mois (€)", error="Un montant positif ou nul est attendu."))
        blocks[key] = cells
        top = t + 3
    sheet.widths.update({"A": 20, "B": 24, **{col(c): 12 for c in range(3, 15)}, "O": 14})
    sheet.freeze = "C6"
    sheet.print_setup = PrintSetup(orientation="landscape", header="Saisie mensuelle")
    return sheet, blocks["base"], blocks["target"]


def _tier(x: str, P=lambda name: name) -> str:
    """Grid commission of the amount in cell ``x``: flat by INDEX/MATCH, progressive by SUMPRODUCT
    (``P`` gives the defined name of a parameter of the row's plan)."""
    bounds, rates = P("Bornes"), P("Taux")
    flat = f"IF(OR(COUNT({bounds})=0,{x}<INDEX({bounds},1)),0,{x}*INDEX({rates},MATCH({x},{bounds},1)))"
    progressive = f"SUMPRODUCT(({x}>{bounds})*({x}-{bounds})*{P('TauxDiff')})"
    return f'IF({P("ModeCalcul")}="paliers",{flat},{progressive})'


def _step(x: str, thresholds: str, amounts: str) -> str:
    """Step grid: the amount of the highest threshold reached by ``x`` (0 when ``x`` is empty)."""
    return (f'IF(OR({x}="",COUNT({thresholds})=0),0,IF({x}<INDEX({thresholds},1),0,'
            f'N(INDEX({amounts},MATCH({x},{thresholds},1)))))')


#: The column of « Calcul » holding the rep's plan number (several plans only), inserted after « Équipe ».
PLAN_COLUMN = ("plan", "N° plan", "int")


def _calc_columns(several: bool) -> list[tuple[str, str, str]]:
    return CALC_COLUMNS[:2] + [PLAN_COLUMN] + CALC_COLUMNS[2:] if several else CALC_COLUMNS


def _calc_sheet(reps: list[str], team_rows: dict[str, int], input_base: dict, input_target: dict,
                plans: _Plans | None = None) -> tuple[SheetPlan, dict[tuple[str, int], int], dict[str, str]]:
    several = plans is not None and plans.several
    columns = _calc_columns(several)
    sheet = SheetPlan(SHEETS["calc"], tab_color="1F4E78")
    sheet.title("Calcul des rémunérations", "Une ligne par commercial et par mois. Présence = jours travaillés / jours "
                                            "du mois ; assiette, objectif et réalisation cumulés sur la période du plan. "
                                            + ("N° plan : rang dans la liste des plans du plan choisi dans « Équipe » "
                                               "(vide ou inconnu : 1) ; chaque paramètre est celui de ce plan. "
                                               if several else "")
                                            + "Feuille calculée : ne rien saisir ici.")
    C = {f: col(i) for i, (f, _, _) in enumerate(columns, start=1)}
    sheet.row(4, 1, [h for _, h, _ in columns], style="header")
    first = 5
    last = first + 12 * len(reps) - 1
    eq = quote_sheet(SHEETS["team"])
    inp = quote_sheet(SHEETS["input"])
    rows: dict[tuple[str, int], int] = {}

    def rng(f: str, a: int = first, b: int = last) -> str:
        return f"${C[f]}${a}:${C[f]}${b}"

    for i, rep in enumerate(reps):
        b0, b1 = first + 12 * i, first + 12 * i + 11
        e = team_rows[rep]
        for m in range(1, 13):
            r = b0 + m - 1
            rows[(rep, m)] = r
            c = {f: f"{C[f]}{r}" for f in C}
            prev = (lambda f: "0") if m == 1 else (lambda f, r=r: f"{C[f]}{r - 1}")
            eom = f"EOMONTH({c['period_date']},0)"
            P = (lambda name, cell=c[PLAN_COLUMN[0]]: plans.pick(name, cell)) if several else (lambda name: name)
            formulas = {
                "rep": f'IF({eq}!$A${e}="","",{eq}!$A${e})',
                "team": f'IF({eq}!$C${e}="","",{eq}!$C${e})',
                "plan": f"IFERROR(MATCH({eq}!$H${e},Plans,0),1)",
                "month": None,
                "period_date": f"DATE(Annee,{c['month']},1)",
                "period_start": f"{c['month']}-MOD({c['month']}-1,{P('MoisPeriode')})",
                "presence": (f"MAX(0,MIN({eom},IF(ISNUMBER({eq}!$E${e}),{eq}!$E${e},{eom}))"
                             f"-MAX({c['period_date']},IF(ISNUMBER({eq}!$D${e}),{eq}!$D${e},{c['period_date']}))+1)"
                             f"/DAY({eom})"),
                "base": f"N({inp}!{input_base[(rep, m)]})",
                "target": f"ROUND(N({inp}!{input_target[(rep, m)]})*{c['presence']},2)",
                "cum_base": (f"SUMIFS({rng('base', b0, b1)},{rng('month', b0, b1)},\">=\"&{c['period_start']},"
                             f"{rng('month', b0, b1)},\"<=\"&{c['month']})"),
                "cum_target": (f"SUMIFS({rng('target', b0, b1)},{rng('month', b0, b1)},\">=\"&{c['period_start']},"
                               f"{rng('month', b0, b1)},\"<=\"&{c['month']})"),
                "attainment": f'IF({c["cum_target"]}>0,ROUND({c["cum_base"]}/{c["cum_target"]},4),"")',
                "gate_ok": f'IF({c["attainment"]}="","oui",IF({c["attainment"]}>={P("Seuil")},"oui","non"))',
                "grid_commission": _tier(c["cum_base"], P),
                "grid_commission_at_target": (f"IF(AND({c['cum_target']}>0,{c['cum_base']}>{c['cum_target']}),"
                                              f"{_tier(c['cum_target'], P)},{c['grid_commission']})"),
                "accelerator_extra": f"({P('Accelerateur')}-1)*({c['grid_commission']}-{c['grid_commission_at_target']})",
                "commission_after_gate": f'IF({c["gate_ok"]}="oui",{c["grid_commission"]}+{c["accelerator_extra"]},0)',
                "commission_due_cum": (f"ROUND(IF({P('Plafond')}>0,MIN({P('Plafond')},{c['commission_after_gate']}),"
                                       f"{c['commission_after_gate']}),2)"),
                "commission": (f"ROUND({c['commission_due_cum']}-IF({c['month']}={c['period_start']},0,"
                               f"{prev('commission_due_cum')}),2)"),
                "draw": f"ROUND({P('Avance')}*{c['presence']},2)",
                "draw_topup": f"ROUND(MAX(0,{c['draw']}-{c['commission']}),2)",
                "draw_recovery": (f'IF({P("AvanceRecuperable")}="oui",ROUND(MIN({prev("draw_balance")},'
                                  f'MAX(0,{c["commission"]}-{c["draw"]})),2),0)'),
                "commission_paid": f"ROUND({c['commission']}+{c['draw_topup']}-{c['draw_recovery']},2)",
                "draw_balance": (f'IF({P("AvanceRecuperable")}="oui",ROUND({prev("draw_balance")}+{c["draw_topup"]}'
                                 f'-{c["draw_recovery"]},2),0)'),
                "bonus": (f"IF(MOD({c['month']},{P('MoisPeriode')})<>0,0,"
                          f"{_step(c['attainment'], P('PrimeSeuils'), P('PrimeMontants'))})"),
                "team_attainment": (f'IF({c["team"]}="","",IF(SUMIFS({rng("cum_target")},{rng("team")},{c["team"]},'
                                    f'{rng("month")},{c["month"]})>0,ROUND(SUMIFS({rng("cum_base")},{rng("team")},'
                                    f'{c["team"]},{rng("month")},{c["month"]})/SUMIFS({rng("cum_target")},{rng("team")},'
                                    f'{c["team"]},{rng("month")},{c["month"]}),4),""))'),
                "fixed": f"ROUND({eq}!$F${e}/12*{c['presence']},2)",
                "team_pool": (f"IF(MOD({c['month']},{P('MoisPeriode')})<>0,0,"
                              f"{_step(c['team_attainment'], P('PrimeEquipeSeuils'), P('PrimeEquipeMontants'))})"),
                "team_bonus": (f'IF(OR({c["team_pool"]}=0,{c["presence"]}=0),0,ROUND('
                               f'IF({P("Repartition")}="par commercial",{c["team_pool"]},'
                               f'IF({P("Repartition")}="prorata du fixe",IF(SUMIFS({rng("fixed")},{rng("team")},{c["team"]},'
                               f'{rng("month")},{c["month"]})>0,{c["team_pool"]}*{c["fixed"]}/SUMIFS({rng("fixed")},'
                               f'{rng("team")},{c["team"]},{rng("month")},{c["month"]}),0),'
                               f'{c["team_pool"]}/COUNTIFS({rng("team")},{c["team"]},{rng("month")},{c["month"]},'
                               f'{rng("presence")},">0"))),2))'),
                "gross": f"ROUND({c['fixed']}+{c['commission_paid']}+{c['bonus']}+{c['team_bonus']},2)",
                "employer_cost": f"ROUND({c['gross']}*(1+{P('TauxCharges')}),2)",
            }
            for j, (f, _, style) in enumerate(columns, start=1):
                if f == "month":
                    sheet.set(r, j, m, style=style)
                else:
                    sheet.set(r, j, formula=formulas[f], style=style)
    ok = C["gate_ok"]
    sheet.conditional_formats.append(ConditionalFormat(f"{ok}{first}:{ok}{last}", "cell_is", "equal", ['"non"'], look="bad"))
    att = C["attainment"]
    gate = plans.pick("Seuil", f"${C[PLAN_COLUMN[0]]}{first}") if several else "Seuil"  # the gate of the row's plan
    sheet.conditional_formats.append(ConditionalFormat(f"{att}{first}:{att}{last}", "expression",
                                                       formula=[f"AND(ISNUMBER({att}{first}),{att}{first}>=1)"], look="good"))
    sheet.conditional_formats.append(ConditionalFormat(f"{att}{first}:{att}{last}", "expression",
                                                       formula=[f"AND(ISNUMBER({att}{first}),{att}{first}<{gate})"], look="bad"))
    sheet.widths.update({col(k): _width(h, 11) for k, (_, h, _) in enumerate(columns, start=1)})
    sheet.widths.update({"A": 18, "B": 14, C["month"]: 7, C["period_date"]: 11})
    sheet.freeze = f"{col(columns.index(CALC_COLUMNS[3]) + 1)}5"
    sheet.print_setup = PrintSetup(orientation="landscape", fit_width=3, title_rows="4:4", header="Calcul des rémunérations")
    return sheet, rows, C


#: The « Synthèse » column naming each rep's plan (several plans only), inserted after « Équipe ».
SUMMARY_PLAN_COLUMN = ("plan", "Plan", "text")

#: Columns of the « Par plan » block of « Synthèse » (several plans): field, header, style.
PLAN_TOTAL_COLUMNS: list[tuple[str, str, str]] = [
    ("plan", "Plan", "text"),
    ("reps", "Commerciaux", "int"),
    ("base", "Assiette", "eur"),
    ("commission_paid", "Commissions versées", "eur"),
    ("bonus", "Primes sur objectif", "eur"),
    ("team_bonus", "Primes d'équipe", "eur"),
    ("gross", "Total brut", "eur"),
    ("employer_cost", "Coût employeur", "eur"),
]


def _summary_sheet(reps: list[str], teams: list[str], team_rows: dict[str, int], calc_rows: dict, C: dict[str, str],
                   plans: _Plans | None = None):
    several = plans is not None and plans.several
    columns = SUMMARY_COLUMNS[:3] + [SUMMARY_PLAN_COLUMN] + SUMMARY_COLUMNS[3:] if several else SUMMARY_COLUMNS
    sheet = SheetPlan(SHEETS["summary"], tab_color="1F4E78")
    sheet.title("Synthèse annuelle des rémunérations")
    if several:
        sheet.put("A2", formula=('="Exercice "&Annee&" — plans : "&'
                                 + plans.each('{n}&" ("&Assiette{s}&", période : "&Periode{s}&")"')), style="subtitle")
    else:
        sheet.put("A2", formula='="Exercice "&Annee&" — assiette : "&Assiette&" — période : "&Periode', style="subtitle")
    S = {f: col(i) for i, (f, _, _) in enumerate(columns, start=1)}
    sheet.row(4, 1, [h for _, h, _ in columns], style="header")
    calc = quote_sheet(SHEETS["calc"])
    eq = quote_sheet(SHEETS["team"])
    first = 5
    rows = {}
    sums = {"base": "base", "target": "target", "commission": "commission", "commission_paid": "commission_paid",
            "bonus": "bonus", "team_bonus": "team_bonus", "fixed": "fixed", "gross": "gross", "employer_cost": "employer_cost"}
    for i, rep in enumerate(reps):
        r = first + i
        rows[rep] = r
        e = team_rows[rep]
        b0, b1 = calc_rows[(rep, 1)], calc_rows[(rep, 12)]
        values = []
        for f, _, style in columns:
            if f == "rep":
                values.append(Formula(f'IF({eq}!$A${e}="","",{eq}!$A${e})'))
            elif f == "name":
                values.append(Formula(f'IF({eq}!$B${e}="","",{eq}!$B${e})'))
            elif f == "team":
                values.append(Formula(f'IF({eq}!$C${e}="","",{eq}!$C${e})'))
            elif f == "plan":
                values.append(Formula(f"INDEX(Plans,{calc}!${C[PLAN_COLUMN[0]]}${b0})"))
            elif f == "attainment":
                values.append(Formula(f'IF({S["target"]}{r}>0,{S["base"]}{r}/{S["target"]}{r},"")'))
            elif f == "draw_balance":
                values.append(Formula(f"{calc}!${C['draw_balance']}${b1}"))
            else:
                values.append(Formula(f"SUM({calc}!${C[sums[f]]}${b0}:${C[sums[f]]}${b1})"))
        sheet.row(r, 1, values, style=[s for _, _, s in columns])
    last = first + len(reps) - 1
    total = last + 1
    total_values, total_styles = [], []
    for f, _, style in columns:
        if f == "rep":
            total_values.append("Total")
        elif f in ("name", "team", "plan"):
            total_values.append(None)
        elif f == "attainment":
            total_values.append(Formula(f'IF({S["target"]}{total}>0,{S["base"]}{total}/{S["target"]}{total},"")'))
        else:
            total_values.append(Formula(f"SUM({S[f]}{first}:{S[f]}{last})"))
        total_styles.append("total_text" if style == "text" else "total_pct" if style.startswith("pct") else "total_eur")
    sheet.row(total, 1, total_values, style=total_styles)
    att = S["attainment"]
    sheet.conditional_formats.append(ConditionalFormat(f"{att}{first}:{att}{total}", "expression",
                                                       formula=[f"AND(ISNUMBER({att}{first}),{att}{first}>=1)"], look="good"))
    if several:  # below the gate of the rep's plan (the plan named in the row)
        gate = plans.pick("Seuil", f"MATCH(${S['plan']}{first},Plans,0)")
        sheet.conditional_formats.append(ConditionalFormat(f"{att}{first}:{att}{last}", "expression",
                                                           formula=[f"AND(ISNUMBER({att}{first}),{att}{first}<{gate})"],
                                                           look="bad"))
    else:
        sheet.conditional_formats.append(ConditionalFormat(f"{att}{first}:{att}{total}", "expression",
                                                           formula=[f"AND(ISNUMBER({att}{first}),{att}{first}<Seuil)"],
                                                           look="bad"))
    # per team
    team_fields = [("team", "Équipe", "text"), ("base", "Assiette", "eur"), ("target", "Objectif", "eur"),
                   ("attainment", "Réalisation", "pct2"), ("team_bonus", "Primes d'équipe", "eur"),
                   ("gross", "Total brut", "eur"), ("employer_cost", "Coût employeur", "eur")]
    T = {f: col(i) for i, (f, _, _) in enumerate(team_fields, start=1)}
    top = total + 2
    sheet.set(top, 1, "Par équipe", style="label")
    sheet.row(top + 1, 1, [h for _, h, _ in team_fields], style="header")
    trows = {}
    for k, team in enumerate(teams):
        r = top + 2 + k
        trows[team] = r
        values = [team]
        for f, _, _ in team_fields[1:]:
            if f == "attainment":
                values.append(Formula(f'IF({T["target"]}{r}>0,{T["base"]}{r}/{T["target"]}{r},"")'))
            else:
                values.append(Formula(f"SUMIFS(${S[f]}${first}:${S[f]}${last},${S['team']}${first}:${S['team']}${last},$A{r})"))
        sheet.row(r, 1, values, style=[s for _, _, s in team_fields])
    below = (trows[teams[-1]] if teams else top + 1)
    # per plan
    prows: dict[str, int] = {}
    Pc: dict[str, str] = {}
    if several:
        Pc = {f: col(i) for i, (f, _, _) in enumerate(PLAN_TOTAL_COLUMNS, start=1)}
        top = below + 2
        sheet.set(top, 1, "Par plan de commissionnement", style="label")
        sheet.row(top + 1, 1, [h for _, h, _ in PLAN_TOTAL_COLUMNS], style="header")
        key = f"${S['plan']}${first}:${S['plan']}${last}"
        for k, name in enumerate(plans.names):
            r = top + 2 + k
            prows[name] = r
            values = [Formula(f"INDEX(Plans,{k + 1})"), Formula(f"COUNTIF({key},$A{r})")]
            for f, _, _ in PLAN_TOTAL_COLUMNS[2:]:
                values.append(Formula(f"SUMIFS(${S[f]}${first}:${S[f]}${last},{key},$A{r})"))
            sheet.row(r, 1, values, style=[s for _, _, s in PLAN_TOTAL_COLUMNS])
        r = top + 2 + len(plans.names)
        p0, p1 = top + 2, r - 1
        sheet.row(r, 1, ["Total"] + [Formula(f"SUM({Pc[f]}{p0}:{Pc[f]}{p1})") for f, _, _ in PLAN_TOTAL_COLUMNS[1:]],
                  style=["total_text", "total_int"] + ["total_eur"] * (len(PLAN_TOTAL_COLUMNS) - 2))
        prows["Total"] = r
        below = r
    q = quote_sheet(sheet.name)
    sheet.charts.append(ChartSpec(
        "column", "Rémunération brute et coût employeur par commercial", f"A{below + 3}",
        [ChartSeries(f"{q}!${S['gross']}${first}:${S['gross']}${last}", "Total brut",
                     categories=f"{q}!$A${first}:$A${last}"),
         ChartSeries(f"{q}!${S['employer_cost']}${first}:${S['employer_cost']}${last}", "Coût employeur")],
        y_format='#,##0 "€"', width_cm=24, height_cm=10))
    sheet.widths.update({col(k): _width(h, 14) for k, (_, h, _) in enumerate(columns, start=1)})
    sheet.widths.update({"A": 20, "B": 24, "C": 14})
    sheet.freeze = "B5"
    sheet.print_setup = PrintSetup(orientation="landscape", title_rows="4:4", header="Synthèse des rémunérations")
    return sheet, rows, total, S, trows, T, prows, Pc


def _statement_sheet(name: str, rep: str, e: int, calc_rows: dict, C: dict[str, str], plans: _Plans | None = None
                     ) -> tuple[SheetPlan, int, dict[str, str]]:
    sheet = SheetPlan(name, tab_color="A5A5A5")
    eq = quote_sheet(SHEETS["team"])
    calc = quote_sheet(SHEETS["calc"])
    sheet.put("A1", formula='="Relevé de rémunération variable — exercice "&Annee', style="title")
    idents = [("Commercial", f'IF({eq}!$A${e}="","",{eq}!$A${e})', "text"),
              ("Nom", f'IF({eq}!$B${e}="","",{eq}!$B${e})', "text"),
              ("Équipe", f'IF({eq}!$C${e}="","",{eq}!$C${e})', "text"),
              ("Date d'embauche", f'IF({eq}!$D${e}="","",{eq}!$D${e})', "date"),
              ("Fixe annuel brut", f"{eq}!$F${e}", "eur")]
    for k, (label, formula, style) in enumerate(idents):
        sheet.set(3 + k, 1, label, style="label")
        sheet.set(3 + k, 2, formula=formula, style=style)
    if plans is not None and plans.several:
        n = f"{calc}!${C[PLAN_COLUMN[0]]}${calc_rows[(rep, 1)]}"
        sheet.set(8, 1, "Plan de commissionnement", style="label")
        sheet.set(8, 2, formula=f"INDEX(Plans,{n})", style="text")
        sheet.put("D3", formula=(f'="Plan « "&B8&" » : "&{plans.pick("ModeCalcul", n)}&" sur "&{plans.pick("Assiette", n)}'
                                 f'&", période : "&{plans.pick("Periode", n)}'), style="note")
    else:
        sheet.put("D3", formula='="Plan : "&ModeCalcul&" sur "&Assiette&", période : "&Periode', style="note")
    header_row = 9
    R = {f: col(i) for i, (f, _, _) in enumerate(STATEMENT_COLUMNS, start=2)}
    sheet.row(header_row, 1, ["Mois"] + [h for _, h, _ in STATEMENT_COLUMNS], style="header")
    first = header_row + 1
    for m in range(1, 13):
        r = first + m - 1
        row = calc_rows[(rep, m)]
        sheet.set(r, 1, formula=f"{calc}!${C['period_date']}${row}", style="month")
        for j, (f, _, style) in enumerate(STATEMENT_COLUMNS, start=2):
            sheet.set(r, j, formula=f"{calc}!${C[f]}${row}", style=style)
    last = first + 11
    t = last + 1
    sheet.set(t, 1, "Total", style="total_text")
    for j, (f, _, style) in enumerate(STATEMENT_COLUMNS, start=2):
        if f == "attainment":
            sheet.set(t, j, formula=f'IF({R["target"]}{t}>0,{R["base"]}{t}/{R["target"]}{t},"")', style="total_pct")
        else:
            sheet.set(t, j, formula=f"SUM({col(j)}{first}:{col(j)}{last})", style="total_eur")
    sheet.set(t + 2, 1, "Solde d'avance restant à récupérer au 31/12", style="label")
    sheet.set(t + 2, 5, formula=f"{calc}!${C['draw_balance']}${calc_rows[(rep, 12)]}", style="eur")
    sheet.set(t + 4, 1, "Fait à ............................................, le ..................................", style="default")
    sheet.set(t + 6, 1, "Le commercial", style="label")
    sheet.set(t + 6, 8, "Pour l'employeur", style="label")
    sheet.set(t + 7, 1, "(date et signature, précédées de « lu et approuvé »)", style="note")
    sheet.set(t + 7, 8, "(nom, qualité et signature)", style="note")
    end = t + 12
    sheet.set(end, 1, "Relevé établi à partir du plan de commissionnement en vigueur ; le détail des calculs figure "
                      "dans la feuille « Calcul ».", style="note")
    sheet.widths.update({"A": 25, **{col(k): _width(h, 13) for k, (_, h, _) in enumerate(STATEMENT_COLUMNS, start=2)}})
    sheet.freeze = f"B{first}"
    sheet.print_setup = PrintSetup(orientation="landscape", fit_width=1, fit_height=1,
                                   area=f"A1:{col(len(STATEMENT_COLUMNS) + 1)}{end}", header="Relevé de rémunération",
                                   footer="&A")
    return sheet, first, R


def _reps_frame(reps: pd.DataFrame) -> pd.DataFrame:
    if "rep" not in reps.columns:
        raise ValueError("l'équipe doit avoir une colonne « rep » (commercial)")
    frame = pd.DataFrame({"rep": reps["rep"].map(_text)})
    for name in ("name", "team", "plan"):
        frame[name] = reps[name].map(_text) if name in reps.columns else ""
    for name in ("hire_date", "end_date"):
        frame[name] = reps[name].map(_date) if name in reps.columns else None
    frame["base_salary"] = (pd.to_numeric(reps["base_salary"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
                            if "base_salary" in reps.columns else 0.0)
    frame = frame[frame["rep"] != ""]
    duplicated = frame["rep"][frame["rep"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"commerciaux en double dans l'équipe : {', '.join(sorted(set(duplicated)))}")
    if frame.empty:
        raise ValueError("l'équipe est vide")
    return frame.set_index("rep", drop=False)


#: Name of the plan of a workbook built from one :class:`CommissionPlan` given without a name.
DEFAULT_PLAN_NAME = "Plan"
#: Most plans in one workbook (each one adds an argument to every ``CHOOSE`` of « Calcul »).
MAX_PLANS = 40


def _plans(plan: CommissionPlan | Mapping[str, Any]) -> dict[str, CommissionPlan]:
    """The plans of the workbook by name: one plan (a :class:`CommissionPlan` or a reader dict), or a
    dict plan name → plan as :func:`xlsales.io.commission_plans` gives it."""
    if isinstance(plan, CommissionPlan):
        return {DEFAULT_PLAN_NAME: plan}
    if plan and all(isinstance(v, (CommissionPlan, Mapping)) for v in plan.values()):
        out = {}
        for name, spec in plan.items():
            key = _text(name) or DEFAULT_PLAN_NAME
            if key.casefold() in {k.casefold() for k in out}:
                raise ValueError(f"plan de commissionnement en double : {key}")
            out[key] = spec if isinstance(spec, CommissionPlan) else CommissionPlan.from_mapping(spec)
        return out
    return {DEFAULT_PLAN_NAME: CommissionPlan.from_mapping(plan)}


def _rep_plans(info: pd.DataFrame, names: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each rep's plan: the name of the team's « plan » column matched as the sheet's ``MATCH`` does
    (case ignored), else the first plan; also the reps whose plan was not found (rep → name given)."""
    index = {n.casefold(): n for n in reversed(names)}
    chosen, unmatched = {}, {}
    for rep, given in zip(info["rep"], info["plan"]):
        chosen[rep] = index.get(given.casefold(), names[0])
        if given and given.casefold() not in index:
            unmatched[rep] = given
    return chosen, unmatched


def build_commissions(reps: pd.DataFrame, plan: CommissionPlan | Mapping[str, Any], sales: pd.DataFrame | None = None,
                      targets: pd.DataFrame | None = None, year: int | None = None) -> tuple[BookPlan, CommissionsLayout]:
    """Plan the commissions workbook.

    Parameters
    ----------
    reps : DataFrame
        The team: rep (code), and optionally name, team, hire_date, end_date, base_salary (annual
        gross fixed pay), plan (name of the rep's commission plan), as :func:`xlsales.io.read_reps`
        gives them.
    plan : CommissionPlan, dict, or dict of plans
        The commission plan (a dict of :func:`xlsales.io.commission_plans` is accepted), or several
        plans by name, as :func:`xlsales.io.commission_plans` returns them (name → dict or
        :class:`CommissionPlan`). With one plan, every rep is on it and the ``plan`` column is not
        used. With several, the workbook has one parameter sheet per plan (« Paramètres » for the
        first, « Paramètres <plan> » for the others), a « Plan » column in « Équipe » (the rep's
        ``plan``; empty or unknown: the first plan) and « Calcul » takes each parameter from the
        rep's plan, so that changing a rep's plan in « Équipe » changes their pay, without Python.
    sales : DataFrame, optional
        Sales lines (date, rep, quantity, unit_price, discount, unit_cost, paid…): pre-fill the
        « Saisie » grid with the base of each rep's plan (CA, marge or encaissé) per rep and month
        of ``year``.
    targets : DataFrame, optional
        Targets: rep, period ("2026-03", or "2026" spread over 12 months) or year + month, target
        (target_margin for a margin base when given).
    year : int, optional
        Year computed; default: the last year of the sales, else of the targets, else this year.

    Returns
    -------
    (BookPlan, CommissionsLayout)
    """
    plans = _plans(plan)
    if len(plans) > MAX_PLANS:
        raise ValueError(f"{len(plans)} plans de commissionnement : {MAX_PLANS} au plus dans un classeur")
    plan_names = list(plans)
    first_plan = plans[plan_names[0]]
    several = len(plans) > 1
    info = _reps_frame(reps)
    rep_list = info["rep"].tolist()
    rep_plans, unmatched = _rep_plans(info, plan_names) if several else ({r: plan_names[0] for r in rep_list}, {})
    if year is None:
        if sales is not None and len(sales):
            year = int(pd.to_datetime(sales["date"], errors="coerce").dt.year.max())
        elif targets is not None and len(targets) and "period" in targets.columns:
            year = int(pd.to_numeric(targets["period"].map(_text).str.slice(0, 4), errors="coerce").max())
        else:
            year = dt.date.today().year
    year = int(year)
    # « Saisie » pre-filled with the base of each rep's plan (CA, marge or encaissé)
    bases = np.zeros((len(rep_list), 12))
    target_grid = np.zeros((len(rep_list), 12))
    unknown: list[str] = []
    rep_base = np.array([plans[rep_plans[r]].base for r in rep_list])
    for base in dict.fromkeys(rep_base.tolist()):
        rows = rep_base == base
        by_base, unknown = monthly_bases(sales, rep_list, year, base)
        bases[rows] = by_base[rows]
        target_grid[rows] = monthly_targets(targets, rep_list, year, base)[rows]
    teams = sorted({t for t in info["team"] if t})

    book = BookPlan(title="Commissions des commerciaux")
    ctx = None
    if several:
        used = {name.lower() for name in SHEETS.values()}
        sheets = [SHEETS["params"]] + [_sheet_title("Paramètres", name, used) for name in plan_names[1:]]
        ctx = _Plans(plan_names, sheets)
    param_sheets, plan_params = [], {}
    for k, name in enumerate(plan_names):
        sheet, names, cells, rows = _params_sheet(plans[name], year, ctx, k)
        book.names.update(names)
        param_sheets.append(sheet)
        plan_params[name] = cells
        if k == 0:
            param_cells, grid_rows = cells, rows
    team_sheet, team_rows = _team_sheet(rep_list, info, ctx, rep_plans)
    input_sheet, input_base, input_target = _input_sheet(rep_list, team_rows, bases, target_grid, ctx)
    calc, calc_rows, C = _calc_sheet(rep_list, team_rows, input_base, input_target, ctx)
    summary, summary_rows, total_row, S, trows, T, prows, Pc = _summary_sheet(rep_list, teams, team_rows, calc_rows, C, ctx)
    for sheet in (param_sheets[0], *param_sheets[1:], team_sheet, input_sheet, calc, summary):
        book.add(sheet)
    used = {s.name.lower() for s in book.sheets}
    statements = {}
    first_row, R = 0, {}
    for rep in rep_list:
        name = _sheet_title("Relevé", info.loc[rep, "name"] or rep, used)
        sheet, first_row, R = _statement_sheet(name, rep, team_rows[rep], calc_rows, C, ctx)
        book.add(sheet)
        statements[rep] = name
    book.active = input_sheet.name
    layout = CommissionsLayout(
        year=year, plan=first_plan, reps=rep_list, names=dict(zip(rep_list, info["name"])), teams=teams,
        team_of=dict(zip(rep_list, info["team"])), calc_rows=calc_rows, calc_columns=C, input_base=input_base,
        input_target=input_target, summary_rows=summary_rows, summary_total_row=total_row, summary_columns=S,
        team_rows=trows, team_columns=T, statements=statements, statement_first_row=first_row, statement_columns=R,
        params=param_cells, tier_rows=grid_rows["tiers"], bonus_rows=grid_rows["bonus"],
        team_bonus_rows=grid_rows["team_bonus"], team_sheet_rows=team_rows, bases=bases, targets=target_grid,
        base_salary=info["base_salary"].to_numpy(dtype=float), hire_dates=list(info["hire_date"]),
        end_dates=list(info["end_date"]), unknown_reps=unknown, plans=plans, rep_plans=rep_plans,
        param_sheets=dict(zip(plan_names, [s.name for s in param_sheets])), plan_params=plan_params,
        team_plan_column="H" if several else None,
        plan_list_rows={name: 5 + k for k, name in enumerate(plan_names)} if several else {},
        summary_plan_rows=prows, summary_plan_columns=Pc, unmatched_plans=unmatched,
    )
    return book, layout


# ---------------------------------------------------------------------------------------------
# Entry points: files (CLI), the sample company (ready-made workbook, template), an open workbook
# ---------------------------------------------------------------------------------------------

def plan_from_files(sales: pd.DataFrame | None, plan_frame: pd.DataFrame | None, reps: pd.DataFrame | None,
                    targets: pd.DataFrame | None = None, year: int | None = None) -> BookPlan:
    """The commissions workbook from the files of the CLI.

    Every plan of the plan file and every rep of the team file, each on the plan of its « Plan de
    commissionnement » column (no column, empty or unknown name: the first plan of the file). Without
    a plan file, the default :class:`CommissionPlan` (5 % of the revenue, monthly) is used; without a
    team file, the reps are those of the sales lines (no fixed pay).
    """
    from .. import io as xio

    plan: CommissionPlan | Mapping[str, Any] = xio.commission_plans(plan_frame) if plan_frame is not None else CommissionPlan()
    if reps is None:
        if sales is None:
            raise ValueError("il faut l'équipe (--reps) ou des ventes pour connaître les commerciaux")
        reps = pd.DataFrame({"rep": sorted(sales["rep"].astype(str).unique()), "base_salary": 0.0})
    return build_commissions(reps, plan, sales=sales, targets=targets, year=year)[0]


def plan_for_company(company) -> BookPlan:
    """The commissions workbook of the sample company: its whole sales force, each rep on their plan."""
    return plan_from_files(company.sales, company.commission_plan, company.reps, company.targets)


def _saisie_grids(rows: list[list]) -> tuple[np.ndarray, np.ndarray]:
    """The two rep × month grids typed in « Saisie » (assiette, objectifs), from the sheet's values."""
    blocks = []
    i = 0
    while i < len(rows) and len(blocks) < 2:
        row = rows[i]
        if row and row[0] == "Commercial" and len(row) > 14:
            values = []
            j = i + 1
            while j < len(rows) and rows[j] and rows[j][0] not in ("Total", None, ""):
                values.append([v if isinstance(v, (int, float)) else 0.0 for v in rows[j][2:14]])
                j += 1
            blocks.append(np.asarray(values, dtype=float).reshape(-1, 12))
            i = j
        i += 1
    while len(blocks) < 2:
        blocks.append(np.zeros((0, 12)))
    return blocks[0], blocks[1]


def plan_names(rows: list[list]) -> list[str]:
    """The names of the plans of a several-plan workbook, in order, from the rows of « Paramètres »
    (its list « Plans du classeur »); ``[]`` for a one-plan workbook."""
    header = ["N°", "Plan", "Feuille des paramètres"]
    for i, row in enumerate(rows):
        row = list(row or [])
        for j in range(len(row) - 2):
            if row[j:j + 3] == header:
                names = []
                for below in rows[i + 1:]:
                    name = _text(below[j + 1]) if below and len(below) > j + 1 else ""
                    if not name:
                        break
                    names.append(name)
                return names
    return []


def refresh(book) -> list[str]:
    """Rebuild the computed sheets of an open commissions workbook (template button, xlwings Lite).

    The team is read from « Équipe »; the amounts typed in « Saisie » are kept. When reps were added to
    (or removed from the end of) « Équipe », « Saisie » is rebuilt with one row per rep and every amount
    already typed kept on its row; « Paramètres » and « Équipe » are never rewritten. A workbook with
    several plans keeps them: their names are read from the list of « Paramètres », each rep's plan
    stays in « Équipe » (column Plan) and the parameter sheets of the plans are never rewritten.
    """
    from .. import io as xio
    from ..sheets.render_xlwings import render_book_live
    from .live import refresh_outputs, sheet_rows

    team = xio.read_rows(sheet_rows(book, SHEETS["team"]), xio.REPS, source=book.name, sheet=SHEETS["team"])
    old_bases, old_targets = _saisie_grids(sheet_rows(book, SHEETS["input"]))
    n = len(team)
    bases, targets = np.zeros((n, 12)), np.zeros((n, 12))
    k = min(n, len(old_bases))
    bases[:k], targets[:k] = old_bases[:k], old_targets[:k]
    # the plans: their parameters stay in their sheets (inputs, never rewritten); only their names
    # and order matter to the computed sheets
    names = plan_names(sheet_rows(book, SHEETS["params"]))
    plan, layout = build_commissions(team, {name: CommissionPlan() for name in names} if len(names) > 1 else CommissionPlan())
    saisie = plan.sheet(SHEETS["input"])
    for i, rep in enumerate(layout.reps):
        for m in range(1, 13):
            saisie.put(layout.input_base[(rep, m)], float(bases[i, m - 1]), style="input_eur")
            saisie.put(layout.input_target[(rep, m)], float(targets[i, m - 1]), style="input_eur")
    names = [s.name for s in book.sheets]
    wanted = {s.name for s in plan.sheets if s.role == "output"}
    for stale in [x for x in names if x.startswith("Relevé ") and x not in wanted]:
        book.sheets[stale].delete()
    if len(old_bases) != n:
        render_book_live(plan, book, only={SHEETS["input"]})
    return refresh_outputs(book, plan)
