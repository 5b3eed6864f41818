"""Fuzzing the sales reader: whatever the bytes, ``read_sales`` returns a frame that satisfies the
schema or raises :class:`~xlsales.io.InputError` — never another exception; the large-file path
(:func:`xlsales.bigdata.aggregate_sales`) agrees with it; and a frame written with
:func:`~xlsales.io.write_table` reads back equal."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xlsales import io as xio
from xlsales.bigdata import aggregate_sales
from xlsales.core._vector import excel_round

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
TEXT_COLUMNS = ["invoice", "customer", "customer_name", "rep", "region", "channel", "product", "family"]

HEADERS = {
    "date": ["Date facture", "date", "DATE", "Date de facture"],
    "invoice": ["N° facture", "facture"],
    "customer": ["Code client", "client", "Client"],
    "customer_name": ["Raison sociale", "nom client"],
    "rep": ["Commercial", "vendeur", "Représentant"],
    "region": ["Région", "secteur"],
    "channel": ["Canal"],
    "product": ["Référence", "produit", "Article"],
    "family": ["Famille", "gamme"],
    "quantity": ["Quantité", "qté", "Qty"],
    "unit_price": ["Prix unitaire HT", "PU HT", "pu"],
    "unit_cost": ["Coût unitaire", "prix d'achat HT"],
    "discount": ["Remise", "remise %"],
    "paid": ["Payé", "encaissé"],
}

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**20, 10**20).map(str),
    st.decimals(-10**9, 10**9, places=2, allow_nan=False).map(lambda d: f"{d:,.2f}".replace(",", " ").replace(".", ",")),
    st.sampled_from(["", " ", "1 234,50", "12 %", "15,5 €", "-3", "1e308", "1e-320", "--1", "1,2,3", "1.234,5", "abc",
                     "0", "−5", "\u00a01\u202f000", "NaN", "inf", "١٢"]),
)
dates = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.isoformat()),
    st.integers(-10, 100_000).map(str),
    st.sampled_from(["", "31/02/2026", "2026-13-01", "hier", "01/01/10000", "0", "1/1/26", "2026-03-01T12:00"]),
)
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.sampled_from(["=1+1", "+1+1", "-2+3", "@SUM(1+1)", '"', '""', "a;b", "a,b", "\n", "\r", "é", "Œuvre", "NA"]),
)
rates = st.one_of(numbers, st.sampled_from(["5 %", "0,05", "150 %", "12,5%", "1", "0,5"]))
paid = st.one_of(numbers, st.sampled_from(["oui", "non", "OUI", "yes", "1", "0", "vrai", "peut-être"]))
CELLS = {"date": dates, "quantity": numbers, "unit_price": numbers, "unit_cost": numbers, "discount": rates, "paid": paid}
amounts = st.one_of(
    st.integers(0, 10**9).map(lambda c: f"{c / 100:,.2f}".replace(",", " ").replace(".", ",")),
    st.floats(0, 1e12, allow_nan=False).map(repr),
    st.integers(0, 10**6).map(str),
)
GOOD_CELLS = {
    "date": st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    "quantity": st.one_of(amounts, st.integers(-1000, 1000).map(str)),
    "unit_price": amounts, "unit_cost": amounts,
    "discount": st.one_of(st.integers(0, 100).map(lambda k: f"{k} %"), st.integers(0, 100).map(lambda k: f"0,{k:02d}")),
    "paid": st.sampled_from(["oui", "non", "12,50", ""]),
}
good_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10).filter(str.strip)
REQUIRED = ["date", "customer", "rep", "product", "quantity", "unit_price"]


@st.composite
def csv_files(draw) -> bytes:
    """A CSV that looks like a sales export, with random headers, values, separator and encoding."""
    valid = draw(st.booleans())  # mostly well-formed (with a few bad cells) or anything
    if valid:
        fields = REQUIRED + draw(st.lists(st.sampled_from([f for f in HEADERS if f not in REQUIRED]), unique=True))
        fields = draw(st.permutations(fields))
    else:
        fields = draw(st.lists(st.sampled_from(list(HEADERS)), min_size=1, max_size=16))
    header = [draw(st.sampled_from(HEADERS[f])) for f in fields]
    if draw(st.booleans()):
        header.append(draw(texts))  # an extra column
        fields.append("extra")
    sep = draw(st.sampled_from([";", ",", "\t", "|"]))
    n = draw(st.integers(0, 8))
    if valid:
        rows = [[draw(GOOD_CELLS.get(f, good_text)) if draw(st.integers(0, 30)) else draw(CELLS.get(f, texts))
                 for f in fields] for _ in range(n)]
    else:
        rows = [[draw(CELLS.get(f, texts)) for f in fields] for _ in range(n)]
    if rows and draw(st.integers(0, 4)) == 0:  # a ragged row
        rows[-1] = rows[-1][: draw(st.integers(0, len(fields)))] + draw(st.lists(texts, max_size=2))

    def field(value: str) -> str:
        if any(ch in value for ch in (sep, '"', "\n", "\r")) or draw(st.booleans()):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [sep.join(field(v) for v in row) for row in [header] + rows]
    if draw(st.booleans()):
        lines.insert(0, "Export du " + draw(texts))  # a title line above the headers
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _check_frame(df: pd.DataFrame) -> None:
    """The schema's promises on a frame returned by read_sales."""
    assert list(df.columns[: len(xio.SALES.output_columns)]) == xio.SALES.output_columns
    assert len(df) > 0
    assert df["date"].dtype.kind == "M" and not df["date"].isna().any()
    for f in ("customer", "rep", "product"):
        assert df[f].notna().all() and (df[f].astype(str).str.strip() != "").all()
    for f in ("quantity", "unit_price", "unit_cost", "discount", "revenue", "margin"):
        assert df[f].dtype.kind == "f"
    assert np.isfinite(df["quantity"]).all() and np.isfinite(df["unit_price"]).all()
    assert (df["unit_price"] >= 0).all()
    d = df["discount"].to_numpy()
    assert ((d >= 0) & (d <= 1) | np.isnan(d)).all()
    expected = excel_round(df.quantity * df.unit_price * (1 - np.nan_to_num(d)))
    np.testing.assert_array_equal(df["revenue"].to_numpy(), np.asarray(expected))


