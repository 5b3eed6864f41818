"""Macro-enabled templates: ``dashboard.xlsm``, ``commissions.xlsm``, ``training_plan.xlsm``.

Each template is built by code from xlwings' standalone quickstart workbook of the pinned xlwings
version: its ``vbaProject.bin`` (the xlwings VBA module and ``Module1.SampleCall``) is embedded byte
for byte, and a button on the « Accueil » sheet runs ``SampleCall``, which calls ``main()`` in the
same-named ``.py`` file beside the workbook (``dashboard.xlsm`` → ``dashboard.py``). That ``main()``
calls :mod:`xlsales.macros` on ``xw.Book.caller()`` and rewrites the generated sheets in place; the
input sheets (sales lines, targets, settings…) are never touched.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import zipfile
from pathlib import Path

import xlwings

from .sheets.plan import BookPlan, Button, SheetPlan

__all__ = ["TEMPLATES", "LITE_SCRIPTS", "quickstart_vba_project", "build_template", "build_templates", "MACRO"]

#: The macro of xlwings' quickstart module that runs ``main()`` of the workbook's ``.py``.
MACRO = "SampleCall"

#: template name → (generator module, title, what the button does)
TEMPLATES = {
    "dashboard": ("xlsales.macros.dashboard", "Tableau de bord commercial",
                  "Collez vos lignes de ventes sous le tableau « Ventes » (mêmes colonnes) et vos objectifs dans "
                  "« Objectifs » : tous les indicateurs se recalculent aussitôt. Le bouton reconstruit les feuilles "
                  "calculées pour y ajouter les nouveaux commerciaux, clients, familles et mois."),
    "commissions": ("xlsales.macros.commissions", "Commissions et rémunération variable",
                    "Saisissez les ventes du mois dans « Saisie » et le plan dans « Paramètres » : commissions, primes "
                    "et coût employeur se recalculent sans Python. Le bouton reconstruit les feuilles calculées après un "
                    "changement d'équipe."),
    "training_plan": ("xlsales.macros.training_plan", "Plan de développement des compétences",
                      "Mettez à jour les niveaux dans « Compétences », le catalogue et les dates d'entretien : écarts, "
                      "budget et échéances se recalculent. Le bouton reconstruit les besoins et le calendrier."),
    "recruitment": ("xlsales.macros.recruitment", "Kit de recrutement",
                    "Complétez la grille, les notes des candidats, les dates des étapes et de l'intégration : scores, "
                    "classement et échéances se recalculent. Le bouton reconstruit les feuilles après l'ajout de "
                    "critères ou de candidats."),
    "network": ("xlsales.macros.network", "Réseau de partenaires et registre RGPD",
                "Tenez l'annuaire à jour, notez les partenaires, planifiez les actions et la diffusion : segments, "
                "performance et alertes de conservation (RGPD) se recalculent. Le bouton reconstruit les feuilles "
                "après l'ajout de partenaires."),
    "journey": ("xlsales.macros.journey", "Parcours client et tournées",
                "Collez les opportunités, notez les points de contact, choisissez les clients à visiter : entonnoir, "
                "coûts d'acquisition et journées de tournée se recalculent. Le bouton réoptimise l'ordre de visite "
                "et redessine la carte."),
    "forecast": ("xlsales.macros.forecast", "Prévisions et budgets",
                 "Complétez l'historique mensuel et les hypothèses (objectif, délais de paiement, approvisionnements) : "
                 "tendances, coefficients saisonniers, budgets des ventes, d'approvisionnement et de trésorerie se "
                 "recalculent. Le bouton refait la prévision automatique et le test sur l'année mise de côté."),
    "portfolio": ("xlsales.macros.portfolio", "Analyse du portefeuille clients",
                  "Collez les ventes et complétez les fiches clients, les tailles de marché et les potentiels : RFM, "
                  "valeur client, ABC, attrition, parts de marché et densité se recalculent. Le bouton ajoute les "
                  "nouveaux clients et produits."),
    "exercises": ("xlsales.macros.exercises", "Cahier d'exercices du formateur",
                  "Choisissez un thème et une graine dans « Paramètres » puis cliquez sur le bouton : l'énoncé (cases "
                  "de réponse vides) et son corrigé (formules) sont reconstruits avec de nouveaux chiffres."),
}

#: name of the xlwings Lite ``@script`` of each template
LITE_SCRIPTS = {
    "dashboard": "actualiser_tableau_de_bord",
    "commissions": "actualiser_commissions",
    "training_plan": "actualiser_plan_de_formation",
    "recruitment": "actualiser_recrutement",
    "network": "actualiser_reseau",
    "journey": "actualiser_parcours_client",
    "forecast": "actualiser_previsions",
    "portfolio": "actualiser_portefeuille",
    "exercises": "nouvel_exercice",
}

_TEMPLATE_PY = '''"""Bouton « Mettre à jour » de {name}.xlsm (xlwings).

