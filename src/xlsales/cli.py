"""The ``xlsales`` command line (French messages).

The only layer that knows about files and progress bars: read inputs (:mod:`xlsales.io`), plan
(:mod:`xlsales.macros`), render (:mod:`xlsales.sheets`), write atomically.
"""

from __future__ import annotations

import datetime as dt
import inspect
import zipfile
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="xlsales — boîte à outils Excel du manager commercial.",
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

#: ready-made workbooks built by ``xlsales demo``: file name → generator module
DEMO_WORKBOOKS = {
    "tableau_de_bord.xlsx": "xlsales.macros.dashboard",
    "commissions.xlsx": "xlsales.macros.commissions",
    "plan_de_formation.xlsx": "xlsales.macros.training_plan",
    "recrutement.xlsx": "xlsales.macros.recruitment",
    "reseau_partenaires.xlsx": "xlsales.macros.network",
    "parcours_client.xlsx": "xlsales.macros.journey",
    "portefeuille.xlsx": "xlsales.macros.portfolio",
    "previsions_budgets.xlsx": "xlsales.macros.forecast",
    "cahier_exercices.xlsx": "xlsales.macros.exercises",
}


#: "Today" of the sample company (its sales run to 31/12/2025): the creation time of the ready-made
#: workbooks and templates, so that rebuilding them gives the same bytes.
SAMPLE_AS_OF = dt.datetime(2026, 1, 1)


def ready_made_plan(module_name: str, company):
    """The plan of a ready-made workbook of the sample company (``xlsales demo``)."""
    import importlib

    plan = importlib.import_module(module_name).plan_for_company(company)
    plan.created = SAMPLE_AS_OF
    return plan


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Erreur :[/] {escape(message)}")
    raise typer.Exit(code)


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=err, transient=False)


