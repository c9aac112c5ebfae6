"""From Open Referral UK records to catalogue entities, the same for CSV and nested JSON.

The readers find and link the records (by foreign key in CSV, by nesting in JSON); everything
about what a column *means* for Chorus lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from catalogue.model import DEFAULT_TIMEZONE, Activity, Organisation, Schedule, Status, Venue
from catalogue.normalise import (
    CostOption,
    accessibility_tags,
    audience_tags,
    booking_required,
    describe_cost,
    split_terms,
)
from catalogue.oruk import fields
from catalogue.oruk.record import Record
from catalogue.schedule import schedule_problems

# Address types in the order Chorus prefers them for telling someone where to go.
_ADDRESS_PREFERENCE = ("physical", "", "postal", "virtual")


def organisation_from(record: Record, phone: str | None = None) -> Organisation | None:
    """Build an organisation from an HSDS organization record, or None if it is unusable."""
    source_id = record.text("id", required=True)
    name = record.text("name", required=True)
    if not record.ok:
        return None
    return Organisation(
        source_id=source_id,
        name=name,
        description=record.text("description"),
        website=record.text("website") or record.text("url") or None,
        email=record.text("email") or None,
        phone=phone,
    )


def schedule_from(record: Record) -> Schedule | None:
    """Build a schedule from an HSDS schedule record, checking that it can be expanded.

    ``wkst`` is not read: Chorus counts weeks from Monday, as UK calendars do. ``byweekno`` and
    ``byyearday`` are refused rather than ignored, because dropping them would change which
    days the schedule means.
    """
    freq = record.parse("freq", fields.parse_frequency, required=True)
    interval = record.parse("interval", fields.parse_positive) or 1
    byday = record.parse("byday", fields.parse_byday) or ()
    bymonthday = record.parse("bymonthday", fields.parse_monthdays) or ()
    opens_at = record.parse("opens_at", fields.parse_time)
    closes_at = record.parse("closes_at", fields.parse_time)
    valid_from = record.parse("valid_from", fields.parse_date)
    valid_to = record.parse("valid_to", fields.parse_date)
    dtstart = record.parse("dtstart", fields.parse_date)
    until = record.parse("until", fields.parse_date)
    count = record.parse("count", fields.parse_positive)
    timezone = record.parse("timezone", fields.parse_timezone)
    for unsupported in ("byweekno", "byyearday"):
        if record.text(unsupported):
            record.report(unsupported, "not supported by Chorus; use byday or bymonthday")
    if freq is None or not record.ok:
        return None
    schedule = Schedule(
        freq=freq,
        interval=interval,
        byday=byday,
        bymonthday=bymonthday,
        opens_at=opens_at,
        closes_at=closes_at,
        valid_from=valid_from,
        valid_to=valid_to,
        dtstart=dtstart,
        until=until,
        count=count,
        description=" ".join(
            part for part in (record.text("description"), record.text("notes")) if part
        ),
        source_id=record.text("id"),
        timezone=timezone or DEFAULT_TIMEZONE,
    )
    for name, problem in schedule_problems(schedule):
        record.report(name, problem)
    return schedule if record.ok else None


def cost_option_from(record: Record) -> CostOption | None:
    """Build a cost option from an HSDS cost_option record."""
    amount = record.parse("amount", fields.parse_amount)
    if not record.ok:
        return None
    return CostOption(
        option=record.text("option"),
        amount=amount,
        currency=record.text("currency"),
        amount_description=record.text("amount_description"),
    )


def address_rank(record: Record) -> int:
    """Order addresses so the physical one comes first."""
    kind = record.text("address_type").lower()
    return (
        _ADDRESS_PREFERENCE.index(kind) if kind in _ADDRESS_PREFERENCE else len(_ADDRESS_PREFERENCE)
    )


def accessibility_text(record: Record) -> str:
    """Join the wording of an HSDS accessibility record for tagging."""
    return ". ".join(
        record.text(name)
        for name in ("description", "details", "accessibility")
        if record.text(name)
    )


def venue_from(
    location: Record, addresses: Sequence[Record], access_texts: Sequence[str]
) -> Venue | None:
    """Build a venue from a location, its addresses (best first) and its access wording."""
    source_id = location.text("id", required=True)
    latitude = location.parse("latitude", fields.parse_latitude)
    longitude = location.parse("longitude", fields.parse_longitude)
    if (latitude is None) != (longitude is None) and location.ok:
        location.report(
            "longitude" if longitude is None else "latitude", "missing; give both or neither"
        )
    if not location.ok:
        return None
    address = min(addresses, key=address_rank) if addresses else None
    street = ""
    if address is not None:
        street = ", ".join(
            part for part in (address.text("address_1"), address.text("address_2")) if part
        )
    name = location.text("name") or street or source_id
    description = location.text("description")
    return Venue(
        source_id=source_id,
        name=name,
        address=street,
        town=address.text("city") if address is not None else "",
        postcode=address.text("postal_code").upper() if address is not None else "",
        latitude=latitude,
        longitude=longitude,
        accessibility=accessibility_tags([*access_texts, description]),
    )


@dataclass(slots=True)
class ServiceDraft:
    """A service read so far; the readers add linked records before it becomes an activity."""

    source_id: str
    title: str
    status: Status
    organisation_id: str | None
    description: str = ""
    url: str | None = None
    email: str = ""
    fees: str = ""
    eligibility: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    venue_id: str | None = None
    schedules: list[Schedule] = field(default_factory=list)
    costs: list[CostOption] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    def to_activity(self) -> Activity:
        """Turn the draft into an immutable activity with normalised tags."""
        categories, term_audience = split_terms(self.terms)
        texts = [self.title, self.description, self.eligibility]
        cost, is_free = describe_cost(self.costs, self.fees)
        schedule_notes = [schedule.description for schedule in self.schedules]
        contact_parts = [*self.contacts, *self.phones]
        if self.email and not any(self.email in part for part in contact_parts):
            contact_parts.append(self.email)
        return Activity(
            source_id=self.source_id,
            title=self.title,
            description=self.description,
            organisation_id=self.organisation_id,
            venue_id=self.venue_id,
            categories=categories,
            audience=term_audience | audience_tags(texts, self.minimum_age, self.maximum_age),
            cost=cost,
            is_free=is_free,
            booking_required=booking_required([*texts, self.fees, *schedule_notes]),
            contact="; ".join(dict.fromkeys(contact_parts)),
            url=self.url,
            status=self.status,
            schedules=tuple(self.schedules),
        )


def service_draft_from(record: Record, organisation_id: str | None) -> ServiceDraft | None:
    """Read a service's own fields; None when a required one is missing or bad."""
    source_id = record.text("id", required=True)
    title = record.text("name", required=True)
    status = record.parse("status", fields.parse_status, required=True)
    minimum_age = record.parse("minimum_age", fields.parse_whole)
    maximum_age = record.parse("maximum_age", fields.parse_whole)
    if status is None or not record.ok:
        return None
    return ServiceDraft(
        source_id=source_id,
        title=title,
        status=status,
        organisation_id=organisation_id,
        description=record.text("description"),
        url=record.text("url") or None,
        email=record.text("email"),
        fees=record.text("fees_description") or record.text("fees"),
        eligibility=record.text("eligibility_description"),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
    )


def contact_text(record: Record, phones: Sequence[str] = ()) -> str:
    """Render a contact as "Ann Persona (Reception Manager), email, phone"."""
    name, title = record.text("name"), record.text("title")
    who = f"{name} ({title})" if name and title else name or title
    return ", ".join(part for part in (who, record.text("email"), *phones) if part)