def _read(path):
    try:
        return xio.read_sales(path), None
    except xio.InputError as error:
        assert str(error) and error.problems and error.file == path.name
        return None, error


@FUZZ
@given(raw=st.binary(max_size=600))
def test_random_bytes_give_a_frame_or_an_input_error(raw, tmp_path):
    path = tmp_path / "ventes.csv"
    path.write_bytes(raw)
    frame, _ = _read(path)
    if frame is not None:
        _check_frame(frame)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes_named_xlsx_give_an_input_error(raw, tmp_path):
    path = tmp_path / "ventes.xlsx"
    path.write_bytes(b"PK\x03\x04" + raw if raw[:1] == b"P" else raw)
    frame, error = _read(path)
    assert frame is None and error is not None


@FUZZ
@given(raw=csv_files())
# found by random runs: a product code made of a quoted line break was taken for a value
@example(raw=b'Date facture|Code client|Commercial|Canal|R\xc3\xa9f\xc3\xa9rence|Prix unitaire HT|N\xc2\xb0 facture|'
             b'Raison sociale|R\xc3\xa9gion|Quantit\xc3\xa9|Famille|Co\xc3\xbbt unitaire\n'
             b'01/01/2000|0|0|0|0|0.0|0|0|0|0.0||0.0\n1|0|0|0|"\n"|0.0||"|"|"|"|0.0||0.0')
def test_export_like_files_give_a_frame_or_an_input_error(raw, tmp_path):
    path = tmp_path / "ventes.csv"
    path.write_bytes(raw)
    frame, _ = _read(path)
    if frame is not None:
        _check_frame(frame)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=csv_files())
# found by a random run: a carriage return inside quotes made the separator sniffing raise csv.Error
@example(raw=b'Date facture;N\xc2\xb0 facture;N\xc2\xb0 facture;N\xc2\xb0 facture\n01/01/2000;;;\n01/01/2000;;"""";"\r"')
# … and a form feed in the title line moved the header for one reader and not the other
@example(raw=b'Export du \x0c\nRemise;R\xc3\xa9f\xc3\xa9rence;Co\xc3\xbbt unitaire;Commercial;Raison sociale;N\xc2\xb0 facture;'
             b'Pay\xc3\xa9;Quantit\xc3\xa9;Code client;R\xc3\xa9gion;Canal;Date facture;Prix unitaire HT;Famille\n'
             b'0.0;0;0.0;0;0;0;oui;0.0;0;0;0;01/01/2000;0;\n')
# … and a header cell holding a quoted line break: the header is a record, not a line
@example(raw=b'R\xc3\xa9gion;Quantit\xc3\xa9;N\xc2\xb0 facture;Raison sociale;Code client;Date facture;Co\xc3\xbbt unitaire;'
             b'R\xc3\xa9f\xc3\xa9rence;Prix unitaire HT;Canal;Commercial;Famille;"\n"\n'
             b'0;0.0;;;0;1;0.0;0;0.0;"a;b";"""";"""";""""')
