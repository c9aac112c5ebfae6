"""Open Referral UK (HSDS 3.0 UK profile) import: a folder of CSV tables or nested JSON."""

from catalogue.oruk.csv_folder import read_oruk_csv
from catalogue.oruk.json_document import read_oruk_json
from catalogue.oruk.tables import KNOWN_FILE_NAMES

__all__ = ["KNOWN_FILE_NAMES", "read_oruk_csv", "read_oruk_json"]
