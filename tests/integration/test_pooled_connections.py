"""Pooled connections go back without asyncpg's session reset (``lotline.db.PooledConnection``, issue 15):
safe only while Lotline leaves no session state on them. These tests hold the code to that, and show a
connection coming back from a failed transaction ready for the next user."""

import re
from pathlib import Path

import asyncpg
import pytest

from lotline.config import Settings
from lotline.db import PooledConnection, tortoise_config

ROOT = Path(__file__).resolve().parents[2]
APP = ("api", "chain", "domain", "lotline", "supplier_portal", "workers")

#: Session state a pooled connection would carry to its next user, as it is written in our SQL and calls.
SESSION_STATE = {
    "a session advisory lock (use pg_advisory_xact_lock)": re.compile(
        r"pg_(try_)?advisory_(un)?lock(_shared)?\("
    ),
    "a session setting (use SET LOCAL or set_config(..., true))": re.compile(
        r"""["']\s*SET\s+(?!LOCAL\b)(SESSION\s+)?[\w.]+\s*(=|TO\b)|set_config\([^)]*,\s*false\s*\)""",
        re.IGNORECASE,
    ),
    "a cursor held past its transaction": re.compile(r"WITH\s+HOLD", re.IGNORECASE),
    "a LISTEN on a pooled connection": re.compile(r"\bLISTEN\s+\w|add_listener\("),
}
#: Where session state is the point: the pick-task listener opens a connection of its own, outside the pool.
OWN_CONNECTION = {"api/devices/dispatch.py": {"a LISTEN on a pooled connection"}}


def test_postgres_connections_are_pooled_without_the_session_reset() -> None:
    config = tortoise_config(Settings(database_url="postgres://u@127.0.0.1:5432/x"))["connections"]["default"]
    assert config["credentials"]["connection_class"] is PooledConnection
    assert config["credentials"]["maxsize"]  # the pool size still comes through
    assert PooledConnection.get_reset_query(object()) == ""  # type: ignore[arg-type]
    sqlite = tortoise_config(Settings(database_url="sqlite:///tmp/x.sqlite3"))["connections"]["default"]
    assert sqlite == "sqlite:///tmp/x.sqlite3"


def test_the_code_leaves_no_session_state_on_a_pooled_connection() -> None:
    found = []
    for top in APP:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            for what, pattern in SESSION_STATE.items():
                if what in OWN_CONNECTION.get(rel, set()):
                    continue
                found += [f"{rel}: {what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert found == []


def test_the_rule_finds_what_it_is_for() -> None:
    samples = {
        "a session advisory lock (use pg_advisory_xact_lock)": "SELECT pg_advisory_lock(1)",
        "a session setting (use SET LOCAL or set_config(..., true))": "'SET statement_timeout = 0'",
        "a cursor held past its transaction": "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
        "a LISTEN on a pooled connection": "await conn.add_listener('x', f)",
    }
    for what, sample in samples.items():
        assert SESSION_STATE[what].search(sample), what
    for fine in (
        "SELECT pg_advisory_xact_lock($1)",
        "'SET LOCAL lock_timeout = 1'",
        'UPDATE "t" SET "a" = 1',
    ):
        assert not any(p.search(fine) for p in SESSION_STATE.values()), fine


async def test_a_connection_handed_back_mid_transaction_comes_back_without_it(pg_url: str) -> None:
    """The pool's only reset left is the rollback asyncpg always does on release: the next user of the
    one connection is not inside the last one's transaction, and sees none of its writes."""
    pool = await asyncpg.create_pool(pg_url, min_size=1, max_size=1, connection_class=PooledConnection)
    try:
        async with pool.acquire() as con:
            await con.execute("BEGIN")
            await con.execute("CREATE TEMP TABLE left_behind (x int) ON COMMIT DROP")
        async with pool.acquire() as con:
            with pytest.raises(asyncpg.NoActiveSQLTransactionError):  # no transaction block is open
                await con.execute("SAVEPOINT s")
            assert await con.fetchval("SELECT to_regclass('pg_temp.left_behind')") is None
    finally:
        await pool.close()
