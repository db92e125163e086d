"""Alembic: migrating is idempotent and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from crm.db import is_initialised, migrate
from crm.models import Base


def test_migrate_twice_is_a_no_op(engine) -> None:
    assert is_initialised(engine)
    migrate(engine)
    assert is_initialised(engine)


def test_models_match_migrations(engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ; add an Alembic revision: {diff}"
