"""Pseudonymisation (RGPD): names, e-mails and phone numbers replaced by stable pseudonyms.

A pseudonym is derived from the value with a keyed hash (HMAC-SHA256): the same value and the same
key always give the same pseudonym, in every file (a rep keeps the same pseudonym in the sales
lines and in the team file, so the files still join); another key gives other pseudonyms; without
the key, pseudonyms cannot be recomputed from a list of names. Keep the key secret and keep it to
pseudonymise later files the same way.

* names: ``Personne-7F3A2C``;
* e-mails: ``p-7f3a2c@exemple.invalid`` (a reserved domain: nothing can be sent there);
* phones: ``+33 6 00 12 34 56`` (digits from the hash).

Values are compared once normalised (case and spaces for names, case for e-mails, digits and the
+33 prefix for phones): « Élodie  Guérin » and « élodie guérin » get the same pseudonym, and so do
« 03 53 01 14 24 » and « +33 3 53 01 14 24 ». A value that already is a pseudonym is left as is
(pseudonymising a file twice changes nothing).

Which columns? Headers are matched (without case or accents) against the aliases of
:data:`NAME_HEADERS`, :data:`EMAIL_HEADERS` and :data:`PHONE_HEADERS`; any other column whose
filled cells are at least 80 % e-mail addresses or French phone numbers is taken too. Company
names (partner, customer name) are not personal data and stay.

:func:`pseudonymize_file` writes a copy of a CSV file (separator, encoding, BOM, quoting, line
ends and every other cell kept byte for byte) or of a workbook (every sheet; formulas and the
other cells kept), all at once (:func:`xlsales.io.atomic_write`); the original is never written.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import io as xio

__all__ = [
    "EMAIL_HEADERS",
    "KEY_ENV",
    "KINDS",
    "NAME_HEADERS",
    "PHONE_HEADERS",
    "PseudonymizationReport",
    "Pseudonymizer",
    "detect_kind",
    "pseudonym",
    "pseudonymize_file",
    "pseudonymize_frame",
    "resolve_key",
]

#: environment variable holding the key when none is given (``xlsales pseudonymize --key``)
KEY_ENV = "XLSALES_PSEUDO_KEY"
KINDS = ("name", "email", "phone")
MIN_KEY_LENGTH = 8

#: headers of columns of people's names (normalised: no case, accents or punctuation)
NAME_HEADERS = frozenset({
    "nom", "prenom", "nom prenom", "prenom nom", "nom complet", "nom et prenom", "prenom et nom", "contact",
    "nom du contact", "nom contact", "interlocuteur", "candidat", "candidate", "commercial", "vendeur", "representant",
    "sales rep", "rep", "salarie", "collaborateur", "employe", "employee", "manager", "responsable", "chef des ventes",
    "n 1", "tuteur", "name", "full name", "first name", "last name", "surname", "person", "personne",
})
#: headers of e-mail columns
EMAIL_HEADERS = frozenset({
    "email", "e mail", "courriel", "mail", "adresse e mail", "adresse email", "adresse mail", "adresse courriel",
    "email address", "e mail address",
})
#: headers of phone columns
PHONE_HEADERS = frozenset({
    "telephone", "tel", "phone", "mobile", "portable", "gsm", "telephone mobile", "telephone portable",
    "telephone fixe", "tel mobile", "tel portable", "tel fixe", "numero de telephone", "n telephone", "n tel",
    "phone number", "mobile phone", "fax",
})
_HEADER_KINDS = {**{h: "name" for h in NAME_HEADERS}, **{h: "email" for h in EMAIL_HEADERS},
                 **{h: "phone" for h in PHONE_HEADERS}}

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^(?:(?:\+|00)33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}$")
_PSEUDONYMS = {
    "name": re.compile(r"^Personne-[0-9A-F]{6}$"),
    "email": re.compile(r"^p-[0-9a-f]{6}@exemple\.invalid$"),
    "phone": re.compile(r"^\+33 6 00 \d{2} \d{2} \d{2}$"),
}
_CONTENT_SHARE = 0.8


# ------------------------------------------------------------------------------------------------
# keys and pseudonyms
# ------------------------------------------------------------------------------------------------

def resolve_key(key: str | bytes | None = None) -> bytes:
    """The pseudonymisation key: ``key`` when given, else the environment variable ``XLSALES_PSEUDO_KEY``.

    Raises
    ------
    ValueError
        No key, or a key shorter than 8 characters (a short key lets anyone who guesses it
        recompute the pseudonyms of a list of names).
    """
    if key is None:
        key = os.environ.get(KEY_ENV)
    if key is None or (isinstance(key, (str, bytes)) and not key.strip()):
        raise ValueError(f"clé de pseudonymisation manquante : donnez-la avec --key ou dans la variable "
                         f"d'environnement {KEY_ENV} (gardez-la secrète et réutilisez-la pour les fichiers suivants)")
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_KEY_LENGTH:
        raise ValueError(f"clé de pseudonymisation trop courte ({len(raw)} caractères) : {MIN_KEY_LENGTH} au minimum, "
                         "une phrase secrète de 16 caractères ou plus de préférence")
    return raw


def _normalise(value: Any, kind: str) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    if kind == "email":
        return text.casefold()
    if kind == "phone":
        digits = re.sub(r"\D", "", text)
        if digits.startswith("0033"):
            digits = "0" + digits[4:]
        elif text.startswith("+") and digits.startswith("33"):
            digits = "0" + digits[2:]
        if digits.startswith("00") and len(digits) == 11:  # +33 (0)6 …
            digits = digits[1:]
        if len(digits) == 9 and not digits.startswith("0"):  # a number that lost its leading zero
            digits = "0" + digits
        return digits
    return " ".join(text.casefold().split())


def pseudonym(value: Any, kind: str, key: str | bytes) -> str:
    """The pseudonym of one value.

    Parameters
    ----------
    value : str or number
        A name, an e-mail address or a phone number.
    kind : {"name", "email", "phone"}
    key : str or bytes
        The secret key (see :func:`resolve_key`).

    Returns
    -------
    str
        ``Personne-XXXXXX``, ``p-xxxxxx@exemple.invalid`` or ``+33 6 00 xx xx xx``.

    Notes
    -----
    h = HMAC-SHA256(key, kind ‖ 0x1F ‖ normalised value); the first 6 hexadecimal digits of h name
    the person; the phone digits are the first 8 hexadecimal digits of h taken modulo 10⁶.

    Examples
    --------
    >>> pseudonym("Élodie Guérin", "name", "clé-de-démonstration") == pseudonym(" élodie  GUÉRIN", "name", "clé-de-démonstration")
    True
    >>> pseudonym("elodie.guerin@hydrofluid.fr", "email", "clé-de-démonstration").endswith("@exemple.invalid")
    True
    >>> pseudonym("03 53 01 14 24", "phone", "clé-de-démonstration") == pseudonym("+33 3 53 01 14 24", "phone", "clé-de-démonstration")
    True
    """
    if kind not in KINDS:
        raise ValueError(f"type de donnée inconnu : {kind!r} (name, email ou phone)")
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    digest = hmac.new(raw, f"{kind}\x1f{_normalise(value, kind)}".encode(), hashlib.sha256).hexdigest()
    if kind == "name":
        return "Personne-" + digest[:6].upper()
    if kind == "email":
        return f"p-{digest[:6]}@exemple.invalid"
    digits = f"{int(digest[:8], 16) % 10**6:06d}"
    return f"+33 6 00 {digits[:2]} {digits[2:4]} {digits[4:]}"


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class Pseudonymizer:
    """Pseudonyms of one run: a cache, and the pseudonyms given to different values (collisions)."""

    def __init__(self, key: str | bytes | None):
        self.key = resolve_key(key)
        self._cache: dict[tuple[str, str], str] = {}
        self._origin: dict[str, str] = {}
        self.collisions: set[str] = set()
        self.replaced = 0

    def __call__(self, value: Any, kind: str) -> Any:
        """The pseudonym of ``value`` (empty values and pseudonyms are returned unchanged)."""
        if _is_empty(value) or isinstance(value, bool):
            return value
        if isinstance(value, str) and _PSEUDONYMS[kind].match(value.strip()):
            return value
        norm = _normalise(value, kind)
        cached = self._cache.get((kind, norm))
        if cached is None:
            cached = pseudonym(value, kind, self.key)
            self._cache[(kind, norm)] = cached
            first = self._origin.setdefault(cached, norm)
            if first != norm:
                self.collisions.add(cached)
        self.replaced += 1
        return cached


# ------------------------------------------------------------------------------------------------
# which columns
# ------------------------------------------------------------------------------------------------

def _content_kind(values: Iterable[Any]) -> str | None:
    texts = [str(v).strip() for v in values if not _is_empty(v) and isinstance(v, str)]
    if not texts:
        return None
    for kind, pattern in (("email", _EMAIL), ("phone", _PHONE)):
        hits = sum(1 for t in texts if pattern.match(t))
        if hits and hits >= _CONTENT_SHARE * len(texts):
            return kind
    return None


def detect_kind(header: Any, values: Iterable[Any] = ()) -> str | None:
    """The kind of personal data of a column: by its header, else by its content.

    >>> detect_kind("Nom du contact"), detect_kind("Tél."), detect_kind("Courriel"), detect_kind("Raison sociale")
    ('name', 'phone', 'email', None)
    >>> detect_kind("Colonne 7", ["a.b@c.fr", "d@e.com", ""]), detect_kind("Réf", ["06 12 34 56 78"])
    ('email', 'phone')
    """
    kind = _HEADER_KINDS.get(xio.normalize_header(header))
    return kind or _content_kind(values)


def _explicit(columns: Sequence[Any] | Mapping[Any, str], headers: list[Any], values_of) -> dict[Any, str]:
    missing = [c for c in columns if c not in headers]
    if missing:
        raise ValueError("colonne(s) introuvable(s) : " + ", ".join(f"« {c} »" for c in missing))
    if isinstance(columns, Mapping):
        out = {}
        for c, kind in columns.items():
            if kind not in KINDS:
                raise ValueError(f"type de donnée inconnu pour « {c} » : {kind!r} (name, email ou phone)")
            out[c] = kind
    else:
        out = {c: detect_kind(c, values_of(c)) or "name" for c in columns}
    return out


# ------------------------------------------------------------------------------------------------
# frames
# ------------------------------------------------------------------------------------------------

def pseudonymize_frame(df: pd.DataFrame, key: str | bytes | None,
                       columns: Sequence[Any] | Mapping[Any, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with the names, e-mails and phone numbers replaced by pseudonyms.

    Parameters
    ----------
    df : DataFrame
        Any table (read by :mod:`xlsales.io` or not).
    key : str or bytes, optional
        The secret key; None: the environment variable ``XLSALES_PSEUDO_KEY``.
    columns : list of column names, or mapping column → kind, optional
        The columns to pseudonymise (kind "name", "email" or "phone"; for a list, the kind is
        detected, "name" by default). Default: every column detected (:func:`detect_kind`).

    Returns
    -------
    DataFrame
        Same shape, index and other columns; ``attrs["pseudonymized"]`` maps each column changed
        to its kind, ``attrs["collisions"]`` counts pseudonyms shared by different values.

    Examples
    --------
    >>> frame = pd.DataFrame({"Contact": ["Anne Roy", "anne roy", None], "CA": [10.0, 20.0, 30.0]})
    >>> out = pseudonymize_frame(frame, "clé-de-démonstration")
    >>> out["Contact"].iloc[0] == out["Contact"].iloc[1], out["Contact"].iloc[0].startswith("Personne-")
    (True, True)
    >>> out["CA"].tolist(), pd.isna(out["Contact"].iloc[2]), out.attrs["pseudonymized"]
    ([10.0, 20.0, 30.0], True, {'Contact': 'name'})
    """
    run = Pseudonymizer(key)
    headers = list(df.columns)
    if columns is None:
        kinds = {c: k for c in headers if (k := detect_kind(c, df[c].tolist())) is not None}
    else:
        kinds = _explicit(columns, headers, lambda c: df[c].tolist())
    out = df.copy()
    for c, kind in kinds.items():
        values = [run(v, kind) for v in df[c].tolist()]
        out[c] = pd.Series(values, index=df.index, dtype=object)
    out.attrs = dict(df.attrs)
    out.attrs["pseudonymized"] = dict(kinds)
    out.attrs["collisions"] = len(run.collisions)
    return out


