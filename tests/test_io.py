"""Readers and safe writing of :mod:`xlsales.io`, on small good and bad files (tests/data/io/)."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from openpyxl.utils.escape import unescape

from xlsales import io as xio
from xlsales.io import InputError, Limits, OutputExistsError

DATA = Path(__file__).parent / "data" / "io"

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/x";"Cliquez")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+2",
    "\r=1+3",
]


def err(path, schema=xio.SALES, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        xio.read_table(path, schema, **kw)
    return info.value


def make_xlsx(path: Path, rows: list[list], sheet: str = "Ventes", first_row: int = 0, other_sheets=()) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    for name in other_sheets:
        wb.add_worksheet(name).write_string(0, 0, "autre chose")
    ws = wb.add_worksheet(sheet)
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, (dt.date, dt.datetime)):
                ws.write_datetime(first_row + i, j, v, datefmt)
            elif isinstance(v, str):
                ws.write_string(first_row + i, j, v)
            else:
                ws.write(first_row + i, j, v)
    wb.close()
    return path


# --------------------------------------------------------------------------------------------
# Good files


def test_french_csv_with_bom_gives_canonical_frame():
    df = xio.read_sales(DATA / "ventes_ok.csv")
    assert list(df.columns[:16]) == [c.name for c in xio.SALES.columns] + ["revenue", "margin"]
    assert df["date"].tolist() == [pd.Timestamp("2025-01-02"), pd.Timestamp("2025-01-03"), pd.Timestamp("2025-01-03")]
    assert df["customer_name"][0] == "Société Générale d'Équipements"
    assert df["rep"][1] == "Léa Bonnet"
    assert df["quantity"].tolist() == [1.0, 12.0, 2.5]
    assert df["unit_price"].tolist() == [7900.0, 38.5, 88.0]
    assert df["discount"][0] == pytest.approx(0.05) and df["discount"][1] == 0.0 and np.isnan(df["discount"][2])
    # revenue = q × p × (1 − d); margin = revenue − q × cost
    assert df["revenue"].tolist() == pytest.approx([7505.0, 462.0, 220.0])
    assert df["margin"].tolist() == pytest.approx([7505.0 - 5650.0, 462.0 - 258.0, 220.0 - 155.0])
    # paid: oui → the revenue, non → 0, an amount → that amount
    assert df["paid"].tolist() == pytest.approx([7505.0, 0.0, 1000.0])
    assert df["region"].isna().all()  # optional column absent → missing values
    assert df.attrs["headers"]["unit_price"] == "Prix unitaire HT"
    assert df.attrs["source"] == "ventes_ok.csv"


def test_cp1252_file_with_accents():
    df = xio.read_sales(DATA / "ventes_cp1252.csv")
    assert df["customer_name"].tolist() == ["Électricité & Forges du Léman", "Cœur de Métal"]
    assert df["rep"][0] == "Hélène Dûval"
    assert df["unit_price"][0] == 1234.5
    assert df["discount"][0] == pytest.approx(0.125)
    assert df["revenue"][0] == pytest.approx(3 * 1234.5 * 0.875)
    assert np.isnan(df["margin"][0])  # no unit cost in this file
    assert df.attrs["headers"]["quantity"] == "Qté"


def test_comma_separated_english_headers():
    df = xio.read_sales(DATA / "sales_comma.csv")
    assert df["unit_price"].tolist() == [1234.5, 12.5]
    assert df["discount"].tolist() == pytest.approx([0.10, 0.05])
    assert df["unit_cost"][0] == 1000.0 and np.isnan(df["unit_cost"][1])
    # line amounts are rounded to the cent, half away from zero (12.5 × 0.95 = 11.875 → 11.88), like ROUND in Excel
    assert df["revenue"].tolist() == [2222.1, 11.88]


def test_extra_columns_are_kept_after_the_canonical_ones(tmp_path):
    p = tmp_path / "v.csv"
    p.write_text("Commentaire;date;client;commercial;produit;quantité;prix unitaire;Zone libre\n"
                 "à rappeler;01/02/2024;C1;Ann;P1;1;10;\n", encoding="utf-8")
    df = xio.read_sales(p)
    assert list(df.columns[-2:]) == ["Commentaire", "Zone libre"]
    assert df["Commentaire"][0] == "à rappeler"
    assert df.attrs["extra_columns"] == ["Commentaire", "Zone libre"]


def test_headers_matched_without_case_accents_or_units(tmp_path):
    p = tmp_path / "v.csv"
    p.write_text("DATE FACTURE;CLIENT;Représentant;REFERENCE;QUANTITE;Prix Unitaire HT (€);remise (%)\n"
                 "01/02/2024;C1;Ann;P1;4;25;10\n", encoding="utf-8")
    df = xio.read_sales(p)
    assert df["quantity"][0] == 4 and df["unit_price"][0] == 25
    # a rate column without "%" whose values exceed 1 is read in percent
    assert df["discount"][0] == pytest.approx(0.10)


def test_title_lines_and_blank_lines_keep_the_user_row_numbers():
    e = err(DATA / "ventes_title_and_blank_lines.csv")
    # header on line 3, data on lines 4 and 6 (line 5 is blank)
    assert len(e.problems) == 1
    assert str(e) == "ventes_title_and_blank_lines.csv, ligne 6, colonne « Quantité » : « abc » n'est pas un nombre"


def test_quoted_separator_and_formula_text_read_unchanged():
    df = xio.read_sales(DATA / "ventes_injection.csv")
    assert df["customer_name"].tolist() == [PAYLOADS[0], PAYLOADS[1], PAYLOADS[4], PAYLOADS[6]]
    assert df["Commentaire"].tolist()[:3] == [PAYLOADS[2], PAYLOADS[3], PAYLOADS[5]]
    assert df["quantity"][0] == -12.5  # a negative number in a numeric column is a number


@pytest.mark.parametrize("text, value", [
    ("1 234,50", 1234.5), ("1\u00a0234,50", 1234.5), ("1\u202f234,5", 1234.5), ("1.234,50", 1234.5),
    ("1,234.50", 1234.5), ("1234.50", 1234.5), ("1234,5", 1234.5), ("-12,5", -12.5), ("+3", 3.0),
    ("12 %", 0.12), ("12,5%", 0.125), ("1 234,50 €", 1234.5), ("€12", 12.0), ("(12,5)", -12.5),
    ("12,5-", -12.5), ("1e3", 1000.0), ("1.234.567", 1234567.0), ("1,234,567", 1234567.0), (" 7 ", 7.0),
    (3, 3.0), (2.25, 2.25),
])
def test_parse_numbers_good(text, value):
    v, _, bad = xio.parse_numbers([text])
    assert not bad[0]
    assert v[0] == pytest.approx(value)


@pytest.mark.parametrize("text", ["12,5,3", "abc", "1.2.3", "12 kg", "--3", "1,2.3,4", "nan", "inf", True])
def test_parse_numbers_bad(text):
    v, _, bad = xio.parse_numbers([text])
    assert bad[0] and np.isnan(v[0])


def test_parse_numbers_empty_is_missing_not_bad():
    v, _, bad = xio.parse_numbers(["", None, "  "])
    assert np.isnan(v).all() and not bad.any()


def test_yes_no_columns(tmp_path):
    p = tmp_path / "catalogue.csv"
    rows = ["oui", "non", "Yes", "NO", "1", "0", "vrai", "FAUX", "x", ""]
    p.write_text("Action;Compétence;Durée;Coût;Obligatoire\n" + "".join(f"A{i};S;7;100;{r}\n" for i, r in enumerate(rows)), encoding="utf-8")
    df = xio.read_training_catalogue(p)
    assert df["mandatory"].tolist() == [True, False, True, False, True, False, True, False, True, False]
    p.write_text("Action;Compétence;Durée;Coût;Obligatoire\nA;S;7;100;peut-être\n", encoding="utf-8")
    e = err(p, xio.TRAINING_CATALOGUE)
    assert "ligne 2, colonne « Obligatoire » : « peut-être » n'est pas une réponse oui/non" in str(e)


def test_periods_of_targets(tmp_path):
    p = tmp_path / "objectifs.csv"
    p.write_text("Commercial;Période;Objectif\nA;2026-03;10\nA;03/2026;10\nA;mars 2026;10\nA;févr.-26;10\nA;2026;100\nA;2026/3;10\n",
                 encoding="utf-8")
    df = xio.read_targets(p)
    assert df["period"].tolist() == ["2026-03", "2026-03", "2026-03", "2026-02", "2026", "2026-03"]
    p.write_text("Commercial;Période;Objectif\nA;T1 2026;10\n;2026-01;10\n", encoding="utf-8")
    e = err(p, xio.TARGETS)
    assert "ligne 2, colonne « Période » : « T1 2026 » n'est pas une période" in str(e)
    assert "ligne 3, colonne « Commercial » : ni commercial, ni région, ni famille" in str(e)


# --------------------------------------------------------------------------------------------
# Bad files


def test_bad_number_names_file_row_and_column():
    e = err(DATA / "ventes_bad_number.csv")
    assert str(e) == "ventes_bad_number.csv, ligne 3, colonne « Quantité » : « 12,5,3 » n'est pas un nombre"
    assert isinstance(e, ValueError)
    p = e.problems[0]
    assert (p.file, p.row, p.column) == ("ventes_bad_number.csv", 3, "Quantité")


def test_many_problems_are_reported_at_once_up_to_a_limit():
    e = err(DATA / "ventes_many_errors.csv")
    assert e.total == 14 and len(e.problems) == 10
    assert [p.row for p in e.problems] == list(range(2, 12))
    assert "14 problèmes dans ventes_many_errors.csv" in str(e)
    assert "… et 4 autres problèmes" in str(e)
    e3 = err(DATA / "ventes_many_errors.csv", limits=Limits(max_errors=3))
    assert len(e3.problems) == 3 and e3.total == 14


def test_bad_dates():
    e = err(DATA / "ventes_bad_date.csv")
    assert [(p.row, p.column) for p in e.problems] == [(3, "Date"), (4, "Date")]
    assert "« 31/02/2024 » n'est pas une date (attendu jj/mm/aaaa)" in str(e)
    assert "« hier » n'est pas une date" in str(e)


def test_missing_required_column_lists_found_columns_and_aliases():
    e = err(DATA / "ventes_missing_column.csv")
    msg = str(e)
    assert "colonne obligatoire « Quantité » introuvable" in msg
    assert "en-têtes acceptés : quantity, Quantité, qté" in msg
    assert "colonnes trouvées : Date, Client, Commercial, Produit, Prix unitaire" in msg
    assert e.problems[0].row == 1


def test_duplicate_columns():
    e = err(DATA / "ventes_duplicate_column.csv")
    assert "les colonnes « Client » et « Code client » désignent toutes deux « customer »" in str(e)


def test_missing_required_value(tmp_path):
    p = tmp_path / "v.csv"
    p.write_text("date;client;commercial;produit;quantité;prix unitaire\n01/02/2024;;Ann;P1;1;10\n01/02/2024;C;Ann;P1;;10\n", encoding="utf-8")
    e = err(p)
    assert [str(x) for x in e.problems] == [
        "v.csv, ligne 2, colonne « client » : valeur manquante (obligatoire)",
        "v.csv, ligne 3, colonne « quantité » : valeur manquante (obligatoire)",
    ]


def test_values_out_of_range(tmp_path):
    p = tmp_path / "competences.csv"
    p.write_text("Commercial;Compétence;Niveau actuel;Niveau requis\nA;Négociation;5;3\nA;CRM;2,5;3\n", encoding="utf-8")
    e = err(p, xio.SKILLS)
    assert "ligne 2, colonne « Niveau actuel » : « 5 » hors limites (attendu entre 0 et 4)" in str(e)
    assert "ligne 3, colonne « Niveau actuel » : « 2,5 » n'est pas un nombre entier" in str(e)


@pytest.mark.parametrize("name, message", [
    ("empty.csv", "le fichier est vide"),
    ("header_only.csv", "aucune ligne de données"),
    ("empty.xlsx", "le fichier est vide (0 octet)"),
    ("corrupted.xlsx", "ce n'est pas un classeur Excel valide"),
    ("not_a_workbook.xlsx", "ce n'est pas un classeur Excel valide"),
])
def test_empty_and_corrupted_files(name, message):
    e = err(DATA / name)
    assert e.problems[0].file == name
    assert message in str(e)


def test_blank_lines_only(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_bytes(b"\r\n\r\n  \r\n")
    assert "le fichier est vide" in str(err(p))


def test_missing_file(tmp_path):
    assert "fichier introuvable" in str(err(tmp_path / "nope.csv"))


def test_ragged_csv_line(tmp_path):
    p = tmp_path / "v.csv"
    p.write_text("date;client;commercial;produit;quantité;prix unitaire\n01/02/2024;C;A;P;1;10\n01/02/2024;C;A;P;1;10;3;4\n", encoding="utf-8")
    e = err(p)
    assert e.problems[0].row == 3 and "8 valeurs au lieu de 6" in str(e)


def test_csv_size_limit(tmp_path):
    shutil.copy(DATA / "ventes_ok.csv", tmp_path / "v.csv")
    e = err(tmp_path / "v.csv", limits=Limits(csv_max_bytes=100))
    assert "fichier trop volumineux" in str(e)


def _bomb(tmp_path: Path, declared: int) -> Path:
    """A valid workbook whose sheet part declares a huge uncompressed size."""
    p = make_xlsx(tmp_path / "bomb.xlsx", [["Date", "Client", "Commercial", "Produit", "Quantité", "Prix unitaire"],
                                           [dt.datetime(2024, 1, 2), "C", "A", "P", 1, 10]])
    data = bytearray(p.read_bytes())
    pos = data.find(b"PK\x01\x02")
    patched = 0
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        name = bytes(data[pos + 46:pos + 46 + name_len])
        if name == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, declared)
            patched += 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert patched == 1
    p.write_bytes(bytes(data))
    with zipfile.ZipFile(p) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size == declared
    return p


def test_zip_bomb_like_workbook_is_refused_before_reading(tmp_path):
    p = _bomb(tmp_path, 0xFFFFFF00)  # ~4.3 GB declared for a part of a few hundred bytes
    e = err(p)
    assert "classeur refusé : son contenu décompressé déclaré (4 295 Mo) dépasse la limite de 3 000 Mo" in str(e)
    e = err(p, limits=Limits(xlsx_max_uncompressed=10**12))
    assert "classeur refusé : la partie « xl/worksheets/sheet1.xml » est compressée de façon anormale" in str(e)
    assert "possible bombe de décompression" in str(e)
    p = _bomb(tmp_path, 60_000_000)  # 60 MB declared: under the size limit, but an absurd ratio
    assert "possible bombe de décompression" in str(err(p))
    e = err(p, limits=Limits(xlsx_max_uncompressed=50_000_000))
    assert "(60 Mo) dépasse la limite de 50 Mo" in str(e)


# --------------------------------------------------------------------------------------------
# Workbooks


def test_xlsx_with_title_rows_real_dates_serials_and_text_numbers(tmp_path):
    rows = [
        ["Export ERP — ventes 2024"],
        [],
        ["Date facture", "Client", "Commercial", "Référence", "Quantité", "PU HT", "Remise", "Payé"],
        [dt.datetime(2024, 3, 1), 1023, "Ann", "P1", 2, 10.5, 0.1, True],
        [45353, "C2", "Ann", "P1", "3", "1 234,50", "5 %", "non"],  # 45353 = 2024-03-02 as an Excel serial
        ["04/03/2024", "C3", "Ann", "P1", 1.0, 100, None, 60.0],
    ]
    p = make_xlsx(tmp_path / "ventes.xlsx", rows, first_row=1, other_sheets=("Notes",))
    df = xio.read_sales(p)
    assert df.attrs["sheet"] == "Ventes"  # the sheet named like the input is preferred to the first one
    assert df["date"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02"), pd.Timestamp("2024-03-04")]
    assert df["customer"].tolist() == ["1023", "C2", "C3"]  # a code typed as a number stays a code
    assert df["quantity"].tolist() == [2.0, 3.0, 1.0]
    assert df["unit_price"].tolist() == [10.5, 1234.5, 100.0]
    assert df["discount"][:2].tolist() == pytest.approx([0.1, 0.05])
    assert df["paid"].tolist() == pytest.approx([18.9, 0.0, 60.0])


def test_xlsx_error_row_is_the_excel_row(tmp_path):
    rows = [["Date", "Client", "Commercial", "Produit", "Quantité", "Prix unitaire"],
            [dt.datetime(2024, 3, 1), "C", "A", "P", 1, 10],
            [dt.datetime(2024, 3, 1), "C", "A", "P", "12,5,3", 10]]
    p = make_xlsx(tmp_path / "ventes.xlsx", rows, first_row=4)
    e = err(p)
    assert str(e) == "ventes.xlsx, feuille « Ventes », ligne 7, colonne « Quantité » : « 12,5,3 » n'est pas un nombre"


def test_xlsx_sheet_choice(tmp_path):
    rows = [["Date", "Client", "Commercial", "Produit", "Quantité", "Prix unitaire"], [dt.datetime(2024, 3, 1), "C", "A", "P", 1, 10]]
    p = make_xlsx(tmp_path / "classeur.xlsx", rows, sheet="Données 2024", other_sheets=("Lisez-moi",))
    assert xio.read_sales(p, sheet="données 2024")["customer"].tolist() == ["C"]
    assert xio.read_sales(p, sheet=1)["customer"].tolist() == ["C"]
    e = err(p, sheet="Ventes")
    assert "feuille « Ventes » introuvable (feuilles : Lisez-moi, Données 2024)" in str(e)
    # by default the first sheet: here it has no sales columns
    assert "colonne obligatoire" in str(err(p))


def test_xlsx_formula_text_survives(tmp_path):
    rows = [["Date", "Client", "Raison sociale", "Commercial", "Produit", "Quantité", "Prix unitaire"]]
    rows += [[dt.datetime(2024, 3, 1), f"C{i}", text, "A", "P", 1, 10] for i, text in enumerate(PAYLOADS)]
    p = make_xlsx(tmp_path / "ventes.xlsx", rows)
    df = xio.read_sales(p)
    assert df["customer_name"].tolist() == PAYLOADS


# --------------------------------------------------------------------------------------------
# Other schemas


def test_commission_plan_long_form(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text(
        "Plan;Élément;Seuil;Valeur\n"
        "Std;Mode;;par paliers\nStd;Assiette;;marge\nStd;Tranche;0;3 %\nStd;Tranche;5 000;4\nStd;Tranche;8 000;0,06\n"
        "Std;Seuil de déclenchement;;80 %\nStd;Plafond;;10 000\nStd;Prime;110 %;500\nStd;Avance récupérable;;non\n"
        "Std;Charges patronales;;42 %\n", encoding="utf-8")
    df = xio.read_commission_plan(p)
    assert df["item"].tolist()[:3] == ["mode", "base", "tier"]
    plan = xio.commission_plans(df)["Std"]
    assert plan["tiers"] == [(0.0, pytest.approx(0.03)), (5000.0, pytest.approx(0.04)), (8000.0, pytest.approx(0.06))]
    assert plan["mode"] == "flat" and plan["base"] == "margin"
    assert plan["gate"] == pytest.approx(0.8) and plan["cap"] == 10000.0
    assert plan["bonus_grid"] == [(pytest.approx(1.1), 500.0)]
    assert plan["draw_recoverable"] is False and plan["employer_charge_rate"] == pytest.approx(0.42)
    p.write_text("Plan;Élément;Seuil;Valeur\nStd;Tranche;;3 %\nStd;Mode;;au hasard\nStd;Bidule;;1\nStd;Plafond;;beaucoup\n", encoding="utf-8")
    e = err(p, xio.COMMISSION_PLAN)
    msg = str(e)
    assert "ligne 4, colonne « Élément » : « Bidule » n'est pas une valeur permise" in msg
    assert e.total == 4


def test_commission_plan_value_errors(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text("Plan;Élément;Seuil;Valeur\nStd;Tranche;;3 %\nStd;Mode;;au hasard\nStd;Plafond;;beaucoup\n", encoding="utf-8")
    msg = str(err(p, xio.COMMISSION_PLAN))
    assert "ligne 2, colonne « Seuil » : seuil manquant" in msg
    assert "ligne 3, colonne « Valeur » : « au hasard » n'est pas une valeur permise (progressif, par paliers)" in msg
    assert "ligne 4, colonne « Valeur » : « beaucoup » n'est pas un nombre" in msg


def test_opportunity_stages_and_dates(tmp_path):
    p = tmp_path / "opp.csv"
    p.write_text("N° opportunité;Client;Étape atteinte;Date piste;Date devis;Montant HT\n"
                 "O1;X;devis;02/01/2025;10/01/2025;1 000\nO2;Y;RDV;05/01/2025;;\nO3;Z;signé;05/01/2025;;\n", encoding="utf-8")
    df = xio.read_opportunities(p)
    assert df["stage"].tolist() == ["quote", "meeting", "order"]
    p.write_text("N° opportunité;Client;Étape atteinte;Date piste;Date devis\nO1;X;devis;12/01/2025;10/01/2025\nO2;X;perdu;12/01/2025;\n", encoding="utf-8")
    msg = str(err(p, xio.OPPORTUNITIES))
    assert "ligne 2, colonne « Date devis » : « 10/01/2025 » date antérieure à celle de l'étape précédente" in msg
    assert "ligne 3, colonne « Étape atteinte » : « perdu » n'est pas une valeur permise" in msg


def test_partner_rating_columns_are_numbers(tmp_path):
    p = tmp_path / "partenaires.csv"
    p.write_text("Partenaire;Type;Note qualité;Note prix;Remarque\nA;Distributeur;4;3,5;ok\nB;bureau d'études;2;;\n", encoding="utf-8")
    df = xio.read_partners(p)
    assert df["type"].tolist() == ["distributeur", "prescripteur"]
    assert df["Note qualité"].tolist() == [4.0, 2.0]
    assert df["Note prix"][0] == 3.5 and np.isnan(df["Note prix"][1])
    assert df["Remarque"].tolist()[0] == "ok"


def test_locations_coordinates_checked(tmp_path):
    p = tmp_path / "loc.csv"
    p.write_text("Client;Latitude;Longitude\nC1;45,764;4,8357\nC2;145,0;2\n", encoding="utf-8")
    assert "ligne 3, colonne « Latitude » : « 145,0 » hors limites (attendu entre -90 et 90)" in str(err(p, xio.LOCATIONS))


def test_every_schema_has_distinct_aliases():
    for schema in xio.SCHEMAS.values():
        seen: dict[str, str] = {}
        for c in schema.columns:
            for a in c.accepted:
                key = xio.normalize_header(a)
                assert seen.setdefault(key, c.name) == c.name, (schema.name, a)


# --------------------------------------------------------------------------------------------
# Safe writing


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_text_marks_formula_like_text(payload):
    v = xio.safe_cell_text(payload)
    assert isinstance(v, xio.LiteralText) and v == payload
    assert v.typed == "'" + payload


@pytest.mark.parametrize("value", ["Dupont", "12,5", "", 3, -2.5, None, "a=b"])
def test_safe_cell_text_leaves_other_values(value):
    v = xio.safe_cell_text(value)
    assert v == value and not isinstance(v, xio.LiteralText)


def test_written_workbook_keeps_payloads_as_text(tmp_path):
    frame = pd.DataFrame({"partner": PAYLOADS, "type": ["client"] * len(PAYLOADS)})
    path = xio.write_table(frame, tmp_path / "partenaires.xlsx", xio.PARTNERS)
    ws = openpyxl.load_workbook(path).active
    cells = [ws.cell(row=i + 2, column=1) for i in range(len(PAYLOADS))]
    # (the carriage return is stored escaped as _x000D_, as Excel does)
    assert [unescape(c.value) for c in cells] == PAYLOADS
    assert all(c.data_type == "s" for c in cells)  # strings, not formulas
    assert xio.read_partners(path)["partner"].tolist() == PAYLOADS


def test_atomic_write_creates_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "out.xlsx"
    seen = []

    def write(tmp: Path):
        seen.append(tmp)
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx" and not tmp.exists()
        tmp.write_text("v1")

    assert xio.atomic_write(target, write) == target
    assert target.read_text() == "v1"
    with pytest.raises(OutputExistsError) as info:
        xio.atomic_write(target, lambda tmp: tmp.write_text("v2"))
    assert "existe déjà" in str(info.value) and isinstance(info.value, FileExistsError)
    assert target.read_text() == "v1"
    xio.atomic_write(target, lambda tmp: tmp.write_text("v2"), force=True)
    assert target.read_text() == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path):
    def half(tmp: Path):
        tmp.write_text("half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        xio.atomic_write(tmp_path / "a.csv", half)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "b.csv").write_text("old")
    with pytest.raises(RuntimeError):
        xio.atomic_write(tmp_path / "b.csv", half, force=True)
    assert (tmp_path / "b.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]


def test_atomic_write_refuses_a_file_that_appears_meanwhile(tmp_path):
    target = tmp_path / "c.csv"

    def racing(tmp: Path):
        target.write_text("someone else")
        tmp.write_text("mine")

    with pytest.raises(OutputExistsError):
        xio.atomic_write(target, racing)
    assert target.read_text() == "someone else"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv"]


def test_write_table_french_csv_round_trip(tmp_path):
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-05", "2024-02-29"]), "customer": ["C1", "C;2"], "rep": ["Zoé", 'Le "Boss"'],
        "product": ["P1", "P2"], "quantity": [1234.0, -2.0], "unit_price": [1234.5, 0.1], "discount": [0.025, 0.0],
    })
    path = xio.write_table(frame, tmp_path / "v.csv", xio.SALES)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfDate facture;Code client;Commercial;R\xc3\xa9f\xc3\xa9rence;Quantit\xc3\xa9;Prix unitaire HT;Remise\r\n")
    assert "05/01/2024;C1;Zoé;P1;1 234;1 234,50;2,5 %" in raw.decode("utf-8-sig")
    assert '"C;2";"Le ""Boss""";P2;-2;0,10;0 %' in raw.decode("utf-8-sig")
    back = xio.read_sales(path)
    assert back["customer"].tolist() == ["C1", "C;2"] and back["rep"][1] == 'Le "Boss"'
    assert back["revenue"].tolist() == pytest.approx([1234 * 1234.5 * 0.975, -0.2])
    with pytest.raises(OutputExistsError):
        xio.write_table(frame, path, xio.SALES)


