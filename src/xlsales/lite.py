"""The xlwings Lite bundle: ``lite/main.py`` and ``lite/requirements.txt``, generated from the package.

xlwings Lite runs Python in Excel (Pyodide): the user pastes ``main.py`` into the add-in's editor
and ``requirements.txt`` into its requirements tab. ``xlsales`` is not installed there, so the
generated ``main.py`` is self-contained: it embeds the sources of ``xlsales/__init__.py``,
``xlsales/core/*.py`` and ``xlsales/udfs/*.py`` as strings, serves them as the ``xlsales``
package through an :mod:`importlib` meta-path finder, and imports every Excel function by name
so that the functions are members of ``main`` (xlwings Lite registers the members of ``main``
that carry xlwings' ``@func`` metadata).

The output is deterministic (modules sorted by name, no timestamps): regenerate it whenever the
core or the Excel functions change::

    python -m xlsales.lite            # writes lite/main.py and lite/requirements.txt
    python -m xlsales.lite OUTDIR     # elsewhere
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

__all__ = [
    "bundle_sources",
    "main",
    "render_bundle",
    "third_party_imports",
    "uncommitted_sources",
    "write_lite_bundle",
]

#: Package folders embedded in the bundle (with the package's own ``__init__.py``): the Excel
#: functions, and what the template buttons need as xlwings Lite scripts (generators, live renderer).
BUNDLED_SUBPACKAGES = ("core", "udfs", "sheets", "macros")

#: Top-level modules embedded too (the readers, for the input sheets of an open workbook).
BUNDLED_MODULES = ("io.py",)

#: Files of the bundled folders left out: the file renderers (the CLI's), not used inside Excel.
EXCLUDED_FILES = ("sheets/render_openpyxl.py", "sheets/render_xlsxwriter.py")

#: Imported only by code paths that never run inside Excel (reading or writing files), and not
#: available in Pyodide: not requirements of the bundle.
FILE_ONLY_IMPORTS = frozenset({"python_calamine", "xlsxwriter"})

#: Import name -> distribution name, where they differ.
DISTRIBUTION_NAMES = {
    "sklearn": "scikit-learn",
    "yaml": "pyyaml",
    "dateutil": "python-dateutil",
    "PIL": "pillow",
}

#: Packages that Pyodide ships built for WebAssembly (do not pin them: the version is Pyodide's).
PYODIDE_PACKAGES = frozenset(
    {"numpy", "pandas", "scipy", "statsmodels", "scikit-learn", "python-dateutil", "pytz", "patsy", "openpyxl"}
)

_PACKAGE_ROOT = Path(__file__).resolve().parent


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def bundle_sources(package_root: Path | None = None) -> dict[str, tuple[bool, str]]:
    """``{module name: (is_package, source)}`` for every bundled module, sorted by name."""
    root = Path(package_root or _PACKAGE_ROOT)
    files = [root / "__init__.py"] + [root / name for name in BUNDLED_MODULES]
    for sub in BUNDLED_SUBPACKAGES:
        files.extend(p for p in sorted((root / sub).glob("*.py"))
                     if p.relative_to(root).as_posix() not in EXCLUDED_FILES)
    modules = {}
    for path in files:
        name, is_package = _module_name(path, root)
        modules[name] = (is_package, path.read_text(encoding="utf-8"))
    return dict(sorted(modules.items()))


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(getattr(t, "id", "") in {"ImportError", "ModuleNotFoundError"} for t in types)


def _optional_imports(tree: ast.AST) -> set[int]:
    """Ids of the import nodes inside ``try: ... except ImportError`` (optional dependencies)."""
    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            for statement in node.body:
                optional.update(id(n) for n in ast.walk(statement) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return optional


def third_party_imports(sources: dict[str, tuple[bool, str]]) -> list[str]:
    """Top-level names of what the bundled modules import from outside the standard library.

    ``xlsales`` itself and ``xlwings`` (listed separately) are left out. Imports inside functions
    count too (e.g. a lazy ``import statsmodels``); optional ones, guarded by
    ``try: ... except ImportError``, do not.
    """
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    found = set()
    for _, source in sources.values():
        tree = ast.parse(source)
        optional = _optional_imports(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in stdlib and top not in {"xlsales", "xlwings"} and top not in FILE_ONLY_IMPORTS:
                    found.add(top)
    return sorted(found)


def _string_literal(text: str) -> str:
    """A Python literal for ``text``: a raw triple-quoted string when exact, else ``repr``."""
    candidate = "r'''" + text + "'''"
    if "'''" not in text and not text.endswith("\\") and "\r" not in text:
        try:
            if ast.literal_eval(candidate) == text:
                return candidate
        except (SyntaxError, ValueError):
            pass
    return repr(text)


def _udf_names() -> list[str]:
    from xlsales.udfs import UDF_REGISTRY

    return sorted(UDF_REGISTRY)


def _xlwings_requirement() -> str:
    import xlwings

    return f"xlwings=={xlwings.__version__}"


_HEADER = '''\
"""xlsales — fonctions Excel du manager commercial, pour xlwings Lite.

Sales-math Excel functions for xlwings Lite ({count} functions, xlsales {version}).

Installation : dans Excel, ouvrir xlwings Lite (onglet Accueil), coller ce fichier dans
l'onglet « main.py » et le contenu de requirements.txt dans l'onglet « requirements.txt »,
puis redémarrer xlwings Lite. Les fonctions s'utilisent ensuite comme les fonctions
natives : =MARGIN_RATE(B2; C2), =INVOICE(1000; E2:E3), …

