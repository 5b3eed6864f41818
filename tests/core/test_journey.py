"""Tests of xlsales.core.journey: funnel, great-circle distance, tours.

Every expected value is published (URL given) or known independently: geometry (regular polygons,
grids, antipodes), an independent formula (spherical law of cosines), brute force over all
permutations, the published optima of TSPLIB instances, or a Held-Karp lower bound computed here.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import minimum_spanning_tree

from xlsales.core import journey
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError
from xlsales.core.journey import FUNNEL_HEADER, distance_km, distance_matrix_km, funnel, tour, tour_matrix

R = 6371.0


# ---------------------------------------------------------------------------------------------
# Independent references
# ---------------------------------------------------------------------------------------------


def law_of_cosines_km(lat1, lon1, lat2, lon2):
    """Great-circle distance by the spherical law of cosines (a different formula from haversine)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return R * math.acos(max(-1.0, min(1.0, c)))


def law_of_cosines_matrix(lat, lon):
    lat, lon = np.radians(lat), np.radians(lon)
    c = np.sin(lat)[:, None] * np.sin(lat)[None, :] + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.cos(
        lon[:, None] - lon[None, :]
    )
    return R * np.arccos(np.clip(c, -1.0, 1.0))


def brute_force(d, start, closed):
    """Shortest route from ``start`` over all permutations of the other points (vectorised)."""
    n = len(d)
    others = [k for k in range(n) if k != start]
    perms = np.array(list(itertools.permutations(others)), dtype=np.intp)
    routes = np.column_stack([np.full(len(perms), start), perms])
    lengths = d[routes[:, :-1], routes[:, 1:]].sum(axis=1)
    if closed:
        lengths = lengths + d[routes[:, -1], start]
    return float(lengths.min())


def route_length(d, order, closed):
    idx = np.asarray(order) - 1
    total = sum(d[a, b] for a, b in zip(idx[:-1], idx[1:]))
    if closed and len(idx) > 1:
        total += d[idx[-1], idx[0]]
    return float(total)


def tsplib_geo_matrix(coords):
    """TSPLIB's GEO distance (TSPLIB 95 documentation, G. Reinelt, section 2.4).

    Coordinates are DDD.MM (degrees and minutes); the sphere has radius 6378.388 km and the
    distance is truncated to an integer after adding 1, exactly as in the reference code.
    """
    c = np.asarray(coords, dtype=float)

    def radians(x):
        degrees = np.trunc(x)
        return 3.141592 * (degrees + 5.0 * (x - degrees) / 3.0) / 180.0

    lat, lon = radians(c[:, 0]), radians(c[:, 1])
    q1 = np.cos(lon[:, None] - lon[None, :])
    q2 = np.cos(lat[:, None] - lat[None, :])
    q3 = np.cos(lat[:, None] + lat[None, :])
    inner = np.clip(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3), -1.0, 1.0)
    d = np.floor(6378.388 * np.arccos(inner) + 1.0)
    np.fill_diagonal(d, 0.0)
    return d


def parse_pairs(text):
    values = [float(x) for x in text.replace(",", " ").split()]
    return np.array(values).reshape(-1, 2)


def held_karp_lower_bound(d, upper, iterations=200):
    """Held-Karp 1-tree lower bound with subgradient optimisation (Held & Karp 1971).

    Any multipliers give a valid lower bound on the optimal round trip; ``upper`` (any tour
    length) only sets the step sizes.
    """
    n = len(d)
    pi = np.zeros(n)
    best, scale, stalled = -np.inf, 2.0, 0
    for _ in range(iterations):
        w = d + pi[:, None] + pi[None, :]
        sub = w[1:, 1:]
        shift = sub.min() - 1.0  # csgraph ignores zero weights: shift all weights (same tree)
        tree = minimum_spanning_tree(sub - shift).tocoo()
        degree = np.zeros(n)
        np.add.at(degree, tree.row + 1, 1)
        np.add.at(degree, tree.col + 1, 1)
        two = np.argsort(w[0, 1:])[:2] + 1
        degree[0] = 2
        degree[two] += 1
        bound = float(sub[tree.row, tree.col].sum() + w[0, two].sum() - 2 * pi.sum())
        if bound > best + 1e-9:
            best, stalled = bound, 0
        else:
            stalled += 1
            if stalled >= 20:
                scale, stalled = scale / 2, 0
        g = degree - 2
        if not g.any():
            break
        pi += scale * (upper - bound) / float(g @ g) * g
    return best


def nearest_neighbour_length(d):
    n = len(d)
    seen, here, total = {0}, 0, 0.0
    for _ in range(n - 1):
        row = [(d[here, k], k) for k in range(n) if k not in seen]
        step, here = min(row)
        seen.add(here)
        total += step
    return total + d[here, 0]


