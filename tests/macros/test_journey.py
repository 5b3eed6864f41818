"""Customer-journey workbook: build it, check its structure, recalculate it in LibreOffice and compare
every computed cell of « Entonnoir », « Carte d'expérience » and « Tournée » with pandas and the core
(FUNNEL, DISTANCE_KM, TOUR and :mod:`xlsales.core.journey_plan`) on the same inputs; then change
inputs in the file (spending, opportunities, marks, tour parameters), recalculate and compare again;
and run the template button's refresh on the JSON of an open workbook."""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from native_formulas import non_native_cells

from xlsales import io as xio
from xlsales.core import distance_km, distance_matrix_km, funnel, tour
from xlsales.core.journey_plan import ALL_CHANNELS, STAGES, split_days
from xlsales.macros.journey import (
    DAY_COLUMNS,
    EXPERIENCE_STAGES,
    OPP_HEADERS,
    OPP_TABLE,
    SHEETS,
    STAGE_LABELS,
    TOUCHPOINTS,
    build_journey,
    plan_for_company,
    plan_from_files,
    select_visits,
    tour_map_png,
)
from xlsales.recalc import error_cells, recalculated_workbook
from xlsales.sheets.plan import col, png_size
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported")

CHANNELS = ["Salon", "Site web", "Recommandation"]
REASONS = ["Prix trop élevé", "Concurrent retenu", "Projet reporté"]
SPEND = {"Salon": 12000.0, "Site web": 3150.0}  # Recommandation: not typed
START = ("Agence de Lyon, 12 quai Perrache", 45.7485, 4.8270)
PARAMS = {"speed_kmh": 55.0, "road_factor": 1.3, "day_minutes": 300.0}
OUTPUT_SHEETS = (SHEETS["funnel"], SHEETS["experience"], SHEETS["tour"])


