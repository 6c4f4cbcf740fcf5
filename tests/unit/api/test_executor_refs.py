"""An execution leaves no reference cycle behind: its context dies when its answer is dropped (issue 15).

graphql-core's executor holds helpers bound to itself; through that cycle a request's context, loaders and
rows lived until the cyclic collector ran (``api.executor_refs``). With the collector off, the context of
an answered query must be gone as soon as nothing else holds it, and the helpers must still work.
"""

import asyncio
import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
import strawberry
from graphql import parse
from strawberry.types import Info

from api.basic_fields import BasicFieldPath
from api.executor_refs import detach_async_helpers


class _Context:
    def __init__(self) -> None:
        self.rows = [{"n": n} for n in range(100)]  # what a request's loaders would hold


@strawberry.type
class Row:
    n: int


@strawberry.type
class Query:
    @strawberry.field
    async def rows(self, info: Info[Any, None]) -> list[Row]:
        await asyncio.sleep(0)
        return [Row(n=r["n"]) for r in info.context.rows]

    @strawberry.field
    async def gathered(self, info: Info[Any, None]) -> list[int]:
        # graphql-core's helpers, as its executor uses them for an awaitable is_type_of.
        async def one(n: int) -> int:
            await asyncio.sleep(0)
            return n

        helpers = info._raw_info.async_helpers
        return list(await helpers.gather([one(1), one(2)]))


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def _context_alive_after(schema: strawberry.Schema, query: str) -> bool:
    context = _Context()
    alive = weakref.ref(context)
    result = await schema.execute(query, context_value=context)
    assert result.errors is None, result.errors
    del context, result
    return alive() is not None


async def test_the_context_dies_with_its_answer(collector_off: None) -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=BasicFieldPath)
    assert not await _context_alive_after(schema, "{ rows { n } }")


async def test_graphql_cores_own_executor_keeps_it_in_a_cycle(collector_off: None) -> None:
    # The fault the module exists for: if a graphql-core release drops the cycle, this fails and
    # api.executor_refs can go.
    schema = strawberry.Schema(query=Query)
    assert await _context_alive_after(schema, "{ rows { n } }")
    gc.collect()


async def test_the_detached_helpers_still_gather(collector_off: None) -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=BasicFieldPath)
    result = await schema.execute("{ gathered }", context_value=_Context())
    assert result.errors is None
    assert result.data == {"gathered": [1, 2]}


def test_a_helper_called_after_its_execution_is_gone_says_so() -> None:
    class Executor:
        async def gather_async_work(self, items: Any) -> list[Any]:
            return list(items)

        def track_async_work(self, items: Any) -> None:
            return None

    executor = Executor()
    detach_async_helpers(executor)
    helpers = executor.async_helpers  # type: ignore[attr-defined]
    assert helpers.track([1]) is None
    del executor
    with pytest.raises(RuntimeError, match="has finished"):
        helpers.track([1])


async def test_a_subscription_events_executor_has_its_own_helpers_and_node_answers() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=BasicFieldPath)
    executor = BasicFieldPath.build(schema._schema, parse("{ rows { n } }"), context_value=_Context())
    assert isinstance(executor, BasicFieldPath)
    event = executor.build_per_event_executor({"rows": []})
    assert event is not executor
    assert event.async_helpers is not executor.async_helpers
    assert event._node_answers is not executor._node_answers  # an event's nodes die with the event
    del executor
    assert event.async_helpers.track([1]) is None  # bound to the event's own executor, which lives
