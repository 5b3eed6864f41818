"""Pseudonymisation: keyed, stable pseudonyms; CSV copies byte for byte outside the personal columns;
workbooks with every sheet and formulas kept; the original never touched; clear errors."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from xlsales import io as xio
from xlsales.privacy import (
    KEY_ENV,
    detect_kind,
    pseudonym,
    pseudonymize_file,
    pseudonymize_frame,
    resolve_key,
)
from xlsales.sample import make_sample_company, write_sample_data

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

KEY = "une clé secrète de test"
OTHER = "une autre clé secrète"
NAME = re.compile(r"^Personne-[0-9A-F]{6}$")
EMAIL = re.compile(r"^p-[0-9a-f]{6}@exemple\.invalid$")
PHONE = re.compile(r"^\+33 6 00 \d\d \d\d \d\d$")
#: personal columns of the sample files (header → kind)
PERSONAL = {
    "partenaires": {"Contact": "name", "E-mail": "email", "Téléphone": "phone"},
    "ventes": {"Commercial": "name"},
    "equipe": {"Commercial": "name", "Manager": "name"},
    "objectifs": {"Commercial": "name"},
    "competences": {"Commercial": "name"},
    "candidats": {"Candidat": "name"},
    "opportunites": {"Commercial": "name"},
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def by_hand(value: str, kind: str, key: str = KEY) -> str:
    """The documented formula, computed here without the module."""
    digest = hmac.new(key.encode(), f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    if kind == "name":
        return "Personne-" + digest[:6].upper()
    if kind == "email":
        return f"p-{digest[:6]}@exemple.invalid"
    d = f"{int(digest[:8], 16) % 10**6:06d}"
    return f"+33 6 00 {d[:2]} {d[2:4]} {d[4:]}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    company = make_sample_company(lines=800)
    csv_paths = write_sample_data(folder / "csv", fmt="csv", company=company)
    xlsx_paths = write_sample_data(folder / "xlsx", fmt="xlsx", company=company)
    return company, csv_paths, xlsx_paths


def read_csv_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


# ------------------------------------------------------------------------------------------------
# pseudonyms
# ------------------------------------------------------------------------------------------------

def test_pseudonym_is_the_documented_keyed_hash():
    assert pseudonym("Anne Roy", "name", KEY) == by_hand("anne roy", "name")
    assert pseudonym("Anne.Roy@Exemple.FR ", "email", KEY) == by_hand("anne.roy@exemple.fr", "email")
    assert pseudonym("06 12 34 56 78", "phone", KEY) == by_hand("0612345678", "phone")


def test_same_value_same_key_same_pseudonym_whatever_the_spelling():
    assert pseudonym("Élodie  Guérin", "name", KEY) == pseudonym(" élodie guérin", "name", KEY)
    for phone in ("+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78", "+33 (0)6 12 34 56 78", 612345678):
        assert pseudonym(phone, "phone", KEY) == pseudonym("06 12 34 56 78", "phone", KEY), phone


def test_formats():
    assert NAME.match(pseudonym("Anne Roy", "name", KEY))
    assert EMAIL.match(pseudonym("anne@roy.fr", "email", KEY))
    assert PHONE.match(pseudonym("0612345678", "phone", KEY))


def test_key_dependence_and_kind_separation():
    assert pseudonym("Anne Roy", "name", KEY) != pseudonym("Anne Roy", "name", OTHER)
    assert pseudonym("Anne Roy", "name", KEY)[-6:].lower() != pseudonym("Anne Roy", "email", KEY)[2:8]


def test_keys(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ValueError, match="clé de pseudonymisation manquante.*XLSALES_PSEUDO_KEY"):
        resolve_key(None)
    with pytest.raises(ValueError, match="trop courte"):
        resolve_key("abc")
    monkeypatch.setenv(KEY_ENV, KEY)
    assert resolve_key(None) == KEY.encode()
    frame = pd.DataFrame({"Contact": ["Anne Roy"]})
    assert pseudonymize_frame(frame, None)["Contact"][0] == by_hand("anne roy", "name")


# ------------------------------------------------------------------------------------------------
# frames
# ------------------------------------------------------------------------------------------------

def test_detection_by_header_and_by_content():
    assert detect_kind("Nom du contact") == "name" and detect_kind("Commercial") == "name"
    assert detect_kind("Adresse e-mail") == "email" and detect_kind("Tél. portable") == "phone"
    assert detect_kind("Raison sociale") is None and detect_kind("Fixe annuel brut") is None
    assert detect_kind("Colonne", ["a@b.fr", "c@d.com", "", None]) == "email"
    assert detect_kind("Colonne", ["01 23 45 67 89", "+33 6 11 22 33 44", "0611223344"]) == "phone"
    assert detect_kind("Colonne", ["a@b.fr", "texte", "autre", "encore"]) is None
    assert detect_kind("Code", ["P001", "P002"]) is None


def test_pseudonymize_frame_on_the_sample_partners(sample):
    company, _, _ = sample
    partners = company.partners
    out = pseudonymize_frame(partners, KEY)
    assert out.attrs["pseudonymized"] == {"contact": "name", "email": "email", "phone": "phone"}
    assert out.attrs["collisions"] == 0
    for col in partners.columns:
        if col in ("contact", "email", "phone"):
            continue
        pd.testing.assert_series_equal(out[col], partners[col])
    assert all(NAME.match(v) for v in out["contact"]) and all(EMAIL.match(v) for v in out["email"])
    assert all(PHONE.match(v) for v in out["phone"])
    assert out["contact"].nunique() == partners["contact"].str.casefold().nunique()
    assert list(out.index) == list(partners.index)


def test_explicit_columns_and_idempotence():
    frame = pd.DataFrame({"Qui": ["Anne Roy", "Marc Duval"], "Où": ["a@b.fr", "c@d.fr"], "Montant": [1.5, 2.0]})
    out = pseudonymize_frame(frame, KEY, columns=["Qui", "Où"])
    assert out.attrs["pseudonymized"] == {"Qui": "name", "Où": "email"}
    assert out["Qui"].tolist() == [by_hand("anne roy", "name"), by_hand("marc duval", "name")]
    again = pseudonymize_frame(out, KEY)
    pd.testing.assert_frame_equal(again, out)  # a pseudonym is never pseudonymised again
    with pytest.raises(ValueError, match="introuvable"):
        pseudonymize_frame(frame, KEY, columns=["Absente"])
    with pytest.raises(ValueError, match="type de donnée inconnu"):
        pseudonymize_frame(frame, KEY, columns={"Qui": "adresse"})


# ------------------------------------------------------------------------------------------------
# CSV files
# ------------------------------------------------------------------------------------------------

def test_csv_copy_changes_only_the_personal_fields(sample, tmp_path):
    _, paths, _ = sample
    for stem, personal in PERSONAL.items():
        src = next(p for p in paths.values() if p.stem == stem)
        before = sha256(src)
        out = tmp_path / f"{stem}_pseudo.csv"
        report = pseudonymize_file(src, out, KEY)
        assert sha256(src) == before  # the original is untouched
        assert report.columns == {None: personal}, stem
        original, copy = src.read_bytes(), out.read_bytes()
        assert copy.startswith(b"\xef\xbb\xbf") and original.count(b"\r\n") == copy.count(b"\r\n")
        rows_a, rows_b = read_csv_rows(src), read_csv_rows(out)
        assert rows_a[0] == rows_b[0] and len(rows_a) == len(rows_b)
        header = rows_a[0]
        cols = {header.index(h): kind for h, kind in personal.items()}
        changed = 0
        for a, b in zip(rows_a[1:], rows_b[1:]):
            assert len(a) == len(b)
            for j, (x, y) in enumerate(zip(a, b)):
                if j in cols and x:
                    norm = {"name": " ".join(x.casefold().split()), "email": x.strip().casefold(),
                            "phone": re.sub(r"\D", "", x)}[cols[j]]
                    assert y == by_hand(norm, cols[j]), (stem, x, y)
                    changed += 1
                else:
                    assert x == y, (stem, j)
        assert report.cells == changed > 0
        # byte for byte: the lines without personal values are identical, the others differ only there
        lines_a, lines_b = original.split(b"\r\n"), copy.split(b"\r\n")
        for la, lb in zip(lines_a, lines_b):
            fields_a, fields_b = la.split(b";"), lb.split(b";")
            assert len(fields_a) == len(fields_b)
            assert [f for j, f in enumerate(fields_a) if j not in cols] == [f for j, f in enumerate(fields_b) if j not in cols]


def test_csv_keeps_encoding_separator_quotes_and_line_ends(tmp_path):
    src = tmp_path / "contacts.csv"
    text = ('Société,Nom du contact,Courriel,Notes,Montant\n'
            '"Dupont, fils",Hélène Dupont,helene@dupont.fr,"ligne 1\nligne 2 ""citée""","1 234,50"\n'
            'Martin SA,"Jean ""Jo"" Martin",,rien,12\n'
            'Sans contact,,,,\n'
            'Éts Rémy,Rémy Noël,remy@noel.fr,,"0,5"')  # no final line end
    raw = text.encode("cp1252")
    src.write_bytes(raw)
    out = tmp_path / "contacts_pseudo.csv"
    report = pseudonymize_file(src, out, KEY)
    assert report.columns == {None: {"Nom du contact": "name", "Courriel": "email"}}
    jo = by_hand('jean "jo" martin', "name")
    expected = ('Société,Nom du contact,Courriel,Notes,Montant\n'
                f'"Dupont, fils",{by_hand("hélène dupont", "name")},{by_hand("helene@dupont.fr", "email")},'
                '"ligne 1\nligne 2 ""citée""","1 234,50"\n'
                f'Martin SA,"{jo}",,rien,12\n'
                'Sans contact,,,,\n'
                f'Éts Rémy,{by_hand("rémy noël", "name")},{by_hand("remy@noel.fr", "email")},,"0,5"')
    assert out.read_bytes() == expected.encode("cp1252")
    assert src.read_bytes() == raw


