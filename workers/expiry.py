"""The scheduled expiry scan: a Dramatiq actor that runs ``domain.expiry.services.expiry_scan``, and the loop
that sends it every ``LOTLINE_EXPIRY_SCAN_SECONDS`` (default an hour) from ``lotline worker``.

The scan is idempotent (a second run the same business day adds nothing), so a duplicate or retried message
costs a query and no more; an hourly run expires a lot within the hour after midnight in the business zone,
and picking refuses an expired lot at read time in between.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import dramatiq

from domain.expiry import services
from workers.runtime import Runtime

log = logging.getLogger(__name__)
ACTOR_NAME = "expiry_scan"
QUEUE = "expiry"


def run_scan(runtime: Runtime) -> services.ScanResult:
    """One scan at the clock's current instant, on the runtime's loop."""
    result = runtime.run(services.expiry_scan(datetime.now(UTC)))
    log.info(
        "expiry scan %s: %d lots expired, %d alerts, %d promotion proposals",
        result.day,
        result.batches_expired,
        result.alerts_raised,
        result.proposals_made,
    )
    return result


def declare_actor(broker: dramatiq.Broker, runtime: Runtime) -> "dramatiq.Actor[Any, Any]":
    """The ``expiry_scan`` actor on ``broker`` (retried by Dramatiq on failure: the scan is idempotent)."""

    def expiry_scan(payload: dict[str, Any]) -> None:
        run_scan(runtime)

    return dramatiq.Actor(
        expiry_scan,
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=QUEUE,
        priority=10,
        options={"max_retries": 3},
    )


async def schedule_forever(send: Callable[[], None], every_seconds: float) -> None:
    """Sends a scan message now and then every ``every_seconds`` until cancelled."""
    while True:
        try:
            send()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("could not send the expiry scan message")
        await asyncio.sleep(every_seconds)
