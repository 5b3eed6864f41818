"""Exercices pour formateurs: a student workbook and its answer key, new figures for each seed.

For each topic (:data:`TOPICS`) and seed, :func:`build_exercise` plans two one-sheet workbooks that
share every cell address:

* the **student** workbook (« énoncé »): the context of a technical-sales SME in French, the work
  to do, the data (annexes, locked) and empty answer cells (yellow, unlocked, a number validation);
  nothing in it gives an answer away;
* the **answer key** (« corrigé »): the same sheet whose answer cells hold native formulas of
  Excel 2010+ / LibreOffice 7.4 (protected); its data cells are unlocked so that a trainer can try
  other figures and watch the key follow.

The figures come from :func:`xlsales.core.exercise_data.generate` (``numpy`` generator seeded by the
seed and the topic, rounded as textbooks print them); the answer key's values are those of the
catalogue functions (:mod:`xlsales.core`), which the tests check after LibreOffice recalculation.

Entry points: :data:`TOPICS`, :func:`build_exercise`, :func:`exercise_sheets`, :func:`write_exercise`
(``xlsales exercise TOPIC --seed N -o DIR``), :func:`plan_for_company` (the ready-made « cahier
d'exercices »: a « Paramètres » sheet and one statement / answer-key pair per topic, seed 1) and
:func:`refresh` (the template's button: rebuilds the pair of the topic and seed typed in
« Paramètres »).
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from ..core.exercise_data import TOPIC_KEYS, ExerciseData, generate
from ..sheets.formats import STYLES
from ..sheets.plan import (
    BookPlan,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    PrintSetup,
    SheetPlan,
    Validation,
    col,
    quote_sheet,
    ref,
)

__all__ = [
    "PARAMS_SHEET",
    "SEED_CELL",
    "SHEET_NAMES",
    "TOPICS",
    "TOPIC_CELL",
    "ExerciseLayout",
    "build_exercise",
    "exercise_sheets",
    "plan_for_company",
    "refresh",
    "write_exercise",
]

#: topic → French title of the exercise
TOPICS: dict[str, str] = {
    "facture": "Chaîne de facturation : réductions, escompte, TVA",
    "marges": "Taux de marge, taux de marque et coefficient multiplicateur",
    "seuil": "Seuil de rentabilité et point mort",
    "moindres_carres": "Ajustement linéaire : moindres carrés, Mayer, points extrêmes",
    "saisonnalite": "Coefficients saisonniers (moyennes mobiles centrées)",
    "commissions": "Commissions : barème par tranches et par paliers",
    "gini": "Concentration : courbe de Lorenz, indice de Gini et médiale",
    "abc": "Classement ABC du portefeuille clients",
    "valeur_client": "Attrition, coût d'acquisition et valeur vie client",
}
assert tuple(TOPICS) == TOPIC_KEYS

#: topic → sheet name of the statement (the answer key adds « — corrigé »)
SHEET_NAMES: dict[str, str] = {
    "facture": "Facture", "marges": "Marges", "seuil": "Seuil", "moindres_carres": "Moindres carrés",
    "saisonnalite": "Saisonnalité", "commissions": "Commissions", "gini": "Gini", "abc": "ABC",
    "valeur_client": "Valeur client",
}

PARAMS_SHEET = "Paramètres"
TOPIC_CELL = "B4"
SEED_CELL = "B5"

#: answer kind → style in the student workbook (empty input) and in the answer key (formula)
_STUDENT = {"eur": "input_eur", "pct": "input_pct", "dec": "input_dec", "dec4": "input_dec", "int": "input_int",
            "date": "input_date", "text": "input_text"}
_KEY = {"eur": "eur", "pct": "pct2", "dec": "dec", "dec4": "dec4", "int": "int", "date": "date", "text": "text"}
#: data kind → style: locked in the student workbook, unlocked (yellow) in the answer key
_DATA_STUDENT = {"eur": "eur", "pct": "pct", "dec": "dec", "int": "int", "date": "date", "text": "text"}
_DATA_KEY = {"eur": "input_eur", "pct": "input_pct", "dec": "input_dec", "int": "input_int", "date": "input_date",
             "text": "input_text"}

_WIDTH = 110  # characters per line of statement text (A4 portrait at fit-to-width)


@dataclass
class ExerciseLayout:
    """Where things are on an exercise sheet (the same addresses in both workbooks).

    ``data_cells`` and ``answers`` map a name to an A1 address: a figure of
    ``data.figures`` (``"quantities[0]"`` is the first element of the list ``quantities``), and an
    answer (``"gross"``, ``"line_amount[2]"``…). ``kinds`` gives each answer's kind (eur, pct, dec,
    dec4, int, date, text).
    """

    topic: str
    seed: int
    title: str
    data: ExerciseData
    student_sheet: str
    answer_sheet: str
    data_cells: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# French text helpers
# ------------------------------------------------------------------------------------------------


def _number(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text


def _eur(value: float) -> str:
    """12 345,6 → « 12 345,60 € » (whole amounts without cents)."""
    decimals = 0 if float(value).is_integer() else 2
    return _number(value, decimals) + "\u00a0€"


def _pct(rate: float) -> str:
    text = f"{rate * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}\u00a0%"


# ------------------------------------------------------------------------------------------------
# One exercise sheet, written the same way for the student and for the key
# ------------------------------------------------------------------------------------------------


class _Sheet:
    def __init__(self, name: str, key: bool):
        self.key = key
        self.plan = SheetPlan(name, role="output", tab_color="C00000" if key else "1F4E78")
        self.row = 1
        self.data_cells: dict[str, str] = {}
        self.answers: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self._inputs: list[tuple[int, int, str]] = []

    # text
    def line(self, text: str, style: str = "default") -> None:
        self.plan.set(self.row, 1, text, style=style)
        self.row += 1

    def para(self, text: str, indent: str = "") -> None:
        for chunk in textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent)):
            self.line(chunk)

    def label(self, text: str) -> None:
        self.line(text, "label")

    def skip(self, n: int = 1) -> None:
        self.row += n

    def questions(self, items: list[str]) -> None:
        self.label("Travail à faire")
        for k, text in enumerate(items, start=1):
            self.para(text, indent=f"{k}. ")
        self.skip()

    # cells
    def header(self, r: int, c: int, titles: list[str]) -> None:
        self.plan.row(r, c, titles, style="header")
        self.plan.heights[r] = 30  # two lines of wrapped titles

    def fixed(self, r: int, c: int, value=None, *, formula: str | None = None, style: str = "text") -> str:
        """A cell that is the same in both workbooks (a label, a displayed copy of a figure)."""
        self.plan.set(r, c, value, formula=formula, style=style)
        return ref(r, c)

    def given(self, name: str, r: int, c: int, value, kind: str, *, editable: bool = True) -> str:
        """A figure of the statement."""
        style = (_DATA_KEY if self.key and editable else _DATA_STUDENT)[kind]
        if kind == "text":
            style = "text"
        self.plan.set(r, c, value, style=style)
        self.data_cells[name] = ref(r, c)
        return ref(r, c)

    def answer(self, name: str, r: int, c: int, formula: str, kind: str) -> str:
        """An answer: empty input cell for the student, native formula in the key."""
        if self.key:
            self.plan.set(r, c, formula=formula, style=_KEY[kind])
        else:
            self.plan.set(r, c, None, style=_STUDENT[kind])
            self._inputs.append((r, c, kind))
        self.answers[name] = ref(r, c)
        self.kinds[name] = kind
        return ref(r, c)

    def labelled(self, name: str, label: str, formula: str, kind: str, *, column: int = 4) -> str:
        """A label in column A and its answer in ``column`` on the current row."""
        self.plan.set(self.row, 1, label, style="label")
        address = self.answer(name, self.row, column, formula, kind)
        self.row += 1
        return address

    def finish(self, title: str, widths: dict[str, float], landscape: bool = False) -> SheetPlan:
        plan = self.plan
        plan.widths.update(widths)
        plan.freeze = "A4"
        plan.print_setup = PrintSetup(orientation="landscape" if landscape else "portrait", fit_width=1, fit_height=0,
                                      title_rows="1:2", header=("Corrigé — " if self.key else "Exercice — ") + title)
        # one validation per vertical run of answer cells of the same kind (student workbook)
        runs: list[list[tuple[int, int, str]]] = []
        for r, c, kind in sorted(self._inputs, key=lambda t: (t[1], t[0])):
            if runs and runs[-1][-1][1] == c and runs[-1][-1][0] == r - 1 and runs[-1][-1][2] == kind:
                runs[-1].append((r, c, kind))
            else:
                runs.append([(r, c, kind)])
        for run in runs:
            (r1, c, kind), r2 = run[0], run[-1][0]
            target = ref(r1, c) if r1 == r2 else f"{ref(r1, c)}:{ref(r2, c)}"
            if kind == "text":
                plan.validations.append(Validation(target, "list", formula1='"A,B,C"',
                                                   prompt="Classe A, B ou C", error="Répondez A, B ou C."))
            elif kind == "date":
                plan.validations.append(Validation(target, "date", "greaterThanOrEqual", "1",
                                                   prompt="Une date (jj/mm/aaaa)", error="Saisissez une date."))
            else:
                plan.validations.append(Validation(
                    target, "decimal", "between", "-1000000000000", "1000000000000",
                    prompt="Votre réponse (un taux : 12,5 % ou 0,125)", error="Saisissez un nombre."))
        return plan


def _subtitle(d: ExerciseData) -> str:
    """Row 2 of an exercise sheet: it tells which exercise the sheet holds (read back by :func:`refresh`)."""
    return f"{d.company} ({d.trade}, {d.town}) — graine {d.seed}"


def _intro(w: _Sheet, d: ExerciseData, title: str) -> None:
    w.line(("Corrigé — " if w.key else "Exercice — ") + title, "title")
    w.line(_subtitle(d), "subtitle")
    if w.key:
        w.line("Corrigé : les réponses sont des formules. Les données en jaune peuvent être modifiées : "
               "le corrigé se recalcule.", "note")
    else:
        w.line("Répondez dans les cellules jaunes (un taux se saisit 12,5 % ou 0,125) ; "
               "les autres cellules sont protégées.", "note")
    w.skip()


# ------------------------------------------------------------------------------------------------
# Topics
# ------------------------------------------------------------------------------------------------


def _facture(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    labels, rates = f["discount_labels"], f["discount_rates"]
    conditions = ", ".join(f"{lab.lower()} de {_pct(r)}" for lab, r in zip(labels, rates))
    w.label("Contexte")
    w.para(f"L'entreprise {d.company}, spécialisée en {d.trade} à {d.town}, livre la commande de son client "
           f"{f['customer']}. Vous établissez la facture n° {f['invoice_number']} (annexe 1).")
    port = (f"des frais de port de {_eur(f['shipping'])} HT sont facturés" if f["shipping"] else
            "la livraison est franco de port (aucun frais de port)")
    escompte = (f"un escompte de {_pct(f['cash_discount'])} est accordé pour paiement comptant, calculé sur le net "
                "commercial augmenté du port" if f["cash_discount"] else "aucun escompte n'est accordé")
    w.para(f"Conditions commerciales : {conditions}, en cascade (chaque réduction se calcule sur le net précédent) ; "
           f"{port} ; {escompte} ; TVA au taux de {_pct(f['vat_rate'])} sur le net financier.")
    w.skip()
    w.questions([
        "Calculez le montant HT de chaque ligne et le montant brut HT de la facture.",
        "Calculez chaque réduction commerciale, les nets successifs et le net commercial HT.",
        "Calculez la base de l'escompte, l'escompte, le net financier HT, la TVA et le net à payer TTC.",
    ])
    w.label("Annexe 1 — Commande")
    top = w.row
    w.header(top, 1, ["Désignation", "Quantité", "Prix unitaire HT", "Montant HT"])
    first = top + 1
    for i, (name, q, p) in enumerate(zip(f["designations"], f["quantities"], f["unit_prices"])):
        r = first + i
        w.given(f"designations[{i}]", r, 1, name, "text")
        w.given(f"quantities[{i}]", r, 2, q, "int")
        w.given(f"unit_prices[{i}]", r, 3, p, "eur")
        w.answer(f"line_amount[{i}]", r, 4, f"B{r}*C{r}", "eur")
    last = first + len(f["designations"]) - 1
    w.row = last + 2
    w.label("Annexe 2 — Conditions")
    rate_cells = []
    for i, (lab, r) in enumerate(zip(labels, rates)):
        w.fixed(w.row, 1, f"Taux de {lab.lower()}", style="label")
        rate_cells.append(w.given(f"discount_rates[{i}]", w.row, 2, r, "pct"))
        w.row += 1
    w.fixed(w.row, 1, "Frais de port HT", style="label")
    port_cell = w.given("shipping", w.row, 2, f["shipping"], "eur")
    w.row += 1
    w.fixed(w.row, 1, "Taux d'escompte", style="label")
    esc_cell = w.given("cash_discount", w.row, 2, f["cash_discount"], "pct")
    w.row += 1
    w.fixed(w.row, 1, "Taux de TVA", style="label")
    vat_cell = w.given("vat_rate", w.row, 2, f["vat_rate"], "pct")
    w.row += 2
    w.label("Facture (à compléter)")
    w.header(w.row, 1, ["Élément", "", "Taux", "Montant"])
    w.row += 1
    gross = w.labelled("gross", "Montant brut HT", f"SUM(D{first}:D{last})", "eur")
    previous = gross
    for i, (lab, rate_cell) in enumerate(zip(labels, rate_cells)):
        w.fixed(w.row, 3, formula=rate_cell, style="pct")
        reduction = w.labelled(f"reduction[{i}]", lab, f"{previous}*C{w.row}", "eur")
        name = "net_commercial" if i == len(labels) - 1 else f"net[{i}]"
        text = "Net commercial HT" if i == len(labels) - 1 else f"Net après {lab.lower()}"
        previous = w.labelled(name, text, f"{previous}-{reduction}", "eur")
    net = previous
    w.fixed(w.row, 3, formula=port_cell, style="eur")
    port = w.labelled("shipping_line", "Frais de port HT", f"C{w.row}", "eur")
    base = w.labelled("escompte_base", "Base de l'escompte (net commercial + port)", f"{net}+{port}", "eur")
    w.fixed(w.row, 3, formula=esc_cell, style="pct")
    escompte = w.labelled("escompte", "Escompte", f"{base}*C{w.row}", "eur")
    financial = w.labelled("net_financial", "Net financier HT", f"{base}-{escompte}", "eur")
    w.fixed(w.row, 3, formula=vat_cell, style="pct")
    vat = w.labelled("vat", "TVA", f"{financial}*C{w.row}", "eur")
    w.labelled("total", "Net à payer TTC", f"{financial}+{vat}", "eur")
    return {"A": 44, "B": 12, "C": 16, "D": 16}, False


def _marges(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) revoit les prix de son catalogue. Le taux de marge se calcule sur le "
           "coût d'achat HT, le taux de marque sur le prix de vente HT (jamais sur le TTC). Le coefficient "
           "multiplicateur HT est le rapport PV HT / coût d'achat HT ; le coefficient TTC, PV TTC / coût d'achat HT. "
           f"TVA : {_pct(f['vat_rate'])}.")
    w.skip()
    w.questions([
        ("Pour chaque article de l'annexe 1, calculez la marge unitaire, le taux de marge, le taux de marque, le "
        "coefficient multiplicateur HT, le prix de vente TTC et le coefficient multiplicateur TTC."),
        ("Pour les nouveaux articles (annexe 2), calculez le prix de vente HT qui donne le taux de marque visé, puis "
        "la marge unitaire, le taux de marge correspondant et le prix de vente TTC."),
    ])
    w.fixed(w.row, 1, "Taux de TVA", style="label")
    vat = w.given("vat_rate", w.row, 2, f["vat_rate"], "pct")
    vat = "$" + vat[0] + "$" + vat[1:]
    w.row += 2
    w.label("Annexe 1 — Articles du catalogue")
    top = w.row
    w.header(top, 1, ["Article", "Coût d'achat HT", "Prix de vente HT", "Marge unitaire", "Taux de marge",
                      "Taux de marque", "Coef. multiplicateur HT", "Prix de vente TTC", "Coef. multiplicateur TTC"])
    for i, name in enumerate(f["designations"]):
        r = top + 1 + i
        w.given(f"designations[{i}]", r, 1, name, "text")
        w.given(f"costs[{i}]", r, 2, f["costs"][i], "eur")
        w.given(f"prices[{i}]", r, 3, f["prices"][i], "eur")
        w.answer(f"margin[{i}]", r, 4, f"C{r}-B{r}", "eur")
        w.answer(f"margin_rate[{i}]", r, 5, f"(C{r}-B{r})/B{r}", "pct")
        w.answer(f"mark_rate[{i}]", r, 6, f"(C{r}-B{r})/C{r}", "pct")
        w.answer(f"multiplier[{i}]", r, 7, f"C{r}/B{r}", "dec4")
        w.answer(f"price_ttc[{i}]", r, 8, f"C{r}*(1+{vat})", "eur")
        w.answer(f"multiplier_ttc[{i}]", r, 9, f"H{r}/B{r}", "dec4")
    w.row = top + len(f["designations"]) + 2
    w.label("Annexe 2 — Nouveaux articles")
    top = w.row
    w.header(top, 1, ["Article", "Coût d'achat HT", "Taux de marque visé", "Prix de vente HT", "Marge unitaire",
                      "Taux de marge", "Prix de vente TTC"])
    for i, name in enumerate(f["new_designations"]):
        r = top + 1 + i
        w.given(f"new_designations[{i}]", r, 1, name, "text")
        w.given(f"new_costs[{i}]", r, 2, f["new_costs"][i], "eur")
        w.given(f"new_mark_rates[{i}]", r, 3, f["new_mark_rates"][i], "pct")
        w.answer(f"new_price[{i}]", r, 4, f"B{r}/(1-C{r})", "eur")
        w.answer(f"new_margin[{i}]", r, 5, f"D{r}-B{r}", "eur")
        w.answer(f"new_margin_rate[{i}]", r, 6, f"(D{r}-B{r})/B{r}", "pct")
        w.answer(f"new_price_ttc[{i}]", r, 7, f"D{r}*(1+{vat})", "eur")
    w.row = top + len(f["new_designations"]) + 1
    return {"A": 30, **{c: 16 for c in "BCDEFGHI"}}, True


def _serial_date_formula(start: str, days: str, per_year: str) -> str:
    """Date of the point mort: 30-day months from ``start`` when the year has 360 days
    (day 30 of a short month stays in it), calendar days otherwise; day reached = INT(days) + 1."""
    months = f"INT(INT({days})/30)"
    commercial = f"MIN(EDATE({start},{months})+MOD(INT({days}),30),EDATE({start},{months}+1)-1)"
    return f"IF({per_year}=360,{commercial},{start}+INT({days}))"


def _seuil(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    year = f["year"]
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) analyse son exercice {year} (du 1er janvier au 31 décembre) : chiffre "
           f"d'affaires HT de {_eur(f['revenue'])}, charges variables de {_eur(f['variable_costs'])}, charges fixes de "
           f"{_eur(f['fixed_costs'])}. On retient l'année commerciale de 360 jours (mois de 30 jours). Le chiffre "
           "d'affaires mensuel réel figure en annexe 2 : l'activité n'est pas régulière (creux d'août, pic de fin "
           "d'année).")
    w.skip()
    w.questions([
        "Calculez la marge sur coût variable (MCV), le taux de MCV et le résultat.",
        "Calculez le seuil de rentabilité, la marge de sécurité, l'indice de sécurité et le levier opérationnel.",
        "En supposant l'activité régulière, calculez le point mort en jours et sa date.",
        ("Avec le chiffre d'affaires mensuel réel, calculez le CA cumulé, le mois au cours duquel le seuil est "
        "atteint, le point mort en jours (interpolation linéaire dans le mois) et sa date."),
    ])
    w.label("Annexe 1 — Données de l'exercice")
    rows = [("revenue", "Chiffre d'affaires HT", f["revenue"], "eur"),
            ("variable_costs", "Charges variables", f["variable_costs"], "eur"),
            ("fixed_costs", "Charges fixes", f["fixed_costs"], "eur")]
    cells = {}
    for name, label, value, kind in rows:
        w.fixed(w.row, 1, label, style="label")
        cells[name] = w.given(name, w.row, 2, value, kind)
        w.row += 1
    w.fixed(w.row, 1, "Début de l'exercice", style="label")
    start = w.given("start_date", w.row, 2, dt.datetime(year, 1, 1), "date", editable=False)
    w.row += 1
    w.fixed(w.row, 1, "Jours par an (année commerciale)", style="label")
    per_year = w.given("days_per_year", w.row, 2, 360, "int", editable=False)
    w.row += 2
    ca, cv, cf = cells["revenue"], cells["variable_costs"], cells["fixed_costs"]
    w.label("Réponses — rentabilité")
    mcv = w.labelled("mcv", "Marge sur coût variable", f"{ca}-{cv}", "eur", column=2)
    rate = w.labelled("mcv_rate", "Taux de MCV", f"{mcv}/{ca}", "pct", column=2)
    result = w.labelled("result", "Résultat", f"{mcv}-{cf}", "eur", column=2)
    sr = w.labelled("breakeven", "Seuil de rentabilité", f"{cf}/{rate}", "eur", column=2)
    ms = w.labelled("safety_margin", "Marge de sécurité", f"{ca}-{sr}", "eur", column=2)
    w.labelled("safety_index", "Indice de sécurité", f"{ms}/{ca}", "pct", column=2)
    w.labelled("leverage", "Levier opérationnel", f"{mcv}/{result}", "dec", column=2)
    w.skip()
    w.label("Réponses — activité régulière")
    days = w.labelled("days", "Point mort (jours)", f"{sr}/{ca}*{per_year}", "dec", column=2)
    w.labelled("date", "Date du point mort", _serial_date_formula(start, days, per_year), "date", column=2)
    w.skip()
    w.label("Annexe 2 — Chiffre d'affaires mensuel réel")
    top = w.row
    w.header(top, 1, ["Mois", "CA du mois HT", "CA cumulé HT"])
    first = top + 1
    names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
    for m in range(12):
        r = first + m
        w.fixed(r, 1, names[m])
        w.given(f"monthly_revenue[{m}]", r, 2, f["monthly_revenue"][m], "eur")
        w.answer(f"cumulative[{m}]", r, 3, f"SUM($B${first}:B{r})", "eur")
    last = first + 11
    w.row = last + 2
    if w.key:
        absolute = "$" + sr[0] + "$" + sr[1:]
        w.plan.conditional_formats.append(ConditionalFormat(
            f"A{first}:C{last}", "expression", look="good",
            formula=[f"AND($C{first}>={absolute},N($C{first - 1})<{absolute})"]))
    w.label("Réponses — activité saisonnière")
    month = w.labelled("month_reached", "Mois au cours duquel le seuil est atteint (n°)",
                       f"IFERROR(MATCH({sr},$C${first}:$C${last},1),0)+1", "int", column=2)
    before = f"IF({month}=1,0,INDEX($C${first}:$C${last},{month}-1))"
    seasonal = w.labelled("days_seasonal", "Point mort (jours)",
                          f"({month}-1+({sr}-{before})/INDEX($B${first}:$B${last},{month}))*{per_year}/12", "dec",
                          column=2)
    w.labelled("date_seasonal", "Date du point mort", _serial_date_formula(start, seasonal, per_year), "date", column=2)
    return {"A": 46, "B": 18, "C": 18}, False


def _moindres_carres(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    n = len(f["y"])
    unit = "milliers d'euros" if f["unit"] == "k€" else "unités"
    years = f["years"]
    g = (n + 1) // 2
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) suit les ventes de « {f['product']} » (en {unit}) de {years[0]} à "
           f"{years[-1]} et veut prévoir celles de {years[-1] + 1} et {years[-1] + 2} par un ajustement linéaire "
           "y = a x + b, x étant le rang de l'année (1 pour la première).")
    w.skip()
    w.questions([
        "Calculez les moyennes x̄ et ȳ, puis complétez le tableau (écarts, produits et carrés des écarts).",
        ("Déterminez la droite des moindres carrés (a = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², b = ȳ − a x̄) et le coefficient "
        "de corrélation linéaire r ; l'ajustement est-il justifié ?"),
        (f"Déterminez la droite de Mayer (deux groupes de points consécutifs : les {g} premiers, puis les {n - g} "
        "suivants ; quand n est impair, le premier groupe reçoit le point supplémentaire) et la droite des points "
        "extrêmes."),
        (f"Calculez les valeurs ajustées ŷ (moindres carrés) et prévoyez les ventes de {years[-1] + 1} et "
        f"{years[-1] + 2}."),
    ])
    w.label("Annexe — Ventes et calculs")
    top = w.row
    w.header(top, 1, ["Année", "Rang x", "Ventes y", "x − x̄", "y − ȳ", "(x − x̄)(y − ȳ)", "(x − x̄)²", "(y − ȳ)²",
                      "Ajustement ŷ"])
    first, last = top + 1, top + n
    total = last + 1
    means = total + 2  # rows of x̄ and ȳ
    xbar, ybar = f"$B${means}", f"$B${means + 1}"
    a_ls, b_ls = f"$B${means + 3}", f"$B${means + 4}"
    for i in range(n):
        r = first + i
        w.fixed(r, 1, years[i], style="default")
        w.given(f"x[{i}]", r, 2, f["x"][i], "int", editable=False)
        w.given(f"y[{i}]", r, 3, f["y"][i], "int")
        w.answer(f"dx[{i}]", r, 4, f"B{r}-{xbar}", "dec")
        w.answer(f"dy[{i}]", r, 5, f"C{r}-{ybar}", "dec")
        w.answer(f"dxdy[{i}]", r, 6, f"D{r}*E{r}", "dec")
        w.answer(f"dx2[{i}]", r, 7, f"D{r}^2", "dec")
        w.answer(f"dy2[{i}]", r, 8, f"E{r}^2", "dec")
        w.answer(f"fitted[{i}]", r, 9, f"{a_ls}*B{r}+{b_ls}", "dec")
    w.fixed(total, 1, "Total", style="total_text")
    w.answer("sum_dxdy", total, 6, f"SUM(F{first}:F{last})", "dec")
    w.answer("sum_dx2", total, 7, f"SUM(G{first}:G{last})", "dec")
    w.answer("sum_dy2", total, 8, f"SUM(H{first}:H{last})", "dec")
    w.row = means
    w.labelled("xbar", "Moyenne x̄", f"AVERAGE(B{first}:B{last})", "dec", column=2)
    w.labelled("ybar", "Moyenne ȳ", f"AVERAGE(C{first}:C{last})", "dec", column=2)
    w.label("Moindres carrés")
    w.labelled("a", "Pente a", f"F{total}/G{total}", "dec4", column=2)
    w.labelled("b", "Ordonnée à l'origine b", f"{ybar}-{a_ls}*{xbar}", "dec", column=2)
    w.labelled("r", "Coefficient de corrélation r", f"F{total}/SQRT(G{total}*H{total})", "dec4", column=2)
    w.label("Méthode de Mayer")
    g1x = w.labelled("g1x", "Point moyen G1 : x̄₁", f"AVERAGE(B{first}:B{first + g - 1})", "dec", column=2)
    g1y = w.labelled("g1y", "Point moyen G1 : ȳ₁", f"AVERAGE(C{first}:C{first + g - 1})", "dec", column=2)
    g2x = w.labelled("g2x", "Point moyen G2 : x̄₂", f"AVERAGE(B{first + g}:B{last})", "dec", column=2)
    g2y = w.labelled("g2y", "Point moyen G2 : ȳ₂", f"AVERAGE(C{first + g}:C{last})", "dec", column=2)
    am = w.labelled("mayer_a", "Pente a", f"({g2y}-{g1y})/({g2x}-{g1x})", "dec4", column=2)
    w.labelled("mayer_b", "Ordonnée à l'origine b", f"{g1y}-{am}*{g1x}", "dec", column=2)
    w.label("Points extrêmes")
    ae = w.labelled("extreme_a", "Pente a", f"(C{last}-C{first})/(B{last}-B{first})", "dec4", column=2)
    w.labelled("extreme_b", "Ordonnée à l'origine b", f"C{first}-{ae}*B{first}", "dec", column=2)
    w.label("Prévisions (moindres carrés)")
    w.header(w.row, 1, ["Année", "Rang x", "Prévision"])
    w.row += 1
    for h in (1, 2):
        w.fixed(w.row, 1, years[-1] + h, style="default")
        w.given(f"forecast_x[{h - 1}]", w.row, 2, n + h, "int", editable=False)
        w.answer(f"forecast[{h - 1}]", w.row, 3, f"{a_ls}*B{w.row}+{b_ls}", "dec")
        w.row += 1
    q = quote_sheet(w.plan.name)
    series = [ChartSeries(f"{q}!$C${first}:$C${last}", "Ventes y", categories=f"{q}!$A${first}:$A${last}")]
    if w.key:
        series.append(ChartSeries(f"{q}!$I${first}:$I${last}", "Ajustement (moindres carrés)"))
    w.plan.charts.append(ChartSpec("line", "Ventes annuelles" + (" et droite d'ajustement" if w.key else ""),
                                   f"D{means}", series, x_title="Année", y_title=f["unit"], width_cm=16, height_cm=8))
    return {"A": 30, "B": 14, **{c: 14 for c in "CDEFGHI"}}, True


def _saisonnalite(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    years = f["years"]
    y = f["y"]
    n = len(y)
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) observe des ventes trimestrielles saisonnières (en milliers d'euros) "
           f"de {years[0]} à {years[-1]}. Elle calcule ses coefficients saisonniers par la méthode des moyennes "
           "mobiles centrées d'ordre 4 (modèle multiplicatif), puis établit le budget des ventes de "
           f"{years[-1] + 1}, dont la prévision annuelle est de {_number(f['annual_forecast'], 0)} k€.")
    w.skip()
    w.questions([
        ("Calculez les moyennes mobiles centrées d'ordre 4 : MMC = (½ yₜ₋₂ + yₜ₋₁ + yₜ + yₜ₊₁ + ½ yₜ₊₂) / 4, puis "
        "les rapports y / MMC."),
        ("Calculez le coefficient saisonnier brut de chaque trimestre (moyenne de ses rapports), puis les "
        "coefficients normalisés (divisés par la moyenne des coefficients bruts : leur moyenne vaut 1)."),
        "Calculez les ventes corrigées des variations saisonnières (CVS = y / coefficient).",
        (f"Répartissez la prévision annuelle de {years[-1] + 1} entre les trimestres (budget des ventes : "
        "prévision × coefficient / somme des coefficients)."),
    ])
    w.label("Annexe — Ventes trimestrielles (k€)")
    top = w.row
    w.header(top, 1, ["Année", "Trimestre", "Rang t", "Ventes y", "MMC", "Rapport y / MMC", "CVS"])
    first, last = top + 1, top + n
    coef_top = last + 3
    cf, cl = coef_top + 1, coef_top + 4
    for i in range(n):
        r = first + i
        w.fixed(r, 1, years[i // 4], style="default")
        w.fixed(r, 2, i % 4 + 1, style="int")
        w.fixed(r, 3, i + 1, style="int")
        w.given(f"y[{i}]", r, 4, y[i], "int")
        if 2 <= i < n - 2:
            w.answer(f"mmc[{i}]", r, 5, f"(D{r - 2}/2+SUM(D{r - 1}:D{r + 1})+D{r + 2}/2)/4", "dec")
            w.answer(f"ratio[{i}]", r, 6, f"D{r}/E{r}", "dec4")
        else:
            w.fixed(r, 5, None, style="dec")
            w.fixed(r, 6, None, style="dec4")
        w.answer(f"cvs[{i}]", r, 7, f"D{r}/INDEX($C${cf}:$C${cl},B{r})", "dec")
    w.row = last + 2
    w.label("Coefficients saisonniers et budget")
    w.header(coef_top, 1, ["Trimestre", "Coefficient brut", "Coefficient normalisé", f"Budget {years[-1] + 1} (k€)"])
    w.fixed(cl + 1, 1, "Prévision annuelle (k€)", style="label")
    forecast = w.given("annual_forecast", cl + 1, 4, f["annual_forecast"], "dec")
    for q in range(4):
        r = cf + q
        w.fixed(r, 1, f"T{q + 1}", style="text")
        w.answer(f"raw[{q}]", r, 2, f"AVERAGEIF($B${first}:$B${last},{q + 1},$F${first}:$F${last})", "dec4")
        w.answer(f"coef[{q}]", r, 3, f"B{r}/AVERAGE($B${cf}:$B${cl})", "dec4")
        w.answer(f"budget[{q}]", r, 4, f"${forecast[0]}${forecast[1:]}*C{r}/SUM($C${cf}:$C${cl})", "dec")
    w.row = cl + 3
    q = quote_sheet(w.plan.name)
    series = [ChartSeries(f"{q}!$D${first}:$D${last}", "Ventes", categories=f"{q}!$C${first}:$C${last}")]
    if w.key:
        series += [ChartSeries(f"{q}!$E${first}:$E${last}", "MMC"), ChartSeries(f"{q}!$G${first}:$G${last}", "CVS")]
    w.plan.charts.append(ChartSpec("line", "Ventes trimestrielles" + (", MMC et CVS" if w.key else ""), f"A{cl + 3}",
                                   series, x_title="Rang t", y_title="k€", width_cm=16, height_cm=8))
    return {"A": 24, "B": 16, "C": 18, "D": 16, "E": 12, "F": 16, "G": 12}, False


def _commissions(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    k = len(f["thresholds"])
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) rémunère ses technico-commerciaux par un fixe et une commission "
           f"mensuelle sur le chiffre d'affaires HT, selon le barème de l'annexe 1. Voici le CA de {f['month']} "
           "(annexe 2). La direction hésite entre un barème progressif par tranches et un barème par paliers.")
    w.skip()
    w.questions([
        ("Barème par tranches : chaque taux s'applique à la seule part du CA comprise dans sa tranche. Calculez la "
        "commission de chaque tranche et la commission totale de chaque commercial."),
        ("Barème par paliers : le taux de la tranche atteinte s'applique à tout le CA. Calculez le taux appliqué et "
        "la commission."),
        "Calculez l'écart entre les deux barèmes (paliers − tranches).",
    ])
    w.label("Annexe 1 — Barème")
    top = w.row
    w.header(top, 1, ["Tranche", "Borne inférieure", "Borne supérieure", "Taux"])
    gf, gl = top + 1, top + k
    for i in range(k):
        r = gf + i
        w.fixed(r, 1, f"Tranche {i + 1}", style="text")
        w.given(f"thresholds[{i}]", r, 2, f["thresholds"][i], "eur")
        if i < k - 1:
            w.fixed(r, 3, formula=f"B{r + 1}", style="eur")
        else:
            w.fixed(r, 3, "au-delà", style="text")
        w.given(f"rates[{i}]", r, 4, f["rates"][i], "pct")
    w.row = gl + 2
    w.label(f"Annexe 2 — CA HT de {f['month']} et commissions")
    top = w.row
    headers = ["Commercial", "CA HT"] + [f"Tranche {i + 1}" for i in range(k)] + [
        "Commission par tranches", "Taux du palier", "Commission par paliers", "Écart paliers − tranches"]
    w.header(top, 1, headers)
    first = top + 1
    total_col = 3 + k
    for j, rep in enumerate(f["reps"]):
        r = first + j
        w.given(f"reps[{j}]", r, 1, rep, "text")
        w.given(f"revenue[{j}]", r, 2, f["revenue"][j], "eur")
        for i in range(k):
            low, rate = f"$B${gf + i}", f"$D${gf + i}"
            part = f"MIN(B{r},$C${gf + i})-{low}" if i < k - 1 else f"B{r}-{low}"
            w.answer(f"slice[{j}][{i}]", r, 3 + i, f"MAX(0,{part})*{rate}", "eur")
        w.answer(f"progressive[{j}]", r, total_col, f"SUM({col(3)}{r}:{col(2 + k)}{r})", "eur")
        w.answer(f"flat_rate[{j}]", r, total_col + 1,
                 f"IF(B{r}<$B${gf},0,INDEX($D${gf}:$D${gl},MATCH(B{r},$B${gf}:$B${gl},1)))", "pct")
        w.answer(f"flat[{j}]", r, total_col + 2, f"B{r}*{col(total_col + 1)}{r}", "eur")
        w.answer(f"difference[{j}]", r, total_col + 3, f"{col(total_col + 2)}{r}-{col(total_col)}{r}", "eur")
    last = first + len(f["reps"]) - 1
    w.row = last + 2
    if w.key:
        q = quote_sheet(w.plan.name)
        w.plan.charts.append(ChartSpec(
            "column", "Commission par tranches et par paliers", f"A{last + 3}",
            [ChartSeries(f"{q}!${col(total_col)}${first}:${col(total_col)}${last}", "Par tranches",
                         categories=f"{q}!$A${first}:$A${last}"),
             ChartSeries(f"{q}!${col(total_col + 2)}${first}:${col(total_col + 2)}${last}", "Par paliers")],
            y_format='#,##0 "€"', width_cm=18, height_cm=8))
    widths = {"A": 22, "B": 16, **{col(3 + i): 13 for i in range(k)}}
    widths.update({col(total_col + i): 16 for i in range(4)})
    return widths, True


def _gini(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    k = len(f["counts"])
    total_customers = sum(f["counts"])
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) a classé ses {total_customers} clients selon leur chiffre d'affaires "
           "annuel (en milliers d'euros, annexe). Elle veut mesurer la concentration de sa clientèle : courbe de "
           "Lorenz, indice de Gini (méthode des trapèzes) et médiale.")
    w.skip()
    w.questions([
        ("Complétez le tableau : centre de classe cᵢ, masse de CA nᵢ × cᵢ, effectifs cumulés en % (xᵢ) et masses "
        "cumulées en % (yᵢ), les classes étant rangées par CA croissant."),
        "Calculez pour chaque classe (xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁), puis l'indice de Gini G = 1 − Σ (xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁).",
        ("Déterminez la classe où la masse cumulée atteint 50 %, puis la médiale (valeur qui partage la masse de CA "
        "en deux moitiés, par interpolation linéaire dans sa classe). Commentez la concentration."),
    ])
    w.label("Annexe — Clients par classe de CA annuel (k€)")
    top = w.row
    w.header(top, 1, ["Classe de CA (k€)", "Borne inférieure", "Borne supérieure", "Effectif nᵢ", "Centre cᵢ",
                      "Masse nᵢ × cᵢ", "Effectifs cumulés xᵢ", "Masses cumulées yᵢ", "(xᵢ − xᵢ₋₁)(yᵢ + yᵢ₋₁)"])
    origin = top + 1
    w.fixed(origin, 1, "(origine)", style="text")
    w.fixed(origin, 7, 0, style="pct")
    w.fixed(origin, 8, 0, style="pct")
    first, last = origin + 1, origin + k
    total = last + 1
    for i in range(k):
        r = first + i
        lo, up = f["lower"][i], f["upper"][i]
        w.fixed(r, 1, f"de {_number(lo, 0)} à moins de {_number(up, 0)}", style="text")
        w.given(f"lower[{i}]", r, 2, lo, "dec")
        w.given(f"upper[{i}]", r, 3, up, "dec")
        w.given(f"counts[{i}]", r, 4, f["counts"][i], "int")
        w.answer(f"centre[{i}]", r, 5, f"(B{r}+C{r})/2", "dec")
        w.answer(f"mass[{i}]", r, 6, f"D{r}*E{r}", "dec")
        w.answer(f"x[{i}]", r, 7, f"SUM($D${first}:D{r})/$D${total}", "pct")
        w.answer(f"y[{i}]", r, 8, f"SUM($F${first}:F{r})/$F${total}", "pct")
        w.answer(f"trapeze[{i}]", r, 9, f"(G{r}-G{r - 1})*(H{r}+H{r - 1})", "dec4")
    w.fixed(total, 1, "Total", style="total_text")
    w.answer("total_count", total, 4, f"SUM(D{first}:D{last})", "int")
    w.answer("total_mass", total, 6, f"SUM(F{first}:F{last})", "dec")
    w.answer("sum_trapeze", total, 9, f"SUM(I{first}:I{last})", "dec4")
    w.row = total + 2
    w.labelled("gini", "Indice de Gini G", f"1-I{total}", "dec4", column=2)
    cls = w.labelled("mediale_class", "Classe de la médiale (n°)", f"IFERROR(MATCH(0.5,H{first}:H{last},1),0)+1",
                     "int", column=2)
    lower = f"INDEX(B{first}:B{last},{cls})"
    upper = f"INDEX(C{first}:C{last},{cls})"
    y_before = f"INDEX(H{origin}:H{last},{cls})"
    y_at = f"INDEX(H{first}:H{last},{cls})"
    w.labelled("mediale", "Médiale (k€)", f"{lower}+({upper}-{lower})*(0.5-{y_before})/({y_at}-{y_before})", "dec",
               column=2)
    if w.key:
        q = quote_sheet(w.plan.name)
        xs = f"{q}!$G${origin}:$G${last}"
        w.plan.charts.append(ChartSpec(
            "scatter", "Courbe de Lorenz", f"D{total + 2}",
            [ChartSeries(f"{q}!$H${origin}:$H${last}", "Courbe de Lorenz", categories=xs),
             ChartSeries(f"{q}!$G${origin}:$G${last}", "Égalité parfaite", categories=xs)],
            x_title="Part cumulée des clients", y_title="Part cumulée du CA", y_format="0%", width_cm=12,
            height_cm=10))
    return {"A": 26, **{c: 14 for c in "BCDEFGH"}, "I": 18}, True


def _abc(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    n = len(f["revenue"])
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) veut hiérarchiser son portefeuille de {n} clients pour organiser les "
           "visites de ses technico-commerciaux. Méthode ABC : clients classés par CA décroissant ; classe A tant que "
           f"la part cumulée du CA (client compris) ne dépasse pas {_pct(f['a_share'])}, classe B jusqu'à "
           f"{_pct(f['b_share'])}, classe C au-delà. Le premier client est toujours en classe A.")
    w.skip()
    w.questions([
        "Donnez le rang de chaque client (1 = plus gros CA).",
        ("Calculez la part de chaque client dans le CA total, puis la part cumulée du CA dans l'ordre des rangs "
        "(client compris)."),
        "Attribuez à chaque client sa classe A, B ou C.",
        "Complétez la synthèse par classe : nombre de clients, part des clients, CA et part du CA.",
    ])
    w.fixed(w.row, 1, "Seuil de la classe A", style="label")
    a = w.given("a_share", w.row, 3, f["a_share"], "pct")
    w.row += 1
    w.fixed(w.row, 1, "Seuil de la classe B", style="label")
    b = w.given("b_share", w.row, 3, f["b_share"], "pct")
    w.row += 2
    a, b = f"${a[0]}${a[1:]}", f"${b[0]}${b[1:]}"
    w.label("Annexe — CA HT annuel par client")
    top = w.row
    w.header(top, 1, ["Code", "Client", "CA HT", "Rang", "Part du CA", "Part cumulée du CA", "Classe"])
    first, last = top + 1, top + n
    values = f"$C${first}:$C${last}"
    for i in range(n):
        r = first + i
        w.given(f"codes[{i}]", r, 1, f["codes"][i], "text")
        w.given(f"customers[{i}]", r, 2, f["customers"][i], "text")
        w.given(f"revenue[{i}]", r, 3, f["revenue"][i], "eur")
        w.answer(f"rank[{i}]", r, 4, f"RANK(C{r},{values},0)+COUNTIF($C${first}:C{r},C{r})-1", "int")
        w.answer(f"share[{i}]", r, 5, f"C{r}/SUM({values})", "pct")
        w.answer(f"cumulative[{i}]", r, 6, f'SUMIF($D${first}:$D${last},"<="&D{r},{values})/SUM({values})', "pct")
        w.answer(f"class[{i}]", r, 7, f'IF(D{r}=1,"A",IF(F{r}<={a}+1E-9,"A",IF(F{r}<={b}+1E-9,"B","C")))', "text")
    w.fixed(last + 1, 2, "Total", style="total_text")
    w.fixed(last + 1, 3, formula=f"SUM(C{first}:C{last})", style="total_eur")
    if w.key:
        for letter, look in (("A", "good"), ("B", "neutral"), ("C", "bad")):
            w.plan.conditional_formats.append(ConditionalFormat(f"G{first}:G{last}", "expression", look=look,
                                                                formula=[f'$G{first}="{letter}"']))
    top = last + 3
    w.row = top - 1
    w.label("Synthèse par classe")
    w.header(top, 1, ["Classe", "Nombre de clients", "Part des clients", "CA HT", "Part du CA"])
    classes = f"$G${first}:$G${last}"
    for j, letter in enumerate("ABC"):
        r = top + 1 + j
        w.fixed(r, 1, letter, style="text")
        w.answer(f"count_{letter}", r, 2, f'COUNTIF({classes},A{r})', "int")
        w.answer(f"count_share_{letter}", r, 3, f"B{r}/{n}", "pct")
        w.answer(f"revenue_{letter}", r, 4, f"SUMIF({classes},A{r},{values})", "eur")
        w.answer(f"revenue_share_{letter}", r, 5, f"D{r}/SUM({values})", "pct")
    w.row = top + 5
    return {"A": 14, "B": 30, "C": 16, "D": 14, "E": 14, "F": 18, "G": 10}, False


def _valeur_client(w: _Sheet, d: ExerciseData) -> tuple[dict, bool]:
    f = d.figures
    n = f["years"]
    w.label("Contexte")
    w.para(f"{d.company} ({d.trade}, {d.town}) comptait {_number(f['customers_start'], 0)} clients au 1er janvier ; "
           f"{_number(f['customers_lost'], 0)} ont cessé d'acheter au cours de l'année. La prospection lui a coûté "
           f"{_eur(f['acquisition_spend'])} et a apporté {_number(f['new_customers'], 0)} nouveaux clients. Un client "
           f"fidèle rapporte une marge annuelle moyenne de {_eur(f['margin'])}, perçue en fin d'année ; le taux "
           f"d'actualisation est de {_pct(f['discount_rate'])}. On suppose le taux de fidélisation constant.")
    w.skip()
    w.questions([
        ("Calculez le taux d'attrition (clients perdus / clients en début d'année), le taux de fidélisation "
        "r = 1 − attrition et la durée de vie moyenne d'un client (1 / attrition)."),
        "Calculez le coût d'acquisition d'un client.",
        (f"Complétez le tableau sur {n} ans : probabilité d'être encore client rᵗ, coefficient d'actualisation "
        "1 / (1 + d)ᵗ, marge actualisée probable m · rᵗ / (1 + d)ᵗ et cumul."),
        (f"Déduisez la valeur vie client sur {n} ans nette du coût d'acquisition, puis la valeur vie client à horizon "
        "infini m · r / (1 + d − r) (avant coût d'acquisition)."),
    ])
    w.label("Annexe — Données")
    cells = {}
    for name, label, kind in (("customers_start", "Clients au 1er janvier", "int"),
                              ("customers_lost", "Clients perdus dans l'année", "int"),
                              ("acquisition_spend", "Dépenses de prospection", "eur"),
                              ("new_customers", "Nouveaux clients gagnés", "int"),
                              ("margin", "Marge annuelle par client (m)", "eur"),
                              ("discount_rate", "Taux d'actualisation (d)", "pct")):
        w.fixed(w.row, 1, label, style="label")
        cells[name] = w.given(name, w.row, 2, f[name], kind)
        w.row += 1
    w.fixed(w.row, 1, "Horizon (années)", style="label")
    w.given("years", w.row, 2, n, "int", editable=False)
    w.row += 2
    absolute = {k: f"${v[0]}${v[1:]}" for k, v in cells.items()}
    w.label("Réponses — attrition et acquisition")
    churn = w.labelled("churn", "Taux d'attrition", f"{cells['customers_lost']}/{cells['customers_start']}", "pct",
                       column=2)
    retention = w.labelled("retention", "Taux de fidélisation r", f"1-{churn}", "pct", column=2)
    w.labelled("lifetime", "Durée de vie moyenne (années)", f"1/{churn}", "dec", column=2)
    cac = w.labelled("cac", "Coût d'acquisition d'un client",
                     f"{cells['acquisition_spend']}/{cells['new_customers']}", "eur", column=2)
    w.skip()
    w.label("Valeur vie client")
    top = w.row
    w.header(top, 1, ["Année t", "rᵗ", "1 / (1 + d)ᵗ", "Marge actualisée probable", "Cumul"])
    first = top + 1
    r_abs = f"${retention[0]}${retention[1:]}"
    for t in range(1, n + 1):
        r = first + t - 1
        w.given(f"t[{t - 1}]", r, 1, t, "int", editable=False)
        w.answer(f"survival[{t - 1}]", r, 2, f"{r_abs}^A{r}", "dec4")
        w.answer(f"discount[{t - 1}]", r, 3, f"1/(1+{absolute['discount_rate']})^A{r}", "dec4")
        w.answer(f"discounted[{t - 1}]", r, 4, f"{absolute['margin']}*B{r}*C{r}", "eur")
        w.answer(f"cumulative[{t - 1}]", r, 5, f"SUM($D${first}:D{r})", "eur")
    last = first + n - 1
    w.row = last + 2
    w.labelled("clv", f"Valeur vie client sur {n} ans, nette du coût d'acquisition", f"E{last}-{cac}", "eur",
               column=5)
    w.labelled("clv_infinite", "Valeur vie client à horizon infini (avant acquisition)",
               f"{cells['margin']}*{retention}/(1+{cells['discount_rate']}-{retention})", "eur", column=5)
    return {"A": 44, "B": 14, "C": 14, "D": 22, "E": 16}, False


_BUILDERS: dict[str, Callable[[_Sheet, ExerciseData], tuple[dict, bool]]] = {
    "facture": _facture, "marges": _marges, "seuil": _seuil, "moindres_carres": _moindres_carres,
    "saisonnalite": _saisonnalite, "commissions": _commissions, "gini": _gini, "abc": _abc,
    "valeur_client": _valeur_client,
}


# ------------------------------------------------------------------------------------------------
# Entry points
# ------------------------------------------------------------------------------------------------


def _check_topic(topic: str) -> str:
    if topic not in TOPICS:
        raise ValueError(f"thème inconnu : {topic!r} (thèmes : {', '.join(TOPICS)})")
    return topic


def exercise_sheets(topic: str, seed: int, *, student_name: str | None = None,
                    answer_name: str | None = None) -> tuple[SheetPlan, SheetPlan, ExerciseLayout]:
    """The statement sheet and the answer-key sheet of one exercise.

    Parameters
    ----------
    topic : str
        A key of :data:`TOPICS`.
    seed : int
        Whole number ≥ 0: the figures of :func:`xlsales.core.exercise_data.generate`.
    student_name, answer_name : str, optional
        Sheet names; default « <Thème> » and « <Thème> — corrigé » (:data:`SHEET_NAMES`).

    Returns
    -------
    (SheetPlan, SheetPlan, ExerciseLayout)
        The two sheets have the same cells except the answers: empty unlocked inputs in the first,
        formulas in the second.
    """
    _check_topic(topic)
    data = generate(topic, seed)
    student_name = student_name or SHEET_NAMES[topic]
    answer_name = answer_name or f"{SHEET_NAMES[topic]} — corrigé"
    title = TOPICS[topic]
    sheets = []
    for name, key in ((student_name, False), (answer_name, True)):
        writer = _Sheet(name, key)
        _intro(writer, data, title)
        widths, landscape = _BUILDERS[topic](writer, data)
        sheets.append((writer, writer.finish(title, widths, landscape)))
    (student_writer, student), (key_writer, key) = sheets
    assert student_writer.answers == key_writer.answers and student_writer.data_cells == key_writer.data_cells
    layout = ExerciseLayout(topic=topic, seed=data.seed, title=title, data=data, student_sheet=student_name,
                            answer_sheet=answer_name, data_cells=dict(key_writer.data_cells),
                            answers=dict(key_writer.answers), kinds=dict(key_writer.kinds))
    return student, key, layout


def build_exercise(topic: str, seed: int) -> tuple[BookPlan, BookPlan, ExerciseLayout]:
    """Plan the student workbook and the answer key of ``topic`` for ``seed``.

    Parameters
    ----------
    topic : str
        A key of :data:`TOPICS` (facture, marges, seuil, moindres_carres, saisonnalite,
        commissions, gini, abc, valeur_client).
    seed : int
        Whole number ≥ 0; the same seed gives the same figures (and the same files, their
        creation time aside).

    Returns
    -------
    (BookPlan, BookPlan, ExerciseLayout)
        Student workbook (statement, data, empty answer cells), answer key (same cells, answers as
        formulas) and where the data and answers are.
    """
    student, key, layout = exercise_sheets(topic, seed)
    student_book = BookPlan(sheets=[student], title=f"Exercice — {layout.title}", active=student.name)
    key_book = BookPlan(sheets=[key], title=f"Corrigé — {layout.title}", active=key.name)
    return student_book, key_book, layout


def exercise_file_names(topic: str, seed: int) -> tuple[str, str]:
    """File names of the student workbook and of the answer key."""
    return f"exercice_{topic}_graine{seed}.xlsx", f"corrige_{topic}_graine{seed}.xlsx"


def write_exercise(topic: str, seed: int, outdir: str | os.PathLike, *, force: bool = False) -> tuple[Path, Path]:
    """Write ``exercice_TOPIC_graineN.xlsx`` and ``corrige_TOPIC_graineN.xlsx`` into ``outdir``.

    The folder is created if needed. Nothing is written when a file is already there and ``force``
    is false (:class:`xlsales.io.OutputExistsError`); each file is written atomically.

    Returns
    -------
    (Path, Path)
        The student workbook and the answer key.
    """
    from ..io import OutputExistsError, atomic_write
    from ..sheets.render_xlsxwriter import write_book

    student_book, key_book, _ = build_exercise(topic, seed)
    folder = Path(outdir)
    folder.mkdir(parents=True, exist_ok=True)
    student_name, key_name = exercise_file_names(topic, seed)
    paths = folder / student_name, folder / key_name
    if not force:
        for path in paths:
            if path.exists():
                raise OutputExistsError(path)
    for book, path in zip((student_book, key_book), paths):
        atomic_write(path, lambda tmp, book=book: write_book(book, tmp), force=force)
    return paths


def _params_sheet(topic: str = TOPIC_KEYS[0], seed: int = 1) -> SheetPlan:
    sheet = SheetPlan(PARAMS_SHEET, role="input", tab_color="70AD47")
    sheet.title("Cahier d'exercices — calculs commerciaux",
                "Énoncés (réponses dans les cellules jaunes) et corrigés en formules natives")
    sheet.put("A4", "Thème de l'exercice à (re)construire", style="label")
    sheet.put(TOPIC_CELL, topic, style="input_text")
    sheet.put("A5", "Graine (nombre entier : d'autres chiffres pour chaque graine)", style="label")
    sheet.put(SEED_CELL, seed, style="input_int")
    sheet.validations.append(Validation(TOPIC_CELL, "list", formula1='"' + ",".join(TOPICS) + '"',
                                        prompt="Choisissez un thème dans la liste.", error="Thème inconnu.",
                                        allow_blank=False))
    sheet.validations.append(Validation(SEED_CELL, "whole", "greaterThanOrEqual", "0",
                                        prompt="Un nombre entier positif ou nul.",
                                        error="La graine est un nombre entier positif ou nul."))
    notes = [
        ("Le bouton « Mettre à jour » reconstruit l'énoncé et le corrigé du thème choisi avec la graine choisie ; "
        "les autres feuilles ne changent pas."),
        "Distribuez la feuille d'énoncé (sans son corrigé) : les réponses se saisissent dans les cellules jaunes.",
        ("En ligne de commande : xlsales exercise THÈME --seed N -o DOSSIER écrit l'énoncé et le corrigé en deux "
        "classeurs séparés."),
    ]
    for i, text in enumerate(notes):
        sheet.set(7 + i, 1, text, style="note")
    top = 11
    sheet.row(top, 1, ["Thème", "Intitulé", "Feuille de l'énoncé", "Feuille du corrigé"], style="header")
    for i, (key, title) in enumerate(TOPICS.items(), start=1):
        sheet.row(top + i, 1, [key, title, SHEET_NAMES[key], f"{SHEET_NAMES[key]} — corrigé"], style="text")
    sheet.widths.update({"A": 58, "B": 60, "C": 20, "D": 26})
    sheet.freeze = "A4"
    sheet.print_setup = PrintSetup(orientation="landscape", header="Cahier d'exercices")
    return sheet


def plan_for_company(company=None) -> BookPlan:
    """The ready-made « cahier d'exercices »: « Paramètres », then each topic's statement and
    answer key (seed 1).

    ``company`` is accepted for the common entry point of the generators (ready-made workbooks,
    templates) and not used: exercises draw their own figures from the seed.
    """
    book = BookPlan(title="Cahier d'exercices — calculs commerciaux", active=PARAMS_SHEET)
    book.add(_params_sheet())
    for topic in TOPICS:
        student, key, _ = exercise_sheets(topic, 1)
        book.add(student)
        book.add(key)
    return book


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()
    return plain.replace(" ", "_").replace("-", "_")


def topic_from_text(value) -> str:
    """The topic typed in « Paramètres »: a key, a sheet name or a title, accents and case ignored."""
    if value is None or str(value).strip() == "":
        raise ValueError(f"« {PARAMS_SHEET} »!{TOPIC_CELL} : choisissez un thème ({', '.join(TOPICS)})")
    folded = _fold(str(value))
    for key, title in TOPICS.items():
        if folded in (_fold(key), _fold(SHEET_NAMES[key]), _fold(title)):
            return key
    raise ValueError(f"« {PARAMS_SHEET} »!{TOPIC_CELL} : thème inconnu « {value} » ({', '.join(TOPICS)})")


def seed_from_value(value) -> int:
    """The seed typed in « Paramètres » (empty: 1)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    try:
        number = float(str(value).replace(",", ".").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"« {PARAMS_SHEET} »!{SEED_CELL} : la graine doit être un nombre entier (reçu « {value} »)")
    if not number.is_integer() or number < 0:
        raise ValueError(f"« {PARAMS_SHEET} »!{SEED_CELL} : la graine doit être un entier positif ou nul "
                         f"(reçu « {value} »)")
    return int(number)


