"""The cyclic garbage collector's settings for a serving process (issue 15): applied once the app has started.

Two costs, both measured on the project's machine (bench/README.md, stop 11 and stop 15):

- The started app holds ~300,000 long-lived objects (schema, models, modules); a full collection walks all of
  them, 300 ms here, in the middle of some request. ``gc.freeze()`` moves them out of the collector's sight;
  what requests allocate is still collected.
- With CPython's default thresholds (700 allocations, then 10 and 10) a request of a few thousand objects runs
  dozens of young collections, each walking the request's objects that are still alive and promoting them;
  py-spy put ``gc_collect_main`` at 8 % of the server's CPU under a posting load. A young generation of
  50,000 lets most request objects die (by reference count) before any collection sees them: the server's
  CPU per receipt fell ~10 % and per shipment ~18 % in the same benchmark. Cyclic garbage waits a little
  longer to be freed (at most ~50,000 objects, a few MB).

Written here rather than taken from a library: these are two calls of the standard ``gc`` module; the
values are ours. ``bench/ceiling.py`` applies the same settings, so the list pages' ceiling is not held
back by a collector the real server no longer pays.
"""

import gc

#: Young-generation threshold, then how many young (middle) collections before a middle (full) one.
THRESHOLDS = (50_000, 20, 100)


def settle() -> None:
    """Collect once, freeze what survives (the started app) and set ``THRESHOLDS``. Undo with ``release``."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def release(previous: tuple[int, int, int]) -> None:
    """Thaw the frozen heap and restore ``previous`` thresholds (an embedding process, tests, goes on)."""
    gc.unfreeze()
    gc.set_threshold(*previous)
