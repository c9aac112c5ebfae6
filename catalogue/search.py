"""Catalogue search: "singin near morecambe tuesday" to the right two or three sessions.

``SearchIndex.build`` precomputes posting lists, per-activity masks, coordinates and packed
occurrences; ``search`` parses the request, scores topic words through the posting lists, drops
whatever breaks a stated constraint and ranks the rest by relevance, distance, soonness and soft
preferences. The index lives in memory and is rebuilt whenever the catalogue changes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from catalogue.facets import BoolArray, Facets, Float64Array
from catalogue.geo import Gazetteer
from catalogue.index import FloatArray, TermIndex
from catalogue.model import DEFAULT_TIMEZONE, Activity, Catalogue, Occurrence, Status
from catalogue.preferences import Preferences as Preferences  # re-exported for callers
from catalogue.preferences import preference_fit
from catalogue.query import ParsedQuery, parse_query
from catalogue.reason import describe
from catalogue.timetable import Timetable
from catalogue.tokens import index_words

# A topic must match at least this well (0–1, the mean over the query's known words of the best
# field-weighted match) to be suggested at all: below it, results are noise, and [] is kinder.
MIN_RELEVANCE = 0.55
# A query word counts only if it matches some session at least this well; weaker echoes (a
# typo-distance match to a word in one description: "brain" ~ "rain") are ignored rather than
# allowed to drag every real match below MIN_RELEVANCE.
KNOWN_WORD_MIN = 0.5
# Words that only describe a session ("beginners", "taster") count this much against words
# that say what it is ("choir"), so "choir for beginners" finds choirs before guitar classes.
DETAIL_WEIGHT = 0.5
# "More like this" must share what the session is, not just who runs it: an organisation
# called "Sing for Joy" matching "singing" alone scores about 0.5, so the bar sits above that.
MIN_SIMILARITY = 0.6
# "near" a shared location means within this distance when no place was named.
NEAR_RADIUS_KM = 10.0
# Ranking weights; they sum to 1 so the score reads as 0–100.
W_RELEVANCE, W_PROXIMITY, W_PREFERENCE, W_SOON = 0.75, 0.10, 0.10, 0.05
DISLIKED_FACTOR = 0.5
PROXIMITY_HALF_KM, SOON_HALF_DAYS = 3.0, 7.0  # the distance and wait at which each counts half


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One suggestion, with a reason a person can read."""

    activity_id: str
    title: str
    score: int
    next_at: datetime | None
    distance_km: float | None
    reason: str
    venue: str = ""
    town: str = ""