# ------------------------------------------------------------------------------------------------
# files
# ------------------------------------------------------------------------------------------------

@dataclass
class PseudonymizationReport:
    """What :func:`pseudonymize_file` did.

    path : the file written.
    columns : sheet name (None for a CSV file) → {header: kind} of the columns pseudonymised.
    cells : how many cells were replaced.
    collisions : how many pseudonyms were given to more than one value (0 expected; 6 hexadecimal
        digits leave about one chance in 3 000 of a collision among 100 people).
    notes : warnings (parts of a workbook that the copy does not keep…).
    """

    path: Path
    columns: dict[str | None, dict[str, str]] = field(default_factory=dict)
    cells: int = 0
    collisions: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Field:
    start: int
    end: int
    quoted: bool
    value: str


def _split_csv(text: str, sep: str, name: str) -> list[list[_Field]]:
    """Records of a CSV text with the span of each field (RFC 4180 quoting, any line end)."""
    quoted = re.compile(r'"((?:[^"]|"")*)"', re.DOTALL)
    plain = re.compile(f"[^{re.escape(sep)}\r\n]*")
    records: list[list[_Field]] = []
    fields: list[_Field] = []
    pos, n, line = 0, len(text), 1
    while pos < n:
        if text[pos] == '"':
            m = quoted.match(text, pos)
            if m is None:
                raise xio.InputError(xio.Problem(name, "guillemet ouvrant sans guillemet fermant", row=line))
            rest = plain.match(text, m.end())
            fields.append(_Field(pos, rest.end(), True, m.group(1).replace('""', '"') + rest.group()))
            line += m.group(0).count("\n")
            pos = rest.end()
        else:
            m = plain.match(text, pos)
            fields.append(_Field(pos, m.end(), False, m.group()))
            pos = m.end()
        if pos >= n:
            break
        if text[pos] == sep:
            pos += 1
            if pos == n:
                fields.append(_Field(n, n, False, ""))
            continue
        pos += 2 if text.startswith("\r\n", pos) else 1
        records.append(fields)
        fields = []
        line += 1
    if fields:
        records.append(fields)
    return records