# … and a quote inside a title line: a character for both readers, not the start of a quoted value
@example(raw=b'Export du "\nDate facture;Code client;Quantit\xc3\xa9;Prix unitaire HT;Commercial;R\xc3\xa9f\xc3\xa9rence;'
             b'N\xc2\xb0 facture;Raison sociale;R\xc3\xa9gion;Canal;Pay\xc3\xa9;Famille;\n'
             b'01/01/2000;0;0.0;0.0;"""";0;;0;0;0;oui;"""";""""')
# … and a quoted carriage return cutting a short file's lines: the separator is sniffed on records
@example(raw=b'Export du \nQuantit\xc3\xa9;Code client;Prix unitaire HT;R\xc3\xa9f\xc3\xa9rence;Date facture;Pay\xc3\xa9;'
             b'N\xc2\xb0 facture;Canal;Commercial;Co\xc3\xbbt unitaire;""""\n0.0;0;0.0;0;01/01/2000;12,50;0;0;0;0.0;0\n'
             b'0.0;0;0,00;0;01/01/2000;oui;0;"\r";0;"0,00";0')
def test_the_large_file_path_agrees_with_the_reader(raw, tmp_path):
    path = tmp_path / "ventes.csv"
    path.write_bytes(raw)
    frame, error = _read(path)
    try:
        totals = aggregate_sales(path)
    except xio.InputError as big_error:
        assert frame is None, f"aggregate_sales refused a file read_sales accepts: {big_error}"
        assert big_error.file == path.name
        return
    assert frame is not None, f"aggregate_sales accepted a file read_sales refuses: {error}"
    assert totals.attrs["lines"] == len(frame) == totals["lines"].sum()
    assert totals["revenue"].sum() == pytest.approx(frame["revenue"].sum(), rel=1e-9, abs=0.01)


# -- write_table, then read back ---------------------------------------------------------------------

safe_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")) | st.sampled_from(list("=+-@;,\"' ")),
                    min_size=1, max_size=10).map(str.strip).filter(bool)


@st.composite
def sales_frames(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    col = lambda strategy: [draw(strategy) for _ in range(n)]  # noqa: E731
    frame = pd.DataFrame({
        "date": pd.to_datetime(col(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))),
        **{f: col(safe_text) for f in TEXT_COLUMNS},
        "quantity": col(st.integers(-10**6, 10**6).map(lambda c: c / 100)),
        "unit_price": col(st.integers(0, 10**9).map(lambda c: c / 100)),
        "unit_cost": col(st.integers(0, 10**9).map(lambda c: c / 100)),
        "discount": col(st.integers(0, 10_000).map(lambda c: c / 10_000)),
    })
    return frame


@FUZZ
@given(frame=sales_frames(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_write_table_then_read_back_is_equal(frame, fmt, tmp_path):
    path = tmp_path / f"ventes_{fmt}.{fmt}"
    xio.write_table(frame, path, xio.SALES, force=True)
    back = xio.read_sales(path)
    assert len(back) == len(frame)
    for f in TEXT_COLUMNS:
        assert back[f].tolist() == frame[f].tolist(), f
    assert (back["date"].to_numpy() == frame["date"].to_numpy()).all()
    for f in ("quantity", "unit_price", "unit_cost", "discount"):
        np.testing.assert_allclose(back[f].to_numpy(), frame[f].to_numpy(), rtol=0, atol=1e-9, err_msg=f)


# -- XML entity bombs ----------------------------------------------------------------------------------

def _entity_bomb(path) -> None:
    """An .xlsx whose shared strings declare a "billion laughs" entity (10⁹ × "lol" once expanded)."""
    import zipfile

    import xlsxwriter

    source = path.with_name("source.xlsx")
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("Ventes")
    sheet.write_row(0, 0, ["Date", "Client", "Commercial", "Produit", "Quantité", "PU HT"])
    sheet.write_row(1, 0, ["02/03/2026", "C1", "BOMB", "P1", 1, 2])
    book.close()
    entities = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "lol") * 10}">' for i in range(1, 10))
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(path, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8").replace("?>", f"?><!DOCTYPE lolz [{entities}]>", 1)
                data = text.replace(">BOMB<", ">&lol9;<").encode("utf-8")
            out.writestr(item, data)


def test_an_xml_entity_bomb_is_refused_at_once(tmp_path):
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    path = tmp_path / "ventes.xlsx"
    _entity_bomb(path)
    with pytest.raises(xio.InputError, match=r"ventes\.xlsx : classeur illisible"):
        xio.read_sales(path)
    assert DEFUSEDXML  # openpyxl parses with defusedxml (a dependency): entities are forbidden
    with pytest.raises(ValueError, match="could not read strings"):
        openpyxl.load_workbook(path)