class SearchIndex:
    """An in-memory, read-only search index over one catalogue's active, upcoming sessions."""

    def __init__(
        self,
        catalogue: Catalogue,
        activities: list[Activity],
        occurrences: Sequence[Sequence[Occurrence]],
        gazetteer: Gazetteer,
        zone: ZoneInfo,
    ) -> None:
        """Use ``SearchIndex.build``."""
        self.catalogue, self.gazetteer, self.zone = catalogue, gazetteer, zone
        self.activities = activities
        self.position = {a.source_id: i for i, a in enumerate(activities)}
        self.venues = venues = [catalogue.venues.get(a.venue_id or "") for a in activities]
        organisations = [catalogue.organisations.get(a.organisation_id or "") for a in activities]
        self.terms = TermIndex(
            [
                {
                    "title": a.title,
                    "categories": " ; ".join(sorted(a.categories)),
                    "organisation": o.name if o else "",
                    "description": a.description,
                    "venue": v.name if v else "",
                }
                for a, o, v in zip(activities, organisations, venues, strict=True)
            ]
        )
        self.timetable = Timetable(occurrences, zone)
        self.facets = Facets(activities, venues)
        order = sorted(range(len(activities)), key=lambda i: activities[i].title)
        self.title_rank = np.argsort(np.asarray(order, dtype=np.int64))  # rank by title

    @classmethod
    def build(
        cls,
        catalogue: Catalogue,
        occurrences: Mapping[str, Sequence[Occurrence]],
        gazetteer: Gazetteer,
        *,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> SearchIndex:
        """Indexes the active activities that have occurrences.

        Args:
            catalogue: the whole directory.
            occurrences: each activity's expanded meetings (aware UTC), by source id; the
                window they cover is the window search can suggest from.
            gazetteer: places people may name.
            timezone: the local timezone for days, times of day and reasons.
        """
        eligible = [
            a
            for a in catalogue.activities.values()
            if a.status is Status.ACTIVE and occurrences.get(a.source_id)
        ]
        meetings = [occurrences[a.source_id] for a in eligible]
        return cls(catalogue, eligible, meetings, gazetteer, ZoneInfo(timezone))

    def __len__(self) -> int:
        return len(self.activities)

    def parse(self, query: str, *, now: datetime) -> ParsedQuery:
        """Parses a request the way ``search`` does, for callers that want to show the reading."""
        terms = self.terms
        return parse_query(
            query,
            self.gazetteer,
            today=now.astimezone(self.zone).date(),
            topic_words=terms,
            is_topic=lambda word: bool(terms.expand(word)),
        )

    def search(
        self,
        query: str,
        *,
        now: datetime,
        near: tuple[float, float] | None = None,
        preferences: Preferences | None = None,
        limit: int = 3,
        offset: int = 0,
        exclude: Collection[str] = (),
    ) -> list[SearchResult]:
        """Finds the sessions that best fit a free-text request.

        Stated constraints (day, time, place, free, access, audience) are hard filters; a
        named place that is not known, or a topic nothing matches well, gives [].

        Args:
            query: what the person typed.
            now: the current time (aware); only meetings after it count.
            near: a shared location (latitude, longitude): results within ``NEAR_RADIUS_KM``
                unless the query names a place.
            preferences: soft preferences that re-rank.
            limit: how many results to return.
            offset: how many of the best results to skip (for "show me more").
            exclude: source ids never to return (already shown, or turned down).
        """
        parsed = self.parse(query, now=now)
        if parsed.unknown_place or (not parsed.topic and not parsed.has_constraints):
            return []
        relevance = self._relevance(parsed.topic)
        if relevance is None:
            return []
        keep = (relevance >= MIN_RELEVANCE) & (self.timetable.last_stamp > now.timestamp())
        keep &= self.facets.mask(free=parsed.free, access=parsed.access, audience=parsed.audience)
        window = parsed.times
        start, end = (window.start, window.end) if window else (None, None)
        keep &= self.timetable.slot_mask(parsed.days, start, end)
        point = parsed.place.point if parsed.place else near
        radius = parsed.place.radius_km if parsed.place else NEAR_RADIUS_KM
        point = point or (preferences.home if preferences else None)
        distance = self.facets.distances(point) if point else None
        if distance is not None and (parsed.place or near):
            keep &= distance <= radius
        keep[[self.position[i] for i in exclude if i in self.position]] = False
        return self._rank(parsed, relevance, keep, distance, preferences, now, limit + offset)[
            offset : offset + limit
        ]

    def similar(self, activity_id: str, *, now: datetime, limit: int = 3) -> list[SearchResult]:
        """Finds sessions like a given one ("More like this"): same kind of thing, nearby."""
        source = self.catalogue.activities.get(activity_id)
        if source is None:
            return []
        words = list(dict.fromkeys(index_words(" ".join(source.categories) or source.title)))
        relevance = self._relevance(tuple(words))
        if relevance is None:
            return []
        keep = (relevance >= MIN_SIMILARITY) & (self.timetable.last_stamp > now.timestamp())
        if activity_id in self.position:
            keep[self.position[activity_id]] = False
        venue = self.catalogue.venues.get(source.venue_id or "")
        distance = None
        if venue and venue.latitude is not None and venue.longitude is not None:
            distance = self.facets.distances((venue.latitude, venue.longitude))
        parsed = ParsedQuery(text=source.title, topic=tuple(words))
        return self._rank(parsed, relevance, keep, distance, None, now, limit)

    def _relevance(self, topic: tuple[str, ...]) -> FloatArray | None:
        """Mean best match over the topic words the catalogue knows; None if it knows none.

        A word is known when its best match anywhere reaches ``KNOWN_WORD_MIN``; words that
        name no category weigh ``DETAIL_WEIGHT``.
        """
        if not topic:
            return np.ones(len(self), dtype=np.float32)
        total = np.zeros(len(self), dtype=np.float32)
        weights = 0.0
        for word in dict.fromkeys(topic):
            scores = self.terms.word_scores(word)
            if scores.max() >= KNOWN_WORD_MIN:
                weight = 1.0 if self.terms.names_a_kind(word) else DETAIL_WEIGHT
                total += np.float32(weight) * scores
                weights += weight
        if not weights:
            return None
        total /= np.float32(weights)
        return total

    def _rank(
        self,
        parsed: ParsedQuery,
        relevance: FloatArray,
        keep: BoolArray,
        distance: Float64Array | None,
        preferences: Preferences | None,
        now: datetime,
        wanted: int,
    ) -> list[SearchResult]:
        """Orders the survivors by relevance, distance, preference and how soon they meet."""
        candidates = np.flatnonzero(keep)
        if len(candidates) == 0 or wanted <= 0:
            return []
        proximity = np.full(len(self), 0.5, dtype=np.float32)
        if distance is not None:
            proximity = np.where(
                np.isnan(distance), 0.0, 1.0 / (1.0 + distance / PROXIMITY_HALF_KM)
            )
        preference = preference_fit(preferences, self.terms, self.facets, self.timetable)
        prelim = (
            W_RELEVANCE * relevance[candidates]
            + W_PROXIMITY * proximity[candidates]
            + W_PREFERENCE * preference[candidates]
        )
        window = parsed.times
        docs, meetings = self.timetable.next_meetings(
            candidates,
            now,
            weekdays=parsed.days,
            dates=parsed.dates,
            start=window.start if window else None,
            end=window.end if window else None,
        )
        if len(docs) == 0:
            return []
        position = np.searchsorted(candidates, docs)
        days_away = np.maximum(0.0, (self.timetable.stamps[meetings] - now.timestamp()) / 86400)
        score = prelim[position] + W_SOON / (1.0 + days_away / SOON_HALF_DAYS)
        if preferences and preferences.disliked:
            disliked = [self.position[i] for i in preferences.disliked if i in self.position]
            score = np.where(np.isin(docs, disliked), score * DISLIKED_FACTOR, score)
        # Best score first; ties go to the sooner meeting, then the title, so pages are stable.
        order = np.lexsort((self.title_rank[docs], self.timetable.stamps[meetings], -score))
        matched = self.terms.matched_terms(parsed.topic)
        asked_access = parsed.access | (preferences.access_needs if preferences else frozenset())
        results = []
        for i in order[:wanted].tolist():
            doc, value = int(docs[i]), float(score[i])
            begins, _ = self.timetable.meeting(int(meetings[i]))
            activity, venue = self.activities[doc], self.venues[doc]
            km = None if distance is None or np.isnan(distance[doc]) else float(distance[doc])
            reason = describe(
                activity,
                venue,
                next_at=begins,
                distance_km=km,
                zone=self.zone,
                matched_terms=matched,
                asked_access=asked_access,
                asked_audience=parsed.audience,
            )
            results.append(
                SearchResult(
                    activity_id=activity.source_id,
                    title=activity.title,
                    score=round(100 * min(1.0, value)),
                    next_at=begins,
                    distance_km=km,
                    reason=reason,
                    venue=venue.name if venue else "",
                    town=venue.town if venue else "",
                )
            )
        return results
