"""Use cases: plain async functions over the database. No `telegram` imports here."""
