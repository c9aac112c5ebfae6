"""Importing nested Open Referral UK JSON: service_full lists and their relatives."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

from catalogue.model import Frequency, Organisation, Status, Venue
from catalogue.oruk import read_oruk_json

FIXTURES = Path(__file__).parent / "fixtures" / "oruk"


def test_service_full_list() -> None:
    result = read_oruk_json(FIXTURES / "lancaster.json")
    assert result.errors == []
    assert result.rows_read == 2
    catalogue = result.catalogue
    assert catalogue.organisations == {
        "org-bay": Organisation(
            source_id="org-bay",
            name="Bay Community Singers",
            website="https://baysingers.example",
            phone="01524 000444",
        )
    }
    # The drumming service names the same location id; the first full description wins.
    assert catalogue.venues == {
        "loc-platform": Venue(
            source_id="loc-platform",
            name="The Platform",
            address="Central Promenade",
            town="Morecambe",
            postcode="LA4 4DN",
            latitude=54.0717,
            longitude=-2.8687,
            accessibility=frozenset({"step_free", "hearing_loop"}),
        )
    }
    choir = catalogue.activities["svc-choir"]
    assert (choir.organisation_id, choir.venue_id) == ("org-bay", "loc-platform")
    assert choir.categories == frozenset({"singing", "choir"})
    assert choir.audience == frozenset({"carers_welcome"})
    assert (choir.cost, choir.is_free) == ("£3 per session", False)
    assert choir.contact == "Jo Lamb (Choir leader), 01524 000111; choir@baysingers.example"
    [schedule] = choir.schedules
    assert (schedule.freq, schedule.byday, schedule.opens_at, schedule.valid_from) == (
        Frequency.WEEKLY,
        ("TU",),
        time(10, 30),
        date(2026, 1, 6),
    )


def test_schedules_nested_in_service_at_location_and_organization_id() -> None:
    drums = read_oruk_json(FIXTURES / "lancaster.json").catalogue.activities["svc-drums"]
    assert drums.organisation_id == "org-bay"
    assert drums.venue_id == "loc-platform"
    [schedule] = drums.schedules
    # byday given as a JSON list, as some publishers write it.
    assert (schedule.byday, schedule.interval, schedule.dtstart) == (("TH",), 2, date(2026, 1, 8))
    assert drums.audience == frozenset({"dementia_friendly"})
    assert drums.categories == frozenset({"drumming"})
    assert (drums.cost, drums.is_free) == ("Free", True)


def test_organization_full_document() -> None:
    result = read_oruk_json(FIXTURES / "organization_full.json")
    assert result.errors == []
    assert result.rows_read == 1
    assert list(result.catalogue.organisations) == ["org-lune"]
    ukulele = result.catalogue.activities["svc-ukulele"]
    clay = result.catalogue.activities["svc-clay"]
    assert ukulele.organisation_id == clay.organisation_id == "org-lune"
    assert ukulele.audience == frozenset({"over_60s"})
    assert ukulele.schedules[0].byday == ("-1FR",)
    assert (clay.status, clay.cost, clay.is_free) == (Status.INACTIVE, "Free", True)


def test_service_at_location_full_document() -> None:
    result = read_oruk_json(FIXTURES / "service_at_location_full.json")
    assert result.errors == []
    shanty = result.catalogue.activities["svc-shanty"]
    assert (shanty.organisation_id, shanty.venue_id) == ("org-heysham", "loc-heysham")
    venue = result.catalogue.venues["loc-heysham"]
    # Coordinates given as strings are read as numbers; postcodes are upper-cased.
    assert (venue.latitude, venue.longitude, venue.postcode) == (54.0442, -2.8944, "LA3 2RN")
    assert shanty.schedules[0].bymonthday == (15,)


def test_paged_api_response_with_contents(tmp_path: Path) -> None:
    page = {
        "total_items": 1,
        "contents": [
            {
                "id": "svc-1",
                "name": "Samba Band",
                "status": "active",
                "organization": {"id": "org-1", "name": "Morecambe Music Makers"},
            }
        ],
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    result = read_oruk_json(path)
    assert result.errors == []
    assert list(result.catalogue.activities) == ["svc-1"]


def test_byte_order_mark_and_progress(tmp_path: Path) -> None:
    documents = [
        {
            "id": f"svc-{n}",
            "name": f"Group {n}",
            "status": "active",
            "organization": {"id": "org-1", "name": "Morecambe Music Makers"},
        }
        for n in range(3)
    ]
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(documents), encoding="utf-8-sig")
    seen: list[int] = []
    result = read_oruk_json(path, progress=seen.append)
    assert result.ok
    assert seen == [1, 2, 3]
    assert sorted(result.catalogue.activities) == ["svc-0", "svc-1", "svc-2"]


def test_organisation_may_come_in_a_later_document(tmp_path: Path) -> None:
    documents = [
        {"id": "svc-1", "name": "Samba Band", "status": "active", "organization_id": "org-1"},
        {
            "id": "svc-2",
            "name": "Steel Pans",
            "status": "active",
            "organization": {"id": "org-1", "name": "Morecambe Music Makers"},
        },
    ]
    path = tmp_path / "later.json"
    path.write_text(json.dumps(documents), encoding="utf-8")
    assert read_oruk_json(path).errors == []


def test_nested_objects_of_the_wrong_shape(tmp_path: Path) -> None:
    document = {
        "id": "svc-1",
        "name": "Samba Band",
        "status": "active",
        "organization": "Morecambe Music Makers",
        "organization_id": "org-1",
        "schedules": [{"id": "sch-1", "freq": "WEEKLY", "byday": {"day": "MO"}}, "Mondays"],
    }
    path = tmp_path / "shapes.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert [str(e) for e in read_oruk_json(path).errors] == [
        "shapes.json:1: organization: expected an object, not str",
        "shapes.json:1: schedules[1]: expected an object, not str",
        "shapes.json:1: schedules[0].byday: expected text, not dict",
        "shapes.json:1: organization_id: no organisation with id 'org-1' in the file",
    ]


def test_rejected_organisation_is_reported_once(tmp_path: Path) -> None:
    document = {
        "id": "org-x",
        "services": [
            {"id": "svc-1", "name": "Samba Band", "status": "active"},
            {"id": "svc-2", "name": "Steel Pans", "status": "active"},
        ],
    }
    path = tmp_path / "nameless.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = read_oruk_json(path)
    assert [str(e) for e in result.errors] == ["nameless.json:1: name: missing"]
    assert {a.organisation_id for a in result.catalogue.activities.values()} == {"org-x"}
