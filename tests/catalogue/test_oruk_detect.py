"""Telling catalogue formats apart and importing whichever one was given."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.detect import CatalogueFormatError, detect_format, read_catalogue
from catalogue.oruk import read_oruk_csv, read_oruk_json

FIXTURES = Path(__file__).parent / "fixtures" / "oruk"
SPREADSHEET = "ID,Title,Days,Start time\nsess-1,Morecambe Community Choir,Tuesday,10:30\n"


def test_folder_of_oruk_tables() -> None:
    assert detect_format(FIXTURES / "lancaster") == "oruk-csv"
    assert detect_format(FIXTURES / "singular") == "oruk-csv"


def test_oruk_json_by_extension_or_content(tmp_path: Path) -> None:
    assert detect_format(FIXTURES / "lancaster.json") == "oruk-json"
    unnamed = tmp_path / "export.txt"
    unnamed.write_text('\n  [{"id": "svc-1"}]', encoding="utf-8")
    assert detect_format(unnamed) == "oruk-json"


def test_spreadsheet_by_title_and_days_columns(tmp_path: Path) -> None:
    sheet = tmp_path / "groups.csv"
    sheet.write_text(SPREADSHEET, encoding="utf-8-sig")
    assert detect_format(sheet) == "spreadsheet"


def test_single_oruk_table_is_refused_with_advice() -> None:
    with pytest.raises(CatalogueFormatError) as raised:
        detect_format(FIXTURES / "lancaster" / "schedules.csv")
    assert str(raised.value) == (
        "schedules.csv: this is one table of an Open Referral UK export; "
        "import the folder that holds all of its CSV files"
    )


def test_renamed_oruk_table_is_recognised_by_its_columns(tmp_path: Path) -> None:
    table = tmp_path / "export-3.csv"
    table.write_text("id,service_id,location_id\nsal-1,svc-1,loc-1\n", encoding="utf-8")
    with pytest.raises(CatalogueFormatError, match="one table of an Open Referral UK export"):
        detect_format(table)


def test_unknown_csv(tmp_path: Path) -> None:
    other = tmp_path / "members.csv"
    other.write_text("name,email\nJo,jo@example.org\n", encoding="utf-8")
    with pytest.raises(CatalogueFormatError, match="not a catalogue format Chorus knows"):
        detect_format(other)


def test_folder_without_services(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text("id,name\n", encoding="utf-8")
    with pytest.raises(CatalogueFormatError, match=r"the folder has no services\.csv"):
        detect_format(tmp_path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogueFormatError, match=r"nowhere\.csv: no such file or folder"):
        detect_format(tmp_path / "nowhere.csv")


def test_read_catalogue_dispatches_to_the_oruk_importers() -> None:
    folder, document = FIXTURES / "lancaster", FIXTURES / "lancaster.json"
    assert read_catalogue(folder) == read_oruk_csv(folder)
    assert read_catalogue(document) == read_oruk_json(document)


def test_read_catalogue_passes_progress_on() -> None:
    seen: list[int] = []
    read_catalogue(FIXTURES / "singular", progress=seen.append)
    assert seen[-1] == read_oruk_csv(FIXTURES / "singular").rows_read


def test_read_catalogue_reports_an_unknown_format_as_an_error() -> None:
    result = read_catalogue(FIXTURES / "lancaster" / "services.csv")
    assert not result.ok
    assert [str(error) for error in result.errors] == [
        "services.csv:0: file: this is one table of an Open Referral UK export; "
        "import the folder that holds all of its CSV files"
    ]
    assert result.catalogue.activities == {}


def test_read_catalogue_spreadsheet(tmp_path: Path) -> None:
    spreadsheet = pytest.importorskip(
        "catalogue.spreadsheet", reason="the spreadsheet importer is not in this checkout"
    )
    sheet = tmp_path / "groups.csv"
    sheet.write_text(SPREADSHEET, encoding="utf-8")
    result = read_catalogue(sheet)
    assert result == spreadsheet.read_spreadsheet(sheet)
    assert result.rows_read == 1
