"""Finds the questionnaire data files shipped in this package and loads them once.

Each ``<key>.yaml`` beside this module is one questionnaire; adding a file adds a
questionnaire. Definitions are immutable, so each is parsed once per process and shared.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from bot.questionnaires.errors import DefinitionError, UnknownQuestionnaireError
from bot.questionnaires.model import Questionnaire
from bot.questionnaires.parser import parse_questionnaire

# Keys become file names and callback data, so keep them short and unsurprising.
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_SUFFIX = ".yaml"
_PACKAGE = "bot.questionnaires"


def questionnaire_keys() -> tuple[str, ...]:
    """Returns the keys of every shipped questionnaire, sorted alphabetically."""
    folder = resources.files(_PACKAGE)
    names = (entry.name for entry in folder.iterdir() if entry.name.endswith(_SUFFIX))
    return tuple(sorted(name.removesuffix(_SUFFIX) for name in names))


@cache
def load_questionnaire(key: str) -> Questionnaire:
    """Returns the shipped questionnaire called ``key`` (for example ``"ons4"``).

    Raises:
        UnknownQuestionnaireError: no shipped questionnaire has that key.
        DefinitionError: the data file is malformed, or its ``key`` is not its file name.
    """
    known = questionnaire_keys()
    # Checking against the listing, not just the pattern, keeps "../x" and typos out alike.
    if not _KEY_PATTERN.match(key) or key not in known:
        raise UnknownQuestionnaireError(key, known)
    file_name = f"{key}{_SUFFIX}"
    document = resources.files(_PACKAGE).joinpath(file_name).read_text(encoding="utf-8")
    questionnaire = parse_questionnaire(document, file_name)
    if questionnaire.key != key:
        raise DefinitionError(f"{file_name}: key is {questionnaire.key!r}, expected {key!r}")
    return questionnaire


def all_questionnaires() -> list[Questionnaire]:
    """Returns every shipped questionnaire in menu order (the files' ``order`` field).

    Raises:
        DefinitionError: a data file is broken, or two files claim the same ``order``.
    """
    questionnaires = sorted(
        (load_questionnaire(key) for key in questionnaire_keys()), key=lambda q: q.order
    )
    orders = [q.order for q in questionnaires]
    if len(set(orders)) != len(orders):
        raise DefinitionError(f"questionnaire order values repeat: {orders}")
    return questionnaires


def available_questionnaires(*, swemwbs_licensed: bool) -> list[Questionnaire]:
    """Returns the questionnaires this organisation may use, in menu order.

    SWEMWBS is the only shipped questionnaire that needs a licence (a free registration with
    the University of Warwick); it is left out unless the organisation's settings say it has
    registered.

    Args:
        swemwbs_licensed: whether the organisation has registered its SWEMWBS licence.
    """
    return [q for q in all_questionnaires() if swemwbs_licensed or not q.licence_required]
