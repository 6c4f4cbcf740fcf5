"""``api.collector``: young collections run after a request, in CPython's own rhythm for the older
generations, and only once ``YOUNG`` objects were allocated."""

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from api import collector


@pytest.fixture
def serving() -> Iterator[None]:
    with collector.serving():
        yield


@pytest.mark.parametrize(
    ("counts", "generation"),
    [
        ((collector.YOUNG - 1, 50, 500), None),
        ((collector.YOUNG, 0, 0), 0),
        ((collector.YOUNG, collector.MIDDLE_EVERY - 1, collector.OLD_EVERY - 1), 0),
        ((collector.YOUNG, collector.MIDDLE_EVERY, 0), 1),
        ((collector.YOUNG, collector.MIDDLE_EVERY, collector.OLD_EVERY), 2),
        ((collector.YOUNG + 5, 0, collector.OLD_EVERY), 2),
    ],
)
def test_the_generation_due_after_a_request(
    monkeypatch: pytest.MonkeyPatch, counts: tuple[int, int, int], generation: int | None
) -> None:
    collected: list[int] = []
    monkeypatch.setattr(gc, "get_count", lambda: counts)
    monkeypatch.setattr(gc, "collect", lambda g=2: collected.append(g) or 0)
    assert collector.collect_after_request() == generation
    assert collected == ([] if generation is None else [generation])


async def _answer(allocate: int, scope_type: str) -> tuple[int, int]:
    """The young count (objects allocated and still alive since the last collection, as CPython counts)
    just before the response is sent and right after the middleware returns."""
    seen: list[int] = []
    kept: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        kept.extend([i] for i in range(allocate))  # what outlives the request (caches, cycles)
        seen.append(gc.get_count()[0])

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    async def send(message: Any) -> None:
        pass

    await collector.CollectAfterRequest(app)({"type": scope_type}, receive, send)
    return seen[0], gc.get_count()[0]


async def test_a_request_that_allocated_past_young_is_followed_by_a_collection(serving: None) -> None:
    gc.collect()
    during, after = await _answer(collector.YOUNG * 2, "http")
    assert during >= collector.YOUNG  # no automatic collection inside the request (threshold 50,000)
    assert after < collector.YOUNG // 10


async def test_only_the_last_request_in_flight_is_followed_by_one(serving: None) -> None:
    gc.collect()
    middleware = collector.CollectAfterRequest(_noop)
    middleware.in_flight = 1  # another request still running: its objects are alive, nothing is collected
    kept = [[i] for i in range(collector.YOUNG * 2)]
    await middleware({"type": "http"}, _receive, _send)
    assert gc.get_count()[0] >= collector.YOUNG
    middleware.in_flight = 0
    await middleware({"type": "http"}, _receive, _send)
    assert gc.get_count()[0] < collector.YOUNG // 10
    assert len(kept) == collector.YOUNG * 2


async def _noop(scope: Any, receive: Any, send: Any) -> None:
    pass


async def _receive() -> dict[str, Any]:
    return {"type": "http.request"}


async def _send(message: Any) -> None:
    pass


async def test_a_websocket_connection_is_not_followed_by_one(serving: None) -> None:
    gc.collect()
    during, after = await _answer(collector.YOUNG * 2, "websocket")
    assert after >= during - 100


async def test_under_cpythons_defaults_nothing_is_collected_after_a_request() -> None:
    assert gc.get_threshold()[0] < collector.YOUNG  # the test process's own collector settings
    _, after = await _answer(collector.YOUNG * 2, "http")
    assert after < gc.get_threshold()[0] + 1
