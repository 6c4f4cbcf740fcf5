"""Pick tasks to connected handhelds: one listener per process fans a new task out to subscribers.

On PostgreSQL the listener ``LISTEN``s on the channel that ``domain.devices.tasks.announce`` notifies in the
task's own transaction, so a task reaches its subscribers the moment it commits, whichever process created
it. On the embedded SQLite (one process, no ``NOTIFY``) it polls the task table every 100 ms instead.
Subscribers are queues filtered by warehouse and assignee; a slow subscriber drops nothing (its queue
grows) and a disconnected one is removed.
"""

import asyncio
import contextlib
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncpg

from domain.devices import rules
from domain.devices.models import PickTask
from domain.devices.tasks import CHANNEL

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(eq=False)
class Subscriber:
    warehouse_id: int
    user_id: int
    zones: tuple[str, ...] = ()  # the picker's zones when it subscribed; (): the whole warehouse
    queue: asyncio.Queue[int] = field(default_factory=asyncio.Queue)

    def wants(self, warehouse_id: int, assignee_id: int | None, paths: list[str] | None = None) -> bool:
        """A task of its warehouse for it or anyone, with a bin in its zones (``paths`` None: unknown)."""
        return (
            warehouse_id == self.warehouse_id
            and assignee_id in (None, self.user_id)
            and (not paths or not self.zones or any(rules.in_zones(p, self.zones) for p in paths))
        )


class TaskHub:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.subscribers: set[Subscriber] = set()
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        # One load per task, shared by every subscriber it goes to (50 handhelds: 1 query set, not 50).
        self._views: OrderedDict[int, asyncio.Future[Any]] = OrderedDict()
        # Renders the view a NOTIFY carries (``tasks.task_view``): then no query stands between the
        # commit and the devices. Set by the API (it knows the GraphQL types); None: always load.
        self.render: Callable[[dict[str, Any]], Any] | None = None

    def view(self, task_id: int, load: Callable[[int], Coroutine[Any, Any, T]]) -> "asyncio.Future[T]":
        """The task as ``load`` renders it, loaded once for all subscribers (the last 256 are kept)."""
        found = self._views.get(task_id)
        if found is None:
            found = self._keep(task_id, asyncio.ensure_future(load(task_id)))
        return found

    def _keep(self, task_id: int, future: "asyncio.Future[Any]") -> "asyncio.Future[Any]":
        self._views[task_id] = future
        while len(self._views) > 256:
            self._views.popitem(last=False)
        return future

    def _deliver(
        self, task_id: int, warehouse_id: int, assignee_id: int | None, paths: list[str] | None = None
    ) -> None:
        for sub in list(self.subscribers):
            if sub.wants(warehouse_id, assignee_id, paths):
                sub.queue.put_nowait(task_id)

    async def _listen_postgres(self) -> None:
        dsn = self.database_url.split("?", 1)[0].replace("asyncpg://", "postgres://", 1)
        while True:
            try:
                conn = await asyncpg.connect(dsn)
                await conn.add_listener(CHANNEL, self._on_notify)
                self._ready.set()
                while True:  # a dead connection shows on the next query; notifications missed meanwhile
                    await asyncio.sleep(5)  # are caught up by the devices' pull when they reconnect
                    await conn.execute("SELECT 1")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("pick task listener lost its connection (%s); reconnecting", exc)
                await asyncio.sleep(1)

    def _on_notify(self, conn: object, pid: int, channel: str, payload: str) -> None:
        data = json.loads(payload)
        task_id = int(data["taskId"])
        if data.get("view") is not None and self.render is not None and self.subscribers:
            ready: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            ready.set_result(self.render(data["view"]))
            self._keep(task_id, ready)
        self._deliver(task_id, int(data["warehouseId"]), data.get("assigneeId"), data.get("paths"))

    async def _poll(self) -> None:
        last = await PickTask.all().order_by("-id").first()
        seen = last.id if last else 0
        self._ready.set()
        while True:
            await asyncio.sleep(0.1)
            for t in await PickTask.filter(id__gt=seen).order_by("id"):
                seen = t.id
                self._deliver(t.id, t.warehouse_id, t.assignee_id)

    async def start(self) -> None:
        if self._listener is None:
            postgres = self.database_url.startswith(("postgres://", "postgresql://", "asyncpg://"))
            self._listener = asyncio.create_task(self._listen_postgres() if postgres else self._poll())
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None

    @contextlib.asynccontextmanager
    async def subscribe(
        self, warehouse_id: int, user_id: int, zones: tuple[str, ...] = ()
    ) -> AsyncIterator[Subscriber]:
        await self.start()
        sub = Subscriber(warehouse_id, user_id, zones)
        self.subscribers.add(sub)
        try:
            yield sub
        finally:
            self.subscribers.discard(sub)
