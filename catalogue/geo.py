"""Places and distances: the great-circle distance and a gazetteer of towns and postcodes.

The gazetteer is built from the catalogue's own venues (each venue's town, full postcode and
postcode district), so it knows every place a session can be in without any external data.
Optional centroid rows from a CSV (for example an extract of the ONS Postcode Directory) add
districts that have no venue yet, so "LA2" still resolves to somewhere sensible.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from catalogue.model import Catalogue

EARTH_RADIUS_KM = 6371.0088
# A place named in a query is satisfied by venues within this distance of its centre, widened
# to cover every venue the catalogue files under that place.
MIN_PLACE_RADIUS_KM = 5.0
# Town names typed with a slip ("morcambe") still resolve when this similar (0–100).
TOWN_MATCH_CUTOFF = 85.0

POSTCODE_RE = re.compile(r"^(([A-Z]{1,2})[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")
DISTRICT_RE = re.compile(r"^([A-Z]{1,2})[0-9][0-9A-Z]?$")
# The UK's postcode areas, so that "U3A" or "MP3" is never mistaken for a district.
POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA
    LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE
    SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV
    YO ZE""".split()  # noqa: SIM905
)

# Header names accepted by load_postcode_centroids, lower-cased with spaces as underscores.
DISTRICT_HEADERS = ("postcode_district", "district", "outcode", "pcd_district", "postcode", "pcds")
LATITUDE_HEADERS = ("latitude", "lat")
LONGITUDE_HEADERS = ("longitude", "long", "lon", "lng")


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Returns the great-circle distance in kilometres between two (latitude, longitude) points."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def normalise_postcode(text: str) -> str | None:
    """Returns a full UK postcode as "LA4 5AB", or None if the text is not one."""
    match = POSTCODE_RE.match(text.strip().upper())
    if match is None or match.group(2) not in POSTCODE_AREAS:
        return None
    return f"{match.group(1)} {match.group(3)}"


def is_district(text: str) -> bool:
    """Whether text is a postcode district ("LA4", "ec1a") in a real UK postcode area."""
    match = DISTRICT_RE.match(text.strip().upper())
    return match is not None and match.group(1) in POSTCODE_AREAS


def postcode_district(postcode: str) -> str | None:
    """Returns the outward code ("LA4") of a full postcode, or None if it is not one."""
    full = normalise_postcode(postcode)
    return full.split(" ")[0] if full else None


@dataclass(frozen=True, slots=True)
class Place:
    """A named point people can ask to be near: a town, a postcode district or a full postcode."""

    name: str
    kind: str  # "town", "district" or "postcode"
    latitude: float
    longitude: float
    radius_km: float = MIN_PLACE_RADIUS_KM

    @property
    def point(self) -> tuple[float, float]:
        """The place's centre as (latitude, longitude)."""
        return (self.latitude, self.longitude)


def _town_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _place(name: str, kind: str, points: list[tuple[float, float]]) -> Place:
    lat, lon = _centre(points)
    spread = max(haversine_km((lat, lon), p) for p in points)
    return Place(name, kind, lat, lon, max(MIN_PLACE_RADIUS_KM, spread + 1.0))


