"""Forecast runs survive restarts: the sweep ``lotline serve`` runs at start-up and then periodically.

Without a broker the server runs forecast shards itself (``forecastRunStart`` in-process), so a restart
would leave a run ``running`` for ever; the sweep runs every unfinished run's unreported shards here, each
claimed by a lease first (``domain.replenishment.forecast_resume``), so a shard runs once even beside the
task the mutation spawned or another server on the same database. A clean shutdown releases its leases, so
the next start resumes at once; a killed server's leases expire after ``lease_seconds``.

With a broker the workers run the shards: the outbox covers the dispatch, and Dramatiq's Redis broker requeues
a dead worker's messages; the sweep only queues the dispatch of a run again when nothing was sent, reported
or leased for ``stale_seconds`` (a dispatch lost with Redis's data, say).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from pydantic_settings import BaseSettings, SettingsConfigDict
from tortoise.transactions import in_transaction

from domain.common import services
from domain.replenishment import forecast_resume, forecast_start
from lotline.config import Settings

log = logging.getLogger(__name__)


class SweepConfig(BaseSettings):
    # TODO(lead): fold into lotline.config.Settings; kept here so this area edits no shared file.
    model_config = SettingsConfigDict(env_prefix="LOTLINE_FORECAST_", extra="ignore")

    sweep_seconds: float = 60.0
    lease_seconds: float = forecast_resume.LEASE_SECONDS
    stale_seconds: float = 1800.0


def _now() -> datetime:
    return datetime.now(UTC)


async def redispatch_stale(now: datetime, stale_seconds: float) -> list[int]:
    """Queues the dispatch of every run whose dispatch looks lost again (outbox row); returns their ids."""
    runs = await forecast_resume.stale_runs(now, stale_seconds)
    for run_id in runs:
        async with in_transaction():
            await services.enqueue(forecast_start.FORECAST_RUN_TOPIC, {"run_id": run_id})
        await forecast_resume.mark_dispatched(run_id, now)
        log.warning("forecast run %s: no progress for %.0f s, dispatched again", run_id, stale_seconds)
    return runs


async def sweep_once(settings: Settings, owner: str, config: SweepConfig) -> int:
    """One sweep: shards run here (no broker) or runs dispatched again (broker); returns how many."""
    if settings.redis_url:
        return len(await redispatch_stale(_now(), config.stale_seconds))
    return await forecast_resume.resume_in_process(owner, _now, config.lease_seconds)


async def sweep_forever(settings: Settings, owner: str, config: SweepConfig) -> None:
    """Sweeps until cancelled: at once, then ``sweep_seconds`` after each sweep ends."""
    while True:
        try:
            done = await sweep_once(settings, owner, config)
            if done:
                log.info("forecast sweep: %s resumed", done)
        except Exception:
            log.exception("forecast sweep failed")
        await asyncio.sleep(config.sweep_seconds)


@contextlib.asynccontextmanager
async def embedded(settings: Settings, config: SweepConfig | None = None) -> AsyncIterator[str]:
    """For the server's lifespan (Tortoise open): the sweep task; yields its lease owner, releases on exit."""
    config = config or SweepConfig()
    owner = forecast_resume.process_owner()
    task = asyncio.create_task(sweep_forever(settings, owner, config), name="lotline-forecast-sweep")
    try:
        yield owner
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(Exception):  # the database may be going away too; leases then expire
            await forecast_resume.release_owner(owner)
