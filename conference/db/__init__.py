"""Database: declarative base, engine factory, column types and Alembic migrations."""
