"""Exercises for trainers: for every topic and several seeds, the answer key recalculated by
LibreOffice equals the catalogue functions (and, for the intermediate columns of the textbook
tables, plain numpy) on the exercise's figures; the student workbook has the same data and empty,
unlocked answer cells; a seed always gives the same file and another seed other figures; the
figures are plausible; changing a figure in the key changes its answers (live formulas); the
template's button rebuilds the chosen topic and seed on xlwings' Office.js book."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import warnings
import zipfile

import numpy as np
import openpyxl
import pytest
from conftest import requires_libreoffice
from live_book import officejs_payload, run_live
from native_formulas import non_native_cells

from xlsales.core import (
    abc_class,
    acquisition_cost,
    breakeven,
    breakeven_date,
    breakeven_days,
    churn_rate,
    commission,
    contribution_margin,
    customer_lifetime,
    customer_value,
    deseasonalize,
    gini,
    invoice,
    linear_trend,
    margin,
    margin_rate,
    mark_rate,
    mediale,
    moving_average,
    multiplier,
    net_price,
    operating_leverage,
    price_from_mark_rate,
    price_ttc,
    safety_index,
    safety_margin,
    sales_budget,
    seasonal_coefficients,
    trend_forecast,
)
from xlsales.core.exercise_data import TOPIC_KEYS, generate
from xlsales.io import OutputExistsError
from xlsales.macros.exercises import (
    PARAMS_SHEET,
    SEED_CELL,
    SHEET_NAMES,
    TOPIC_CELL,
    TOPICS,
    build_exercise,
    exercise_sheets,
    plan_for_company,
    seed_from_value,
    topic_from_text,
    write_exercise,
)
from xlsales.recalc import EXCEL_ERROR_VALUES, recalculated_workbook
from xlsales.sheets.plan import BookPlan
from xlsales.sheets.render_openpyxl import render_book
from xlsales.sheets.render_xlsxwriter import write_book

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

SEEDS = (1, 2, 3, 4, 5)
EPOCH = dt.datetime(1899, 12, 30)


# ------------------------------------------------------------------------------------------------
# the expected answers, from the core (and numpy for the intermediate columns)
# ------------------------------------------------------------------------------------------------


def _date(serial: float) -> dt.datetime:
    return EPOCH + dt.timedelta(days=float(serial))


def expected_answers(topic: str, f: dict) -> dict:
    """Every answer of the exercise ``topic`` with figures ``f``, by answer name."""
    out: dict = {}
    if topic == "facture":
        lines = np.array(f["quantities"], float) * np.array(f["unit_prices"], float)
        for i, v in enumerate(lines):
            out[f"line_amount[{i}]"] = v
        gross = lines.sum()
        rates = f["discount_rates"]
        rows = [amount for _, amount in invoice(gross, rates, f["shipping"], f["cash_discount"], f["vat_rate"])]
        k = len(rates)
        out["gross"] = rows[0]
        for i in range(k):
            out[f"reduction[{i}]"] = -rows[1 + i]
            if i < k - 1:
                out[f"net[{i}]"] = net_price(gross, rates[:i + 1])
        out["net_commercial"] = rows[1 + k]
        assert rows[1 + k] == pytest.approx(net_price(gross, rates))
        out["shipping_line"] = rows[2 + k]
        out["escompte_base"] = rows[1 + k] + rows[2 + k]
        out["escompte"] = -rows[3 + k]
        out["net_financial"], out["vat"], out["total"] = rows[4 + k], rows[5 + k], rows[6 + k]
    elif topic == "marges":
        vat = f["vat_rate"]
        for i, (c, p) in enumerate(zip(f["costs"], f["prices"])):
            out[f"margin[{i}]"] = margin(p, c)
            out[f"margin_rate[{i}]"] = margin_rate(p, c)
            out[f"mark_rate[{i}]"] = mark_rate(p, c)
            out[f"multiplier[{i}]"] = multiplier(p, c)
            out[f"price_ttc[{i}]"] = price_ttc(p, vat)
            out[f"multiplier_ttc[{i}]"] = multiplier(p, c, vat)
        for i, (c, rate) in enumerate(zip(f["new_costs"], f["new_mark_rates"])):
            p = price_from_mark_rate(c, rate)
            out[f"new_price[{i}]"] = p
            out[f"new_margin[{i}]"] = margin(p, c)
            out[f"new_margin_rate[{i}]"] = margin_rate(p, c)
            out[f"new_price_ttc[{i}]"] = price_ttc(p, vat)
    elif topic == "seuil":
        ca, cv, cf, months = f["revenue"], f["variable_costs"], f["fixed_costs"], f["monthly_revenue"]
        start = dt.date(f["year"], 1, 1)
        mcv = contribution_margin(ca, cv)
        sr = breakeven(cf, ca, cv)
        out.update(mcv=mcv, mcv_rate=mcv / ca, result=mcv - cf, breakeven=sr, safety_margin=safety_margin(ca, sr),
                   safety_index=safety_index(ca, sr), leverage=operating_leverage(ca, cv, cf),
                   days=breakeven_days(cf, ca, cv, 360), date=_date(breakeven_date(cf, ca, cv, start, 360)))
        cumulative = np.cumsum(months)
        for m, v in enumerate(cumulative):
            out[f"cumulative[{m}]"] = v
        out["month_reached"] = int(np.searchsorted(cumulative, sr, side="left")) + 1
        out["days_seasonal"] = breakeven_days(cf, ca, cv, 360, months)
        out["date_seasonal"] = _date(breakeven_date(cf, ca, cv, start, 360, months))
    elif topic == "moindres_carres":
        x, y = np.array(f["x"], float), np.array(f["y"], float)
        n = x.size
        dx, dy = x - x.mean(), y - y.mean()
        for i in range(n):
            out[f"dx[{i}]"], out[f"dy[{i}]"] = dx[i], dy[i]
            out[f"dxdy[{i}]"], out[f"dx2[{i}]"], out[f"dy2[{i}]"] = dx[i] * dy[i], dx[i] ** 2, dy[i] ** 2
        fitted = trend_forecast(x, y)
        for i in range(n):
            out[f"fitted[{i}]"] = fitted[i]
        out.update(sum_dxdy=(dx * dy).sum(), sum_dx2=(dx ** 2).sum(), sum_dy2=(dy ** 2).sum(), xbar=x.mean(),
                   ybar=y.mean())
        out["a"], out["b"], out["r"] = linear_trend(y, x)
        g = (n + 1) // 2
        out.update(g1x=x[:g].mean(), g1y=y[:g].mean(), g2x=x[g:].mean(), g2y=y[g:].mean())
        out["mayer_a"], out["mayer_b"], _ = linear_trend(y, x, "mayer")
        out["extreme_a"], out["extreme_b"], _ = linear_trend(y, x, "extreme_points")
        for h, v in enumerate(trend_forecast([n + 1, n + 2], y, x)):
            out[f"forecast[{h}]"] = v
    elif topic == "saisonnalite":
        y = np.array(f["y"], float)
        mmc = moving_average(y, 4)
        ratio = y / mmc
        for i in range(y.size):
            if np.isfinite(mmc[i]):
                out[f"mmc[{i}]"], out[f"ratio[{i}]"] = mmc[i], ratio[i]
        coefficients = seasonal_coefficients(y, 4)
        for i, v in enumerate(deseasonalize(y, 4)):
            out[f"cvs[{i}]"] = v
        budget = sales_budget(f["annual_forecast"], coefficients)
        for q in range(4):
            out[f"raw[{q}]"] = np.nanmean(ratio[q::4])
            out[f"coef[{q}]"] = coefficients[q]
            out[f"budget[{q}]"] = budget[q]
    elif topic == "commissions":
        t, rates = np.array(f["thresholds"], float), np.array(f["rates"], float)
        upper = np.append(t[1:], np.inf)
        for j, x in enumerate(f["revenue"]):
            for i in range(t.size):
                out[f"slice[{j}][{i}]"] = max(0.0, min(x, upper[i]) - t[i]) * rates[i]
            out[f"progressive[{j}]"] = commission(x, t, rates)
            out[f"flat[{j}]"] = commission(x, t, rates, "flat")
            out[f"flat_rate[{j}]"] = rates[np.searchsorted(t, x, side="right") - 1] if x >= t[0] else 0.0
            out[f"difference[{j}]"] = out[f"flat[{j}]"] - out[f"progressive[{j}]"]
    elif topic == "gini":
        lower, upper, counts = (np.array(f[k], float) for k in ("lower", "upper", "counts"))
        centre = (lower + upper) / 2
        mass = counts * centre
        x = np.cumsum(counts) / counts.sum()
        y = np.cumsum(mass) / mass.sum()
        x0, y0 = np.r_[0.0, x], np.r_[0.0, y]
        trapeze = np.diff(x0) * (y0[1:] + y0[:-1])
        for i in range(counts.size):
            out[f"centre[{i}]"], out[f"mass[{i}]"] = centre[i], mass[i]
            out[f"x[{i}]"], out[f"y[{i}]"], out[f"trapeze[{i}]"] = x[i], y[i], trapeze[i]
        out.update(total_count=counts.sum(), total_mass=mass.sum(), sum_trapeze=trapeze.sum(),
                   gini=gini(centre, counts), mediale=mediale(lower, upper, counts),
                   mediale_class=int(np.argmax(np.cumsum(mass) >= mass.sum() / 2)) + 1)
    elif topic == "abc":
        v = np.array(f["revenue"], float)
        order = np.argsort(-v, kind="stable")
        rank = np.empty(v.size, int)
        rank[order] = np.arange(1, v.size + 1)
        cumulative = np.cumsum(v[order]) / v.sum()
        classes = abc_class(v, f["a_share"], f["b_share"])
        for i in range(v.size):
            out[f"rank[{i}]"], out[f"share[{i}]"] = rank[i], v[i] / v.sum()
            out[f"cumulative[{i}]"], out[f"class[{i}]"] = cumulative[rank[i] - 1], classes[i]
        for letter in "ABC":
            chosen = np.array([c == letter for c in classes])
            out[f"count_{letter}"] = int(chosen.sum())
            out[f"count_share_{letter}"] = chosen.sum() / v.size
            out[f"revenue_{letter}"] = v[chosen].sum()
            out[f"revenue_share_{letter}"] = v[chosen].sum() / v.sum()
    elif topic == "valeur_client":
        churn = churn_rate(f["customers_lost"], f["customers_start"])
        r, d, m, n = 1 - churn, f["discount_rate"], f["margin"], f["years"]
        cac = acquisition_cost(f["acquisition_spend"], f["new_customers"])
        out.update(churn=churn, retention=r, lifetime=customer_lifetime(churn), cac=cac)
        total = 0.0
        for t in range(1, n + 1):
            out[f"survival[{t - 1}]"] = r ** t
            out[f"discount[{t - 1}]"] = (1 + d) ** -t
            out[f"discounted[{t - 1}]"] = m * r ** t / (1 + d) ** t
            total += out[f"discounted[{t - 1}]"]
            out[f"cumulative[{t - 1}]"] = total
        out["clv"] = customer_value(m, r, d, years=n, acquisition_cost=cac)
        out["clv_infinite"] = customer_value(m, r, d)
    return out


def _same(actual, wanted) -> bool:
    if isinstance(wanted, str):
        return actual == wanted
    if isinstance(wanted, dt.datetime):
        return isinstance(actual, dt.datetime) and actual == wanted
    if not isinstance(actual, (int, float)) or isinstance(actual, bool):
        return False
    return abs(actual - float(wanted)) <= 1e-9 * max(1.0, abs(float(wanted)))


def mismatches(ws, layout, figures=None) -> list:
    wanted = expected_answers(layout.topic, figures or layout.data.figures)
    assert set(wanted) == set(layout.answers), set(wanted) ^ set(layout.answers)
    wrong = []
    for name, address in layout.answers.items():
        if not _same(ws[address].value, wanted[name]):
            wrong.append((ws.title, address, name, ws[address].value, wanted[name]))
    return wrong


# ------------------------------------------------------------------------------------------------
# fixtures: every topic × seed of the answer key in one workbook (one LibreOffice run)
# ------------------------------------------------------------------------------------------------


def _key_name(topic: str, seed: int) -> str:
    return f"{SHEET_NAMES[topic]} {seed}"


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    book = BookPlan(title="Corrigés")
    layouts = {}
    for topic in TOPICS:
        for seed in SEEDS:
            _, key, layout = exercise_sheets(topic, seed, student_name=f"{topic} {seed} énoncé",
                                             answer_name=_key_name(topic, seed))
            book.add(key)
            layouts[topic, seed] = layout
    path = tmp_path_factory.mktemp("keys") / "corriges.xlsx"
    write_book(book, path)
    return path, layouts


@pytest.fixture(scope="module")
def recalculated(keys, tmp_path_factory):
    path, _ = keys
    return recalculated_workbook(path, tmp_path_factory.mktemp("recalc"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exercises")
    return {topic: write_exercise(topic, 2, folder) for topic in TOPICS}


# ------------------------------------------------------------------------------------------------
# topics, seeds, plausible figures
# ------------------------------------------------------------------------------------------------


def test_topics_and_sheet_names():
    assert list(TOPICS) == list(TOPIC_KEYS) == ["facture", "marges", "seuil", "moindres_carres", "saisonnalite",
                                                 "commissions", "gini", "abc", "valeur_client"]
    assert TOPICS["seuil"] == "Seuil de rentabilité et point mort"
    assert all(len(name) + len(" — corrigé") <= 31 for name in SHEET_NAMES.values())
    student, key, layout = build_exercise("abc", 1)
    assert [s.name for s in student.sheets] == ["ABC"] and [s.name for s in key.sheets] == ["ABC — corrigé"]
    assert (layout.student_sheet, layout.answer_sheet, layout.seed) == ("ABC", "ABC — corrigé", 1)


def test_bad_topic_and_seed():
    with pytest.raises(ValueError, match="thème inconnu"):
        build_exercise("escompte", 1)
    for seed in (-1, 1.5, "3", True):
        with pytest.raises(ValueError, match="graine"):
            generate("abc", seed)
    assert topic_from_text("Moindres carrés") == "moindres_carres"
    assert topic_from_text(" SAISONNALITE") == "saisonnalite"
    assert topic_from_text("Seuil de rentabilité et point mort") == "seuil"
    with pytest.raises(ValueError, match="thème inconnu « pareto »"):
        topic_from_text("pareto")
    assert (seed_from_value(7.0), seed_from_value("12"), seed_from_value(None), seed_from_value("")) == (7, 12, 1, 1)
    with pytest.raises(ValueError, match="entier positif"):
        seed_from_value(2.5)


@pytest.mark.parametrize("topic", TOPIC_KEYS)
def test_same_seed_same_figures_other_seed_other_figures(topic):
    assert generate(topic, 4) == generate(topic, 4)
    figures = [generate(topic, s).figures for s in range(1, 9)]
    assert all(figures[i] != figures[j] for i in range(8) for j in range(i))


def test_figures_are_plausible():
    odd_even = set()
    for seed in range(60):
        f = generate("facture", seed).figures
        assert all(p > 0 for p in f["unit_prices"]) and all(q >= 1 for q in f["quantities"])
        assert 2 <= len(f["quantities"]) <= 4 and "Remise" in f["discount_labels"]
        assert all(0 < r <= 0.15 for r in f["discount_rates"]) and 0 <= f["cash_discount"] <= 0.02
        gross = sum(q * p for q, p in zip(f["quantities"], f["unit_prices"]))
        assert 300 < gross < 60000 and (f["shipping"] == 0) == (gross > 8000)

        f = generate("marges", seed).figures
        assert all(c > 0 for c in f["costs"] + f["new_costs"]) and all(p > 0 for p in f["prices"])
        rates = mark_rate(np.array(f["prices"]), np.array(f["costs"]))
        assert np.all((rates >= 0.05) & (rates <= 0.6)), rates
        assert all(0.05 <= r <= 0.6 for r in f["new_mark_rates"])

        f = generate("seuil", seed).figures
        ca, cv, cf = f["revenue"], f["variable_costs"], f["fixed_costs"]
        assert sum(f["monthly_revenue"]) == ca and min(f["monthly_revenue"]) > 0
        assert 0.45 <= cv / ca <= 0.72 and cf > 0
        index = safety_index(ca, breakeven(cf, ca, cv))
        assert 0.1 < index < 0.4  # breakeven reached within the year, neither in January nor in December
        assert 30 < breakeven_days(cf, ca, cv, 360, f["monthly_revenue"]) < 330

        f = generate("moindres_carres", seed).figures
        n = len(f["y"])
        odd_even.add(n % 2)
        assert 6 <= n <= 9 and f["x"] == list(range(1, n + 1)) and len(f["years"]) == n
        assert min(f["y"]) > 0 and linear_trend(f["y"])[0] > 0 and linear_trend(f["y"])[2] > 0.8

        f = generate("saisonnalite", seed).figures
        assert len(f["y"]) == 4 * len(f["years"]) and min(f["y"]) > 0
        assert f["annual_forecast"] > sum(f["y"][-4:])
        coefficients = seasonal_coefficients(f["y"], 4)
        assert np.all((coefficients > 0.5) & (coefficients < 1.6))

        f = generate("commissions", seed).figures
        t, rates, revenue = np.array(f["thresholds"]), np.array(f["rates"]), np.array(f["revenue"])
        assert t[0] == 0 and np.all(np.diff(t) > 0) and np.all(np.diff(rates) > 0) and rates.max() <= 0.1
        tiers = np.searchsorted(t, revenue, side="right") - 1
        assert set(tiers) == set(range(t.size))  # every tier reached by someone
        assert len(set(f["reps"])) == len(f["reps"]) == 5

        f = generate("gini", seed).figures
        assert f["lower"][0] == 0 and f["lower"][1:] == f["upper"][:-1] and min(f["counts"]) >= 2
        assert 0.2 < gini((np.array(f["lower"]) + np.array(f["upper"])) / 2, f["counts"]) < 0.9

        f = generate("abc", seed).figures
        assert len(set(f["revenue"])) == len(f["revenue"]) and min(f["revenue"]) > 0
        assert len(set(f["codes"])) == len(f["codes"]) and len(set(f["customers"])) == len(f["customers"])
        assert set(abc_class(f["revenue"], f["a_share"], f["b_share"])) == {"A", "B", "C"}

        f = generate("valeur_client", seed).figures
        churn = f["customers_lost"] / f["customers_start"]
        assert 0.05 < churn < 0.4 and 100 <= f["acquisition_spend"] / f["new_customers"] <= 1000
        assert 1 - churn < 1 + f["discount_rate"] and 4 <= f["years"] <= 8
    assert odd_even == {0, 1}  # Mayer's odd rule is exercised


# ------------------------------------------------------------------------------------------------
# files: same seed, same bytes; structure of the student workbook and of the key
# ------------------------------------------------------------------------------------------------


def _parts_that_differ(a, b) -> list[str]:
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names = set(za.namelist()) | set(zb.namelist())
        return sorted(n for n in names if n != "docProps/core.xml"
                      and (n not in za.namelist() or n not in zb.namelist() or za.read(n) != zb.read(n)))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    for topic in TOPICS:
        first = write_exercise(topic, 3, tmp_path / "a")
        again = write_exercise(topic, 3, tmp_path / "b")
        other = write_exercise(topic, 4, tmp_path / "c")
        assert [p.name for p in first] == [f"exercice_{topic}_graine3.xlsx", f"corrige_{topic}_graine3.xlsx"]
        for x, y, z in zip(first, again, other):
            assert _parts_that_differ(x, y) == []
            assert "xl/worksheets/sheet1.xml" in _parts_that_differ(x, z)


def test_write_exercise_never_overwrites_without_force(tmp_path):
    student, key = write_exercise("gini", 1, tmp_path)
    student.write_bytes(b"mine")
    with pytest.raises(OutputExistsError):
        write_exercise("gini", 1, tmp_path)
    assert student.read_bytes() == b"mine"
    write_exercise("gini", 1, tmp_path, force=True)
    assert zipfile.is_zipfile(student) and zipfile.is_zipfile(key)


def _formulas(ws) -> dict[str, str]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}


def _validated(ws) -> set[str]:
    cells = set()
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            for row in ws[rng] if ":" in rng else [[ws[rng]]]:
                cells.update(c.coordinate for c in row)
    return cells


def _value(figures: dict, name: str):
    m = re.fullmatch(r"(\w+)\[(\d+)\]", name)
    return figures[m.group(1)][int(m.group(2))] if m else figures[name]


def _given(layout, name: str):
    """The figure a data cell shows: from the figures, or derived (ranks, start of the year)."""
    f = layout.data.figures
    m = re.fullmatch(r"(forecast_x|t)\[(\d+)\]", name)
    if m:  # rank of a forecast year, year number of the CLV table
        return (len(f["y"]) if m.group(1) == "forecast_x" else 0) + int(m.group(2)) + 1
    if name == "start_date":
        return dt.datetime(f["year"], 1, 1)
    if name == "days_per_year":
        return 360
    return _value(f, name)


@pytest.mark.parametrize("topic", TOPIC_KEYS)
def test_student_workbook_and_key_structure(files, topic):
    student_path, key_path = files[topic]
    _, _, layout = build_exercise(topic, 2)
    student = openpyxl.load_workbook(student_path)
    key = openpyxl.load_workbook(key_path)
    assert student.sheetnames == [SHEET_NAMES[topic]] and key.sheetnames == [f"{SHEET_NAMES[topic]} — corrigé"]
    s, k = student.active, key.active
    assert s["A1"].value == f"Exercice — {TOPICS[topic]}" and k["A1"].value == f"Corrigé — {TOPICS[topic]}"
    assert s["A2"].value.endswith("graine 2") and layout.data.company in s["A2"].value
    for name, address in layout.data_cells.items():
        wanted = _given(layout, name)
        assert s[address].value == wanted == k[address].value, (name, address)
        assert s[address].protection.locked is True  # the student cannot overwrite the data
    for name, address in layout.answers.items():
        # the student workbook gives nothing away: an empty, unlocked, yellow cell
        assert s[address].value is None, (name, address)
        assert s[address].protection.locked is False and s[address].fill.fgColor.rgb.endswith("FFF2CC")
        assert isinstance(k[address].value, str) and k[address].value.startswith("="), (name, address)
        assert k[address].protection.locked is True
    assert set(layout.answers.values()) <= _validated(s)
    # no student formula sits in an answer cell or reads one
    answer_cells = set(layout.answers.values())
    for address, formula in _formulas(s).items():
        assert address not in answer_cells
        assert not set(re.findall(r"\$?([A-Z]+)\$?(\d+)", formula)) & {
            (re.match(r"[A-Z]+", a).group(), re.search(r"\d+", a).group()) for a in answer_cells}, formula
    # editable figures in the key: unlocked
    unlocked = [a for n, a in layout.data_cells.items() if not k[a].protection.locked]
    assert unlocked and all(isinstance(k[a].value, (int, float, dt.datetime)) for a in unlocked)
    for ws in (s, k):
        assert ws.protection.sheet is True
        assert ws.freeze_panes == "A4"
        assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows in ("$1:$2", "1:2")
    assert non_native_cells([s, k]) == []
    assert not any("_xludf" in formula.lower() for formula in _formulas(k).values())


def test_openpyxl_renderer_gives_the_same_cells(tmp_path):
    student, key, layout = build_exercise("seuil", 5)
    path = tmp_path / "seuil.xlsx"
    render_book(key).save(path)
    ws = openpyxl.load_workbook(path)[layout.answer_sheet]
    assert ws[layout.answers["date_seasonal"]].value.startswith("=IF(")
    assert ws[layout.answers["month_reached"]].value.startswith("=IFERROR(MATCH(")
    assert ws[layout.data_cells["fixed_costs"]].value == layout.data.figures["fixed_costs"]
    assert ws[layout.data_cells["fixed_costs"]].protection.locked is False
    assert ws.conditional_formatting  # the month the breakeven is reached is highlighted
    render_book(student).save(tmp_path / "student.xlsx")
    s = openpyxl.load_workbook(tmp_path / "student.xlsx")[layout.student_sheet]
    assert all(s[a].value is None and not s[a].protection.locked for a in layout.answers.values())


def test_exercise_book_for_the_sample_company():
    book = plan_for_company(None)
    names = [s.name for s in book.sheets]
    assert names[0] == PARAMS_SHEET and len(names) == 1 + 2 * len(TOPICS)
    for topic in TOPICS:
        i = names.index(SHEET_NAMES[topic])
        assert names[i + 1] == f"{SHEET_NAMES[topic]} — corrigé"
    params = book.sheet(PARAMS_SHEET)
    assert params.role == "input" and all(s.role == "output" for s in book.sheets[1:])
    assert params.at(TOPIC_CELL).value == "facture" and params.at(SEED_CELL).value == 1
    assert params.at(TOPIC_CELL).style == "input_text" and params.at(SEED_CELL).style == "input_int"
    lists = {v.ref: v for v in params.validations}
    assert lists[TOPIC_CELL].formula1 == '"' + ",".join(TOPICS) + '"'
    assert lists[SEED_CELL].kind == "whole"
    # seed 1, answers included: the same sheets as the exercise of seed 1
    for topic in ("facture", "gini"):
        student, key, _ = exercise_sheets(topic, 1)
        assert book.sheet(student.name).cells == student.cells and book.sheet(key.name).cells == key.cells


# ------------------------------------------------------------------------------------------------
# the answer key after LibreOffice recalculation, against the core
# ------------------------------------------------------------------------------------------------


@requires_libreoffice
def test_every_answer_equals_the_core(keys, recalculated):
    _, layouts = keys
    wrong = []
    for (topic, seed), layout in layouts.items():
        wrong += mismatches(recalculated[_key_name(topic, seed)], layout)
    assert wrong == []
    # a few figures in plain words
    layout = layouts["facture", 1]
    ws = recalculated[_key_name("facture", 1)]
    f = layout.data.figures
    assert ws[layout.answers["total"]].value == pytest.approx(invoice(
        sum(q * p for q, p in zip(f["quantities"], f["unit_prices"])), f["discount_rates"], f["shipping"],
        f["cash_discount"])[-1][1], abs=0.005)


@requires_libreoffice
def test_no_error_cells(recalculated):
    errors = [(ws.title, c.coordinate, c.value) for ws in recalculated.worksheets for row in ws.iter_rows()
              for c in row if isinstance(c.value, str) and c.value.startswith(EXCEL_ERROR_VALUES)]
    assert errors == []


#: one figure changed per topic (seed 1): name → new value
CHANGES = {
    "facture": {"quantities[0]": 17, "discount_rates[0]": 0.125, "shipping": 99.0},
    "marges": {"costs[1]": 41.0, "new_mark_rates[2]": 0.5},
    "seuil": {"fixed_costs": 300000.0, "monthly_revenue[3]": 150000.0},
    "moindres_carres": {"y[2]": 6100.0},
    "saisonnalite": {"y[5]": 700.0, "annual_forecast": 4200.0},
    "commissions": {"revenue[0]": 31990.0, "rates[1]": 0.055},
    "gini": {"counts[2]": 120},
    "abc": {"revenue[0]": 500000.0, "a_share": 0.7},
    "valeur_client": {"customers_lost": 200, "margin": 900.0},
}


@requires_libreoffice
def test_changed_figures_flow_through_the_key(keys, tmp_path):
    path, layouts = keys
    wb = openpyxl.load_workbook(path)
    changed = {}
    for topic, changes in CHANGES.items():
        layout = layouts[topic, 1]
        figures = copy.deepcopy(layout.data.figures)
        for name, value in changes.items():
            wb[_key_name(topic, 1)][layout.data_cells[name]] = value
            m = re.fullmatch(r"(\w+)\[(\d+)\]", name)
            if m:
                figures[m.group(1)][int(m.group(2))] = value
            else:
                figures[name] = value
        if topic == "seuil":  # the year's revenue is the sum of the months
            figures["revenue"] = float(sum(figures["monthly_revenue"]))
            wb[_key_name(topic, 1)][layout.data_cells["revenue"]] = figures["revenue"]
        changed[topic] = figures
    path2 = tmp_path / "changed.xlsx"
    wb.save(path2)
    values = recalculated_workbook(path2, tmp_path / "out")
    wrong = []
    for topic, figures in changed.items():
        layout = layouts[topic, 1]
        before = expected_answers(topic, layout.data.figures)
        after = expected_answers(topic, figures)
        assert any(not _same(after[k], before[k]) for k in after), topic  # the change matters
        wrong += mismatches(values[_key_name(topic, 1)], layout, figures)
    assert wrong == []


# ------------------------------------------------------------------------------------------------
# the template's button, on xlwings' Office.js book
# ------------------------------------------------------------------------------------------------




def _sheet_values(payload, name):
    return next(s for s in payload["sheets"] if s["name"] == name)["values"]


def _at(grid, address: str):
    ws = openpyxl.Workbook().active
    c = ws[address]
    return grid[c.row - 1][c.column - 1]


def _put(grid, address: str, value) -> None:
    ws = openpyxl.Workbook().active
    c = ws[address]
    grid[c.row - 1][c.column - 1] = value


def _press_button(tmp_path, topic_text, seed, edit=None) -> tuple[dict, dict]:
    """Build the exercise book, type the topic and seed (and whatever ``edit`` types) in the JSON
    Excel sends, run :func:`refresh` on xlwings' Office.js book; return the payload and what it did."""
    book_path = tmp_path / "cahier.xlsx"
    write_book(plan_for_company(None), book_path)
    payload = officejs_payload(book_path)
    params = _sheet_values(payload, PARAMS_SHEET)
    _put(params, TOPIC_CELL, topic_text)
    _put(params, SEED_CELL, seed)
    if edit:
        edit(payload)
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    topic = topic_from_text(topic_text)
    student, key = SHEET_NAMES[topic], f"{SHEET_NAMES[topic]} — corrigé"
    script = f"""
import json
import xlwings as xw
from xlsales.macros.exercises import refresh
book = xw.Book(json=json.load(open({str(tmp_path / 'payload.json')!r}, encoding='utf-8')))
skipped = refresh(book)
actions = book.json()["actions"]
names = [s.name for s in book.sheets]
def grid(name):
    return [a["values"] for a in actions if a["func"] == "setFormula" and names[a["sheet_position"]] == name][0]
print(json.dumps({{"names": names, "student": grid({student!r}), "key": grid({key!r}),
    "touched": sorted({{names[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}}),
    "funcs": sorted({{a["func"] for a in actions}})}}, default=str))
"""
    return payload, run_live(script)