def _typed_values(book, sheet: SheetPlan, subtitle: str, addresses) -> dict[str, object]:
    """The values in ``addresses`` of the sheet of the same name in ``book`` when it holds the same
    exercise (same row 2), else nothing."""
    from .live import sheet_rows

    if sheet.name not in [s.name for s in book.sheets]:
        return {}
    rows = sheet_rows(book, sheet.name)

    def value(address: str):
        letter, r = coordinate_from_string(address)
        c = column_index_from_string(letter)
        return rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else None

    if value("A2") != subtitle:
        return {}
    return {a: v for a in addresses if (v := value(a)) not in (None, "")}


def refresh(book) -> list[str]:
    """Rebuild, in an open exercise book (template button, xlwings Lite), the statement and the
    answer key of the topic and seed typed in « Paramètres » (B4, B5).

    « Paramètres » and the other topics' sheets are left as they are. When the pair already holds
    that exercise (same topic and seed), what was typed in it is read first and put back: the
    answers in the statement, the figures changed in the answer key. Another seed is another
    exercise: its answer cells start empty.
    """
    from .live import refresh_outputs

    if PARAMS_SHEET not in [s.name for s in book.sheets]:
        raise ValueError(f"feuille « {PARAMS_SHEET} » introuvable : elle porte le thème et la graine")
    params = book.sheets[PARAMS_SHEET]
    topic = topic_from_text(params[TOPIC_CELL].value)
    seed = seed_from_value(params[SEED_CELL].value)
    student, key, layout = exercise_sheets(topic, seed)
    subtitle = _subtitle(layout.data)
    editable = [a for a in layout.data_cells.values() if not STYLES[key.at(a).style].locked]
    for sheet, addresses in ((student, layout.answers.values()), (key, editable)):
        for address, value in _typed_values(book, sheet, subtitle, addresses).items():
            letter, r = coordinate_from_string(address)
            c = column_index_from_string(letter)
            sheet.set(r, c, value, style=sheet.cells[(r, c)].style)
    plan = BookPlan(sheets=[_params_sheet(), student, key], title="Cahier d'exercices — calculs commerciaux")
    return refresh_outputs(book, plan)
