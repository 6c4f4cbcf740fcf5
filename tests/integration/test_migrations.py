"""The migrations build the same schema on the embedded SQLite and on PostgreSQL, and match the models."""

from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from lotline import migrations as migrations_package
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config

# Tortoise's own bookkeeping table, present on both.
MIGRATION_TABLES = {"tortoise_migrations"}


async def _sqlite_columns(ctx: TortoiseContext) -> dict[str, set[str]]:
    conn = ctx.db()
    tables = await conn.execute_query_dict(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    result = {}
    for row in tables:
        columns = await conn.execute_query_dict(f'PRAGMA table_info("{row["name"]}")')
        result[row["name"]] = {c["name"] for c in columns}
    return result


async def _postgres_columns(ctx: TortoiseContext) -> dict[str, set[str]]:
    rows = await ctx.db().execute_query_dict(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
    )
    result: dict[str, set[str]] = {}
    for row in rows:
        result.setdefault(row["table_name"], set()).add(row["column_name"])
    return result


async def test_migrations_build_the_same_tables_and_columns_on_sqlite_and_postgres(db, sqlite_db):
    postgres = await _postgres_columns(db)
    sqlite = await _sqlite_columns(sqlite_db)

    assert set(postgres) - MIGRATION_TABLES == set(sqlite) - MIGRATION_TABLES
    assert {"supplier", "customer", "app_user", "api_token", "outbox_message"} <= set(postgres)
    differing = {t: postgres[t] ^ sqlite[t] for t in postgres if t in sqlite and postgres[t] != sqlite[t]}
    assert differing == {}


async def test_migrating_twice_changes_nothing(sqlite_db, tmp_path):
    before = await _sqlite_columns(sqlite_db)

    await run_migrations(Settings(database_url=f"sqlite://{tmp_path / 'lotline.sqlite3'}"))

    assert await _sqlite_columns(sqlite_db) == before
    applied = await sqlite_db.db().execute_query_dict("SELECT COUNT(*) AS n FROM tortoise_migrations")
    assert applied[0]["n"] == len(list((Path(migrations_package.__file__).parent).glob("0*.py")))


async def test_every_model_change_has_a_migration(sqlite_db, tmp_path):
    assert sqlite_db.apps is not None
    apps_config = tortoise_config(Settings(database_url=f"sqlite://{tmp_path / 'x.sqlite3'}"))["apps"]
    detector = MigrationAutodetector(sqlite_db.apps, apps_config)
    changes = await detector.changes()

    pending = [f"{w.app_label}: {op.describe()}" for w in changes for op in w.operations]
    assert pending == [], (
        "models changed without a migration; run `make migrations` (see README) and review the file"
    )
