"""Each person's own change: baseline against latest follow-up, and session mood before/after.

Pairing rules (documented for funders in ``docs/reports.md``):

* Outcomes: for each person and questionnaire, the latest completed follow-up in the period
  is paired with the latest completed baseline before it. People with no baseline, or no
  follow-up in the period, are not in the analysis; a measure is paired only when both
  check-ins have it (a skipped item is missing, never zero).
* Session mood: a pre-session and a post-session mood check on the same occurrence form one
  session pair. Someone who went to many sessions would otherwise count many times and make
  the test think it has more independent people than it has, so each person contributes one
  pair per group: the mean of their pre-session scores and the mean of their post-session
  scores. ``n`` counts people; ``sessions`` counts the session pairs behind them.

Groups of fewer people than the disclosure threshold carry no figures at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import NamedTuple

from bot.questionnaires import Direction, Questionnaire, load_questionnaire
from bot.services.disclosure import suppress_small_cohort
from bot.services.statistics import PairedResult, paired_analysis

MOOD = "mood"
MOOD_MEASURE = "mood_mean"


class ScoredCheckIn(NamedTuple):
    """A completed check-in reduced to what the analysis needs.

    A named tuple rather than a dataclass: a year of check-ins is half a million of them, and
    tuples are built several times faster.
    """

    id: int
    person_id: int
    questionnaire: str
    context: str
    occurrence_id: int | None
    completed_at: datetime
    measures: dict[str, float]


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One measure's paired analysis for one group of people.

    ``result`` and ``pairs`` are empty when the group is under the disclosure threshold.
    """

    group: str
    questionnaire: str
    measure_id: str
    label: str
    higher_is_better: bool
    meaningful_change: float
    y_range: tuple[float, float]
    n: int
    sessions: int
    result: PairedResult | None
    pairs: tuple[tuple[float, float], ...]

    @property
    def suppressed(self) -> bool:
        """Whether the figures are withheld because the group is too small."""
        return self.result is None


def measure_range(questionnaire: Questionnaire, measure_id: str) -> tuple[float, float]:
    """The lowest and highest value a measure can take, for chart axes."""
    values = questionnaire.possible_values(measure_id)
    if values:
        return float(values[0]), float(values[-1])
    summary = questionnaire.summary
    item_ids = summary.item_ids if summary is not None else questionnaire.item_ids
    items = [questionnaire.item(item_id) for item_id in item_ids]
    return float(min(i.minimum for i in items)), float(max(i.maximum for i in items))


def analyse(
    pairs_by_person: dict[int, tuple[float, float]],
    *,
    group: str,
    questionnaire: Questionnaire,
    measure_id: str,
    sessions: int,
    min_n: int,
    threshold: int,
) -> OutcomeRow:
    """Runs the paired analysis for one measure, or withholds it for a small group."""
    measure = questionnaire.measure(measure_id)
    pairs = tuple(pairs_by_person[person] for person in sorted(pairs_by_person))
    higher_is_better = measure.direction is Direction.HIGHER_IS_BETTER
    result: PairedResult | None = None
    if not suppress_small_cohort(len(pairs), threshold):
        result = paired_analysis(
            [before for before, _ in pairs],
            [after for _, after in pairs],
            scale="metric" if questionnaire.statistical_scale.value == "metric" else "ordinal",
            meaningful_change=measure.meaningful_change,
            higher_is_better=higher_is_better,
            min_n=min_n,
        )
    return OutcomeRow(
        group=group,
        questionnaire=questionnaire.key,
        measure_id=measure_id,
        label=measure.label,
        higher_is_better=higher_is_better,
        meaningful_change=measure.meaningful_change,
        y_range=measure_range(questionnaire, measure_id),
        n=len(pairs),
        sessions=sessions,
        result=result,
        pairs=pairs if result is not None else (),
    )


def baseline_follow_up_pairs(
    check_ins: Iterable[ScoredCheckIn], *, start: datetime, end: datetime
) -> dict[str, list[tuple[ScoredCheckIn, ScoredCheckIn]]]:
    """Pairs each person's latest follow-up in the period with the latest baseline before it.

    Returns:
        Baseline/follow-up pairs, keyed by questionnaire.
    """
    baselines: dict[tuple[int, str], list[ScoredCheckIn]] = defaultdict(list)
    latest: dict[tuple[int, str], ScoredCheckIn] = {}
    for check_in in check_ins:
        key = (check_in.person_id, check_in.questionnaire)
        if check_in.context == "baseline":
            baselines[key].append(check_in)
        elif check_in.context == "follow_up" and start <= check_in.completed_at < end:
            current = latest.get(key)
            if current is None or (check_in.completed_at, check_in.id) > (
                current.completed_at,
                current.id,
            ):
                latest[key] = check_in
    paired: dict[str, list[tuple[ScoredCheckIn, ScoredCheckIn]]] = defaultdict(list)
    for key, follow_up in latest.items():
        earlier = [b for b in baselines.get(key, []) if b.completed_at < follow_up.completed_at]
        if earlier:
            baseline = max(earlier, key=lambda b: (b.completed_at, b.id))
            paired[key[1]].append((baseline, follow_up))
    return paired