def test_format_numbers():
    assert xio.format_numbers([1234567.891, -0.004, 0.0], 2, fixed=True).tolist() == ["1 234 567,89", "0,00", "0,00"]
    assert xio.format_numbers([12.0, 12.5, 1e6], 2).tolist() == ["12", "12,5", "1 000 000"]
    assert xio.format_numbers([0.425, 1.0], 2, percent=True).tolist() == ["42,5 %", "100 %"]


def test_utf16_tab_separated_export(tmp_path):
    # Excel's « Texte Unicode » export: UTF-16 with BOM, tab separated
    p = tmp_path / "ventes.txt"
    p.write_bytes("Date\tClient\tCommercial\tProduit\tQuantité\tPrix unitaire\r\n01/02/2024\tCœur\tZoé\tP1\t2\t1 234,5\r\n".encode("utf-16"))
    df = xio.read_sales(p)
    assert df["customer"][0] == "Cœur" and df["rep"][0] == "Zoé" and df["revenue"][0] == 2469.0


def test_old_formats_are_refused_with_advice(tmp_path):
    p = tmp_path / "ventes.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "enregistrez le fichier en .xlsx ou en CSV" in str(err(p))


def test_write_table_keeps_text_shaped_like_xml(tmp_path):
    # XlsxWriter's constant-memory mode would copy "<r>…</r>" into the file as raw XML
    frame = pd.DataFrame({"rep": ["<r><t>x</t></r>", "Ana"], "name": ["<b>gras</b>", None]})
    path = tmp_path / "equipe.xlsx"
    xio.write_table(frame, path, xio.REPS)
    back = xio.read_reps(path)
    assert back["rep"].tolist() == ["<r><t>x</t></r>", "Ana"]
    assert back["name"].tolist()[0] == "<b>gras</b>"


