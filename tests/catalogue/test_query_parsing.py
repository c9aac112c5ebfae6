"""Reading free text into hard constraints and topic words."""

from __future__ import annotations

from datetime import date, time

import pytest

from catalogue.geo import Gazetteer
from catalogue.model import Catalogue, Venue
from catalogue.query import parse_query

TOPIC = frozenset({"choir", "singing", "pottery", "drumming", "knitting", "preston"})


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    venues = [
        Venue("a", "Hall", town="Morecambe", postcode="LA4 5BX", latitude=54.07, longitude=-2.86),
        Venue("b", "Hub", town="Preston", postcode="PR1 2UR", latitude=53.76, longitude=-2.70),
        Venue("c", "Institute", town="Grange-over-Sands", latitude=54.19, longitude=-2.91),
    ]
    return Gazetteer.from_catalogue(Catalogue(venues={v.source_id: v for v in venues}))


def test_the_example_request(places: Gazetteer) -> None:
    q = parse_query("singin near morecambe tuesday", places, topic_words=TOPIC)
    assert q.topic == ("singin",)
    assert q.days == {1}
    assert q.place is not None and q.place.name == "Morecambe"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("choir tuesday", {1}),
        ("choir tues", {1}),
        ("choir on Tuesdays", {1}),
        ("choir tuesdy", {1}),
        ("choir weds or thurs", {2, 3}),
        ("choir at the weekend", {5, 6}),
        ("choir weekdays", {0, 1, 2, 3, 4}),
    ],
)
def test_days(places: Gazetteer, text: str, days: set[int]) -> None:
    q = parse_query(text, places, topic_words=TOPIC)
    assert q.days == days
    assert q.topic == ("choir",)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("choir in the morning", time(0), time(12)),
        ("choir afternoons", time(12), time(17)),
        ("choir evening", time(17), time(23, 59, 59)),
        ("choir after 6", time(18), time(23, 59, 59)),
        ("choir after 10am", time(10), time(23, 59, 59)),
        ("choir after 7 pm", time(19), time(23, 59, 59)),
        ("choir before 11", time(0), time(11)),
    ],
)
def test_times_of_day(places: Gazetteer, text: str, start: time, end: time) -> None:
    q = parse_query(text, places, topic_words=TOPIC)
    assert q.times is not None and (q.times.start, q.times.end) == (start, end)
    assert q.topic == ("choir",)
    assert q.unknown_place is None


def test_today_and_tomorrow_need_a_date(places: Gazetteer) -> None:
    monday = date(2026, 11, 23)
    assert parse_query("choir tomorrow", places, today=monday).dates == {date(2026, 11, 24)}
    tonight = parse_query("choir tonight", places, today=monday)
    assert tonight.dates == {monday} and tonight.times is not None
    assert parse_query("choir today", places).dates == frozenset()


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("pottery in Morecambe", "Morecambe", "town"),
        ("pottery near morcambe", "Morecambe", "town"),
        ("pottery around preston", "Preston", "town"),
        ("pottery preston", "Preston", "town"),
        ("pottery LA4", "LA4", "district"),
        ("pottery la4 5bx", "LA4 5BX", "postcode"),
        ("pottery PR1 9ZZ", "PR1", "district"),
        ("pottery near grange over sands", "Grange-over-Sands", "town"),
        ("pottery Grange-over-Sands", "Grange-over-Sands", "town"),
    ],
)
def test_places(places: Gazetteer, text: str, name: str, kind: str) -> None:
    q = parse_query(text, places, topic_words=TOPIC)
    assert q.place is not None and (q.place.name, q.place.kind) == (name, kind)
    assert q.topic == ("pottery",)


def test_an_unknown_place_is_remembered_not_dropped(places: Gazetteer) -> None:
    q = parse_query("knitting in Aberdeen", places, topic_words=TOPIC)
    assert q.place is None and q.unknown_place == "aberdeen"
    assert parse_query("knitting CA9", places).unknown_place == "CA9"


def test_codes_that_are_not_postcodes_stay_topics(places: Gazetteer) -> None:
    q = parse_query("u3a singing", places)
    assert q.place is None and q.unknown_place is None and q.topic == ("u3a", "singing")


def test_words_after_in_that_are_not_places(places: Gazetteer) -> None:
    for text in ("singing in a choir", "drumming at 2pm", "knitting in the afternoon"):
        q = parse_query(text, places, topic_words=TOPIC)
        assert q.place is None and q.unknown_place is None, text
    misspelt = parse_query("lessons in potery", places, is_topic=lambda w: w == "potery")
    assert misspelt.unknown_place is None and "potery" in misspelt.topic


def test_free_access_and_audience(places: Gazetteer) -> None:
    q = parse_query(
        "free step-free choir with a hearing loop for my mum who has dementia",
        places,
        topic_words=TOPIC,
    )
    assert q.free
    assert q.access == {"step_free", "hearing_loop"}
    assert q.audience == {"dementia_friendly"}
    assert q.topic == ("choir",)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("over 60s", "over_60s"),
        ("for over-60s", "over_60s"),
        ("older people", "over_60s"),
        ("young people", "young_people"),
        ("teenagers", "young_people"),
        ("carers", "carers_welcome"),
        ("my husband has alzheimer's", "dementia_friendly"),
        ("memory problems", "dementia_friendly"),
        ("demensia", "dementia_friendly"),
    ],
)
def test_audiences(places: Gazetteer, text: str, tag: str) -> None:
    q = parse_query(text, places, topic_words=TOPIC)
    assert q.audience == {tag}
    assert q.topic == ()


def test_wheelchair_and_its_slips(places: Gazetteer) -> None:
    assert parse_query("wheelchair access", places).access == {"wheelchair"}
    assert parse_query("wheelchiar", places).access == {"wheelchair"}


def test_a_catalogue_word_is_never_taken_for_a_misspelt_constraint(places: Gazetteer) -> None:
    # A word the catalogue itself uses stays a topic even when it is close to a day name.
    q = parse_query("tuesdy", places, topic_words=frozenset({"tuesdy"}))
    assert q.days == frozenset() and q.topic == ("tuesdy",)
    assert parse_query("tuesdy", places).days == {1}
    assert parse_query("thursby", places).days == frozenset()  # too far from "thursday"


def test_filler_words_are_not_topics(places: Gazetteer) -> None:
    q = parse_query("something musical for my dad who would like to go", places)
    assert q.topic == ("musical",)
    assert not q.has_constraints
    assert parse_query("tuesday", places).has_constraints
