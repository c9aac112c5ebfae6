"""Reading the CSV tables of an Open Referral UK export into records indexed by id.

Each table is read in one pass with the physical line number of every row (the header is line
1, a quoted value spanning lines counts each of them), so errors point at the line a person
sees in a text editor. Both singular and plural file names occur in the wild (``schedule.csv``,
``schedules.csv``); either is accepted, but not both at once, since which one is current would
be a guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.oruk.record import ErrorLog, Record


@dataclass(frozen=True, slots=True)
class TableSpec:
    """What Chorus reads from one HSDS table."""

    entity: str
    file_names: tuple[str, ...]
    required: tuple[str, ...]
    noun: str = ""

    def __post_init__(self) -> None:
        if not self.noun:
            object.__setattr__(self, "noun", self.entity.replace("_", " "))


TABLE_SPECS = (
    TableSpec(
        "organization", ("organizations.csv", "organization.csv"), ("id", "name"), "organisation"
    ),
    TableSpec(
        "service", ("services.csv", "service.csv"), ("id", "organization_id", "name", "status")
    ),
    TableSpec("location", ("locations.csv", "location.csv"), ("id",)),
    TableSpec(
        "address",
        ("addresses.csv", "address.csv", "physical_addresses.csv"),
        ("id", "location_id"),
    ),
    TableSpec(
        "service_at_location",
        ("service_at_location.csv", "service_at_locations.csv", "services_at_location.csv"),
        ("id", "service_id", "location_id"),
        "service_at_location",
    ),
    TableSpec("schedule", ("schedules.csv", "schedule.csv"), ("id",)),
    TableSpec("cost_option", ("cost_options.csv", "cost_option.csv"), ("id", "service_id")),
    TableSpec(
        "accessibility",
        ("accessibility.csv", "accessibilities.csv", "accessibility_for_disabilities.csv"),
        ("id", "location_id"),
    ),
    TableSpec("taxonomy", ("taxonomies.csv", "taxonomy.csv"), ("id", "name")),
    TableSpec("taxonomy_term", ("taxonomy_terms.csv", "taxonomy_term.csv"), ("id", "name")),
    TableSpec(
        "attribute", ("attributes.csv", "attribute.csv"), ("id", "link_id", "taxonomy_term_id")
    ),
    TableSpec("phone", ("phones.csv", "phone.csv"), ("id", "number")),
    TableSpec("contact", ("contacts.csv", "contact.csv"), ("id",)),
)
SPECS_BY_ENTITY = {spec.entity: spec for spec in TABLE_SPECS}
KNOWN_FILE_NAMES = frozenset(name for spec in TABLE_SPECS for name in spec.file_names)


@dataclass(slots=True)
class Table:
    """The rows of one table with unique ids, in file order.

    ``present`` is False when the file is absent (an empty table); ``usable`` is False when it
    could not be read as a whole (a required column is missing), in which case links into it
    are not checked, to avoid one error per row elsewhere.
    """

    file: str
    present: bool = True
    usable: bool = True
    columns: tuple[str, ...] = ()
    rows: dict[str, Record] = field(default_factory=dict)


def find_table_files(folder: Path) -> dict[str, list[Path]]:
    """Map each entity to the files in ``folder`` that hold it (names matched case-blind)."""
    by_name = {path.name.lower(): path for path in folder.iterdir() if path.is_file()}
    return {
        spec.entity: [by_name[name] for name in spec.file_names if name in by_name]
        for spec in TABLE_SPECS
    }


def read_table(path: Path, spec: TableSpec, log: ErrorLog, row_read: Callable[[], None]) -> Table:
    """Read one CSV table, logging every bad row and keeping the rest.

    Args:
        path: The CSV file (UTF-8, with or without a byte-order mark).
        spec: Which columns must be present.
        log: Where problems go, against this file's name.
        row_read: Called once per data row, for progress.

    Returns:
        The table of well-formed rows with unique, non-blank ids.
    """
    table = Table(file=path.name)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        log.add(line, "row", "not UTF-8 text; save the file as CSV UTF-8")
        table.usable = False
        return table
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last_line = 0
    while True:
        line = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            log.add(line, "row", f"bad CSV quoting: {error}")
            if not table.columns:
                # Without a header no later row can be read as anything.
                table.usable = False
                return table
            continue
        finally:
            last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if not table.columns:
            table.columns = tuple(cell.strip().lower() for cell in cells)
            missing = [name for name in spec.required if name not in table.columns]
            for name in missing:
                log.add(line, name, "missing required column")
            repeated = sorted({name for name in table.columns if table.columns.count(name) > 1})
            for name in repeated:
                log.add(line, name, "column appears more than once")
            if missing or repeated:
                table.usable = False
                return table
            continue
        row_read()
        _add_row(table, cells, log, line)
    if not table.columns and table.usable:
        log.add(1, "header", "empty file; expected a header row")
        table.usable = False
    return table


def _add_row(table: Table, cells: list[str], log: ErrorLog, line: int) -> None:
    if len(cells) != len(table.columns):
        log.add(line, "row", f"has {len(cells)} fields but the header has {len(table.columns)}")
        return
    record = Record(dict(zip(table.columns, cells, strict=True)), log, line)
    source_id = record.text("id", required=True)
    if not source_id:
        return
    first = table.rows.get(source_id)
    if first is not None:
        record.report("id", f"duplicate id {source_id!r} (first on line {first.line})")
        return
    table.rows[source_id] = record