def test_csv_utf16_and_tab_separator(tmp_path):
    src = tmp_path / "export.txt"
    src.write_bytes("Téléphone\tVille\r\n06 11 22 33 44\tLyon\r\n".encode("utf-16"))
    out = tmp_path / "export_pseudo.txt"
    pseudonymize_file(src, out, KEY)
    data = out.read_bytes()
    assert data[:2] == src.read_bytes()[:2]  # the same byte-order mark
    assert data.decode("utf-16") == f"Téléphone\tVille\r\n{by_hand('0611223344', 'phone')}\tLyon\r\n"


def test_same_key_same_pseudonyms_across_files_and_runs(sample, tmp_path):
    _, paths, _ = sample
    a, b = tmp_path / "ventes_a.csv", tmp_path / "ventes_b.csv"
    pseudonymize_file(paths["sales"], a, KEY)
    pseudonymize_file(paths["sales"], b, KEY)
    assert a.read_bytes() == b.read_bytes()  # deterministic
    team = tmp_path / "equipe.csv"
    pseudonymize_file(paths["reps"], team, KEY)
    sales, reps = xio.read_sales(a), xio.read_reps(team)  # the copies are still valid inputs
    assert set(sales["rep"]) <= set(reps["rep"]) and all(NAME.match(r) for r in reps["rep"])
    other = tmp_path / "ventes_c.csv"
    pseudonymize_file(paths["sales"], other, OTHER)
    reps_other = set(xio.read_sales(other)["rep"])
    assert reps_other.isdisjoint(set(sales["rep"]))


