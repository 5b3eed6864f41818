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
}


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


def _done(path: Path) -> None:
    console.print(f"[green]✓[/] {escape(str(path))}")


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
    import importlib

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
            module = importlib.import_module(module_name)
            plan = module.plan_for_company(company)
            _write_plan(plan, out / name, force=True)
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
) -> None:
    """Tableau de bord commercial (CA, marge, objectifs, ABC, tendance, concentration)."""
    from . import io as xio
    from .macros.dashboard import build_dashboard

    if lang not in ("fr", "en"):
        _fail("--lang doit valoir fr ou en")
    with _progress() as progress:
        task = progress.add_task("Lecture des ventes", total=3)
        sales_frame = _read(xio.read_sales, sales)
        targets_frame = _read(xio.read_targets, targets)
        progress.update(task, advance=1, description="Construction du tableau de bord")
        plan, _ = build_dashboard(sales_frame, targets_frame, year=year, lang=lang)
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

    with _progress() as progress:
        task = progress.add_task("Lecture des fichiers", total=3)
        sales_frame = _read(xio.read_sales, sales)
        plan_frame = _read(xio.read_commission_plan, plan_file)
        reps_frame = _read(xio.read_reps, reps)
        targets_frame = _read(xio.read_targets, targets)
        progress.update(task, advance=1, description="Construction du classeur de commissions")
        plan = plan_from_files(sales_frame, plan_frame, reps_frame, targets_frame, year=year)
        progress.update(task, advance=1, description=f"Écriture de {output.name}")
        path = _write_plan(plan, output, force)
        progress.advance(task)
    _done(path)


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

    with _progress() as progress:
        task = progress.add_task("Lecture des fichiers", total=3)
        skills_frame = _read(xio.read_skills, skills)
        catalogue_frame = _read(xio.read_training_catalogue, catalogue_file)
        reps_frame = _read(xio.read_reps, reps)
        progress.update(task, advance=1, description="Construction du plan de formation")
        plan = plan_from_files(skills_frame, catalogue_frame, reps_frame, year=year)
        progress.update(task, advance=1, description=f"Écriture de {output.name}")
        path = _write_plan(plan, output, force)
        progress.advance(task)
    _done(path)


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
