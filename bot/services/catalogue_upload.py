"""Catalogue updates sent to the bot as a file: the same validated, atomic import as the CLI.

The file is read by `catalogue.detect.read_catalogue` (Open Referral UK or spreadsheet CSV,
or Open Referral UK JSON); any rejected row refuses the whole import, and the per-row errors
go back to the sender. Only a clean file is applied, in one transaction.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.db.models import Person
from bot.db.session import SessionFactory
from bot.services import audit
from bot.services import catalogue as store
from catalogue.detect import read_catalogue

MAX_BYTES = 20 * 1024 * 1024
ACCEPTED_SUFFIXES = (".csv", ".json")


@dataclass(frozen=True, slots=True)
class UploadResult:
    applied: bool
    errors: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def safe_name(name: str | None) -> str:
    """A plain file name to read the upload under (the suffix picks the importer)."""
    base = Path(name or "catalogue.csv").name
    return base if base.lower().endswith(ACCEPTED_SUFFIXES) else f"{base}.csv"


async def import_file(
    sessions: SessionFactory, staff: Person, name: str | None, data: bytes, *, now: datetime
) -> UploadResult:
    """Validates the uploaded file and applies it only if every row is valid."""
    with tempfile.TemporaryDirectory(prefix="chorus-upload-") as folder:
        path = Path(folder) / safe_name(name)
        await asyncio.to_thread(path.write_bytes, data)
        result = await asyncio.to_thread(read_catalogue, path)
    async with sessions.begin() as session:
        detail = {"file": safe_name(name)[:40], "rows": result.rows_read, "ok": result.ok}
        await audit.record(
            session, actor_id=staff.id, action="catalogue.upload", now=now, detail=detail
        )
        if not result.ok:
            return UploadResult(False, errors=[str(error) for error in result.errors])
        summary = await store.apply_import(session, result.catalogue, now=now)
    return UploadResult(True, summary=summary.lines())
