"""The sample company: round trip through the readers, determinism and realism."""

from __future__ import annotations

import itertools
import re
import time

import numpy as np
import pandas as pd
import pytest

from xlsales import io as xio
from xlsales.io import OutputExistsError
from xlsales.sample import (
    FILE_NAMES,
    SampleCompany,
    load_towns,
    make_sample_company,
    write_sample_data,
)


@pytest.fixture(scope="module")
def company() -> SampleCompany:
    return make_sample_company()


@pytest.fixture(scope="module")
def written(company, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_csv")
    return write_sample_data(out, company=company)


def assert_same(read: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, dtypes and values (numbers to the cent)."""
    pd.testing.assert_frame_equal(read, expected, check_exact=False, atol=0.005, rtol=0)


# --------------------------------------------------------------------------------------------
# Round trip and files


def test_one_file_per_input_kind(written):
    assert set(written) == set(xio.SCHEMAS)
    assert {p.name for p in written.values()} == {f"{FILE_NAMES[k]}.csv" for k in xio.SCHEMAS}


@pytest.mark.parametrize("kind", sorted(xio.SCHEMAS))
def test_round_trip_csv(company, written, kind):
    read = xio.read_table(written[kind], xio.SCHEMAS[kind])
    assert_same(read, getattr(company, kind))


def test_round_trip_totals_to_the_cent(company, written):
    read = xio.read_sales(written["sales"])
    for col in ("revenue", "margin", "paid"):
        assert round(read[col].sum(), 2) == round(company.sales[col].sum(), 2)
    by_rep = read.groupby("rep")["revenue"].sum().round(2)
    assert by_rep.equals(company.sales.groupby("rep")["revenue"].sum().round(2))


def test_round_trip_xlsx(tmp_path):
    company = make_sample_company(seed=7, lines=1500)
    paths = write_sample_data(tmp_path, company=company, fmt="xlsx")
    for kind, path in paths.items():
        assert path.suffix == ".xlsx"
        assert_same(xio.read_table(path, xio.SCHEMAS[kind]), getattr(company, kind))


def test_csv_is_in_the_users_format(written):
    raw = written["sales"].read_bytes()
    assert raw.startswith("\ufeffDate facture;N° facture;Code client;Raison sociale;Commercial;Région;Canal;"
                          "Référence;Famille;Quantité;Prix unitaire HT;Coût unitaire;Remise;Payé\r\n".encode())
    text = raw.decode("utf-8-sig")
    first = text.splitlines()[1].split(";")
    assert re.fullmatch(r"\d\d/\d\d/20\d\d", first[0])
    assert re.fullmatch(r"FA20\d\d-\d{5}", first[1])
    assert re.search(r";\d{1,3}( \d{3})+,\d\d;", text)  # "1 234,50"
    assert re.search(r";\d+(,\d)? %;", text)  # "12 %" / "2,5 %"
    assert ";oui\r\n" in text and ";non\r\n" in text
    assert "." not in "".join(line.split(";")[10] for line in text.splitlines()[1:50])  # no decimal points


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    a = write_sample_data(tmp_path / "a", seed=11, lines=2000)
    b = write_sample_data(tmp_path / "b", seed=11, lines=2000)
    c = write_sample_data(tmp_path / "c", seed=12, lines=2000)
    for kind in a:
        assert a[kind].read_bytes() == b[kind].read_bytes(), kind
    assert a["sales"].read_bytes() != c["sales"].read_bytes()


def test_write_sample_data_refuses_to_overwrite(tmp_path):
    write_sample_data(tmp_path, lines=300)
    before = (tmp_path / "ventes.csv").read_bytes()
    with pytest.raises(OutputExistsError):
        write_sample_data(tmp_path, lines=400)
    assert (tmp_path / "ventes.csv").read_bytes() == before
    write_sample_data(tmp_path, lines=400, force=True)
    assert len(xio.read_sales(tmp_path / "ventes.csv")) == 400


# --------------------------------------------------------------------------------------------
# Realism


def monthly(sales: pd.DataFrame) -> pd.DataFrame:
    s = sales.assign(year=sales["date"].dt.year, month=sales["date"].dt.month)
    return s.groupby(["year", "month"])["revenue"].sum().unstack()


@pytest.mark.parametrize("seed", [2026, 1, 2, 3])
def test_seasonality_and_growth(seed):
    sales = make_sample_company(seed=seed).sales
    table = monthly(sales)
    assert list(table.index) == [2023, 2024, 2025]
    assert (table[8] < table.mean(axis=1)).all()  # August below the monthly mean, every year
    q4_march = table[[3, 10, 11, 12]].mean(axis=1)
    assert (q4_march > table.mean(axis=1)).all()
    annual = table.sum(axis=1)
    assert (annual.diff().dropna() > 0).all()  # growth year over year


@pytest.mark.parametrize("seed", [2026, 1, 2, 3])
def test_customer_concentration(seed):
    sales = make_sample_company(seed=seed).sales
    by_customer = sales.groupby("customer")["revenue"].sum().sort_values(ascending=False)
    top = by_customer.iloc[: int(np.ceil(0.2 * len(by_customer)))].sum() / by_customer.sum()
    assert 0.60 <= top <= 0.85


def test_sizes(company):
    assert 6 <= len(company.reps) <= 10
    assert company.reps["rep"].is_unique
    assert len(company.customers) >= 150 and company.customers["customer"].is_unique
    assert company.customers["customer_name"].is_unique
    assert company.sales["customer"].nunique() >= 150
    assert len(company.products) == 40 and company.products["product"].is_unique
    assert 5 <= company.products["family"].nunique() <= 6
    assert len(company.sales) == 6000
    assert len(make_sample_company(lines=12345).sales) == 12345


def test_products_margins_and_prices(company):
    rates = company.products["margin_rate"]
    assert rates.between(0.20, 0.45).all()
    s = company.sales
    line_rates = 1 - s["unit_cost"] / s["unit_price"]
    assert line_rates.between(0.19, 0.46).all()
    # list prices go up every January
    p = s[s["product"] == "CON-FHU"].groupby(s["date"].dt.year)["unit_price"].agg(["min", "max"])
    assert (p["min"] == p["max"]).all() and p["min"].is_monotonic_increasing and p["min"].iloc[-1] > p["min"].iloc[0]


def test_sales_lines_are_consistent(company):
    s = company.sales
    assert s["date"].is_monotonic_increasing
    assert (s["date"].dt.day_of_week < 5).all()  # business days
    assert s["discount"].between(0, 0.3).all() and (s["discount"] > 0).mean() > 0.4
    exact = s["quantity"] * s["unit_price"] * (1 - s["discount"])
    assert (np.abs(s["revenue"] - exact) <= 0.005 + 1e-9).all()  # rounded to the cent
    assert np.allclose(s["revenue"] * 100, np.round(s["revenue"] * 100), atol=1e-6)
    assert set(s["channel"]) >= {"Visite terrain", "Téléphone", "E-commerce", "Distributeur"}
    assert (s["quantity"] < 0).any()  # a few credit notes
    # one invoice = one customer on one day
    assert (s.groupby("invoice")[["customer", "date"]].nunique() == 1).all().all()
    unpaid = s["paid"] == 0
    assert 0.02 < unpaid.mean() < 0.15
    recent = s["date"] >= "2025-11-20"
    assert unpaid[recent].mean() > 5 * unpaid[~recent].mean()  # unpaid lines are mostly the recent ones
    # every rep and region of the sales is known
    assert set(s["rep"]) == set(company.reps["rep"])
    assert set(s["region"]) == {"Nord", "Est", "Ouest", "Sud"}


def test_mid_year_hire(company):
    reps = company.reps.set_index("rep")
    hired = reps[reps["hire_date"].dt.year == 2025]
    assert len(hired) == 1
    name = hired.index[0]
    assert hired["hire_date"].iloc[0] == pd.Timestamp("2025-07-01")
    s = company.sales
    assert s.loc[s["rep"] == name, "date"].min() >= pd.Timestamp("2025-07-01")
    t = company.targets[company.targets["rep"] == name]
    assert t["period"].tolist() == [f"2025-{m:02d}" for m in range(7, 13)]
    assert reps["manager"].notna().all() and reps["base_salary"].between(25000, 60000).all()
    assert set(reps["plan"]) <= set(company.commission_plan["plan"])


def test_targets(company):
    t = company.targets
    assert set(t["period"].str[:4]) == {"2023", "2024", "2025"}
    assert len(t) == 7 * 36 + 6
    s = company.sales.assign(period=company.sales["date"].dt.strftime("%Y-%m"))
    actual = s[s["period"].str.startswith("2025")].groupby("rep")["revenue"].sum()
    target = t[t["period"].str.startswith("2025")].groupby("rep")["target"].sum()
    attainment = actual / target
    assert attainment.between(0.85, 1.15).all()
    assert (t["target"] % 100 == 0).all()


def test_commission_plan(company):
    plans = xio.commission_plans(company.commission_plan)
    assert set(plans) == {"Terrain", "Junior"}
    p = plans["Terrain"]
    assert p["mode"] == "progressive" and p["base"] == "revenue"
    assert [r for _, r in p["tiers"]] == [0.015, 0.025, 0.035]
    assert p["tiers"][0][0] == 0 and p["tiers"][1][0] < p["tiers"][2][0]
    assert p["gate"] == 0.8 and p["accelerator"] == 1.5 and p["cap"] > 0
    assert [a for a, _ in p["bonus_grid"]] == [1.0, 1.1, 1.2]
    assert p["draw"] > 0 and p["draw_recoverable"] is True
    assert p["team_bonus"] and p["employer_charge_rate"] == 0.42
    assert plans["Junior"]["draw_recoverable"] is False


def test_skills_and_training(company):
    sk = company.skills
    assert len(sk) == len(company.reps) * 8 and sk["skill"].nunique() == 8
    assert sk["current"].between(0, 4).all() and sk["required"].between(0, 4).all()
    assert (sk["current"] < sk["required"]).any()
    tc = company.training_catalogue
    assert len(tc) == 12
    assert {"présentiel", "distanciel", "AFEST"} <= set(tc["mode"])
    assert tc["mandatory"].any() and tc["cpf"].any() and (~tc["cpf"]).any()
    assert set(tc["skill"]) <= set(sk["skill"])


def test_candidates_and_grid(company):
    grid, cand = company.interview_grid, company.candidates
    assert set(cand["criterion"]) == set(grid["criterion"])
    assert cand["rating"].between(1, 5).all() and cand["candidate"].nunique() >= 4
    assert grid["eliminatory"].sum() == 1 and grid["weight"].gt(0).all()


def test_partners(company):
    p = company.partners
    assert len(p) == 25
    assert set(p["type"]) == {"fournisseur", "client", "distributeur", "prescripteur"}
    assert p["email"].str.fullmatch(r"[a-z]+\.[a-z]+@[a-z0-9-]+\.fr").all()
    # phone numbers in the ranges reserved for fiction
    assert p["phone"].str.fullmatch(r"(01 99 00|02 61 91|03 53 01|04 65 71|05 36 49|06 39 98) \d\d \d\d").all()
    assert p["consent_date"].notna().mean() > 0.6 and p["consent_date"].isna().any()
    assert (p["consent_date"].dropna() <= p.loc[p["consent_date"].notna(), "last_contact"]).all()
    assert p["Note qualité"].between(1, 5).all()


def test_opportunities_funnel(company):
    o = company.opportunities
    counts = [int((o["stage"].map(xio.STAGE_ORDER.index) >= i).sum()) for i in range(5)]
    assert counts[0] == len(o) and all(a > b for a, b in itertools.pairwise(counts)) and counts[4] > 0
    won = o["stage"] == "order"
    assert o.loc[won, "lost_reason"].isna().all() and o.loc[won, "satisfaction"].between(0, 10).all()
    assert o.loc[~won, "lost_reason"].notna().mean() > 0.7
    reached = o["date_quote"].notna()
    assert (o.loc[reached, "date_quote"] >= o.loc[reached, "date_lead"]).all()


def test_locations_in_real_towns(company):
    loc = company.locations
    assert loc["customer"].tolist() == company.customers["customer"].tolist()
    assert loc["latitude"].between(41.3, 51.2).all() and loc["longitude"].between(-5.2, 9.6).all()
    assert set(loc["priority"]) == {1, 2, 3} and loc["visit_minutes"].between(30, 90).all()
    towns = load_towns()
    assert set(company.customers["town"]) <= set(towns["town"])
    assert loc["address"].str.contains(r", \d{5} ").all()


def test_bundled_towns():
    towns = load_towns()
    assert len(towns) >= 150 and towns["town"].is_unique
    assert towns["sales_region"].notna().all() and towns["region"].nunique() == 13
    paris = towns.set_index("town").loc["Paris"]
    assert paris["latitude"] == pytest.approx(48.857, abs=0.01) and paris["longitude"] == pytest.approx(2.352, abs=0.01)
    assert towns["postal_code"].str.fullmatch(r"\d{5}").all()


def test_large_generation_is_vectorised():
    t = time.perf_counter()
    sales = make_sample_company(seed=3, lines=300_000).sales
    elapsed = time.perf_counter() - t
    assert len(sales) == 300_000
    assert elapsed < 20  # about 1 s on a developer machine; generous for a busy CI