def test_a_part_that_declares_less_than_it_holds_cannot_inflate(tmp_path):
    """The sizes checked before reading are the declared ones; a part hiding a larger content behind a
    small declared size is refused by the zip readers themselves (calamine: "larger than its declared
    uncompressed size"; Python's zipfile stops at the declared size, then its CRC check fails)."""
    p = _bomb(tmp_path, 10)
    e = err(p)
    assert len(e.problems) == 1 and e.problems[0].file == "bomb.xlsx"
    assert str(e).startswith("bomb.xlsx : classeur illisible") and "larger than its declared uncompressed size" in str(e)
    with zipfile.ZipFile(p) as z, pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"):
        z.read("xl/worksheets/sheet1.xml")


def test_commas_inside_the_values_of_a_semicolon_file(tmp_path):
    """Found by the write-then-read fuzz test: a name holding more commas than the file has columns
    made the separator sniffing pick « , »; every line has the same number of « ; »."""
    p = tmp_path / "ventes.csv"
    p.write_text("Date facture;N° facture;Code client;Raison sociale;Commercial;Référence;Quantité;Prix unitaire HT\n"
                 "14/01/2025;F1;C1;Dupont, Durand, Martin, Petit, Leroy, Moreau, Simon, Laurent, Fils & Cie;Ana;P1;2;12,50\n"
                 "15/01/2025;F2;C2;Établissements Roux;Ana;P1;1;8,00\n", encoding="utf-8")
    sales = xio.read_sales(p)
    assert sales["customer_name"].tolist() == ["Dupont, Durand, Martin, Petit, Leroy, Moreau, Simon, Laurent, Fils & Cie",
                                               "Établissements Roux"]
    assert sales["revenue"].tolist() == [25.0, 8.0]


