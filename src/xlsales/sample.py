"""The sample company: a French SME selling industrial equipment and services.

Everything is drawn from one :class:`numpy.random.Generator` seeded by ``seed``: the same seed
gives the same frames and, through :func:`write_sample_data`, the same files byte for byte.

The company (default ``last_year=2025``, three full years of history 2023–2025):

* 8 reps in 4 sales regions (Nord, Est, Ouest, Sud), 2 teams with a manager each; one rep hired
  on 1 July of the last year (takes over half of the Sud customers: proration of targets and pay);
* 180 customers (company-like names, sectors, a real French town each with its coordinates),
  some acquired during the period, a few lost; Pareto-like concentration of revenue;
* 40 products in 6 families, list prices raised each January, margin rates 20–45 %;
* sales lines with an upward trend, monthly seasonality (August low; March and Q4 high),
  discounts, channels, invoices grouping lines, unpaid lines (mostly the recent ones);
* monthly targets per rep, two commission plans, a skills matrix and a training catalogue,
  candidates and an interview grid, 25 partners, a year of opportunities, customer locations.

Frames have exactly the columns and dtypes the readers of :mod:`xlsales.io` return, so
``read_sales(written file)`` equals ``company.sales``.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .core._vector import excel_round

from xlsales import io as xio

__all__ = ["FILE_NAMES", "SampleCompany", "load_towns", "make_sales", "make_sample_company", "write_sample_data"]

SALES_REGIONS = {
    "Nord": ("Hauts-de-France", "Île-de-France", "Normandie"),
    "Est": ("Grand Est", "Bourgogne-Franche-Comté", "Auvergne-Rhône-Alpes"),
    "Ouest": ("Bretagne", "Pays de la Loire", "Centre-Val de Loire", "Nouvelle-Aquitaine"),
    "Sud": ("Occitanie", "Provence-Alpes-Côte d'Azur", "Corse"),
}

#: rep, region, team, hire date, annual gross base salary, commission plan, birth date,
#: last professional interview ("" = none on record)
_REPS = (
    ("Julien Moreau", "Nord", "Nord-Est", "2014-09-01", 38500.0, "Terrain", "1979-04-17", "{prev}-10-14"),
    ("Sophie Lefèvre", "Nord", "Nord-Est", "2018-03-05", 36000.0, "Terrain", "1988-11-02", "{last}-03-11"),
    ("Thomas Girard", "Est", "Nord-Est", "2012-01-09", 41000.0, "Terrain", "1968-06-25", "{prev}-01-20"),
    ("Camille Rousseau", "Est", "Nord-Est", "2020-10-01", 34500.0, "Terrain", "1994-02-08", "{last}-09-22"),
    ("Nicolas Fournier", "Ouest", "Sud-Ouest", "2016-06-13", 37500.0, "Terrain", "1981-09-30", "{prev}-06-05"),
    ("Émilie Garnier", "Ouest", "Sud-Ouest", "2021-04-19", 33500.0, "Terrain", "1992-12-14", ""),
    ("Antoine Mercier", "Sud", "Sud-Ouest", "2011-05-02", 42000.0, "Terrain", "1966-03-03", "{last}-05-16"),
    ("Léa Bonnet", "Sud", "Sud-Ouest", "{last}-07-01", 31000.0, "Junior", "1999-07-21", ""),
)
_MANAGERS = {"Nord-Est": "Isabelle Marchand", "Sud-Ouest": "Philippe Royer"}
_NEW_REP = "Léa Bonnet"
_NEW_REP_TAKES_FROM = "Antoine Mercier"

#: reference, designation, family, list price (first year), unit cost (first year), typical quantity, weight
_PRODUCTS = (
    ("CMP-S11", "Compresseur à vis 11 kW", "Compresseurs", 7900.00, 5650.00, 1, 0.8),
    ("CMP-S15", "Compresseur à vis 15 kW", "Compresseurs", 9800.00, 6950.00, 1, 0.7),
    ("CMP-S22", "Compresseur à vis 22 kW variateur", "Compresseurs", 14500.00, 10300.00, 1, 0.5),
    ("CMP-S37", "Compresseur à vis 37 kW variateur", "Compresseurs", 23800.00, 17600.00, 1, 0.3),
    ("CMP-P05", "Compresseur à piston 5,5 kW", "Compresseurs", 2950.00, 2060.00, 1, 1.0),
    ("CMP-SEC", "Sécheur par réfrigération 2 000 l/min", "Compresseurs", 3400.00, 2450.00, 1, 0.7),
    ("CMP-RES", "Réservoir d'air 1 000 l", "Compresseurs", 1650.00, 1190.00, 1, 0.8),
    ("CMP-FLT", "Ligne de filtration air comprimé", "Compresseurs", 890.00, 610.00, 1, 1.2),
    ("PMP-C15", "Pompe centrifuge 1,5 kW", "Pompes et hydraulique", 1280.00, 860.00, 1, 1.3),
    ("PMP-C55", "Pompe centrifuge 5,5 kW", "Pompes et hydraulique", 2890.00, 1980.00, 1, 0.9),
    ("PMP-DOS", "Pompe doseuse électronique", "Pompes et hydraulique", 1150.00, 760.00, 1, 1.0),
    ("PMP-VID", "Pompe à vide à palettes", "Pompes et hydraulique", 3650.00, 2550.00, 1, 0.5),
    ("HYD-GRP", "Groupe hydraulique 7,5 kW", "Pompes et hydraulique", 6400.00, 4500.00, 1, 0.4),
    ("HYD-VER", "Vérin hydraulique double effet", "Pompes et hydraulique", 420.00, 265.00, 2, 1.5),
    ("HYD-FLX", "Flexible hydraulique haute pression", "Pompes et hydraulique", 68.00, 41.00, 6, 2.0),
    ("OUT-CLE", "Clé dynamométrique 20–200 N·m", "Outillage et mesure", 285.00, 168.00, 2, 1.5),
    ("OUT-VIS", "Visseuse pneumatique à embrayage", "Outillage et mesure", 460.00, 275.00, 2, 1.2),
    ("OUT-MEU", "Meuleuse pneumatique 125 mm", "Outillage et mesure", 310.00, 182.00, 2, 1.3),
    ("MES-CAM", "Caméra thermique de maintenance", "Outillage et mesure", 2350.00, 1470.00, 1, 0.5),
    ("MES-ULT", "Détecteur de fuites à ultrasons", "Outillage et mesure", 1890.00, 1150.00, 1, 0.6),
    ("MES-MAN", "Manomètre numérique de précision", "Outillage et mesure", 245.00, 140.00, 2, 1.4),
    ("MES-DEB", "Débitmètre air comprimé", "Outillage et mesure", 980.00, 600.00, 1, 0.8),
    ("MES-VIB", "Analyseur de vibrations portable", "Outillage et mesure", 3900.00, 2520.00, 1, 0.3),
    ("CON-HUI", "Huile compresseur synthétique 20 l", "Consommables", 189.00, 106.00, 4, 3.5),
    ("CON-FHU", "Filtre à huile", "Consommables", 38.50, 21.50, 8, 4.0),
    ("CON-FAI", "Filtre à air d'aspiration", "Consommables", 54.00, 30.50, 6, 3.8),
    ("CON-SEP", "Séparateur air/huile", "Consommables", 145.00, 82.00, 3, 2.8),
    ("CON-JNT", "Kit de joints toriques", "Consommables", 24.90, 13.80, 10, 3.0),
    ("CON-GRS", "Graisse haute température 400 g", "Consommables", 16.80, 9.30, 12, 2.5),
    ("CON-CRT", "Cartouche filtrante submicronique", "Consommables", 72.00, 40.50, 6, 3.2),
    ("CON-PUR", "Purgeur automatique de condensats", "Consommables", 118.00, 68.00, 3, 2.0),
    ("PDR-ROU", "Roulement de moteur", "Pièces détachées", 96.00, 53.00, 4, 2.4),
    ("PDR-VAN", "Vanne d'admission", "Pièces détachées", 385.00, 215.00, 1, 1.5),
    ("PDR-CAR", "Carte électronique de régulation", "Pièces détachées", 760.00, 430.00, 1, 0.9),
    ("PDR-COU", "Courroie de transmission", "Pièces détachées", 64.00, 36.00, 4, 2.6),
    ("PDR-CAP", "Capteur de pression", "Pièces détachées", 148.00, 84.00, 2, 2.0),
    ("SRV-CTR", "Contrat de maintenance annuel", "Services", 1850.00, 1420.00, 1, 1.4),
    ("SRV-INS", "Installation et mise en service", "Services", 950.00, 720.00, 1, 1.2),
    ("SRV-INT", "Intervention technicien (heure)", "Services", 88.00, 62.00, 4, 3.0),
    ("SRV-AUD", "Audit énergétique réseau d'air", "Services", 1450.00, 1080.00, 1, 0.6),
)

_SECTORS = (
    ("Agroalimentaire", 1.2), ("Métallurgie", 1.2), ("Plasturgie", 1.0), ("Automobile", 0.8),
    ("Aéronautique", 0.5), ("BTP", 0.9), ("Chimie", 0.7), ("Pharmacie", 0.5), ("Logistique", 0.6),
    ("Énergie", 0.5), ("Bois et papier", 0.6), ("Collectivités", 0.5),
)
_NAME_HEADS = {
    "Agroalimentaire": ("Conserverie", "Laiterie", "Biscuiterie", "Salaisons", "Minoterie", "Brasserie"),
    "Métallurgie": ("Fonderie", "Forges", "Tôlerie", "Usinage", "Mécanique", "Chaudronnerie"),
    "Plasturgie": ("Plastiques", "Injection", "Extrusion", "Plasturgie", "Polymères"),
    "Automobile": ("Équipements automobiles", "Décolletage", "Emboutissage", "Carrosserie industrielle"),
    "Aéronautique": ("Aérostructures", "Précision aéro", "Composites"),
    "BTP": ("Béton", "Travaux publics", "Préfabrication", "Carrières"),
    "Chimie": ("Chimie", "Peintures", "Adhésifs", "Détergents"),
    "Pharmacie": ("Laboratoires", "Pharma", "Cosmétiques"),
    "Logistique": ("Transports", "Entrepôts", "Logistique"),
    "Énergie": ("Énergies", "Chaufferie", "Méthanisation"),
    "Bois et papier": ("Scierie", "Papeterie", "Cartonnerie", "Menuiserie industrielle"),
    "Collectivités": ("Régie des eaux", "Syndicat des eaux", "Station d'épuration"),
}
_SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
    "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
    "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand",
    "Dufour", "Blanchard", "Barbier", "Brun", "Giraud", "Arnaud", "Schmitt", "Colin", "Picard", "Renaud",
)
_FIRST_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Christine", "Valérie", "Sandrine", "Céline",
    "Julie", "Aurélie", "Stéphanie", "Claire", "Laure", "Hélène", "Anne", "Pauline", "Élodie", "Manon",
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent",
    "Frédéric", "Éric", "David", "Stéphane", "Olivier", "Sébastien", "Vincent", "François", "Jérôme",
    "Mathieu", "Guillaume", "Maxime", "Romain", "Hugo", "Benoît", "Yannick", "Karim", "Mehdi", "Sarah",
)
_FORMS = ("SAS", "SARL", "SA", "SAS", "SAS", "SARL")
_CHANNELS = ("Visite terrain", "Téléphone", "E-commerce", "Distributeur", "Salon")
_SEASON = np.array([0.90, 0.95, 1.18, 1.00, 0.93, 1.04, 0.90, 0.45, 1.05, 1.10, 1.16, 1.28])
_HOLIDAYS = ("01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25")

FILE_NAMES = {
    "sales": "ventes", "reps": "equipe", "targets": "objectifs", "commission_plan": "plan_commissionnement",
    "skills": "competences", "training_catalogue": "catalogue_formations", "candidates": "candidats",
    "interview_grid": "grille_entretien", "partners": "partenaires", "opportunities": "opportunites",
    "locations": "localisations",
}


@dataclass
class SampleCompany:
    """The sample company's data, one frame per input kind (same columns as the readers return),
    plus ``customers`` and ``products`` (reference tables, not input files)."""

    sales: pd.DataFrame
    reps: pd.DataFrame
    targets: pd.DataFrame
    commission_plan: pd.DataFrame
    skills: pd.DataFrame
    training_catalogue: pd.DataFrame
    candidates: pd.DataFrame
    interview_grid: pd.DataFrame
    partners: pd.DataFrame
    opportunities: pd.DataFrame
    locations: pd.DataFrame
    customers: pd.DataFrame
    products: pd.DataFrame

    def inputs(self) -> dict[str, pd.DataFrame]:
        """The frames that correspond to an input file, by schema name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in xio.SCHEMAS}