def test_no_collisions_on_the_sample_data(sample, tmp_path):
    _, paths, _ = sample
    seen: dict[str, dict[str, str]] = {"name": {}, "email": {}, "phone": {}}
    for stem, personal in PERSONAL.items():
        src = next(p for p in paths.values() if p.stem == stem)
        out = tmp_path / f"{stem}.csv"
        report = pseudonymize_file(src, out, KEY)
        assert report.collisions == 0
        rows_a, rows_b = read_csv_rows(src), read_csv_rows(out)
        for h, kind in personal.items():
            j = rows_a[0].index(h)
            for a, b in zip(rows_a[1:], rows_b[1:]):
                if a[j]:
                    seen[kind].setdefault(b[j], set()).add(" ".join(a[j].casefold().split()))
    for kind, pseudos in seen.items():
        assert pseudos, kind
        assert all(len(originals) == 1 for originals in pseudos.values()), kind
    assert len(seen["name"]) > 30


# ------------------------------------------------------------------------------------------------
# workbooks
# ------------------------------------------------------------------------------------------------

def test_xlsx_round_trip_every_sheet_and_formulas(sample, tmp_path):
    _, _, paths = sample
    src = tmp_path / "partenaires.xlsx"
    wb = openpyxl.load_workbook(paths["partners"])
    ws = wb.worksheets[0]
    extra = ws.max_column + 1
    ws.cell(1, extra).value = "CA doublé"
    ws.cell(2, extra).value = "=G2*2"
    other = wb.create_sheet("Relances")
    other["A1"] = "Relances à faire"
    other.append([])
    other.append(["Date", "Interlocuteur", "Portable", "Commentaire"])
    other.append(["2026-01-05", "Anne Roy", 612345678, "=B4"])
    other.append(["2026-01-06", "=B4", "06 98 76 54 32", "rappeler"])
    wb.save(src)
    before = sha256(src)
    out = tmp_path / "partenaires_pseudo.xlsx"
    report = pseudonymize_file(src, out, KEY)
    assert sha256(src) == before
    assert report.columns == {ws.title: {"Contact": "name", "E-mail": "email", "Téléphone": "phone"},
                              "Relances": {"Interlocuteur": "name", "Portable": "phone"}}
    a, b = openpyxl.load_workbook(src), openpyxl.load_workbook(out)
    assert a.sheetnames == b.sheetnames
    personal_cols = {ws.title: {3, 4, 5}, "Relances": {2, 3}}
    header_rows = {ws.title: 1, "Relances": 3}
    for name in a.sheetnames:
        for row_a, row_b in zip(a[name].iter_rows(), b[name].iter_rows()):
            for ca, cb in zip(row_a, row_b):
                formula = isinstance(ca.value, str) and ca.value.startswith("=")
                if ca.column in personal_cols[name] and ca.row > header_rows[name] and ca.value is not None and not formula:
                    assert cb.value != ca.value and cb.data_type == "s"
                else:
                    assert cb.value == ca.value, (name, ca.coordinate)
    relances = b["Relances"]
    assert relances["B4"].value == by_hand("anne roy", "name")
    assert relances["C4"].value == by_hand("0612345678", "phone")  # a number that lost its leading zero
    assert relances["B5"].value == "=B4" and relances["D4"].value == "=B4"
    assert b.worksheets[0].cell(2, extra).value == "=G2*2"
    partners = xio.read_partners(out)
    assert all(NAME.match(c) for c in partners["contact"]) and all(EMAIL.match(e) for e in partners["email"])
    assert partners["revenue"].equals(xio.read_partners(src)["revenue"])


