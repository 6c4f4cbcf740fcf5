"""``is_awaitable`` for the executor, deciding once per class (issue 15).

graphql-core asks whether every value it meets is awaitable: ~8,800 times on a page of 100 orders.
strawberry's ``optimized_is_awaitable`` answers at once for built-in types; for an instance of one of our
types (an order, a line, a ``Quantity``) it falls through to graphql-core's checks, whose ``hasattr(value,
"__await__")`` fails with an exception each time. Python's ``await`` looks ``__await__`` up on the class, so
a class whose instances are not awaitable is remembered and its instances answered at once. A class that
computes attributes (``__getattr__``, its own ``__getattribute__``) is asked every time, as graphql-core
asks: its answer may depend on the instance.

Written here rather than taken from a library: strawberry's own predicate is the documented extension
point (``is_awaitable``), and it has no per-class memory.
"""

from collections.abc import Awaitable
from typing import Any, TypeGuard

from strawberry.execution import optimized_is_awaitable

# Classes whose instances were found not awaitable. Bounded: a process meets a fixed set of classes,
# but tests build schemas (and classes) by the hundred, so it stops growing at this size.
# Seeded with the built-in types strawberry's predicate answers at once: one look-up serves both.
_BUILT_IN = (type(None), bool, int, float, str, bytes, bytearray, list, tuple, dict, set, frozenset)
_NOT_AWAITABLE: set[type] = set(_BUILT_IN)
_MAX_CLASSES = 4096 + len(_BUILT_IN)


def is_awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """Whether ``value`` can be awaited: graphql-core's (and strawberry's) predicate, remembered per class
    for classes without computed attributes."""
    cls = type(value)
    if cls in _NOT_AWAITABLE:
        return False
    if optimized_is_awaitable(value):
        return True
    if (
        len(_NOT_AWAITABLE) < _MAX_CLASSES
        and getattr(cls, "__getattr__", None) is None
        and getattr(cls, "__getattribute__", None) is object.__getattribute__
    ):
        _NOT_AWAITABLE.add(cls)
    return False
