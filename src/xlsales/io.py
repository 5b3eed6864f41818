"""Reading the users' input files and writing output files safely.

Readers turn a CSV file (``;`` or ``,``, UTF-8 with or without BOM, Windows-1252) or a sheet of an
.xlsx/.xlsm workbook into a validated :class:`pandas.DataFrame` with the canonical English column
names of ``docs/spec/data.md``. Headers are matched without case or accents, in English or French;
extra columns are kept (after the canonical ones) and ignored. French numbers (``1 234,50``,
``12 %``, ``€``, non-breaking spaces), dates (``dd/mm/yyyy``, ``yyyy-mm-dd``, Excel serials) and
yes/no answers (oui/non/yes/no/1/0/vrai/faux) are understood.

Any problem is reported by one :class:`InputError` whose message names the file, the row as the
user sees it (line of the CSV counting the header, or Excel row) and the column as the user wrote
it, in French, several problems at once::

    ventes.csv, ligne 14, colonne « Quantité » : « 12,5,3 » n'est pas un nombre

Parsing is vectorised: each column is factorised and only its distinct values are parsed with
pandas string operations, so a million sales lines read in a few seconds.

Writing: :func:`atomic_write` (temporary file in the same folder, then :func:`os.replace`; never
overwrites unless ``force=True``), :func:`safe_cell_text` (text that Excel would take for a formula
is marked to be written as a string) and :func:`write_table` (the French CSV format users bring).
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io as _io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .core._vector import excel_round

__all__ = [
    "read_rows",
    "CANDIDATES",
    "COMMISSION_PLAN",
    "DEFAULT_LIMITS",
    "INTERVIEW_GRID",
    "LOCATIONS",
    "OPPORTUNITIES",
    "PARTNERS",
    "REPS",
    "SALES",
    "SALES_TOTALS",
    "SCHEMAS",
    "SKILLS",
    "TARGETS",
    "TEXT_DTYPE",
    "TRAINING_CATALOGUE",
    "Column",
    "InputError",
    "Limits",
    "LiteralText",
    "OutputExistsError",
    "Problem",
    "Schema",
    "atomic_write",
    "commission_plans",
    "format_numbers",
    "is_formula_like",
    "normalize_header",
    "parse_numbers",
    "read_candidates",
    "read_commission_plan",
    "read_interview_grid",
    "read_locations",
    "read_opportunities",
    "read_partners",
    "read_reps",
    "read_sales",
    "read_skills",
    "read_table",
    "read_targets",
    "read_training_catalogue",
    "safe_cell_text",
    "text_series",
    "write_table",
]


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    ``row`` is the row as the user sees it (1-based line of the CSV counting the header, or the
    Excel row), ``column`` the header as the user wrote it; both are ``None`` for a problem with
    the whole file.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"feuille « {self.sheet} »")
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}"


class InputError(ValueError):
    """An input file cannot be used: unreadable, a column missing, values that do not parse…

    Attributes
    ----------
    problems : list of Problem
        The problems reported (at most ``Limits.max_errors``), ordered by row.
    total : int
        How many problems were found in all (may exceed ``len(problems)``).
    """

    def __init__(self, problems: Problem | Iterable[Problem], total: int | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.total = max(total or 0, len(self.problems))
        lines = [str(p) for p in self.problems]
        if len(lines) > 1:
            text = f"{self.total} problèmes dans {self.problems[0].file} :\n" + "\n".join(f"- {x}" for x in lines)
        else:
            text = lines[0] if lines else "fichier illisible"
        if self.total > len(self.problems):
            more = self.total - len(self.problems)
            text += f"\n… et {more} autre{'s' if more > 1 else ''} problème{'s' if more > 1 else ''}"
        super().__init__(text)

    @property
    def file(self) -> str | None:
        return self.problems[0].file if self.problems else None


class OutputExistsError(FileExistsError):
    """The output file already exists and ``force`` was not given."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        super().__init__(
            f"{self.path} existe déjà : il n'a pas été remplacé (utilisez l'option force pour l'écraser)."
        )


@dataclass(frozen=True)
class Limits:
    """Safety limits of the readers.

    csv_max_bytes : largest CSV file read (bytes).
    xlsx_max_bytes : largest .xlsx file read (compressed size, bytes).
    xlsx_max_uncompressed : largest total uncompressed size declared by the parts of an .xlsx.
    xlsx_max_ratio : largest compression ratio of one part bigger than 1 MiB (zip-bomb guard).
    max_errors : how many problems one :class:`InputError` lists.
    """

    csv_max_bytes: int = 2 * 1024**3
    xlsx_max_bytes: int = 512 * 1024**2
    xlsx_max_uncompressed: int = 3_000_000_000
    xlsx_max_ratio: float = 200.0
    max_errors: int = 10


DEFAULT_LIMITS = Limits()

#: dtype of text columns: pandas' ``str`` (pandas ≥ 3), plain objects before.
TEXT_DTYPE: Any = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


def text_series(values: Any, index: Any = None) -> pd.Series:
    """A text column as the readers return it (missing values as NaN/None)."""
    arr = np.asarray(values, dtype=object)
    if TEXT_DTYPE is object:
        return pd.Series(arr, index=index, dtype=object)
    return pd.Series(arr, index=index, dtype=TEXT_DTYPE)


# ---------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------

#: Kinds of column: how a cell is parsed.
KINDS = ("text", "number", "integer", "rate", "date", "bool", "period", "paid", "choice", "any")


