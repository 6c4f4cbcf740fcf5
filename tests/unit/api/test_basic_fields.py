"""The basic-field path (``api.basic_fields``) answers exactly as graphql-core's own executor.

Every case runs the same document against the same strawberry schema twice: once with strawberry's
executor, once with ``BasicFieldPath``; data and errors (message, path, locations) must be equal. The
property test draws the values the fields hold — plain values, None, wrong types, exceptions returned or
raised, awaitables — and the selection, so a shortcut that differs from graphql-core on any of them fails.
"""

import asyncio
import enum
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from graphql import GraphQLObjectType
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry import relay
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.basic_fields import BasicFieldPath
from api.field_plans import ignores_info
from api.global_ids import is_node_id
from api.schema import create_schema
from lotline.config import Settings
from tests.unit.api.awaitables import Later


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Leaf(Named):  # implements an interface: strawberry gives it an is_type_of check
    name: str
    when: date | None


@strawberry.type
class Checked:
    """A type whose own is_type_of reads the info (strawberry's generated ones do not)."""

    value: str

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, cls) and info.field_name == "checked"


@strawberry.type
class Thing(relay.Node):
    code: relay.NodeID[int]
    name: str


@strawberry.type
class Renamed(relay.Node):
    """A node that makes its own ID: strawberry's resolver must run for it."""

    key: relay.NodeID[str]

    @classmethod
    def resolve_id(cls, root: "Renamed", *, info: Any) -> str:
        return f"r-{root.key}"


@strawberry.type
class Plain:
    """A type with no interface: no is_type_of at all."""

    n: str
    inner: "Plain | None" = None


@strawberry.type
class Box:
    label: str
    count: int | None
    price: Decimal | None
    at: datetime | None
    colour: Colour | None
    leaf: Leaf | None
    strict_leaf: Leaf
    leaves: list[Leaf] | None
    tags: list[str | None] | None
    inner: "Box | None"
    checked: Checked | None = None
    thing: Thing | None = None
    renamed: Renamed | None = None
    strict_leaves: list[Leaf] | None = None
    plains: list[Plain | None] | None = None

    @strawberry.field
    def computed(self) -> str:
        return self.label.upper()