def small_circle(lat0, lon0, radius_km, n, rotation=0.0):
    """n points evenly spaced on the circle of given radius around (lat0, lon0) (direct problem)."""
    rho = radius_km / R
    theta = rotation + 2 * np.pi * np.arange(n) / n
    p0, l0 = np.radians(lat0), np.radians(lon0)
    lat = np.arcsin(np.sin(p0) * np.cos(rho) + np.cos(p0) * np.sin(rho) * np.cos(theta))
    lon = l0 + np.arctan2(np.sin(theta) * np.sin(rho) * np.cos(p0), np.cos(rho) - np.sin(p0) * np.sin(lat))
    return np.degrees(lat), np.degrees(lon)


def polygon_side_km(radius_km, n):
    """Distance between neighbours on that circle.

    Spherical law of cosines in the triangle centre-P-Q: cos d = cos²ρ + sin²ρ cos(2π/n), i.e.
    sin(d/2) = sin ρ sin(π/n) (the well-conditioned form).
    """
    rho = radius_km / R
    return 2 * R * math.asin(math.sin(rho) * math.sin(math.pi / n))


# TSPLIB 95 geographical instances (coordinates DDD.MM, Groetschel's 666-city problem) and their
# published optimal tour lengths: http://comopt.ifi.uni-heidelberg.de/software/TSPLIB95/STSP.html
BURMA14 = """
16.47 96.10, 16.47 94.44, 20.09 92.54, 22.39 93.37, 25.23 97.24, 22.00 96.05, 20.47 97.02,
17.20 96.29, 16.30 97.38, 14.05 98.12, 16.53 97.38, 21.52 95.59, 19.41 97.13, 20.09 94.55
"""
ULYSSES16 = """
38.24 20.42, 39.57 26.15, 40.56 25.32, 36.26 23.12, 33.48 10.54, 37.56 12.19, 38.42 13.11,
37.52 20.44, 41.23 9.10, 41.17 13.05, 36.08 -5.21, 38.47 15.13, 38.15 15.35, 37.51 15.17,
35.49 14.32, 39.36 19.56
"""
GR96 = """
14.55 -23.31, 28.06 -15.24, 32.38 -16.54, 31.38 -8.00, 33.39 -7.35, 34.02 -6.51, 34.05 -4.57,
35.48 -5.45, 35.43 -0.43, 36.47 3.03, 22.56 5.30, 36.22 6.37, 36.48 10.11, 34.44 10.46,
32.54 13.11, 32.07 20.04, 31.12 29.54, 31.16 32.18, 29.58 32.33, 30.03 31.15, 24.05 32.53,
19.37 37.14, 15.36 32.32, 13.11 30.13, 13.38 25.21, 15.20 38.53, 9.00 38.50, 11.36 43.09,
18.06 -15.57, 14.40 -17.26, 13.28 -16.39, 11.51 -15.35, 16.46 -3.01, 12.39 -8.00, 10.23 -9.18,
9.31 -13.43, 8.30 -13.15, 6.18 -10.47, 5.19 -4.02, 6.41 -1.35, 5.33 -0.13, 6.08 1.13, 6.29 2.37,
12.22 -1.31, 13.31 2.07, 12.00 8.30, 11.51 13.10, 12.07 15.03, 6.27 3.24, 6.27 7.27, 0.20 6.44,
3.45 8.47, 3.52 11.31, 4.22 18.35, 0.23 9.27, -4.16 15.17, -4.18 15.18, 0.04 18.16, -5.54 22.25,
0.30 25.12, -3.23 29.22, -1.57 30.04, 0.19 32.25, -1.17 36.49, 2.01 45.20, -4.03 39.40,
-6.10 39.11, -6.48 39.17, -8.48 13.14, -12.44 15.47, -11.40 27.28, -12.49 28.13, -15.25 28.17,
-20.09 28.36, -17.50 31.03, -15.47 35.00, -19.49 34.52, -25.58 32.35, -15.57 -5.42,
-37.15 -12.30, -22.59 14.31, -22.34 17.06, -26.38 15.10, -24.45 25.55, -25.45 28.10,
-26.15 28.00, -29.12 26.07, -29.55 30.56, -33.00 27.55, -33.58 25.40, -33.55 18.22,
-23.21 43.40, -18.55 47.31, -12.16 49.17, -20.10 57.30, -4.38 55.27
"""
GR137 = """
71.17 -156.47, 64.51 -147.43, 61.13 -149.53, 58.20 -134.27, 49.16 -123.07, 53.33 -113.28,
51.03 -114.05, 50.25 -104.39, 52.07 -106.38, 49.53 -97.09, 58.46 -94.10, 43.39 -79.23,
45.25 -75.42, 45.31 -73.34, 46.49 -71.14, 44.39 -63.36, 47.34 -52.43, 47.36 -122.20,
47.40 -117.23, 38.35 -121.30, 37.48 -122.24, 34.03 -118.15, 32.43 -117.09, 40.46 -111.53,
33.27 -112.05, 39.43 -105.01, 35.05 -106.40, 31.45 -106.29, 46.47 -92.06, 44.59 -93.13,
41.16 -95.57, 39.07 -94.39, 35.28 -97.32, 32.47 -96.48, 29.46 -95.22, 43.02 -87.55,
41.53 -87.38, 38.39 -90.25, 35.08 -90.03, 29.58 -90.07, 42.20 -83.03, 40.26 -80.00,
39.06 -84.31, 33.45 -84.23, 42.21 -71.04, 40.43 -74.01, 39.57 -75.07, 38.54 -77.01,
30.20 -81.40, 25.46 -80.12, 25.05 -77.21, 28.38 -106.05, 25.33 -103.26, 25.40 -100.19,
22.13 -97.51, 22.09 -100.59, 20.40 -103.20, 19.24 -99.09, 19.03 -98.12, 19.20 -96.40,
16.51 -99.55, 17.03 -96.43, 17.59 -92.55, 20.58 -89.37, 17.30 -88.12, 14.38 -90.31,
13.42 -89.12, 14.06 -87.13, 12.09 -86.17, 9.56 -84.05, 8.58 -79.32, 23.08 -82.22, 22.24 -79.58,
20.01 -75.49, 18.00 -76.48, 18.32 -72.20, 18.28 -69.54, 18.28 -66.07, 14.36 -61.05,
13.06 -59.37, 10.39 -61.31, 12.06 -68.56, 4.56 -52.20, 5.50 -55.10, 6.48 -58.10, 10.30 -66.56,
10.40 -71.37, 10.59 -74.48, 6.15 -75.35, 4.36 -74.05, 3.27 -76.31, -0.56 -91.01, -0.13 -78.30,
-1.40 -78.38, -2.10 -79.50, -3.46 -73.15, -8.07 -79.02, -12.03 -77.03, -13.31 -71.59,
-16.24 -71.33, -16.30 -68.09, -17.48 -63.10, -19.35 -65.45, -23.39 -70.24, -33.27 -70.40,
-36.50 -73.03, -53.09 -70.55, -51.42 -57.51, -38.43 -62.17, -38.00 -57.33, -34.50 -56.12,
-34.36 -58.27, -32.57 -60.40, -31.24 -64.11, -32.53 -68.49, -26.49 -65.13, -25.16 -57.40,
-30.04 -51.11, -27.35 -48.34, -25.25 -49.15, -23.32 -46.37, -22.54 -43.14, -20.23 -43.30,
-19.55 -43.56, -20.27 -54.37, -15.35 -56.05, -16.40 -49.16, -15.47 -47.55, -12.59 -38.31,
-8.03 -34.54, -5.47 -35.13, -3.43 -38.30, -5.05 -42.49, -2.31 -44.16, -1.27 -48.29,
-3.08 -60.01, -8.46 -63.54
"""
GR202 = """
37.44 -25.40, 38.43 -9.08, 41.11 -8.36, 37.23 -5.59, 36.32 -6.18, 36.43 -4.25, 37.13 -3.41,
37.53 -4.46, 38.21 -0.29, 39.28 -0.22, 41.23 2.11, 41.38 -0.53, 40.24 -3.41, 41.39 -4.43,
43.15 -2.58, 43.22 -8.23, 38.54 1.26, 39.34 2.39, 42.30 1.31, 44.50 -0.34, 43.36 1.26,
43.18 5.24, 43.42 7.15, 43.42 7.23, 42.42 9.27, 45.50 1.16, 45.26 4.24, 45.45 4.51, 45.10 5.43,
48.24 -4.29, 48.05 -1.41, 47.13 -1.33, 47.23 0.41, 49.30 0.08, 48.52 2.20, 49.15 4.02,
47.19 5.01, 48.41 6.12, 48.35 7.45, 49.36 6.09, 50.38 5.34, 50.50 4.20, 50.38 3.04, 51.03 3.43,
51.13 4.25, 51.26 5.28, 51.55 4.28, 52.22 4.54, 52.05 5.08, 53.13 6.33, 50.23 -4.10,
50.43 -1.54, 50.50 -0.08, 51.29 -3.13, 51.27 -2.35, 51.30 -0.10, 52.30 -1.50, 53.25 -2.55,
53.30 -2.15, 53.23 -1.30, 53.50 -1.35, 54.59 -1.35, 55.57 -3.13, 55.53 -4.15, 56.28 -3.00,
57.10 -2.04, 60.09 -1.09, 62.01 -6.46, 51.54 -8.28, 52.40 -8.38, 53.20 -6.15, 54.35 -5.55,
55.00 -7.19, 64.09 -21.51, 64.11 -51.44, 76.34 -68.47, 70.40 23.42, 68.26 17.25, 65.01 25.28,
61.30 23.45, 60.27 22.17, 60.10 24.58, 63.25 10.25, 60.23 5.20, 58.58 5.45, 59.55 10.45,
57.43 11.58, 55.36 13.00, 58.25 15.37, 59.20 18.03, 57.38 18.18, 56.09 10.13, 55.24 10.23,
55.40 12.35, 53.04 8.49, 53.33 9.59, 54.20 10.08, 54.05 12.07, 51.57 7.37, 52.24 9.44,
52.07 11.38, 52.31 13.24, 50.47 6.05, 50.44 7.05, 50.56 6.59, 51.12 6.47, 51.17 7.17,
51.28 7.01, 51.28 7.13, 51.32 7.13, 51.31 7.28, 51.19 9.29, 50.58 11.01, 51.29 11.58,
51.19 12.20, 50.50 12.55, 51.03 13.44, 49.14 6.59, 50.07 8.40, 49.25 8.43, 49.48 9.56,
49.27 11.04, 49.03 8.24, 48.46 9.11, 49.01 12.06, 48.08 11.34, 46.12 6.09, 46.31 6.38,
46.57 7.26, 47.33 7.35, 47.23 8.32, 47.16 11.24, 47.48 13.02, 48.18 14.18, 48.13 16.20,
47.05 15.27, 45.03 7.40, 45.28 9.12, 45.27 11.00, 45.27 12.21, 45.40 13.46, 44.25 8.57,
44.29 11.20, 43.46 11.15, 43.55 12.28, 39.20 9.00, 41.54 12.29, 40.51 14.17, 41.27 15.34,
41.07 16.52, 40.28 17.15, 38.11 15.33, 37.30 15.06, 38.07 13.21, 35.54 14.31, 53.24 14.32,
54.23 18.40, 53.08 18.00, 52.25 16.55, 51.46 19.30, 52.15 21.00, 53.09 23.09, 51.06 17.00,
50.16 19.00, 50.03 19.58, 51.15 22.35, 49.45 13.23, 50.05 14.26, 49.50 18.17, 49.12 16.37,
48.09 17.07, 48.43 21.15, 47.30 19.05, 47.32 21.38, 46.05 18.13, 46.15 20.09, 45.45 21.13,
46.47 23.36, 47.10 27.35, 45.48 24.09, 45.39 25.37, 44.26 26.06, 44.11 28.39, 46.03 14.31,
45.20 14.27, 45.48 15.58, 43.31 16.27, 43.52 18.25, 44.50 20.30, 42.38 18.07, 41.59 21.26,
41.20 19.50, 42.41 23.19, 42.09 24.45, 43.13 27.55, 42.30 27.28, 39.36 19.56, 40.38 22.56,
38.15 21.44, 37.58 23.43, 35.20 25.09, 35.10 33.22
"""
TSPLIB_OPTIMA = {"burma14": 3323, "ulysses16": 6859, "gr96": 55209, "gr137": 69853, "gr202": 40160}