# ---------------------------------------------------------------------------------------------


def load_towns() -> pd.DataFrame:
    """The bundled French towns (``xlsales/data/towns_fr.csv``) with their sales region."""
    ref = resources.files("xlsales") / "data" / "towns_fr.csv"
    with ref.open("rb") as fh:
        towns = pd.read_csv(fh, sep=";", dtype={"postal_code": str, "department": str}, encoding="utf-8")
    lookup = {adm: sr for sr, adms in SALES_REGIONS.items() for adm in adms}
    towns["sales_region"] = towns["region"].map(lookup)
    return towns


def _ascii_slug(text: str, sep: str = "-") -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    out = []
    for ch in s:
        out.append(ch if ch.isalnum() else " ")
    return sep.join("".join(out).split())


def _frame(data: dict, schema: xio.Schema, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """A frame with the schema's columns in order and the readers' dtypes."""
    n = len(next(iter(data.values())))
    cols: dict[str, object] = {}
    for c in schema.columns:
        v = data.get(c.name)
        if c.kind in ("text", "period", "choice"):
            cols[c.name] = xio.text_series([None] * n if v is None else v)
        elif c.kind in ("number", "rate", "paid"):
            cols[c.name] = np.full(n, np.nan) if v is None else np.asarray(v, dtype=float)
        elif c.kind == "integer":
            if c.required:
                cols[c.name] = np.asarray(v, dtype=np.int64)
            else:
                cols[c.name] = np.full(n, np.nan) if v is None else np.asarray(v, dtype=float)
        elif c.kind == "date":
            cols[c.name] = (np.full(n, np.datetime64("NaT"), "datetime64[ns]") if v is None
                            else pd.to_datetime(pd.Series(v)).to_numpy(dtype="datetime64[ns]"))
        elif c.kind == "bool":
            cols[c.name] = np.asarray(v, dtype=bool)
        elif c.kind == "any":
            cols[c.name] = pd.Series(list(v), dtype=object)
    for name in schema.computed:
        if name in data:
            cols[name] = np.asarray(data[name], dtype=float)
    for name in extra:
        cols[name] = data[name]
    return pd.DataFrame(cols)


def _products() -> pd.DataFrame:
    p = pd.DataFrame(_PRODUCTS, columns=["product", "designation", "family", "list_price", "unit_cost", "typical_qty", "weight"])
    p["margin_rate"] = 1 - p["unit_cost"] / p["list_price"]
    return p


def _unique_names(rng: np.random.Generator, sectors: np.ndarray, towns: np.ndarray) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for sector, town in zip(sectors, towns):
        for _ in range(100):
            head = _NAME_HEADS[sector][rng.integers(len(_NAME_HEADS[sector]))]
            style = rng.integers(4)
            if style == 0:
                name = f"{head} {_SURNAMES[rng.integers(len(_SURNAMES))]}"
            elif style == 1:
                name = f"{head} de {town}" if town[0] not in "AEIOUÉÈÂ" else f"{head} d'{town}"
            elif style == 2:
                a, b = rng.choice(len(_SURNAMES), 2, replace=False)
                name = f"{head} {_SURNAMES[a]} et {_SURNAMES[b]}"
            else:
                name = f"Établissements {_SURNAMES[rng.integers(len(_SURNAMES))]}"
            name = f"{name} {_FORMS[rng.integers(len(_FORMS))]}"
            if name not in seen:
                break
        seen.add(name)
        names.append(name)
    return names


def _customers(rng: np.random.Generator, towns: pd.DataFrame, n: int, first_year: int, last_year: int) -> pd.DataFrame:
    # towns: larger share for the big industrial regions
    t_idx = rng.choice(len(towns), size=n, replace=True)
    sector_names = np.array([s for s, _ in _SECTORS], dtype=object)
    sector_w = np.array([w for _, w in _SECTORS])
    sectors = sector_names[rng.choice(len(_SECTORS), size=n, p=sector_w / sector_w.sum())]
    town_names = towns["town"].to_numpy(dtype=object)[t_idx]
    names = _unique_names(rng, sectors, town_names)
    # Pareto-like size: a few big accounts, a long tail
    size = np.exp(rng.normal(0.0, 1.15, n))
    size = np.sort(size)[::-1][rng.permutation(n)]
    # first purchase: 72 % before the period, the rest acquired during it
    start = np.datetime64(f"{first_year}-01-01")
    span = (np.datetime64(f"{last_year}-12-01") - start).astype(int)
    new = rng.random(n) < 0.28
    since = np.where(new, start + rng.integers(30, span, n).astype("timedelta64[D]"), np.datetime64(f"{first_year - 1}-06-01") - rng.integers(0, 3000, n).astype("timedelta64[D]"))
    # newly acquired customers start smaller
    size = np.where(new, size * 0.6, size)
    lost = rng.random(n) < 0.06
    until = np.where(lost, start + rng.integers(200, span, n).astype("timedelta64[D]"), np.datetime64("NaT"))
    until = np.where(~np.isnat(until) & (until <= since + np.timedelta64(120, "D")), np.datetime64("NaT"), until)
    lat = np.round(towns["latitude"].to_numpy()[t_idx] + rng.uniform(-0.025, 0.025, n), 6)
    lon = np.round(towns["longitude"].to_numpy()[t_idx] + rng.uniform(-0.035, 0.035, n), 6)
    chan_pref = rng.choice(len(_CHANNELS), size=n, p=[0.45, 0.2, 0.15, 0.15, 0.05])
    # bigger customers negotiate bigger discounts (in half points)
    rank = size.argsort().argsort() / (n - 1)
    disc_half = np.clip(np.round(rank * 24 + rng.normal(0, 3, n)), 0, 30).astype(int)
    disc_half = np.where(rng.random(n) < 0.25, 0, disc_half)
    df = pd.DataFrame({
        "customer": [f"CL{i + 1:04d}" for i in range(n)],
        "customer_name": names,
        "sector": sectors,
        "town": town_names,
        "postal_code": towns["postal_code"].to_numpy(dtype=object)[t_idx],
        "department": towns["department"].to_numpy(dtype=object)[t_idx],
        "admin_region": towns["region"].to_numpy(dtype=object)[t_idx],
        "region": towns["sales_region"].to_numpy(dtype=object)[t_idx],
        "latitude": lat,
        "longitude": lon,
        "since": since.astype("datetime64[ns]"),
        "until": until.astype("datetime64[ns]"),
        "size": size,
        "channel_pref": np.array(_CHANNELS, dtype=object)[chan_pref],
        "base_discount": disc_half / 2.0,  # in percent
    })
    return df


def _reps(last_year: int) -> pd.DataFrame:
    rows = []
    for name, region, team, hire, salary, plan, birth, interview in _REPS:
        interview = interview.format(last=last_year, prev=last_year - 1)
        rows.append({
            "rep": name, "hire_date": hire.format(last=last_year), "birth_date": birth,
            "last_interview": interview or None, "manager": _MANAGERS[team], "region": region,
            "team": team, "base_salary": salary, "plan": plan,
        })
    df = pd.DataFrame(rows)
    return _frame({k: df[k].tolist() for k in df.columns}, xio.REPS)


def _assign_owners(rng: np.random.Generator, customers: pd.DataFrame, reps: pd.DataFrame, last_year: int) -> tuple[np.ndarray, np.ndarray, np.datetime64]:
    """Owner of each customer before and after the mid-year hire."""
    n = len(customers)
    before = np.empty(n, dtype=object)
    after = np.empty(n, dtype=object)
    region = customers["region"].to_numpy(dtype=object)
    lon = customers["longitude"].to_numpy()
    lat = customers["latitude"].to_numpy()
    for r in SALES_REGIONS:
        members = [x for x in reps.loc[reps["region"] == r, "rep"] if x != _NEW_REP]
        idx = np.flatnonzero(region == r)
        if len(members) == 1:
            before[idx] = members[0]
        else:
            # split the region in two: west / east of the median longitude (plus a little noise)
            key = lon[idx] + rng.normal(0, 0.3, len(idx))
            west = key <= np.median(key)
            before[idx[west]] = members[0]
            before[idx[~west]] = members[1]
        after[idx] = before[idx]
        if r == "Sud":
            # the new rep takes the eastern half of Sud (Provence, Côte d'Azur, Corse)
            east = lon[idx] + 0.0 * lat[idx] > 4.6
            after[idx[east]] = _NEW_REP
    switch = np.datetime64(f"{last_year}-07-01", "ns")
    return before, after, switch


def _business_days(first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = np.arange(np.datetime64(f"{first_year}-01-01"), np.datetime64(f"{last_year + 1}-01-01"))
    weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday → Monday = 0
    md = pd.DatetimeIndex(days).strftime("%m-%d").to_numpy()
    ok = (weekday < 5) & ~np.isin(md, _HOLIDAYS)
    days = days[ok]
    month_index = (days.astype("datetime64[M]").astype(int) - np.datetime64(f"{first_year}-01", "M").astype(int))
    nmonths = 12 * (last_year - first_year + 1)
    starts = np.searchsorted(month_index, np.arange(nmonths))
    counts = np.diff(np.append(starts, len(days)))
    return days, starts, counts


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders)."""
    exact = weights / weights.sum() * total
    base = np.floor(exact).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:rest]] += 1
    return base


def make_sales(rng: np.random.Generator, customers: pd.DataFrame, products: pd.DataFrame, owners: tuple,
               lines: int, first_year: int, last_year: int) -> pd.DataFrame:
    """Sales lines, vectorised (10 million lines are feasible)."""
    years = last_year - first_year + 1
    nmonths = 12 * years
    month = np.arange(nmonths)
    trend = 1.11 ** (month / 12.0)
    weights = trend * np.tile(_SEASON, years)
    per_month = _allocate(lines, weights)
    days, starts, counts = _business_days(first_year, last_year)

    m_of_line = np.repeat(month, per_month)
    n = len(m_of_line)
    day_pick = starts[m_of_line] + np.floor(rng.random(n) * counts[m_of_line]).astype(int)
    date = days[day_pick]

    # customer of each line: among those active in the month, proportionally to their size
    size = customers["size"].to_numpy()
    since = customers["since"].to_numpy().astype("datetime64[D]")
    until = customers["until"].to_numpy().astype("datetime64[D]")
    cust = np.empty(n, dtype=np.int64)
    month_start = np.datetime64(f"{first_year}-01", "M") + month
    pos = 0
    for m in range(nmonths):
        k = per_month[m]
        if k == 0:
            continue
        ms = month_start[m].astype("datetime64[D]")
        me = (month_start[m] + 1).astype("datetime64[D]")
        active = (since < me) & (np.isnat(until) | (until > ms))
        idx = np.flatnonzero(active)
        w = size[idx]
        cust[pos:pos + k] = idx[rng.choice(len(idx), size=k, p=w / w.sum())]
        pos += k

    # products
    pw = products["weight"].to_numpy()
    prod = rng.choice(len(products), size=n, p=pw / pw.sum())
    typical = products["typical_qty"].to_numpy()[prod]
    csize = size[cust]
    qty = np.maximum(1, np.round(typical * np.exp(rng.normal(0, 0.45, n)) * np.clip(csize, 0.3, 4.0) ** 0.35))
    # big machines: one at a time most of the time
    single = typical == 1
    qty = np.where(single, np.where(rng.random(n) < 0.88, 1, np.minimum(qty, 3)), qty)
    # a few credit notes (returns)
    ret = rng.random(n) < 0.006
    qty = np.where(ret, -np.maximum(1, np.round(qty / 2)), qty).astype(float)

    year_idx = m_of_line // 12
    price_index = 1.025 ** np.arange(years)
    cost_index = 1.03 ** np.arange(years)
    list_price = np.round(products["list_price"].to_numpy()[:, None] * price_index[None, :], 2)
    unit_cost_tab = np.round(products["unit_cost"].to_numpy()[:, None] * cost_index[None, :], 2)
    unit_price = list_price[prod, year_idx]
    unit_cost = unit_cost_tab[prod, year_idx]

    base_disc = customers["base_discount"].to_numpy()[cust]  # percent, half points
    promo = rng.random(n) < 0.08
    disc_pct = base_disc + np.where(promo, 5.0, 0.0)
    services = products["family"].to_numpy()[prod] == "Services"
    disc_pct = np.where(services, np.minimum(disc_pct, 5.0), disc_pct)
    discount = np.round(disc_pct * 2) / 2 / 100.0

    # channel: the customer's usual channel most of the time
    pref = pd.Series(customers["channel_pref"].to_numpy()[cust]).map({c: i for i, c in enumerate(_CHANNELS)}).to_numpy()
    other = rng.integers(0, len(_CHANNELS), n)
    chan = np.where(rng.random(n) < 0.8, pref, other)

    before, after, switch = owners
    rep_before = before[cust]
    rep_after = after[cust]
    rep = np.where(date >= switch.astype("datetime64[D]"), rep_after, rep_before)

    # order lines by date, customer; invoices group the lines of one customer on one day
    order = np.lexsort((prod, cust, date))
    date, cust, prod, qty, unit_price, unit_cost, discount, chan, rep, year_idx = (
        a[order] for a in (date, cust, prod, qty, unit_price, unit_cost, discount, chan, rep, year_idx)
    )
    key_change = np.ones(n, bool)
    key_change[1:] = (date[1:] != date[:-1]) | (cust[1:] != cust[:-1])
    inv_id = np.cumsum(key_change) - 1
    inv_year = year_idx[key_change]
    first_of_year = np.searchsorted(inv_year, np.arange(years))
    seq = np.arange(len(inv_year)) - first_of_year[inv_year] + 1
    inv_numbers = (pd.Series(first_year + inv_year).astype(str) + "-" + pd.Series(seq).astype(str).str.zfill(5)).radd("FA").to_numpy(dtype=object)
    invoice = inv_numbers[inv_id]

    # payment: invoices of the last two months mostly unpaid (45-day terms), a few old bad debts
    end = np.datetime64(f"{last_year}-12-31")
    inv_date = date[key_change]
    age = (end - inv_date).astype(int)
    p_unpaid = np.where(age < 45, 0.85, np.where(age < 75, 0.25, 0.012))
    unpaid_inv = rng.random(len(inv_date)) < p_unpaid
    paid_flag = ~unpaid_inv[inv_id]

    revenue = excel_round(qty * unit_price * (1.0 - discount))  # line amounts in cents, as the workbooks round them
    margin = revenue - excel_round(qty * unit_cost)
    paid = np.where(paid_flag, revenue, 0.0)

    cust_codes = customers["customer"].to_numpy(dtype=object)
    cust_names = customers["customer_name"].to_numpy(dtype=object)
    regions = customers["region"].to_numpy(dtype=object)
    pcodes = products["product"].to_numpy(dtype=object)
    fams = products["family"].to_numpy(dtype=object)
    data = {
        "date": date.astype("datetime64[ns]"),
        "invoice": invoice,
        "customer": cust_codes[cust],
        "customer_name": cust_names[cust],
        "rep": rep,
        "region": regions[cust],
        "channel": np.array(_CHANNELS, dtype=object)[chan],
        "product": pcodes[prod],
        "family": fams[prod],
        "quantity": qty,
        "unit_price": unit_price,
        "unit_cost": unit_cost,
        "discount": discount,
        "paid": paid,
        "revenue": revenue,
        "margin": margin,
    }
    return _frame(data, xio.SALES)


def _targets(rng: np.random.Generator, sales: pd.DataFrame, reps: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """Monthly targets per rep: the year's realised revenue × a stretch factor, spread by season."""
    s = sales[["date", "rep", "revenue", "margin"]].copy()
    s["year"] = s["date"].dt.year
    annual = s.groupby(["rep", "year"])[["revenue", "margin"]].sum()
    hire = dict(zip(reps["rep"], reps["hire_date"]))
    rows = {k: [] for k in ("rep", "period", "target", "target_margin", "target_visits", "target_new_customers")}
    season = _SEASON / _SEASON.sum()
    for rep in reps["rep"]:
        for year in range(first_year, last_year + 1):
            if (rep, year) not in annual.index:
                continue
            rev, mar = annual.loc[(rep, year)]
            months = np.arange(1, 13)
            h = pd.Timestamp(hire[rep])
            active = np.array([pd.Timestamp(year, m, 1) >= h.replace(day=1) for m in months])
            share = season * active
            share = share / share.sum()
            stretch = rng.uniform(0.93, 1.09)
            monthly = np.round(rev * stretch * share / 100.0) * 100.0
            mrate = mar / rev if rev else 0.3
            for m in months[active]:
                rows["rep"].append(rep)
                rows["period"].append(f"{year}-{m:02d}")
                rows["target"].append(monthly[m - 1])
                rows["target_margin"].append(np.round(monthly[m - 1] * mrate / 100.0) * 100.0)
                rows["target_visits"].append(float(8 if m == 8 else rng.integers(14, 21)))
                rows["target_new_customers"].append(float(0 if m == 8 else rng.integers(0, 3)))
    return _frame(rows, xio.TARGETS)


def _nice(x: float) -> float:
    """Rounded to two significant digits (a figure a manager would write in a plan)."""
    if x <= 0:
        return 0.0
    digits = int(np.floor(np.log10(x))) - 1
    return float(np.round(x / 10.0**digits) * 10.0**digits)


def _commission_plan(sales: pd.DataFrame, reps: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Two plans; the tiers are set from the typical annual revenue of a rep (so that they suit
    any number of generated lines)."""
    last = sales[sales["date"].dt.year == last_year]
    per_rep = last.groupby("rep")["revenue"].sum()
    field = [r for r, p in zip(reps["rep"], reps["plan"]) if p == "Terrain" and r in per_rep.index]
    u = float(per_rep.loc[field].median()) if field else 1.0
    t1, t2 = _nice(0.6 * u), _nice(u)
    expected = 0.015 * t1 + 0.025 * (t2 - t1)
    rows = [
        ("Terrain", "mode", None, "progressive"),
        ("Terrain", "base", None, "revenue"),
        ("Terrain", "period", None, "year"),
        ("Terrain", "tier", 0.0, 0.015),
        ("Terrain", "tier", t1, 0.025),
        ("Terrain", "tier", t2, 0.035),
        ("Terrain", "gate", None, 0.8),
        ("Terrain", "cap", None, _nice(3 * expected)),
        ("Terrain", "accelerator", None, 1.5),
        ("Terrain", "bonus", 1.0, _nice(0.3 * expected)),
        ("Terrain", "bonus", 1.1, _nice(0.6 * expected)),
        ("Terrain", "bonus", 1.2, _nice(0.9 * expected)),
        ("Terrain", "draw", None, _nice(0.5 * expected / 12)),
        ("Terrain", "draw_recoverable", None, True),
        ("Terrain", "team_bonus", 1.0, _nice(0.2 * expected)),
        ("Terrain", "employer_charge_rate", None, 0.42),
        ("Junior", "mode", None, "progressive"),
        ("Junior", "base", None, "revenue"),
        ("Junior", "period", None, "year"),
        ("Junior", "tier", 0.0, 0.02),
        ("Junior", "tier", _nice(0.4 * u), 0.03),
        ("Junior", "gate", None, 0.7),
        ("Junior", "cap", None, _nice(2 * expected)),
        ("Junior", "accelerator", None, 1.25),
        ("Junior", "bonus", 1.0, _nice(0.3 * expected)),
        ("Junior", "draw", None, _nice(0.6 * expected / 12)),
        ("Junior", "draw_recoverable", None, False),
        ("Junior", "team_bonus", 1.0, _nice(0.2 * expected)),
        ("Junior", "employer_charge_rate", None, 0.42),
    ]
    return _frame({
        "plan": [r[0] for r in rows], "item": [r[1] for r in rows],
        "threshold": [np.nan if r[2] is None else r[2] for r in rows], "value": [r[3] for r in rows],
    }, xio.COMMISSION_PLAN)


_SKILLS = (
    ("Découverte des besoins", 4), ("Argumentation technique", 4), ("Négociation", 3), ("Prospection", 3),
    ("Connaissance produits", 4), ("Gestion de comptes clés", 3), ("Outils CRM", 2), ("Anglais technique", 2),
)


def _skills(rng: np.random.Generator, reps: pd.DataFrame, last_year: int) -> pd.DataFrame:
    rows = {k: [] for k in ("rep", "skill", "current", "required")}
    for rep, hire in zip(reps["rep"], reps["hire_date"]):
        seniority = (pd.Timestamp(f"{last_year}-12-31") - hire).days / 365.25
        base = 1.5 + min(seniority, 12) / 6.0
        for skill, required in _SKILLS:
            cur = int(np.clip(np.round(base + rng.normal(0, 0.8)), 0, 4))
            rows["rep"].append(rep)
            rows["skill"].append(skill)
            rows["current"].append(cur)
            rows["required"].append(required)
    return _frame(rows, xio.SKILLS)


_TRAININGS = (
    ("Découverte client et questionnement SPIN", "Découverte des besoins", 14, 1290.0, "Institut Vente & Industrie", "présentiel", False, True),
    ("Argumenter la valeur technique (CAP-SONCAS)", "Argumentation technique", 14, 1350.0, "Institut Vente & Industrie", "présentiel", False, True),
    ("Négociation commerciale en B2B", "Négociation", 21, 1890.0, "Académie Négociation Pro", "présentiel", False, True),
    ("Défendre ses prix et ses marges", "Négociation", 7, 690.0, "Académie Négociation Pro", "distanciel", False, False),
    ("Prospection multicanale et social selling", "Prospection", 14, 980.0, "Digital Sales Campus", "distanciel", False, True),
    ("Technologie des compresseurs à vis", "Connaissance produits", 21, 0.0, "Service technique interne", "AFEST", True, False),
    ("Pompes et hydraulique : sélection et dimensionnement", "Connaissance produits", 14, 0.0, "Service technique interne", "AFEST", False, False),
    ("Plans de comptes clés (key account management)", "Gestion de comptes clés", 21, 2100.0, "École des Grands Comptes", "mixte", False, True),
    ("Piloter son activité avec le CRM", "Outils CRM", 7, 450.0, "Éditeur CRM", "distanciel", False, False),
    ("Anglais technique et commercial (40 h)", "Anglais technique", 40, 1600.0, "Langues & Industrie", "distanciel", False, True),
    ("Habilitation électrique BS-BE manœuvre", "Connaissance produits", 14, 420.0, "Organisme agréé sécurité", "présentiel", True, False),
    ("Sauveteur secouriste du travail (SST)", "Découverte des besoins", 14, 290.0, "Organisme agréé sécurité", "présentiel", True, False),
)


def _training_catalogue() -> pd.DataFrame:
    cols = ("action", "skill", "duration_hours", "cost", "provider", "mode", "mandatory", "cpf")
    return _frame({c: [t[i] for t in _TRAININGS] for i, c in enumerate(cols)}, xio.TRAINING_CATALOGUE)


_GRID = (
    ("Compétences techniques", 3.0, False, np.nan),
    ("Compétences commerciales", 3.0, False, np.nan),
    ("Communication orale", 2.0, False, np.nan),
    ("Motivation pour le poste", 2.0, False, np.nan),
    ("Adéquation à l'équipe", 1.0, False, np.nan),
    ("Mobilité (permis B, déplacements)", 1.0, True, 3.0),
)
_CANDIDATES = ("Karim Benali", "Chloé Vasseur", "Mathis Lemoine", "Inès Carpentier", "Bastien Ollivier")


def _interview(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    grid = _frame({
        "criterion": [g[0] for g in _GRID], "weight": [g[1] for g in _GRID],
        "eliminatory": [g[2] for g in _GRID], "min_rating": [g[3] for g in _GRID],
    }, xio.INTERVIEW_GRID)
    rows = {k: [] for k in ("candidate", "criterion", "rating")}
    for cand in _CANDIDATES:
        level = rng.uniform(2.2, 4.3)
        for crit, *_ in _GRID:
            rows["candidate"].append(cand)
            rows["criterion"].append(crit)
            rows["rating"].append(float(np.clip(np.round(level + rng.normal(0, 0.9)), 1, 5)))
    return _frame(rows, xio.CANDIDATES), grid


#: fictitious phone numbers: the ranges ARCEP reserves for works of fiction
_FICTION_PHONES = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49", "06 39 98")
_RATINGS = ("Note qualité", "Note réactivité", "Note prix", "Note relation")


def _partners(rng: np.random.Generator, last_year: int) -> pd.DataFrame:
    kinds = ["fournisseur"] * 6 + ["client"] * 7 + ["distributeur"] * 6 + ["prescripteur"] * 6
    heads = {
        "fournisseur": ("Hydrofluid", "Atlas Composants", "Filtra", "Mécatronic", "Électrodrive", "Lubritec"),
        "client": ("Groupe Agrinord", "Aciéries du Centre", "Plastalp", "Laboratoires Rivaud", "Papeteries de l'Adour", "Béton Provence", "Transports Kervran"),
        "distributeur": ("Distri-Air Ouest", "Comptoir Technique Lorrain", "Hydraulique Service 33", "Provence Équipements", "Nord Outillage", "Alpes Maintenance"),
        "prescripteur": ("Bureau d'études Tecsol", "Cabinet Énergie Conseil", "Ingénierie Duval", "CETIM Conseil régional", "Atelier Thermique Ingénierie", "Conseil Air Efficace"),
    }
    counters = {k: 0 for k in heads}
    rows: dict[str, list] = {k: [] for k in ("partner", "type", "contact", "email", "phone", "region", "revenue", "potential", "last_contact", "consent_date", *_RATINGS)}
    regions = list(SALES_REGIONS)
    end = np.datetime64(f"{last_year}-12-31")
    for k in kinds:
        name = heads[k][counters[k]]
        counters[k] += 1
        first = _FIRST_NAMES[rng.integers(len(_FIRST_NAMES))]
        last = _SURNAMES[rng.integers(len(_SURNAMES))]
        domain = _ascii_slug(name).replace("-d-", "-") + ".fr"
        phone = f"{_FICTION_PHONES[rng.integers(len(_FICTION_PHONES))]} {rng.integers(0, 100):02d} {rng.integers(0, 100):02d}"
        revenue = {"fournisseur": 0.0, "client": rng.uniform(60, 420), "distributeur": rng.uniform(80, 650), "prescripteur": rng.uniform(0, 180)}[k]
        revenue = float(np.round(revenue * 1000.0 / 100.0) * 100.0)
        potential = float(np.round(revenue * rng.uniform(1.1, 2.6) / 100.0) * 100.0)
        if k == "fournisseur":  # no sales through a supplier
            revenue = potential = np.nan
        last_contact = end - rng.integers(3, 240)
        consent = last_contact - rng.integers(60, 900) if rng.random() < 0.84 else np.datetime64("NaT")
        rows["partner"].append(name)
        rows["type"].append(k)
        rows["contact"].append(f"{first} {last}")
        rows["email"].append(f"{_ascii_slug(first, '')}.{_ascii_slug(last, '')}@{domain}")
        rows["phone"].append(phone)
        rows["region"].append(regions[rng.integers(len(regions))])
        rows["revenue"].append(revenue)
        rows["potential"].append(potential)
        rows["last_contact"].append(last_contact)
        rows["consent_date"].append(consent)
        for r in _RATINGS:
            rows[r].append(float(rng.integers(1, 6)))
    data = {k: v for k, v in rows.items()}
    return _frame(data, xio.PARTNERS, extra=_RATINGS)


_OPP_CHANNELS = ("Salon professionnel", "Site web", "Recommandation", "Prospection téléphonique", "Partenaire", "LinkedIn")
_LOST = ("Prix trop élevé", "Concurrent retenu", "Projet reporté", "Pas de budget", "Sans suite", "Délai de livraison")


def _opportunities(rng: np.random.Generator, customers: pd.DataFrame, reps: pd.DataFrame, last_year: int, n: int = 320) -> pd.DataFrame:
    start = np.datetime64(f"{last_year}-01-02")
    lead_date = np.sort(start + rng.integers(0, 350, n).astype("timedelta64[D]"))
    existing = rng.random(n) < 0.4
    cust = np.empty(n, dtype=object)
    idx = rng.integers(0, len(customers), n)
    cust[existing] = customers["customer_name"].to_numpy(dtype=object)[idx[existing]]
    sectors = np.array([s for s, _ in _SECTORS], dtype=object)[rng.integers(0, len(_SECTORS), n)]
    prospect_names = _unique_names(rng, sectors, customers["town"].to_numpy(dtype=object)[rng.integers(0, len(customers), n)])
    cust[~existing] = np.array(prospect_names, dtype=object)[~existing]
    channel = np.array(_OPP_CHANNELS, dtype=object)[rng.choice(len(_OPP_CHANNELS), n, p=[0.18, 0.22, 0.2, 0.2, 0.1, 0.1])]
    rep_names = reps["rep"].to_numpy(dtype=object)
    rep = rep_names[rng.integers(0, len(rep_names), n)]
    conv = np.array([0.78, 0.58, 0.72, 0.42])
    stage = np.zeros(n, dtype=int)
    dates = np.full((n, 5), np.datetime64("NaT"), dtype="datetime64[D]")
    dates[:, 0] = lead_date
    gaps = (3, 12, 14, 21)
    end = np.datetime64(f"{last_year}-12-31")
    for j in range(1, 5):
        go = (stage == j - 1) & (rng.random(n) < conv[j - 1])
        nxt = dates[:, j - 1] + rng.integers(1, 2 * gaps[j - 1], n).astype("timedelta64[D]")
        go &= nxt <= end
        dates[go, j] = nxt[go]
        stage[go] = j
    open_ = (stage < 4) & ((end - dates[np.arange(n), stage]).astype(int) < 45)
    lost = (stage < 4) & ~open_
    reason = np.empty(n, dtype=object)
    reason[:] = None
    reason[lost] = np.array(_LOST, dtype=object)[rng.integers(0, len(_LOST), lost.sum())]
    amount = np.round(np.exp(rng.normal(np.log(9000), 0.9, n)) / 10.0) * 10.0
    satisfaction = np.where(stage == 4, np.clip(np.round(rng.normal(8, 1.4, n)), 3, 10), np.nan)
    data = {
        "id": [f"OPP-{last_year}-{i + 1:04d}" for i in range(n)],
        "customer": cust, "channel": channel, "rep": rep,
        "stage": np.array(xio.STAGE_ORDER, dtype=object)[stage],
        "amount": amount, "lost_reason": reason, "satisfaction": satisfaction,
    }
    for j, s in enumerate(xio.STAGE_ORDER):
        data["date_" + s] = dates[:, j].astype("datetime64[ns]")
    return _frame(data, xio.OPPORTUNITIES)


_STREETS = (
    "rue de l'Industrie", "avenue de l'Europe", "zone industrielle des Paluds", "rue Gustave Eiffel", "rue des Artisans",
    "boulevard Pierre Mendès France", "rue Ampère", "parc d'activités du Moulin", "rue Denis Papin", "avenue Jean Jaurès",
    "rue du Commerce", "chemin des Forges", "rue de la Gare", "zone artisanale des Prés", "allée des Métiers",
)


def _locations(rng: np.random.Generator, customers: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
    n = len(customers)
    num = rng.integers(1, 120, n)
    street = np.array(_STREETS, dtype=object)[rng.integers(0, len(_STREETS), n)]
    address = [f"{a} {b}, {c} {d}" for a, b, c, d in zip(num, street, customers["postal_code"], customers["town"])]
    rev = sales.groupby("customer")["revenue"].sum().reindex(customers["customer"]).fillna(0.0).to_numpy()
    rank = (-rev).argsort().argsort() / n
    priority = np.where(rank < 0.2, 1, np.where(rank < 0.5, 2, 3)).astype(float)
    minutes = np.where(priority == 1, 90.0, np.where(priority == 2, 60.0, 45.0))
    minutes = np.where(rng.random(n) < 0.2, 30.0, minutes)
    return _frame({
        "customer": customers["customer"].to_numpy(dtype=object), "address": address,
        "latitude": customers["latitude"].to_numpy(), "longitude": customers["longitude"].to_numpy(),
        "visit_minutes": minutes, "priority": priority,
    }, xio.LOCATIONS)


def make_sample_company(seed: int = 2026, lines: int = 6000, *, customers: int = 180, last_year: int = 2025) -> SampleCompany:
    """Build the sample company (deterministic for a given ``seed``).

    ``lines``: number of sales lines over the three years (1 to 10 million and more);
    ``customers``: number of customers (≥ 150 recommended); ``last_year``: the last full year.
    """
    if lines < 1:
        raise ValueError("lines must be ≥ 1")
    if customers < 10:
        raise ValueError("customers must be ≥ 10")
    first_year = last_year - 2
    rng = np.random.default_rng(seed)
    towns = load_towns()
    cust = _customers(rng, towns, customers, first_year, last_year)
    products = _products()
    reps = _reps(last_year)
    owners = _assign_owners(rng, cust, reps, last_year)
    sales = make_sales(rng, cust, products, owners, lines, first_year, last_year)
    targets = _targets(rng, sales, reps, first_year, last_year)
    candidates, grid = _interview(rng)
    return SampleCompany(
        sales=sales,
        reps=reps,
        targets=targets,
        commission_plan=_commission_plan(sales, reps, last_year),
        skills=_skills(rng, reps, last_year),
        training_catalogue=_training_catalogue(),
        candidates=candidates,
        interview_grid=grid,
        partners=_partners(rng, last_year),
        opportunities=_opportunities(rng, cust, reps, last_year),
        locations=_locations(rng, cust, sales),
        customers=cust,
        products=products,
    )


def write_sample_data(outdir: str | os.PathLike, seed: int = 2026, lines: int = 6000, fmt: str = "csv", *,
                      force: bool = False, company: SampleCompany | None = None) -> dict[str, Path]:
    """Write one file per input kind in the format users bring, and return their paths by kind.

    CSV (``fmt="csv"``): French headers, ``;`` separator, French decimals (``1 234,50``),
    ``dd/mm/yyyy`` dates, oui/non, UTF-8 with BOM. ``fmt="xlsx"``: one workbook per kind, real
    numbers and dates, text always stored as text. Files are written atomically and existing
    ones are only replaced with ``force``. ``company`` reuses an already built company.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError("fmt must be 'csv' or 'xlsx'")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    company = company or make_sample_company(seed=seed, lines=lines)
    paths: dict[str, Path] = {}
    for kind, frame in company.inputs().items():
        path = out / f"{FILE_NAMES[kind]}.{fmt}"
        xio.write_table(frame, path, xio.SCHEMAS[kind], force=force)
        paths[kind] = path
    return paths