class _Raising:
    """A source whose attribute read raises, as a failing property does."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # protocol probes (``__await__``) find nothing, as on any object
            raise AttributeError(name)
        raise RuntimeError(f"cannot read {name}")


def _schema(executor: type) -> strawberry.Schema:
    return strawberry.Schema(query=Query, execution_context_class=executor, types=[Leaf])


@strawberry.type
class Query:
    @strawberry.field
    def boxes(self, info: strawberry.Info) -> list[Box | None]:
        boxes: list[Box | None] = info.context["boxes"]()
        return boxes


PLAIN = _schema(StrawberryGraphQLCoreExecutionContext)
FAST = _schema(BasicFieldPath)

DOCUMENT = """
query {
  boxes {
    __typename label count price at colour computed
    alias: label
    ... on Box { count tags }
    leaf { name when __typename }
    strictLeaf { name }
    leaves { name when }
    inner { label count strictLeaf { name } inner { label } }
    checked { value }
    thing { id name }
    renamed { id }
  }
}
"""


async def _answers(boxes: Callable[[], list[Any]], document: str = DOCUMENT) -> tuple[Any, ...]:
    out = []
    for schema in (PLAIN, FAST):
        result = await schema.execute(document, context_value={"boxes": boxes})
        errors = sorted(
            (e.message, tuple(e.path or ()), tuple((loc.line, loc.column) for loc in e.locations or ()))
            for e in result.errors or []
        )
        out.append((result.data, errors))
    return tuple(out)


def _box(**values: Any) -> Box:
    defaults: dict[str, Any] = {
        "label": "a",
        "count": 1,
        "price": Decimal("1.50"),
        "at": datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        "colour": Colour.RED,
        "leaf": Leaf(name="x", when=date(2026, 1, 2)),
        "strict_leaf": Leaf(name="y", when=None),
        "leaves": [Leaf(name="z", when=None)],
        "tags": ["t", None],
        "inner": None,
    }
    defaults.update(values)
    return Box(**defaults)


async def test_plain_values_answer_alike() -> None:
    plain, fast = await _answers(
        lambda: [
            _box(thing=Thing(code=7, name="t"), renamed=Renamed(key="k")),
            _box(inner=_box(label="b"), checked=Checked(value="c")),
            None,
        ]
    )
    assert plain == fast
    assert fast[1] == []
    assert fast[0]["boxes"][1]["checked"] == {"value": "c"}
    assert fast[0]["boxes"][1]["inner"]["label"] == "b"
    assert fast[0]["boxes"][0]["thing"]["id"] == str(relay.GlobalID("Thing", "7"))
    assert fast[0]["boxes"][0]["renamed"]["id"] == str(relay.GlobalID("Renamed", "r-k"))


async def test_node_ids_strawberry_cannot_make_fail_alike() -> None:
    def boxes() -> list[Any]:
        return [_box(thing=Thing(code=None, name="n")), _box(thing=Thing(code=2.5, name="f"))]  # type: ignore[arg-type]

    plain, fast = await _answers(boxes)
    assert plain == fast
    assert len(fast[1]) == 1  # None fails strawberry's assertion; a float becomes an ID as str(2.5)


async def test_null_in_a_non_null_field_nulls_the_parent_with_graphql_cores_error() -> None:
    plain, fast = await _answers(lambda: [_box(label=None), _box(strict_leaf=None)])
    assert plain == fast
    assert any(m == "Cannot return null for non-nullable field Box.label." for m, _, _ in fast[1])
    assert fast[0]["boxes"] == [None, None]


async def test_returned_and_raised_exceptions_are_located_alike() -> None:
    raising = _box()
    raising.__dict__["count"] = ValueError("bad count")  # a value that is an exception is raised
    plain, fast = await _answers(lambda: [raising, _box(inner=_Raising(), leaf=_Raising())])
    assert plain == fast
    assert ("bad count", ("boxes", 0, "count"), ((4, 22), (6, 18))) in fast[1]
    assert ("cannot read label", ("boxes", 1, "inner", "label"), ((10, 13),)) in fast[1]
    # Leaf's is_type_of (it implements Named) rejects a source of another class, as graphql-core does.
    assert any(m.startswith("Expected value of type 'Leaf'") for m, _, _ in fast[1])


async def test_values_the_scalar_cannot_serialise_fail_alike() -> None:
    plain, fast = await _answers(lambda: [_box(count="eleven"), _box(count=2**40), _box(colour="green")])
    assert plain == fast
    assert len(fast[1]) == 3


async def test_awaitable_attributes_are_awaited_alike() -> None:
    async def later(value: Any) -> Any:
        await asyncio.sleep(0)
        return value

    def boxes() -> list[Any]:  # fresh coroutines per execution
        return [_box(label=later("late"), leaf=later(Leaf(name="w", when=None)), count=later(None))]

    plain, fast = await _answers(boxes, "{ boxes { label count leaf { name } } }")
    assert plain == fast
    assert fast == ({"boxes": [{"label": "late", "count": None, "leaf": {"name": "w"}}]}, [])


async def test_lists_of_objects_complete_alike() -> None:
    """Lists of objects (with and without an is_type_of, items nullable or not): errors inside items are
    located at the item's index, a failing non-null item nulls the list, awaitables inside items wait."""

    def boxes() -> list[Any]:
        leaves = [Leaf(name="a", when=None), Leaf(name=None, when=None)]  # type: ignore[arg-type]
        return [
            _box(leaves=leaves, strict_leaves=leaves, plains=[Plain(n="p", inner=Plain(n=Later("q")))]),  # type: ignore[arg-type]
            _box(leaves=[], strict_leaves=[Leaf(name="b", when=None)], plains=[Plain(n=None)]),  # type: ignore[arg-type]
            _box(
                leaves=[Leaf(name="c", when=None), None],
                strict_leaves=[_Raising()],
                plains=[Later(Plain(n="d"))],
            ),
        ]

    late_null = [Leaf(name="e", when=None), Leaf(name=Later(None), when=None)]  # type: ignore[arg-type]

    def more() -> list[Any]:  # a non-null item failing after an await nulls its list too
        return [_box(leaves=late_null, plains=[Plain(n=Later(None))])]  # type: ignore[arg-type]

    plain, fast = await _answers(more, "{ boxes { leaves { name } plains { n } } }")
    assert plain == fast
    assert fast[0] == {"boxes": [{"leaves": None, "plains": [None]}]}
    document = "{ boxes { leaves { name } strictLeaves { name } plains { n inner { n } } } }"
    plain, fast = await _answers(boxes, document)
    assert plain == fast
    data, errors = fast
    assert data["boxes"][0] == {  # a Leaf with no name fails its item, non-null: the list is null
        "leaves": None,
        "strictLeaves": None,
        "plains": [{"n": "p", "inner": {"n": "q"}}],
    }
    assert data["boxes"][1] == {"leaves": [], "strictLeaves": [{"name": "b"}], "plains": [None]}
    assert data["boxes"][2]["plains"] == [{"n": "d", "inner": None}]
    assert (
        "Cannot return null for non-nullable field Leaf.name.",
        ("boxes", 0, "leaves", 1, "name"),
        ((1, 20),),
    ) in errors