# ---------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------


def test_funnel_postaffiliatepro_step_rates():
    # https://www.postaffiliatepro.fr/affiliate-tools/conversion-rate-calculator : 10 000 visitors,
    # 4 000 product views, 1 000 add-to-carts, 600 checkouts, 300 purchases -> "40 % consultent les
    # produits, 25 % ajoutent au panier, 60 % procèdent au paiement et 50 % complètent l'achat".
    table = funnel([10000, 4000, 1000, 600, 300])
    assert table.shape == (5, 4)
    np.testing.assert_allclose(table[:, 0], [10000, 4000, 1000, 600, 300])
    np.testing.assert_allclose(table[:, 1], [1, 0.40, 0.25, 0.60, 0.50])
    # overall = count / 10 000; drop-off = 1 - step rate (share of the previous stage lost)
    np.testing.assert_allclose(table[:, 2], [1, 0.4, 0.1, 0.06, 0.03])
    np.testing.assert_allclose(table[:, 3], [0, 0.60, 0.75, 0.40, 0.50])


def test_funnel_adlunam_saas_example():
    # https://adlunam-agency.com/funnel-conversion-definition : 10 000 visitors, 2 000 on the pricing
    # page (20 %), 500 free trials (25 %), 100 paying customers (20 %).
    table = funnel([10000, 2000, 500, 100])
    np.testing.assert_allclose(table[1:, 1], [0.20, 0.25, 0.20])
    assert table[-1, 2] == pytest.approx(100 / 10000)


