"""One record being read (a CSV row or a JSON object) and the errors it produces.

Both readers hand their rows to the same converters as :class:`Record` objects, so a bad time
is reported in the same words whether it came from ``schedules.csv`` line 7 or from
``schedules[0].opens_at`` in the third JSON document. A record never raises: each problem is
logged against its field and reading carries on, so one pass reports everything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from catalogue.model import RowError

T = TypeVar("T")


class ErrorLog:
    """The rejected rows of one file, appended to a shared list of errors."""

    def __init__(self, file: str, errors: list[RowError]) -> None:
        self.file = file
        self.errors = errors

    def add(self, line: int, field: str, problem: str) -> None:
        """Record one problem against a line (CSV) or document number (JSON)."""
        self.errors.append(RowError(self.file, line, field, problem))


class Record:
    """Field access over one row or object that logs problems instead of raising.

    Args:
        values: Column name (or JSON key) to value.
        log: Where problems go.
        line: The CSV line number or 1-based JSON document number.
        path: JSON-path prefix for field names, such as ``"schedules[0]."``; empty for CSV.
    """

    def __init__(
        self, values: Mapping[str, object], log: ErrorLog, line: int, path: str = ""
    ) -> None:
        self.values = values
        self.log = log
        self.line = line
        self.path = path
        self.failed = False

    @property
    def ok(self) -> bool:
        """True while no problem has been reported for this record (not its children)."""
        return not self.failed

    def report(self, name: str, problem: str) -> None:
        """Log a problem with one field of this record."""
        self.failed = True
        self.log.add(self.line, f"{self.path}{name}", problem)

    def text(self, name: str, *, required: bool = False) -> str:
        """Return a field as stripped text; empty when absent.

        JSON numbers become their decimal text and a list of strings is joined with commas
        (some publishers write ``"byday": ["MO", "TH"]``).
        """
        value = self.values.get(name)
        if value is None:
            text = ""
        elif isinstance(value, str):
            text = value.strip()
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = str(value)
        elif isinstance(value, list) and all(isinstance(item, str | int) for item in value):
            text = ",".join(str(item).strip() for item in value)
        else:
            self.report(name, f"expected text, not {type(value).__name__}")
            return ""
        if required and not text:
            self.report(name, "missing")
        return text

    def parse(self, name: str, parser: Callable[[str], T], *, required: bool = False) -> T | None:
        """Return a field parsed by ``parser``, or None when it is blank or does not parse."""
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            return parser(text)
        except ValueError as error:
            self.report(name, str(error))
            return None

    def child(self, name: str) -> Record | None:
        """Return a nested object as a record, or None when it is absent."""
        value = self.values.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(name, f"expected an object, not {type(value).__name__}")
            return None
        return Record(value, self.log, self.line, f"{self.path}{name}.")

    def children(self, name: str) -> list[Record]:
        """Return a nested list of objects as records; absent means empty."""
        value = self.values.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(name, f"expected a list, not {type(value).__name__}")
            return []
        records = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                records.append(Record(item, self.log, self.line, f"{self.path}{name}[{index}]."))
            else:
                self.report(f"{name}[{index}]", f"expected an object, not {type(item).__name__}")
        return records