@dataclass(frozen=True)
class Column:
    """One expected column of an input.

    Parameters
    ----------
    name : canonical English name (the DataFrame column).
    kind : "text", "number", "integer", "rate" (fraction; "12 %" → 0.12), "date", "bool"
        (oui/non…), "period" ("2026-03" or "2026"), "paid" (yes/no or an amount), "choice"
        (one of ``choices``), "any" (text kept as is, parsed later by the schema).
    required : the column must be present and every row filled.
    aliases : other accepted headers (French first: the first one is the header written).
    minimum, maximum : allowed range of a numeric value (inclusive).
    choices : for kind "choice", canonical value → accepted spellings (first one is written).
    decimals : decimals written by :func:`write_table`; ``fixed`` writes them all (money).
    must_fill : the column is optional, but when present every row must be filled.
    """

    name: str
    kind: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    choices: Mapping[str, tuple[str, ...]] | None = None
    decimals: int = 2
    fixed: bool = False
    must_fill: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def label(self) -> str:
        """The (French) header written by :func:`write_table`."""
        return self.aliases[0] if self.aliases else self.name

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every accepted header, the canonical name first."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of input and how to finish the frame.

    ``finish(frame, ctx)`` adds computed columns and reports cross-column problems through
    ``ctx.problem(row_positions, column, message, values)``; ``pattern_columns`` are extra
    columns whose normalised header matches a regular expression and that are parsed with the
    given kind (e.g. the "note …" rating columns of the partners).
    """

    name: str
    label: str
    columns: tuple[Column, ...]
    sheet_names: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()
    pattern_columns: tuple[tuple[str, str], ...] = ()
    finish: Callable[[pd.DataFrame, Any], pd.DataFrame] | None = None
    file_stem: str = ""
    #: for :func:`write_table`: columns the schema formats itself (name → text array)
    to_text: Callable[[pd.DataFrame], dict[str, np.ndarray]] | None = None

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def output_columns(self) -> list[str]:
        return [c.name for c in self.columns] + list(self.computed)


def normalize_header(text: Any) -> str:
    """A header (or any label) reduced for matching: no accents, no case, no punctuation or unit.

    >>> normalize_header("  Prix unitaire HT (€) ")
    'prix unitaire ht'
    >>> normalize_header("N° facture"), normalize_header("Qté"), normalize_header("unit_price")
    ('n facture', 'qte', 'unit price')
    """
    if text is None:
        return ""
    s = str(text)
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.lower().replace("œ", "oe").replace("æ", "ae")
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return s.strip()


def _choices(**kw: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return kw


_T = Column

SALES = Schema(
    name="sales",
    label="lignes de ventes",
    file_stem="ventes",
    sheet_names=("ventes", "lignes de ventes", "lignes de facture", "sales", "factures"),
    columns=(
        _T("date", "date", True, ("Date facture", "date de facture", "invoice date")),
        _T("invoice", "text", False, ("N° facture", "facture", "numéro de facture", "num facture", "invoice number")),
        _T("customer", "text", True, ("Code client", "client", "customer code", "customer id")),
        _T("customer_name", "text", False, ("Raison sociale", "nom client", "nom du client")),
        _T("rep", "text", True, ("Commercial", "vendeur", "représentant", "sales rep")),
        _T("region", "text", False, ("Région", "secteur", "zone")),
        _T("channel", "text", False, ("Canal", "canal de vente")),
        _T("product", "text", True, ("Référence", "produit", "article", "code article", "product code", "sku")),
        _T("family", "text", False, ("Famille", "gamme", "famille de produits", "product family")),
        _T("quantity", "number", True, ("Quantité", "qté", "qte", "qty")),
        _T("unit_price", "number", True, ("Prix unitaire HT", "PU HT", "prix unitaire", "pu", "prix de vente HT"), minimum=0, fixed=True),
        _T("unit_cost", "number", False, ("Coût unitaire", "prix d'achat HT", "coût d'achat", "prix d'achat", "cout de revient"), minimum=0, fixed=True),
        _T("discount", "rate", False, ("Remise", "taux de remise", "remise %"), minimum=0, maximum=1),
        _T("paid", "paid", False, ("Payé", "encaissé", "réglé", "montant encaissé")),
    ),
    computed=("revenue", "margin"),
)

REPS = Schema(
    name="reps",
    label="équipe commerciale",
    file_stem="equipe",
    sheet_names=("équipe", "equipe", "commerciaux", "reps", "vendeurs"),
    columns=(
        _T("rep", "text", True, ("Commercial", "vendeur", "représentant", "code commercial", "sales rep")),
        _T("name", "text", False, ("Nom complet", "nom", "prénom nom", "full name")),
        _T("hire_date", "date", False, ("Date d'embauche", "date entrée", "date d'entrée", "entrée", "embauche")),
        _T("end_date", "date", False, ("Date de sortie", "sortie", "date de départ")),
        _T("birth_date", "date", False, ("Date de naissance", "naissance", "né le", "birth date")),
        _T("last_interview", "date", False, ("Dernier entretien professionnel", "dernier entretien", "date du dernier entretien", "last interview")),
        _T("manager", "text", False, ("Manager", "responsable", "n+1", "chef des ventes")),
        _T("region", "text", False, ("Région", "secteur", "zone")),
        _T("team", "text", False, ("Équipe", "team")),
        _T("base_salary", "number", False, ("Fixe annuel brut", "fixe", "salaire de base", "salaire fixe", "fixe annuel"), minimum=0, fixed=True),
        _T("plan", "text", False, ("Plan de commissionnement", "plan", "plan de commission", "plan de rémunération")),
    ),
)

_PERIOD_HELP = "attendu « 2026-03 » (un mois) ou « 2026 » (une année)"


def _finish_targets(df: pd.DataFrame, ctx: Any) -> pd.DataFrame:
    keys = df[["rep", "region", "family"]].notna().any(axis=1).to_numpy()
    if not keys.all():
        ctx.problem(np.flatnonzero(~keys), "rep", "ni commercial, ni région, ni famille : à qui s'applique cet objectif ?")
    return df


TARGETS = Schema(
    name="targets",
    label="objectifs",
    file_stem="objectifs",
    sheet_names=("objectifs", "targets", "quotas"),
    columns=(
        _T("rep", "text", False, ("Commercial", "vendeur", "représentant", "sales rep")),
        _T("region", "text", False, ("Région", "secteur", "zone")),
        _T("family", "text", False, ("Famille", "gamme")),
        _T("period", "period", True, ("Période", "mois", "année", "month", "year")),
        _T("target", "number", True, ("Objectif CA", "objectif", "objectif de CA", "objectif CA HT", "target revenue", "quota"), minimum=0, fixed=True),
        _T("target_margin", "number", False, ("Objectif marge", "objectif de marge", "target margin"), fixed=True),
        _T("target_visits", "integer", False, ("Objectif visites", "visites", "target visits"), minimum=0),
        _T("target_new_customers", "integer", False, ("Objectif nouveaux clients", "nouveaux clients", "new customers"), minimum=0),
    ),
    finish=_finish_targets,
)

#: Items of the commission plan (canonical → accepted spellings) and how their value is read.
PLAN_ITEMS: dict[str, tuple[str, ...]] = {
    "tier": ("Tranche", "palier", "tier", "taux"),
    "mode": ("Mode", "type de barème", "calcul"),
    "base": ("Base", "assiette", "base de calcul"),
    "period": ("Période", "périodicité"),
    "gate": ("Seuil de déclenchement", "déclenchement", "seuil", "gate"),
    "cap": ("Plafond", "cap", "plafond annuel"),
    "accelerator": ("Accélérateur", "accelerator", "coefficient au-delà de 100 %"),
    "bonus": ("Prime sur objectif", "prime", "bonus", "grille de primes"),
    "draw": ("Avance mensuelle", "avance", "draw", "avance sur commissions"),
    "draw_recoverable": ("Avance récupérable", "draw recoverable", "récupérable"),
    "team_bonus": ("Prime d'équipe", "team bonus", "prime collective"),
    "employer_charge_rate": ("Taux de charges patronales", "charges patronales", "charges employeur", "taux de charges"),
}
_PLAN_VALUE_CHOICES = {
    "mode": {
        "progressive": ("progressif", "progressive", "par tranches", "tranches", "marginal"),
        "flat": ("par paliers", "flat", "global", "paliers", "palier", "taux global"),
    },
    "base": {
        "revenue": ("CA", "revenue", "chiffre d'affaires", "ca ht", "chiffre d'affaires ht", "ventes"),
        "margin": ("marge", "margin", "marge brute"),
        "cash": ("encaissements", "cash", "encaissé", "ca encaissé", "cash collected"),
    },
    "period": {
        "month": ("mois", "month", "mensuel", "mensuelle"),
        "quarter": ("trimestre", "quarter", "trimestriel", "trimestrielle"),
        "year": ("année", "year", "annuel", "annuelle", "an"),
    },
}
_PLAN_RATE_ITEMS = {"tier", "gate", "employer_charge_rate"}
_PLAN_AMOUNT_ITEMS = {"cap", "bonus", "draw", "team_bonus", "accelerator"}
_PLAN_THRESHOLD_ITEMS = {"tier", "bonus", "team_bonus"}


def _finish_commission_plan(df: pd.DataFrame, ctx: Any) -> pd.DataFrame:
    items = df["item"].to_numpy(dtype=object)
    raw = df["value"].to_numpy(dtype=object)
    out = np.empty(len(df), dtype=object)
    out[:] = None
    # numeric items (rates and amounts), parsed in one go
    numeric = np.isin(items, list(_PLAN_RATE_ITEMS | _PLAN_AMOUNT_ITEMS))
    if numeric.any():
        vals, pct, bad = parse_numbers(raw[numeric])
        rows = np.flatnonzero(numeric)
        if bad.any():
            ctx.problem(rows[bad], "value", "n'est pas un nombre", raw[numeric][bad])
        is_rate = np.isin(items[numeric], list(_PLAN_RATE_ITEMS))
        vals = np.where(is_rate & ~pct & (np.abs(vals) > 1), vals / 100.0, vals)
        negative = ~bad & (vals < 0)
        if negative.any():
            ctx.problem(rows[negative], "value", "ne peut pas être négatif", raw[numeric][negative])
        for r, v, b in zip(rows, vals, bad):
            out[r] = None if b else float(v)
    for item, choices in _PLAN_VALUE_CHOICES.items():
        sel = np.flatnonzero(items == item)
        if len(sel):
            canon, bad = _match_choices(raw[sel], choices)
            if bad.any():
                allowed = ", ".join(v[0] for v in choices.values())
                ctx.problem(sel[bad], "value", f"n'est pas une valeur permise ({allowed})", raw[sel][bad])
            for r, v in zip(sel, canon):
                out[r] = v
    sel = np.flatnonzero(items == "draw_recoverable")
    if len(sel):
        flags, bad = _parse_bools(raw[sel])
        if bad.any():
            ctx.problem(sel[bad], "value", "n'est pas oui/non", raw[sel][bad])
        for r, v, b in zip(sel, flags, bad):
            out[r] = None if b else bool(v)
    need = np.isin(items, list(_PLAN_THRESHOLD_ITEMS)) & df["threshold"].isna().to_numpy()
    if need.any():
        ctx.problem(np.flatnonzero(need), "threshold", "seuil manquant (borne inférieure de la tranche, ou taux de réalisation de la prime)")
    df["value"] = pd.Series(out, index=df.index, dtype=object)
    return df


def _plan_to_text(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The value and threshold columns of a commission plan as users write them."""
    items = frame["item"].to_numpy(dtype=object)
    values = frame["value"].to_numpy(dtype=object)
    thresholds = frame["threshold"].to_numpy(dtype=float)
    out_v = np.empty(len(frame), dtype=object)
    out_t = np.empty(len(frame), dtype=object)
    for i, (item, v, t) in enumerate(zip(items, values, thresholds)):
        if isinstance(v, (bool, np.bool_)):
            out_v[i] = "oui" if v else "non"
        elif isinstance(v, str):
            out_v[i] = _PLAN_VALUE_CHOICES.get(item, {}).get(v, (v,))[0]
        elif v is None or (isinstance(v, float) and np.isnan(v)):
            out_v[i] = ""
        elif item in _PLAN_RATE_ITEMS:
            out_v[i] = format_numbers([v], 3, percent=True)[0]
        else:
            out_v[i] = format_numbers([v], 2)[0]
        if np.isnan(t):
            out_t[i] = ""
        elif item in ("bonus", "team_bonus"):
            out_t[i] = format_numbers([t], 2, percent=True)[0]
        else:
            out_t[i] = format_numbers([t], 2)[0]
    return {"value": out_v, "threshold": out_t}


COMMISSION_PLAN = Schema(
    name="commission_plan",
    label="plan de commissionnement",
    file_stem="plan_commissionnement",
    sheet_names=("plan de commissionnement", "plan", "commissions", "commission plan", "barème"),
    columns=(
        _T("plan", "text", True, ("Plan", "nom du plan", "plan de commissionnement")),
        _T("item", "choice", True, ("Élément", "paramètre", "rubrique"), choices=PLAN_ITEMS),
        _T("threshold", "number", False, ("Seuil", "borne inférieure", "borne", "à partir de", "lower bound")),
        _T("value", "any", True, ("Valeur", "taux ou montant", "montant")),
    ),
    finish=_finish_commission_plan,
    to_text=_plan_to_text,
)

SKILLS = Schema(
    name="skills",
    label="matrice de compétences",
    file_stem="competences",
    sheet_names=("compétences", "competences", "matrice de compétences", "skills"),
    columns=(
        _T("rep", "text", True, ("Commercial", "salarié", "collaborateur", "vendeur", "nom")),
        _T("skill", "text", True, ("Compétence", "skill")),
        _T("current", "integer", True, ("Niveau actuel", "niveau", "niveau acquis", "current level"), minimum=0, maximum=4),
        _T("required", "integer", True, ("Niveau requis", "requis", "niveau attendu", "required level"), minimum=0, maximum=4),
    ),
)

TRAINING_MODES = {
    "présentiel": ("présentiel", "presentiel", "in person", "inter", "intra", "salle"),
    "distanciel": ("distanciel", "à distance", "e-learning", "elearning", "classe virtuelle", "remote", "online"),
    "AFEST": ("AFEST", "en situation de travail", "action de formation en situation de travail"),
    "mixte": ("mixte", "blended", "hybride"),
}

TRAINING_CATALOGUE = Schema(
    name="training_catalogue",
    label="catalogue de formations",
    file_stem="catalogue_formations",
    sheet_names=("catalogue de formations", "catalogue", "formations", "training catalogue"),
    columns=(
        _T("action", "text", True, ("Action de formation", "action", "formation", "intitulé")),
        _T("skill", "text", True, ("Compétence", "compétence visée", "skill")),
        _T("duration_hours", "number", True, ("Durée (heures)", "durée", "heures", "durée h", "duration"), minimum=0, decimals=1),
        _T("cost", "number", True, ("Coût HT", "coût", "prix", "cost"), minimum=0, fixed=True),
        _T("provider", "text", False, ("Organisme", "prestataire", "organisme de formation", "provider")),
        _T("mode", "choice", False, ("Modalité", "mode", "format"), choices=TRAINING_MODES),
        _T("mandatory", "bool", False, ("Obligatoire", "formation obligatoire", "mandatory")),
        _T("cpf", "bool", False, ("Éligible CPF", "CPF", "cpf eligible")),
    ),
)