def test_funnel_market_academy_percentages_and_loss():
    # https://agence.market-academy.com/post/le-tunnel-de-conversion-tuto-e-commerce : 100 % of the
    # visitors on the home page, 75 % on the product page "soit une perte de 25 %", half left at the
    # order step, 25 % buy.
    table = funnel([100, 75, 50, 25])
    np.testing.assert_allclose(table[:, 2], [1, 0.75, 0.50, 0.25])
    assert table[1, 3] == pytest.approx(0.25)


def test_funnel_sevengold_leads_to_sales():
    # https://www.sevengoldagency.com/blog/calcul-optimisation-taux-conversion : "100 leads commerciaux
    # qualifiés, 15 ventes -> taux de conversion leads -> clients = 15 %".
    table = funnel([100, 15])
    assert table[1, 1] == pytest.approx(0.15)
    assert table[1, 3] == pytest.approx(0.85)


def test_funnel_single_stage_and_header():
    np.testing.assert_allclose(funnel([42]), [[42, 1, 1, 0]])
    assert FUNNEL_HEADER == ("Effectif", "Conversion étape", "Conversion globale", "Déperdition")


def test_funnel_accepts_rows_columns_and_equal_stages():
    table = funnel(np.array([[50], [50], [20]]))
    np.testing.assert_allclose(table[:, 1], [1, 1, 0.4])
    np.testing.assert_allclose(table[:, 3], [0, 0, 0.6])


