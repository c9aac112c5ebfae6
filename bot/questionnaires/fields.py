"""A typed view of one mapping from a questionnaire YAML file.

`yaml.safe_load` returns untyped values; this is the one place that turns them into checked
Python values, so the parser reads like a description of the file format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from bot.questionnaires.errors import DefinitionError
from bot.questionnaires.model import Direction, StatisticalScale, SummaryMethod

_Choice = TypeVar("_Choice", Direction, StatisticalScale, SummaryMethod)


class Fields:
    """Typed, checked access to one YAML mapping.

    Each accessor raises `DefinitionError` naming the file and the path to the field (for
    example ``ons4.yaml.items[3].risk``), so the person editing the data knows where to look.
    """

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise DefinitionError(f"{where}: expected a mapping, got {type(data).__name__}")
        self._data: Mapping[Any, Any] = data
        self.where = where

    def only(self, *keys: str) -> None:
        """Refuses any key not in ``keys``."""
        # A misspelt optional key ("reverse_score") would otherwise be silently ignored.
        unknown = sorted(str(key) for key in self._data if key not in keys)
        if unknown:
            raise DefinitionError(f"{self.where}: unknown fields {unknown}")

    def has(self, key: str) -> bool:
        """Returns whether ``key`` is present with a value other than null."""
        return self._data.get(key) is not None

    def raw(self, key: str) -> object:
        """Returns the unchecked value of a required key."""
        if key not in self._data:
            raise DefinitionError(f"{self.where}: missing {key!r}")
        return self._data[key]

    def text(self, key: str, *, limit: int | None = None) -> str:
        """Returns non-empty text with runs of whitespace (from folded YAML) made single."""
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(f"{self.where}.{key}: expected non-empty text")
        value = " ".join(value.split())
        if limit is not None and len(value) > limit:
            raise DefinitionError(f"{self.where}.{key}: {len(value)} characters, limit {limit}")
        return value

    def optional_text(self, key: str, *, limit: int | None = None) -> str | None:
        """Returns text as `text` does, or None when the key is absent."""
        return self.text(key, limit=limit) if self.has(key) else None

    def integer(self, key: str) -> int:
        """Returns a whole number."""
        value = self.raw(key)
        # bool is an int subclass; "yes" in a number field is a typo, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise DefinitionError(f"{self.where}.{key}: expected a whole number")
        return value

    def number(self, key: str) -> float:
        """Returns a whole or decimal number as a float."""
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DefinitionError(f"{self.where}.{key}: expected a number")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        """Returns a true/false value, or ``default`` when the key is absent."""
        if not self.has(key):
            return default
        value = self.raw(key)
        if not isinstance(value, bool):
            raise DefinitionError(f"{self.where}.{key}: expected true or false")
        return value

    def choice(self, key: str, kind: type[_Choice]) -> _Choice:
        """Returns the member of the enumeration ``kind`` whose value the field holds."""
        value = self.raw(key)
        if not isinstance(value, str):
            raise DefinitionError(f"{self.where}.{key}: expected text")
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise DefinitionError(
                f"{self.where}.{key}: {value!r} is not one of {allowed}"
            ) from None

    def children(self, key: str) -> list[Fields]:
        """Returns a non-empty list of mappings, each with its position in error messages."""
        value = self.raw(key)
        if not isinstance(value, list) or not value:
            raise DefinitionError(f"{self.where}.{key}: expected a non-empty list")
        return [Fields(entry, f"{self.where}.{key}[{i}]") for i, entry in enumerate(value)]

    def child(self, key: str) -> Fields:
        """Returns a nested mapping."""
        return Fields(self.raw(key), f"{self.where}.{key}")
