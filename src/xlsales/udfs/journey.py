"""Excel functions — 9. Parcours client et tournées."""

from __future__ import annotations

import numpy as np

from ..core import journey as core
from ._convert import boolean, number, optional_number, series
from ._excel import elementwise, excel_function

_LAT = "Latitude en degrés décimaux, de -90 à 90 (nombre ou plage) — latitude in decimal degrees"
_LON = "Longitude en degrés décimaux, est positif (nombre ou plage) — longitude in decimal degrees"


@excel_function(
    "Entonnoir de conversion : effectif, conversion étape, conversion globale, déperdition par étape "
    "(tableau avec en-tête). — Conversion funnel table.",
    stage_counts="Effectifs de chaque étape, du haut vers le bas de l'entonnoir (ex. visites, RDV, devis, "
    "commandes) — counts per stage, top to bottom",
)
def FUNNEL(stage_counts):
    table = core.funnel(series(stage_counts, "stage_counts"))
    body = [[value if np.isfinite(value) else "#DIV/0!" for value in row] for row in table.tolist()]
    return [list(core.FUNNEL_HEADER), *body]


@excel_function(
    "Distance à vol d'oiseau en km entre deux points (formule de haversine, R = 6 371 km). — "
    "Great-circle distance in km.",
    lat1="Latitude du point de départ — latitude of the first point",
    lon1="Longitude du point de départ — longitude of the first point",
    lat2="Latitude du point d'arrivée — latitude of the second point",
    lon2="Longitude du point d'arrivée — longitude of the second point",
)
def DISTANCE_KM(lat1, lon1, lat2, lon2):
    return elementwise(
        core.distance_km,
        lat1=number(lat1, "lat1"),
        lon1=number(lon1, "lon1"),
        lat2=number(lat2, "lat2"),
        lon2=number(lon2, "lon2"),
    )


@excel_function(
    "Tournée la plus courte : ordre de visite des points (numéros de ligne), puis le total en km sur la "
    "dernière ligne. — Shortest visiting order, then total km.",
    latitudes=_LAT.replace("(nombre ou plage)", "(plage)"),
    longitudes=_LON.replace("(nombre ou plage)", "(plage)"),
    start_index="Numéro (1 = premier) du point de départ, 1 par défaut — 1-based index of the start, default 1",
    return_to_start="VRAI (par défaut) : retour au point de départ ; FAUX : parcours ouvert — "
    "TRUE (default) for a round trip, FALSE for an open route",
)
def TOUR(latitudes, longitudes, start_index=None, return_to_start=None):
    result = core.tour(
        series(latitudes, "latitudes"),
        series(longitudes, "longitudes"),
        optional_number(start_index, "start_index", 1),
        boolean(return_to_start, "return_to_start", True),
    )
    return [[int(k)] for k in result.order] + [[result.length]]
