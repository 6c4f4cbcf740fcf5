"""Shard leases: every shard of a forecast run runs once, and a run a restart interrupted is resumed.

A shard is claimed before it runs. Under the run's row lock (PostgreSQL ``SELECT … FOR UPDATE``; SQLite
serialises writers, and one process's Tortoise connection runs one transaction at a time) the claimant
writes a lease ``metrics["leases"][shard] = {"owner", "until"}`` when the shard has not reported and its
lease is free, expired, or already the claimant's own (a Dramatiq message redelivered after its worker died
reclaims its lease by message id). The holder renews the lease while it computes, so a lease outlives its
holder by at most ``lease_seconds``: a process that died mid-shard (a killed ``lotline serve``) leaves a
lease that the next sweep takes over once it expires; a server that stops cleanly releases its leases.

``resume_in_process`` is the sweep ``lotline serve`` runs without a broker, at start-up and then
periodically: every queued or running run's unreported shards, claimed one at a time. With a broker,
``stale_runs`` names the runs whose dispatch looks lost (nothing reported, nothing leased and nothing sent
for ``stale_seconds``) so the sweep queues their dispatch again; duplicate messages are harmless because a
shard that reported, or is leased by a live holder, is not run again.
"""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tortoise.transactions import in_transaction

from domain.common.dialect import is_postgres
from domain.replenishment import forecast_runs
from domain.replenishment.models import ForecastRun

LEASE_SECONDS = 120.0
UNFINISHED = ("queued", "running")
log = logging.getLogger(__name__)
T = TypeVar("T")


def process_owner() -> str:
    """A lease owner unique to this process and call: ``host:pid:random`` (shown in the run's metrics)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def _locked(run_id: int) -> ForecastRun | None:
    query = ForecastRun.filter(id=run_id)
    return await (query.select_for_update() if is_postgres() else query).first()


def _leases(row: ForecastRun) -> dict[str, Any]:
    return dict(row.metrics.get("leases", {}))


def lease_free(held: dict[str, str] | None, owner: str, now: datetime) -> bool:
    """Whether ``owner`` may take a lease ``held`` (``{"owner", "until"}`` or None) at ``now``: free,
    expired (``until`` not after ``now``) or its own."""
    return held is None or held["owner"] == owner or datetime.fromisoformat(held["until"]) <= now


async def claim_shard(run_id: int, shard: int, owner: str, now: datetime, lease_seconds: float) -> bool:
    """Takes (or renews) the lease of ``shard`` for ``owner`` until ``now + lease_seconds``.

    Returns False when the run is gone or finished, the shard already reported, or another owner's lease on
    it has not expired; True when ``owner`` may run it.
    """
    async with in_transaction():
        row = await _locked(run_id)
        if row is None or row.status not in UNFINISHED or not 0 <= shard < row.shards_total:
            return False
        if shard in row.metrics.get("shards_reported", []):
            return False
        leases = _leases(row)
        if not lease_free(leases.get(str(shard)), owner, now):
            return False
        leases[str(shard)] = {"owner": owner, "until": (now + timedelta(seconds=lease_seconds)).isoformat()}
        row.metrics = {**row.metrics, "leases": leases}
        await row.save(update_fields=["metrics"])
        return True


async def release_owner(owner: str) -> int:
    """Drops every lease ``owner`` holds on unfinished runs (a clean shutdown); returns how many."""
    released = 0
    for run_id in await unfinished_runs():
        async with in_transaction():
            row = await _locked(run_id)
            if row is None:
                continue
            leases = _leases(row)
            mine = [k for k, v in leases.items() if v["owner"] == owner]
            if mine:
                row.metrics = {**row.metrics, "leases": {k: v for k, v in leases.items() if k not in mine}}
                await row.save(update_fields=["metrics"])
                released += len(mine)
    return released


async def unreported_shards(run_id: int) -> list[int]:
    """The shards of a run that have not reported yet (what a dispatcher still has to send)."""
    run = await ForecastRun.get_or_none(id=run_id)
    if run is None:
        return []
    reported = set(run.metrics.get("shards_reported", []))
    return [i for i in range(run.shards_total) if i not in reported]


async def unfinished_runs() -> list[int]:
    """Ids of runs with shards still to report (queued or running), oldest first."""
    rows = ForecastRun.filter(status__in=UNFINISHED, shards_total__gt=0).order_by("id")
    return [r[0] for r in await rows.values_list("id")]


async def _renewing(work: Awaitable[T], renew: Callable[[], Awaitable[bool]], every: float) -> T:
    """Awaits ``work`` while renewing its lease every ``every`` seconds."""
    task = asyncio.ensure_future(work)
    while True:
        done, _ = await asyncio.wait({task}, timeout=every)
        if done:
            return task.result()
        if not await renew():
            log.warning("a forecast shard lease was lost while it ran (its store stays idempotent)")


async def run_shards(
    run_id: int, owner: str, now: Callable[[], datetime], lease_seconds: float = LEASE_SECONDS
) -> int:
    """Runs here each unreported shard of ``run_id`` that ``owner`` can claim; returns how many it ran.

    The fits run in a thread, off the event loop. A shard that raises is recorded as failed on the run (no
    retries in-process) and the next one runs.
    """
    ran = 0
    for shard in await unreported_shards(run_id):
        if not await claim_shard(run_id, shard, owner, now(), lease_seconds):
            continue
        try:
            work = await forecast_runs.shard_inputs(run_id, shard)
            results = await _renewing(
                asyncio.to_thread(forecast_runs.compute, work),
                lambda s=shard: claim_shard(run_id, s, owner, now(), lease_seconds),  # type: ignore[misc]
                lease_seconds / 3,
            )
            await forecast_runs.shard_store(work, results, now())
        except Exception as exc:  # recorded on the run, which is what its caller polls
            log.exception("forecast run %s shard %s failed in-process", run_id, shard)
            await forecast_runs.forecast_shard_failed(run_id, shard, f"{type(exc).__name__}: {exc}", now())
        ran += 1
    return ran


async def resume_in_process(
    owner: str, now: Callable[[], datetime], lease_seconds: float = LEASE_SECONDS
) -> int:
    """One sweep: every unfinished run's claimable shards, run here; returns the shards run."""
    ran = 0
    for run_id in await unfinished_runs():
        ran += await run_shards(run_id, owner, now, lease_seconds)
    return ran


async def stale_runs(now: datetime, stale_seconds: float) -> list[int]:
    """Unfinished runs with no live lease and no dispatch for ``stale_seconds``: lost dispatches."""
    stale = []
    cutoff = now - timedelta(seconds=stale_seconds)
    for run_id in await unfinished_runs():
        row = await ForecastRun.get(id=run_id)
        live = any(datetime.fromisoformat(v["until"]) > now for v in _leases(row).values())
        last = row.metrics.get("dispatched_at")
        seen = datetime.fromisoformat(last) if last else row.created_at
        seen = seen if seen.tzinfo else seen.replace(tzinfo=UTC)
        if not live and seen < cutoff:
            stale.append(run_id)
    return stale


async def mark_dispatched(run_id: int, now: datetime) -> None:
    """Records when a run's shards were last sent, for ``stale_runs``."""
    async with in_transaction():
        row = await _locked(run_id)
        if row is not None:
            row.metrics = {**row.metrics, "dispatched_at": now.isoformat()}
            await row.save(update_fields=["metrics"])
