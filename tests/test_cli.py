"""The ``xlsales`` command line: every command on the sample company's files, French errors, exit
codes, and no file overwritten or half-written."""

from __future__ import annotations

import warnings

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import requires_libreoffice
from xlsales.cli import DEMO_WORKBOOKS, app

warnings.filterwarnings("ignore", message=".*extension is not supported.*")
runner = CliRunner()


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exemple")
    result = runner.invoke(app, ["sample-data", "-o", str(folder), "--lines", "1500", "--seed", "7"])
    assert result.exit_code == 0, result.output
    return folder


def test_sample_data_files_and_no_silent_overwrite(sample_dir):
    names = sorted(p.name for p in sample_dir.iterdir())
    assert {"ventes.csv", "equipe.csv", "objectifs.csv", "competences.csv"} <= set(names)
    before = (sample_dir / "ventes.csv").read_bytes()
    again = runner.invoke(app, ["sample-data", "-o", str(sample_dir), "--lines", "10"])
    assert again.exit_code == 1 and "--force" in again.output
    assert (sample_dir / "ventes.csv").read_bytes() == before
    assert len(before.decode("utf-8-sig").splitlines()) == 1501


def test_catalogue_lists_the_64_functions():
    result = runner.invoke(app, ["catalogue"])
    assert result.exit_code == 0
    assert "Fonctions Excel xlsales (64)" in result.output and "MARGIN_RATE" in result.output


def test_dashboard_from_csv_files(sample_dir, tmp_path):
    out = tmp_path / "tdb.xlsx"
    args = ["dashboard", str(sample_dir / "ventes.csv"), "--targets", str(sample_dir / "objectifs.csv"), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:4] == ["Tableau de bord", "ABC", "Tendance", "Concentration"]
    assert wb["Ventes"].max_row == 1501
    stamp = out.stat().st_mtime_ns
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "existe déjà" in refused.output and "--force" in refused.output
    assert out.stat().st_mtime_ns == stamp
    assert runner.invoke(app, args + ["--force"]).exit_code == 0


