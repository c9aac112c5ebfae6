"""Importing nested Open Referral UK JSON: ``service_full`` documents and their relatives.

A file holds one document or a list of them (a paged API response's ``contents`` list works
too). Three shapes are understood, told apart by their keys:

* ``service_full``: a service with its ``organization``, ``schedules``,
  ``service_at_locations`` → ``location`` → ``addresses``/``accessibility``, ``cost_options``,
  ``attributes`` → ``taxonomy_term``, ``contacts`` → ``phones``;
* ``organization_full``: an organisation with a ``services`` list of the above;
* ``service_at_location_full``: a ``service`` and a ``location`` side by side.

Optional nesting may be left out; required fields (ids, names, a service's status) may not.
Errors give the 1-based document number as the line and a JSON path as the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from catalogue.model import Catalogue, ImportResult, RowError
from catalogue.oruk import entities
from catalogue.oruk.entities import ServiceDraft
from catalogue.oruk.record import ErrorLog, Record


class _Documents:
    """What has been read from the documents so far."""

    def __init__(self, log: ErrorLog) -> None:
        self.log = log
        self.catalogue = Catalogue()
        self.drafts: dict[str, ServiceDraft] = {}
        self.service_documents: dict[str, int] = {}
        self.organisation_links: list[Record] = []

    def read(self, document: Record) -> None:
        if isinstance(document.values.get("service"), dict) and "location" in document.values:
            service = document.child("service")
            if service is not None:
                self.service(service, None, extra_locations=[document])
        elif isinstance(document.values.get("services"), list) and "status" not in document.values:
            # Services take the document's id even if the organisation itself was rejected:
            # its own error says what is wrong, and repeating it per service would not help.
            organisation_id = self.organisation(document) or document.text("id") or None
            for service in document.children("services"):
                self.service(service, organisation_id)
        else:
            self.service(document, None)

    def organisation(self, record: Record) -> str | None:
        source_id = record.text("id")
        if source_id in self.catalogue.organisations:
            return source_id
        phones = [phone.text("number") for phone in record.children("phones")]
        organisation = entities.organisation_from(record, next(iter(phones), None))
        if organisation is None:
            return None
        self.catalogue.organisations[source_id] = organisation
        return source_id

    def venue(self, location: Record) -> str | None:
        source_id = location.text("id")
        if source_id in self.catalogue.venues:
            return source_id
        addresses = location.children("addresses") or location.children("physical_addresses")
        access = [entities.accessibility_text(item) for item in location.children("accessibility")]
        venue = entities.venue_from(location, addresses, [*access, *_term_names(location)])
        if venue is None:
            return None
        self.catalogue.venues[source_id] = venue
        return source_id

    def service(
        self, record: Record, organisation_id: str | None, extra_locations: Sequence[Record] = ()
    ) -> None:
        source_id = record.text("id")
        first = self.service_documents.get(source_id)
        if source_id and first is not None:
            record.report("id", f"duplicate service id {source_id!r} (first in document {first})")
            return
        if source_id:
            self.service_documents[source_id] = record.line
        draft = entities.service_draft_from(
            record, self.service_organisation(record, organisation_id)
        )
        # Read every nested part even when the service itself is bad, so that one pass
        # reports all of a document's problems.
        schedules = record.children("schedules")
        venue_ids = []
        for at_location in [*record.children("service_at_locations"), *extra_locations]:
            location = at_location.child("location")
            venue_ids.append(self.venue(location) if location is not None else None)
            schedules.extend(at_location.children("schedules"))
        parsed = [entities.schedule_from(schedule) for schedule in schedules]
        costs = [entities.cost_option_from(cost) for cost in record.children("cost_options")]
        contacts = [
            entities.contact_text(contact, [p.text("number") for p in contact.children("phones")])
            for contact in record.children("contacts")
        ]
        phones = [phone.text("number") for phone in record.children("phones")]
        terms = _term_names(record)
        if draft is None:
            return
        draft.venue_id = next((venue_id for venue_id in venue_ids if venue_id), None)
        draft.schedules.extend(schedule for schedule in parsed if schedule is not None)
        draft.costs.extend(cost for cost in costs if cost is not None)
        draft.contacts.extend(contact for contact in contacts if contact)
        draft.phones.extend(phone for phone in phones if phone)
        draft.terms.extend(terms)
        self.drafts[draft.source_id] = draft

    def service_organisation(self, record: Record, parent_id: str | None) -> str | None:
        """Find a service's organisation: nested, named by id, or the enclosing document's."""
        organisation = record.child("organization")
        if organisation is not None:
            return self.organisation(organisation) or organisation.text("id")
        if record.text("organization_id"):
            # The organisation may come in a later document, so check once all are read.
            self.organisation_links.append(record)
            return record.text("organization_id")
        if parent_id is None:
            record.report("organization", "missing; give the organization or an organization_id")
        return parent_id

    def check_organisation_links(self) -> None:
        for record in self.organisation_links:
            organisation_id = record.text("organization_id")
            if organisation_id not in self.catalogue.organisations:
                record.report(
                    "organization_id", f"no organisation with id {organisation_id!r} in the file"
                )


def _term_names(record: Record) -> list[str]:
    names = []
    for attribute in record.children("attributes"):
        term = attribute.child("taxonomy_term")
        if term is None:
            attribute.report("taxonomy_term", "missing")
        else:
            names.append(term.text("name", required=True))
    return names


def read_oruk_json(path: Path, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import an Open Referral UK JSON file of one or more nested documents.

    Args:
        path: The JSON file (UTF-8, with or without a byte-order mark).
        progress: Called with the running count of documents read, for a progress bar.

    Returns:
        The catalogue and every problem found; ``ok`` is False if there was any.
    """
    errors: list[RowError] = []
    log = ErrorLog(path.name, errors)
    documents = _Documents(log)
    try:
        data: object = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        log.add(1, "json", "not UTF-8 text")
        return ImportResult(catalogue=documents.catalogue, errors=errors)
    except json.JSONDecodeError as error:
        log.add(error.lineno, "json", f"malformed JSON: {error.msg} (column {error.colno})")
        return ImportResult(catalogue=documents.catalogue, errors=errors)
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            documents.read(Record(item, log, number))
        else:
            log.add(number, "document", f"expected an object, not {type(item).__name__}")
        if progress is not None:
            progress(number)
    documents.check_organisation_links()
    errors.sort(key=lambda error: error.line)
    for draft in documents.drafts.values():
        documents.catalogue.activities[draft.source_id] = draft.to_activity()
    return ImportResult(catalogue=documents.catalogue, errors=errors, rows_read=len(items))