class Gazetteer:
    """Looks up towns, postcode districts and full postcodes by what a person typed."""

    def __init__(self, places: Iterable[Place] = ()) -> None:
        self._towns: dict[str, Place] = {}
        self._districts: dict[str, Place] = {}
        self._postcodes: dict[str, Place] = {}
        for place in places:
            self.add(place)

    def add(self, place: Place) -> None:
        """Adds or replaces a place, filed by its kind."""
        if place.kind == "town":
            self._towns[_town_key(place.name)] = place
        elif place.kind == "district":
            self._districts[place.name.upper()] = place
        else:
            self._postcodes[place.name.upper()] = place

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue, centroids: Iterable[Place] = ()) -> Gazetteer:
        """Builds a gazetteer from the venues that have coordinates, plus optional centroids.

        Centroid rows fill in districts the catalogue has no venue in; where both exist, the
        catalogue's own venues win because they are where the sessions actually are.
        """
        towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
        town_names: dict[str, str] = {}
        districts: dict[str, list[tuple[float, float]]] = defaultdict(list)
        postcodes: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for venue in catalogue.venues.values():
            if venue.latitude is None or venue.longitude is None:
                continue
            point = (venue.latitude, venue.longitude)
            if venue.town.strip():
                key = _town_key(venue.town)
                towns[key].append(point)
                town_names.setdefault(key, venue.town.strip())
            full = normalise_postcode(venue.postcode)
            if full:
                postcodes[full].append(point)
                districts[full.split(" ")[0]].append(point)
        gazetteer = cls(centroids)
        for key, points in towns.items():
            gazetteer.add(_place(town_names[key], "town", points))
        for name, points in districts.items():
            gazetteer.add(_place(name, "district", points))
        for name, points in postcodes.items():
            gazetteer.add(_place(name, "postcode", points))
        return gazetteer

    @property
    def town_names(self) -> list[str]:
        """Every town the gazetteer knows, as written in the catalogue."""
        return [place.name for place in self._towns.values()]

    def lookup(self, text: str, *, fuzzy: bool = True) -> Place | None:
        """Finds the place a person meant, tolerant of case, spaces and small slips in town names.

        A full postcode the gazetteer has never seen falls back to its district.

        Args:
            text: what the person typed: "Morecambe", "la4", "LA4 5AB", "morcambe".
            fuzzy: whether to accept a near miss for a town name.

        Returns:
            The place, or None if nothing matches well enough.
        """
        cleaned = " ".join(text.split())
        if not cleaned:
            return None
        full = normalise_postcode(cleaned)
        if full:
            return self._postcodes.get(full) or self._districts.get(full.split(" ")[0])
        upper = cleaned.upper().replace(" ", "")
        if is_district(upper):
            return self._districts.get(upper)
        key = _town_key(cleaned)
        if key in self._towns:
            return self._towns[key]
        if not fuzzy or len(key) < 5 or not self._towns:
            return None
        best = process.extractOne(
            key, list(self._towns), scorer=fuzz.ratio, score_cutoff=TOWN_MATCH_CUTOFF
        )
        return self._towns[best[0]] if best else None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [h.strip().lstrip("\ufeff").lower().replace(" ", "_") for h in header]
    for name in names:
        if name in cleaned:
            return cleaned.index(name)
    return None


def load_postcode_centroids(path: Path) -> list[Place]:
    """Reads postcode district centroids from a CSV file.

    Accepted headers (case-insensitive, spaces or underscores): a district column named
    ``postcode_district``, ``district``, ``outcode``, ``pcd_district``, ``postcode`` or
    ``pcds`` (full postcodes are reduced to their district and averaged), a latitude column
    ``latitude``/``lat`` and a longitude column ``longitude``/``long``/``lon``/``lng``.
    Rows with a blank or unreadable value are skipped.

    Raises:
        ValueError: if the header lacks one of the three columns.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows, [])
        d_col = _column(header, DISTRICT_HEADERS)
        lat_col = _column(header, LATITUDE_HEADERS)
        lon_col = _column(header, LONGITUDE_HEADERS)
        if d_col is None or lat_col is None or lon_col is None:
            raise ValueError(f"{path}: needs postcode_district, latitude and longitude columns")
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for row in rows:
            try:
                raw = row[d_col].strip().upper()
                lat, lon = float(row[lat_col]), float(row[lon_col])
            except (IndexError, ValueError):
                continue
            district = postcode_district(raw) or raw.replace(" ", "")
            if is_district(district) and -90 <= lat <= 90 and -180 <= lon <= 180:
                points[district].append((lat, lon))
    return [_place(name, "district", pts) for name, pts in sorted(points.items())]
