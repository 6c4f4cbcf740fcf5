"""Everything under tests/integration needs the real servers: mark it so `-m "not integration"` skips it.

Every test here also checks the rule of a posting's batched writes (``_no_reads_of_queued_writes``)."""

import functools
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.backends.asyncpg import client

from domain.common import deferred


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/integration/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.integration)


class _ReadsOfQueued:
    """Records every statement that names a table with writes queued in a posting's batch
    (``domain.common.deferred``): the batch's code must not read what it has not written yet."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, sql: str) -> None:
        pending = deferred.pending_tables()
        if not pending or sql.startswith("WITH w0 AS ("):  # none, or the batch itself being sent
            return
        text = " ".join(sql.split())[:300]
        for table in sorted(pending):
            if re.search(rf'(?<![\w.])"?{table}"?(?!\w)', sql):
                self.found.append(f"{table} (queued) named by: {text}")
        # A row written now that points at a queued row fails its foreign key, or worse, would not if the
        # key happened to exist: a write to a table referencing a queued one counts as a read of it.
        # (Deleting a row that points at another needs nothing of the other.)
        written = re.match(r'\s*(?:INSERT INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
        if written:
            for table in sorted(_references().get(written.group(1), set()) & pending):
                self.found.append(f"{table} (queued) referenced by a write to {written.group(1)}: {text}")


@functools.cache
def _references() -> dict[str, set[str]]:
    """Table -> the tables its foreign keys point at, from the models."""
    out: dict[str, set[str]] = {}
    for app in Tortoise.apps.values():
        for model in app.values():
            meta = model._meta
            out[meta.db_table] = {
                meta.fields_map[name].related_model._meta.db_table  # type: ignore[attr-defined]
                for name in meta.fk_fields | meta.o2o_fields
            }
    return out


@pytest.fixture
def queued_reads(_no_reads_of_queued_writes: _ReadsOfQueued) -> list[str]:
    """What the guard found, for a test of the guard itself (which then does not fail for it)."""
    return _no_reads_of_queued_writes.found


@pytest.fixture(autouse=True)
def _no_reads_of_queued_writes(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[_ReadsOfQueued]:
    """Fails a test in which a statement named a table with queued writes: every posting path the suite
    drives checks the rule ``deferred`` relies on, not only the ones its own tests thought of. Every
    statement goes through these methods of Tortoise's asyncpg client (a transaction's client included)."""
    guard = _ReadsOfQueued()
    for cls in (client.AsyncpgDBClient, client.TransactionWrapper):
        for name in ("execute_insert", "execute_many", "execute_query", "execute_query_dict"):
            if name in vars(cls):
                monkeypatch.setattr(cls, name, _checked(getattr(cls, name), guard))
    yield guard
    found = "\n".join(guard.found)
    assert "queued_reads" in request.fixturenames or not found, f"read of queued writes' tables:\n{found}"


def _checked(method: Callable[..., Awaitable[Any]], guard: _ReadsOfQueued) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def checked(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        guard.check(query)
        return await method(self, query, *args, **kwargs)

    return checked
