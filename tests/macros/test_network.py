"""Partner-network workbook: build it, check its structure, recalculate it in LibreOffice and compare
every computed cell with the core (score, segments, counts, calendar, diffusion, performance, GDPR
retention), change inputs and check the outputs follow, and run the template button's refresh on
the JSON Excel sends."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from native_formulas import non_native_cells

from xlsales import io as xio
from xlsales.core import score
from xlsales.core.network import (
    growth_rate,
    potential_share,
    retention_end,
    retention_status,
    segment,
)
from xlsales.macros.network import (
    SHEETS,
    STATUSES,
    TOOLS,
    TYPES,
    UNRATED,
    build_network,
    plan_for_company,
    plan_from_files,
    read_inputs,
)
from xlsales.recalc import recalculated_workbook
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

RATINGS = ["Note qualité", "Note délais", "Note prix", "Note relation"]
WEIGHTS = {"Note qualité": 3.0, "Note délais": 2.0, "Note prix": 1.5, "Note relation": 0.5}
THRESHOLDS = {"client": (4.0, 3.0), "distributeur": (3.5, 2.5), "prescripteur": (4.2, 3.2), "fournisseur": (3.8, 2.8)}
YEAR = 2026
REFERENCE = dt.date(2026, 3, 31)
NAN = np.nan

# (partner, type, contact, revenue, potential, last contact, consent, ratings)
CRAFTED = [
    ("Alpha Hydraulique", "client", "Anne Roy", 120000.0, 200000.0, "2024-03-31", "2023-01-15", [5, 4, 4, 3]),
    ("Beta Distribution", "distributeur", "Bruno Lefort", 300000.0, 350000.0, "2022-01-10", None, [3, 3, 2, 4]),
    ("Gamma Conseil", "prescripteur", "Chloé Marin", 0.0, 50000.0, None, None, [4, NAN, 3, 3]),
    ("Delta Composants", "fournisseur", "David Noël", NAN, NAN, "2025-08-31", "2025-02-28", [2, 5, 4, 4]),
    ("Epsilon Pompes", "fournisseur", "Emma Petit", 15000.0, NAN, "2023-11-30", "2021-05-31", [4, 4, 4, 4]),
    ("Zêta Négoce", "distributeur", "Farid Haddad", 80000.0, 60000.0, "2025-12-31", "2026-01-15", [1, 2, 1, 2]),
    ("Êta Bureau d'études", "prescripteur", "Gaëlle Simon", 20000.0, 90000.0, "2024-02-29", "2023-02-28", [5, 5, 5, 4]),
    ("Thêta Industrie", "client", "Hugo Blanc", 120000.0, 150000.0, "2021-06-30", None, [3, 4, 3, 4]),
    # names that SUMIFS/COUNTIFS/MATCH would read as wildcards or operators, and a name they would match
    ("Atelier *Pro?", "client", "Ivan Dupré", 50000.0, 80000.0, "2025-01-15", "2024-06-01", [4, 4, 4, 4]),
    ("Atelier Grand Prox", "client", "Jade Morel", 70000.0, 90000.0, "2025-02-15", None, [2, 2, 2, 2]),
    ("<Nord> Services", "distributeur", "Karl Faure", 60000.0, 70000.0, "2025-03-01", None, [3, 3, 3, 3]),
]


def make_partners(seed: int = 11, extra: int = 22) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for name, kind, contact, revenue, potential, last, consent, ratings in CRAFTED:
        rows.append({"partner": name, "type": kind, "contact": contact, "email": f"{contact.split()[0].lower()}@exemple.fr",
                     "phone": "01 99 00 00 00", "region": "Nord", "revenue": revenue, "potential": potential,
                     "last_contact": pd.Timestamp(last) if last else pd.NaT,
                     "consent_date": pd.Timestamp(consent) if consent else pd.NaT,
                     **dict(zip(RATINGS, [float(r) for r in ratings]))})
    for i in range(extra):
        kind = TYPES[i % 4]
        revenue = NAN if kind == "fournisseur" else float(rng.integers(0, 500) * 1000)
        last = pd.Timestamp("2021-01-01") + pd.Timedelta(days=int(rng.integers(0, 1900)))
        consent = last - pd.Timedelta(days=int(rng.integers(0, 700))) if rng.random() < 0.7 else pd.NaT
        rows.append({"partner": f"Partenaire {i + 1:02d}", "type": kind, "contact": f"Contact {i + 1}",
                     "email": f"c{i}@exemple.fr", "phone": f"01 99 00 {i:02d} 00", "region": "Sud",
                     "revenue": revenue, "potential": revenue * 1.7 if not np.isnan(revenue) else NAN,
                     "last_contact": last, "consent_date": consent,
                     **{r: float(rng.integers(1, 6)) for r in RATINGS}})
    return pd.DataFrame(rows)


ACTIONS = [
    ("Segment A", "Revue d'affaires", "Visite", "Marc", "2026-03-15", "prévue"),
    ("Segment A", "Revue d'affaires", "Visite", "Marc", "2026-09-15", "réalisée"),
    ("Segment B", "Appel de suivi", "Téléphone", "Lina", "2026-02-01", "prévue"),
    ("Segment C", "Newsletter", "Newsletter", None, "2026-01-31", "prévue"),
    ("distributeur", "Formation produits", "Webinaire", "Lina", "2026-04-30", "reportée"),
    ("client", "Salon annuel", "Salon", "Marc", "2026-05-20", "annulée"),
    ("Alpha Hydraulique", "Déjeuner de travail", "Déjeuner", "Marc", "2026-03-01", "prévue"),
    ("Gamma Conseil", "Visite de courtoisie", "Visite", "Lina", "2026-12-31", "réalisée"),
    ("Beta Distribution", "Revue des stocks", "Réunion", "Lina", "2026-03-31", "prévue"),
    ("Partenaire 03", "Plan promotionnel", "E-mail", None, "2026-06-15", "prévue"),
    ("prescripteur", "Rencontre technique", "Salon", None, "2025-11-15", "réalisée"),  # outside the year
    ("Segment B", "À planifier", "E-mail", None, None, "prévue"),  # no date
    ("Atelier *Pro?", "Démonstration", "Visite", "Marc", "2026-06-02", "prévue"),
    ("<Nord> Services", "Revue annuelle", "Réunion", "Lina", "2026-06-03", "réalisée"),
]
DIFFUSIONS = [
    ("2026-01-08", "Catalogue 2026", "distributeur", "E-mail"),
    ("2026-01-08", "Tarifs 2026", "client", "Courrier"),
    ("2026-02-03", "Lettre n° 1", "Segment C", "Newsletter"),
    ("2026-02-10", "Fiche technique", "Alpha Hydraulique", "E-mail"),
    ("2026-02-11", "Fiche technique", "Alpha Hydraulique", "SMS"),
    ("2026-03-12", "Invitation salon", "Segment A", "E-mail"),
    ("2026-03-20", "Plan de formation", "Beta Distribution", "Réunion"),
    ("2026-04-02", "Offre spéciale", "Atelier *Pro?", "E-mail"),
    ("2026-04-03", "Offre spéciale", "<Nord> Services", "E-mail"),
]
PREVIOUS = {"Alpha Hydraulique": 100000.0, "Beta Distribution": 0.0, "Zêta Négoce": 100000.0, "Thêta Industrie": 150000.0,
            "Partenaire 02": 12000.0}
PROCESSING = {"Beta Distribution": "Newsletter", "Gamma Conseil": "Newsletter", "Zêta Négoce": "Newsletter",
              "Êta Bureau d'études": "Contrats et facturation"}


def _actions_frame() -> pd.DataFrame:
    frame = pd.DataFrame(ACTIONS, columns=["target", "action", "tool", "owner", "date", "status"])
    frame["date"] = [pd.Timestamp(d).date() if d else None for d in frame["date"]]
    return frame


def _diffusions_frame() -> pd.DataFrame:
    frame = pd.DataFrame(DIFFUSIONS, columns=["date", "what", "recipient", "tool"])
    frame["date"] = [pd.Timestamp(d).date() for d in frame["date"]]
    return frame


def build(partners=None, **kw):
    partners = make_partners() if partners is None else partners
    args = {"year": YEAR, "reference_date": REFERENCE, "weights": WEIGHTS, "thresholds": THRESHOLDS,
            "actions": _actions_frame(), "diffusions": _diffusions_frame(), "previous_revenue": PREVIOUS,
            "processing": PROCESSING}
    args.update(kw)
    return build_network(partners, **args)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    plan, layout = build()
    path = tmp_path_factory.mktemp("network") / "reseau.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    return recalculated_workbook(built[2], tmp_path_factory.mktemp("recalc"))


# ------------------------------------------------------------------------------------------------
# independent expectations
# ------------------------------------------------------------------------------------------------

def expected_scores(partners: pd.DataFrame, weights=WEIGHTS) -> pd.Series:
    w = np.array([weights[r] for r in RATINGS])
    out = {}
    for rec in partners.to_dict("records"):
        grid = np.array([rec[r] for r in RATINGS], dtype=float)
        out[rec["partner"]] = float(score(grid, w)) if np.isfinite(grid).all() else np.nan
    return pd.Series(out)


def expected_segments(partners: pd.DataFrame, scores: pd.Series) -> pd.Series:
    kinds = partners.set_index("partner")["type"].reindex(scores.index)
    a = [THRESHOLDS[k][0] for k in kinds]
    b = [THRESHOLDS[k][1] for k in kinds]
    seg = segment(scores.to_numpy(), a, b)
    return pd.Series([s or UNRATED for s in seg], index=scores.index)


def _blank(v) -> bool:
    return v is None or v == ""


def _close(actual, expected, tol=0.005) -> bool:
    if expected is None or (isinstance(expected, float) and np.isnan(expected)) or expected == "":
        return _blank(actual)
    return not _blank(actual) and abs(float(actual) - float(expected)) <= tol


def _day(value):
    if _blank(value):
        return None
    return value.date() if isinstance(value, dt.datetime) else value


# ------------------------------------------------------------------------------------------------
# structure
# ------------------------------------------------------------------------------------------------



def test_structure(built):
    _, layout, path = built
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Annuaire", "Qualification", "Plan d'animation", "Diffusion", "Performance", "RGPD"]
    tables = {name: list(wb[name].tables) for name in wb.sheetnames}
    assert tables["Annuaire"] == ["Annuaire"] and wb["Annuaire"].tables["Annuaire"].ref == "A1:N34"
    assert tables["Plan d'animation"] == ["Actions"] and tables["Diffusion"] == ["Diffusions"]
    assert tables["RGPD"] == ["Traitements"]
    # protection: computed sheets locked, logs and directory open to new rows
    assert {name: wb[name].protection.sheet for name in wb.sheetnames} == {
        "Annuaire": False, "Qualification": True, "Plan d'animation": False, "Diffusion": False,
        "Performance": True, "RGPD": True}
    q = wb["Qualification"]
    assert q.freeze_panes == f"C{layout.q_first_row}"
    assert q.cell(layout.q_weight_row, 3).value == 3.0 and q.cell(layout.q_weight_row, 3).protection.locked is False
    r = layout.q_rows["Alpha Hydraulique"]
    assert q.cell(r, layout.q_score_col).protection.locked is True
    assert q.cell(r, layout.q_score_col).value == (
        f'=IF(OR(COUNT(C{r}:F{r})<4,SUM($C$5:$F$5)=0),"",SUMPRODUCT(C{r}:F{r},$C$5:$F$5)/SUM($C$5:$F$5))')
    assert q.cell(r, 3).value == (f'=IFERROR(IF(INDEX(Annuaire[Note qualité],MATCH($A{r},Annuaire[Partenaire],0))="","",'
                                  f'INDEX(Annuaire[Note qualité],MATCH($A{r},Annuaire[Partenaire],0))),"")')
    t = layout.q_threshold_col
    assert q.cell(layout.q_threshold_rows["distributeur"], t + 1).value == 3.5
    assert q.cell(layout.q_threshold_rows["distributeur"], t + 1).protection.locked is False
    perf = wb["Performance"]
    assert perf.cell(layout.p_rows["Alpha Hydraulique"], layout.p_cols["previous"]).value == 100000.0
    assert perf.cell(layout.p_rows["Alpha Hydraulique"], layout.p_cols["previous"]).protection.locked is False
    assert len(perf._charts) == 1
    assert perf.cell(layout.p_rows["Alpha Hydraulique"], 4).number_format.startswith("#,##0.00")
    g = wb["RGPD"]
    assert g["B3"].protection.locked is False and g["B3"].value == dt.datetime(2026, 3, 31)
    assert g.cell(layout.g_rows["Beta Distribution"], layout.g_cols["processing"]).value == "Newsletter"
    assert g.cell(layout.g_rows["Beta Distribution"], layout.g_cols["processing"]).protection.locked is False
    assert g.cell(layout.g_rows["Beta Distribution"], layout.g_cols["end"]).value.startswith("=IF(OR(I")
    validations = {ws: [(dv.type, dv.formula1) for dv in wb[ws].data_validations.dataValidation] for ws in wb.sheetnames}
    assert ("list", '"fournisseur,client,distributeur,prescripteur"') in validations["Annuaire"]
    assert ("list", '"consentement,contrat,intérêt légitime,obligation légale"') in validations["RGPD"]
    assert ("list", '"' + ",".join(STATUSES) + '"') in validations["Plan d'animation"]
    assert any(t == "list" and "Newsletter" in f for t, f in validations["RGPD"])
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.freeze_panes, name
    assert non_native_cells(wb) == []
    assert g.conditional_formatting and wb["Plan d'animation"].conditional_formatting
    assert layout.perf_partners == [p for p in layout.partners if p not in ("Delta Composants",)
                                    and not (layout.types[p] == "fournisseur" and p.startswith("Partenaire"))]


def test_openpyxl_renderer_gives_the_same_cells(built, tmp_path):
    plan, _, path = built
    other = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(other)
    a, b = openpyxl.load_workbook(path), openpyxl.load_workbook(other)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        got = [[c.value for c in row] for row in b[name].iter_rows(max_row=a[name].max_row, max_col=a[name].max_column)]
        want = [[c.value for c in row] for row in a[name].iter_rows()]
        assert got == want, name


def test_inputs_are_checked():
    partners = make_partners(extra=0)
    with pytest.raises(ValueError, match="partenaire"):
        plan_from_files(None)
    with pytest.raises(ValueError, match="vide"):
        build_network(partners.iloc[:0])
    with pytest.raises(ValueError, match="en double.*Alpha Hydraulique"):
        build_network(pd.concat([partners, partners.iloc[:1]]))
    with pytest.raises(ValueError, match="Type"):
        build_network(partners.drop(columns=["type"]))


def test_partners_without_ratings_get_an_empty_grid():
    partners = make_partners(extra=0).drop(columns=RATINGS)
    plan, layout = build_network(partners, year=YEAR)
    assert layout.ratings == ["Note globale"]
    assert plan.sheet("Annuaire").at("K1").value == "Note globale"
    assert layout.weights == {"Note globale": 1.0}


def test_plan_from_files_reads_a_partners_file(tmp_path):
    path = tmp_path / "partenaires.csv"
    path.write_text("Partenaire;Type;Contact;CA réalisé;Dernier contact;Note accueil\n"
                    "Alpha;client;Anne Roy;1 200,50;15/03/2025;4\nBeta;revendeur;;;;3\n", encoding="utf-8")
    plan = plan_from_files(xio.read_partners(path))
    assert [s.name for s in plan.sheets] == list(SHEETS.values())
    assert plan.sheet("Annuaire").at("B3").value == "distributeur"
    assert plan.sheet("Annuaire").at("G2").value == 1200.5
    assert plan.sheet("Plan d'animation").at("B3").value == 2025  # year of the latest contact
    assert plan.sheet("RGPD").at("B3").formula == "=TODAY()"


# ------------------------------------------------------------------------------------------------
# values after LibreOffice recalculation
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_no_error_cells(values):
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#")]
    assert errors == []


@requires_libreoffice
def test_qualification_matches_core_score_and_segments(values, built):
    _, layout, _ = built
    partners = make_partners()
    scores = expected_scores(partners)
    segments = expected_segments(partners, scores)
    ws = values["Qualification"]
    assert np.isnan(scores["Gamma Conseil"])  # a criterion not rated
    for rec in partners.to_dict("records"):
        r = layout.q_rows[rec["partner"]]
        assert ws.cell(r, 2).value == rec["type"]
        for name, c in layout.q_rating_cols.items():
            assert _close(ws.cell(r, c).value, rec[name], 1e-12), (rec["partner"], name)
        assert _close(ws.cell(r, layout.q_score_col).value, scores[rec["partner"]], 1e-12), rec["partner"]
        assert ws.cell(r, layout.q_segment_col).value == segments[rec["partner"]], rec["partner"]
    counts = pd.crosstab(segments, partners.set_index("partner")["type"].reindex(segments.index))
    for seg, r in layout.q_count_rows.items():
        for kind, c in layout.q_count_cols.items():
            if seg == "Total" and kind == "Total":
                want = len(partners)
            elif seg == "Total":
                want = int((partners["type"] == kind).sum())
            elif kind == "Total":
                want = int((segments == seg).sum())
            else:
                want = int(counts.loc[seg, kind]) if seg in counts.index and kind in counts.columns else 0
            assert ws.cell(r, c).value == want, (seg, kind)


def _calendar_expected(actions: pd.DataFrame, partners: pd.DataFrame, segments: pd.Series) -> dict:
    acts = actions.copy()
    acts["month"] = [d.month if not pd.isna(d) and d.year == YEAR else 0 for d in acts["date"]]
    live = acts[acts.status != "annulée"]
    kinds = partners.set_index("partner")["type"]
    out = {}

    def per_month(frame):
        return [int((frame.month == m).sum()) for m in range(1, 13)]

    out[("total", "")] = per_month(live)
    for s in STATUSES:
        out[("status", s)] = per_month(acts[acts.status == s])
    for t in [*TOOLS, "Déjeuner"]:
        out[("tool", t)] = per_month(live[live.tool == t])
    for t in ["Segment A", "Segment B", "Segment C", *TYPES]:
        out[("target", t)] = per_month(live[live.target == t])
    for p in partners.partner:
        aims = {p, "Segment " + segments[p], kinds[p]}
        out[("partner", p)] = per_month(live[live.target.isin(aims)])
    return out


@requires_libreoffice
def test_animation_calendar_matches_pandas(values, built):
    _, layout, _ = built
    partners = make_partners()
    segments = expected_segments(partners, expected_scores(partners))
    ws = values["Plan d'animation"]
    months = [_day(ws.cell(layout.cal_month_row, layout.cal_first_col + m).value) for m in range(12)]
    assert months == [dt.date(YEAR, m, 1) for m in range(1, 13)]
    expected = _calendar_expected(_actions_frame(), partners, segments)
    assert set(expected) == set(layout.cal_rows)
    for key, r in layout.cal_rows.items():
        got = [ws.cell(r, layout.cal_first_col + m).value for m in range(12)]
        assert got == expected[key], key
        assert ws.cell(r, layout.cal_first_col + 12).value == sum(expected[key]), key
    assert expected[("partner", "Alpha Hydraulique")] == [0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0]  # own + segment A
    acts = _actions_frame()
    late = sum(1 for d, s in zip(acts.date, acts.status) if s == "prévue" and not pd.isna(d) and d < dt.date.today())
    assert ws[layout.a_late_cell].value == late


@requires_libreoffice
def test_diffusion_counts_match_pandas(values, built):
    _, layout, _ = built
    partners = make_partners()
    segments = expected_segments(partners, expected_scores(partners))
    kinds = partners.set_index("partner")["type"]
    log = _diffusions_frame()
    ws = values["Diffusion"]
    assert set(layout.d_tool_cols) == {*TOOLS, "SMS"}
    for p, r in layout.d_rows.items():
        aims = {p, "Segment " + segments[p], kinds[p]}
        total = 0
        for tool, c in layout.d_tool_cols.items():
            want = int((log.recipient.isin(aims) & (log.tool == tool)).sum())
            total += want
            assert ws.cell(r, c).value == want, (p, tool)
        assert ws.cell(r, layout.d_total_col).value == total
    for tool, c in layout.d_tool_cols.items():
        assert ws.cell(layout.d_sent_row, c).value == int((log.tool == tool).sum())
    assert ws.cell(layout.d_rows["Alpha Hydraulique"], layout.d_tool_cols["E-mail"]).value == 2  # direct + segment A
    decoy = "Atelier Grand Prox"  # not reached by the offer sent to « Atelier *Pro? »
    assert ws.cell(layout.d_rows[decoy], layout.d_tool_cols["E-mail"]).value == int(segments[decoy] == "A")


@requires_libreoffice
def test_performance_matches_core(values, built):
    _, layout, _ = built
    partners = make_partners().set_index("partner").loc[layout.perf_partners]
    segments = expected_segments(make_partners(), expected_scores(make_partners()))
    revenue = partners["revenue"].fillna(0.0)
    potential = partners["potential"].fillna(0.0)
    previous = pd.Series(PREVIOUS).reindex(partners.index)
    growth = growth_rate(revenue, previous)
    share = potential_share(revenue, potential)
    rank = revenue.rank(method="min", ascending=False)
    ws = values["Performance"]
    c = layout.p_cols
    for p, r in layout.p_rows.items():
        assert ws.cell(r, c["type"]).value == partners.loc[p, "type"]
        assert ws.cell(r, c["segment"]).value == segments[p]
        assert _close(ws.cell(r, c["revenue"]).value, revenue[p])
        assert _close(ws.cell(r, c["previous"]).value, previous[p])
        assert _close(ws.cell(r, c["growth"]).value, growth[layout.perf_partners.index(p)], 1e-12), p
        assert _close(ws.cell(r, c["potential"]).value, potential[p])
        assert _close(ws.cell(r, c["share_potential"]).value, share[layout.perf_partners.index(p)], 1e-12), p
        assert _close(ws.cell(r, c["left"]).value, max(0.0, potential[p] - revenue[p]))
        assert _close(ws.cell(r, c["share_network"]).value, revenue[p] / revenue.sum(), 1e-12)
        assert ws.cell(r, c["rank"]).value == rank[p], p
    t = layout.p_total_row
    assert _close(ws.cell(t, c["revenue"]).value, revenue.sum())
    assert _close(ws.cell(t, c["previous"]).value, previous.sum())
    assert _close(ws.cell(t, c["growth"]).value, (revenue.sum() - previous.sum()) / previous.sum(), 1e-12)
    assert _close(ws.cell(t, c["left"]).value, np.maximum(0, potential - revenue).sum())
    assert ws.cell(layout.p_rows["Alpha Hydraulique"], c["rank"]).value == ws.cell(layout.p_rows["Thêta Industrie"], c["rank"]).value
    assert ws.cell(layout.p_rows["Beta Distribution"], c["growth"]).value in (None, "")  # previous revenue 0


def gdpr_expected(partners: pd.DataFrame, reference: dt.date, processing: dict) -> pd.DataFrame:
    months = {"Fiches partenaires": 36, "Prospection commerciale": 36, "Newsletter": 36, "Contrats et facturation": 60,
              "Pièces comptables": 120}
    bases = {"Fiches partenaires": "intérêt légitime", "Prospection commerciale": "intérêt légitime",
             "Newsletter": "consentement", "Contrats et facturation": "contrat", "Pièces comptables": "obligation légale"}
    frame = partners.set_index("partner")[["type", "last_contact", "consent_date"]].copy()
    frame["processing"] = [processing.get(p) or ("Prospection commerciale" if t == "prescripteur" else "Fiches partenaires")
                           for p, t in frame["type"].items()]
    frame["months"] = frame["processing"].map(months)
    frame["basis"] = frame["processing"].map(bases)
    frame["end"] = retention_end(frame["last_contact"].to_numpy(), frame["consent_date"].to_numpy(), frame["months"].to_numpy())
    frame["alert"] = retention_status(frame["end"].to_numpy(), reference, frame["consent_date"].to_numpy(),
                                      frame["basis"].to_numpy())
    return frame


@requires_libreoffice
def test_gdpr_retention_and_alerts_match_core(values, built):
    _, layout, _ = built
    partners = make_partners()
    want = gdpr_expected(partners, REFERENCE, PROCESSING)
    ws = values["RGPD"]
    c = layout.g_cols
    for p, r in layout.g_rows.items():
        row = want.loc[p]
        assert ws.cell(r, c["processing"]).value == row["processing"]
        assert ws.cell(r, c["basis"]).value == row["basis"]
        assert ws.cell(r, c["months"]).value == row["months"]
        end = None if pd.isna(row["end"]) else pd.Timestamp(row["end"]).date()
        assert _day(ws.cell(r, c["end"]).value) == end, p
        starts = [d for d in (row["last_contact"], row["consent_date"]) if not pd.isna(d)]
        assert _day(ws.cell(r, c["start"]).value) == (max(starts).date() if starts else None), p
        assert (ws.cell(r, c["alert"]).value or "") == row["alert"], p
    assert ws[layout.g_purge_cell].value == int((want["alert"] == "à purger").sum()) > 0
    assert ws[layout.g_consent_cell].value == int((want["alert"] == "consentement manquant").sum()) > 0
    assert want.loc["Beta Distribution", "alert"] == "à purger"  # purge wins over the missing consent
    assert want.loc["Gamma Conseil", "alert"] == "consentement manquant"
    assert _day(ws.cell(layout.g_rows["Zêta Négoce"], c["end"]).value) == dt.date(2029, 1, 15)  # consent after contact
    assert _day(ws.cell(layout.g_rows["Êta Bureau d'études"], c["end"]).value) == dt.date(2029, 2, 28)  # 29 Feb + 60 months


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if _blank(v) or (not isinstance(v, str) and pd.isna(v)) else v) for k, v in rec.items()}
            for rec in frame.to_dict("records")]


@requires_libreoffice
def test_read_inputs_gives_back_what_was_typed(values, built):
    _, layout, _ = built
    grids = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in values.worksheets}
    got = read_inputs(grids)
    assert got["weights"] == WEIGHTS
    assert got["thresholds"] == THRESHOLDS
    assert got["year"] == YEAR and got["reference_date"] == REFERENCE
    assert got["previous_revenue"] == PREVIOUS
    assert got["processing"] == layout.processing
    assert _records(got["actions"]) == _records(_actions_frame())
    assert _records(got["diffusions"]) == _records(_diffusions_frame())
    assert got["register"]["processing"].tolist() == layout.register["processing"].tolist()
    assert got["register"]["months"].tolist() == [36, 36, 36, 60, 120]


# ------------------------------------------------------------------------------------------------
# live formulas: inputs changed in the file, recalculated
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_outputs_follow_changed_inputs(built, tmp_path):
    plan, layout, _ = built
    path = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    # a new weight, Gamma's missing rating typed in the directory
    q = wb["Qualification"]
    q.cell(layout.q_weight_row, layout.q_rating_cols["Note relation"]).value = 4.0
    ann = wb["Annuaire"]
    head = [c.value for c in ann[1]]
    gamma = next(r for r in range(2, ann.max_row + 1) if ann.cell(r, 1).value == "Gamma Conseil")
    ann.cell(gamma, head.index("Note délais") + 1).value = 5.0
    # a later reference date, Alpha moved to the newsletter
    g = wb["RGPD"]
    g["B3"].value = dt.datetime(2028, 6, 30)
    # an action added below the Actions table
    pa = wb["Plan d'animation"]
    table = pa.tables["Actions"]
    new = layout.a_first_row + len(ACTIONS)
    for j, v in enumerate(["Gamma Conseil", "Essai", "Visite", None, dt.datetime(2026, 7, 1), "prévue"], start=1):
        pa.cell(new, j).value = v
    table.ref = f"A{layout.a_first_row - 1}:F{new}"
    # previous revenue typed
    perf = wb["Performance"]
    perf.cell(layout.p_rows["Gamma Conseil"], layout.p_cols["previous"]).value = 8000.0
    wb.save(path)
    after = recalculated_workbook(path, tmp_path / "after")

    partners = make_partners()
    partners.loc[partners.partner == "Gamma Conseil", "Note délais"] = 5.0
    weights = dict(WEIGHTS, **{"Note relation": 4.0})
    scores = expected_scores(partners, weights)
    kinds = partners.set_index("partner")["type"].reindex(scores.index)
    segments = pd.Series([s or UNRATED for s in segment(scores.to_numpy(), [THRESHOLDS[k][0] for k in kinds],
                                                        [THRESHOLDS[k][1] for k in kinds])], index=scores.index)
    ws = after["Qualification"]
    for p, r in layout.q_rows.items():
        assert _close(ws.cell(r, layout.q_score_col).value, scores[p], 1e-12), p
        assert ws.cell(r, layout.q_segment_col).value == segments[p], p
    assert not np.isnan(scores["Gamma Conseil"])
    want = gdpr_expected(partners, dt.date(2028, 6, 30), PROCESSING)
    assert after["RGPD"][layout.g_purge_cell].value == int((want["alert"] == "à purger").sum())
    assert int((want["alert"] == "à purger").sum()) > int((gdpr_expected(partners, REFERENCE, PROCESSING)["alert"] == "à purger").sum())
    actions = pd.concat([_actions_frame(), pd.DataFrame([{"target": "Gamma Conseil", "action": "Essai", "tool": "Visite",
                                                          "owner": None, "date": dt.date(2026, 7, 1), "status": "prévue"}])],
                        ignore_index=True)
    expected = _calendar_expected(actions, partners, segments)
    cal = after["Plan d'animation"]
    for key in [("partner", "Gamma Conseil"), ("tool", "Visite"), ("total", "")]:
        got = [cal.cell(layout.cal_rows[key], layout.cal_first_col + m).value for m in range(12)]
        assert got == expected[key], key
    g_row = layout.p_rows["Gamma Conseil"]
    assert _close(after["Performance"].cell(g_row, layout.p_cols["growth"]).value, (0.0 - 8000.0) / 8000.0, 1e-12)


# ------------------------------------------------------------------------------------------------
# sample company and the template button (xlwings' Office.js book)
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_sample_company_workbook_recalculates_without_error(tmp_path):
    from xlsales.recalc import error_cells
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    plan = plan_for_company(company)
    path = tmp_path / "reseau.xlsx"
    write_book(plan, path)
    assert error_cells(path, tmp_path / "rc") == []
    wb = openpyxl.load_workbook(path)
    assert wb["Plan d'animation"]["B3"].value == int(company.sales["date"].dt.year.max()) + 1
    assert wb["Diffusion"].tables["Diffusions"].ref == "A4:D11"  # header and seven example entries
    assert [wb["Qualification"].cell(6, c).value for c in range(3, 7)] == [
        c for c in company.partners.columns if c.startswith("Note")]




@requires_libreoffice
def test_refresh_rebuilds_and_keeps_everything_typed(values, built, tmp_path):
    _, layout, _ = built
    payload = officejs_payload(values, "reseau.xlsx")
    sheets = {s["name"]: s["values"] for s in payload["sheets"]}
    annuaire = sheets["Annuaire"]
    new = list(annuaire[1])
    new[0], new[1] = "Nouveau Partenaire", "client"
    annuaire.append(new)
    sheets["Qualification"][layout.q_weight_row - 1][2] = 7.0
    plan_rows = sheets["Plan d'animation"]
    r = layout.a_first_row + len(ACTIONS)  # first row below the table
    plan_rows[r - 1][:6] = ["Nouveau Partenaire", "Premier rendez-vous", "Visite", "Lina", "2026-10-05T00:00:00.000Z",
                            "prévue"]
    sheets["Performance"][layout.p_rows["Gamma Conseil"] - 1][layout.p_cols["previous"] - 1] = 4321.0
    sheets["RGPD"][layout.g_rows["Alpha Hydraulique"] - 1][layout.g_cols["processing"] - 1] = "Pièces comptables"
    sheets["RGPD"][2][1] = "2027-01-31T00:00:00.000Z"
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros.network import refresh
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
before = book.sheets["Annuaire"].used_range.value
refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
def grid(name):
    return [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name][0]
print(json.dumps({{"names": names, "annuaire_unchanged": before == book.sheets["Annuaire"].used_range.value,
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "funcs": sorted({{a["func"] for a in actions}}),
    "grids": {{n: grid(n) for n in ("Qualification", "Plan d'animation", "Diffusion", "Performance", "RGPD")}}}},
    default=str))
"""
    result = run_live(script)
    assert result["annuaire_unchanged"] and "Annuaire" not in result["touched"]
    assert {"Qualification", "Plan d'animation", "Diffusion", "Performance", "RGPD"} <= set(result["touched"])
    assert {"sheetDelete", "addSheet", "setFormula", "addTable", "addConditionalFormat", "addChart",
            "freezePaneAtRange"} <= set(result["funcs"])
    assert result["names"] == list(SHEETS.values())
    grids = result["grids"]
    q = grids["Qualification"]
    assert q[layout.q_weight_row - 1][2] == 7.0  # the weight typed is kept
    assert q[layout.q_weight_row - 1][3:6] == [2.0, 1.5, 0.5]
    assert "Nouveau Partenaire" in [row[0] for row in q]  # the new partner got its row
    plan_grid = grids["Plan d'animation"]
    table = [row[:6] for row in plan_grid[layout.a_first_row - 1:]]
    serial = (dt.date(2026, 10, 5) - dt.date(1899, 12, 30)).days
    assert ["Nouveau Partenaire", "Premier rendez-vous", "Visite", "Lina", serial, "prévue"] in table
    first_action = list(ACTIONS[0][:4]) + [(dt.date(2026, 3, 15) - dt.date(1899, 12, 30)).days, "prévue"]
    assert table[0] == first_action
    assert "Nouveau Partenaire" in [row[8] for row in plan_grid]  # calendar line of the new partner
    diffusion = grids["Diffusion"]
    assert [row[:4] for row in diffusion[layout.d_first_row - 1:layout.d_first_row - 1 + len(DIFFUSIONS)]] == [
        [(dt.date.fromisoformat(d) - dt.date(1899, 12, 30)).days, w, who, tool] for d, w, who, tool in DIFFUSIONS]
    perf = grids["Performance"]
    rows = {row[0]: row for row in perf}
    assert rows["Gamma Conseil"][layout.p_cols["previous"] - 1] == 4321.0
    assert rows["Alpha Hydraulique"][layout.p_cols["previous"] - 1] == 100000.0
    assert "Nouveau Partenaire" in rows
    gdpr = grids["RGPD"]
    assert gdpr[2][1] == (dt.date(2027, 1, 31) - dt.date(1899, 12, 30)).days
    by_partner = {row[0]: row for row in gdpr}
    assert by_partner["Alpha Hydraulique"][layout.g_cols["processing"] - 1] == "Pièces comptables"
    assert by_partner["Beta Distribution"][layout.g_cols["processing"] - 1] == "Newsletter"
    assert by_partner["Nouveau Partenaire"][layout.g_cols["processing"] - 1] == "Fiches partenaires"
    assert [row[0] for row in gdpr[layout.g_register_first_row - 1:layout.g_register_first_row + 4]] == [
        "Fiches partenaires", "Prospection commerciale", "Newsletter", "Contrats et facturation", "Pièces comptables"]