def test_funnel_empty_stage_leaves_later_step_rates_undefined():
    table = funnel([200, 10, 0, 0])
    np.testing.assert_allclose(table[:3, 1], [1, 0.05, 0])
    assert np.isnan(table[3, 1]) and np.isnan(table[3, 3])
    np.testing.assert_allclose(table[:, 2], [1, 0.05, 0, 0])


@pytest.mark.parametrize(
    "counts, error, fragment",
    [
        ([100, -5], DomainError, "négatif"),
        ([100, 40, 60], DomainError, "étape 3"),
        ([0, 0], DivisionByZeroError, "première"),
        ([], NotAvailableError, None),
        (["abc", 3], BadValueError, None),
        ([100, float("nan")], BadValueError, None),
    ],
)
def test_funnel_errors(counts, error, fragment):
    with pytest.raises(error, match=fragment) as info:
        funnel(counts)
    assert info.value.argument == "stage_counts"


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.floats(1, 1e6))
def test_funnel_identities(ratios, top):
    counts = top * np.cumprod([1.0, *ratios])
    table = funnel(counts)
    np.testing.assert_allclose(table[:, 0], counts)
    defined = ~np.isnan(table[:, 1])
    # the overall rate is the product of the step rates; drop-off is the relative loss
    np.testing.assert_allclose(table[:, 2], counts / counts[0], rtol=1e-12)
    prev = np.concatenate([[counts[0]], counts[:-1]])
    with np.errstate(all="ignore"):
        lost = (prev - counts) / prev
    np.testing.assert_allclose(table[defined, 3], lost[defined], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.cumprod(np.where(defined, table[:, 1], 0.0)), table[:, 2], rtol=1e-9, atol=1e-300)


# ---------------------------------------------------------------------------------------------
# Distances
# ---------------------------------------------------------------------------------------------


def test_distance_rosetta_code_bna_lax():
    # https://rosettacode.org/wiki/Haversine_formula : BNA (36.12, -86.67) to LAX (33.94, -118.40),
    # "6371.0 km -> 2886.44444283798329974715782394574671655 km".
    assert distance_km(36.12, -86.67, 33.94, -118.40) == pytest.approx(2886.444442837983, abs=1e-9)


def test_distance_london_arlington():
    # https://stackoverflow.com/questions/365826 (French translation:
    # https://web-dev-qa-db-fra.com/fr/math/calculer-la-distance-entre-2-coordonneacutees-gps/958051434):
    # distanceInKmBetweenEarthCoordinates(51.5, 0, 38.8, -77.1) with R = 6371 -> 5918.185064088764.
    assert distance_km(51.5, 0, 38.8, -77.1) == pytest.approx(5918.185064088764, abs=1e-8)