FICHIER GÉNÉRÉ — ne pas modifier : il est régénéré par « python -m xlsales.lite » à partir
du paquet xlsales (sources de xlsales/__init__.py, xlsales/core/*.py, xlsales/udfs/*.py
incluses ci-dessous et servies comme le paquet « xlsales »).
Generated file: do not edit; regenerate with "python -m xlsales.lite".
"""

import importlib.machinery
import linecache
import sys

import xlwings as xw  # noqa: F401
from xlwings import arg, func, ret, script  # noqa: F401  (xlwings Lite: @func, @arg, @ret, @script)

'''

_LOADER = '''

class _XlsalesBundle:
    """Meta-path finder and loader serving the embedded sources as the ``xlsales`` package."""

    _xlsales_bundle = True

    def __init__(self, sources):
        self.sources = sources

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.sources:
            return None
        is_package = self.sources[fullname][0]
        origin = "<xlsales-lite>/" + fullname.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=origin, is_package=is_package)
        spec.has_location = True
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        source = self.sources[module.__name__][1]
        filename = module.__spec__.origin
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec", dont_inherit=True), module.__dict__)

    def get_source(self, fullname):
        return self.sources[fullname][1]

    def is_package(self, fullname):
        return self.sources[fullname][0]


def _install_xlsales():
    # xlwings Lite runs main.py again after each edit: drop what a previous run loaded.
    sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "_xlsales_bundle", False)]
    for name in [m for m in sys.modules if m == "xlsales" or m.startswith("xlsales.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, _XlsalesBundle(_SOURCES))


_install_xlsales()

'''


_SCRIPT = """

@script
def {function}(book: xw.Book):
    \"\"\"{title} : reconstruit les feuilles calculées à partir des feuilles de saisie.\"\"\"
    from xlsales.macros.{module} import refresh

    refresh(book)
"""


def _scripts() -> str:
    """The template buttons as xlwings Lite scripts (same work as the templates' ``main()``)."""
    from xlsales.templates import LITE_SCRIPTS, TEMPLATES

    header = "\n\n# Les boutons des modèles (templates/*.xlsm), en scripts xlwings Lite.\n"
    return header + "".join(
        _SCRIPT.format(function=LITE_SCRIPTS[name], title=TEMPLATES[name][1], module=TEMPLATES[name][0].rsplit(".", 1)[1])
        for name in sorted(TEMPLATES)
    )


def render_bundle(package_root: Path | None = None) -> dict[str, str]:
    """The bundle's files as ``{file name: text}`` (``main.py``, ``requirements.txt``)."""
    sources = bundle_sources(package_root)
    udf_names = _udf_names()
    version = ast.literal_eval(
        next(
            node.value
            for node in ast.parse(sources["xlsales"][1]).body
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets)
        )
    )
    parts = [_HEADER.format(count=len(udf_names), version=version)]
    parts.append("_SOURCES = {\n")
    for name, (is_package, source) in sources.items():
        parts.append(f"    {name!r}: (\n        {is_package!r},\n        {_string_literal(source)},\n    ),\n")
    parts.append("}\n")
    parts.append(_LOADER)
    parts.append("from xlsales.udfs import (  # noqa: E402  (the Excel functions, as members of main)\n")
    parts.extend(f"    {name},\n" for name in udf_names)
    parts.append(")\n")
    parts.append(_scripts())
    main_py = "".join(parts)

    requirements = [_xlwings_requirement()]
    for top in third_party_imports(sources):
        requirements.append(DISTRIBUTION_NAMES.get(top, top))
    return {"main.py": main_py, "requirements.txt": "\n".join(requirements) + "\n"}


def unknown_to_pyodide(requirements_txt: str) -> list[str]:
    """Requirements that are neither xlwings nor a package Pyodide ships (worth checking by hand)."""
    names = [line.split("=")[0].split("<")[0].split(">")[0].strip() for line in requirements_txt.splitlines()]
    return [n for n in names if n and n != "xlwings" and n not in PYODIDE_PACKAGES]


def default_outdir() -> Path:
    """``lite/`` at the root of the source checkout (beside ``src/``)."""
    return _PACKAGE_ROOT.parents[1] / "lite"


def write_lite_bundle(outdir: Path | str | None = None) -> list[Path]:
    """Write ``main.py`` and ``requirements.txt`` into ``outdir`` (default: ``lite/``); return the paths."""
    out = Path(outdir) if outdir is not None else default_outdir()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_bundle().items():
        path = out / name
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return written


def uncommitted_sources(package_root: Path | None = None) -> list[str]:
    """Bundled files with uncommitted changes in the git checkout (empty outside a checkout).

    The committed bundle must be generated from committed sources, or a fresh clone's sync
    test fails.
    """
    import subprocess

    root = Path(package_root or _PACKAGE_ROOT)
    paths = ([str(root / "__init__.py")] + [str(root / name) for name in BUNDLED_MODULES]
             + [str(root / sub) for sub in BUNDLED_SUBPACKAGES])
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(line[3:] for line in out.splitlines() if line.strip().endswith(".py"))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    paths = write_lite_bundle(argv[0] if argv else None)
    for path in paths:
        print(f"écrit : {path}")
    dirty = uncommitted_sources()
    if dirty:
        print(
            "attention : sources non validées (git) incluses dans le bundle : " + ", ".join(dirty),
            file=sys.stderr,
        )
    unknown = unknown_to_pyodide(paths[1].read_text(encoding="utf-8"))
    if unknown:
        print(f"attention : paquets à vérifier dans Pyodide : {', '.join(unknown)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
