"""The cyclic garbage collector's settings for a serving process (issue 15): applied once the app has started.

Measured on the project's machine (bench/README.md, stop 11 and stop 15):

- The started app holds ~300,000 long-lived objects (schema, models, modules); a full collection walks all of
  them, 300 ms here, in the middle of some request. ``gc.freeze()`` moves them out of the collector's sight;
  what requests allocate is still collected.
- With CPython's default thresholds (700 allocations, then 10 and 10) a request of a few thousand objects runs
  dozens of young collections, each walking the request's objects that are still alive; py-spy put
  ``gc_collect_main`` at 8 % of the server's CPU under postings, and a purchase-order page paid 3.2–3.8 ms of
  collections with pauses up to 34 ms (the full ones, ~1 page in 9). A larger automatic threshold alone
  (50,000) halved the total but made each young collection walk a whole page's live result: pauses of
  45–55 ms, the one-client p99 worse.
- So the automatic young threshold is 50,000 (``THRESHOLDS``: under load, postings' server CPU −10 % per
  receipt, −18 % per shipment), and when the server falls **idle** — the last request in flight has sent its
  response — ``CollectAfterRequest`` runs the collection that is due then, when the requests' objects are
  dead and the collector walks only what survived (CPython's young count, objects allocated and not freed,
  at ``YOUNG``; a middle collection every ``MIDDLE_EVERY`` young ones and a full one every ``OLD_EVERY``
  middle ones). One client's pages, in process: collections 1.2 ms a page, the longest 6 ms, p99 38–41 ms
  against 49–66 ms by default and 50–70 ms with the larger threshold alone. Not after every request: with
  16 in flight, a collection after each one walked all the others' live pages (the purchase-order page's
  server CPU 15 → 25 ms).

Since stop 18 a request leaves no reference cycle behind (``api.executor_refs``: graphql-core's executor
held one that kept each request's context and rows for the collector), so its objects die as it answers;
the after-request collection now finds little to do after a list page, and under 16 clients the middle
collections that had taken up to 1 s (whole pages promoted into them) take at most ~25 ms.

Written here rather than taken from a library: these are calls of the standard ``gc`` module and a six-line
ASGI middleware; the values are ours. ``bench/ceiling.py`` applies the same settings, so the list pages'
ceiling is not held back by a collector the real server no longer pays.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.types import ASGIApp, Receive, Scope, Send

#: Automatic thresholds while serving: young, then middle and full in CPython's counts.
THRESHOLDS = (50_000, 20, 100)
#: After a request: collect once the young count (allocated, not yet freed, since the last one) reaches this.
YOUNG = 10_000
MIDDLE_EVERY = 10  # young collections between middle ones (CPython's default)
OLD_EVERY = 100  # middle collections between full ones (the started app itself is frozen)


def settle() -> None:
    """Collect once, freeze what survives (the started app) and set ``THRESHOLDS``. Undo with ``release``."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def release(previous: tuple[int, int, int]) -> None:
    """Thaw the frozen heap and restore ``previous`` thresholds (an embedding process, tests, goes on)."""
    gc.unfreeze()
    gc.set_threshold(*previous)


@contextmanager
def serving() -> Iterator[None]:
    """``settle`` for the body; then the heap thawed and the thresholds as they were (an embedding process,
    tests, goes on collecting as before)."""
    previous = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        release(previous)


def collect_after_request() -> int | None:
    """The generation collected now (0 young, 1 middle, 2 full), or None: nothing due (``YOUNG`` not
    reached, as always under CPython's default thresholds, which collect before it is)."""
    young, middle, old = gc.get_count()
    if young < YOUNG:
        return None
    generation = 2 if old >= OLD_EVERY else 1 if middle >= MIDDLE_EVERY else 0
    gc.collect(generation)
    return generation


class CollectAfterRequest:
    """ASGI middleware: ``collect_after_request`` once the last HTTP request in flight has been answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            if self.in_flight == 0:
                collect_after_request()
