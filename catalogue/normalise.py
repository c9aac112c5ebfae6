"""Turning a directory's free text into Chorus's tags: access, audience, categories, cost.

Open Referral UK publishers describe the same things in many ways ("induction loop", "hearing
loop fitted", "Free for carers"). This module reads those words with the phrase tables that
search uses (:mod:`catalogue.vocabulary`), so an imported venue tagged ``hearing_loop`` is the
same thing a participant gets when they ask for "a hearing loop".

Negation is handled per clause: "There is no hearing loop" or "Wheelchair access is not
possible" give no tag. A clause is a stretch of text between ``. ; : ! ?``, new lines and
"but"/"however", so "step-free entrance, but no hearing loop" still finds ``step_free``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalogue.vocabulary import ACCESS_PHRASES, AUDIENCE_PHRASES

_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|\bbut\b|\bhowever\b")
_NEGATION = re.compile(r"\b(no|not|without|cannot|unfortunately|unsuitable|isnt|arent)\b|n't\b")
_FREE = re.compile(r"\bfree\b", re.IGNORECASE)
_PRICE = re.compile(r"[£$€]\s*\d|\d\s*(p|pence|pounds?)\b", re.IGNORECASE)
_BOOKING = re.compile(
    r"\b(booking|book)\s+(is\s+)?(essential|required|needed)\b|\bplease\s+book\b"
    r"|\bmust\s+(be\s+)?book(ed)?\b|\bbook(ing)?\s+in\s+advance\b|\bpre-?book",
)
_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}

# Youngest age at which a minimum age says "this is for older people", and oldest at which a
# maximum age says "this is for young people". Matches the wording of the audience tags.
OLDER_PEOPLE_MIN_AGE = 60
YOUNG_PEOPLE_MAX_AGE = 25


def _phrase_patterns(phrases: Mapping[str, str]) -> list[tuple[re.Pattern[str], str]]:
    # Whole words only, so "carers" never matches inside "scarers" and "teens" not in "canteens";
    # a plural "s" is allowed because directories write "induction loops" as often as not.
    return [
        (re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}s?(?![a-z0-9])"), tag)
        for phrase, tag in sorted(phrases.items(), key=lambda item: -len(item[0]))
    ]


_ACCESS_PATTERNS = _phrase_patterns(ACCESS_PHRASES)
_AUDIENCE_PATTERNS = _phrase_patterns(AUDIENCE_PHRASES)


def _tags_in(texts: Iterable[str], patterns: list[tuple[re.Pattern[str], str]]) -> set[str]:
    tags: set[str] = set()
    for text in texts:
        for clause in _CLAUSE_BREAK.split(text.lower()):
            for pattern, tag in patterns:
                match = pattern.search(clause)
                # The phrase itself may carry a "no" ("no steps"), so look for negation in the
                # rest of the clause only.
                if match and not _NEGATION.search(clause[: match.start()] + clause[match.end() :]):
                    tags.add(tag)
    return tags


def accessibility_tags(texts: Iterable[str]) -> frozenset[str]:
    """Find venue access tags such as ``wheelchair`` or ``hearing_loop`` in free text.

    Args:
        texts: Descriptions, details and accessibility notes for one venue.

    Returns:
        The tags whose phrases appear in a clause that does not negate them.
    """
    return frozenset(_tags_in(texts, _ACCESS_PATTERNS))


def audience_tags(
    texts: Iterable[str], minimum_age: int | None = None, maximum_age: int | None = None
) -> frozenset[str]:
    """Find who an activity is for (``dementia_friendly``, ``over_60s``…) in text and ages.

    Args:
        texts: Taxonomy term names, the title, description and eligibility wording.
        minimum_age: The service's minimum age, if it states one.
        maximum_age: The service's maximum age, if it states one.

    Returns:
        The audience tags found.
    """
    tags = _tags_in(texts, _AUDIENCE_PATTERNS)
    if minimum_age is not None and minimum_age >= OLDER_PEOPLE_MIN_AGE:
        tags.add("over_60s")
    if maximum_age is not None and maximum_age <= YOUNG_PEOPLE_MAX_AGE:
        tags.add("young_people")
    return frozenset(tags)


def split_terms(term_names: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Sort taxonomy term names into categories and audience tags.

    A term that names an audience ("Dementia friendly", "Older people") becomes an audience tag
    rather than a category, so "dementia friendly" is never offered as a kind of activity.

    Args:
        term_names: Term names as published.

    Returns:
        ``(categories, audience)``: categories lower-cased with single spaces.
    """
    categories: set[str] = set()
    audience: set[str] = set()
    for name in term_names:
        key = " ".join(name.lower().split())
        if not key:
            continue
        if key in AUDIENCE_PHRASES:
            audience.add(AUDIENCE_PHRASES[key])
        else:
            categories.add(key)
    return frozenset(categories), frozenset(audience)


def booking_required(texts: Iterable[str]) -> bool:
    """Tell whether the wording says people must book ("Booking essential", "Please book").

    Args:
        texts: Descriptions, fees wording and schedule notes.

    Returns:
        True when a clause asks for booking and does not negate it ("no need to book").
    """
    for text in texts:
        for clause in _CLAUSE_BREAK.split(text.lower()):
            match = _BOOKING.search(clause)
            if match and not _NEGATION.search(clause[: match.start()] + clause[match.end() :]):
                return True
    return False


@dataclass(frozen=True, slots=True)
class CostOption:
    """One HSDS cost option: who it applies to, how much, in what currency, per what."""

    option: str = ""
    amount: Decimal | None = None
    currency: str = ""
    amount_description: str = ""

    @property
    def is_free(self) -> bool:
        """Free when the amount is zero, or the wording says free and names no other amount."""
        if self.amount is not None:
            return self.amount == 0
        return bool(_FREE.search(f"{self.option} {self.amount_description}"))

    def describe(self) -> str:
        """Render as one phrase: "Under 18s: £3.50 per session", "Free"."""
        price = "Free" if self.is_free else format_amount(self.amount, self.currency)
        label = self.option.strip()
        if self.is_free and _FREE.search(label):
            price = ""  # "Carers go free" says it already; "Carers go free: Free" would stutter.
        piece = f"{label}: {price}" if label and price else (label or price)
        return " ".join(part for part in (piece, self.amount_description.strip()) if part)


def format_amount(amount: Decimal | None, currency: str = "") -> str:
    """Format a price the British way: ``£3``, ``£3.50``; unknown currencies after the number.

    A blank currency is taken as pounds, since Open Referral UK directories price in sterling.
    """
    if amount is None:
        return ""
    number = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    code = currency.strip().upper() or "GBP"
    symbol = _CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}"


def describe_cost(options: Sequence[CostOption], fees: str = "") -> tuple[str, bool]:
    """Summarise what an activity costs for people, and whether it is free for everyone.

    Args:
        options: The service's cost options, in published order.
        fees: The service's fees wording, used when there are no cost options.

    Returns:
        ``(cost, is_free)``. ``is_free`` is True only when every option is free, or, with no
        options, when the fees wording says free and names no price: "£3, carers free" is not
        free for the person being referred.
    """
    if options:
        return "; ".join(option.describe() for option in options), all(
            option.is_free for option in options
        )
    wording = " ".join(fees.split())
    return wording, bool(_FREE.search(wording)) and not _PRICE.search(wording)