@pytest.mark.parametrize(
    "city, lat, lon, approx_km",
    [
        # coordinates of https://snt.hexalys.net/localisation.html (Paris 48.8567, 2.3508;
        # Lyon 45.7597, 4.8422); Marseille Vieux-Port 43.2965, 5.3698
        ("Lyon", 45.7597, 4.8422, 392),
        ("Marseille", 43.2965, 5.3698, 661),
    ],
)
def test_distance_paris_to_french_cities(city, lat, lon, approx_km):
    got = distance_km(48.8567, 2.3508, lat, lon)
    assert got == pytest.approx(law_of_cosines_km(48.8567, 2.3508, lat, lon), rel=1e-9)
    assert got == pytest.approx(approx_km, abs=1.5)


def test_distance_antipodes_poles_and_quarter():
    half = math.pi * R
    assert distance_km(0, 0, 0, 180) == pytest.approx(half, rel=1e-12)
    assert distance_km(45, 10, -45, -170) == pytest.approx(half, rel=1e-12)
    assert distance_km(90, 0, -90, 0) == pytest.approx(half, rel=1e-12)
    assert distance_km(0, 0, 90, 123) == pytest.approx(half / 2, rel=1e-12)
    assert distance_km(48.8567, 2.3508, 48.8567, 2.3508) == 0.0
    # one degree of a great circle
    assert distance_km(10, 20, 11, 20) == pytest.approx(2 * math.pi * R / 360, rel=1e-12)


def test_distance_longitude_conventions_agree():
    assert distance_km(40, 190, 40, 10) == pytest.approx(distance_km(40, -170, 40, 10), rel=1e-12)
    assert distance_km(40, 350, 40, 10) == pytest.approx(distance_km(40, -10, 40, 10), rel=1e-12)


def test_distance_broadcasts():
    lat2 = np.array([[45.7597], [43.2965]])
    lon2 = np.array([[4.8422], [5.3698]])
    got = distance_km(48.8567, 2.3508, lat2, lon2)
    assert isinstance(got, np.ndarray) and got.shape == (2, 1)
    expected = [law_of_cosines_km(48.8567, 2.3508, a, b) for a, b in zip(lat2.ravel(), lon2.ravel())]
    np.testing.assert_allclose(got.ravel(), expected, rtol=1e-9)
    assert isinstance(distance_km(1, 2, 3, 4), float)


def test_distance_latitude_out_of_range():
    with pytest.raises(DomainError) as info:
        distance_km(91, 0, 0, 0)
    assert info.value.argument == "lat1"
    with pytest.raises(DomainError) as info:
        distance_km(0, 0, -90.5, 0)
    assert info.value.argument == "lat2"
    got = distance_km(np.array([45.0, 95.0, -45.0]), 0, 0, 0)
    assert np.isnan(got[1]) and np.isfinite(got[[0, 2]]).all()
    with pytest.raises(BadValueError):
        distance_km("nord", 0, 0, 0)


@given(
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(-90, 90),
    st.floats(-180, 180),
)
def test_distance_metric_properties(a1, o1, a2, o2, a3, o3):
    d12, d21 = distance_km(a1, o1, a2, o2), distance_km(a2, o2, a1, o1)
    assert d12 == pytest.approx(d21, abs=1e-9)
    assert 0 <= d12 <= math.pi * R + 1e-9
    assert d12 <= distance_km(a1, o1, a3, o3) + distance_km(a3, o3, a2, o2) + 1e-6
    # the law of cosines loses precision for nearby points: compare where it is well conditioned
    if d12 > 10:
        assert d12 == pytest.approx(law_of_cosines_km(a1, o1, a2, o2), rel=1e-6)


def test_distance_matrix_matches_pairwise():
    lat, lon = [48.8567, 45.7597, 43.2965], [2.3508, 4.8422, 5.3698]
    np.testing.assert_allclose(distance_matrix_km(lat, lon), law_of_cosines_matrix(lat, lon), atol=1e-7)


# ---------------------------------------------------------------------------------------------
# Tours: exact solver against brute force
# ---------------------------------------------------------------------------------------------


def random_points(rng, n):
    return rng.uniform(43, 49, n), rng.uniform(-1, 6, n)


@pytest.mark.parametrize("n", [4, 5, 6, 7, 8, 9])
@pytest.mark.parametrize("closed", [True, False])
def test_tour_is_optimal_against_brute_force(n, closed):
    rng = np.random.default_rng(1000 * n + closed)
    for _ in range(3):
        lat, lon = random_points(rng, n)
        start = int(rng.integers(1, n + 1))
        d = law_of_cosines_matrix(lat, lon)
        result = tour(lat, lon, start_index=start, return_to_start=closed)
        assert sorted(result.order.tolist()) == list(range(1, n + 1))
        assert result.order[0] == start
        assert result.length == pytest.approx(brute_force(d, start - 1, closed), rel=1e-9)
        assert result.length == pytest.approx(route_length(d, result.order, closed), rel=1e-9)


