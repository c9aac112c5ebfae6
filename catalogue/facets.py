"""Per-activity facts that hard filters and soft preferences test, as flat numpy arrays.

Access tags, audience tags, cost and coordinates are known at build time and never change for
an index, so each becomes one array (tags as bit masks) and a filter over 100,000 activities is
a handful of vectorised operations instead of a Python loop.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

from catalogue.geo import EARTH_RADIUS_KM
from catalogue.model import Activity, Venue
from catalogue.vocabulary import ACCESS_IMPLIES

Float64Array = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _bits(tags: Collection[str], table: dict[str, int]) -> int:
    """Assigns each new tag the next bit and returns the mask for ``tags``."""
    return sum(1 << table.setdefault(tag, len(table)) for tag in set(tags))


def _need(tags: Collection[str], table: dict[str, int]) -> int | None:
    """Returns the mask for tags, or None if some tag occurs nowhere (so nothing can match)."""
    if any(tag not in table for tag in tags):
        return None
    return sum(1 << table[tag] for tag in set(tags))


class Facets:
    """Access, audience, cost and location of documents 0…n-1."""

    def __init__(self, activities: Sequence[Activity], venues: Sequence[Venue | None]) -> None:
        """Reads the facts of each activity and its venue (None when it has none)."""
        self.size = len(activities)
        self.access_bits: dict[str, int] = {}
        self.audience_bits: dict[str, int] = {}
        masks = []
        for venue in venues:
            tags = set(venue.accessibility) if venue else set()
            for tag in list(tags):
                tags |= ACCESS_IMPLIES.get(tag, frozenset())
            masks.append(_bits(tags, self.access_bits))
        self.access = np.asarray(masks, dtype=np.int64)
        self.audience = np.asarray(
            [_bits(a.audience, self.audience_bits) for a in activities], dtype=np.int64
        )
        self.free = np.asarray([a.is_free for a in activities], dtype=bool)
        nan = float("nan")
        self.lat = np.asarray(
            [v.latitude if v and v.latitude is not None else nan for v in venues], dtype=np.float64
        )
        self.lon = np.asarray(
            [v.longitude if v and v.longitude is not None else nan for v in venues],
            dtype=np.float64,
        )

    def distances(self, point: tuple[float, float]) -> Float64Array:
        """Great-circle kilometres from a point to every venue (NaN where unknown)."""
        la, lo = np.radians(self.lat), np.radians(self.lon)
        pla, plo = np.radians(point[0]), np.radians(point[1])
        h = np.sin((la - pla) / 2) ** 2 + np.cos(la) * np.cos(pla) * np.sin((lo - plo) / 2) ** 2
        result: Float64Array = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return result

    def mask(self, *, free: bool, access: Collection[str], audience: Collection[str]) -> BoolArray:
        """Which documents satisfy every stated cost, access and audience constraint."""
        keep = np.ones(self.size, dtype=bool)
        if free:
            keep &= self.free
        for tags, table, values in (
            (access, self.access_bits, self.access),
            (audience, self.audience_bits, self.audience),
        ):
            if not tags:
                continue
            need = _need(tags, table)
            if need is None:
                return np.zeros(self.size, dtype=bool)
            keep &= (values & need) == need
        return keep

    def access_fit(self, needs: Collection[str]) -> Float64Array:
        """The fraction of a person's access needs each venue meets (0–1)."""
        met = np.zeros(self.size, dtype=np.float64)
        for tag in needs:
            if tag in self.access_bits:
                met += (self.access >> self.access_bits[tag]) & 1
        result: Float64Array = met / max(1, len(needs))
        return result
