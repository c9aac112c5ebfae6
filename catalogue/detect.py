"""Telling catalogue formats apart, and one entry point that imports whichever was given.

Three inputs are understood:

* ``"oruk-csv"``: a folder of Open Referral UK CSV tables (it must hold ``services.csv`` or
  ``service.csv``);
* ``"oruk-json"``: one Open Referral UK JSON file (``.json``, or any file starting ``{``/``[``);
* ``"spreadsheet"``: Chorus's own one-sheet CSV, recognised by its ``title`` and ``days``
  columns.

A single Open Referral UK table on its own (``schedules.csv``) is refused with a message saying
to import its folder: without the other tables its rows cannot be linked to anything.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from catalogue.model import Catalogue, ImportResult, RowError
from catalogue.oruk import KNOWN_FILE_NAMES, read_oruk_csv, read_oruk_json

ORUK_CSV = "oruk-csv"
ORUK_JSON = "oruk-json"
SPREADSHEET = "spreadsheet"

_SERVICE_FILES = frozenset({"services.csv", "service.csv"})
_SPREADSHEET_COLUMNS = frozenset({"title", "days"})
# Columns only an HSDS table has; a CSV with an id and one of these is an ORUK table.
_HSDS_LINK_COLUMNS = frozenset(
    {"service_id", "organization_id", "location_id", "link_id", "service_at_location_id"}
)
_SNIFF_BYTES = 65536


class CatalogueFormatError(ValueError):
    """The input is not a catalogue format Chorus can import.

    Attributes:
        name: The file or folder name, for the error line.
        problem: What is wrong, in words for the person who chose the file.
    """

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def detect_format(path: Path) -> str:
    """Name the catalogue format at ``path``.

    Args:
        path: A folder of Open Referral UK CSV tables, or one JSON or CSV file.

    Returns:
        ``"oruk-csv"``, ``"oruk-json"`` or ``"spreadsheet"``.

    Raises:
        CatalogueFormatError: If the path is missing or holds no format Chorus knows.
    """
    if path.is_dir():
        if any(child.name.lower() in _SERVICE_FILES for child in path.iterdir()):
            return ORUK_CSV
        raise CatalogueFormatError(
            path.name, "the folder has no services.csv, so it is not an Open Referral UK export"
        )
    if not path.is_file():
        raise CatalogueFormatError(path.name, "no such file or folder")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES).decode("utf-8-sig", errors="replace")
    if path.suffix.lower() == ".json" or head.lstrip().startswith(("{", "[")):
        return ORUK_JSON
    header = {
        "_".join(cell.strip().lower().replace("-", " ").split())
        for cell in next(csv.reader(head.splitlines()[:1]), [])
    }
    if _SPREADSHEET_COLUMNS.issubset(header):
        return SPREADSHEET
    if path.name.lower() in KNOWN_FILE_NAMES or ("id" in header and header & _HSDS_LINK_COLUMNS):
        raise CatalogueFormatError(
            path.name,
            "this is one table of an Open Referral UK export; "
            "import the folder that holds all of its CSV files",
        )
    raise CatalogueFormatError(
        path.name,
        "not a catalogue format Chorus knows; expected an Open Referral UK folder or JSON "
        "file, or a spreadsheet CSV with title and days columns",
    )


def read_catalogue(path: Path, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import a catalogue in whichever format ``path`` holds.

    Args:
        path: A folder of Open Referral UK CSV tables, or one JSON or spreadsheet CSV file.
        progress: Called with the running count of rows (or JSON documents) read.

    Returns:
        The import result. An unrecognised input gives a result with one error at line 0,
        meaning the file as a whole, rather than an exception: callers print errors the same
        way whatever went wrong.
    """
    try:
        kind = detect_format(path)
    except CatalogueFormatError as error:
        return ImportResult(
            catalogue=Catalogue(), errors=[RowError(error.name, 0, "file", error.problem)]
        )
    if kind == ORUK_CSV:
        return read_oruk_csv(path, progress)
    if kind == ORUK_JSON:
        return read_oruk_json(path, progress)
    # Imported here so this module loads even where the spreadsheet importer is absent.
    from catalogue.spreadsheet import read_spreadsheet

    return read_spreadsheet(path, progress)
