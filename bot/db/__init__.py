"""Persistence: SQLAlchemy models, the engine and session factory, and query helpers."""
