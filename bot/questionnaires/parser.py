"""Turns a questionnaire YAML document into a checked `Questionnaire`.

The data files are edited by people, so every field is read with its type checked and every
cross-reference (summary items, measure ids, bands, conversion rows, risk limits, button and
question lengths) is checked here, once, at load time. A mistake stops loading with a
`DefinitionError` naming the file and the field rather than producing a wrong score later.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import yaml

from bot.questionnaires.bands import Band, check_band_coverage
from bot.questionnaires.errors import DefinitionError
from bot.questionnaires.fields import Fields
from bot.questionnaires.model import (
    Direction,
    Item,
    Measure,
    Option,
    Questionnaire,
    RiskThreshold,
    StatisticalScale,
    Summary,
    SummaryMethod,
    possible_totals,
)

# A phone shows about 20 characters on a button in a two-column keyboard before Telegram
# truncates it with an ellipsis; longer labels lose the words that distinguish them.
MAX_BUTTON_LABEL = 20
# One question per message; keep it readable at a glance on a small screen.
MAX_QUESTION_TEXT = 200


_ITEM_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
_MEASURE_FIELDS = ("label", "meaningful_change", "meaningful_change_basis", "bands")
_ROOT_FIELDS = (
    "key",
    "order",
    "title",
    "intro",
    "statistical_scale",
    "licence_required",
    "licence_note",
    "source",
    "items",
    "summary",
)


def parse_questionnaire(document: str, source_name: str) -> Questionnaire:
    """Parses and checks one questionnaire from YAML text.

    Args:
        document: the YAML text.
        source_name: the file name, used in error messages.

    Returns:
        The checked questionnaire.

    Raises:
        DefinitionError: the YAML is malformed or the definition is inconsistent.
    """
    try:
        data = yaml.safe_load(document)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{source_name}: not valid YAML: {error}") from error
    root = Fields(data, source_name)
    root.only(*_ROOT_FIELDS)
    items = tuple(_item(fields) for fields in root.children("items"))
    _require_unique([item.id for item in items], f"{source_name}: item ids")
    measures = _item_measures(root, items)
    summary: Summary | None = None
    if root.has("summary"):
        summary, summary_measure = _summary(root.child("summary"), items)
        measures.append(summary_measure)
    questionnaire = Questionnaire(
        key=root.text("key"),
        title=root.text("title"),
        intro=root.text("intro"),
        order=root.integer("order"),
        statistical_scale=root.choice("statistical_scale", StatisticalScale),
        licence_required=root.flag("licence_required", False),
        licence_note=root.optional_text("licence_note"),
        source=root.text("source"),
        items=items,
        measures=tuple(measures),
        summary=summary,
    )
    if questionnaire.licence_required and questionnaire.licence_note is None:
        raise DefinitionError(f"{source_name}: a licensed questionnaire needs a licence_note")
    for measure in questionnaire.measures:
        where = f"{source_name}: measure {measure.id!r}"
        check_band_coverage(questionnaire.possible_values(measure.id), measure.bands, where)
    return questionnaire


def _item(fields: Fields) -> Item:
    fields.only("id", "text", "hint", "options", "direction", "reverse_scored", "risk", "measure")
    options = tuple(_option(option) for option in fields.children("options"))
    _require_unique([o.value for o in options], f"{fields.where}: option values")
    _require_unique([o.label for o in options], f"{fields.where}: option labels")
    item_id = fields.text("id")
    # Item ids travel in callback data (at most 64 bytes with the check-in id and value).
    if not _ITEM_ID_PATTERN.match(item_id):
        raise DefinitionError(f"{fields.where}.id: {item_id!r} is not 1-24 of a-z, 0-9, _")
    risk: RiskThreshold | None = None
    if fields.has("risk"):
        risk = _risk(fields.child("risk"), item_id, options)
    return Item(
        id=item_id,
        text=fields.text("text", limit=MAX_QUESTION_TEXT),
        hint=fields.optional_text("hint", limit=MAX_QUESTION_TEXT),
        options=options,
        direction=fields.choice("direction", Direction),
        reverse_scored=fields.flag("reverse_scored", False),
        risk=risk,
    )


def _option(fields: Fields) -> Option:
    fields.only("value", "label")
    return Option(value=fields.integer("value"), label=fields.text("label", limit=MAX_BUTTON_LABEL))


def _risk(fields: Fields, item_id: str, options: tuple[Option, ...]) -> RiskThreshold:
    fields.only("at_most", "at_least")
    at_most = fields.integer("at_most") if fields.has("at_most") else None
    at_least = fields.integer("at_least") if fields.has("at_least") else None
    try:
        threshold = RiskThreshold(item_id=item_id, at_most=at_most, at_least=at_least)
    except ValueError as error:
        raise DefinitionError(f"{fields.where}: {error}") from None
    # A limit no answer can cross would silently switch the safeguard off.
    if not any(threshold.crossed(option.value) for option in options):
        raise DefinitionError(f"{fields.where}: no answer can cross this threshold")
    return threshold


def _item_measures(root: Fields, items: tuple[Item, ...]) -> list[Measure]:
    measures = []
    for item, fields in zip(items, root.children("items"), strict=True):
        if fields.has("measure"):
            # An item's measure shares the item's direction, so it may not declare another.
            measure_fields = fields.child("measure")
            measure_fields.only(*_MEASURE_FIELDS)
            measures.append(_measure(measure_fields, item.id, item.direction))
    return measures


def _bands(fields: Fields) -> tuple[Band, ...]:
    if not fields.has("bands"):
        return ()
    return tuple(_band(band) for band in fields.children("bands"))


def _band(fields: Fields) -> Band:
    fields.only("id", "label", "min", "max")
    return Band(
        id=fields.text("id"),
        label=fields.text("label"),
        minimum=fields.number("min"),
        maximum=fields.number("max"),
    )


def _measure(fields: Fields, measure_id: str, direction: Direction) -> Measure:
    change = fields.number("meaningful_change")
    if change <= 0:
        raise DefinitionError(f"{fields.where}.meaningful_change: must be above zero")
    return Measure(
        id=measure_id,
        label=fields.text("label"),
        direction=direction,
        meaningful_change=change,
        meaningful_change_basis=fields.text("meaningful_change_basis"),
        bands=_bands(fields),
    )


def _summary(fields: Fields, items: tuple[Item, ...]) -> tuple[Summary, Measure]:
    fields.only("measure_id", "method", "items", "min_answered", "measure", "conversion")
    measure_id = fields.text("measure_id")
    # Item ids name item measures, so a summary sharing one would be read as that item.
    if measure_id in {item.id for item in items}:
        raise DefinitionError(f"{fields.where}.measure_id: {measure_id!r} is already an item id")
    measure_fields = fields.child("measure")
    measure_fields.only(*_MEASURE_FIELDS, "direction")
    measure = _measure(measure_fields, measure_id, measure_fields.choice("direction", Direction))
    method = fields.choice("method", SummaryMethod)
    raw_ids = fields.raw("items")
    if not isinstance(raw_ids, list) or not all(isinstance(i, str) for i in raw_ids) or not raw_ids:
        raise DefinitionError(f"{fields.where}.items: expected a list of item ids")
    item_ids = tuple(str(i) for i in raw_ids)
    _require_unique(list(item_ids), f"{fields.where}.items")
    unknown = sorted(set(item_ids) - {item.id for item in items})
    if unknown:
        raise DefinitionError(f"{fields.where}.items: unknown items {unknown}")
    min_answered = fields.integer("min_answered") if fields.has("min_answered") else len(item_ids)
    # A skipped item is not a zero, and no published rule pro-rates these sums.
    if method is not SummaryMethod.MEAN and min_answered != len(item_ids):
        raise DefinitionError(f"{fields.where}.min_answered: sums need every item answered")
    if not 1 <= min_answered <= len(item_ids):
        raise DefinitionError(f"{fields.where}.min_answered: must be 1 to {len(item_ids)}")
    conversion: tuple[tuple[int, float], ...] = ()
    if method is SummaryMethod.CONVERSION:
        by_id = {item.id: item for item in items}
        conversion = _conversion(fields, possible_totals(by_id[i] for i in item_ids))
    summary = Summary(
        measure_id=measure_id,
        method=method,
        item_ids=item_ids,
        min_answered=min_answered,
        conversion=conversion,
    )
    return summary, measure


def _conversion(fields: Fields, totals: tuple[int, ...]) -> tuple[tuple[int, float], ...]:
    rows = fields.children("conversion")
    for row in rows:
        row.only("raw", "score")
    table = tuple(sorted((row.integer("raw"), row.number("score")) for row in rows))
    if tuple(raw for raw, _ in table) != totals:
        span = f"{totals[0]}–{totals[-1]}"
        raise DefinitionError(f"{fields.where}.conversion: needs one row per total {span}")
    # Published conversions rise with the raw total; a dip means two rows were mistyped.
    for (raw, low), (_, high) in itertools.pairwise(table):
        if high <= low:
            raise DefinitionError(f"{fields.where}.conversion: score falls after raw {raw}")
    return table


def _require_unique(values: list[Any], what: str) -> None:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise DefinitionError(f"{what} repeat: {', '.join(repeated)}")
