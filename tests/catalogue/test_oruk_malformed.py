"""Malformed Open Referral UK input: every problem reported as ``file:line: field: problem``.

Each folder under ``fixtures/oruk/malformed`` holds a small valid organisation and service plus
one kind of breakage, and the test lists the exact lines a link worker would be shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.oruk import read_oruk_csv, read_oruk_json

MALFORMED = Path(__file__).parent / "fixtures" / "oruk" / "malformed"

BYDAY_HINT = (
    "(expected MO, TU, WE, TH, FR, SA or SU, optionally with an ordinal such as 1TU or -1FR)"
)

CSV_CASES = {
    "bad_quoting": [
        "services.csv:2: row: bad CSV quoting: ',' expected after '\"'",
        "services.csv:4: row: bad CSV quoting: unexpected end of data",
    ],
    "missing_column": ["services.csv:1: status: missing required column"],
    "unknown_foreign_key": [
        "attributes.csv:2: taxonomy_term_id: no taxonomy term with id 'term-x'",
        "schedules.csv:2: service_id: no service with id 'svc-nope'",
        "service_at_location.csv:2: location_id: no location with id 'loc-nowhere'",
        "services.csv:3: organization_id: no organisation with id 'org-9'",
    ],
    "bad_time": [
        "schedules.csv:2: opens_at: bad time '25:00' (expected HH:MM or HH:MM:SS)",
        "schedules.csv:2: closes_at: bad time '10.30' (expected HH:MM or HH:MM:SS)",
    ],
    "bad_date": [
        "schedules.csv:2: valid_from: bad date '2026-02-30' (expected YYYY-MM-DD)",
        "schedules.csv:2: until: bad date 'next week' (expected YYYY-MM-DD)",
    ],
    "bad_rrule": [
        "schedules.csv:2: freq: unsupported frequency 'HOURLY' (expected DAILY, WEEKLY or MONTHLY)",
        f"schedules.csv:3: byday: bad weekday 'XX' {BYDAY_HINT}",
        "schedules.csv:4: interval: must be a whole number of at least 1, not '0'",
        "schedules.csv:5: dtstart: an interval above 1 needs dtstart or valid_from to count from",
        "schedules.csv:6: bymonthday: a monthly schedule needs byday, bymonthday or dtstart",
        "schedules.csv:7: freq: missing",
        "schedules.csv:8: bymonthday: bad day of the month '32' (expected 1 to 31 or -31 to -1)",
    ],
    "duplicate_ids": [
        "services.csv:3: id: duplicate id 'svc-1' (first on line 2)",
        "services.csv:4: id: missing",
    ],
    "bad_coordinates": [
        "locations.csv:2: latitude: not a number: 'north'",
        "locations.csv:3: longitude: 200 is outside -180 to 180",
        "locations.csv:4: longitude: missing; give both or neither",
    ],
    "both_names": [
        "schedules.csv:0: file: both schedules.csv and schedule.csv exist; "
        "keep the one that is current"
    ],
    "wrong_field_count": [
        "services.csv:2: row: has 5 fields but the header has 4",
        "services.csv:3: row: has 3 fields but the header has 4",
    ],
    "schedule_conflict": [
        "schedules.csv:2: service_at_location_id: belongs to service 'svc-2', not 'svc-1'",
        "schedules.csv:3: service_id: missing; a schedule belongs to a service or a "
        "service_at_location",
        "services.csv:3: status: unknown status 'retired' "
        "(expected active, inactive, defunct or temporarily closed)",
        "services.csv:3: minimum_age: must be a whole number, not 'ten'",
    ],
    "missing_services": ["services.csv:0: file: missing from the folder"],
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_malformed_csv_folder_reports_every_problem(case: str) -> None:
    result = read_oruk_csv(MALFORMED / case)
    assert [str(error) for error in result.errors] == CSV_CASES[case]
    assert not result.ok


def test_every_fixture_folder_has_a_case() -> None:
    folders = {path.name for path in MALFORMED.iterdir() if path.is_dir()}
    assert folders == set(CSV_CASES)


def test_reading_goes_on_after_bad_quoting() -> None:
    result = read_oruk_csv(MALFORMED / "bad_quoting")
    assert list(result.catalogue.activities) == ["svc-2"]


def test_unusable_table_does_not_cascade_into_link_errors() -> None:
    # services.csv lacks its status column, so schedules pointing at svc-1 are not reported
    # as pointing at nothing: the one real problem is reported once.
    result = read_oruk_csv(MALFORMED / "missing_column")
    assert len(result.errors) == 1
    assert result.catalogue.activities == {}


def test_first_of_duplicate_rows_is_kept() -> None:
    result = read_oruk_csv(MALFORMED / "duplicate_ids")
    assert result.catalogue.activities["svc-1"].title == "Samba Band"


def test_schedules_without_errors_are_kept_beside_bad_ones() -> None:
    result = read_oruk_csv(MALFORMED / "bad_time")
    assert [s.source_id for s in result.catalogue.activities["svc-1"].schedules] == ["sch-2"]


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text("id,name\norg-1,Morecambe Music Makers\n")
    (tmp_path / "services.csv").write_bytes(
        b"id,organization_id,name,status\nsvc-1,org-1,Caf\xe9 Choir,active\n"
    )
    result = read_oruk_csv(tmp_path)
    assert [str(e) for e in result.errors] == [
        "services.csv:2: row: not UTF-8 text; save the file as CSV UTF-8"
    ]


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text("")
    (tmp_path / "services.csv").write_text("id,organization_id,name,status\n")
    result = read_oruk_csv(tmp_path)
    assert [str(e) for e in result.errors] == [
        "organizations.csv:1: header: empty file; expected a header row"
    ]


def test_malformed_json_reports_the_line() -> None:
    result = read_oruk_json(MALFORMED / "broken.json")
    assert [str(e) for e in result.errors] == [
        "broken.json:5: json: malformed JSON: Expecting ',' delimiter (column 5)"
    ]
    assert result.catalogue.activities == {}


def test_invalid_json_documents_report_paths() -> None:
    result = read_oruk_json(MALFORMED / "invalid_documents.json")
    assert [str(e) for e in result.errors] == [
        "invalid_documents.json:1: organization_id: no organisation with id 'org-1' in the file",
        "invalid_documents.json:2: organization: missing; "
        "give the organization or an organization_id",
        "invalid_documents.json:2: status: missing",
        "invalid_documents.json:2: service_at_locations[0].location.latitude: "
        "95 is outside -90 to 90",
        f"invalid_documents.json:2: schedules[0].byday: bad weekday 'XX' {BYDAY_HINT}",
        "invalid_documents.json:2: cost_options: expected a list, not str",
        "invalid_documents.json:2: attributes[0].taxonomy_term: missing",
        "invalid_documents.json:3: id: duplicate service id 'svc-1' (first in document 1)",
        "invalid_documents.json:4: document: expected an object, not int",
    ]
    assert result.rows_read == 4


def test_json_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"id": "svc-1", "name": "Caf\xe9"}')
    assert [str(e) for e in read_oruk_json(path).errors] == ["latin1.json:1: json: not UTF-8 text"]


def test_bad_quoting_in_the_header_stops_that_table(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text('id,"name\norg-1,Bay Arts\n', encoding="utf-8")
    (tmp_path / "services.csv").write_text("id,organization_id,name,status\n", encoding="utf-8")
    assert [str(e) for e in read_oruk_csv(tmp_path).errors] == [
        "organizations.csv:1: row: bad CSV quoting: unexpected end of data"
    ]


def test_repeated_column(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text("id,name,name\norg-1,A,B\n", encoding="utf-8")
    (tmp_path / "services.csv").write_text("id,organization_id,name,status\n", encoding="utf-8")
    assert [str(e) for e in read_oruk_csv(tmp_path).errors] == [
        "organizations.csv:1: name: column appears more than once"
    ]