def test_xlsx_keeps_macros_and_warns_about_charts(tmp_path):
    from xlsales.macros.network import build_network
    from xlsales.sheets.render_openpyxl import render_book

    partners = make_sample_company(lines=200).partners
    plan, _ = build_network(partners, year=2026)
    src = tmp_path / "reseau.xlsx"
    render_book(plan).save(src)
    out = tmp_path / "reseau_pseudo.xlsx"
    report = pseudonymize_file(src, out, KEY)
    assert any("graphiques" in n for n in report.notes)
    assert report.columns["Annuaire"] == {"Contact": "name", "E-mail": "email", "Téléphone": "phone"}
    book = openpyxl.load_workbook(out)
    assert book["Qualification"]["C7"].value.startswith("=IFERROR(")
    assert list(book["Annuaire"].tables) == ["Annuaire"]


# ------------------------------------------------------------------------------------------------
# safety and errors
# ------------------------------------------------------------------------------------------------

def test_never_over_the_input_nor_an_existing_file(sample, tmp_path):
    _, paths, _ = sample
    src = tmp_path / "partenaires.csv"
    src.write_bytes(paths["partners"].read_bytes())
    before = sha256(src)
    with pytest.raises(ValueError, match="fichier d'origine"):
        pseudonymize_file(src, src, KEY, force=True)
    with pytest.raises(ValueError, match="fichier d'origine"):
        pseudonymize_file(src, tmp_path / "." / "partenaires.csv", KEY, force=True)
    out = tmp_path / "copie.csv"
    out.write_text("déjà là", encoding="utf-8")
    with pytest.raises(xio.OutputExistsError):
        pseudonymize_file(src, out, KEY)
    assert out.read_text(encoding="utf-8") == "déjà là"
    pseudonymize_file(src, out, KEY, force=True)
    assert out.read_bytes() != src.read_bytes() and sha256(src) == before
    with pytest.raises(ValueError, match="doit être un fichier CSV"):
        pseudonymize_file(src, tmp_path / "copie.xlsx", KEY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copie.csv", "partenaires.csv"]  # no temporary left


def test_unreadable_inputs_give_input_errors(tmp_path):
    with pytest.raises(xio.InputError, match="introuvable"):
        pseudonymize_file(tmp_path / "absent.csv", tmp_path / "out.csv", KEY)
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(xio.InputError, match="vide"):
        pseudonymize_file(empty, tmp_path / "out.csv", KEY)
    broken = tmp_path / "abime.xlsx"
    broken.write_bytes(b"PK\x03\x04 pas un vrai classeur")
    with pytest.raises(xio.InputError, match="abime.xlsx"):
        pseudonymize_file(broken, tmp_path / "out.xlsx", KEY)
    quote = tmp_path / "guillemet.csv"
    quote.write_text('Nom;Ville\n"Anne Roy;Lyon\n', encoding="utf-8")
    with pytest.raises(xio.InputError, match="guillemet"):
        pseudonymize_file(quote, tmp_path / "out.csv", KEY)
    binary = tmp_path / "binaire.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(xio.InputError, match="lisible"):
        pseudonymize_file(binary, tmp_path / "out.csv", KEY)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.xlsx").exists()
