"""`chorus …` / `python -m bot …`: the only entry point."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import report_commands
from bot.config import ConfigError, Settings, load_settings

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chorus", description="Chorus: social prescribing of music and the arts, on Telegram."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser(
        "run", help="start the bot (the local sandbox chat when TELEGRAM_BOT_TOKEN is unset)"
    )
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    sandbox = commands.add_parser(
        "sandbox", help="chat with Chorus in this terminal through a local Telegram stand-in"
    )
    sandbox.add_argument(
        "--as",
        dest="role",
        choices=["participant", "link-worker", "coordinator"],
        default="participant",
        help="who you are in the chat (default: participant)",
    )
    sandbox.add_argument("--user-id", type=int, default=1001, help="your Telegram id in the chat")
    sandbox.add_argument("--name", default="Sam", help="your first name in the chat")

    catalogue = commands.add_parser("catalogue", help="import and search the session catalogue")
    steps = catalogue.add_subparsers(dest="catalogue_command", metavar="STEP", required=True)
    importer = steps.add_parser(
        "import", help="import an Open Referral UK folder or JSON file, or a spreadsheet CSV"
    )
    importer.add_argument("path", type=Path, help="file or folder to import")
    importer.add_argument("--quiet", action="store_true", help="print only problems")
    postcodes = steps.add_parser(
        "import-postcodes", help="load postcode-district centroids (e.g. ONS data) from a CSV"
    )
    postcodes.add_argument("path", type=Path)
    finder = steps.add_parser("search", help="search the catalogue as a participant would")
    finder.add_argument("query")
    finder.add_argument("--near", help="a town, postcode district or postcode")
    finder.add_argument("--limit", type=int, default=3)
    finder.add_argument("--json", action="store_true", dest="as_json", help="print JSON")
    report_commands.add_parser(commands)
    return parser


def _catalogue(args: argparse.Namespace, settings: Settings) -> int:
    from bot import catalogue_commands as commands

    if args.catalogue_command == "import":
        return asyncio.run(commands.import_catalogue(settings, args.path, quiet=args.quiet))
    if args.catalogue_command == "import-postcodes":
        return asyncio.run(commands.import_postcodes(settings, args.path))
    return asyncio.run(
        commands.search(
            settings, args.query, near=args.near, limit=args.limit, as_json=args.as_json
        )
    )


def _configure_logging(settings: Settings, *, to_file: bool = False) -> None:
    handler: logging.Handler
    if to_file:
        path = settings.sqlite_path() or None
        folder = path.parent if path is not None else None
        target = (folder / "sandbox.log") if folder is not None else None
        handler = logging.FileHandler(target) if target else logging.NullHandler()
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Parses the command line and runs one command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    if args.command == "migrate":
        from bot.db.migrate import upgrade

        _configure_logging(settings)
        upgrade(settings.database_url)
        print("Database is up to date.")
        return 0
    if args.command == "catalogue":
        logging.basicConfig(level=logging.WARNING)
        return _catalogue(args, settings)
    if args.command == "report":
        return report_commands.main(args, settings)
    if args.command == "run" and settings.telegram_bot_token is not None:
        from bot.runner import run

        _configure_logging(settings)
        run(settings)
        return 0
    # `run` without a token, or `sandbox`: the local stand-in for Telegram.
    from bot.local_chat import run_sandbox_chat

    role = getattr(args, "role", "participant")
    _configure_logging(settings, to_file=True)
    if args.command == "run":
        print("No TELEGRAM_BOT_TOKEN set, so Chorus is starting the local sandbox chat.")
    asyncio.run(
        run_sandbox_chat(
            settings,
            role=role.replace("-", "_"),
            user_id=getattr(args, "user_id", 1001),
            first_name=getattr(args, "name", "Sam"),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
