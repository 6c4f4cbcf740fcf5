"""graphql-core's executor without its reference cycle, so a request's objects die when it answers (issue 15).

graphql-core 3.3's ``ExecutionContext`` keeps ``async_helpers``, a tuple of its own bound methods
(``gather_async_work``, ``track_async_work``): executor → helpers → bound method → executor. Through that
cycle everything the execution reaches — the request's context, its loaders with every row and future
they hold, the collected fields — outlives the answer until the cyclic collector finds it: ~3,100 objects
per purchase-order page (``gc.DEBUG_SAVEALL`` over one request), so after-request collections every third
page, and under 16 clients young collections promoting whole pages to the middle generation, whose
collections took up to 1 s (bench/README.md, stop 18).

``detach_async_helpers`` gives the executor helpers that call it through weak references: the same calls
while it runs (its own frames hold it), no cycle after. Written here rather than taken from a library:
graphql-core offers no option for it, and the helpers are a public attribute of its executor.
"""

import weakref
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfoHelpers


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` (bound) called through a weak reference to its object.

    Raises ``RuntimeError`` if called once the object is gone: a resolver's work outliving its execution,
    which graphql-core's own helpers would have served from a finished executor."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any) -> Any:
        bound = ref()
        if bound is None:
            raise RuntimeError("the GraphQL execution this work belonged to has finished")
        return bound(*args)

    return call


def detach_async_helpers(executor: Any) -> None:
    """Replace ``executor.async_helpers`` (graphql-core ``GraphQLResolveInfoHelpers``) by the same helpers
    holding the executor weakly. Call it from the executor's ``__init__``, before any field runs."""
    executor.async_helpers = GraphQLResolveInfoHelpers(
        gather=_weakly(executor.gather_async_work), track=_weakly(executor.track_async_work)
    )
