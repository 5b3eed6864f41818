"""The ``xlsales`` command line (French messages)."""

from __future__ import annotations

import inspect

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="xlsales — boîte à outils Excel du manager commercial.",
)
console = Console()


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
def demo() -> None:
    """Tâche principale sur l'entreprise exemple."""
    console.print(_catalogue_table())


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