def _generated_by_xlsales(path: Path) -> bool:
    """True when ``path`` is a workbook written by xlsales (safe to regenerate)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return "<dc:creator>xlsales</dc:creator>" in core


def _write_plan(plan, out: Path, force: bool) -> Path:
    from .io import OutputExistsError, atomic_write
    from .sheets.render_xlsxwriter import write_book

    try:
        return atomic_write(out, lambda tmp: write_book(plan, tmp), force=force)
    except OutputExistsError:
        _fail(f"{out} existe déjà : ajoutez --force pour le remplacer")
    except (FileNotFoundError, IsADirectoryError) as error:
        _fail(str(error))


def _read(reader: Callable, path: Optional[Path]):
    from .io import InputError

    if path is None:
        return None
    try:
        return reader(path)
    except InputError as error:
        _fail(str(error))


def _csv_lines(path: Path) -> int:
    """Lines of a CSV file (0 for a workbook, a folder or a missing file: the reader reports those)."""
    from .bigdata import count_lines

    try:
        if not path.is_file() or path.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm"):
            return 0
        with open(path, "rb") as fh:
            if fh.read(4).startswith(b"PK\x03\x04"):
                return 0
        return count_lines(path)
    except OSError:
        return 0


def _done(path: Path) -> None:
    console.print(f"[green]✓[/] {escape(str(path))}")


def _generate(label: str, output: Path, force: bool, build: Callable[[], object]) -> None:
    """Read the inputs and plan the workbook (``build``), then write it atomically, with a progress bar."""
    with _progress() as progress:
        task = progress.add_task(label, total=2)
        try:
            plan = build()
        except ValueError as error:  # a French message from a generator (e.g. an input missing)
            from .io import InputError

            if isinstance(error, InputError):
                raise
            _fail(str(error))
        progress.update(task, advance=1, description=f"Écriture de {output.name}")
        path = _write_plan(plan, output, force)
        progress.advance(task)
    _done(path)


def _catalogue_table() -> Table:
    from xlsales.udfs import UDF_REGISTRY

    table = Table(title=f"Fonctions Excel xlsales ({len(UDF_REGISTRY)})", show_lines=False)
    table.add_column("Fonction", style="bold cyan", no_wrap=True)
    table.add_column("Arguments")
    table.add_column("Description")
    for name, udf in sorted(UDF_REGISTRY.items()):
        params = inspect.signature(udf).parameters.values()
        args = "; ".join(p.name if p.default is inspect.Parameter.empty else f"[{p.name}]" for p in params)
        table.add_row(name, escape(args), escape((udf.__doc__ or "").split(" — ")[0]))
    return table


@app.command("catalogue")
def catalogue() -> None:
    """Liste les fonctions Excel (UDF) disponibles."""
    console.print(_catalogue_table())


@app.command("demo")
def demo(
    out: Path = typer.Option(Path("workbooks"), "--out", help="Dossier des classeurs prêts à l'emploi."),
    seed: int = typer.Option(2026, help="Graine de l'entreprise exemple."),
) -> None:
    """Tâche principale : construit tous les classeurs prêts à l'emploi de l'entreprise exemple."""

    from .sample import make_sample_company

    out.mkdir(parents=True, exist_ok=True)
    for name in DEMO_WORKBOOKS:
        target = out / name
        if target.exists() and not _generated_by_xlsales(target):
            _fail(f"{target} n'a pas été produit par xlsales : il ne sera pas remplacé")
    with _progress() as progress:
        task = progress.add_task("Entreprise exemple", total=len(DEMO_WORKBOOKS) + 1)
        company = make_sample_company(seed=seed)
        progress.advance(task)
        for name, module_name in DEMO_WORKBOOKS.items():
            progress.update(task, description=f"Classeur {name}")
            _write_plan(ready_made_plan(module_name, company), out / name, force=True)
            progress.advance(task)
    for name in DEMO_WORKBOOKS:
        _done(out / name)


@app.command("dashboard")
def dashboard(
    sales: Path = typer.Argument(..., help="Lignes de ventes (CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    targets: Optional[Path] = typer.Option(None, "--targets", help="Objectifs (CSV ou xlsx)."),
    lang: str = typer.Option("fr", "--lang", help="Langue des libellés : fr ou en."),
    year: Optional[int] = typer.Option(None, "--year", help="Exercice analysé (par défaut : le dernier des ventes)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
    aggregate_above: int = typer.Option(
        1_048_575, "--aggregate-above",
        help="Au-delà de ce nombre de lignes (CSV), les ventes sont totalisées par mois, commercial, région, "
             "famille et client avant d'entrer dans le classeur (une feuille Excel a 1 048 576 lignes)."),
) -> None:
    """Tableau de bord commercial (CA, marge, objectifs, ABC, tendance, concentration)."""
    from . import io as xio
    from .macros.dashboard import build_dashboard

    if lang not in ("fr", "en"):
        _fail("--lang doit valoir fr ou en")
    with _progress() as progress:
        task = progress.add_task("Lecture des ventes", total=3)
        if _csv_lines(sales) - 1 > aggregate_above:
            from .bigdata import aggregate_sales

            progress.update(task, description="Lecture et agrégation des ventes (polars)")
            sales_frame = _read(aggregate_sales, sales)
        else:
            sales_frame = _read(xio.read_sales, sales)
        targets_frame = _read(xio.read_targets, targets)
        progress.update(task, advance=1, description="Construction du tableau de bord")
        plan, _ = build_dashboard(sales_frame, targets_frame, year=year, lang=lang, data_block=True)
        progress.update(task, advance=1, description=f"Écriture de {output.name}")
        path = _write_plan(plan, output, force)
        progress.advance(task)
    _done(path)


@app.command("commissions")
def commissions(
    sales: Path = typer.Argument(..., help="Lignes de ventes (CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    plan_file: Optional[Path] = typer.Option(None, "--plan", help="Plan de commissionnement (CSV ou xlsx)."),
    reps: Optional[Path] = typer.Option(None, "--reps", help="Équipe commerciale (CSV ou xlsx)."),
    targets: Optional[Path] = typer.Option(None, "--targets", help="Objectifs (CSV ou xlsx)."),
    year: Optional[int] = typer.Option(None, "--year", help="Année de calcul (par défaut : la dernière des ventes)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Classeur de commissions : paramètres, saisie, calcul, relevés, synthèse (sans Python dans Excel)."""
    from . import io as xio
    from .macros.commissions import plan_from_files

    _generate("Classeur de commissions", output, force, lambda: plan_from_files(
        _read(xio.read_sales, sales), _read(xio.read_commission_plan, plan_file), _read(xio.read_reps, reps),
        _read(xio.read_targets, targets), year=year))


