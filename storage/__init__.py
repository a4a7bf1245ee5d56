"""Persistence: SQLAlchemy 2 async models, the database handle, queries and migrations."""