@pytest.mark.parametrize("closed", [True, False])
def test_tour_ten_points_is_optimal(closed):
    rng = np.random.default_rng(10 + closed)
    lat, lon = random_points(rng, 10)
    d = law_of_cosines_matrix(lat, lon)
    result = tour(lat, lon, start_index=4, return_to_start=closed)
    assert result.order[0] == 4
    assert result.length == pytest.approx(brute_force(d, 3, closed), rel=1e-9)


@pytest.mark.parametrize("closed", [True, False])
def test_heuristic_finds_small_optima(closed):
    # the local search alone, on sizes where brute force is possible
    rng = np.random.default_rng(99 + closed)
    for n in (8, 9):
        lat, lon = random_points(rng, n)
        d = law_of_cosines_matrix(lat, lon)
        result = tour(lat, lon, start_index=2, return_to_start=closed, method="heuristic")
        assert result.order[0] == 2
        assert result.length == pytest.approx(brute_force(d, 1, closed), rel=1e-9)


@pytest.mark.parametrize("name, text", [("burma14", BURMA14), ("ulysses16", ULYSSES16)])
def test_exact_solver_reaches_tsplib_optimum(name, text):
    d = tsplib_geo_matrix(parse_pairs(text))
    assert tour_matrix(d, method="exact").length == TSPLIB_OPTIMA[name]
    assert tour_matrix(d).length == TSPLIB_OPTIMA[name]  # 14 and 16 points: local search


# ---------------------------------------------------------------------------------------------
# Tours: larger instances with known optima or bounds
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, text", [("gr96", GR96), ("gr137", GR137), ("gr202", GR202)])
def test_tsplib_geographic_instances_within_a_few_percent(name, text):
    d = tsplib_geo_matrix(parse_pairs(text))
    result = tour_matrix(d)
    optimum = TSPLIB_OPTIMA[name]
    assert sorted(result.order.tolist()) == list(range(1, len(d) + 1))
    assert result.length == pytest.approx(route_length(d, result.order, True))
    assert optimum <= result.length <= 1.03 * optimum


@pytest.mark.parametrize("n", [50, 120, 200])
def test_regular_polygon_tour_is_its_perimeter(n):
    # Points evenly spaced on a 30 km circle around Lyon, shuffled. Every pair is at least one side
    # apart, so n sides (round trip) and n - 1 sides (open route) are optimal - and reached.
    lat, lon = small_circle(45.7597, 4.8422, 30.0, n, rotation=0.3)
    shuffle = np.random.default_rng(n).permutation(n)
    lat, lon = lat[shuffle], lon[shuffle]
    side = polygon_side_km(30.0, n)
    closed = tour(lat, lon, start_index=7)
    assert closed.order[0] == 7
    assert closed.length == pytest.approx(n * side, rel=1e-9)
    steps = np.diff(shuffle[closed.order - 1]) % n  # consecutive visits are neighbours on the circle
    assert set(steps.tolist()) <= {1, n - 1}
    open_route = tour(lat, lon, start_index=7, return_to_start=False)
    assert open_route.length == pytest.approx((n - 1) * side, rel=1e-9)


@pytest.mark.parametrize("rows, cols", [(10, 10), (12, 15), (7, 9)])
def test_grid_tour_lengths(rows, cols):
    # Unit grid: every leg is >= 1, so rows x cols legs are optimal when the count is even (a
    # serpentine exists); for an odd count a closed tour cannot alternate the two colours of the
    # chequerboard, so one leg is >= sqrt(2) and (n - 1) + sqrt(2) is optimal (and reachable).
    y, x = np.divmod(np.arange(rows * cols), cols)
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    n = rows * cols
    best = n if n % 2 == 0 else n - 1 + math.sqrt(2)
    assert tour_matrix(d).length == pytest.approx(best, rel=1e-9)
    # open route from a corner: a serpentine of n - 1 unit legs
    assert tour_matrix(d, return_to_start=False).length == pytest.approx(n - 1, rel=1e-9)


# Speed (200 points in well under a second) is measured in bench/run.py, not here.


