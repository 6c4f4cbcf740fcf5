"""A node met again with the same selection is answered once per execution (``api.object_completion``),
and the answer is still exactly graphql-core's: errors located at every place the node appears, awaitable
fields awaited at each, another selection of the same node answered on its own."""

import asyncio
from collections.abc import Callable
from typing import Any

import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.basic_fields import BasicFieldPath
from tests.unit.api.awaitables import Later


@strawberry.type
class Thing(relay.Node):
    code: relay.NodeID[int]
    name: str
    size: int | None = None


@strawberry.type
class Holder:
    label: str
    thing: Thing | None = None
    strict_thing: Thing | None = None
    inner: "Holder | None" = None


@strawberry.type
class Query:
    @strawberry.field
    def holders(self, info: strawberry.Info) -> list[Holder]:
        holders: list[Holder] = info.context["holders"]()
        return holders


PLAIN = strawberry.Schema(query=Query, execution_context_class=StrawberryGraphQLCoreExecutionContext)
FAST = strawberry.Schema(query=Query, execution_context_class=BasicFieldPath)


async def _answers(holders: Callable[[], list[Any]], document: str) -> tuple[Any, ...]:
    out = []
    for schema in (PLAIN, FAST):
        result = await schema.execute(document, context_value={"holders": holders})
        errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
        out.append((result.data, errors))
    return tuple(out)


async def test_a_shared_node_is_answered_once_and_alike() -> None:
    shared = Thing(code=1, name="鸡蛋", size=3)
    holders = [Holder(label=str(i), thing=shared, inner=Holder(label="in", thing=shared)) for i in range(3)]
    document = "{ holders { label thing { id name size } inner { thing { id name size } } } }"

    plain, fast = await _answers(lambda: holders, document)

    assert plain == fast
    assert fast[1] == []
    data = fast[0]["holders"]
    assert data[0]["thing"] is data[1]["thing"] is data[2]["thing"]  # made once
    assert data[0]["inner"]["thing"] == data[0]["thing"]  # another selection: its own answer, equal
    assert data[0]["inner"]["thing"] is data[1]["inner"]["thing"]


async def test_a_failing_shared_node_fails_at_every_place_it_appears() -> None:
    broken = Thing(code=2, name=None, size="big")  # type: ignore[arg-type]
    holders = [Holder(label="a", thing=broken), Holder(label="b", thing=broken)]

    plain, fast = await _answers(lambda: holders, "{ holders { thing { name } } }")
    assert plain == fast
    assert [path for _, path in fast[1]] == [("holders", 0, "thing", "name"), ("holders", 1, "thing", "name")]

    plain, fast = await _answers(lambda: holders, "{ holders { thing { size } } }")
    assert plain == fast
    assert len(fast[1]) == 2


async def test_a_shared_node_with_an_awaitable_field_is_awaited_at_each_place() -> None:
    late = Thing(code=3, name=Later("late"), size=Later(None))  # type: ignore[arg-type]
    holders = [Holder(label="a", thing=late), Holder(label="b", thing=late, strict_thing=late)]

    plain, fast = await _answers(lambda: holders, "{ holders { thing { name size } strictThing { name } } }")
    assert plain == fast
    assert fast[0]["holders"][1] == {"thing": {"name": "late", "size": None}, "strictThing": {"name": "late"}}


async def test_aliases_and_other_selections_of_a_node_are_answered_each_on_their_own() -> None:
    shared = Thing(code=4, name="n", size=1)
    holders = [Holder(label="a", thing=shared, strict_thing=shared)] * 2
    document = "{ holders { a: thing { name } b: thing { id } strictThing { name size } } }"

    plain, fast = await _answers(lambda: holders, document)
    assert plain == fast
    assert fast[0]["holders"][0] == {
        "a": {"name": "n"},
        "b": {"id": str(relay.GlobalID("Thing", "4"))},
        "strictThing": {"name": "n", "size": 1},
    }


# A pool of nodes the holders share: good ones, failing ones (a null in a non-null field, a value Int
# cannot hold, an id strawberry cannot make), awaitable fields.
_POOL = [
    Thing(code=10, name="a", size=1),
    Thing(code=11, name="b"),
    Thing(code=12, name=None, size=2),  # type: ignore[arg-type]
    Thing(code=13, name="c", size="x"),  # type: ignore[arg-type]
    Thing(code=None, name="d"),  # type: ignore[arg-type]
    Thing(code=14, name=Later("e"), size=Later(5)),  # type: ignore[arg-type]
    Thing(code=15, name=Later(None)),  # type: ignore[arg-type]
]
_THINGS = st.one_of(st.none(), st.sampled_from(_POOL))
_SELECTIONS = ["id", "name", "size", "__typename"]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(_THINGS, _THINGS, _THINGS), min_size=1, max_size=5),
    outer=st.lists(st.sampled_from(_SELECTIONS), min_size=1, max_size=3),
    inner=st.lists(st.sampled_from(_SELECTIONS), min_size=1, max_size=3),
)
def test_any_sharing_answers_as_graphql_core(
    rows: list[tuple[Any, Any, Any]], outer: list[str], inner: list[str]
) -> None:
    def holders() -> list[Holder]:
        return [
            Holder(label="h", thing=a, strict_thing=b, inner=Holder(label="i", thing=c, strict_thing=a))
            for a, b, c in rows
        ]

    o, i = " ".join(outer), " ".join(inner)
    document = (
        f"{{ holders {{ thing {{ {o} }} strictThing {{ {i} }} "
        f"inner {{ thing {{ {o} }} strictThing {{ {o} }} }} }} }}"
    )
    plain, fast = asyncio.run(_answers(holders, document))
    assert plain == fast
