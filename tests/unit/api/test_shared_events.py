"""Subscription de-duplication (api/shared_events.py): one execution per event and distinct selection.

A small schema whose subscription yields the same ``SharedEvent`` to every subscriber (as the pick-task hub
does); resolver calls are counted to see how many times each selection was executed, and every subscriber's
result is compared with what an unshared execution gives.
"""

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any, cast

import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.types import ExecutionResult

from api.shared_events import SharedEvent, SharingExecutor

CALLS: list[str] = []


@strawberry.type
class Line:
    code: str

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        CALLS.append(f"shout:{self.code}:{times}")
        return self.code.upper() * times


@strawberry.type
class Task:
    number: str
    lines: list[Line]

    @strawberry.field
    def label(self) -> str:
        CALLS.append(f"label:{self.number}")
        return f"task {self.number}"

    @strawberry.field
    def broken(self) -> str:
        CALLS.append("broken")
        raise ValueError("no")


@dataclass
class Feed:
    events: "asyncio.Queue[Any]"


@strawberry.type
class Query:
    ok: bool = True


def make_schema(feeds: list[Feed]) -> strawberry.Schema:
    @strawberry.type
    class Subscription:
        @strawberry.subscription
        async def task_assigned(self, device: str) -> AsyncGenerator[Task, None]:
            feed = Feed(asyncio.Queue())
            feeds.append(feed)
            while True:
                yield cast(Task, await feed.events.get())

    return strawberry.Schema(query=Query, subscription=Subscription, execution_context_class=SharingExecutor)


async def deliver(queries: list[tuple[str, dict[str, Any]]], event: object) -> list[ExecutionResult]:
    """Subscribe each (query, variables), send ``event`` to all, return each subscriber's first result."""
    feeds: list[Feed] = []
    schema = make_schema(feeds)
    streams = [await schema.subscribe(q, variable_values=v) for q, v in queries]
    firsts = [asyncio.ensure_future(anext(s)) for s in streams]
    for _ in range(1000):  # every subscription reaches its resolver (a refused query never would)
        if len(feeds) == len(queries):
            break
        await asyncio.sleep(0)
    assert len(feeds) == len(queries), "a subscription did not start"
    for feed in feeds:
        feed.events.put_nowait(event)
    results = list(await asyncio.gather(*firsts))
    for s in streams:
        await s.aclose()
    return results


TASK = Task(number="T1", lines=[Line(code="a"), Line(code="b")])
SELECTION = "subscription($d: String!) { taskAssigned(device: $d) { number label lines { shout } } }"


async def test_one_execution_for_fifty_subscribers_with_the_same_selection_and_other_devices() -> None:
    CALLS.clear()
    results = await deliver([(SELECTION, {"d": f"HH{i}"}) for i in range(50)], SharedEvent(TASK))
    expected = {"number": "T1", "label": "task T1", "lines": [{"shout": "A"}, {"shout": "B"}]}
    assert [r.data for r in results] == [{"taskAssigned": expected}] * 50
    assert sorted(CALLS) == ["label:T1", "shout:a:1", "shout:b:1"]  # once, not 50 times


async def test_an_unshared_event_executes_per_subscriber() -> None:
    CALLS.clear()
    results = await deliver([(SELECTION, {"d": f"HH{i}"}) for i in range(3)], TASK)
    assert all(r.data == results[0].data for r in results)
    assert CALLS.count("label:T1") == 3


async def test_other_selections_and_variables_used_below_the_root_execute_on_their_own() -> None:
    CALLS.clear()
    by_var = "subscription($d: String!, $n: Int!) { taskAssigned(device: $d) { lines { shout(times: $n) } } }"
    aliased = "subscription($d: String!) { t: taskAssigned(device: $d) { number } }"
    fragment = (
        "subscription($d: String!) { taskAssigned(device: $d) { ...F } } "
        "fragment F on Task { number lines { code } }"
    )
    results = await deliver(
        [
            (SELECTION, {"d": "HH1"}),
            (by_var, {"d": "HH2", "n": 2}),
            (by_var, {"d": "HH3", "n": 3}),
            (by_var, {"d": "HH4", "n": 2}),
            (aliased, {"d": "HH5"}),
            (fragment, {"d": "HH6"}),
        ],
        SharedEvent(TASK),
    )
    twice = {"taskAssigned": {"lines": [{"shout": "AA"}, {"shout": "BB"}]}}
    assert results[1].data == results[3].data == twice
    assert results[2].data == {"taskAssigned": {"lines": [{"shout": "AAA"}, {"shout": "BBB"}]}}
    assert results[4].data == {"t": {"number": "T1"}}
    assert results[5].data == {"taskAssigned": {"number": "T1", "lines": [{"code": "a"}, {"code": "b"}]}}
    assert sorted(c for c in CALLS if c.startswith("shout")) == sorted(
        ["shout:a:1", "shout:b:1", "shout:a:2", "shout:b:2", "shout:a:3", "shout:b:3"]
    )


async def test_a_result_with_errors_is_not_handed_on() -> None:
    CALLS.clear()
    query = "subscription($d: String!) { taskAssigned(device: $d) { number broken } }"
    results = await deliver([(query, {"d": f"HH{i}"}) for i in range(3)], SharedEvent(TASK))
    assert all(r.errors and r.data is None for r in results)
    assert CALLS.count("broken") == 3


# A selection: any of the plain fields, and at most one way of asking for the lines (two ways of asking for
# ``shout`` with other arguments in one selection would conflict, which validation refuses).
FIELDS = ["number", "label"]
LINES = ["lines { code }", "lines { shout }", "lines { shout(times: 2) }", "lines { code shout(times: 3) }"]
SELECTIONS = (
    st.tuples(
        st.lists(st.sampled_from(FIELDS), max_size=2, unique=True),
        st.lists(st.sampled_from(LINES), max_size=1),
    )
    .map(lambda parts: parts[0] + parts[1])
    .filter(bool)
)


@settings(max_examples=30)
@given(st.lists(SELECTIONS, min_size=1, max_size=6))
def test_every_subscriber_gets_what_an_unshared_execution_gives(selections: list[list[str]]) -> None:
    template = "subscription($d: String!) {{ taskAssigned(device: $d) {{ {} }} }}"
    queries = [(template.format(" ".join(fields)), {"d": f"HH{i}"}) for i, fields in enumerate(selections)]

    async def both() -> tuple[list[Any], list[Any]]:
        shared = await deliver(queries, SharedEvent(TASK))
        alone = await deliver(queries, TASK)
        return [r.data for r in shared], [r.data for r in alone]

    shared, alone = asyncio.run(both())
    assert shared == alone