CANDIDATES = Schema(
    name="candidates",
    label="évaluations des candidats",
    file_stem="candidats",
    sheet_names=("candidats", "recrutement", "candidates"),
    columns=(
        _T("candidate", "text", True, ("Candidat", "nom", "candidate")),
        _T("criterion", "text", True, ("Critère", "criterion")),
        _T("rating", "number", True, ("Note", "évaluation", "rating"), minimum=0, maximum=20, decimals=1),
    ),
)

INTERVIEW_GRID = Schema(
    name="interview_grid",
    label="grille d'entretien",
    file_stem="grille_entretien",
    sheet_names=("grille d'entretien", "grille", "interview grid"),
    columns=(
        _T("criterion", "text", True, ("Critère", "criterion")),
        _T("weight", "number", True, ("Poids", "coefficient", "pondération", "weight"), minimum=0),
        _T("eliminatory", "bool", False, ("Éliminatoire", "critère éliminatoire", "eliminatory")),
        _T("min_rating", "number", False, ("Note minimale", "note mini", "seuil", "minimum rating"), minimum=0, decimals=1),
    ),
)

PARTNER_TYPES = {
    "fournisseur": ("fournisseur", "supplier"),
    "client": ("client", "customer"),
    "distributeur": ("distributeur", "distributor", "revendeur", "reseller"),
    "prescripteur": ("prescripteur", "prescriber", "influenceur", "bureau d'études", "apporteur"),
}

PARTNERS = Schema(
    name="partners",
    label="réseau de partenaires",
    file_stem="partenaires",
    sheet_names=("partenaires", "réseau", "reseau", "partners"),
    columns=(
        _T("partner", "text", True, ("Partenaire", "organisation", "entreprise", "société", "partner")),
        _T("type", "choice", True, ("Type", "type de partenaire", "catégorie"), choices=PARTNER_TYPES),
        _T("contact", "text", False, ("Contact", "interlocuteur", "nom du contact")),
        _T("email", "text", False, ("E-mail", "email", "courriel", "mail", "adresse e-mail")),
        _T("phone", "text", False, ("Téléphone", "tél", "tel", "phone")),
        _T("region", "text", False, ("Région", "secteur", "zone")),
        _T("revenue", "number", False, ("CA réalisé", "CA", "chiffre d'affaires", "revenue"), fixed=True),
        _T("potential", "number", False, ("Potentiel", "CA potentiel", "potential"), fixed=True),
        _T("last_contact", "date", False, ("Dernier contact", "date dernier contact", "last contact")),
        _T("consent_date", "date", False, ("Date consentement RGPD", "consentement", "consentement RGPD", "date de consentement", "consent")),
    ),
    pattern_columns=((r"^(note|rating|score|critere)\b", "number"),),
)

STAGES = {
    "lead": ("piste", "lead", "prospect", "suspect"),
    "contact": ("contact", "premier contact", "contacté"),
    "meeting": ("rendez-vous", "meeting", "rdv", "rencontre", "visite"),
    "quote": ("devis", "quote", "offre", "proposition"),
    "order": ("commande", "order", "gagné", "signé", "won"),
}
STAGE_ORDER = tuple(STAGES)


def _finish_opportunities(df: pd.DataFrame, ctx: Any) -> pd.DataFrame:
    stage_cols = ["date_" + s for s in STAGE_ORDER]
    dates = df[stage_cols].to_numpy(dtype="datetime64[ns]")
    # dates per stage must not go back in time
    prev = dates[:, 0]
    for j in range(1, len(stage_cols)):
        cur = dates[:, j]
        # keep the latest date known so far
        back = ~np.isnat(cur) & ~np.isnat(prev) & (cur < prev)
        if back.any():
            ctx.problem(
                np.flatnonzero(back), stage_cols[j], "date antérieure à celle de l'étape précédente",
                ctx.cells_of(stage_cols[j], back),
            )
        prev = np.where(np.isnat(cur), prev, cur)
    return df


OPPORTUNITIES = Schema(
    name="opportunities",
    label="opportunités",
    file_stem="opportunites",
    sheet_names=("opportunités", "opportunites", "parcours", "pipeline", "funnel", "opportunities"),
    columns=(
        _T("id", "text", True, ("N° opportunité", "id", "identifiant", "opportunité", "référence")),
        _T("customer", "text", True, ("Client", "prospect", "client ou prospect", "compte")),
        _T("channel", "text", False, ("Canal", "origine", "source", "canal d'acquisition")),
        _T("rep", "text", False, ("Commercial", "vendeur", "responsable")),
        _T("stage", "choice", True, ("Étape atteinte", "étape", "stade", "stage"), choices=STAGES),
        _T("date_lead", "date", False, ("Date piste", "date lead", "date de création", "date création")),
        _T("date_contact", "date", False, ("Date contact", "date premier contact")),
        _T("date_meeting", "date", False, ("Date rendez-vous", "date rdv", "date meeting")),
        _T("date_quote", "date", False, ("Date devis", "date offre", "date quote")),
        _T("date_order", "date", False, ("Date commande", "date signature", "date order")),
        _T("amount", "number", False, ("Montant HT", "montant", "montant estimé", "amount"), minimum=0, fixed=True),
        _T("lost_reason", "text", False, ("Motif de perte", "raison de perte", "motif", "lost reason")),
        _T("satisfaction", "number", False, ("Satisfaction", "note de satisfaction", "enquête satisfaction"), minimum=0, maximum=10, decimals=1),
    ),
    finish=_finish_opportunities,
)


def _finish_locations(df: pd.DataFrame, ctx: Any) -> pd.DataFrame:
    return df


LOCATIONS = Schema(
    name="locations",
    label="localisation des clients",
    file_stem="localisations",
    sheet_names=("localisations", "tournées", "tournees", "adresses", "locations"),
    columns=(
        _T("customer", "text", True, ("Client", "code client", "customer")),
        _T("address", "text", False, ("Adresse", "adresse complète", "address")),
        _T("latitude", "number", True, ("Latitude", "lat"), minimum=-90, maximum=90, decimals=6),
        _T("longitude", "number", True, ("Longitude", "lon", "lng", "long"), minimum=-180, maximum=180, decimals=6),
        _T("visit_minutes", "number", False, ("Durée de visite (min)", "durée de visite", "durée visite", "visit duration"), minimum=0, decimals=0),
        _T("priority", "integer", False, ("Priorité", "priority"), minimum=1, maximum=9),
    ),
    finish=_finish_locations,
)


def _finish_sales(df: pd.DataFrame, ctx: Any) -> pd.DataFrame:
    q = df["quantity"].to_numpy(dtype=float)
    p = df["unit_price"].to_numpy(dtype=float)
    d = df["discount"].to_numpy(dtype=float)
    # line amounts in cents, rounded as the workbooks' ROUND(…; 2) does (half away from zero)
    revenue = excel_round(q * p * (1.0 - np.where(np.isnan(d), 0.0, d)))
    df["revenue"] = revenue
    df["margin"] = revenue - excel_round(q * df["unit_cost"].to_numpy(dtype=float))
    flag, amount = ctx.paid
    if flag is not None:
        df["paid"] = np.where(np.isnan(flag), amount, np.where(flag == 1.0, revenue, 0.0))
    return df


SALES = replace(SALES, finish=_finish_sales)

#: The ``Ventes`` sheet of a dashboard built on totals (:func:`xlsales.bigdata.aggregate_sales`):
#: one row per year, month, rep, region, family and customer — read back by the template button.
SALES_TOTALS = Schema(
    name="sales_totals",
    label="totaux de ventes",
    sheet_names=("ventes",),
    columns=(
        _T("year", "integer", True, ("Année",), minimum=1900, maximum=9999),
        _T("month", "integer", True, ("Mois",), minimum=1, maximum=12),
        _T("rep", "text", False, ("Commercial", "vendeur", "représentant", "sales rep")),
        _T("region", "text", False, ("Région", "secteur", "zone")),
        _T("family", "text", False, ("Famille", "gamme")),
        _T("customer", "text", False, ("Client", "Code client")),
        _T("customer_name", "text", False, ("Raison sociale",)),
        _T("lines", "integer", True, ("Nb lignes", "lignes"), minimum=0),
        _T("quantity", "number", False, ("Quantité",)),
        _T("revenue", "number", True, ("CA HT",), fixed=True),
        _T("cost", "number", False, ("Coût",), fixed=True),
        _T("margin", "number", False, ("Marge",), fixed=True),
    ),
)

SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (SALES, REPS, TARGETS, COMMISSION_PLAN, SKILLS, TRAINING_CATALOGUE, CANDIDATES, INTERVIEW_GRID,
              PARTNERS, OPPORTUNITIES, LOCATIONS)
}


# ---------------------------------------------------------------------------------------------
# Vectorised cell parsing
# ---------------------------------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006"
_SPACES_RE = "[" + _SPACES + "]"
_NUM_OK = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$").pattern


def _str_series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object).astype(str)


def _text_of(value: Any) -> str:
    """A cell value of a workbook shown as the user sees it in a text column."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _uniques(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values (missing values get one code of their own, as ``None``)."""
    codes, uniq = pd.factorize(values)  # the NA sentinel avoids a slow isna() over the whole column
    uniq = np.asarray(uniq, dtype=object)
    missing = codes < 0
    if missing.any():
        codes = np.where(missing, len(uniq), codes)
        uniq = np.append(uniq, None)
    return codes, uniq