class _Upper(SchemaExtension):
    """Middleware seen by every field: the basic path must step aside for it."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) else value


async def test_an_extension_resolving_fields_sees_every_field() -> None:
    schema = strawberry.Schema(
        query=Query, execution_context_class=BasicFieldPath, types=[Leaf], extensions=[_Upper]
    )
    result = await schema.execute(
        "{ boxes { label leaf { name } } }", context_value={"boxes": lambda: [_box()]}
    )
    assert result.errors is None
    assert result.data == {"boxes": [{"label": "A", "leaf": {"name": "X"}}]}


def test_the_api_schema_executes_through_the_basic_path() -> None:
    schema = create_schema(Settings(database_url="sqlite://:memory:"))
    assert issubclass(schema.execution_context_class, BasicFieldPath)
    # The Node types' is_type_of are strawberry's own, which read no info: their objects are completed
    # without one. If strawberry changes how it writes them, this fails rather than the path going slow.
    node_types = [
        t for t in schema._schema.type_map.values() if isinstance(t, GraphQLObjectType) and t.is_type_of
    ]
    assert len(node_types) > 20
    assert all(ignores_info(t.is_type_of) for t in node_types)
    checked = FAST._schema.type_map["Checked"]
    assert isinstance(checked, GraphQLObjectType)
    assert not ignores_info(checked.is_type_of)
    # Every Node's id is relay's own field: made without strawberry's resolver unless a class overrides it.
    sku = schema._schema.type_map["Sku"]
    assert isinstance(sku, GraphQLObjectType)
    assert is_node_id(sku.fields["id"].extensions["strawberry-definition"])


_VALUES = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.integers(min_value=-(2**33), max_value=2**33),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.just(datetime(2026, 11, 30, 8, 30, tzinfo=UTC)),
    st.just(date(2026, 11, 30)),
    st.sampled_from(list(Colour)),
    st.just(ValueError("returned")),
    st.builds(lambda: Leaf(name="n", when=None)),
    st.builds(lambda: [Leaf(name="m", when=None), None]),
    st.builds(Thing, code=st.one_of(st.none(), st.integers(), st.text(max_size=2)), name=st.just("n")),
    # Lists of objects: items null, failing inside, of another type, awaitable, or holding awaitables.
    st.lists(
        st.one_of(
            st.builds(
                Leaf, name=st.one_of(st.none(), st.just("i"), st.builds(Later, st.none())), when=st.none()
            ),
            st.builds(Plain, n=st.one_of(st.none(), st.just("p"), st.builds(Later, st.just("q")))),
            st.builds(lambda: Plain(n="o", inner=Plain(n=None))),  # type: ignore[arg-type]
            st.none(),
            st.builds(_Raising),
            st.builds(Later, st.builds(Leaf, name=st.just("a"), when=st.none())),
        ),
        max_size=3,
    ),
)
_FIELDS = [
    "label",
    "count",
    "price",
    "at",
    "colour",
    "leaf",
    "strict_leaf",
    "leaves",
    "tags",
    "thing",
    "strict_leaves",
    "plains",
]
_SELECTIONS = {
    "label": "label",
    "count": "count",
    "price": "price",
    "at": "at",
    "colour": "colour",
    "leaf": "leaf { name when }",
    "strict_leaf": "strictLeaf { name }",
    "leaves": "leaves { name }",
    "tags": "tags",
    "thing": "thing { id }",
    "strict_leaves": "strictLeaves { name when }",
    "plains": "plains { n inner { n } }",
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=4), min_size=1, max_size=3),
    selected=st.lists(st.sampled_from(_FIELDS), min_size=1, max_size=6),
)
def test_any_values_and_selection_answer_alike(rows: list[dict[str, Any]], selected: list[str]) -> None:
    document = "{ boxes { " + " ".join(_SELECTIONS[f] for f in selected) + " } }"
    plain, fast = asyncio.run(_answers(lambda: [_box(**row) for row in rows], document))
    assert plain == fast
