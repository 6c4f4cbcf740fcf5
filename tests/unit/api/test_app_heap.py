"""The app's lifespan keeps its long-lived heap out of full garbage collections while it serves."""

import gc
import weakref

from api import collector
from api.app import create_app
from lotline.config import Settings


class _Node:
    other: "_Node"


async def test_the_started_app_is_frozen_while_serving_and_thawed_after() -> None:
    app = create_app(Settings(database_url="sqlite://:memory:"), manage_database=False)
    assert gc.get_freeze_count() == 0
    before = gc.get_threshold()
    async with app.router.lifespan_context(app):
        # A request's objects die before a young collection sees most of them (api/collector.py).
        assert gc.get_threshold() == collector.THRESHOLDS
        # Everything alive at startup (schema, models, modules) is in the permanent generation: a full
        # collection during a request no longer walks it.
        assert gc.get_freeze_count() > 100_000
        cycle = _Node()
        cycle.other = _Node()
        cycle.other.other = cycle  # only the cyclic collector can free it
        alive = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert alive() is None  # what requests allocate is still collected
    assert gc.get_freeze_count() == 0  # an embedding process (these tests) can collect the app again
    assert gc.get_threshold() == before