def test_dashboard_in_english(sample_dir, tmp_path):
    out = tmp_path / "dashboard.xlsx"
    result = runner.invoke(app, ["dashboard", str(sample_dir / "ventes.csv"), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Dashboard", "ABC"]
    assert runner.invoke(app, ["dashboard", str(sample_dir / "ventes.csv"), "-o", str(out), "--lang", "de"]).exit_code == 1


def test_bad_input_names_file_row_and_column_and_writes_nothing(tmp_path):
    bad = tmp_path / "ventes.csv"
    bad.write_text("Date;Client;Commercial;Produit;Quantité;PU HT\n02/01/2025;C1;Ana;P1;2;10,50\n"
                   "03/01/2025;C2;Ana;P1;deux;12,00\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["dashboard", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "ventes.csv" in result.output and "ligne 3" in result.output and "Quantité" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_commissions_and_training_plan_from_files(sample_dir, tmp_path):
    com = tmp_path / "commissions.xlsx"
    result = runner.invoke(app, ["commissions", str(sample_dir / "ventes.csv"), "--plan",
                                 str(sample_dir / "plan_commissionnement.csv"), "--reps", str(sample_dir / "equipe.csv"),
                                 "--targets", str(sample_dir / "objectifs.csv"), "-o", str(com)])
    assert result.exit_code == 0, result.output
    assert {"Paramètres", "Équipe", "Saisie", "Calcul", "Synthèse"} <= set(openpyxl.load_workbook(com).sheetnames)
    plan = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["training-plan", str(sample_dir / "competences.csv"), "--catalogue",
                                 str(sample_dir / "catalogue_formations.csv"), "--reps", str(sample_dir / "equipe.csv"),
                                 "-o", str(plan)])
    assert result.exit_code == 0, result.output
    assert "Besoins et actions" in openpyxl.load_workbook(plan).sheetnames


def test_demo_builds_every_ready_made_workbook_and_protects_foreign_files(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(DEMO_WORKBOOKS)
    assert runner.invoke(app, ["demo", "--out", str(tmp_path)]).exit_code == 0  # its own files: rebuilt
    mine = tmp_path / "commissions.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "mes commissions"
    wb.save(mine)
    refused = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert refused.exit_code == 1 and "pas été produit par xlsales" in refused.output
    assert openpyxl.load_workbook(mine).active["A1"].value == "mes commissions"


@requires_libreoffice
def test_check_lists_error_cells_and_sets_the_exit_code(tmp_path):
    good = tmp_path / "bon.xlsx"
    bad = tmp_path / "mauvais.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = 2
    wb.active["A2"] = "=A1*3"
    wb.save(good)
    wb.active["B7"] = "=A1/0"
    wb.save(bad)
    ok = runner.invoke(app, ["check", str(good)])
    assert ok.exit_code == 0 and "aucune cellule en erreur" in ok.output
    ko = runner.invoke(app, ["check", str(good), str(bad)])
    assert ko.exit_code == 1 and "B7" in ko.output and "#DIV/0!" in ko.output


def test_exercise_writes_a_student_book_and_its_answer_key(tmp_path):
    result = runner.invoke(app, ["exercise", "marges", "--seed", "3", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrige_marges_graine3.xlsx", "exercice_marges_graine3.xlsx"]
    again = runner.invoke(app, ["exercise", "marges", "--seed", "3", "-o", str(tmp_path)])
    assert again.exit_code == 1 and "existe déjà" in again.output
    unknown = runner.invoke(app, ["exercise", "astrologie", "-o", str(tmp_path)])
    assert unknown.exit_code == 1 and "thème inconnu" in unknown.output and "marges" in unknown.output


def test_recruitment_network_and_journey_from_files(sample_dir, tmp_path):
    cases = [
        (["recruitment", str(sample_dir / "candidats.csv"), "--grid", str(sample_dir / "grille_entretien.csv"),
          "--reps", str(sample_dir / "equipe.csv")], "Comparaison"),
        (["network", str(sample_dir / "partenaires.csv")], "RGPD"),
        (["journey", str(sample_dir / "opportunites.csv"), "--locations", str(sample_dir / "localisations.csv")],
         "Entonnoir"),
    ]
    for args, sheet in cases:
        out = tmp_path / f"{args[0]}.xlsx"
        result = runner.invoke(app, args + ["-o", str(out)])
        assert result.exit_code == 0, (args[0], result.output)
        assert sheet in openpyxl.load_workbook(out).sheetnames


def test_pseudonymize_keeps_the_original_and_is_stable(sample_dir, tmp_path):
    source = sample_dir / "partenaires.csv"
    before = source.read_bytes()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    result = runner.invoke(app, ["pseudonymize", str(source), "-o", str(first), "--key", "cle-secrete-1"])
    assert result.exit_code == 0, result.output
    assert "colonnes pseudonymisées" in result.output
    assert runner.invoke(app, ["pseudonymize", str(source), "-o", str(second)],
                         env={"XLSALES_PSEUDO_KEY": "cle-secrete-1"}).exit_code == 0
    assert source.read_bytes() == before
    assert first.read_bytes() == second.read_bytes() != before
    assert runner.invoke(app, ["pseudonymize", str(source), "-o", str(first), "--key", "cle-secrete-1"]).exit_code == 1
    no_key = runner.invoke(app, ["pseudonymize", str(source), "-o", str(tmp_path / "c.csv")], env={"XLSALES_PSEUDO_KEY": ""})
    assert no_key.exit_code == 1 and "clé" in no_key.output
    same = runner.invoke(app, ["pseudonymize", str(source), "-o", str(source), "--key", "cle-secrete-1"])
    assert same.exit_code == 1 and source.read_bytes() == before


def test_portfolio_from_files(sample_dir, tmp_path):
    out = tmp_path / "portefeuille.xlsx"
    result = runner.invoke(app, ["portfolio", str(sample_dir / "ventes.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {"Clients", "Produits", "Attrition", "Marché", "Densité"} <= set(openpyxl.load_workbook(out).sheetnames)


def test_forecast_from_files(sample_dir, tmp_path):
    out = tmp_path / "previsions.xlsx"
    result = runner.invoke(app, ["forecast", str(sample_dir / "ventes.csv"), "--reps", str(sample_dir / "equipe.csv"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {"Historique", "Tendance", "Prévision", "Trésorerie"} <= set(openpyxl.load_workbook(out).sheetnames)
