"""The hash chains' heads are created, read and locked on PostgreSQL by one upsert (issue 15) instead of an
insert and a locking select through the ORM: the same heads, figures and locks as the ORM path."""

from datetime import UTC, datetime

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from domain.trace import recording
from domain.trace.models import TraceStream
from tests.conftest import _asyncpg_dsn

FIRST = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
LOCKED = "SELECT 1 FROM trace_stream WHERE stream = $1 FOR UPDATE NOWAIT"


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database."""


async def _heads_in_a_transaction(
    conn: asyncpg.Connection, held: str, later: str, fresh: str, free: str
) -> None:
    async with in_transaction():
        heads = await recording._locked_heads([held, later, fresh])

        assert heads == await recording.orm_heads([held, later, fresh])
        assert heads == [(held, 1, "a" * 64, FIRST), (later, 7, "b" * 64, None), (fresh, 0, "", None)]
        # Locked until the transaction ends, as FOR UPDATE leaves them; a head not asked for is free.
        for stream in (held, later):
            with pytest.raises(asyncpg.LockNotAvailableError):
                await conn.fetch(LOCKED, stream)
        async with conn.transaction():
            assert await conn.fetch(LOCKED, free)
        raise _RollBack


async def test_the_upsert_answers_the_orm_heads_and_creates_the_missing(db, pg_settings, unique):
    held, later, fresh, free = names = sorted(f"urn:test:{unique('S')}" for _ in range(4))
    conn = await asyncpg.connect(_asyncpg_dsn(pg_settings.database_url))
    try:
        await conn.execute("SET lock_timeout = '100ms'")
        await conn.executemany(
            "INSERT INTO trace_stream (stream, head_seq, head_hash, first_time) VALUES ($1, $2, $3, $4)",
            [(held, 1, "a" * 64, FIRST), (later, 7, "b" * 64, None), (free, 0, "", None)],
        )
        with pytest.raises(_RollBack):
            await _heads_in_a_transaction(conn, held, later, fresh, free)
        assert not await TraceStream.filter(stream=fresh).exists()
    finally:
        await conn.execute("DELETE FROM trace_stream WHERE stream = ANY($1::text[])", names)
        await conn.close()
