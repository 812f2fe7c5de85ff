"""Where people and activities are: PC4 centroids (GeoNames, CC BY 4.0) and distances."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[Any]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    """A WGS84 position in degrees."""

    lat: float
    lon: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distances_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """``distance_km`` for arrays of degrees (broadcasting), for the engines' bulk pairs.

    Unknown positions are NaN and give NaN distances.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))))


@cache
def pc4_centroids() -> dict[int, Point]:
    """All Dutch 4-digit postcode centroids, read once from the vendored GeoNames table."""
    text = resources.files("sow_sheets.data").joinpath("nl_pc4_geonames.csv").read_text("utf-8")
    table: dict[int, Point] = {}
    for row in csv.DictReader(io.StringIO(text)):
        table[int(row["pc4"])] = Point(float(row["latitude"]), float(row["longitude"]))
    return table


def locate_pc4(pc4: int) -> Point | None:
    """The centroid of a 4-digit postcode, or None when it is not a known Dutch PC4."""
    return pc4_centroids().get(pc4)