def test_a_comma_file_with_decimal_points_and_a_semicolon_title(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("Export CRM; ventes; janvier; 2025; agence; Lyon; Grenoble; Valence\n"
                 "Date facture,Code client,Commercial,Référence,Quantité,Prix unitaire HT\n"
                 "14/01/2025,C1,Ana,P1,2,12.5\n15/01/2025,C2,Ana,P1,1,\"1,5\"\n16/01/2025,C3,Bob,P2,3,4\n", encoding="utf-8")
    sales = xio.read_sales(p)
    assert sales["customer"].tolist() == ["C1", "C2", "C3"] and sales["unit_price"].tolist() == [12.5, 1.5, 4.0]


def test_a_header_cell_holding_a_line_break(tmp_path):
    """A header typed with Alt+Enter in Excel is exported quoted, over two lines: the header row is a
    record, not a line (both the reader and the large-file path)."""
    from xlsales.bigdata import aggregate_sales

    p = tmp_path / "ventes.csv"
    p.write_bytes("Date facture;Code client;Commercial;Référence;Quantité;\"Prix unitaire\nHT\"\n"
                  "14/01/2025;C1;Ana;P1;2;12,50\n15/01/2025;C2;Ana;P1;1;8,00\n".encode("utf-8"))
    sales = xio.read_sales(p)
    assert sales["unit_price"].tolist() == [12.5, 8.0]
    totals = aggregate_sales(p)
    assert totals.attrs["lines"] == 2 and totals["revenue"].sum() == 33.0
