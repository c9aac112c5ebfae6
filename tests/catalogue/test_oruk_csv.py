"""Importing well-formed Open Referral UK CSV folders (Lancaster and Morecambe groups)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from catalogue.model import Frequency, ImportResult, Organisation, Schedule, Status, Venue
from catalogue.oruk import read_oruk_csv
from catalogue.schedule import expand_activity

FIXTURES = Path(__file__).parent / "fixtures" / "oruk"


@pytest.fixture(scope="module")
def lancaster() -> ImportResult:
    return read_oruk_csv(FIXTURES / "lancaster")


def test_folder_imports_without_errors(lancaster: ImportResult) -> None:
    assert lancaster.errors == []
    assert lancaster.ok


def test_rows_read_counts_every_data_row(lancaster: ImportResult) -> None:
    # 2 organisations, 5 services, 3 locations, 4 addresses, 2 accessibility, 4 links,
    # 5 schedules, 4 cost options, 1 taxonomy, 6 terms, 6 attributes, 1 contact, 3 phones.
    assert lancaster.rows_read == 46


def test_progress_is_told_the_running_count() -> None:
    seen: list[int] = []
    read_oruk_csv(FIXTURES / "lancaster", progress=seen.append)
    assert seen == list(range(1, 47))


def test_organisations(lancaster: ImportResult) -> None:
    assert lancaster.catalogue.organisations == {
        "org-bay": Organisation(
            source_id="org-bay",
            name="Bay Community Singers",
            description="A volunteer-run singing charity around Morecambe Bay.",
            website="https://baysingers.example",
            email="hello@baysingers.example",
            phone=None,
        ),
        "org-lune": Organisation(
            source_id="org-lune",
            name="Lune Valley Arts Trust",
            description="Community music and craft in Lancaster and the Lune valley.",
            website="https://lunearts.example",
            email=None,
            phone="01524 000222",
        ),
    }


def test_venue_uses_physical_address_and_access_wording(lancaster: ImportResult) -> None:
    assert lancaster.catalogue.venues["loc-platform"] == Venue(
        source_id="loc-platform",
        name="The Platform",
        address="Central Promenade",
        town="Morecambe",
        postcode="LA4 4DN",
        latitude=54.0717,
        longitude=-2.8687,
        accessibility=frozenset({"step_free", "hearing_loop", "accessible_toilet"}),
    )


def test_negated_access_wording_gives_no_tag(lancaster: ImportResult) -> None:
    hall = lancaster.catalogue.venues["loc-hall"]
    assert hall.accessibility == frozenset()
    assert hall.address == "12 Chapel Street, Off Market Square"
    assert (hall.latitude, hall.longitude) == (None, None)


def test_location_attributes_become_access_tags(lancaster: ImportResult) -> None:
    assert lancaster.catalogue.venues["loc-storey"].accessibility == frozenset({"parking"})


def test_choir_activity(lancaster: ImportResult) -> None:
    choir = lancaster.catalogue.activities["svc-choir"]
    assert choir.title == "Morecambe Community Choir"
    assert choir.organisation_id == "org-bay"
    assert choir.venue_id == "loc-platform"
    assert choir.categories == frozenset({"singing", "choir"})
    assert choir.audience == frozenset({"carers_welcome"})
    assert (choir.cost, choir.is_free) == ("£3 per session", False)
    assert choir.booking_required
    assert choir.contact == (
        "Jo Lamb (Choir leader), jo@baysingers.example, 01524 000111; choir@baysingers.example"
    )
    assert choir.url == "https://baysingers.example/choir"
    assert choir.status is Status.ACTIVE
    assert choir.description.endswith("Booking essential for your first visit.")


def test_choir_schedules_in_file_order(lancaster: ImportResult) -> None:
    weekly, summer = lancaster.catalogue.activities["svc-choir"].schedules
    assert weekly == Schedule(
        freq=Frequency.WEEKLY,
        byday=("TU",),
        opens_at=time(10, 30),
        closes_at=time(12, 0),
        valid_from=date(2026, 1, 6),
        description="Tuesday mornings in term time.",
        source_id="sch-choir",
    )
    assert (summer.freq, summer.byday, summer.valid_to) == (
        Frequency.MONTHLY,
        ("1SA",),
        date(2026, 8, 31),
    )


def test_schedule_linked_through_service_at_location(lancaster: ImportResult) -> None:
    drums = lancaster.catalogue.activities["svc-drums"]
    [schedule] = drums.schedules
    assert (schedule.source_id, schedule.interval, schedule.dtstart) == (
        "sch-drums",
        2,
        date(2026, 1, 8),
    )
    # A numeric timezone of 0 is UK time written as an offset.
    assert schedule.timezone == "Europe/London"


def test_first_service_at_location_is_the_venue(lancaster: ImportResult) -> None:
    assert lancaster.catalogue.activities["svc-drums"].venue_id == "loc-storey"


def test_terms_that_name_an_audience_are_not_categories(lancaster: ImportResult) -> None:
    drums = lancaster.catalogue.activities["svc-drums"]
    assert drums.categories == frozenset({"drumming"})
    assert drums.audience == frozenset({"dementia_friendly"})


def test_free_cost_option(lancaster: ImportResult) -> None:
    drums = lancaster.catalogue.activities["svc-drums"]
    assert (drums.cost, drums.is_free) == ("Everyone: Free", True)
    assert drums.contact == "07700 900333; drums@lunearts.example"


def test_mixed_cost_options_are_not_free(lancaster: ImportResult) -> None:
    ukulele = lancaster.catalogue.activities["svc-ukulele"]
    assert (ukulele.cost, ukulele.is_free) == ("Members: £2.50 a month; Carers go free", False)


def test_minimum_age_of_sixty_means_older_people(lancaster: ImportResult) -> None:
    assert lancaster.catalogue.activities["svc-ukulele"].audience == frozenset({"over_60s"})


def test_statuses_and_fees_wording(lancaster: ImportResult) -> None:
    clay = lancaster.catalogue.activities["svc-clay"]
    brass = lancaster.catalogue.activities["svc-brass"]
    assert (clay.status, clay.cost, clay.is_free) == (Status.INACTIVE, "Free", True)
    assert (brass.status, brass.cost, brass.is_free) == (Status.DEFUNCT, "£4 a session", False)


def test_location_opening_hours_are_not_sessions(lancaster: ImportResult) -> None:
    ids = {s.source_id for a in lancaster.catalogue.activities.values() for s in a.schedules}
    assert "sch-storey-hours" not in ids


def test_imported_schedules_expand(lancaster: ImportResult) -> None:
    drums = lancaster.catalogue.activities["svc-drums"]
    found = expand_activity(
        drums, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    )
    # Fortnightly from Thursday 8 January: 5 and 19 March (GMT), then BST from the 29th.
    assert [o.starts_at for o in found] == [
        datetime(2026, 3, 5, 18, 30, tzinfo=UTC),
        datetime(2026, 3, 19, 18, 30, tzinfo=UTC),
    ]


def test_singular_file_names_bom_and_crlf() -> None:
    result = read_oruk_csv(FIXTURES / "singular")
    assert result.errors == []
    [shanty] = result.catalogue.activities.values()
    assert shanty.title == "Sea Shanty Sing"
    assert shanty.venue_id == "loc-heysham"
    assert shanty.categories == frozenset({"singing", "local heritage"})
    assert shanty.audience == frozenset({"over_60s"})
    assert (shanty.cost, shanty.is_free) == ("Suggested donation: £2", False)
    [schedule] = shanty.schedules
    assert (schedule.freq, schedule.bymonthday, schedule.opens_at) == (
        Frequency.MONTHLY,
        (15,),
        time(19),
    )
    assert result.catalogue.venues["loc-heysham"].postcode == "LA3 2RN"


def test_file_names_are_matched_without_regard_to_case(tmp_path: Path) -> None:
    for source in (FIXTURES / "singular").iterdir():
        (tmp_path / source.name.upper()).write_bytes(source.read_bytes())
    result = read_oruk_csv(tmp_path)
    assert result.errors == []
    assert list(result.catalogue.activities) == ["svc-shanty"]
