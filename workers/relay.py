"""The outbox relay: hands unrelayed outbox rows to their actors after the postings commit.

One transaction per batch: lock the oldest unrelayed rows of the topics we serve (``FOR UPDATE SKIP LOCKED``
on PostgreSQL, so two relays share the work), send each, mark them relayed. A send that fails (Redis down)
raises, the transaction rolls back, and the rows are sent again by a later batch: delivery is at least once,
and actors are idempotent.
"""

import asyncio
import json
import logging
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.common.dialect import is_postgres
from domain.common.models import OutboxMessage

log = logging.getLogger(__name__)
Send = Callable[[str, dict[str, Any]], None]


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
    send: Send, topics: Collection[str], *, idle: float = 0.5, backoff: float = 2.0
) -> None:
    """Relays until cancelled; on failure logs and waits ``backoff`` seconds (the rows stay unrelayed)."""
    while True:
        try:
            sent = await relay_batch(send, topics)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("outbox relay failed; retrying in %.1fs", backoff, exc_info=True)
            await asyncio.sleep(backoff)
            continue
        if not sent:
            await asyncio.sleep(idle)
