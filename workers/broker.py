"""The Dramatiq broker: Redis when ``LOTLINE_REDIS_URL`` is set, else an in-process stub broker.

Actors are declared on the broker given (not on Dramatiq's global default, which would try RabbitMQ), so
tests and the worker build as many brokers as they like.
"""

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from lotline.config import Settings


def make_broker(settings: Settings) -> dramatiq.Broker:
    if settings.redis_url:
        broker: dramatiq.Broker = RedisBroker(  # type: ignore[no-untyped-call]
            url=settings.redis_url, socket_timeout=5, socket_connect_timeout=5
        )
    else:
        broker = StubBroker()
    dramatiq.set_broker(broker)
    return broker


def make_worker(broker: dramatiq.Broker, threads: int = 2) -> dramatiq.Worker:
    """Consumes every declared queue in this process (with the stub broker, the in-process worker)."""
    return dramatiq.Worker(broker, worker_threads=threads, worker_timeout=200)
