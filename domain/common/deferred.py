"""A posting's closing writes as one statement: ``WITH w0 AS (INSERT …), w1 AS (UPDATE …) … SELECT 1``.

Why (issue 15): after a goods receipt or a shipment has read and decided everything, it still wrote its
quants, moves, valuations, trace event, document lines, order lines, journal entry, accruals and
idempotency key one statement each; on a loaded two-core machine each statement costs mostly its round
trip and PostgreSQL's per-statement work, not its rows. PostgreSQL runs every data-modifying ``WITH``
part exactly once, to completion, whether or not the query reads it, and checks foreign keys at the end
of the statement, so independent writes can travel together.

What "independent" means, and who keeps it:

- Every part of one statement sees the snapshot from before the statement: a part cannot see another's
  rows. ``queue`` keeps that from changing a result: a write that *updates* rows of a table that a
  queued write inserts into, or updates rows by the same key that a queued write updates, first sends
  what is queued (``flush``), so it runs as it did after its predecessors.
- Reads are the caller's: code inside ``batch`` must not read a table with queued writes, nor write at
  once a row that points at a queued one (``flush_for`` sends the queue first where it must). The
  integration tests fail any statement that names a table in ``pending_tables`` or inserts or updates a
  row of a table referencing one (``tests/integration/conftest.py``), so every posting path the suite
  drives is checked, not just the ones a reviewer thought of.

Only PostgreSQL batches (``active``); elsewhere the ``bulk`` helpers write at once, as before. A batch is
opened per posting by ``services.posting(…, batched=True)``, sent before its idempotency key commits with
it; an exception drops what is queued with the transaction that would have held it. A savepoint rolled
back inside a batch would not take back what was queued under it: the batched postings open none.
"""

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

from domain.common.dialect import is_postgres

_PLACEHOLDER = re.compile(r"\$(\d+)")


@dataclass(frozen=True)
class Write:
    """One write of a batch: ``parts`` are data-modifying statements with their own ``$1``… numbering over
    ``params``; a later part may use an earlier part's ``RETURNING`` rows by the name ``{p0}``, ``{p1}``….

    ``table`` is the table it writes; ``updates`` the key column and key values of the rows it changes or
    may change (an upsert), ``None`` for a plain insert; ``also`` other tables it inserts into."""

    parts: tuple[str, ...]
    params: tuple[Any, ...]
    table: str
    updates: tuple[str, frozenset[Any]] | None = None
    also: tuple[str, ...] = ()


@dataclass
class _Batch:
    writes: list[Write] = field(default_factory=list)
    inserted: set[str] = field(default_factory=set)
    updated: dict[str, tuple[str, set[Any]]] = field(default_factory=dict)

    def conflicts(self, w: Write) -> bool:
        if w.updates is None:
            return False
        column, keys = w.updates
        if w.table in self.inserted:
            return True
        held = self.updated.get(w.table)
        return held is not None and (held[0] != column or not held[1].isdisjoint(keys))

    def add(self, w: Write) -> None:
        self.writes.append(w)
        self.inserted.update(w.also)
        if w.updates is None:
            self.inserted.add(w.table)
            return
        column, keys = w.updates
        self.updated.setdefault(w.table, (column, set()))[1].update(keys)


_current: ContextVar[_Batch | None] = ContextVar("lotline_deferred_batch", default=None)


def active() -> bool:
    """True inside ``batch`` on PostgreSQL: the ``bulk`` helpers queue instead of writing."""
    return _current.get() is not None


def pending_tables() -> frozenset[str]:
    """The tables with queued writes (empty outside a batch): what the batch's code must not read."""
    b = _current.get()
    return frozenset(t for w in b.writes for t in (w.table, *w.also)) if b else frozenset()


@asynccontextmanager
async def batch() -> AsyncIterator[None]:
    """Queues the ``bulk`` helpers' writes made inside (PostgreSQL; elsewhere nothing changes) and sends
    them as one statement when the block ends without an exception. Nested batches join the outer one."""
    if _current.get() is not None or not is_postgres():
        yield
        return
    token = _current.set(_Batch())
    try:
        yield
        await flush()
    finally:
        _current.reset(token)


async def queue(w: Write) -> None:
    """Queues ``w`` in the open batch, sending what is queued first if ``w`` depends on it. Callers ask
    ``active`` first: outside a batch they run their own statement, as before."""
    b = _current.get()
    if b is None:
        raise RuntimeError("deferred.queue outside a batch")
    if b.conflicts(w):
        await flush()
    b.add(w)


async def flush() -> None:
    """Sends the queued writes as one statement, in queue order (a no-op when nothing is queued)."""
    b = _current.get()
    if b is None or not b.writes:
        return
    writes = list(b.writes)
    b.writes.clear()
    b.inserted.clear()
    b.updated.clear()
    await _execute(writes)


async def flush_for(*tables: str) -> None:
    """Sends what is queued if it writes any of ``tables``: for a read of them inside a batch."""
    if not pending_tables().isdisjoint(tables):
        await flush()


def statement(writes: Sequence[Write]) -> tuple[str, list[Any]]:
    """The one statement (text, parameters) that runs ``writes``: each part a ``WITH`` entry named
    ``w<n>``, parameters renumbered after the ones before. The text depends only on the writes' texts,
    so a posting's usual shapes are prepared once per connection."""
    ctes: list[str] = []
    params: list[Any] = []
    for w in writes:
        offset = len(params)
        names: dict[str, str] = {}
        for i, part in enumerate(w.parts):
            text = _renumbered(part, offset)
            for local, name in names.items():
                text = text.replace(local, name)
            name = f"w{len(ctes)}"
            names[f"{{p{i}}}"] = name
            ctes.append(f"{name} AS ({text})")
        params.extend(w.params)
    return "WITH " + ", ".join(ctes) + " SELECT 1", params


def _renumbered(part: str, offset: int) -> str:
    return _PLACEHOLDER.sub(lambda m: f"${int(m.group(1)) + offset}", part)


async def _execute(writes: Sequence[Write]) -> None:
    sql, params = statement(writes)
    await connections.get("default").execute_query(sql, params)
