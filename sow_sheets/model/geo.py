"""Where people and activities are: PC4 centroids (GeoNames, CC BY 4.0) and distances."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
