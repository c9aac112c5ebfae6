"""Finds questionnaire data files and loads them; the shipped ones once per process.

Each ``<key>.yaml`` beside this module is one questionnaire; adding a file adds a
questionnaire. Definitions are immutable, so each shipped one is parsed once and shared.
`load_folder` reads another folder the same way (an organisation's own definitions, or a
test's).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from bot.questionnaires.errors import DefinitionError, UnknownQuestionnaireError
from bot.questionnaires.model import Questionnaire
from bot.questionnaires.parser import parse_questionnaire

# Keys become file names and callback data, so keep them short and unsurprising.
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_SUFFIX = ".yaml"
_PACKAGE = "bot.questionnaires"


def _keys_in(folder: Traversable) -> tuple[str, ...]:
    names = (entry.name for entry in folder.iterdir() if entry.name.endswith(_SUFFIX))
    return tuple(sorted(name.removesuffix(_SUFFIX) for name in names))


def _load(folder: Traversable, key: str) -> Questionnaire:
    known = _keys_in(folder)
    # Checking against the listing, not just the pattern, keeps "../x" and typos out alike.
    if not _KEY_PATTERN.match(key) or key not in known:
        raise UnknownQuestionnaireError(key, known)
    file_name = f"{key}{_SUFFIX}"
    questionnaire = parse_questionnaire(
        folder.joinpath(file_name).read_text(encoding="utf-8"), file_name
    )
    if questionnaire.key != key:
        raise DefinitionError(f"{file_name}: key is {questionnaire.key!r}, expected {key!r}")
    return questionnaire


def _in_menu_order(questionnaires: list[Questionnaire]) -> list[Questionnaire]:
    ordered = sorted(questionnaires, key=lambda q: q.order)
    orders = [q.order for q in ordered]
    if len(set(orders)) != len(orders):
        raise DefinitionError(f"questionnaire order values repeat: {orders}")
    return ordered


def load_folder(folder: Traversable) -> list[Questionnaire]:
    """Loads every ``*.yaml`` questionnaire in ``folder``, in menu order.

    Args:
        folder: a directory (a `pathlib.Path` will do).

    Raises:
        DefinitionError: a file is broken, a file's ``key`` is not its name, or two files
            claim the same ``order``.
    """
    return _in_menu_order([_load(folder, key) for key in _keys_in(folder)])


def questionnaire_keys() -> tuple[str, ...]:
    """Returns the keys of every shipped questionnaire, sorted alphabetically."""
    return _keys_in(resources.files(_PACKAGE))


@cache
def load_questionnaire(key: str) -> Questionnaire:
    """Returns the shipped questionnaire called ``key`` (for example ``"ons4"``).

    Raises:
        UnknownQuestionnaireError: no shipped questionnaire has that key.
        DefinitionError: the data file is malformed, or its ``key`` is not its file name.
    """
    return _load(resources.files(_PACKAGE), key)


def all_questionnaires() -> list[Questionnaire]:
    """Returns every shipped questionnaire in menu order (the files' ``order`` field).

    Raises:
        DefinitionError: a data file is broken, or two files claim the same ``order``.
    """
    return _in_menu_order([load_questionnaire(key) for key in questionnaire_keys()])


def available_questionnaires(*, swemwbs_licensed: bool) -> list[Questionnaire]:
    """Returns the questionnaires this organisation may use, in menu order.

    SWEMWBS is the only shipped questionnaire that needs a licence (a free registration with
    the University of Warwick); it is left out unless the organisation's settings say it has
    registered.

    Args:
        swemwbs_licensed: whether the organisation has registered its SWEMWBS licence.
    """
    return [q for q in all_questionnaires() if swemwbs_licensed or not q.licence_required]
