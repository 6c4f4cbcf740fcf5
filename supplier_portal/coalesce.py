"""Concurrent checks of the same thing, shared without ever answering from before the question.

The provenance page asks PostgreSQL, on every request, whether the rows behind a cached page are unchanged
(``domain.provenance.fingerprint``). Sixteen phones scanning the same box at once would run sixteen identical
queries; sharing the one already running would be cheaper but would answer a request with a check that began
before the request arrived, so an edit committed in between could be served as unchanged.

``FreshCheck`` shares differently: a caller never receives a result from a check that started before its
call. While a check of a key runs, every new caller waits for the *next* check of that key, which starts when
the running one ends and serves all of them. Under any load there are at most two checks of a key (one
running, one waiting) and each caller waits at most for the end of one check plus one whole check of its
own. (A generic memoising cache such as ``async-lru`` shares results by key whatever their start time, which
is exactly the staleness this must not have, hence this small class.)
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FreshCheck(Generic[K, V]):
    """Shares concurrent calls of ``check`` per key; every result comes from a check started after the call.

    A caller that is cancelled does not cancel the shared check (others wait for it); an exception raised by
    the check reaches every caller that shared it. Checks belong to the loop that started them (asyncio
    futures are bound to their loop); a check left pending by a loop that closed is ignored by the next one.
    """

    def __init__(self) -> None:
        self._running: dict[K, asyncio.Future[V]] = {}
        self._next: dict[K, asyncio.Future[V]] = {}

    async def get(self, key: K, check: Callable[[], Awaitable[V]]) -> V:
        """The result of a call of ``check()`` that started no earlier than this call."""
        loop = asyncio.get_running_loop()
        running = self._running.get(key)
        if running is None or running.get_loop() is not loop:  # none, or left behind by a closed loop
            task = self._run(key, check)
        else:
            queued = self._next.get(key)
            task = (
                queued
                if queued is not None and queued.get_loop() is loop
                else self._queue(key, running, check)
            )
        return await asyncio.shield(task)

    def _run(self, key: K, check: Callable[[], Awaitable[V]]) -> "asyncio.Future[V]":
        task: asyncio.Future[V] = asyncio.ensure_future(check())
        self._running[key] = task
        task.add_done_callback(lambda done: self._forget(self._running, key, done))
        return task

    def _queue(
        self, key: K, running: "asyncio.Future[V]", check: Callable[[], Awaitable[V]]
    ) -> "asyncio.Future[V]":
        async def after() -> V:
            await asyncio.wait([running])  # its outcome is its callers'; this one starts afresh
            self._forget(self._next, key, task)  # from here on, newcomers queue behind this check
            return await self._run(key, check)

        task: asyncio.Future[V] = asyncio.ensure_future(after())
        self._next[key] = task
        task.add_done_callback(lambda done: self._forget(self._next, key, done))
        return task

    @staticmethod
    def _forget(table: "dict[K, asyncio.Future[V]]", key: K, task: "asyncio.Future[V]") -> None:
        if table.get(key) is task:
            del table[key]
        if task.done() and not task.cancelled():
            task.exception()  # marked retrieved: no "never retrieved" warning if every caller went away
