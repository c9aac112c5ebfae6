"""Soft preferences: what is known about a person re-ranks their results but never filters.

Somebody who needs step-free access, likes singing and is free on Tuesdays should see those
sessions first, but still see a good match that misses one of them: only what they *say* in
a request is a hard constraint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalogue.facets import Facets, Float64Array
from catalogue.index import TermIndex
from catalogue.timetable import Timetable, slot_bits
from catalogue.tokens import index_words

# The fit given to everyone when nothing is known, so scores stay comparable.
NEUTRAL_FIT = 0.5


@dataclass(frozen=True, slots=True)
class Preferences:
    """What is known about a person that should re-rank, but never filter, their results.

    ``home`` is (latitude, longitude), used for distance when a request names no place;
    ``interests`` are topic words ("singing"); ``access_needs`` are venue tags ("step_free");
    ``days`` are weekdays, Monday=0; ``disliked`` are activity source ids turned down before.
    """

    home: tuple[float, float] | None = None
    interests: tuple[str, ...] = ()
    access_needs: frozenset[str] = frozenset()
    days: frozenset[int] = frozenset()
    disliked: frozenset[str] = frozenset()


def preference_fit(
    preferences: Preferences | None, terms: TermIndex, facets: Facets, timetable: Timetable
) -> Float64Array:
    """Scores how well each document suits a person's interests, access needs and days.

    Returns:
        One value in [0, 1] per document: the mean of the fits that are known, or
        ``NEUTRAL_FIT`` for everyone when nothing is.
    """
    parts: list[Float64Array] = []
    if preferences and preferences.interests:
        words = [w for interest in preferences.interests for w in index_words(interest)]
        best = np.zeros(facets.size, dtype=np.float64)
        for word in words:
            best = np.maximum(best, terms.word_scores(word))
        parts.append(best)
    if preferences and preferences.access_needs:
        parts.append(facets.access_fit(preferences.access_needs))
    if preferences and preferences.days:
        bits = slot_bits(preferences.days, None, None)
        parts.append(((timetable.slots & bits) != 0).astype(np.float64))
    if not parts:
        return np.full(facets.size, NEUTRAL_FIT, dtype=np.float64)
    mean: Float64Array = np.mean(parts, axis=0)
    return mean
