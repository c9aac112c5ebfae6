"""The spreadsheet importer: lenient where people type, strict where a wrong guess misleads."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from catalogue import cells
from catalogue.cells import CellError
from catalogue.model import Frequency, Status
from catalogue.spreadsheet import PROGRESS_EVERY, read_spreadsheet

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,title,organisation,venue,town,postcode,latitude,longitude,days,frequency,start_time"


def write(tmp_path: Path, text: str, name: str = "sheet.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_template_imports_cleanly() -> None:
    result = read_spreadsheet(ROOT / "catalogue" / "templates" / "activities-template.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows_read == 2
    cafe = result.catalogue.activities["example-memory-cafe"]
    assert cafe.schedules[0].byday == ("-1FR",)
    assert cafe.schedules[0].freq is Frequency.MONTHLY
    assert cafe.audience == {"dementia_friendly", "carers_welcome"}
    assert cafe.is_free


def test_demo_catalogue_imports_cleanly() -> None:
    result = read_spreadsheet(ROOT / "catalogue" / "demo" / "activities.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert 140 <= len(result.catalogue.activities) <= 160
    statuses = {a.status for a in result.catalogue.activities.values()}
    assert statuses == {Status.ACTIVE, Status.INACTIVE, Status.DEFUNCT}


def test_headers_and_cells_are_read_leniently(tmp_path: Path) -> None:
    text = (
        " ID , Title ,Start Time,Days,Free,Booking-Required,Postcode,Status,Categories\n"
        "a1,Choir,10.30,tues,Yes,y,la45ab,Active,Singing; CHOIR\n"
    )
    result = read_spreadsheet(write(tmp_path, text, bom=True))
    assert result.ok, [str(e) for e in result.errors]
    activity = result.catalogue.activities["a1"]
    assert activity.schedules[0].opens_at == time(10, 30)
    assert activity.schedules[0].byday == ("TU",)
    assert activity.is_free and activity.booking_required
    assert activity.categories == {"singing", "choir"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:30", time(10, 30)),
        ("10.30", time(10, 30)),
        ("10:30am", time(10, 30)),
        ("2pm", time(14, 0)),
        ("2.15 pm", time(14, 15)),
        ("12am", time(0, 0)),
        ("1430", time(14, 30)),
        ("noon", time(12, 0)),
        ("19h00", time(19, 0)),
    ],
)
def test_times_people_type(typed: str, expected: time) -> None:
    assert cells.parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "10:75", "13pm", "half ten", ""])
def test_unreadable_times_are_rejected(typed: str) -> None:
    with pytest.raises(CellError):
        cells.parse_time(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Tuesday", ("TU",)),
        ("Tue; Thu", ("TU", "TH")),
        ("tues, thurs", ("TU", "TH")),
        ("1st Tuesday", ("1TU",)),
        ("last Friday", ("-1FR",)),
        ("TU", ("TU",)),
        ("1TU", ("1TU",)),
        ("-1FR", ("-1FR",)),
        ("2nd and 4th Wed", ("2WE", "4WE")),
        ("Mondays & Fridays", ("MO", "FR")),
    ],
)
def test_days_people_type(typed: str, expected: tuple[str, ...]) -> None:
    assert cells.parse_days(typed) == expected


@pytest.mark.parametrize("typed", ["Tuesdy", "5th Monday", "every day", "1st", "", "XX"])
def test_unreadable_days_are_rejected(typed: str) -> None:
    with pytest.raises(CellError):
        cells.parse_days(typed)


def test_frequencies_dates_and_yes_no() -> None:
    assert cells.parse_frequency("Fortnightly") == (Frequency.WEEKLY, 2)
    assert cells.parse_frequency("every 3 weeks") == (Frequency.WEEKLY, 3)
    assert cells.parse_frequency("Monthly") == (Frequency.MONTHLY, 1)
    assert cells.parse_frequency("") is None
    assert cells.parse_date("06/01/2026") == date(2026, 1, 6)  # day first, as in the UK
    assert cells.parse_date("2026-01-06") == date(2026, 1, 6)
    assert cells.parse_bool("Y") and not cells.parse_bool("no") and not cells.parse_bool("")
    with pytest.raises(CellError):
        cells.parse_frequency("now and then")
    with pytest.raises(CellError):
        cells.parse_bool("maybe")
    with pytest.raises(CellError):
        cells.parse_date("the 40th")


def test_each_bad_cell_is_reported_on_its_physical_line(tmp_path: Path) -> None:
    text = (
        "id,title,description,days,start_time,postcode\n"
        'a1,Choir,"A description\nover two lines",Tuesday,10:30,LA4 5AB\n'  # lines 2-3
        "a2,Drums,,Tuesdy,10:30,LA4 5AB\n"  # line 4: bad day
        "a3,Pots,,Monday,25:00,LA4 5AB\n"  # line 5: bad time
        "a4,Paint,,Monday,10:00,NOT A CODE\n"  # line 6: bad postcode
        "a1,Again,,Monday,10:00,\n"  # line 7: duplicate id
        "\n"  # line 8: blank, skipped
        ",Untitled id,,Monday,10:00,\n"  # line 9: no id
    )
    result = read_spreadsheet(write(tmp_path, text))
    found = {(e.line, e.field) for e in result.errors}
    assert found == {(4, "days"), (5, "start_time"), (6, "postcode"), (7, "id"), (9, "id")}
    assert "first on line 2" in next(e.problem for e in result.errors if e.line == 7)
    assert str(result.errors[0]).startswith("sheet.csv:4: days: ")
    assert list(result.catalogue.activities) == ["a1"]
    assert result.rows_read == 6


def test_missing_required_column_stops_the_import(tmp_path: Path) -> None:
    result = read_spreadsheet(write(tmp_path, "id,title,days\na1,Choir,Tuesday\n"))
    assert [(e.line, e.field) for e in result.errors] == [(1, "start_time")]
    assert not result.catalogue.activities


def test_unknown_and_repeated_columns_are_errors(tmp_path: Path) -> None:
    result = read_spreadsheet(write(tmp_path, "id,title,days,start_time,strat_time,title\n"))
    assert {(e.line, e.field) for e in result.errors} == {(1, "strat_time"), (1, "header")}


def test_bad_quoting_is_reported_with_its_line(tmp_path: Path) -> None:
    text = 'id,title,days,start_time\na1,Choir,Tuesday,10:30\na2,"Broken "quote,Monday,10:00\n'
    result = read_spreadsheet(write(tmp_path, text))
    assert [(e.line, e.field) for e in result.errors] == [(3, "row")]
    assert "quot" in result.errors[0].problem


def test_schedules_that_cannot_be_pinned_down_are_rejected(tmp_path: Path) -> None:
    text = (
        "id,title,days,frequency,start_time,end_time,starts_on,latitude,longitude\n"
        "a1,Monthly,Tuesday,monthly,10:00,,,,\n"
        "a2,Fortnightly,Tuesday,fortnightly,10:00,,,,\n"
        "a3,Ordinal weekly,1st Tuesday,weekly,10:00,,,,\n"
        "a4,Backwards,Tuesday,,10:00,09:00,,,\n"
        "a5,Half a place,Tuesday,,10:00,,,54.0,\n"
        "a6,Good,Tuesday,fortnightly,10:00,23:00,2026-11-24,54.0,-2.8\n"
        "a7,Till midnight,Friday,,20:00,00:00,,,\n"
    )
    result = read_spreadsheet(write(tmp_path, text))
    assert {(e.line, e.field) for e in result.errors} == {
        (2, "days"),
        (3, "starts_on"),
        (4, "frequency"),
        (5, "end_time"),
        (6, "longitude"),
    }
    schedule = result.catalogue.activities["a6"].schedules[0]
    assert (schedule.interval, schedule.dtstart) == (2, date(2026, 11, 24))
    assert set(result.catalogue.activities) == {"a6", "a7"}


def test_venue_and_organisation_ids_come_from_names(tmp_path: Path) -> None:
    text = (
        f"{HEADER},address,accessibility\n"
        "a1,Choir,Sing for Joy,St Mary's Hall,Kendal,LA9 4AA,54.3,-2.7,Tuesday,,10:00,"
        "1 Church St,Step free; Hearing Loop\n"
        "a2,Ukes,Sing for Joy,St Mary's Hall,Kendal,,,,Monday,,19:00,,\n"
    )
    result = read_spreadsheet(write(tmp_path, text))
    assert result.ok, [str(e) for e in result.errors]
    venue = result.catalogue.venues["st-marys-hall-kendal"]
    assert venue.accessibility == {"step_free", "hearing_loop"}
    assert venue.address == "1 Church St"  # the second row left it blank and keeps it
    assert list(result.catalogue.organisations) == ["sing-for-joy"]
    assert result.catalogue.activities["a2"].venue_id == "st-marys-hall-kendal"


def test_conflicting_venue_details_are_rejected(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "a1,Choir,,Hall,Kendal,LA9 4AA,,,Tuesday,,10:00\n"
        "a2,Ukes,,Hall,Kendal,LA9 7ZZ,,,Monday,,19:00\n"
    )
    result = read_spreadsheet(write(tmp_path, text))
    assert [(e.line, e.field) for e in result.errors] == [(3, "postcode")]
    assert "line 2" in result.errors[0].problem


def test_status_words(tmp_path: Path) -> None:
    text = (
        "id,title,days,start_time,status\n"
        "a,A,Mon,10:00,Paused\nb,B,Mon,10:00,closed\nc,C,Mon,10:00,gone\n"
    )
    result = read_spreadsheet(write(tmp_path, text))
    activities = result.catalogue.activities
    assert activities["a"].status is Status.INACTIVE
    assert activities["b"].status is Status.DEFUNCT
    assert [(e.line, e.field) for e in result.errors] == [(4, "status")]


def test_progress_is_reported(tmp_path: Path) -> None:
    rows = "".join(f"a{i},Choir {i},Tuesday,10:30\n" for i in range(PROGRESS_EVERY * 2 + 5))
    seen: list[int] = []
    result = read_spreadsheet(write(tmp_path, "id,title,days,start_time\n" + rows), seen.append)
    assert result.ok
    assert seen == [PROGRESS_EVERY, PROGRESS_EVERY * 2, PROGRESS_EVERY * 2 + 5]


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,title,days,start_time\na,Café,Mon,10:00\n".encode("latin-1"))
    result = read_spreadsheet(path)
    assert [(e.line, e.field) for e in result.errors] == [(1, "file")]


def test_windows_line_endings_and_overlong_rows(tmp_path: Path) -> None:
    text = (
        "id,title,days,start_time\r\n"
        'a1,"Choir\r\nwith a two-line title",Tuesday,10:30\r\n'  # lines 2-3
        "a2,Drums,Monday,10:00,surplus\r\n"  # line 4: one cell too many
        "a3,Pots,Monday,10:00,,\r\n"  # line 5: trailing empty cells are harmless
        "a4,Paint,Someday,10:00\r\n"  # line 6: bad day
    )
    result = read_spreadsheet(write(tmp_path, text))
    assert [(e.line, e.field) for e in result.errors] == [(4, "row"), (6, "days")]
    assert set(result.catalogue.activities) == {"a1", "a3"}
