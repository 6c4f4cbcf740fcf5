"""The books-vs-ledger list stored with the time it was computed, so the data-health views read it instead of
running ``lotline check``'s full check (seconds on a big ledger) on every page view or GraphQL read.

Design:

- One function computes the list: ``books.books_vs_ledger``. This module only stores its result, in one row of
  ``health_ledger_snapshot`` (``computed_at`` is the wall-clock instant the computation started, ``seconds``
  how long it took, the disagreements in ``lotline check``'s order).
- Writers: ``refresh`` — the scheduled health scan (``alerts.alerts_raise``), ``lotline check``, the staff
  button on ``/portal/health`` and the GraphQL mutation ``dataHealthRefresh``. It returns a list computed
  no earlier than the call, so what follows a stock edit shows the edit.
- Readers: ``current`` — the dashboard, the supplier scorecard, GraphQL ``dataHealth`` — take the stored list
  while it is younger than ``FRESH_FOR`` (a little over the hourly scan) and show its ``computed_at``
  ("核对于 … · checked at …"). Without one, or with an older one, they compute it once.
- Single flight: a computation holds an asyncio lock of the event loop and, on PostgreSQL, the transaction
  advisory lock ``LOCK_KEY`` (so several API processes and workers count as one). Whoever waited on the lock
  reads the row again and takes the winner's list when it is recent enough for them (``computed_at`` at or
  after what they need), so N concurrent views of a stale dashboard run the check once, not N times.
- The check's business day is that of ``computed_at`` (expired lots), as for ``lotline check`` run then.
"""

import asyncio
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common import dialect
from domain.health import books
from domain.health.models import LedgerSnapshot

FRESH_FOR = timedelta(minutes=90)  # the scan runs hourly: a view computes only when a scan is late
ROW = 1
LOCK_KEY = 0x6C6F746C696E65  # "lotline": the PostgreSQL advisory lock of the computation

_locks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Snapshot:
    computed_at: datetime  # UTC, when the computation started
    seconds: Decimal  # how long it took
    disagreements: tuple[books.Disagreement, ...]  # exactly ``books_vs_ledger``'s list, in its order


def wall_clock() -> datetime:
    """Now, UTC (a function so tests can move it)."""
    return datetime.now(UTC)


def encode(d: books.Disagreement) -> dict[str, object]:
    """A disagreement as the JSON object stored in the row."""
    return {"source": d.source, "what": d.what, "text": d.text, "supplier_id": d.supplier_id}


def decode(raw: dict[str, object]) -> books.Disagreement:
    """The inverse of ``encode``."""
    supplier = raw["supplier_id"]
    assert isinstance(supplier, int)
    return books.Disagreement(str(raw["source"]), str(raw["what"]), str(raw["text"]), supplier)


def is_fresh(computed_at: datetime, not_before: datetime) -> bool:
    """True when a list computed at ``computed_at`` is recent enough for a reader needing ``not_before``."""
    return computed_at >= not_before


async def latest() -> Snapshot | None:
    """The stored snapshot, or None before the first computation."""
    row = await LedgerSnapshot.get_or_none(id=ROW)
    if row is None:
        return None
    return Snapshot(row.computed_at, row.seconds, tuple(decode(d) for d in row.disagreements))


async def current(max_age: timedelta = FRESH_FOR) -> Snapshot:
    """The stored list while younger than ``max_age``; else computed once (single flight) and stored."""
    now = wall_clock()
    stored = await latest()
    if stored is not None and is_fresh(stored.computed_at, now - max_age):
        return stored
    return await _ensure(now - max_age)


async def refresh() -> Snapshot:
    """A list computed no earlier than this call (shared with a computation that started after it), stored."""
    return await _ensure(wall_clock())


def _loop_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _locks.get(loop)
    if lock is None:
        lock = _locks[loop] = asyncio.Lock()
    return lock


async def _ensure(not_before: datetime) -> Snapshot:
    async with _loop_lock():
        if not dialect.is_postgres():  # the embedded demo: one process, the loop's lock is enough
            return await _compute_unless_fresh(not_before)
        async with in_transaction() as conn:
            await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY])
            return await _compute_unless_fresh(not_before)


async def _compute_unless_fresh(not_before: datetime) -> Snapshot:
    stored = await latest()  # again: a computation we waited for may have stored what we need
    if stored is not None and is_fresh(stored.computed_at, not_before):
        return stored
    started, clock = wall_clock(), time.perf_counter()
    found = await books.books_vs_ledger(started)
    seconds = Decimal(f"{time.perf_counter() - clock:.3f}")
    encoded = [encode(d) for d in found]
    values = {"computed_at": started, "seconds": seconds, "disagreements": encoded}
    if not await LedgerSnapshot.filter(id=ROW).update(**values):
        try:
            await LedgerSnapshot.create(id=ROW, computed_at=started, seconds=seconds, disagreements=encoded)
        except IntegrityError:  # SQLite with a second process: it created the row first; ours is newer
            await LedgerSnapshot.filter(id=ROW).update(**values)
    return Snapshot(started, seconds, tuple(found))
