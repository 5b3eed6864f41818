"""Sales files beyond Excel's row limit: totals computed with polars, a dashboard on the totals.

A sheet holds at most 1 048 576 rows. An export of ten million sales lines cannot be put in a
workbook line by line, so it is aggregated first — by year, month, rep, region, product family and
customer, the keys of every figure of the dashboard — with `polars <https://pola.rs>`_ (multi-threaded
CSV reading and grouping, in Rust). The dashboard's data sheet then holds the totals as the same
``Ventes`` table (same headers), so that the same SUMIFS work on it unchanged.

The file is checked with the very rules of :func:`xlsales.io.read_sales`: headers matched the same
way, each distinct value of a column parsed by the same functions (French numbers, dates, rates,
yes/no), the same French messages naming file, line and column, and the same line amounts
(rounded to the cent per line, as the workbook's ``ROUND`` does). Only the distinct values go
through Python; the ten million rows stay in polars.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import io as xio
from .core._vector import excel_round

__all__ = ["EXCEL_MAX_DATA_ROWS", "AGGREGATE_KEYS", "count_lines", "aggregate_sales"]

#: rows of a worksheet (1 048 576) minus the header row
EXCEL_MAX_DATA_ROWS = 1_048_575

#: the keys of the totals: every figure of the dashboard is a sum over some of them
AGGREGATE_KEYS = ("year", "month", "rep", "region", "family", "customer")

#: the columns the totals need, parsed and mapped back on every row
_NEEDED = ("date", "customer", "customer_name", "rep", "region", "family", "quantity", "unit_price", "unit_cost",
           "discount")
#: columns only checked (required text, amounts or yes/no): parsed on their distinct values
_CHECKED = ("product", "paid")

_HEAD_BYTES = 1 << 16
_CHUNK = 1 << 24


def count_lines(path: str | os.PathLike) -> int:
    """Number of lines of a text file (line breaks counted in 16 MiB chunks, ~0.3 s per GB)."""
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _utf8_text(path: Path, name: str, workdir: str) -> Path:
    """``path`` itself if it is UTF-8 (with or without BOM), else a UTF-8 copy (UTF-16, Windows-1252)."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        source = "utf-16"
    else:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return path
        except UnicodeDecodeError:
            source = "cp1252"
    copy = Path(workdir) / "utf8.csv"
    try:
        with open(path, "r", encoding=source, newline="") as src, open(copy, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
    except UnicodeDecodeError:  # bytes that Windows-1252 leaves undefined: Latin-1 reads everything
        with open(path, "r", encoding="latin-1", newline="") as src, open(copy, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
    return copy


def _head(path: Path, name: str) -> tuple[list[list[str]], list[int], str]:
    """The first records (for the header), the physical line where each ends, and the separator, as
    :mod:`xlsales.io` finds them."""
    with open(path, "rb") as fh:
        raw = fh.read(_HEAD_BYTES)
    if raw.replace(codecs.BOM_UTF8, b"").strip() == b"":
        raise xio.InputError(xio.Problem(name, "le fichier est vide"))
    if b"\x00" in raw[:4096]:
        raise xio.InputError(xio.Problem(name, "ce n'est pas un fichier texte (CSV) lisible"))
    # lines as polars counts them (skip_lines): only "\n" ends a line; a lone "\r" stays inside it (a
    # space here, for the header's sake). Records as the reader finds them: quotes respected, so a
    # header cell holding a line break spans two lines; a quote inside a value is a character.
    text = raw.decode("utf-8", errors="ignore").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", " ")
    cut = len(raw) == _HEAD_BYTES
    sep = xio._sniff_separator(text, cut)
    records = xio.preview_records(text, sep, cut)
    return [row for row, _ in records], [end for _, end in records], sep


class _DistinctContext(xio._Context):
    """The reader's problem collector, fed with distinct values: each one stands for ``counts`` rows
    and is reported at the line where it first appears."""

    def __init__(self, raw, headers, rows, counts, limits):
        super().__init__(raw, headers, rows, limits)
        self.counts = counts

    def problem(self, positions, column, message, values=None) -> None:
        positions = np.asarray(positions)
        if positions.dtype == bool:
            positions = np.flatnonzero(positions)
        before = self.total
        super().problem(positions, column, message, values)
        if self.total > before:
            self.total = before + int(np.sum(self.counts[positions]))


def _read_frame(text_path: Path, sep: str, skip: int, width: int, columns: dict[str, int], name: str):
    """The needed columns of every data row as polars strings, with the row's position."""
    import polars as pl

    names = [f"c{j}" for j in range(width)]
    try:
        lf = pl.scan_csv(
            text_path, has_header=False, separator=sep, skip_lines=skip, quote_char='"',
            schema={n: pl.String for n in names}, encoding="utf8", raise_if_empty=False,
            truncate_ragged_lines=False, empty_string_is_null=False, missing_columns="insert",
        )
        wanted = {f: names[j] for f, j in columns.items()}
        filled = pl.any_horizontal([pl.col(n).is_not_null() & (pl.col(n) != "") for n in names])
        frame = (lf.with_row_index("__i").filter(filled)
                 .select([pl.col("__i")] + [pl.col(c).fill_null("").alias(f) for f, c in wanted.items()])
                 .collect())
    except pl.exceptions.PolarsError as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise xio.InputError(xio.Problem(
            name, f"CSV illisible : une ligne n'a pas autant de valeurs que d'en-têtes (séparateur « {sep} » dans "
                  f"une valeur non protégée par des guillemets ?) [{text}]")) from None
    return frame


def aggregate_sales(path: str | os.PathLike, *, limits: xio.Limits | None = None,
                    max_bytes: int = 64 * 1024**3) -> pd.DataFrame:
    """Totals of a CSV of sales lines by year, month, rep, region, family and customer.

    Parameters
    ----------
    path : the CSV file (any size; ``;`` or ``,``, UTF-8, UTF-16 or Windows-1252, French numbers).
    limits : how many problems an :class:`~xlsales.io.InputError` lists.
    max_bytes : largest file accepted.

    Returns
    -------
    DataFrame with ``year``, ``month``, ``rep``, ``region``, ``family``, ``customer``,
    ``customer_name`` (the name on the customer's first line), ``lines`` (number of sales lines),
    ``quantity``, ``revenue`` (Σ line amounts q × price × (1 − discount), each rounded to the cent),
    ``cost`` (Σ q × unit cost, rounded per line), ``margin``; sorted by the keys. ``attrs``:
    ``source`` (file name), ``lines`` (data lines read), ``aggregated`` (True).

    Raises
    ------
    InputError
        As :func:`xlsales.io.read_sales` for the same file: missing or duplicate columns, values
        that do not parse (file, line, column), empty file, unreadable CSV.
    """
    import polars as pl

    limits = limits or xio.DEFAULT_LIMITS
    p = Path(path)
    name = p.name
    if not p.exists():
        raise xio.InputError(xio.Problem(name, f"fichier introuvable ({p})"))
    if p.is_dir():
        raise xio.InputError(xio.Problem(name, "c'est un dossier, pas un fichier"))
    size = p.stat().st_size
    if size > max_bytes:
        raise xio.InputError(xio.Problem(name, f"fichier trop volumineux ({size / 1e9:.1f} Go ; limite {max_bytes / 1e9:.0f} Go)"))
    with tempfile.TemporaryDirectory(prefix="xlsales-big-") as workdir:
        text_path = _utf8_text(p, name, workdir)
        preview, line_ends, sep = _head(text_path, name)
        h = xio._find_header(preview, xio.SALES)
        if h < 0:
            raise xio.InputError(xio.Problem(name, "le fichier est vide"))
        raw = xio._Raw(name, pd.DataFrame(), 1, None, True)
        mapping, headers, _ = xio._map_headers(preview[h], xio.SALES, raw, h + 1)
        present = {f: j for f, j in mapping.items() if f in _NEEDED + _CHECKED}
        frame = _read_frame(text_path, sep, line_ends[h], len(preview[h]), present, name)
    if frame.height == 0:
        raise xio.InputError(xio.Problem(name, "aucune ligne de données sous les en-têtes"))
    first_line = h + 2  # line of the file of the first data row
    positions = frame["__i"].to_numpy()

    # each column → distinct values (in order of first appearance) and one code per row
    parsed: dict[str, np.ndarray] = {}
    codes: dict[str, np.ndarray] = {}
    found, total = [], 0
    order = {c.name: i for i, c in enumerate(xio.SALES.columns)}
    for column in xio.SALES.columns:
        f = column.name
        if f not in present:
            continue
        distinct = frame[f].unique(maintain_order=True)
        code = frame[f].replace_strict(distinct, pl.int_range(len(distinct), eager=True, dtype=pl.UInt32),
                                       return_dtype=pl.UInt32).to_numpy()
        ctx = _DistinctContext(raw, headers, _FirstLines(code, positions, first_line), _Counts(code), limits)
        ctx.col_order = order
        values = _parse_column(distinct.to_numpy().astype(object), column, ctx)
        found += ctx.found
        total += ctx.total
        if f in _NEEDED:
            parsed[f], codes[f] = values, code
    if found:
        found.sort(key=lambda t: (t[0], t[1]))
        raise xio.InputError([q for _, _, q in found[: limits.max_errors]], total)
    del frame

    n = len(positions)

    def numbers(f: str) -> np.ndarray:  # an empty cell counts as 0 in the workbook's formulas
        if f not in parsed:
            return np.zeros(n)
        return np.nan_to_num(np.asarray(parsed[f], dtype=float), nan=0.0)[codes[f]]

    q = numbers("quantity")
    revenue = excel_round(q * numbers("unit_price") * (1.0 - numbers("discount")))
    cost = excel_round(q * numbers("unit_cost"))
    dates = pd.DatetimeIndex(parsed["date"])
    keys = {"year": dates.year.to_numpy().astype(np.int32)[codes["date"]],
            "month": dates.month.to_numpy().astype(np.int32)[codes["date"]]}
    texts = {}
    for f in ("rep", "region", "family", "customer", "customer_name"):
        if f in parsed:
            texts[f] = np.asarray(pd.Series(parsed[f], dtype=object).where(pd.notna(parsed[f]), None), dtype=object)
            keys[f] = codes[f].astype(np.int64)
        else:
            texts[f] = np.array([None], dtype=object)
            keys[f] = np.zeros(n, np.int64)
    lines = pl.DataFrame({**{k: keys[k] for k in AGGREGATE_KEYS}, "quantity": q, "revenue": revenue, "cost": cost})
    totals = (lines.group_by(list(AGGREGATE_KEYS))
              .agg(pl.len().alias("lines"), pl.col("quantity").sum(), pl.col("revenue").sum(), pl.col("cost").sum()))
    # the customer's name is the one on its first line
    customer = keys["customer"]
    first_of_customer = np.full(int(customer.max()) + 1, -1, np.int64)
    first_of_customer[customer[::-1]] = np.arange(n - 1, -1, -1)
    name_code = keys["customer_name"][first_of_customer]
    out = pd.DataFrame({
        "year": totals["year"].to_numpy().astype(np.int64),
        "month": totals["month"].to_numpy().astype(np.int64),
        **{f: xio.text_series(texts[f][totals[f].to_numpy()]) for f in ("rep", "region", "family", "customer")},
    })
    out["customer_name"] = xio.text_series(texts["customer_name"][name_code[totals["customer"].to_numpy()]])
    out["lines"] = totals["lines"].to_numpy().astype(np.int64)
    out["quantity"] = totals["quantity"].to_numpy()
    out["revenue"] = excel_round(totals["revenue"].to_numpy())
    out["cost"] = excel_round(totals["cost"].to_numpy())
    out["margin"] = excel_round(out["revenue"].to_numpy() - out["cost"].to_numpy())
    out = out.sort_values(list(AGGREGATE_KEYS), kind="stable", na_position="first").reset_index(drop=True)
    out.attrs.update(source=name, lines=n, aggregated=True, headers=dict(headers))
    return out


class _FirstLines:
    """Line of the file where each distinct value first appears (computed when a problem needs it)."""

    def __init__(self, codes: np.ndarray, positions: np.ndarray, first_line: int):
        self.codes, self.positions, self.first_line = codes, positions, first_line

    def __getitem__(self, k) -> int:
        return self.first_line + int(self.positions[int(np.argmax(self.codes == k))])


class _Counts:
    """How many rows hold each distinct value (counted when a problem needs it)."""

    def __init__(self, codes: np.ndarray):
        self.codes, self._counts = codes, None

    def __getitem__(self, k):
        if self._counts is None:
            self._counts = np.bincount(self.codes)
        return self._counts[k]


def _parse_column(values: np.ndarray, column, ctx) -> Any:
    return xio._parse_column(values, column, ctx, present=True)