def outcome_rows(
    check_ins: Sequence[ScoredCheckIn],
    *,
    start: datetime,
    end: datetime,
    min_n: int,
    threshold: int,
) -> list[OutcomeRow]:
    """Every measure of every questionnaire with baselines and follow-ups, one row each."""
    rows: list[OutcomeRow] = []
    paired = baseline_follow_up_pairs(check_ins, start=start, end=end)
    for key in sorted(paired, key=lambda k: load_questionnaire(k).order):
        questionnaire = load_questionnaire(key)
        for measure in questionnaire.measures:
            by_person = {
                base.person_id: (base.measures[measure.id], follow.measures[measure.id])
                for base, follow in paired[key]
                if measure.id in base.measures and measure.id in follow.measures
            }
            if not by_person:
                continue
            rows.append(
                analyse(
                    by_person,
                    group=questionnaire.title,
                    questionnaire=questionnaire,
                    measure_id=measure.id,
                    sessions=len(by_person),
                    min_n=min_n,
                    threshold=threshold,
                )
            )
    return rows


def session_pairs(
    check_ins: Iterable[ScoredCheckIn],
) -> list[tuple[int, int, float, float]]:
    """Pre/post mood pairs on the same occurrence: ``(person, occurrence, before, after)``.

    If someone somehow answered twice before (or after) one session, the first answer before
    and the last answer after are used: they are the closest to "arriving" and "leaving".
    """
    pre: dict[tuple[int, int], ScoredCheckIn] = {}
    post: dict[tuple[int, int], ScoredCheckIn] = {}
    for check_in in check_ins:
        if check_in.questionnaire != MOOD or check_in.occurrence_id is None:
            continue
        if MOOD_MEASURE not in check_in.measures:
            continue
        key = (check_in.person_id, check_in.occurrence_id)
        at = check_in.completed_at
        if check_in.context == "pre_session" and (key not in pre or at < pre[key].completed_at):
            pre[key] = check_in
        elif check_in.context == "post_session" and (
            key not in post or at > post[key].completed_at
        ):
            post[key] = check_in
    return [
        (key[0], key[1], pre[key].measures[MOOD_MEASURE], post[key].measures[MOOD_MEASURE])
        for key in sorted(pre.keys() & post.keys())
    ]


def mood_rows(
    pairs: Sequence[tuple[int, int, float, float]],
    groups: dict[str, set[int]],
    *,
    min_n: int,
    threshold: int,
) -> list[OutcomeRow]:
    """Session mood before and after, for every session and for each named group of occurrences.

    Args:
        pairs: session pairs from ``session_pairs``.
        groups: group name (e.g. "Activity: Harbour Singers") → the occurrence ids in it.
        min_n: fewest people for a p-value.
        threshold: the disclosure threshold.
    """
    mood = load_questionnaire(MOOD)
    named = {"All sessions": {occurrence for _, occurrence, _, _ in pairs}} | groups
    # One pass over the pairs, however many groups: each occurrence knows its groups.
    groups_of: dict[int, list[str]] = defaultdict(list)
    for name, occurrences in named.items():
        for occurrence in occurrences:
            groups_of[occurrence].append(name)
    befores: dict[str, dict[int, list[float]]] = {name: defaultdict(list) for name in named}
    afters: dict[str, dict[int, list[float]]] = {name: defaultdict(list) for name in named}
    for person, occurrence, before, after in pairs:
        for name in groups_of.get(occurrence, ()):
            befores[name][person].append(before)
            afters[name][person].append(after)
    rows: list[OutcomeRow] = []
    for name in named:
        if not befores[name]:
            continue
        by_person = {
            p: (fmean(values), fmean(afters[name][p])) for p, values in befores[name].items()
        }
        rows.append(
            analyse(
                by_person,
                group=name,
                questionnaire=mood,
                measure_id=MOOD_MEASURE,
                sessions=sum(len(v) for v in befores[name].values()),
                min_n=min_n,
                threshold=threshold,
            )
        )
    return rows
