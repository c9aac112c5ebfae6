"""`python -m bot …` runs the same command line as `chorus …`."""

from bot.cli import main

raise SystemExit(main())