def _header_index(rows: list[list[Any]]) -> int:
    """The header row: the first of the first 30 rows with a personal-data header, else the first filled row."""
    for i, row in enumerate(rows[:30]):
        if any(_HEADER_KINDS.get(xio.normalize_header(v)) for v in row if isinstance(v, str)):
            return i
    for i, row in enumerate(rows):
        if any(not _is_empty(v) for v in row):
            return i
    return -1


def _columns_of(rows: list[list[Any]], h: int, columns) -> dict[int, str]:
    header = rows[h]
    width = max((len(r) for r in rows), default=0)
    names = [header[j] if j < len(header) else None for j in range(width)]

    def values(j: int) -> list[Any]:
        return [r[j] for r in rows[h + 1:] if j < len(r)]

    if columns is not None:
        labels = [str(v).strip() if v is not None else "" for v in names]
        chosen = _explicit(columns, labels, lambda c: values(labels.index(c)))
        return {labels.index(c): kind for c, kind in chosen.items()}
    out = {}
    for j, head in enumerate(names):
        kind = detect_kind(head if isinstance(head, str) else "", values(j))
        if kind:
            out[j] = kind
    return out


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _pseudonymize_csv(src: Path, run: Pseudonymizer, columns, name: str) -> tuple[bytes, dict[str, str]]:
    raw = src.read_bytes()
    if raw.replace(codecs.BOM_UTF8, b"").strip() == b"":
        raise xio.InputError(xio.Problem(name, "le fichier est vide"))
    bom, codec = b"", None
    for mark, enc in _BOMS:
        if raw.startswith(mark):
            bom, codec = mark, enc
            break
    if codec is None:
        if b"\x00" in raw[:4096]:
            raise xio.InputError(xio.Problem(name, "ce n'est pas un fichier texte (CSV) lisible"))
        codec = xio._detect_encoding(raw)
    try:
        text = raw[len(bom):].decode(codec)
    except UnicodeDecodeError:
        raise xio.InputError(xio.Problem(name, "encodage des caractères non reconnu (enregistrez en CSV UTF-8)")) from None
    sep = xio._sniff_separator(text[:65536], cut=len(text) > 65536)
    records = _split_csv(text, sep, name)
    rows = [[f.value for f in rec] for rec in records]
    h = _header_index(rows)
    if h < 0:
        raise xio.InputError(xio.Problem(name, "le fichier est vide"))
    kinds = _columns_of(rows, h, columns)
    edits = []
    for rec in records[h + 1:]:
        for j, kind in kinds.items():
            if j >= len(rec):
                continue
            f = rec[j]
            new = run(f.value, kind)
            if new == f.value:
                continue
            if f.quoted or any(ch in new for ch in (sep, '"', "\n", "\r")):
                new = '"' + new.replace('"', '""') + '"'
            edits.append((f.start, f.end, new))
    parts, last = [], 0
    for start, end, new in edits:
        parts.append(text[last:start])
        parts.append(new)
        last = end
    parts.append(text[last:])
    try:
        data = bom + "".join(parts).encode(codec)
    except UnicodeEncodeError:  # pragma: no cover - pseudonyms are ASCII
        raise xio.InputError(xio.Problem(name, "impossible de réécrire le fichier dans son encodage")) from None
    header = rows[h]
    return data, {(str(header[j]).strip() if j < len(header) and header[j] is not None else f"colonne {j + 1}"): kind
                  for j, kind in kinds.items()}


