"""The scheduled expiry scan through Dramatiq on the test Redis: the worker's actor runs the scan."""

import asyncio
from datetime import UTC, datetime, timedelta

from domain.common import business_time
from domain.expiry.models import ExpiryAlert
from lotline.config import Settings
from tests.integration.expiry import expiring
from tests.integration.expiry.conftest import make_world
from workers import broker as broker_mod
from workers import expiry
from workers.runtime import Runtime


async def test_the_scheduled_job_raises_the_alert_once_through_redis(db, pg_url, redis_url):
    now = datetime.now(UTC)  # the actor scans at the clock's instant, as in production
    today = business_time.business_today(now)
    w = await make_world(alert_days=3)
    lot = await w.receive("3", expiry=today + timedelta(days=1), at=now)
    settings = Settings(database_url=pg_url, redis_url=redis_url)
    broker = broker_mod.make_broker(settings)
    broker.flush(expiry.QUEUE)
    runtime = Runtime(settings).start()
    actor = expiry.declare_actor(broker, runtime)
    worker = broker_mod.make_worker(broker)
    worker.start()
    sent: list[object] = []
    first = asyncio.Event()

    def send() -> None:
        sent.append(actor.send({}))
        first.set()

    try:
        schedule = asyncio.create_task(expiry.schedule_forever(send, 3600))
        await first.wait()  # the schedule sends at once, then every hour
        send()  # a second message, as from a second worker process: the scan adds nothing
        await asyncio.to_thread(broker.join, expiry.QUEUE, timeout=60_000)
        schedule.cancel()
        alerts = await ExpiryAlert.filter(batch_id=lot.id).values_list("kind", "days_left")
    finally:
        worker.stop()
        broker.close()
        runtime.stop()
        await expiring.retire_lots(w.sku.id)

    assert len(sent) == 2
    assert alerts == [("near_expiry", 1)]
