"""The outbox relay: hands unrelayed outbox rows to their actors after the postings commit.

One transaction per batch: lock the oldest unrelayed rows of the topics we serve (``FOR UPDATE SKIP LOCKED``
on PostgreSQL, so two relays share the work), send each, mark them relayed. A send that fails (Redis down)
raises, the transaction rolls back, and the rows are sent again by a later batch: delivery is at least once,
and actors are idempotent.

Every ``prune_every_seconds`` the relay also deletes rows past the outbox's retention
(``domain.common.outbox.prune``; ``LOTLINE_OUTBOX_RETENTION_HOURS``, default 168), so the table stays the
size of a week of postings.
"""

import asyncio
import json
import logging
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from tortoise.transactions import in_transaction

from domain.common import outbox
from domain.common.dialect import is_postgres
from domain.common.models import OutboxMessage

log = logging.getLogger(__name__)
Send = Callable[[str, dict[str, Any]], None]


class OutboxConfig(BaseSettings):
    # TODO(lead): fold into lotline.config.Settings; kept here so this area edits no shared file.
    model_config = SettingsConfigDict(env_prefix="LOTLINE_OUTBOX_", extra="ignore")

    retention_hours: float = 168.0  # relayed rows are kept this long, then deleted
    prune_every_seconds: float = 300.0


async def prune_step(config: OutboxConfig) -> outbox.Pruned:
    """One pruning pass (logged when it deleted anything)."""
    pruned = await outbox.prune(timedelta(hours=config.retention_hours))
    if pruned.relayed or pruned.unrelayed:
        log.info(
            "outbox pruned: %d relayed rows, %d unrelayed nudges or retired topics (older than %g h)",
            pruned.relayed,
            pruned.unrelayed,
            config.retention_hours,
        )
    return pruned


async def relay_batch(send: Send, topics: Collection[str], limit: int = 500) -> int:
    """Relays up to ``limit`` rows; returns how many. Raises (nothing marked) when a send fails."""
    # The relay reads the outbox model directly: it belongs to no area. TODO(lead): move the query part to
    # domain.common.services (claim_outbox) if that module grows one.
    async with in_transaction():
        query = OutboxMessage.filter(relayed_at=None, topic__in=list(topics)).order_by("id").limit(limit)
        if is_postgres():
            query = query.select_for_update(skip_locked=True)
        rows = await query
        if not rows:
            return 0
        batch = [(r.topic, r.payload if isinstance(r.payload, dict) else json.loads(r.payload)) for r in rows]
        # Broker clients block: send from a thread so the loop keeps serving other work.
        await asyncio.to_thread(_send_all, send, batch)
        await OutboxMessage.filter(id__in=[r.id for r in rows]).update(relayed_at=datetime.now(UTC))
    return len(rows)


def _send_all(send: Send, batch: list[tuple[str, dict[str, Any]]]) -> None:
    for topic, payload in batch:
        send(topic, payload)


async def relay_forever(
    send: Send,
    topics: Collection[str],
    *,
    idle: float = 0.5,
    backoff: float = 2.0,
    config: OutboxConfig | None = None,
) -> None:
    """Relays until cancelled, pruning now and then; on failure logs (with the traceback once per kind of
    failure, not every retry) and waits ``backoff`` seconds (the rows stay unrelayed)."""
    config = config or OutboxConfig()
    next_prune = time.monotonic()
    last_failure = ""
    while True:
        try:
            if time.monotonic() >= next_prune:
                next_prune = time.monotonic() + config.prune_every_seconds
                await prune_step(config)
            sent = await relay_batch(send, topics)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failure = f"{type(exc).__name__}: {exc}"
            log.warning(
                "outbox relay failed; retrying in %.1fs: %s",
                backoff,
                failure,
                exc_info=failure != last_failure,
            )
            last_failure = failure
            await asyncio.sleep(backoff)
            continue
        if last_failure:
            log.info("outbox relay working again")
            last_failure = ""
        if not sent:
            await asyncio.sleep(idle)
