"""What can go wrong with a questionnaire: a broken definition, an unknown name, a bad answer.

Every error a caller might want to turn into a plain reply is a `ValueError` (or, for a name
that does not exist, a `LookupError`), so a handler can catch the family without knowing
the details, and a test can assert on the precise subclass.
"""

from __future__ import annotations


class QuestionnaireError(Exception):
    """Base class for every error raised by `bot.questionnaires`."""


class DefinitionError(QuestionnaireError, ValueError):
    """A questionnaire data file is malformed or inconsistent.

    Raised when a file is loaded, so a mistake in the data stops start-up (or a test) with a
    message naming the file and the field, instead of surfacing as a wrong score later.
    """


class UnknownQuestionnaireError(QuestionnaireError, LookupError):
    """No questionnaire has the requested key."""

    def __init__(self, key: str, known: tuple[str, ...]) -> None:
        self.key = key
        super().__init__(f"no questionnaire called {key!r}; known: {', '.join(known)}")


class UnknownMeasureError(QuestionnaireError, LookupError):
    """A questionnaire has no measure with the requested id."""

    def __init__(self, questionnaire_key: str, measure_id: str) -> None:
        self.questionnaire_key = questionnaire_key
        self.measure_id = measure_id
        super().__init__(f"{questionnaire_key!r} has no measure called {measure_id!r}")


class AnswerError(QuestionnaireError, ValueError):
    """An answer cannot be accepted for a questionnaire."""


class UnknownItemError(AnswerError):
    """An answer (or a risk threshold) names an item the questionnaire does not have.

    This usually means a stale or forged button: the callback named an item from another
    questionnaire, or from an older version of this one.
    """

    def __init__(self, questionnaire_key: str, item_id: str) -> None:
        self.questionnaire_key = questionnaire_key
        self.item_id = item_id
        super().__init__(f"{questionnaire_key!r} has no item called {item_id!r}")


class InvalidAnswerError(AnswerError):
    """An answer value is not one of the stored values the item allows."""

    def __init__(self, item_id: str, value: object, allowed: tuple[int, ...]) -> None:
        self.item_id = item_id
        self.value = value
        self.allowed = allowed
        choices = ", ".join(str(v) for v in allowed)
        super().__init__(f"{value!r} is not an answer to {item_id!r}; allowed values: {choices}")