def test_button_rebuilds_the_chosen_topic_and_seed(tmp_path):
    payload, result = _press_button(tmp_path, "Gini", 7.0)  # the sheet name is understood too
    assert result["touched"] == ["Gini", "Gini — corrigé"]  # « Paramètres » and the other topics untouched
    assert result["names"] == [s["name"] for s in payload["sheets"]]  # same sheets, same order
    assert {"sheetDelete", "addSheet", "setFormula"} <= set(result["funcs"])
    _, key, layout = exercise_sheets("gini", 7)
    assert layout.data.figures != generate("gini", 1).figures
    assert _at(result["key"], "A2").endswith("graine 7")
    for name, address in layout.data_cells.items():
        wanted = _given(layout, name)
        assert _at(result["student"], address) == _at(result["key"], address) == wanted, (name, address)
    for address in layout.answers.values():
        assert _at(result["student"], address) == ""  # a new exercise: nothing of the old one's answers
        assert _at(result["key"], address) == key.at(address).formula


def test_button_keeps_what_was_typed_in_the_same_exercise(tmp_path):
    _, _, facture = exercise_sheets("facture", 1)
    _, _, abc = exercise_sheets("abc", 1)

    def edit(payload):
        _put(_sheet_values(payload, "Facture"), facture.answers["gross"], 1234.5)  # a student's answer
        _put(_sheet_values(payload, "Facture — corrigé"), facture.data_cells["shipping"], 99.0)  # a trainer's variant
        _put(_sheet_values(payload, "ABC"), abc.answers["class[0]"], "B")  # another topic: untouched anyway

    _, result = _press_button(tmp_path, "facture", 1, edit)
    assert result["touched"] == ["Facture", "Facture — corrigé"]
    assert _at(result["student"], facture.answers["gross"]) == 1234.5
    assert _at(result["key"], facture.data_cells["shipping"]) == 99.0
    assert _at(result["student"], facture.data_cells["shipping"]) == facture.data.figures["shipping"]
    assert all(_at(result["student"], a) == "" for n, a in facture.answers.items() if n != "gross")
    assert _at(result["key"], facture.answers["gross"]).startswith("=SUM(")
