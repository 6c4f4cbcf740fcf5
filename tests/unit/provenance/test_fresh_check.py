"""``FreshCheck``: callers share checks, and none is answered by a check older than its call."""

import asyncio
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supplier_portal.coalesce import FreshCheck


@dataclass
class Source:
    """A checked value that changes over (virtual) time; each check records when it started."""

    version: int = 0
    starts: list[int] = field(default_factory=list)
    duration: float = 0.01

    async def check(self) -> int:
        seen = self.version  # what the database says when the query begins
        self.starts.append(seen)
        await asyncio.sleep(self.duration)
        return seen


async def test_one_caller_runs_one_check() -> None:
    source = Source(version=3)
    assert await FreshCheck[str, int]().get("k", source.check) == 3
    assert source.starts == [3]


async def test_callers_during_a_check_share_the_next_one_which_sees_what_they_saw() -> None:
    source = Source(duration=0.02)
    fresh: FreshCheck[str, int] = FreshCheck()
    first = asyncio.ensure_future(fresh.get("k", source.check))
    await asyncio.sleep(0.005)  # the first check is running
    source.version = 1  # an edit commits; the callers below arrive after it
    later = [asyncio.ensure_future(fresh.get("k", source.check)) for _ in range(15)]
    results = await asyncio.gather(first, *later)
    assert results[0] == 0
    assert results[1:] == [1] * 15  # never the running check's older answer
    assert source.starts == [0, 1]  # sixteen callers, two checks


async def test_keys_do_not_share() -> None:
    source = Source()
    fresh: FreshCheck[str, int] = FreshCheck()
    await asyncio.gather(fresh.get("a", source.check), fresh.get("b", source.check))
    assert len(source.starts) == 2


async def test_a_failure_reaches_every_caller_that_shared_it_and_the_next_call_checks_again() -> None:
    fresh: FreshCheck[str, int] = FreshCheck()
    calls = 0

    async def failing() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise ConnectionError("database gone")

    outcomes = await asyncio.gather(*(fresh.get("k", failing) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(o, ConnectionError) for o in outcomes)
    assert calls == 2  # the first caller's check, and the one the four later callers shared
    with pytest.raises(ConnectionError):
        await fresh.get("k", failing)
    assert calls == 3


async def test_a_cancelled_caller_does_not_cancel_the_check_others_wait_for() -> None:
    source = Source(duration=0.02)
    fresh: FreshCheck[str, int] = FreshCheck()
    leaving = asyncio.ensure_future(fresh.get("k", source.check))
    staying = asyncio.ensure_future(fresh.get("k", source.check))
    await asyncio.sleep(0.005)
    leaving.cancel()
    assert await staying == 0
    assert leaving.cancelled()


@settings(max_examples=40)
@given(
    schedule=st.lists(
        st.tuples(st.integers(0, 30), st.booleans()),  # (ms before the next caller, an edit commits first)
        min_size=1,
        max_size=25,
    )
)
def test_every_answer_is_at_least_as_new_as_the_state_at_the_call(schedule: list[tuple[int, bool]]) -> None:
    async def scenario() -> None:
        source = Source(duration=0.004)
        fresh: FreshCheck[str, int] = FreshCheck()
        calls: list[tuple[int, asyncio.Future[int]]] = []
        for gap_ms, edit in schedule:
            await asyncio.sleep(gap_ms / 10_000)
            if edit:
                source.version += 1
            calls.append((source.version, asyncio.ensure_future(fresh.get("k", source.check))))
        for version_at_call, answer in calls:
            assert await answer >= version_at_call
        # Never more than one check running plus one queued: at most one check per caller, and no idle
        # caller-free check.
        assert len(source.starts) <= len(calls)

    asyncio.run(scenario())
