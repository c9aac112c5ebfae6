"""Property tests for the CSV importer: line numbers and schedule round trips."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model import Frequency, Schedule
from catalogue.oruk import read_oruk_csv

# Free text as people type it into a directory: commas, quotes, new lines, accents.
cell_text = st.text(
    alphabet=st.sampled_from(list("abc XYZ,;'\"\n-éü£0123")), min_size=1, max_size=30
).filter(lambda text: text.strip() != "")


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@settings(max_examples=100, deadline=None)
@given(
    descriptions=st.lists(cell_text, min_size=1, max_size=8),
    bad_row=st.integers(min_value=0, max_value=7),
)
def test_error_line_is_the_physical_line_of_the_row(descriptions: list[str], bad_row: int) -> None:
    bad_row %= len(descriptions)
    rows = [
        [f"svc-{n}", "org-1", f"Group {n}", text, "retired" if n == bad_row else "active"]
        for n, text in enumerate(descriptions)
    ]
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        write_table(folder, "organizations.csv", ["id", "name"], [["org-1", "Bay Arts"]])
        write_table(
            folder, "services.csv", ["id", "organization_id", "name", "description", "status"], rows
        )
        result = read_oruk_csv(folder)
    # Each earlier record takes one line plus one for every new line inside its cells.
    line = 2 + bad_row + sum(text.count("\n") for text in descriptions[:bad_row])
    assert [(e.file, e.line, e.field) for e in result.errors] == [("services.csv", line, "status")]
    imported = result.catalogue.activities
    assert len(imported) == len(descriptions) - 1
    for n, text in enumerate(descriptions):
        if n != bad_row:
            assert imported[f"svc-{n}"].description == text.strip()


CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
weekly_days = st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
schedules = st.one_of(
    st.builds(
        Schedule,
        freq=st.just(Frequency.WEEKLY),
        interval=st.integers(1, 4),
        byday=weekly_days.map(tuple),
        opens_at=times,
        closes_at=st.none() | times,
        dtstart=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
        count=st.none() | st.integers(1, 50),
    ),
    st.builds(
        Schedule,
        freq=st.just(Frequency.MONTHLY),
        byday=st.sampled_from(["1TU", "2WE", "-1FR", "3SA"]).map(lambda day: (day,)),
        opens_at=times,
        valid_from=st.none() | st.dates(date(2024, 1, 1), date(2026, 12, 31)),
        timezone=st.sampled_from(["Europe/London", "Europe/Dublin"]),
    ),
    st.builds(
        Schedule,
        freq=st.just(Frequency.MONTHLY),
        bymonthday=st.lists(st.integers(1, 28), min_size=1, max_size=2, unique=True).map(tuple),
        opens_at=times,
        until=st.none() | st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    ),
)


def cells_for(schedule: Schedule) -> list[str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        "sch-1",
        "svc-1",
        schedule.freq.value,
        str(schedule.interval),
        ",".join(schedule.byday),
        ",".join(str(day) for day in schedule.bymonthday),
        text(schedule.opens_at),
        text(schedule.closes_at),
        text(schedule.valid_from),
        text(schedule.dtstart),
        text(schedule.until),
        text(schedule.count),
        schedule.timezone,
    ]


@settings(max_examples=150, deadline=None)
@given(schedule=schedules)
def test_written_schedules_read_back_unchanged(schedule: Schedule) -> None:
    header = [
        "id", "service_id", "freq", "interval", "byday", "bymonthday", "opens_at", "closes_at",
        "valid_from", "dtstart", "until", "count", "timezone",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        write_table(folder, "organizations.csv", ["id", "name"], [["org-1", "Bay Arts"]])
        write_table(
            folder,
            "services.csv",
            ["id", "organization_id", "name", "status"],
            [["svc-1", "org-1", "Choir", "active"]],
        )
        write_table(folder, "schedule.csv", header, [cells_for(schedule)])
        result = read_oruk_csv(folder)
    assert result.errors == []
    [read_back] = result.catalogue.activities["svc-1"].schedules
    assert read_back == Schedule(
        freq=schedule.freq,
        interval=schedule.interval,
        byday=schedule.byday,
        bymonthday=schedule.bymonthday,
        opens_at=schedule.opens_at,
        closes_at=schedule.closes_at,
        valid_from=schedule.valid_from,
        dtstart=schedule.dtstart,
        until=schedule.until,
        count=schedule.count,
        timezone=schedule.timezone,
        source_id="sch-1",
    )
