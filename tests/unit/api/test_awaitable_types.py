"""``api.awaitable_types.is_awaitable`` answers as graphql-core's predicate for every value, in any order,
though it remembers classes: a class with computed attributes is still asked per instance."""

import asyncio
from collections.abc import Generator
from decimal import Decimal
from typing import Any

from graphql.pyutils import is_awaitable as graphql_is_awaitable
from hypothesis import given
from hypothesis import strategies as st

from api.awaitable_types import is_awaitable
from api.scalars import Money, Quantity
from tests.unit.api.awaitables import Later


class Plain:
    pass


class Sometimes:
    """Awaitable or not by instance: its ``__await__`` is computed."""

    def __init__(self, awaitable: bool) -> None:
        self.awaitable = awaitable

    def __getattr__(self, name: str) -> Any:
        if name == "__await__" and self.awaitable:
            return Later(None).__await__
        raise AttributeError(name)


async def _coroutine() -> None:
    return None


def _generator() -> Generator[int, None, None]:
    yield 1


_MAKERS: list[Any] = [
    lambda: None,
    lambda: 1,
    lambda: "x",
    lambda: Decimal("1.5"),
    lambda: {"a": 1},
    lambda: [1],
    lambda: Plain(),
    lambda: Quantity(value=Decimal(1), unit="kg"),
    lambda: Money(amount=Decimal(2), currency="CNY"),
    lambda: Later(1),
    lambda: Sometimes(True),
    lambda: Sometimes(False),
    _coroutine,
    _generator,
]


@given(st.lists(st.sampled_from(range(len(_MAKERS))), min_size=1, max_size=30))
def test_it_answers_as_graphql_core_in_any_order(order: list[int]) -> None:
    for index in order:
        value = _MAKERS[index]()
        try:
            assert is_awaitable(value) == graphql_is_awaitable(value)
        finally:
            if asyncio.iscoroutine(value):
                value.close()


def test_a_class_with_computed_attributes_is_asked_per_instance() -> None:
    assert not is_awaitable(Sometimes(False))
    assert is_awaitable(Sometimes(True))
    assert not is_awaitable(Plain())
    assert not is_awaitable(Plain())  # remembered
