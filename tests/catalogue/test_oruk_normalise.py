"""Tags and cost wording from Open Referral UK free text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalogue.normalise import (
    CostOption,
    accessibility_tags,
    audience_tags,
    booking_required,
    describe_cost,
    format_amount,
    split_terms,
)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("The building has induction loops and wheelchair access.", {"hearing_loop", "wheelchair"}),
        ("Step-free entrance, but no hearing loop.", {"step_free"}),
        ("There is no wheelchair access.", set()),
        ("Wheelchair access is not possible on the upper floor.", set()),
        ("No steps at the front door; car park behind the hall.", {"step_free", "parking"}),
        ("Accessible toilets on every floor", {"accessible_toilet"}),
        ("Parkingham Road", set()),
        ("", set()),
    ],
)
def test_accessibility_tags(text: str, tags: set[str]) -> None:
    assert accessibility_tags([text]) == tags


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        (
            "For people living with dementia and their carers.",
            {"dementia_friendly", "carers_welcome"},
        ),
        ("A group for older people", {"over_60s"}),
        ("Not suitable for children.", set()),
        ("Young people aged 14 to 19", {"young_people"}),
        ("Our canteens serve tea", set()),
    ],
)
def test_audience_tags_from_text(text: str, tags: set[str]) -> None:
    assert audience_tags([text]) == tags


def test_audience_tags_from_ages() -> None:
    assert audience_tags([], minimum_age=60) == {"over_60s"}
    assert audience_tags([], minimum_age=59) == set()
    assert audience_tags([], maximum_age=25) == {"young_people"}
    assert audience_tags([], minimum_age=12, maximum_age=100) == set()


def test_split_terms() -> None:
    categories, audience = split_terms(["Singing", "  Sea   Shanties ", "Dementia friendly", ""])
    assert categories == {"singing", "sea shanties"}
    assert audience == {"dementia_friendly"}


@pytest.mark.parametrize(
    ("text", "required"),
    [
        ("Booking essential.", True),
        ("Please book via the website", True),
        ("Places must be booked in advance", True),
        ("No booking required, just turn up.", False),
        ("No need to book", False),
        ("Booking is not required", False),
        ("Just drop in", False),
    ],
)
def test_booking_required(text: str, required: bool) -> None:
    assert booking_required([text]) is required


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("3"), "GBP", "£3"),
        (Decimal("3.5"), "", "£3.50"),
        (Decimal("35.00"), "gbp", "£35"),
        (Decimal("4"), "EUR", "€4"),
        (Decimal("12"), "CHF", "12 CHF"),
        (None, "GBP", ""),
    ],
)
def test_format_amount(amount: Decimal | None, currency: str, text: str) -> None:
    assert format_amount(amount, currency) == text


def test_cost_option_freedom() -> None:
    assert CostOption(amount=Decimal(0)).is_free
    assert CostOption(option="Free taster").is_free
    assert not CostOption(option="Free parking nearby", amount=Decimal(5)).is_free
    assert not CostOption(option="Adults").is_free


def test_describe_cost_from_options() -> None:
    options = [
        CostOption(option="Adults", amount=Decimal("4"), amount_description="per session"),
        CostOption(option="Carers go free"),
    ]
    assert describe_cost(options) == ("Adults: £4 per session; Carers go free", False)
    assert describe_cost([CostOption(amount=Decimal(0))]) == ("Free", True)


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        ("Free", ("Free", True)),
        ("£3, carers free", ("£3, carers free", False)),
        ("Free  for everyone", ("Free for everyone", True)),
        ("50p for tea", ("50p for tea", False)),
        ("", ("", False)),
    ],
)
def test_describe_cost_from_fees(fees: str, expected: tuple[str, bool]) -> None:
    assert describe_cost([], fees) == expected
