"""Shared fixtures: a migrated PostgreSQL database per session, a migrated SQLite file per test, Redis.

Integration tests share one PostgreSQL database for the whole session and use random codes
(``unique("SUP")``) so they never collide; nothing truncates between tests.

- ``pg_url``: URL of the session's fresh, migrated database (``lotline_test_<hex>``), for code that opens
  its own connections (an API server started by a test, a worker).
- ``db``: Tortoise initialised on ``pg_url`` for the session; services can be called directly.
- ``pg_settings``: ``Settings`` pointing at ``pg_url``.
- ``sqlite_db``: Tortoise on a migrated SQLite file in ``tmp_path`` (the embedded default), for one test.
- ``redis_url``: the test Redis, checked reachable.

The servers come from ``LOTLINE_TEST_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``) and
``LOTLINE_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``); ``make test`` starts them. A missing
server is an error, never a skip: a green run means the integration tests ran.
"""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import settings
from tortoise.context import TortoiseContext

from lotline.cli import database, run_migrations
from lotline.config import Settings

# Property tests: CI (CI=true, set by .ci/run) draws the same examples on every run, so whether a change lands
# never hangs on a lucky draw; a developer's runs draw new examples each time and keep finding new cases (a
# failure prints the blob that reproduces it). No deadline: per-example timings on a shared 2-core machine are
# not behaviour (speed is measured in bench/).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def random_code(prefix: str = "T") -> str:
    """A random upper-case code such as ``SUP-1A2B3C4D``, so tests can share one database."""
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


@pytest.fixture
def unique() -> Callable[[str], str]:
    """``unique("SUP")`` gives a fresh code each call."""
    return random_code


@pytest.fixture
def shanghai() -> Iterator[None]:
    """The business time zone set to Asia/Shanghai (UTC+8, no DST) for one test, then restored."""
    from domain.common import business_time

    before = business_time.zone()
    business_time.configure("Asia/Shanghai")
    yield
    business_time.configure(str(before))


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _asyncpg_dsn(url: str) -> str:
    # asyncpg speaks postgres:// and postgresql://; Tortoise also accepts asyncpg://.
    return "postgres://" + url.split("://", 1)[1] if url.startswith("asyncpg://") else url


@pytest.fixture(scope="session")
def test_database_url() -> str:
    return os.environ.get("LOTLINE_TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


@pytest.fixture(scope="session")
async def pg_url(test_database_url: str) -> AsyncIterator[str]:
    import asyncpg

    try:
        admin = await asyncpg.connect(_asyncpg_dsn(test_database_url), timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {test_database_url} ({exc}); run `make test` "
            "or scripts/ensure-services.sh, or set LOTLINE_TEST_DATABASE_URL",
            pytrace=False,
        )
    name = f"lotline_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(test_database_url, name)
    try:
        await run_migrations(Settings(database_url=url))
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
def pg_settings(pg_url: str) -> Settings:
    return Settings(database_url=pg_url)


@pytest.fixture(scope="session")
async def db(pg_settings: Settings) -> AsyncIterator[TortoiseContext]:
    # The context variable set here reaches every test of the session (pytest-asyncio propagates it).
    async with database(pg_settings) as ctx:
        yield ctx


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per session: each ``sqlite_db`` starts from a copy of it.

    Applying the migrations costs a minute and more on this machine (Tortoise rebuilds its model state for
    every operation, so the cost grows with the number of models), and twenty-odd tests want a fresh
    database; a copy of a migrated file is the same database. The migrations themselves are tested from an
    empty file in ``tests/integration/test_migrations.py``."""
    path = tmp_path_factory.mktemp("sqlite-template") / "lotline.sqlite3"
    await run_migrations(Settings(database_url=f"sqlite://{path}"))
    return path


@pytest.fixture
async def sqlite_db(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[TortoiseContext]:
    path = tmp_path / "lotline.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = Settings(database_url=f"sqlite://{path}")
    async with database(settings) as ctx:
        yield ctx


@pytest.fixture(scope="session")
async def redis_url() -> str:
    url = os.environ.get("LOTLINE_TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=5)
        writer.write(b"PING\r\n")
        await writer.drain()
        reply = await asyncio.wait_for(reader.readline(), timeout=5)
        writer.close()
        await writer.wait_closed()
    except (TimeoutError, OSError) as exc:
        pytest.fail(f"Redis is not reachable at {url} ({exc}); run `make test` or set LOTLINE_TEST_REDIS_URL")
    if not reply.startswith((b"+PONG", b"-NOAUTH")):
        pytest.fail(f"Redis at {url} answered {reply!r} to PING")
    return url