@app.command("training-plan")
def training_plan(
    skills: Path = typer.Argument(..., help="Matrice de compétences (CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    catalogue_file: Optional[Path] = typer.Option(None, "--catalogue", help="Catalogue de formations (CSV ou xlsx)."),
    reps: Optional[Path] = typer.Option(None, "--reps", help="Équipe (dates d'embauche, pour les entretiens)."),
    year: Optional[int] = typer.Option(None, "--year", help="Année du plan."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Plan de formation : écarts de compétences, actions, calendrier, budget, entretiens professionnels."""
    from . import io as xio
    from .macros.training_plan import plan_from_files

    _generate("Plan de formation", output, force, lambda: plan_from_files(
        _read(xio.read_skills, skills), _read(xio.read_training_catalogue, catalogue_file), _read(xio.read_reps, reps),
        year=year))


@app.command("recruitment")
def recruitment(
    candidates: Path = typer.Argument(..., help="Notes des candidats (candidat, critère, note ; CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    grid: Optional[Path] = typer.Option(None, "--grid", help="Grille d'entretien (critère, poids, éliminatoire)."),
    reps: Optional[Path] = typer.Option(None, "--reps", help="Équipe commerciale (besoins en effectif)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Kit de recrutement : besoins, profil de poste, étapes, grille, comparaison des candidats, intégration."""
    from . import io as xio
    from .macros.recruitment import plan_from_files

    _generate("Kit de recrutement", output, force, lambda: plan_from_files(
        _read(xio.read_candidates, candidates), grid=_read(xio.read_interview_grid, grid), reps=_read(xio.read_reps, reps)))


@app.command("network")
def network(
    partners: Path = typer.Argument(..., help="Partenaires (annuaire ; CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Réseau de partenaires : annuaire, qualification, animation, diffusion, performance, registre RGPD."""
    from . import io as xio
    from .macros.network import plan_from_files

    _generate("Réseau de partenaires", output, force, lambda: plan_from_files(_read(xio.read_partners, partners)))


@app.command("pseudonymize")
def pseudonymize(
    source: Path = typer.Argument(..., help="Fichier à pseudonymiser (CSV ou xlsx) ; il n'est jamais modifié."),
    output: Path = typer.Option(..., "-o", "--output", help="Copie pseudonymisée à produire."),
    key: Optional[str] = typer.Option(None, "--key", envvar="XLSALES_PSEUDO_KEY",
                                      help="Clé secrète (ou variable XLSALES_PSEUDO_KEY) : même clé → mêmes pseudonymes."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Copie d'un fichier où noms, courriels et téléphones sont remplacés par des pseudonymes stables (RGPD)."""
    from .io import InputError, OutputExistsError
    from .privacy import pseudonymize_file

    if not key:
        _fail("une clé est nécessaire : --key CLÉ ou la variable d'environnement XLSALES_PSEUDO_KEY")
    if output.resolve() == source.resolve():
        _fail("le fichier de sortie doit être différent de l'original")
    try:
        report = pseudonymize_file(source, output, key, force=force)
    except InputError as error:
        _fail(str(error))
    except OutputExistsError:
        _fail(f"{output} existe déjà : ajoutez --force pour le remplacer")
    for sheet, columns in report.columns.items():
        where = f"feuille « {sheet} » : " if sheet else ""
        described = ", ".join(f"{header} ({kind})" for header, kind in columns.items()) or "aucune"
        console.print(f"{escape(where)}colonnes pseudonymisées : {escape(described)}")
    console.print(f"{report.cells} cellule(s) remplacée(s)")
    if report.collisions:
        err.print(f"[yellow]Attention :[/] {report.collisions} pseudonyme(s) partagé(s) par plusieurs valeurs")
    for note in report.notes:
        err.print(f"[yellow]Note :[/] {escape(note)}")
    _done(Path(report.path))


@app.command("journey")
def journey(
    opportunities: Path = typer.Argument(..., help="Opportunités (étapes et dates ; CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    locations: Optional[Path] = typer.Option(None, "--locations", help="Clients à visiter (coordonnées, durées)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Parcours client : entonnoir par canal, carte d'expérience, tournée optimisée."""
    from . import io as xio
    from .macros.journey import plan_from_files

    _generate("Parcours client", output, force, lambda: plan_from_files(
        _read(xio.read_opportunities, opportunities), locations=_read(xio.read_locations, locations)))


@app.command("forecast")
def forecast(
    sales: Path = typer.Argument(..., help="Lignes de ventes (CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    year: Optional[int] = typer.Option(None, "--year", help="Année budgétée (par défaut : celle qui suit les ventes)."),
    reps: Optional[Path] = typer.Option(None, "--reps", help="Équipe (salaires fixes du budget de trésorerie)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Prévisions et budgets : tendances, saisonnalité, prévision, budgets des ventes, d'approvisionnement, de trésorerie."""
    from . import io as xio
    from .macros.forecast import plan_from_files

    _generate("Prévisions et budgets", output, force, lambda: plan_from_files(
        _read(xio.read_sales, sales), year=year, reps=_read(xio.read_reps, reps)))


@app.command("portfolio")
def portfolio(
    sales: Path = typer.Argument(..., help="Lignes de ventes (CSV ou xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Classeur à produire (.xlsx)."),
    customers: Optional[Path] = typer.Option(None, "--customers", help="Fichier clients (secteur, région…)."),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier de sortie s'il existe."),
) -> None:
    """Portefeuille : RFM, valeur client, ABC, attrition, parts de marché, concentration, densité."""
    from . import io as xio
    from .macros import portfolio as generator

    reader = getattr(generator, "read_customers", None)
    _generate("Analyse de portefeuille", output, force, lambda: generator.plan_from_files(
        _read(xio.read_sales, sales), customers=_read(reader, customers) if reader else None))


@app.command("exercise")
def exercise(
    topic: str = typer.Argument(..., help="Thème de l'exercice (voir la liste avec --help ou une valeur inconnue)."),
    seed: int = typer.Option(1, "--seed", help="Graine : chaque graine donne d'autres chiffres."),
    output: Path = typer.Option(Path("."), "-o", "--output", help="Dossier où écrire l'énoncé et le corrigé."),
) -> None:
    """Exercice pour formateurs : un classeur élève (données, cases vides) et son corrigé (formules)."""
    from .io import OutputExistsError
    from .macros.exercises import TOPICS, write_exercise

    if topic not in TOPICS:
        _fail(f"thème inconnu : {topic} (thèmes : {', '.join(TOPICS)})")
    output.mkdir(parents=True, exist_ok=True)
    try:
        paths = write_exercise(topic, seed, output)
    except OutputExistsError as error:
        _fail(f"{error} existe déjà : choisissez un autre dossier ou une autre graine")
    for path in paths:
        _done(Path(path))


@app.command("templates")
def templates(
    out: Path = typer.Option(Path("templates"), "--out", help="Dossier des modèles."),
    force: bool = typer.Option(False, "--force", help="Remplacer les modèles existants."),
) -> None:
    """Construit les modèles prenant en charge les macros (.xlsm + .py, bouton xlwings)."""
    from .sample import make_sample_company
    from .templates import TEMPLATES, build_template

    out.mkdir(parents=True, exist_ok=True)
    existing = [out / f"{n}.xlsm" for n in TEMPLATES if (out / f"{n}.xlsm").exists()]
    if existing and not force and not all(_generated_by_xlsales(p) for p in existing):
        _fail(f"{existing[0]} existe déjà : ajoutez --force pour le remplacer")
    company = make_sample_company()
    with _progress() as progress:
        task = progress.add_task("Modèles", total=len(TEMPLATES))
        for name in TEMPLATES:
            progress.update(task, description=f"Modèle {name}.xlsm")
            path = build_template(name, out, company)
            progress.advance(task)
            _done(path)


@app.command("sample-data")
def sample_data(
    output: Path = typer.Option(..., "-o", "--output", help="Dossier où écrire les fichiers."),
    lines: int = typer.Option(6000, "--lines", help="Nombre de lignes de ventes."),
    seed: int = typer.Option(2026, "--seed", help="Graine (mêmes paramètres → mêmes fichiers)."),
    fmt: str = typer.Option("csv", "--format", help="csv ou xlsx."),
    force: bool = typer.Option(False, "--force", help="Remplacer les fichiers existants."),
) -> None:
    """Écrit les fichiers de l'entreprise exemple, au format des exports utilisateurs."""
    from .io import OutputExistsError
    from .sample import write_sample_data

    if fmt not in ("csv", "xlsx"):
        _fail("--format doit valoir csv ou xlsx")
    if lines < 1:
        _fail("--lines doit être au moins 1")
    with _progress() as progress:
        task = progress.add_task(f"Entreprise exemple ({lines:,} lignes)".replace(",", " "), total=1)
        try:
            paths = write_sample_data(output, seed=seed, lines=lines, fmt=fmt, force=force)
        except OutputExistsError as error:
            _fail(f"{error} : ajoutez --force pour remplacer")
        progress.advance(task)
    for path in paths.values():
        _done(path)


@app.command("check")
def check(books: list[Path] = typer.Argument(..., help="Classeurs à vérifier.")) -> None:
    """Recalcule les classeurs dans LibreOffice et liste les cellules en erreur (code 1 s'il y en a)."""
    from .recalc import LibreOfficeError, error_cells

    total = 0
    with _progress() as progress:
        task = progress.add_task("Recalcul LibreOffice", total=len(books))
        for book in books:
            if not book.exists():
                _fail(f"{book} introuvable")
            try:
                errors = error_cells(book)
            except LibreOfficeError as error:
                _fail(str(error))
            progress.advance(task)
            total += len(errors)
            if errors:
                table = Table(title=f"{book.name} : {len(errors)} cellule(s) en erreur")
                for column in ("Feuille", "Cellule", "Valeur"):
                    table.add_column(column)
                for sheet, cell, value in errors[:200]:
                    table.add_row(escape(sheet), cell, value)
                console.print(table)
            else:
                console.print(f"[green]✓[/] {escape(book.name)} : aucune cellule en erreur")
    if total:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