Le bouton du classeur exécute la macro ``{macro}`` (module xlwings), qui appelle ``main()`` ci-dessous.
Prérequis : Python avec ``xlsales`` installé (``pip install xlsales``) ; macros activées.
Sous xlwings Lite, collez la fonction ``{lite}`` dans main.py.
"""

import xlwings as xw

from xlsales.macros.{name} import refresh


def main():
    """Reconstruit les feuilles calculées du classeur à partir de ses feuilles de saisie."""
    refresh(xw.Book.caller())


try:  # xlwings Lite: the same work as a script (ignored by classic xlwings)
    from xlwings import script

    @script
    def {lite}(book: xw.Book):
        refresh(book)

except ImportError:  # pragma: no cover - classic xlwings without `script`
    pass
'''


def quickstart_vba_project() -> bytes:
    """The ``vbaProject.bin`` of the pinned xlwings' ``quickstart_standalone.xlsm``."""
    source = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")
    with zipfile.ZipFile(source) as archive:
        return archive.read("xl/vbaProject.bin")


def _home_sheet(title: str, explanation: str) -> SheetPlan:
    sheet = SheetPlan("Accueil", role="output", tab_color="1F4E78")
    sheet.title(title, "Classeur xlsales — formules natives Excel (2010 et suivants, LibreOffice 7.4 et suivants)")
    sheet.set(4, 1, explanation, style="default")
    steps = [
        "1. Les feuilles vertes sont vos saisies : elles ne sont jamais modifiées par le bouton.",
        "2. Les feuilles bleues sont calculées par des formules : elles suivent vos saisies sans macro.",
        "3. Le bouton « Mettre à jour » (Python + xlwings) les reconstruit, par exemple après l'ajout d'un commercial.",
        "Prérequis du bouton : Python avec xlsales installé, macros activées, paramètres dans la feuille « xlwings.conf ».",
    ]
    for i, text in enumerate(steps):
        sheet.set(6 + i, 1, text)
    sheet.buttons.append(Button("B12", MACRO, "Mettre à jour"))
    sheet.widths["A"] = 110
    sheet.protect = False
    return sheet


def _conf_sheet() -> SheetPlan:
    sheet = SheetPlan("xlwings.conf", role="input", protect=False, hidden=False)
    rows = [("Interpreter_Win", "python"), ("Interpreter_Mac", None), ("PYTHONPATH", None), ("Conda Path", None),
            ("Conda Env", None), ("UDF Modules", "xlsales.udfs"), ("Debug UDFs", False), ("Use UDF Server", False),
            ("Show Console", False)]
    for i, (key, value) in enumerate(rows, start=1):
        sheet.set(i, 1, key)
        sheet.set(i, 2, value)
    sheet.widths.update({"A": 18, "B": 24})
    return sheet


def _generator_plan(name: str, company) -> BookPlan:
    module = importlib.import_module(TEMPLATES[name][0])
    return module.plan_for_company(company)


def build_template(name: str, outdir: str | os.PathLike, company=None) -> Path:
    """Build ``NAME.xlsm`` and ``NAME.py`` in ``outdir`` from the sample company (or ``company``)."""
    from .sample import make_sample_company
    from .sheets.render_xlsxwriter import write_book

    if name not in TEMPLATES:
        raise KeyError(f"modèle inconnu : {name} ({', '.join(TEMPLATES)})")
    company = company or make_sample_company()
    _, title, explanation = TEMPLATES[name]
    plan = _generator_plan(name, company)
    from .cli import SAMPLE_AS_OF

    book = BookPlan(sheets=[_home_sheet(title, explanation), *plan.sheets, _conf_sheet()], names=plan.names,
                    title=title, active="Accueil", created=SAMPLE_AS_OF)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{name}.xlsm"
    with tempfile.TemporaryDirectory(prefix="xlsales-vba-") as folder:
        vba = Path(folder) / "vbaProject.bin"
        vba.write_bytes(quickstart_vba_project())
        write_book(book, target, vba_project=vba, vba_codenames={"Accueil": "Sheet1", "xlwings.conf": "Sheet2"})
    lite = LITE_SCRIPTS[name]
    (outdir / f"{name}.py").write_text(_TEMPLATE_PY.format(name=name, macro=MACRO, lite=lite), encoding="utf-8")
    return target


def build_templates(outdir: str | os.PathLike, company=None, names=None) -> list[Path]:
    """Build every template (or ``names``) into ``outdir``."""
    from .sample import make_sample_company

    company = company or make_sample_company()
    return [build_template(name, outdir, company) for name in (names or TEMPLATES)]
