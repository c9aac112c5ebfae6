"""Importing a folder of Open Referral UK CSV tables into a catalogue.

Tables are joined by their foreign keys: a service's organisation, its locations through
``service_at_location``, its schedules (linked to the service or to one of its
service-at-locations), cost options, contacts, phones, and taxonomy terms through
``attributes``. Every link is checked, and a link to an id that no table holds is an error.

Decisions where HSDS leaves room: a schedule linked only to a location is that building's
opening hours, not a session, so it is checked but not attached to any activity; an attribute
without ``link_entity`` (older exports) may point at a record in any table; the errors come
back sorted by file and line, whatever order the links were checked in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from catalogue.model import Catalogue, ImportResult, RowError
from catalogue.oruk import entities
from catalogue.oruk.entities import ServiceDraft
from catalogue.oruk.record import ErrorLog, Record
from catalogue.oruk.tables import SPECS_BY_ENTITY, Table, find_table_files, read_table

# The attribute ``link_entity`` values Chorus uses, mapped to the table their ids live in.
_LINKABLE = ("service", "location", "organization")


class _Folder:
    """The tables of one folder and the links between them."""

    def __init__(self, folder: Path, progress: Callable[[int], None] | None) -> None:
        self.errors: list[RowError] = []
        self.rows_read = 0
        self.progress = progress
        self.tables: dict[str, Table] = {}
        for entity, paths in find_table_files(folder).items():
            spec = SPECS_BY_ENTITY[entity]
            if not paths:
                self.tables[entity] = Table(file=spec.file_names[0], present=False)
                continue
            if len(paths) > 1:
                names = " and ".join(path.name for path in paths)
                ErrorLog(paths[0].name, self.errors).add(
                    0, "file", f"both {names} exist; keep the one that is current"
                )
            self.tables[entity] = read_table(
                paths[0], spec, ErrorLog(paths[0].name, self.errors), self._row_read
            )
        for entity in ("organization", "service"):
            table = self.tables[entity]
            if not table.present:
                ErrorLog(table.file, self.errors).add(0, "file", "missing from the folder")
                table.usable = False

    def _row_read(self) -> None:
        self.rows_read += 1
        if self.progress is not None:
            self.progress(self.rows_read)

    def rows(self, entity: str) -> list[Record]:
        return list(self.tables[entity].rows.values())

    def link(self, record: Record, column: str, entity: str) -> Record | None:
        """Follow a foreign key, reporting it when it names an id the table lacks."""
        value = record.text(column)
        table = self.tables[entity]
        if not value or not table.usable:
            return None
        target = table.rows.get(value)
        if target is None:
            record.report(column, f"no {SPECS_BY_ENTITY[entity].noun} with id {value!r}")
        return target


def read_oruk_csv(folder: Path, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import a folder of Open Referral UK (HSDS 3.0) CSV tables.

    Args:
        folder: The folder holding ``services.csv``, ``organizations.csv`` and the rest.
        progress: Called with the running count of data rows read, for a progress bar.

    Returns:
        The catalogue and every rejected row; ``ok`` is False if any row was rejected.
    """
    tables = _Folder(folder, progress)
    catalogue = Catalogue()
    phones = _phones(tables)
    terms = _terms(tables)

    for record in tables.rows("organization"):
        phone = next(iter(phones[("organization_id", record.text("id"))]), None)
        organisation = entities.organisation_from(record, phone)
        if organisation is not None:
            catalogue.organisations[organisation.source_id] = organisation

    _read_venues(tables, catalogue, terms)

    drafts: dict[str, ServiceDraft] = {}
    for record in tables.rows("service"):
        tables.link(record, "organization_id", "organization")
        draft = entities.service_draft_from(record, record.text("organization_id") or None)
        if draft is not None:
            draft.terms.extend(terms[record.text("id")])
            draft.phones.extend(phones[("service_id", draft.source_id)])
            drafts[draft.source_id] = draft

    _attach_linked_rows(tables, catalogue, drafts, phones)
    for draft in drafts.values():
        catalogue.activities[draft.source_id] = draft.to_activity()
    # Links are checked table by table, so put the errors back in file and line order.
    errors = sorted(tables.errors, key=lambda error: (error.file, error.line))
    return ImportResult(catalogue=catalogue, errors=errors, rows_read=tables.rows_read)


