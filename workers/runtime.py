"""An asyncio loop in its own thread with Tortoise open on it, for the worker process.

Dramatiq runs actors in plain threads; our services are coroutines on one Tortoise connection pool, which
belongs to the loop that opened it. So the worker opens Tortoise once on this loop, and actors (thin, sync)
hand their coroutine to ``run``. Each coroutine runs as a task in a copy of the context captured after
``init``, so it sees that Tortoise context whatever thread submitted it.
"""

import asyncio
import contextvars
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from tortoise.context import TortoiseContext

from lotline.config import Settings
from lotline.db import tortoise_config

T = TypeVar("T")


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="lotline-runtime", daemon=True)
        self._tortoise: TortoiseContext | None = None
        self._context: contextvars.Context | None = None

    def start(self) -> "Runtime":
        self._thread.start()
        # Open Tortoise from an empty context: a caller's own Tortoise context (a test session) must not be
        # the "current" one while ours initialises, or its connections would be touched from this loop.
        future = contextvars.Context().run(asyncio.run_coroutine_threadsafe, self._open(), self.loop)
        future.result(timeout=60)
        return self

    async def _open(self) -> None:
        ctx = TortoiseContext()
        ctx.__enter__()  # current in this task's context (init needs it), captured just below
        await ctx.init(config=tortoise_config(self.settings))
        self._tortoise = ctx
        self._context = contextvars.copy_context()

    async def _bound(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self._context is not None, "Runtime.start() first"
        return await asyncio.get_running_loop().create_task(coro, context=self._context.copy())

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Runs ``coro`` on the runtime's loop and waits for its result (from any other thread)."""
        return asyncio.run_coroutine_threadsafe(self._bound(coro), self.loop).result(timeout)

    def spawn(self, coro: Coroutine[Any, Any, T]) -> "asyncio.Future[T]":
        """Starts ``coro`` on the runtime's loop without waiting; returns a concurrent future."""
        return asyncio.run_coroutine_threadsafe(self._bound(coro), self.loop)  # type: ignore[return-value]

    def stop(self) -> None:
        if not self.loop.is_running():
            return
        if self._tortoise is not None:
            asyncio.run_coroutine_threadsafe(self._tortoise.close_connections(), self.loop).result(timeout=30)
            self._tortoise = None
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=30)
        self.loop.close()