def test_random_200_points_close_to_held_karp_bound():
    rng = np.random.default_rng(2024)
    lat, lon = random_points(rng, 200)
    d = law_of_cosines_matrix(lat, lon)
    result = tour(lat, lon)
    assert result.length == pytest.approx(route_length(d, result.order, True), rel=1e-9)
    bound = held_karp_lower_bound(d, upper=nearest_neighbour_length(d))
    assert bound <= result.length
    assert result.length <= 1.03 * bound  # within 3 % of a lower bound, so of the optimum


def test_open_route_200_points_shorter_than_round_trip():
    rng = np.random.default_rng(7)
    lat, lon = random_points(rng, 200)
    d = law_of_cosines_matrix(lat, lon)
    result = tour(lat, lon, start_index=17, return_to_start=False)
    assert result.order[0] == 17
    assert result.length == pytest.approx(route_length(d, result.order, False), rel=1e-9)
    # dropping the last leg of a round trip gives an open route: open routes are shorter
    assert result.length < tour(lat, lon, start_index=17).length


def test_tour_is_deterministic():
    rng = np.random.default_rng(5)
    lat, lon = random_points(rng, 60)
    a, b = tour(lat, lon, 3, False), tour(lat, lon, 3, False)
    assert a.order.tolist() == b.order.tolist() and a.length == b.length


# ---------------------------------------------------------------------------------------------
# Tours: properties and edge cases
# ---------------------------------------------------------------------------------------------

coordinates = st.integers(1, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(42, 51), min_size=n, max_size=n),
        st.lists(st.floats(-5, 8), min_size=n, max_size=n),
        st.integers(1, n),
        st.booleans(),
    )
)


@settings(max_examples=30, deadline=None)
@given(coordinates)
def test_tour_properties(case):
    lat, lon, start, closed = case
    n = len(lat)
    result = tour(lat, lon, start_index=start, return_to_start=closed)
    assert sorted(result.order.tolist()) == list(range(1, n + 1))
    assert result.order[0] == start
    idx = result.order - 1
    legs = [law_of_cosines_km(lat[a], lon[a], lat[b], lon[b]) for a, b in zip(idx[:-1], idx[1:])]
    if closed and n > 1:
        legs.append(law_of_cosines_km(lat[idx[-1]], lon[idx[-1]], lat[idx[0]], lon[idx[0]]))
    assert result.length == pytest.approx(sum(legs), rel=1e-6, abs=1e-6)


def test_tour_tiny_cases():
    one = tour([45.0], [4.8])
    assert one.order.tolist() == [1] and one.length == 0.0
    d = law_of_cosines_km(45.0, 4.8, 46.0, 4.8)
    two = tour([45.0, 46.0], [4.8, 4.8], start_index=2)
    assert two.order.tolist() == [2, 1] and two.length == pytest.approx(2 * d, rel=1e-9)
    assert tour([45.0, 46.0], [4.8, 4.8], return_to_start=False).length == pytest.approx(d, rel=1e-9)
    # three points on a meridian, open route from the middle: nearest end first
    three = tour([45.0, 46.0, 48.0], [4.8, 4.8, 4.8], start_index=2, return_to_start=False)
    assert three.order.tolist() == [2, 1, 3]
    assert three.length == pytest.approx(4 * 2 * math.pi * R / 360, rel=1e-9)


def test_tour_duplicate_points():
    result = tour([45, 45, 46, 45], [5, 5, 5, 5])
    assert result.length == pytest.approx(2 * 2 * math.pi * R / 360, rel=1e-9)


def test_tour_errors():
    with pytest.raises(NotAvailableError):
        tour([45, 46], [4])
    with pytest.raises(NotAvailableError):
        tour([], [])
    with pytest.raises(DomainError) as info:
        tour([45, 95], [4, 5])
    assert info.value.argument == "latitudes"
    for bad in (0, 3, 1.5, -1):
        with pytest.raises(DomainError) as info:
            tour([45, 46], [4, 5], start_index=bad)
        assert info.value.argument == "start_index"
    with pytest.raises(BadValueError):
        tour([45, 46], [4, "est"])
    with pytest.raises(BadValueError):
        tour([45, 46], [4, 5], method="genetic")
    with pytest.raises(DomainError):
        tour(np.zeros(17), np.arange(17.0), method="exact")


def test_tour_matrix_errors():
    with pytest.raises(NotAvailableError):
        tour_matrix([[0, 1, 2], [1, 0, 3]])
    with pytest.raises(DomainError, match="symétrique"):
        tour_matrix([[0, 1], [2, 0]])
    with pytest.raises(DomainError):
        tour_matrix([[0, -1], [-1, 0]])
    with pytest.raises(BadValueError):
        tour_matrix([[0, np.nan], [np.nan, 0]])


def test_exact_limit_constant():
    assert journey.EXACT_MAX_POINTS >= 10