def _phones(tables: _Folder) -> defaultdict[tuple[str, str], list[str]]:
    """Index phone numbers by what they belong to: ``("service_id", "svc-1")`` → numbers."""
    phones: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for record in tables.rows("phone"):
        number = record.text("number", required=True).strip('"')
        for column, entity in (
            ("service_id", "service"),
            ("organization_id", "organization"),
            ("location_id", "location"),
            ("contact_id", "contact"),
        ):
            if tables.link(record, column, entity) is not None and number:
                phones[(column, record.text(column))].append(number)
    return phones


def _terms(tables: _Folder) -> defaultdict[str, list[str]]:
    """Index taxonomy term names by the id of the service or location they describe."""
    for record in tables.rows("taxonomy_term"):
        if tables.tables["taxonomy"].present:
            tables.link(record, "taxonomy_id", "taxonomy")
    all_ids = {source_id for table in tables.tables.values() for source_id in table.rows}
    terms: defaultdict[str, list[str]] = defaultdict(list)
    for record in tables.rows("attribute"):
        term = tables.link(record, "taxonomy_term_id", "taxonomy_term")
        entity = record.text("link_entity").lower()
        link_id = record.text("link_id")
        if entity in _LINKABLE:
            tables.link(record, "link_id", entity)
        elif not entity and link_id not in all_ids:
            record.report("link_id", f"no record with id {link_id!r}")
        if term is not None:
            terms[link_id].append(term.text("name"))
    return terms


def _read_venues(tables: _Folder, catalogue: Catalogue, terms: defaultdict[str, list[str]]) -> None:
    addresses: defaultdict[str, list[Record]] = defaultdict(list)
    for record in tables.rows("address"):
        if tables.link(record, "location_id", "location") is not None:
            addresses[record.text("location_id")].append(record)
    access: defaultdict[str, list[str]] = defaultdict(list)
    for record in tables.rows("accessibility"):
        if tables.link(record, "location_id", "location") is not None:
            access[record.text("location_id")].append(entities.accessibility_text(record))
    for record in tables.rows("location"):
        source_id = record.text("id")
        venue = entities.venue_from(
            record, addresses[source_id], [*access[source_id], *terms[source_id]]
        )
        if venue is not None:
            catalogue.venues[venue.source_id] = venue


def _attach_linked_rows(
    tables: _Folder,
    catalogue: Catalogue,
    drafts: dict[str, ServiceDraft],
    phones: defaultdict[tuple[str, str], list[str]],
) -> None:
    for record in tables.rows("service_at_location"):
        service = tables.link(record, "service_id", "service")
        tables.link(record, "location_id", "location")
        draft = drafts.get(record.text("service_id")) if service is not None else None
        location_id = record.text("location_id")
        # The first listed location is where the activity is shown to meet.
        if draft is not None and draft.venue_id is None and location_id in catalogue.venues:
            draft.venue_id = location_id

    for record in tables.rows("schedule"):
        owner = _schedule_owner(tables, record)
        schedule = entities.schedule_from(record)
        if schedule is not None and owner in drafts:
            drafts[owner].schedules.append(schedule)

    for record in tables.rows("cost_option"):
        tables.link(record, "service_id", "service")
        option = entities.cost_option_from(record)
        if option is not None and record.text("service_id") in drafts:
            drafts[record.text("service_id")].costs.append(option)

    for record in tables.rows("contact"):
        tables.link(record, "organization_id", "organization")
        if tables.link(record, "service_id", "service") is None:
            continue
        text = entities.contact_text(record, phones[("contact_id", record.text("id"))])
        if text and record.text("service_id") in drafts:
            drafts[record.text("service_id")].contacts.append(text)


def _schedule_owner(tables: _Folder, record: Record) -> str | None:
    """Find the service a schedule row belongs to, directly or through a service_at_location."""
    service = tables.link(record, "service_id", "service")
    at_location = tables.link(record, "service_at_location_id", "service_at_location")
    tables.link(record, "location_id", "location")
    if service is not None and at_location is not None:
        other = at_location.text("service_id")
        if other != record.text("service_id"):
            record.report(
                "service_at_location_id",
                f"belongs to service {other!r}, not {record.text('service_id')!r}",
            )
    if service is not None:
        return record.text("service_id")
    if at_location is not None:
        return at_location.text("service_id")
    if not any(
        record.text(column) for column in ("service_id", "service_at_location_id", "location_id")
    ):
        record.report(
            "service_id", "missing; a schedule belongs to a service or a service_at_location"
        )
    return None
