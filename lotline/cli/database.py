"""Tortoise for one command: ``database(settings)`` opens it for the current task, ``run_migrations`` applies
the pending migrations (and the chart of accounts every posting needs), ``rebind_models`` repairs the model
classes after a nested context opens or closes.

SQLite creates its database file but not the directory it lives in: both entry points create it first.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tortoise.context import TortoiseContext, get_current_context

from lotline.config import Settings
from lotline.db import tortoise_config


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite://"):
        return None
    path = url.removeprefix("sqlite://").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def _prepare_storage(settings: Settings) -> None:
    # SQLite creates its file but not its directory.
    path = _sqlite_path(settings.database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def rebind_models() -> None:
    """Points the model classes back at the current context's SQL dialect.

    Tortoise keeps each model's base query on the class and its insert/delete SQL in a process-wide cache
    keyed by connection name, both from the last init. When a nested context (a migration, a SQLite database
    inside a PostgreSQL test session) opens or closes, both must be rebuilt or queries use the wrong dialect.
    """
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()
    ctx = get_current_context()
    if ctx is not None and ctx.inited and ctx.apps is not None:
        ctx.apps._build_initial_querysets()


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[TortoiseContext]:
    """Tortoise opened for the current task only, closed on the way out."""
    _prepare_storage(settings)
    try:
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            rebind_models()
            yield ctx
    finally:
        rebind_models()


async def run_migrations(settings: Settings) -> None:
    """Applies every pending migration (Tortoise's built-in migrations, app ``lotline``)."""
    from tortoise.migrations.api.migrate import migrate

    _prepare_storage(settings)
    # migrate() initialises Tortoise in the current context; give it its own so nothing leaks to the caller.
    try:
        with TortoiseContext() as ctx:
            try:
                await migrate(config=tortoise_config(settings))
            finally:
                await ctx.close_connections()
    finally:
        rebind_models()
    # Reference data every posting needs, written once here rather than by the first postings racing.
    from domain.finance.journal import seed_chart

    async with database(settings):
        await seed_chart()
