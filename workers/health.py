"""Data-health alerts: the scheduled scan that refreshes the stored books-vs-ledger list the views read and
stores new alerts (``domain.health.alerts.alerts_raise``), and the actor that notifies one alert per
``health.alert`` outbox row.

A notification is a log line (WARNING, logger ``lotline.health.alert``) and, when
``LOTLINE_HEALTH_WEBHOOK_URL`` is set, a JSON POST to it. The alert is marked notified only after the POST
answered 2xx; a failure counts an attempt and raises, so Dramatiq retries with its backoff, and if every retry
fails the next scan asks again (``RENOTIFY_AFTER``): an outage of the webhook delays the notification and
never drops it. A repeated message of an alert already notified does nothing.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import dramatiq
import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.common import outbox
from domain.health import alerts
from workers.runtime import Runtime

log = logging.getLogger(__name__)
alert_log = logging.getLogger("lotline.health.alert")
NOTIFY_ACTOR = "health_alert_notify"
SCAN_ACTOR = "health_scan"
QUEUE = "health"
TOPICS = (outbox.HEALTH_ALERT_TOPIC,)


class HealthConfig(BaseSettings):
    # Kept here (like the outbox relay's) so this area edits no shared settings file.
    model_config = SettingsConfigDict(env_prefix="LOTLINE_HEALTH_", extra="ignore")

    webhook_url: str = ""  # empty: the log line is the notification
    webhook_timeout_seconds: float = 10.0
    scan_seconds: float = 3600.0


async def notify(alert_id: int, config: HealthConfig, http: httpx.AsyncClient | None = None) -> bool:
    """Notifies one alert; True when it went out now, False when it had been notified already. Raises
    (after counting the attempt) when the webhook fails or answers other than 2xx."""
    message = await alerts.alert_message(alert_id)
    if message is None:
        return False
    if config.webhook_url:
        body = {
            "alert_id": message.alert_id,
            "supplier_code": message.supplier_code,
            "week": message.week,
            "metric": message.metric,
            "value": None if message.value is None else _plain(message.value),
            "threshold": _plain(message.threshold),
            "text": message.text,
        }
        client = http or httpx.AsyncClient(timeout=config.webhook_timeout_seconds)
        try:
            response = await client.post(config.webhook_url, json=body)
            response.raise_for_status()
        except httpx.HTTPError:
            await alerts.alert_attempt_failed(alert_id)
            raise
        finally:
            if http is None:
                await client.aclose()
    alert_log.warning("%s", message.text)
    await alerts.alert_notified(alert_id, datetime.now(UTC))
    return True


def _plain(d: Decimal) -> str:
    """``50.0000`` -> ``50``, ``3.5000`` -> ``3.5``: exact, without the column's padding."""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def declare_actors(
    broker: dramatiq.Broker, runtime: Runtime, config: HealthConfig | None = None
) -> "tuple[dict[str, dramatiq.Actor[Any, Any]], dramatiq.Actor[Any, Any]]":
    """The notify actor by topic (for the outbox relay), and the scan actor (for the schedule)."""
    config = config or HealthConfig()

    def health_alert_notify(payload: dict[str, Any]) -> None:
        runtime.run(notify(int(payload["alert_id"]), config), timeout=60)

    def health_scan(payload: dict[str, Any]) -> None:
        raised = runtime.run(alerts.alerts_raise(datetime.now(UTC)), timeout=600)
        log.info("health scan: %d new alerts, %d pending asked again", raised.new, raised.renudged)

    notify_actor = dramatiq.Actor(
        health_alert_notify,
        broker=broker,
        actor_name=NOTIFY_ACTOR,
        queue_name=QUEUE,
        priority=10,
        options={"max_retries": 8},  # backoff up to minutes; past that the scan's re-nudge takes over
    )
    scan_actor = dramatiq.Actor(
        health_scan,
        broker=broker,
        actor_name=SCAN_ACTOR,
        queue_name=QUEUE,
        priority=20,
        options={"max_retries": 3},
    )
    return {outbox.HEALTH_ALERT_TOPIC: notify_actor}, scan_actor


async def schedule_forever(send: Callable[[], None], every_seconds: float) -> None:
    """Sends a scan message now and then every ``every_seconds`` until cancelled."""
    while True:
        try:
            send()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("could not send the health scan message")
        await asyncio.sleep(every_seconds)