def _pseudonymize_book(src: Path, run: Pseudonymizer, columns, name: str, notes: list[str]):
    import openpyxl

    xio._check_xlsx(src, xio.DEFAULT_LIMITS, name)
    with zipfile.ZipFile(src) as archive:
        parts = archive.namelist()
    if any(p.startswith(("xl/drawings/", "xl/charts/", "xl/media/")) for p in parts):
        notes.append("les graphiques, images et formes du classeur ne sont pas recopiés (cellules, formules, "
                     "formats, tableaux et validations le sont)")
    if any(p.startswith("xl/pivotTables/") for p in parts):
        notes.append("les tableaux croisés dynamiques ne sont pas recopiés")
    try:
        book = openpyxl.load_workbook(src, keep_vba=src.suffix.lower() in (".xlsm", ".xltm"), keep_links=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of errors on damaged files
        raise xio.InputError(xio.Problem(name, f"classeur illisible ({type(exc).__name__} : {exc})")) from None
    found: dict[str | None, dict[str, str]] = {}
    for ws in book.worksheets:
        cells = [list(row) for row in ws.iter_rows()]
        if not cells:
            continue
        rows = [[None if (isinstance(c.value, str) and c.value.startswith("=")) else c.value for c in row]
                for row in cells]
        h = _header_index(rows)
        if h < 0:
            continue
        try:
            kinds = _columns_of(rows, h, columns)
        except ValueError:
            if columns is not None:
                continue  # the columns asked for are on another sheet
            raise
        for row in cells[h + 1:]:
            for j, kind in kinds.items():
                if j >= len(row):
                    continue
                cell = row[j]
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue  # a formula stays a formula
                new = run(cell.value, kind)
                if new is not cell.value and new != cell.value:
                    cell.value = new
                    cell.data_type = "s"
        if kinds:
            header = rows[h]
            found[ws.title] = {(str(header[j]).strip() if j < len(header) and header[j] is not None
                                else f"colonne {j + 1}"): kind for j, kind in kinds.items()}
    if columns is not None and not found:
        raise ValueError("colonne(s) introuvable(s) dans les feuilles du classeur : "
                         + ", ".join(f"« {c} »" for c in columns))
    return book, found


def pseudonymize_file(path: str | os.PathLike, out: str | os.PathLike, key: str | bytes | None = None,
                      force: bool = False, *, columns: Sequence[str] | Mapping[str, str] | None = None
                      ) -> PseudonymizationReport:
    """Write a copy of an input file with names, e-mails and phones replaced by stable pseudonyms.

    This is ``xlsales pseudonymize FILE -o OUT [--key KEY] [--force]``.

    Parameters
    ----------
    path : path
        A CSV file (any separator, UTF-8 with or without BOM, UTF-16, Windows-1252) or a workbook
        (.xlsx, .xlsm).
    out : path
        The copy to write: same format as ``path`` (a CSV for a CSV, a workbook for a workbook),
        never ``path`` itself.
    key : str or bytes, optional
        The secret key (at least 8 characters); None: the environment variable
        ``XLSALES_PSEUDO_KEY``. The same key gives the same pseudonyms in every file.
    force : bool
        Replace ``out`` if it exists (never ``path``).
    columns : list of headers, or mapping header → kind, optional
        Columns to pseudonymise instead of those detected.

    Returns
    -------
    PseudonymizationReport

    Notes
    -----
    CSV: only the fields of the personal columns change; separator, encoding, BOM, quoting, line
    ends, decimal formats and every other field are kept byte for byte. Workbook: every sheet is
    read (header row found among the first 30 rows), formulas and other cells are kept; charts,
    images and pivot tables are not copied (listed in ``notes``). The copy is written to a
    temporary file and then moved into place: no half-written file is ever left. A phone pseudonym
    starts with « + »: a CSV opened directly in Excel may take it for a formula; import the file
    (Données > À partir d'un fichier texte) or read it with xlsales.

    Raises
    ------
    InputError
        ``path`` missing, empty, unreadable or damaged (French message naming the file).
    ValueError
        No key or a key too short, ``out`` is ``path``, ``out`` of another format, columns not found.
    OutputExistsError
        ``out`` exists and ``force`` is not set.
    """
    src, dst = Path(path), Path(out)
    name = src.name
    if not src.exists():
        raise xio.InputError(xio.Problem(name, f"fichier introuvable ({src})"))
    if src.is_dir():
        raise xio.InputError(xio.Problem(name, "c'est un dossier, pas un fichier"))
    if dst.exists() and os.path.samefile(src, dst) or dst.resolve() == src.resolve():
        raise ValueError(f"{dst} est le fichier d'origine : choisissez un autre nom de sortie (l'original n'est "
                         "jamais modifié)")
    with open(src, "rb") as fh:
        magic = fh.read(4)
    book_suffixes = (".xlsx", ".xlsm", ".xltx", ".xltm")
    is_book = src.suffix.lower() in book_suffixes or magic.startswith(b"PK\x03\x04")
    if src.suffix.lower() in (".xls", ".xlsb", ".ods", ".numbers") and not is_book:
        raise xio.InputError(xio.Problem(name, "format non pris en charge : enregistrez le fichier en .xlsx ou en CSV"))
    if is_book != (dst.suffix.lower() in book_suffixes):
        wanted = "un classeur (.xlsx ou .xlsm)" if is_book else "un fichier CSV (.csv ou .txt)"
        raise ValueError(f"{dst.name} : la copie de {name} doit être {wanted}")
    run = Pseudonymizer(key)
    report = PseudonymizationReport(dst)
    if is_book:
        book, report.columns = _pseudonymize_book(src, run, columns, name, report.notes)
        xio.atomic_write(dst, book.save, force=force)
    else:
        data, found = _pseudonymize_csv(src, run, columns, name)
        report.columns = {None: found}
        xio.atomic_write(dst, lambda tmp: tmp.write_bytes(data), force=force)
    report.cells = run.replaced
    report.collisions = len(run.collisions)
    return report