def _kinds_of(uniq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Masks: strings, real numbers (not bools), bools, dates/datetimes among distinct values."""
    inferred = pd.api.types.infer_dtype(uniq, skipna=False) if len(uniq) else "empty"
    n = len(uniq)
    if inferred in ("string", "empty"):
        return np.ones(n, bool), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    types = np.array([type(v) for v in uniq], dtype=object)
    is_str = np.array([issubclass(t, str) for t in types], dtype=bool)
    is_bool = np.array([issubclass(t, (bool, np.bool_)) for t in types], dtype=bool)
    is_num = np.array([issubclass(t, (int, float, np.integer, np.floating)) for t in types], dtype=bool) & ~is_bool
    is_date = np.array([issubclass(t, (_dt.date, np.datetime64, pd.Timestamp)) for t in types], dtype=bool)
    return is_str, is_num, is_bool, is_date


def _parse_number_strings(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse distinct strings: value, percent flag, empty flag, bad flag (all vectorised)."""
    t = s.str.replace(_SPACES_RE, "", regex=True)
    empty = (t == "").to_numpy()
    pct = t.str.contains("%", regex=False).to_numpy()
    t = t.str.replace(r"(?i)€|eur(?:os?)?$|%", "", regex=True)
    # accounting negatives "(123)" and trailing minus "123-" (some ERP exports)
    paren = t.str.match(r"^\(.*\)$").to_numpy()
    trail = t.str.match(r"^[^-]+-$").to_numpy()
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.replace(r"^([^-]+)-$", r"\1", regex=True)
    has_comma = t.str.contains(",", regex=False).to_numpy()
    has_dot = t.str.contains(".", regex=False).to_numpy()
    n_comma = t.str.count(",").to_numpy()
    n_dot = t.str.count(r"\.").to_numpy()
    last_comma = t.str.rfind(",").to_numpy()
    last_dot = t.str.rfind(".").to_numpy()
    both = has_comma & has_dot
    comma_decimal = both & (last_comma > last_dot)
    dot_decimal = both & ~comma_decimal
    thousands_comma = ~has_dot & (n_comma > 1) & t.str.match(r"^[+-]?\d{1,3}(,\d{3})+$").to_numpy()
    thousands_dot = ~has_comma & (n_dot > 1) & t.str.match(r"^[+-]?\d{1,3}(\.\d{3})+$").to_numpy()
    out = t.to_numpy(dtype=object).copy()
    sel = comma_decimal
    if sel.any():
        out[sel] = t[sel].str.replace(".", "", regex=False).str.replace(",", ".", regex=False).to_numpy()
    sel = dot_decimal | thousands_comma
    if sel.any():
        out[sel] = t[sel].str.replace(",", "", regex=False).to_numpy()
    sel = thousands_dot
    if sel.any():
        out[sel] = t[sel].str.replace(".", "", regex=False).to_numpy()
    sel = has_comma & ~has_dot & (n_comma == 1)
    if sel.any():
        out[sel] = t[sel].str.replace(",", ".", regex=False).to_numpy()
    o = pd.Series(out, dtype=object).astype(str)
    well_formed = o.str.match(_NUM_OK).to_numpy()
    vals = pd.to_numeric(o.where(well_formed, "nan"), errors="coerce").to_numpy(dtype=float)
    neg = (paren | trail) & well_formed
    vals = np.where(neg, -np.abs(vals), vals)
    # "-12,5" with a trailing minus and a leading one would be nonsense: keep it bad
    bad = ~empty & (~well_formed | ~np.isfinite(vals) | (paren & trail))
    vals = np.where(bad | empty, np.nan, vals)
    vals = np.where(pct & ~bad, vals / 100.0, vals)
    return vals, pct, empty, bad


def parse_numbers(values: Iterable[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse cells as numbers: ``(values, percent, bad)`` arrays.

    French and English writings are understood (``1 234,50``, ``1.234,50``, ``1,234.50``,
    ``1234.5``, ``12 %`` → 0.12, ``-12,5``, ``(12,5)``, ``12,5-``, ``€``, non-breaking spaces);
    empty cells give NaN and are not bad. ``percent`` tells which cells carried a ``%``.

    >>> v, p, b = parse_numbers(["1 234,50", "12 %", "", "12,5,3", 3])
    >>> v.round(4).tolist()[:2], b.tolist()
    ([1234.5, 0.12], [False, False, False, True, False])
    """
    arr = np.asarray(values if isinstance(values, np.ndarray) else list(values), dtype=object)
    codes, uniq = _uniques(arr)
    vals = np.full(len(uniq), np.nan)
    pct = np.zeros(len(uniq), bool)
    bad = np.zeros(len(uniq), bool)
    is_str, is_num, _, _ = _kinds_of(uniq)
    if is_str.any():
        v, p, _, b = _parse_number_strings(pd.Series(uniq[is_str], dtype=object).astype(str))
        vals[is_str], pct[is_str], bad[is_str] = v, p, b
    if is_num.any():
        v = uniq[is_num].astype(float)
        vals[is_num] = v
        bad[is_num] = ~np.isfinite(v) & ~np.isnan(v)
    other = ~(is_str | is_num)
    # None / NaN are empty; bools and dates are not numbers
    if other.any():
        none = np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in uniq[other]], dtype=bool)
        bad[other] = ~none
    return vals[codes], pct[codes], bad[codes]


_BOOL_WORDS = {
    True: ("oui", "yes", "o", "y", "1", "vrai", "true", "x", "ok"),
    False: ("non", "no", "n", "0", "faux", "false"),
}


def _parse_bools(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Yes/no cells → float array (1.0, 0.0, NaN for empty) and bad mask."""
    codes, uniq = _uniques(np.asarray(values, dtype=object))
    out = np.full(len(uniq), np.nan)
    bad = np.zeros(len(uniq), bool)
    is_str, is_num, is_bool, is_date = _kinds_of(uniq)
    if is_str.any():
        s = pd.Series(uniq[is_str], dtype=object).astype(str).str.strip(_SPACES).map(normalize_header)
        v = np.full(len(s), np.nan)
        v[s.isin(_BOOL_WORDS[True]).to_numpy()] = 1.0
        v[s.isin(_BOOL_WORDS[False]).to_numpy()] = 0.0
        out[is_str] = v
        bad[is_str] = np.isnan(v) & (s != "").to_numpy()
    if is_bool.any():
        out[is_bool] = uniq[is_bool].astype(bool).astype(float)
    if is_num.any():
        v = uniq[is_num].astype(float)
        out[is_num] = np.where(v == 1, 1.0, np.where(v == 0, 0.0, np.nan))
        bad[is_num] = ~np.isin(v, (0.0, 1.0)) & ~np.isnan(v)
    bad |= is_date
    return out[codes], bad[codes]


_DATE_FORMATS = (
    "%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d",
    "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")


def _serial_to_dates(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = np.isfinite(v) & (v >= 1) & (v < 2958466)
    days = np.where(ok, v, 0.0)
    out = _EXCEL_EPOCH + (np.round(days * 86400.0).astype(np.int64) * np.int64(1_000_000_000)).astype("timedelta64[ns]")
    return np.where(ok, out, np.datetime64("NaT")), ok


def _parse_dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Date cells → datetime64[ns] (time of day dropped) and bad mask."""
    codes, uniq = _uniques(np.asarray(values, dtype=object))
    out = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(len(uniq), bool)
    is_str, is_num, is_bool, is_date = _kinds_of(uniq)
    if is_str.any():
        s = pd.Series(uniq[is_str], dtype=object).astype(str).str.strip(_SPACES + "\t")
        res = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
        todo = np.array(s != "", dtype=bool)
        for fmt in _DATE_FORMATS:
            if not todo.any():
                break
            got = pd.to_datetime(s[todo], format=fmt, errors="coerce").to_numpy(dtype="datetime64[ns]")
            idx = np.flatnonzero(todo)
            hit = ~np.isnat(got)
            res[idx[hit]] = got[hit]
            todo[idx[hit]] = False
        if todo.any():  # Excel serial numbers written as text ("45292")
            idx = np.flatnonzero(todo)
            num = pd.to_numeric(s.iloc[idx].str.replace(",", ".", regex=False), errors="coerce").to_numpy(dtype=float)
            d, ok = _serial_to_dates(num)
            res[idx[ok]] = d[ok]
            todo[idx[ok]] = False
        out[is_str] = res
        bad[is_str] = todo
    if is_num.any():
        d, ok = _serial_to_dates(uniq[is_num].astype(float))
        out[is_num] = d
        bad[is_num] = ~ok & ~np.isnan(uniq[is_num].astype(float))
    if is_date.any():
        out[is_date] = pd.to_datetime(pd.Series(uniq[is_date], dtype=object), errors="coerce").to_numpy(dtype="datetime64[ns]")
    bad |= is_bool
    out = out.astype("datetime64[D]").astype("datetime64[ns]")
    return out[codes], bad[codes]


_MONTHS_FR = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7,
    "aout": 8, "aou": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}


def _parse_periods(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Period cells → "YYYY-MM" or "YYYY" text, and bad mask."""
    codes, uniq = _uniques(np.asarray(values, dtype=object))
    out = np.empty(len(uniq), dtype=object)
    out[:] = None
    bad = np.zeros(len(uniq), bool)
    is_str, is_num, is_bool, is_date = _kinds_of(uniq)
    if is_str.any():
        s = pd.Series(uniq[is_str], dtype=object).astype(str).map(normalize_header)
        res = np.empty(len(s), dtype=object)
        res[:] = None
        y = m = None
        # 2026 03 (from 2026-03, 2026/03, 2026.3)
        g = s.str.extract(r"^(\d{4}) (\d{1,2})$")
        y1, m1 = pd.to_numeric(g[0], errors="coerce"), pd.to_numeric(g[1], errors="coerce")
        # 03 2026 (from 03/2026)
        g = s.str.extract(r"^(\d{1,2}) (\d{4})$")
        y2, m2 = pd.to_numeric(g[1], errors="coerce"), pd.to_numeric(g[0], errors="coerce")
        # mars 2026, mars 26
        g = s.str.extract(r"^([a-z]+) (\d{2}|\d{4})$")
        m3 = g[0].map(_MONTHS_FR)
        y3 = pd.to_numeric(g[1], errors="coerce")
        y3 = y3.where(y3 >= 100, y3 + 2000)
        y = y1.fillna(y2).fillna(y3)
        m = m1.fillna(m2).fillna(m3)
        monthly = (y.notna() & m.notna() & m.between(1, 12)).to_numpy()
        yearly = s.str.match(r"^\d{4}$").to_numpy()
        ym = y.to_numpy(dtype=float)
        mm = m.to_numpy(dtype=float)
        for i in np.flatnonzero(monthly):
            res[i] = f"{int(ym[i]):04d}-{int(mm[i]):02d}"
        for i in np.flatnonzero(yearly):
            res[i] = s.iloc[i]
        out[is_str] = res
        bad[is_str] = ~(monthly | yearly) & (s != "").to_numpy()
    if is_num.any():
        v = uniq[is_num].astype(float)
        ok = (v >= 1900) & (v <= 2200) & (v == np.floor(v))
        out[np.flatnonzero(is_num)[ok]] = [f"{int(x)}" for x in v[ok]]
        bad[is_num] = ~ok & ~np.isnan(v)
    if is_date.any():
        ts = pd.to_datetime(pd.Series(uniq[is_date], dtype=object), errors="coerce")
        out[is_date] = ts.dt.strftime("%Y-%m").to_numpy(dtype=object)
    bad |= is_bool
    return out[codes], bad[codes]


def _match_choices(values: np.ndarray, choices: Mapping[str, tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    lookup: dict[str, str] = {}
    for canon, spellings in choices.items():
        for sp in (canon, *spellings):
            lookup.setdefault(normalize_header(sp), canon)
    codes, uniq = _uniques(np.asarray(values, dtype=object))
    keys = np.array([normalize_header(_text_of(v)) for v in uniq], dtype=object)
    out = np.array([lookup.get(k) for k in keys], dtype=object)
    bad = np.array([o is None and k != "" for o, k in zip(out, keys)], dtype=bool)
    return out[codes], bad[codes]


def _text_column(values: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Cells → text column (spaces around removed, formula-like text kept as is) and missing mask.

    Only the distinct values are converted; the column is then built by ``take`` (fast).
    """
    codes, uniq = _uniques(np.asarray(values, dtype=object))
    is_str, *_ = _kinds_of(uniq)
    txt = uniq if is_str.all() else np.array([u if s else _text_of(u) for u, s in zip(uniq, is_str)], dtype=object)
    s = pd.Series(txt, dtype=object).astype(str).str.strip(" \u00a0")
    # a cell of line breaks, tabs or other spaces only is empty; other text keeps its tab or line
    # break (a leading one is part of a formula-injection payload, written back as text)
    empty = np.array(s.str.strip() == "", dtype=bool)
    u = np.array(s, dtype=object)
    u[empty] = None
    col = text_series(u).take(codes).reset_index(drop=True)
    return col, empty[codes]


def _texts(values: np.ndarray) -> np.ndarray:
    """Cells → text as an object array, None for empty."""
    col, empty = _text_column(values)
    out = np.array(col, dtype=object)
    out[empty] = None
    return out


# ---------------------------------------------------------------------------------------------
# Raw reading: CSV and workbooks → table of cells
# ---------------------------------------------------------------------------------------------


@dataclass
class _Raw:
    """Cells of a file: ``cells`` (object DataFrame, no header) and row numbering."""

    file: str
    cells: pd.DataFrame
    first_row: int  # user row number of cells.iloc[0]
    sheet: str | None = None
    all_strings: bool = False


def _decode_head(raw: bytes, encoding: str, n: int = 65536) -> str:
    return raw[:n].decode(encoding, errors="ignore")


def _detect_encoding(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _sniff_separator(text: str, cut: bool = False) -> str:
    """The separator of a CSV text, from its first records (quotes respected, so a quoted value
    holding a line break or a separator does not count). ``cut``: ``text`` is the head of a longer file.

    For each candidate (« ; », « , », tab, « | »), the most common non-zero number of separators per
    record, ``m``, and how many records have it, ``f``. A candidate is consistent when at least half the
    non-blank records (and two, when there are two) have ``m``; the consistent candidate with the
    largest ``m`` wins. So commas inside the values of a « ; » file, which give varying counts, or the
    decimal commas of every line (a consistent but smaller count) do not win over the « ; » every line
    has. With no consistent candidate, the largest count found on most records wins, as a fallback."""
    consistent, fallback = {}, {}
    for sep in (";", ",", "\t", "|"):
        counts = [len(row) - 1 for row in preview_rows(text, sep, cut) if row]
        nonzero = [c for c in counts if c > 0]
        if not nonzero:
            continue
        n = len(counts)
        m = max(set(nonzero), key=lambda c: (nonzero.count(c), c))
        f = nonzero.count(m)
        if f >= min(2, n) and 2 * f >= n:
            consistent[sep] = m
        top = max(nonzero)
        fallback[sep] = top + 0.5 * counts.count(top) / n
    for scores in (consistent, fallback):
        if scores:
            return max(scores, key=lambda sep: scores[sep])  # ties: the first in the order above
    return ";"


def preview_rows(text: str, sep: str, cut: bool, limit: int = 30) -> list[list[str]]:
    """The first records of a CSV text, quotes respected (a quoted value may hold a line break), as the
    CSV parsers count them; a blank line is ``[]``. ``cut``: the text is the head of a longer file
    (its last record may be incomplete and is left out)."""
    return [row for row, _ in preview_records(text, sep, cut, limit)]


def preview_records(text: str, sep: str, cut: bool, limit: int = 30) -> list[tuple[list[str], int]]:
    """:func:`preview_rows`, each row with the number of physical lines read up to its end."""
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep)
    records: list[tuple[list[str], int]] = []
    complete = True
    try:
        for row in reader:
            records.append(([] if len(row) <= 1 and not "".join(row).strip() else row, reader.line_num))
            if len(records) > limit:
                complete = False
                break
    except csv.Error:  # a NUL byte…: what was read so far
        pass
    if cut and complete and records:
        records.pop()
    return records[:limit]


def _read_csv_raw(path: Path, limits: Limits, name: str) -> tuple[list[list[str]], bytes, str, str]:
    """Bytes, encoding, separator and the first rows (for finding the header) of a CSV file."""
    size = path.stat().st_size
    if size > limits.csv_max_bytes:
        raise InputError(Problem(name, f"fichier trop volumineux ({size / 1e6:.0f} Mo ; limite {limits.csv_max_bytes / 1e6:.0f} Mo)"))
    raw = path.read_bytes()
    if len(raw) < 65536 and raw.replace(codecs.BOM_UTF8, b"").strip() == b"":
        raise InputError(Problem(name, "le fichier est vide"))
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in raw[:4096] and not utf16:
        raise InputError(Problem(name, "ce n'est pas un fichier texte (CSV) lisible"))
    enc = _detect_encoding(raw)
    head = raw.decode(enc, errors="ignore")[:65536] if utf16 else _decode_head(raw, enc)
    # records as pandas' parser finds them (its skiprows counts records): "\r\n", "\n" or "\r" end
    # one outside quotes — not a form feed nor another Unicode line separator; a quoted header
    # cell may hold a line break
    text = head.lstrip("\ufeff")
    cut = len(raw) > 65536
    sep = _sniff_separator(text, cut)
    preview = preview_rows(text, sep, cut)
    return preview, raw, enc, sep


def _csv_cells(raw: bytes, enc: str, sep: str, skip: int, name: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(
            _io.BytesIO(raw), sep=sep, header=None, skiprows=skip, dtype=object, na_filter=False,
            skip_blank_lines=False, encoding=enc, quotechar='"', engine="c", encoding_errors="strict",
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            raise InputError(Problem(name, f"{m.group(3)} valeurs au lieu de {m.group(1)} (séparateur « {sep} » dans une valeur non protégée par des guillemets ?)", row=int(m.group(2)))) from None
        raise InputError(Problem(name, f"CSV illisible ({exc})")) from None
    except pd.errors.EmptyDataError:
        raise InputError(Problem(name, "le fichier est vide")) from None
    except UnicodeDecodeError:
        raise InputError(Problem(name, "encodage des caractères non reconnu (enregistrez en CSV UTF-8)")) from None
    return df


def _check_xlsx(path: Path, limits: Limits, name: str) -> None:
    size = path.stat().st_size
    if size == 0:
        raise InputError(Problem(name, "le fichier est vide (0 octet)"))
    if size > limits.xlsx_max_bytes:
        raise InputError(Problem(name, f"classeur trop volumineux ({size / 1e6:.0f} Mo ; limite {limits.xlsx_max_bytes / 1e6:.0f} Mo)"))
    bad = Problem(name, "ce n'est pas un classeur Excel valide (.xlsx) : fichier endommagé ou d'un autre format")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(bad) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InputError(bad)
    total = sum(i.file_size for i in infos)
    if total > limits.xlsx_max_uncompressed:
        raise InputError(Problem(name, f"classeur refusé : son contenu décompressé déclaré ({total / 1e6:,.0f} Mo) dépasse la limite de {limits.xlsx_max_uncompressed / 1e6:,.0f} Mo".replace(",", " ")))
    for i in infos:
        if i.file_size > 1024**2 and i.file_size > limits.xlsx_max_ratio * max(i.compress_size, 1):
            raise InputError(Problem(name, f"classeur refusé : la partie « {i.filename} » est compressée de façon anormale (rapport {i.file_size / max(i.compress_size, 1):,.0f} pour 1), possible bombe de décompression".replace(",", " ")))


def _pick_sheet(sheet_names: list[str], sheet: str | int | None, schema: Schema, name: str) -> str:
    if isinstance(sheet, int):
        if 0 <= sheet < len(sheet_names):
            return sheet_names[sheet]
        raise InputError(Problem(name, f"pas de feuille n° {sheet + 1} (feuilles : {', '.join(sheet_names)})"))
    if sheet is not None:
        for s in sheet_names:
            if s == sheet:
                return s
        wanted = normalize_header(sheet)
        for s in sheet_names:
            if normalize_header(s) == wanted:
                return s
        raise InputError(Problem(name, f"feuille « {sheet} » introuvable (feuilles : {', '.join(sheet_names)})"))
    preferred = {normalize_header(x) for x in schema.sheet_names}
    for s in sheet_names:
        if normalize_header(s) in preferred:
            return s
    return sheet_names[0]


def _read_xlsx_raw(path: Path, sheet: str | int | None, schema: Schema, limits: Limits, name: str) -> _Raw:
    import python_calamine as pc

    _check_xlsx(path, limits, name)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        sheets = [m.name for m in wb.sheets_metadata if getattr(m, "typ", None) is None or str(m.typ).lower().endswith("worksheet")] or list(wb.sheet_names)
        chosen = _pick_sheet(sheets, sheet, schema, name)
        rows = wb.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own errors for damaged parts
        raise InputError(Problem(name, f"classeur illisible ({type(exc).__name__} : {exc})")) from None
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame.from_records(rows, columns=range(width)) if rows else pd.DataFrame()
    return _Raw(name, cells, 1, chosen, False)


# ---------------------------------------------------------------------------------------------
# The generic reader
# ---------------------------------------------------------------------------------------------


class _Context:
    """Collects problems while a frame is validated (used by the schemas' ``finish``)."""

    def __init__(self, raw: _Raw, headers: dict[str, str], rows: np.ndarray, limits: Limits):
        self.raw, self.headers, self.rows, self.limits = raw, headers, rows, limits
        self.found: list[tuple[int, int, Problem]] = []
        self.total = 0
        self.col_order: dict[str, int] = {}
        self.paid: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
        #: the cells as read, by canonical column (for messages quoting the user's text)
        self.cells: dict[str, np.ndarray] = {}

    def cells_of(self, column: str, mask: np.ndarray) -> np.ndarray:
        values = self.cells.get(column)
        return None if values is None else np.asarray(values, dtype=object)[mask]

    def problem(self, positions: np.ndarray, column: str | None, message: str, values: Iterable[Any] | None = None) -> None:
        positions = np.asarray(positions)
        if positions.dtype == bool:
            positions = np.flatnonzero(positions)
        n = len(positions)
        if n == 0:
            return
        self.total += n
        keep = min(n, self.limits.max_errors)
        vals = list(values)[:keep] if values is not None else [None] * keep
        header = self.headers.get(column, column) if column else None
        order = self.col_order.get(column or "", 999)
        for pos, v in zip(positions[:keep], vals):
            msg = message if v is None else f"« {_text_of(v)} » {message}"
            p = Problem(self.raw.file, msg, int(self.rows[pos]), header, self.raw.sheet)
            self.found.append((int(self.rows[pos]), order, p))

    def raise_if_any(self) -> None:
        if self.found:
            self.found.sort(key=lambda t: (t[0], t[1]))
            raise InputError([p for _, _, p in self.found[: self.limits.max_errors]], self.total)


def _find_header(preview: list[list[Any]], schema: Schema) -> int:
    """Index of the header row among the first rows: the first one matching the most aliases."""
    aliases = {normalize_header(a) for c in schema.columns for a in c.accepted}
    best, best_score = -1, 0
    first_filled = -1
    for i, row in enumerate(preview[:30]):
        cells = [normalize_header(_text_of(v)) for v in row]
        if first_filled < 0 and any(cells):
            first_filled = i
        score = sum(1 for c in set(cells) if c and c in aliases)
        if score > best_score:
            best, best_score = i, score
    return best if best >= 0 else first_filled


def _map_headers(header_cells: list[Any], schema: Schema, raw: _Raw, header_row: int) -> tuple[dict[str, int], dict[str, str], list[tuple[int, str]]]:
    lookup: dict[str, str] = {}
    for c in schema.columns:
        for a in c.accepted:
            lookup.setdefault(normalize_header(a), c.name)
    mapping: dict[str, int] = {}
    headers: dict[str, str] = {}
    extras: list[tuple[int, str]] = []
    problems: list[Problem] = []
    for j, cell in enumerate(header_cells):
        text = _text_of(cell).strip()
        key = normalize_header(text)
        canon = lookup.get(key)
        if canon is None:
            extras.append((j, text))
        elif canon in mapping:
            problems.append(Problem(
                raw.file,
                f"les colonnes « {headers[canon]} » et « {text} » désignent toutes deux « {canon} » : gardez-en une seule",
                header_row, text, raw.sheet,
            ))
        else:
            mapping[canon] = j
            headers[canon] = text
    found = [_text_of(c).strip() for c in header_cells if _text_of(c).strip()]
    for c in schema.columns:
        if c.required and c.name not in mapping:
            problems.append(Problem(
                raw.file,
                f"colonne obligatoire « {c.label} » introuvable (en-têtes acceptés : {', '.join(c.accepted)}) ; "
                f"colonnes trouvées : {', '.join(found) if found else 'aucune'}",
                header_row, None, raw.sheet,
            ))
    if problems:
        raise InputError(problems)
    return mapping, headers, extras


def read_table(path: str | os.PathLike, schema: Schema, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Read one input file (CSV, or a sheet of an .xlsx/.xlsm workbook) into a validated frame.

    Parameters
    ----------
    path : the file. ``.xlsx``/``.xlsm`` are read as workbooks, anything else as CSV (a file
        starting like a zip archive is taken for a workbook whatever its extension).
    schema : one of :data:`SCHEMAS` (``SALES``, ``REPS``…).
    sheet : workbook sheet name (matched without case or accents) or 0-based index; by default
        the sheet whose name suits the schema (« Ventes »…) or else the first one.
    limits : size limits and how many problems to report (:data:`DEFAULT_LIMITS`).

    Returns
    -------
    DataFrame with the schema's canonical columns in order (absent optional columns are filled
    with missing values), its computed columns, then the user's extra columns under their own
    headers. ``attrs``: ``source`` (file name), ``sheet``, ``headers`` (canonical → header read),
    ``extra_columns``, ``header_row``.

    Raises
    ------
    InputError
        Naming file, row and column of each problem (up to ``limits.max_errors``).
    """
    limits = limits or DEFAULT_LIMITS
    p = Path(path)
    name = p.name
    if not p.exists():
        raise InputError(Problem(name, f"fichier introuvable ({p})"))
    if p.is_dir():
        raise InputError(Problem(name, "c'est un dossier, pas un fichier"))
    with open(p, "rb") as fh:
        magic = fh.read(4)
    is_book = p.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm") or magic.startswith(b"PK\x03\x04")
    if p.suffix.lower() in (".xls", ".xlsb", ".ods", ".numbers") and not is_book:
        raise InputError(Problem(name, "format non pris en charge : enregistrez le fichier en .xlsx ou en CSV"))

    if is_book:
        raw = _read_xlsx_raw(p, sheet, schema, limits, name)
        cells = raw.cells
        preview = cells.iloc[:30].to_numpy(dtype=object).tolist() if len(cells) else []
        h = _find_header(preview, schema)
        if h < 0:
            raise InputError(Problem(name, "la feuille est vide", sheet=raw.sheet))
        header_cells = cells.iloc[h].tolist()
        data = cells.iloc[h + 1:]
        first_row = h + 2
    else:
        preview, rawbytes, enc, sep = _read_csv_raw(p, limits, name)
        raw = _Raw(name, pd.DataFrame(), 1, None, True)
        h = _find_header(preview, schema)
        if h < 0:
            raise InputError(Problem(name, "le fichier est vide"))
        header_cells = preview[h]
        data = _csv_cells(rawbytes, enc, sep, h, name).iloc[1:]
        del rawbytes
        first_row = h + 2

    return _frame_from_cells(raw, schema, header_cells, data, h, first_row, limits, name)


def read_rows(rows: list[list[Any]], schema: Schema, *, source: str = "classeur", sheet: str | None = None,
              limits: Limits | None = None) -> pd.DataFrame:
    """Rows of cells (the used range of a sheet of an open workbook) → a validated frame.

    The same rules and messages as :func:`read_table` (``source`` and ``sheet`` name the place in
    the messages); used by the template buttons and xlwings Lite scripts, which have no file.
    """
    limits = limits or DEFAULT_LIMITS
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    raw = _Raw(source, cells, 1, sheet)
    preview = cells.iloc[:30].to_numpy(dtype=object).tolist() if len(cells) else []
    h = _find_header(preview, schema)
    if h < 0:
        raise InputError(Problem(source, "la feuille est vide", sheet=sheet))
    return _frame_from_cells(raw, schema, cells.iloc[h].tolist(), cells.iloc[h + 1:], h, h + 2, limits, source)


def _frame_from_cells(raw: "_Raw", schema: Schema, header_cells: list[Any], data: pd.DataFrame, h: int,
                      first_row: int, limits: Limits, name: str) -> pd.DataFrame:
    mapping, headers, extras = _map_headers(header_cells, schema, raw, h + 1)
    ncols = data.shape[1]
    data_np = {j: data.iloc[:, j].to_numpy(dtype=object) for j in range(ncols)}
    n = len(data)
    # drop fully empty rows (trailing rows of a workbook, blank lines of a CSV)
    if n:
        filled = np.zeros(n, bool)
        for arr in data_np.values():
            if raw.all_strings:
                filled |= arr != ""
            else:
                filled |= (arr != "") & pd.notna(arr)
        rows = first_row + np.flatnonzero(filled)
        if not filled.all():
            data_np = {j: a[filled] for j, a in data_np.items()}
        n = int(filled.sum())
    else:
        rows = np.zeros(0, int)
    if n == 0:
        raise InputError(Problem(name, "aucune ligne de données sous les en-têtes", sheet=raw.sheet))

    ctx = _Context(raw, headers, rows, limits)
    ctx.col_order = {c.name: i for i, c in enumerate(schema.columns)}
    out: dict[str, Any] = {}
    empty_col = np.empty(n, dtype=object)
    empty_col[:] = None
    for c in schema.columns:
        j = mapping.get(c.name)
        values = data_np[j] if j is not None and j < ncols else empty_col
        ctx.cells[c.name] = values
        out[c.name] = _parse_column(values, c, ctx, present=j is not None)
    for pattern, kind in schema.pattern_columns:
        for j, text in extras:
            if re.search(pattern, normalize_header(text)) and j < ncols:
                col = Column(text, kind)
                ctx.headers[text] = text
                out[text] = _parse_column(data_np[j], col, ctx, present=True)

    df = pd.DataFrame(out)
    if schema.finish is not None:
        # cross-column checks run even when some cells are bad (reported all at once)
        df = schema.finish(df, ctx)
    ctx.raise_if_any()
    extra_names: list[str] = []
    for j, text in extras:
        if text in df.columns or j >= ncols:
            continue
        col = data_np[j]
        if not text and all(v in ("", None) for v in pd.unique(col)):
            continue
        label = text or f"colonne {j + 1}"
        df[label] = _text_column(col)[0]
        extra_names.append(label)
    df.attrs.update(
        source=name, sheet=raw.sheet, headers=dict(headers), extra_columns=extra_names, header_row=h + 1, schema=schema.name,
    )
    return df


def _parse_column(values: np.ndarray, col: Column, ctx: _Context, present: bool) -> Any:
    kind = col.kind
    if kind in ("text", "any"):
        series, miss = _text_column(values)
        if (col.required or col.must_fill) and present:
            ctx.problem(miss, col.name, "valeur manquante (obligatoire)")
        if kind == "any":  # kept as read (numbers stay numbers), parsed by the schema's finish
            keep = np.asarray(values, dtype=object).copy()
            keep[miss] = None
            return pd.Series(keep, dtype=object)
        return series
    if kind in ("number", "integer", "rate"):
        vals, pct, bad = parse_numbers(values)
        if bad.any():
            what = {"number": "n'est pas un nombre", "integer": "n'est pas un nombre entier", "rate": "n'est pas un taux (ex. « 12 % » ou « 0,12 »)"}[kind]
            ctx.problem(bad, col.name, what, np.asarray(values, dtype=object)[bad])
        if kind == "rate":
            plain = ~pct & ~np.isnan(vals)
            if plain.any() and np.nanmax(np.abs(vals[plain])) > 1:
                vals = np.where(plain, vals / 100.0, vals)
        if kind == "integer":
            frac = ~np.isnan(vals) & (vals != np.round(vals))
            ctx.problem(frac, col.name, "n'est pas un nombre entier", np.asarray(values, dtype=object)[frac])
        _check_range(vals, col, ctx, values)
        if (col.required or col.must_fill) and present:
            ctx.problem(np.isnan(vals) & ~bad, col.name, "valeur manquante (obligatoire)")
        if kind == "integer" and col.required:
            return np.where(np.isnan(vals), 0, np.round(vals)).astype(np.int64)
        return vals
    if kind == "date":
        d, bad = _parse_dates(values)
        if bad.any():
            ctx.problem(bad, col.name, "n'est pas une date (attendu jj/mm/aaaa)", np.asarray(values, dtype=object)[bad])
        if (col.required or col.must_fill) and present:
            ctx.problem(np.isnat(d) & ~bad, col.name, "date manquante (obligatoire)")
        return d
    if kind == "bool":
        v, bad = _parse_bools(values)
        if bad.any():
            ctx.problem(bad, col.name, "n'est pas une réponse oui/non", np.asarray(values, dtype=object)[bad])
        return v == 1.0
    if kind == "period":
        v, bad = _parse_periods(values)
        if bad.any():
            ctx.problem(bad, col.name, f"n'est pas une période ({_PERIOD_HELP})", np.asarray(values, dtype=object)[bad])
        series = text_series(v)
        if col.required and present:
            ctx.problem(series.isna().to_numpy() & ~bad, col.name, "période manquante (obligatoire)")
        return series
    if kind == "choice":
        v, bad = _match_choices(values, col.choices or {})
        if bad.any():
            allowed = ", ".join(sp[0] if sp else k for k, sp in (col.choices or {}).items())
            ctx.problem(bad, col.name, f"n'est pas une valeur permise ({allowed})", np.asarray(values, dtype=object)[bad])
        series = text_series(v)
        if col.required and present:
            ctx.problem(series.isna().to_numpy() & ~bad, col.name, "valeur manquante (obligatoire)")
        return series
    if kind == "paid":
        if not present:
            ctx.paid = (None, None)
            return np.full(len(values), np.nan)
        flag, bad_flag = _parse_bools(values)
        amount, _, bad_amount = parse_numbers(values)
        # a cell is good if it reads as yes/no or as an amount ("1" and "0" read as yes/no)
        bad = bad_flag & bad_amount
        ctx.problem(bad, col.name, "n'est ni oui/non ni un montant", np.asarray(values, dtype=object)[bad])
        ctx.paid = (np.where(bad_flag, np.nan, flag), np.where(bad_amount, np.nan, amount))
        return np.full(len(values), np.nan)
    raise AssertionError(kind)


def _check_range(vals: np.ndarray, col: Column, ctx: _Context, values: np.ndarray) -> None:
    lo, hi = col.minimum, col.maximum
    if lo is None and hi is None:
        return
    with np.errstate(invalid="ignore"):
        out = np.zeros(len(vals), bool)
        if lo is not None:
            out |= vals < lo
        if hi is not None:
            out |= vals > hi
    if out.any():
        if lo is not None and hi is not None:
            rng = f"entre {_fmt_plain(lo, col)} et {_fmt_plain(hi, col)}"
        elif lo is not None:
            rng = f"au moins {_fmt_plain(lo, col)}"
        else:
            rng = f"au plus {_fmt_plain(hi, col)}"
        ctx.problem(out, col.name, f"hors limites (attendu {rng})", np.asarray(values, dtype=object)[out])


def _fmt_plain(x: float, col: Column) -> str:
    if col.kind == "rate":
        return f"{x * 100:g} %"
    return f"{x:g}".replace(".", ",")


# ---------------------------------------------------------------------------------------------
# Convenience readers
# ---------------------------------------------------------------------------------------------


def read_sales(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Sales lines: canonical columns + ``revenue`` (q × price × (1 − discount)) and ``margin``
    (revenue − q × unit_cost, NaN without unit costs). ``paid`` is the amount collected: "oui" →
    the line's revenue, "non" → 0, an amount → that amount, empty → NaN."""
    return read_table(path, SALES, sheet, limits=limits)


def read_reps(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """The sales team: rep, name, hire_date, end_date, birth_date, last_interview (last professional
    interview), manager, region, team, base_salary (annual gross), plan."""
    return read_table(path, REPS, sheet, limits=limits)


def read_targets(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Targets: rep/region/family, period ("YYYY-MM" or "YYYY"), target, target_margin, target_visits, target_new_customers."""
    return read_table(path, TARGETS, sheet, limits=limits)


def read_commission_plan(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Commission plans in long form: plan, item, threshold, value (float, text or bool by item).
    See :func:`commission_plans` for one dict per plan."""
    return read_table(path, COMMISSION_PLAN, sheet, limits=limits)


def read_skills(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Skills matrix in long form: rep, skill, current (0–4), required (0–4)."""
    return read_table(path, SKILLS, sheet, limits=limits)


def read_training_catalogue(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Training actions: action, skill, duration_hours, cost, provider, mode, mandatory, cpf."""
    return read_table(path, TRAINING_CATALOGUE, sheet, limits=limits)


def read_candidates(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Interview ratings in long form: candidate, criterion, rating."""
    return read_table(path, CANDIDATES, sheet, limits=limits)


def read_interview_grid(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Interview grid: criterion, weight, eliminatory, min_rating."""
    return read_table(path, INTERVIEW_GRID, sheet, limits=limits)


def read_partners(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Partners network; extra columns whose header starts with « note »/« critère » are read as numbers."""
    return read_table(path, PARTNERS, sheet, limits=limits)


def read_opportunities(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Opportunities: id, customer, channel, rep, stage (lead/contact/meeting/quote/order), a date per stage, amount, lost_reason, satisfaction."""
    return read_table(path, OPPORTUNITIES, sheet, limits=limits)


def read_locations(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None) -> pd.DataFrame:
    """Customer locations for tours: customer, address, latitude, longitude, visit_minutes, priority."""
    return read_table(path, LOCATIONS, sheet, limits=limits)


def commission_plans(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """One dict per plan from :func:`read_commission_plan`'s frame.

    Keys: ``tiers`` (list of (lower bound, rate), ascending), ``mode`` ("progressive"/"flat"),
    ``base`` ("revenue"/"margin"/"cash"), ``period`` ("month"/"quarter"/"year"), ``gate``
    (attainment below which nothing is paid), ``cap`` (ceiling of the commission, None = none),
    ``accelerator`` (multiplier of the commission earned above 100 % of target),
    ``bonus_grid`` (list of (attainment, amount)), ``draw`` (monthly advance),
    ``draw_recoverable``, ``team_bonus`` (list of (team attainment, amount per rep)),
    ``employer_charge_rate`` (None when not given).
    """
    plans: dict[str, dict[str, Any]] = {}
    for plan, g in frame.groupby("plan", sort=False):
        spec: dict[str, Any] = {
            "tiers": [], "mode": "progressive", "base": "revenue", "period": "year", "gate": 0.0, "cap": None,
            "accelerator": 1.0, "bonus_grid": [], "draw": 0.0, "draw_recoverable": True, "team_bonus": [],
            "employer_charge_rate": None,
        }
        for item, threshold, value in zip(g["item"], g["threshold"], g["value"]):
            if item == "tier":
                spec["tiers"].append((float(threshold), float(value)))
            elif item == "bonus":
                spec["bonus_grid"].append((float(threshold), float(value)))
            elif item == "team_bonus":
                spec["team_bonus"].append((float(threshold), float(value)))
            else:
                spec[item] = value
        for key in ("tiers", "bonus_grid", "team_bonus"):
            spec[key].sort()
        plans[str(plan)] = spec
    return plans


# ---------------------------------------------------------------------------------------------
# Safe writing
# ---------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class LiteralText(str):
    """Text that must be written as a string, never as a formula (see :func:`safe_cell_text`).

    ``typed`` is the same text as one types it in Excel or in a CSV to keep it as text (a leading
    apostrophe), for writers that cannot set the cell type (live Excel through xlwings, CSV).
    """

    __slots__ = ()

    @property
    def typed(self) -> str:
        return "'" + str(self)


def is_formula_like(value: Any) -> bool:
    """True for text that Excel (or LibreOffice) could take for a formula when typed or imported.

    >>> is_formula_like("=1+1"), is_formula_like("-2+3"), is_formula_like("Dupont"), is_formula_like(-3)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def safe_cell_text(value: Any) -> Any:
    """Mark formula-like text so that a writer stores it as a string.

    Returns a :class:`LiteralText` (a ``str``) for text starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return, and the value unchanged otherwise. Writers: openpyxl — set
    ``cell.value = text`` then ``cell.data_type = "s"``; XlsxWriter — ``worksheet.write_string``;
    xlwings / CSV — write ``text.typed`` (leading apostrophe).

    >>> v = safe_cell_text("=HYPERLINK(\\"http://x\\")"); isinstance(v, LiteralText), v == '=HYPERLINK("http://x")'
    (True, True)
    >>> safe_cell_text("Dupont"), safe_cell_text(12.5)
    ('Dupont', 12.5)
    """
    if isinstance(value, LiteralText):
        return value
    if is_formula_like(value):
        return LiteralText(value)
    return value


def atomic_write(path: str | os.PathLike, write_fn: Callable[[Path], Any], force: bool = False) -> Path:
    """Write a file all at once: ``write_fn(tmp_path)`` writes a temporary file in the same
    folder, which then replaces ``path`` in one move.

    The temporary file keeps the suffix of ``path`` (writers that choose the format from it
    work). Refuses to replace an existing file unless ``force`` (:class:`OutputExistsError`),
    including when the file appears while ``write_fn`` runs. If ``write_fn`` raises, the temporary
    file is removed and the error propagates: no half-written file is ever left. Returns ``path``.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} est un dossier")
    if not target.parent.exists():
        raise FileNotFoundError(f"le dossier {target.parent} n'existe pas")
    if target.exists() and not force:
        raise OutputExistsError(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # let the writer create it (some refuse to write over an existing file)
        write_fn(tmp)
        if not tmp.exists():
            raise RuntimeError(f"rien n'a été écrit pour {target.name}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the target appeared meanwhile
            except FileExistsError:
                raise OutputExistsError(target) from None
            except OSError:
                if target.exists():
                    raise OutputExistsError(target) from None
                os.replace(tmp, target)
            else:
                tmp.unlink()
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    return target


def _group_thousands(intpart: pd.Series) -> pd.Series:
    """'1234567' → '1 234 567' (vectorised with a regular expression)."""
    return intpart.str.replace(r"(\d)(?=(\d{3})+$)", r"\1 ", regex=True)


def format_numbers(values: Any, decimals: int = 2, fixed: bool = False, percent: bool = False) -> np.ndarray:
    """Numbers written the French way: ``1 234,50``; ``12 %`` when ``percent``; NaN → "".

    Only the distinct values are formatted (fast on long columns).

    >>> format_numbers([1234.5, -0.5, 3, float("nan")], fixed=True).tolist()
    ['1 234,50', '-0,50', '3,00', '']
    >>> format_numbers([0.12, 0.025], percent=True, decimals=2).tolist()
    ['12 %', '2,5 %']
    """
    arr = np.asarray(values, dtype=float)
    codes, uniq = pd.factorize(arr, use_na_sentinel=False)
    u = np.asarray(uniq, dtype=float) * (100.0 if percent else 1.0)
    scale = 10**decimals
    cents = np.round(np.where(np.isnan(u), 0, u) * scale).astype(np.int64)
    neg = cents < 0
    a = np.abs(cents)
    ip = pd.Series(a // scale).astype(str)
    fp = pd.Series(a % scale).astype(str).str.zfill(decimals) if decimals else pd.Series([""] * len(a))
    if not fixed and decimals:
        fp = fp.str.rstrip("0")
    s = _group_thousands(ip)
    s = s.where(fp == "", s + "," + fp)
    s = pd.Series(np.where(neg & (a > 0), "-", ""), dtype=object) + s
    if percent:
        s = s + " %"
    out = s.to_numpy(dtype=object)
    out[np.isnan(u)] = ""
    return out[codes]


def _csv_quote(values: np.ndarray) -> np.ndarray:
    """Quote the fields that need it (separator, quote, line break), on distinct values only."""
    codes, uniq = _uniques(values)
    u = pd.Series(uniq, dtype=object).fillna("").astype(str)
    need = u.str.contains(r'[;"\r\n]', regex=True).to_numpy()
    if need.any():
        u = u.where(~need, '"' + u.str.replace('"', '""', regex=False) + '"')
    return np.array(u, dtype=object)[codes]


def _format_column(series: pd.Series, col: Column, frame: pd.DataFrame | None = None) -> np.ndarray:
    kind = col.kind
    if kind in ("number", "integer"):
        return format_numbers(series.to_numpy(dtype=float), 0 if kind == "integer" else col.decimals, col.fixed)
    if kind == "rate":
        return format_numbers(series.to_numpy(dtype=float), max(col.decimals, 1), False, percent=True)
    if kind == "date":
        d = pd.Series(pd.to_datetime(series))
        codes, uniq = pd.factorize(d, use_na_sentinel=False)
        u = pd.Series(pd.DatetimeIndex(uniq)).dt.strftime("%d/%m/%Y").fillna("").to_numpy(dtype=object)
        return u[codes]
    if kind == "bool":
        return np.where(series.to_numpy(dtype=bool), "oui", "non").astype(object)
    if kind == "choice":
        labels = {k: (sp[0] if sp else k) for k, sp in (col.choices or {}).items()}
        return series.map(lambda v: labels.get(v, "" if pd.isna(v) else v)).to_numpy(dtype=object)
    if kind == "paid":
        amount = series.to_numpy(dtype=float)
        text = format_numbers(amount, 2, fixed=True)
        if frame is not None and "revenue" in frame.columns:
            rev = frame["revenue"].to_numpy(dtype=float)
            text = np.where(amount == rev, "oui", np.where((amount == 0) & (rev != 0), "non", text)).astype(object)
        return text
    out = series.to_numpy(dtype=object).copy()
    out[pd.isna(out)] = ""
    return out


def write_table(
    frame: pd.DataFrame, path: str | os.PathLike, schema: Schema, *, force: bool = False,
    columns: Iterable[str] | None = None, chunk_rows: int = 500_000,
) -> Path:
    """Write a frame in the format users bring: the schema's French headers, ``;`` separator,
    French numbers (``1 234,50``, ``12 %``), ``dd/mm/yyyy`` dates, oui/non, UTF-8 with BOM.

    Columns absent from ``frame`` or entirely empty are left out (unless listed in
    ``columns``); computed columns (revenue, margin) are not written. Text is written as is.
    A ``.xlsx`` path writes a workbook instead (XlsxWriter; text cells always as strings, dates
    and numbers as real values). Atomic, refuses to overwrite unless ``force``.
    """
    names = list(columns) if columns is not None else [
        c.name for c in schema.columns if c.name in frame.columns and not frame[c.name].isna().all()
    ]
    cols = [schema.column(n) if n in {c.name for c in schema.columns} else Column(n, "text") for n in names]
    extra = [c for c in frame.columns if c not in set(schema.output_columns) and c not in names and columns is None]
    cols += [Column(c, "number" if pd.api.types.is_numeric_dtype(frame[c]) else "text", aliases=(c,)) for c in extra]
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return atomic_write(path, lambda tmp: _write_xlsx(frame, tmp, schema, cols), force=force)

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(";".join(_csv_quote(np.array([c.label for c in cols], dtype=object))) + "\r\n")
            for start in range(0, max(len(frame), 1), chunk_rows):
                part = frame.iloc[start:start + chunk_rows]
                if part.empty:
                    break
                own = schema.to_text(part) if schema.to_text is not None else {}
                pieces = []
                for c in cols:
                    piece = own[c.name] if c.name in own else _format_column(
                        part[c.name] if c.name in part.columns else pd.Series([None] * len(part)), c, part)
                    pieces.append(_csv_quote(np.asarray(piece, dtype=object)).tolist())
                fh.write("\r\n".join(map(";".join, zip(*pieces))))
                fh.write("\r\n")

    return atomic_write(path, write, force=force)


def write_xlsx_text(ws, row: int, col: int, text: str, cell_format=None, *, plain_format) -> None:
    """XlsxWriter's ``write_string`` that keeps every text as text.

    XlsxWriter copies a text shaped like ``<r>…</r>`` into the file as raw rich-text XML (its own
    shortcut), so a crafted value could change or break the file: such a text is written as a rich
    string of two runs (``plain_format`` = a format made once with ``workbook.add_format()``), which
    shows the same characters.
    """
    if text.startswith("<r>") and text.endswith("</r>"):
        parts = [text[:1], plain_format, text[1:]] + ([cell_format] if cell_format is not None else [])
        ws.write_rich_string(row, col, *parts)
    else:
        ws.write_string(row, col, text, cell_format)


def _write_xlsx(frame: pd.DataFrame, tmp: Path, schema: Schema, cols: list[Column]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    try:
        title = (schema.sheet_names[0] if schema.sheet_names else schema.name).capitalize()[:31]
        ws = wb.add_worksheet(title)
        head = wb.add_format({"bold": True})
        plain = wb.add_format()
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        money = wb.add_format({"num_format": "#,##0.00"})
        pct = wb.add_format({"num_format": "0.0%"})
        for j, c in enumerate(cols):
            ws.write_string(0, j, c.label, head)
        series = [frame[c.name] if c.name in frame.columns else pd.Series([None] * len(frame)) for c in cols]
        arrays = []
        for c, s in zip(cols, series):
            if c.kind in ("choice", "paid"):
                arrays.append(_format_column(s, c, frame))
            elif c.kind == "date":
                arrays.append(pd.to_datetime(s).to_numpy(dtype="datetime64[ns]"))
            else:
                arrays.append(s.to_numpy(dtype=object))
        s_paid = frame["paid"].to_numpy(dtype=float) if "paid" in frame.columns else None
        for i in range(len(frame)):
            for j, c in enumerate(cols):
                v = arrays[j][i]
                if v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, np.datetime64) and np.isnat(v)):
                    continue
                if c.kind == "date":
                    ws.write_datetime(i + 1, j, pd.Timestamp(v).to_pydatetime(), date_fmt)
                elif c.kind == "bool":
                    ws.write_string(i + 1, j, "oui" if v else "non")
                elif c.kind == "paid":
                    if v in ("oui", "non"):
                        ws.write_string(i + 1, j, v)
                    else:
                        ws.write_number(i + 1, j, float(s_paid[i]), money)
                elif c.kind in ("number", "integer"):
                    ws.write_number(i + 1, j, float(v), money if c.fixed else None)
                elif c.kind == "rate":
                    ws.write_number(i + 1, j, float(v), pct)
                elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                    ws.write_number(i + 1, j, float(v))
                elif isinstance(v, bool):
                    ws.write_string(i + 1, j, "oui" if v else "non")
                else:
                    write_xlsx_text(ws, i + 1, j, str(v), plain_format=plain)
    finally:
        wb.close()
