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


def test_migrations_run_no_application_code() -> None:
    """A released revision must do the same thing forever: it may use column types (crm.models.base) but no
    application module whose behaviour can change later (derived data is computed by `migrate` afterwards)."""
    import ast
    from pathlib import Path

    import crm.migrations

    versions = Path(crm.migrations.__file__).parent / "versions"
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                top = name.split(".")[0]
                assert top in ("__future__", "alembic", "sqlalchemy") or name == "crm.models.base", (path.name, name)
