"""CRM core: the data model, storage (SQLAlchemy + Alembic), scope, importers and demo data."""