def make_opportunities(seed: int = 11, n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lead = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    stage = np.zeros(n, dtype=int)
    dates = np.full((n, 5), np.datetime64("NaT"), dtype="datetime64[ns]")
    dates[:, 0] = lead.to_numpy()
    for j in range(1, 5):
        go = (stage == j - 1) & (rng.random(n) < (0.8, 0.6, 0.7, 0.5)[j - 1])
        dates[go, j] = dates[go, j - 1] + rng.integers(1, 25, go.sum()).astype("timedelta64[D]")
        stage[go] = j
    dates[rng.random(n) < 0.08, 1] = np.datetime64("NaT")  # a few contacts without a date
    channel = np.array(CHANNELS, dtype=object)[rng.integers(0, 3, n)]
    channel[[5, 17, 40, 66]] = None  # no channel: in the total only
    lost = (stage < 4) & (rng.random(n) < 0.7)
    reason = np.where(lost, np.array(REASONS, dtype=object)[rng.integers(0, 3, n)], None)
    frame = pd.DataFrame({
        "id": [f"OPP-{i + 1:03d}" for i in range(n)],
        "customer": [f"Client {i % 37:02d}" for i in range(n)],
        "channel": channel,
        "rep": rng.choice(["Alice Martin", "Bruno Petit"], n),
        "stage": np.array(STAGES, dtype=object)[stage],
        **{"date_" + s: dates[:, j] for j, s in enumerate(STAGES)},
        "amount": np.round(rng.uniform(500, 40000, n), -1),
        "lost_reason": reason,
        "satisfaction": np.where(stage == 4, rng.integers(4, 11, n), np.nan),
    })
    frame.loc[3, "amount"] = np.nan
    return frame


def make_visits() -> pd.DataFrame:
    return pd.DataFrame({
        "customer": ["LY01", "LY02", "LY03", "LY04", "LY05", "LY06", "LY07", "LY08", "LY09"],
        "address": ["Villeurbanne", "Vénissieux", "Bourg-en-Bresse", "Vienne", "Villefranche-sur-Saône",
                    "Saint-Étienne", "Ambérieu-en-Bugey", None, "Givors"],
        "latitude": [45.7719, 45.6975, 46.2052, 45.5255, 45.9899, 45.4397, 45.9581, 45.6380, 45.5906],
        "longitude": [4.8902, 4.8859, 5.2255, 4.8745, 4.7190, 4.3872, 5.3597, 5.0890, 4.7690],
        "visit_minutes": [60.0, 45.0, 90.0, 30.0, 60.0, 90.0, np.nan, 45.0, 30.0],
        "priority": [1, 2, 1, 3, 2, 1, 3, 2, 2],
    })


# ------------------------------------------------------------------------------------------------
# expected values: pandas and the core on the same inputs
# ------------------------------------------------------------------------------------------------

def _e(value):
    """An expected value as the cell shows it: None for empty / NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value) if isinstance(value, (int, float, np.integer, np.floating)) else value


def expected_cells(layout, o: pd.DataFrame, visits: pd.DataFrame, params: dict, spend: dict,
                   marks: dict | None = None) -> dict:
    """{(sheet, row, column): value} of every computed cell, from pandas and the core."""
    exp = {}
    rank = o["stage"].map({s: k for k, s in enumerate(STAGES, start=1)}).to_numpy()
    days = {s: pd.to_datetime(o["date_" + s]) for s in STAGES}
    groups = layout.channels + [ALL_CHANNELS]

    def members(g):
        return np.ones(len(o), bool) if g == ALL_CHANNELS else (o["channel"] == g).to_numpy()

    def median(later, earlier, mask):
        delta = (days[later] - days[earlier]).dt.days[mask].dropna()
        return float(delta.median()) if len(delta) else None

    # « Entonnoir »: channel × stage
    ws, fc = SHEETS["funnel"], layout.funnel_cols
    for g in groups:
        mask = members(g)
        counts = np.array([(rank[mask] >= k).sum() for k in range(1, 6)], dtype=float)
        table = funnel(counts)  # FUNNEL of the catalogue
        for k, s in enumerate(STAGES):
            r = layout.funnel_rows[(g, s)]
            exp[(ws, r, fc["count"])] = counts[k]
            exp[(ws, r, fc["at_stage"])] = float((rank[mask] == k + 1).sum())
            exp[(ws, r, fc["step"])] = _e(table[k, 1])
            exp[(ws, r, fc["overall"])] = _e(table[k, 2])
            exp[(ws, r, fc["drop_off"])] = _e(table[k, 3])
            if k:
                exp[(ws, r, fc["median_days"])] = median(s, STAGES[k - 1], mask)
    # « Entonnoir »: summary per channel
    sc = layout.summary_cols
    for g in groups:
        r, mask = layout.summary_rows[g], members(g)
        won = mask & (rank == 5)
        leads, orders = float(mask.sum()), float(won.sum())
        revenue = float(o.loc[won, "amount"].fillna(0).sum())
        cost = sum(spend.get(c, 0.0) for c in layout.channels) if g == ALL_CHANNELS else spend.get(g)
        if g == ALL_CHANNELS and not any(c in spend for c in layout.channels):
            cost = None
        marks_given = o.loc[mask, "satisfaction"].dropna()
        values = {
            "leads": leads, "orders": orders, "conversion": orders / leads if leads else None, "revenue": revenue,
            "average_order": revenue / orders if orders else None,
            "cost_per_lead": cost / leads if cost is not None and leads else None,
            "cost_per_acquisition": cost / orders if cost is not None and orders else None,
            "spend_to_revenue": cost / revenue if cost is not None and revenue else None,
            "cycle_days": median("order", "lead", mask),
            "satisfaction": float(marks_given.mean()) if len(marks_given) else None,
            "answers": float(len(marks_given)),
        }
        if g == ALL_CHANNELS:
            values["spend"] = cost
        for key, value in values.items():
            exp[(ws, r, sc[key])] = value
    # « Entonnoir »: lost reasons
    if layout.reasons:
        cross = pd.crosstab(o["lost_reason"], o["stage"]).reindex(index=layout.reasons, columns=list(STAGES),
                                                                   fill_value=0)
        grand = float(cross.to_numpy().sum())
        for reason in layout.reasons + ["Total"]:
            r = layout.reason_total_row if reason == "Total" else layout.reason_rows[reason]
            row = cross.sum() if reason == "Total" else cross.loc[reason]
            for s in STAGES:
                exp[(ws, r, layout.reason_cols[s])] = float(row[s])
            exp[(ws, r, layout.reason_cols["total"])] = float(row.sum())
            exp[(ws, r, layout.reason_cols["share"])] = float(row.sum()) / grand
    # « Carte d'expérience »
    ws, ec = SHEETS["experience"], layout.experience_cols
    marks = marks or {}
    reached = [float((rank >= k).sum()) for k in range(1, 6)]
    satisfaction = o["satisfaction"].dropna()
    for stage, r in layout.experience_rows.items():
        given = [marks[(stage, t)] for t in TOUCHPOINTS if (stage, t) in marks]
        exp[(ws, r, ec["average"])] = float(np.mean(given)) if given else None
        funnel_stage, _, kind = EXPERIENCE_STAGES[stage]
        if kind == "count":
            value = reached[0]
        elif kind == "step":
            k = STAGES.index(funnel_stage)
            value = reached[k] / reached[k - 1] if reached[k - 1] else None
        elif kind == "satisfaction":
            value = float(satisfaction.mean()) if len(satisfaction) else None
        else:
            value = float((satisfaction >= 8).mean()) if len(satisfaction) else None
        exp[(ws, r, ec["value"])] = value
    avg_row = layout.experience_average_row
    for t, c in layout.touchpoint_cols.items():
        given = [v for (stage, tp), v in marks.items() if tp == t]
        exp[(ws, avg_row, c)] = float(np.mean(given)) if given else None
    exp[(ws, avg_row, ec["average"])] = float(np.mean(list(marks.values()))) if marks else None
    # « Tournée »: the order of the workbook, legs by DISTANCE_KM, days by split_days
    ws, oc = SHEETS["tour"], layout.order_cols
    v = visits.set_index("customer")
    lat0, lon0 = params["start_latitude"], params["start_longitude"]
    m = params["road_factor"] / params["speed_kmh"] * 60
    exp[(ws, 11, 2)] = m
    order = layout.order
    lat = v.loc[order, "latitude"].to_numpy(float)
    lon = v.loc[order, "longitude"].to_numpy(float)
    minutes = v.loc[order, "visit_minutes"].fillna(0).to_numpy(float)
    path_lat, path_lon = np.r_[lat0, lat], np.r_[lon0, lon]
    leg = np.array([distance_km(path_lat[i], path_lon[i], path_lat[i + 1], path_lon[i + 1]) for i in range(len(order))])
    home = np.array([distance_km(lat0, lon0, a, b) for a, b in zip(lat, lon)])
    plan = split_days(leg, home, minutes, m, params["day_minutes"])
    for k, customer in enumerate(order):
        r = layout.order_first_row + k
        address = v.loc[customer, "address"]
        cells = {
            "address": None if address is None or pd.isna(address) else address,
            "day": float(plan.day[k]), "latitude": lat[k], "longitude": lon[k], "visit": minutes[k],
            "leg_km": leg[k], "start_km": home[k], "travel_km": plan.travel_km[k],
            "travel_minutes": plan.travel_minutes[k], "end_minutes": plan.end_minutes[k],
            "return_km": plan.return_km[k], "day_end_minutes": _e(plan.day_end_minutes[k]),
        }
        for key, value in cells.items():
            if key == "day" and k == 0:
                continue  # the first stop's day is the value 1
            exp[(ws, r, oc[key])] = value
    frame = pd.DataFrame({"day": plan.day, "km": plan.travel_km + plan.return_km, "visit": minutes})
    per_day = frame.groupby("day").agg(visits=("day", "size"), km=("km", "sum"), visit=("visit", "sum"))
    n_days = int(plan.day.max()) if len(order) else 0
    dc = layout.day_cols
    for d in range(1, layout.day_rows + 1):
        r = layout.day_first_row + d - 1
        if d > n_days:
            values = {key: None for key in DAY_COLUMNS}
        else:
            km = float(per_day.loc[d, "km"])
            total = km * m + float(per_day.loc[d, "visit"])
            values = {"day": float(d), "visits": float(per_day.loc[d, "visits"]), "km": km,
                      "road_km": km * params["road_factor"], "travel_minutes": km * m,
                      "visit_minutes": float(per_day.loc[d, "visit"]), "total_minutes": total,
                      "over": "oui" if total > params["day_minutes"] else "non"}
        for key, value in values.items():
            exp[(ws, r, dc[key])] = value
    km = float(frame["km"].sum())
    results = {"visits": float(len(order)), "days": float(n_days), "km": km, "road_km": km * params["road_factor"],
               "travel_minutes": km * m, "visit_minutes": float(minutes.sum()),
               "total_minutes": km * m + float(minutes.sum()),
               "circuit_km": float(leg.sum() + (home[-1] if len(order) else 0.0))}
    for key, cell in layout.result_cells.items():
        exp[(ws, int(cell[1:]), 2)] = results[key]
    return exp


def compare(values, plan, exp: dict) -> None:
    """Every formula cell of the computed sheets has an expected value, and the recalculated cell equals it."""
    seen = set()
    for name in OUTPUT_SHEETS:
        ws = values[name]
        for (r, c), spec in plan.sheet(name).cells.items():
            if spec.formula is None:
                continue
            key = (name, r, c)
            assert key in exp, f"no expected value for {name}!{col(c)}{r}: {spec.formula}"
            seen.add(key)
            got, want = ws.cell(r, c).value, exp[key]
            where = f"{name}!{col(c)}{r} {spec.formula[:80]}"
            if want is None or want == "":
                assert got in (None, ""), (where, got)
            elif isinstance(want, str):
                assert got == want, (where, got, want)
            else:
                money = spec.style.endswith("eur")
                tolerance = 0.005 if money else 1e-9 * max(1.0, abs(want))
                assert isinstance(got, (int, float)) and abs(got - want) <= tolerance, (where, got, want)
    assert seen == {k for k in exp if k[0] in OUTPUT_SHEETS}


# ------------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    opportunities, visits = make_opportunities(), make_visits()
    plan, layout = build_journey(opportunities, visits, start=START, spend=SPEND, **PARAMS)
    path = tmp_path_factory.mktemp("journey") / "parcours.xlsx"
    write_book(plan, path)
    return plan, layout, path


@pytest.fixture(scope="module")
def values(built, tmp_path_factory):
    return recalculated_workbook(built[2], tmp_path_factory.mktemp("recalc"))


def _params():
    return {"start_latitude": START[1], "start_longitude": START[2], **PARAMS}


# ------------------------------------------------------------------------------------------------
# structure
# ------------------------------------------------------------------------------------------------



def test_structure(built):
    plan, layout, path = built
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Entonnoir", "Carte d'expérience", "Tournée", "Opportunités"]
    assert [s.role for s in plan.sheets] == ["output", "input", "output", "input"]
    # the opportunities: an Excel Table with the readers' headers, unprotected, stage list
    opp = wb["Opportunités"]
    assert list(opp.tables) == [OPP_TABLE] and opp.tables[OPP_TABLE].ref == "A1:M91"
    assert [opp.cell(1, c).value for c in range(1, 14)] == list(OPP_HEADERS.values())
    assert opp.protection.sheet is False and opp.freeze_panes == "B2"
    assert {opp.cell(r, 5).value for r in range(2, 92)} <= set(STAGE_LABELS.values())
    lists = [dv for dv in opp.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"piste,contact,rendez-vous,devis,commande"'
    # computed sheets: protected, A4 landscape fitted to the width, frozen headers, locked formulas
    for name in ("Entonnoir", "Tournée"):
        ws = wb[name]
        assert ws.protection.sheet is True
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        # one page wide (XlsxWriter leaves out fitToWidth=1, the default), as many pages high as needed
        assert ws.page_setup.fitToWidth in (None, 1) and int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.freeze_panes
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.protection.locked, (name, cell.coordinate)
    funnel_ws = wb["Entonnoir"]
    assert funnel_ws.freeze_panes == f"B{layout.summary_rows[layout.channels[0]]}"
    spend_col = layout.summary_cols["spend"]
    for channel in layout.channels:
        cell = funnel_ws.cell(layout.summary_rows[channel], spend_col)
        assert cell.protection.locked is False and cell.value == SPEND.get(channel)
    assert len(funnel_ws._charts) == 3
    r = layout.funnel_rows[("Salon", "contact")]
    assert funnel_ws.cell(r, layout.funnel_cols["at_stage"]).value == \
        f"=COUNTIFS(Opportunites[Canal],$A{r},Opportunites[Étape atteinte],$B{r})"
    median = funnel_ws.cell(r, layout.funnel_cols["median_days"]).value
    assert median.startswith("=IFERROR(_xlfn.AGGREGATE(16,6,(Opportunites[Date contact]-Opportunites[Date piste])/")
    # experience map: a protected input sheet, marks 1-5 unlocked, colour scale
    exp_ws = wb["Carte d'expérience"]
    assert exp_ws.protection.sheet is True
    first = layout.experience_rows["Contact"]
    assert exp_ws.cell(first, 2).protection.locked is False
    assert any(dv.type == "whole" and float(dv.formula1) == 1 and float(dv.formula2) == 5
               for dv in exp_ws.data_validations.dataValidation)
    rules = [rule.type for cf in exp_ws.conditional_formatting for rule in cf.rules]
    assert "colorScale" in rules
    # tour: typed parameters and customers unlocked, haversine legs, the map picture
    tour_ws = wb["Tournée"]
    for key in ("start", "start_latitude", "speed_kmh", "road_factor", "day_minutes"):
        assert tour_ws[layout.param_cells[key]].protection.locked is False
    assert tour_ws["B6"].value == START[1] and tour_ws["B8"].value == 55
    assert tour_ws.cell(layout.visit_header_row + 1, 1).protection.locked is False
    leg = tour_ws.cell(layout.order_first_row, layout.order_cols["leg_km"]).value
    for function in ("RADIANS(", "SIN(", "COS(", "ASIN(", "SQRT("):
        assert function in leg
    assert len(tour_ws._images) == 1 and len(tour_ws._charts) == 1
    with zipfile.ZipFile(path) as archive:
        media = [n for n in archive.namelist() if n.startswith("xl/media/")]
        assert len(media) == 1 and png_size(archive.read(media[0])) == (960, 680)
    # only functions of Excel 2010+ that LibreOffice 7.4 computes; none of our own
    assert non_native_cells(wb) == []


def test_openpyxl_renderer_writes_the_same_book(built, tmp_path):
    plan, layout, _ = built
    path = tmp_path / "openpyxl.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [s.name for s in plan.sheets]
    tour_ws = wb["Tournée"]
    assert len(tour_ws._images) == 1
    image = tour_ws._images[0]
    assert (image.anchor._from.col, image.anchor._from.row) == (layout.day_cols["over"] + 1, 3)
    assert wb["Opportunités"].tables[OPP_TABLE].ref == "A1:M91"
    r = layout.order_first_row + 1
    assert tour_ws.cell(r, layout.order_cols["day"]).value == plan.sheet("Tournée").cells[(r, layout.order_cols["day"])].formula


# ------------------------------------------------------------------------------------------------
# LibreOffice: every computed cell against pandas and the core
# ------------------------------------------------------------------------------------------------

@requires_libreoffice
def test_no_error_cells(values):
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []


@requires_libreoffice
def test_every_computed_cell_matches_pandas_and_the_core(values, built):
    plan, layout, _ = built
    exp = expected_cells(layout, layout.opportunities, layout.visits, _params(), SPEND)
    compare(values, plan, exp)


def test_visiting_order_is_tour(built):
    """The order written is TOUR's over the start and the customers (a round trip from the start)."""
    _, layout, _ = built
    v = make_visits()
    t = tour(np.r_[START[1], v["latitude"]], np.r_[START[2], v["longitude"]], start_index=1, return_to_start=True)
    assert layout.order == [v["customer"].iat[i - 2] for i in t.order[1:]]
    assert layout.tour.circuit_km == pytest.approx(t.length, rel=1e-12)
    assert layout.tour.days.day.max() >= 2  # 300-minute days: the tour takes several
    # the customer without a visit duration got the default 45 minutes
    assert layout.visits.set_index("customer").loc["LY07", "visit_minutes"] == 45


@requires_libreoffice
def test_changed_inputs_flow_through(built, tmp_path):
    """Typed changes in the file (openpyxl renderer) recompute every figure: spending, a stage, a new
    opportunity line, satisfaction marks, the tour's speed and working time, a visit duration."""
    plan, layout, _ = built
    path = tmp_path / "changed.xlsx"
    render_book(plan).save(path)
    wb = openpyxl.load_workbook(path)
    o = layout.opportunities.copy()
    spend = dict(SPEND, Recommandation=4800.0, Salon=9999.99)
    fw = wb["Entonnoir"]
    for channel in ("Recommandation", "Salon"):
        fw.cell(layout.summary_rows[channel], layout.summary_cols["spend"]).value = spend[channel]
    # an opportunity at the quote stage is won; a new line is pasted below the table
    ow = wb["Opportunités"]
    header = {ow.cell(1, c).value: c for c in range(1, 14)}
    k = int(np.flatnonzero((o["stage"] == "quote").to_numpy())[0])
    ow.cell(k + 2, header["Étape atteinte"]).value = "commande"
    ow.cell(k + 2, header["Date commande"]).value = dt.datetime(2025, 12, 1)
    ow.cell(k + 2, header["Satisfaction"]).value = 3
    o.loc[k, ["stage", "date_order", "satisfaction"]] = ["order", pd.Timestamp("2025-12-01"), 3.0]
    new = len(o) + 2
    line = {"N° opportunité": "OPP-NEW", "Client": "Nouveau client", "Canal": "Site web", "Étape atteinte": "rendez-vous",
            "Date piste": dt.datetime(2025, 11, 3), "Date contact": dt.datetime(2025, 11, 5),
            "Date rendez-vous": dt.datetime(2025, 11, 20), "Montant HT": 7000.0, "Motif de perte": "Projet reporté"}
    for h, value in line.items():
        ow.cell(new, header[h]).value = value
    o.loc[len(o)] = {"id": "OPP-NEW", "customer": "Nouveau client", "channel": "Site web", "rep": None, "stage": "meeting",
                     "date_lead": pd.Timestamp("2025-11-03"), "date_contact": pd.Timestamp("2025-11-05"),
                     "date_meeting": pd.Timestamp("2025-11-20"), "date_quote": pd.NaT, "date_order": pd.NaT,
                     "amount": 7000.0, "lost_reason": "Projet reporté", "satisfaction": np.nan}
    table = ow.tables[OPP_TABLE]
    table.ref = f"A1:M{new}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    # satisfaction marks
    ew = wb["Carte d'expérience"]
    marks = {("Contact", "Téléphone"): 4, ("Contact", "E-mail"): 2, ("Devis", "Devis / ADV"): 5,
             ("Commande", "Téléphone"): 3}
    for (stage, touchpoint), mark in marks.items():
        ew.cell(layout.experience_rows[stage], layout.touchpoint_cols[touchpoint]).value = mark
    # tour: faster, longer days, one visit longer
    tw = wb["Tournée"]
    params = dict(_params(), speed_kmh=80.0, day_minutes=420.0)
    tw[layout.param_cells["speed_kmh"]] = 80
    tw[layout.param_cells["day_minutes"]] = 420
    visits = make_visits()
    row = layout.visit_header_row + 1 + 2  # third customer typed: LY03
    assert tw.cell(row, 1).value == "LY03"
    tw.cell(row, 5).value = 150
    visits.loc[2, "visit_minutes"] = 150.0
    visits["visit_minutes"] = visits["visit_minutes"].fillna(45.0)
    wb.save(path)
    after = recalculated_workbook(path, tmp_path / "after")
    exp = expected_cells(layout, o, visits, params, spend, marks)
    compare(after, plan, exp)
    salon = after["Entonnoir"].cell(layout.summary_rows["Salon"], layout.summary_cols["cost_per_acquisition"]).value
    assert salon == pytest.approx(9999.99 / ((o.channel == "Salon") & (o.stage == "order")).sum())


# ------------------------------------------------------------------------------------------------
# entry points
# ------------------------------------------------------------------------------------------------

def test_build_errors_are_french():
    o = make_opportunities()
    with pytest.raises(ValueError, match="aucune opportunité"):
        build_journey(o.iloc[0:0])
    bad = o.copy()
    bad.loc[0, "stage"] = "gagnée"
    with pytest.raises(ValueError, match="étape inconnue"):
        build_journey(bad)
    visits = make_visits()
    visits.loc[1, "latitude"] = np.nan
    with pytest.raises(ValueError, match="coordonnées manquantes.*LY02"):
        build_journey(o, visits)
    with pytest.raises(ValueError, match="2019"):
        build_journey(o, year=2019)


def test_year_keeps_the_leads_of_that_year():
    o = make_opportunities()
    o.loc[:9, "date_lead"] = pd.Timestamp("2024-06-01")
    _, layout = build_journey(o, year=2025, draw_map=False)
    assert len(layout.opportunities) == len(o) - 10
    assert (layout.opportunities["date_lead"].dt.year == 2025).all()


def test_tour_map_picture():
    from PIL import Image

    png = tour_map_png((45.75, 4.83), [45.77, 45.70, 46.20], [4.89, 4.89, 5.23], [1, 1, 2], title="Essai")
    assert png_size(png) == (960, 680)
    import io

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    colours = {tuple(p) for p in pixels[::7]}
    assert (0x1F, 0x77, 0xB4) in colours and (0xD6, 0x27, 0x28) in colours  # day 1 and day 2
    assert (0, 0, 0) in colours  # the start
    assert tour_map_png((45.75, 4.83), [45.77], [4.89], [1]) == tour_map_png((45.75, 4.83), [45.77], [4.89], [1])


def test_plan_for_company_tours_one_reps_customers_of_one_region():
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    plan = plan_for_company(company)
    assert [s.name for s in plan.sheets] == ["Entonnoir", "Carte d'expérience", "Tournée", "Opportunités"]
    rep, region = company.reps["rep"].iat[0], company.reps["region"].iat[0]
    sold = set(company.sales.loc[company.sales["rep"] == rep, "customer"])
    in_region = set(company.customers.loc[company.customers["region"] == region, "customer"])
    expected = sorted(sold & in_region & set(company.locations["customer"]))
    tour_sheet = plan.sheet("Tournée")
    typed = [spec.value for (r, c), spec in tour_sheet.cells.items() if c == 1 and spec.style == "input_text"
             and spec.value is not None]
    assert sorted(typed) == expected and len(expected) > 10
    assert len(tour_sheet.images) == 1
    funnel_sheet = plan.sheet("Entonnoir")
    channels = [spec.value for (r, c), spec in funnel_sheet.cells.items() if c == 1 and spec.style == "text"]
    assert set(company.opportunities["channel"]) <= set(channels)


@requires_libreoffice
def test_sample_company_workbook_has_no_error_cell(tmp_path):
    from xlsales.sample import make_sample_company

    path = tmp_path / "parcours.xlsx"
    write_book(plan_for_company(make_sample_company()), path)
    assert error_cells(path, tmp_path / "recalc") == []


@requires_libreoffice
def test_plan_from_files(tmp_path):
    """CLI inputs read from files: with locations, the densest area's customers; without, an empty tour."""
    from xlsales.sample import make_sample_company

    company = make_sample_company()
    opp_path = xio.write_table(company.opportunities, tmp_path / "opportunites.csv", xio.OPPORTUNITIES)
    loc_path = xio.write_table(company.locations, tmp_path / "localisations.csv", xio.LOCATIONS)
    opportunities, locations = xio.read_opportunities(opp_path), xio.read_locations(loc_path)
    plan = plan_from_files(opportunities, locations)
    d = distance_matrix_km(locations["latitude"], locations["longitude"])
    seed = int(np.argmax((d <= 150).sum(axis=1)))
    near = [i for i in np.argsort(d[seed], kind="stable") if d[seed, i] <= 150][:20]
    expected = sorted(locations["customer"].iloc[near])
    typed = [spec.value for (r, c), spec in plan.sheet("Tournée").cells.items() if c == 1 and spec.style == "input_text"
             and spec.value is not None]
    assert sorted(typed) == expected
    assert sorted(select_visits(locations)["customer"]) == expected
    empty = plan_from_files(opportunities)
    tour_sheet = empty.sheet("Tournée")
    assert tour_sheet.images == [] and tour_sheet.at("B6").value is None
    path = tmp_path / "vide.xlsx"
    write_book(empty, path)
    assert error_cells(path, tmp_path / "recalc") == []


# ------------------------------------------------------------------------------------------------
# the template button: refresh on the JSON of an open workbook (xlwings Office.js book)
# ------------------------------------------------------------------------------------------------



@requires_libreoffice
def test_refresh_keeps_what_was_typed(values, built, tmp_path):
    _, layout, _ = built
    payload = officejs_payload(values, "parcours.xlsx")
    sheets = {s["name"]: s for s in payload["sheets"]}
    # Entonnoir: spending typed for Recommandation
    funnel_rows = sheets["Entonnoir"]["values"]
    spend_c = layout.summary_cols["spend"] - 1
    funnel_rows[layout.summary_rows["Recommandation"] - 1][spend_c] = 2500.0
    # Opportunités: a line of a new channel
    opp_rows = sheets["Opportunités"]["values"]
    new = list(opp_rows[1])
    new[0], new[2], new[4] = "OPP-LKD", "LinkedIn", "devis"
    opp_rows.append(new)
    # Tournée: faster, and a customer added in the yellow rows
    tour_rows = sheets["Tournée"]["values"]
    tour_rows[7][1] = 75.0
    first_free = layout.visit_header_row + len(layout.visits)  # 0-based index of the first empty typed row
    tour_rows[first_free][:6] = ["LY10", "Mâcon", 46.3069, 4.8287, 40.0, 1]
    # Carte d'expérience: a mark
    exp_rows = sheets["Carte d'expérience"]["values"]
    exp_rows[layout.experience_rows["Devis"] - 1][layout.touchpoint_cols["Téléphone"] - 1] = 4
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    script = f"""
import json
import xlwings as xw
from xlsales.macros.journey import refresh
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
kept = {{n: book.sheets[n].used_range.value for n in ("Opportunités", "Carte d'expérience")}}
skipped = refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
def grid(name):
    return [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name][0]
print(json.dumps({{"names": names, "skipped": skipped,
    "kept": all(book.sheets[n].used_range.value == v for n, v in kept.items()),
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "entonnoir": grid("Entonnoir"), "tournee": grid("Tournée")}}, default=str))
"""
    result = run_live(script)
    assert result["names"] == ["Entonnoir", "Carte d'expérience", "Tournée", "Opportunités"]
    assert set(result["touched"]) == {"Entonnoir", "Tournée"} and result["kept"]
    entonnoir = result["entonnoir"]
    channels = [row[0] for row in entonnoir[layout.summary_rows[layout.channels[0]] - 1:]]
    assert "LinkedIn" in channels  # the new channel got its rows
    rows = [entonnoir[layout.summary_rows[channel] - 1] for channel in layout.channels]  # new channel after them
    spend = {row[0]: row[spend_c] for row in rows}
    assert spend == {"Salon": 12000.0, "Site web": 3150.0, "Recommandation": 2500.0}
    tournee = result["tournee"]
    assert tournee[7][1] == 75.0 and tournee[4][1] == START[0] and tournee[5][1] == START[1]
    header = next(i for i, row in enumerate(tournee) if len(row) > 2 and row[2] == "N° de passage")
    order = []
    for row in tournee[header + 1:]:
        if not row or row[0] in (None, ""):
            break
        order.append(row[0])
    assert sorted(order) == sorted(list(make_visits()["customer"]) + ["LY10"])
    typed = [row[:6] for row in tournee if row and row[0] == "LY10" and row[2] == 46.3069]
    assert typed == [["LY10", "Mâcon", 46.3069, 4.8287, 40.0, 1]]
