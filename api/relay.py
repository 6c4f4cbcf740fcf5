# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Relay helpers: global IDs of inputs and cursor connections on the primary key.

Cursors are opaque base64 of the row's primary key, so a page is ``WHERE id > after ORDER BY id LIMIT first``:
stable under inserts and an index range scan however deep the page.
"""

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.types.nodes import SelectedField
from tortoise.queryset import QuerySet

from domain.common.digits import key_of
from domain.common.errors import ValidationError

MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_INPUT_LINES = 500
_CURSOR_PREFIX = "cursor:"

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(cursor)
        pk = key_of(text.removeprefix(_CURSOR_PREFIX))
        if pk is None:
            raise ValueError(cursor)
        return pk
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError("malformed cursor", ("after",)) from None


def decode_id(value: str | None, type_name: str, path: tuple[str, ...]) -> int:
    """A global ID of the expected type to its model id, or a ``ValidationError`` naming the field."""
    if value is None:
        raise ValidationError(f"a {type_name} ID is required", path)
    try:
        gid = relay.GlobalID.from_id(value)
        node_id = key_of(gid.node_id)
        if node_id is None:
            raise ValueError(value)
    except (ValueError, relay.GlobalIDValueError):
        raise ValidationError(f"{value!r} is not a valid ID", path) from None
    if gid.type_name != type_name:
        raise ValidationError(f"expected a {type_name} ID, got a {gid.type_name} ID", path)
    return node_id


def maybe_id(value: str | None, type_name: str, path: tuple[str, ...]) -> int | None:
    return None if value is None else decode_id(value, type_name, path)


def encode_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def cap_lines(lines: Sequence[Any], path: tuple[str, ...] = ("lines",)) -> None:
    if len(lines) > MAX_INPUT_LINES:
        raise ValidationError(f"at most {MAX_INPUT_LINES} lines per request", path)


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Rows matching the filters, all pages together.")
    async def total_count(self) -> int:
        return await self._count()

    @strawberry.field(description="The nodes of this page, without edges.")
    def nodes(self) -> list[NodeT]:
        return [e.node for e in self.edges]


def _walk(selections: Sequence[Any], prefix: str, out: set[str]) -> None:
    """Adds the dotted paths of ``selections`` to ``out``. A module function, not a closure: a recursive
    closure is a reference cycle (function → cell → function) left to the cyclic collector per request."""
    for s in selections:
        if not isinstance(s, SelectedField):  # an inline fragment or a fragment spread
            _walk(s.selections, prefix, out)
            continue
        path = f"{prefix}{s.name}"
        out.add(path)
        _walk(s.selections, f"{path}.", out)


def node_selection(info: Any) -> set[str]:
    """The fields asked of a connection's nodes, as dotted paths (``{"supplier", "lines", "lines.sku"}``),
    through ``edges { node }`` and ``nodes`` alike, fragments flattened; for a list page's prefetch."""
    out: set[str] = set()
    for field in info.selected_fields:
        _walk(field.selections, "", out)
    nodes = set()
    for path in out:
        for head in ("edges.node.", "nodes."):
            if path.startswith(head):
                nodes.add(path.removeprefix(head))
    return nodes


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise ValidationError(f"first must be between 0 and {MAX_PAGE}", ("first",))
    return first


async def paginate(
    query: QuerySet[Any],
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], NodeT],
    pk: str = "id",
    values: Sequence[str] | None = None,
    read: Callable[[int | None, int], Awaitable[list[dict[str, Any]]]] | None = None,
) -> Connection[NodeT]:
    """One page of ``query`` ordered by primary key: ``first`` rows after the cursor, plus a lazy count.

    ``values``: fetch these fields (``"sku__code"`` through a relation) as plain dicts instead of model
    instances, for a big page where building instances is the cost; ``to_node`` then takes a dict, and
    ``pk`` must be among them. ``read(after, limit)``: such dicts read otherwise (a hand-written
    statement): at most ``limit`` of ``query``'s rows with ``pk`` above ``after``, in ``pk`` order."""
    size = page_size(first)
    after_pk = None if after is None else decode_cursor(after)
    # One row more than asked says whether another page follows, for ``first: 0`` too (Relay: hasNextPage
    # is whether rows follow the cursor, so an empty page of a non-empty list has a next page).
    if read is not None:
        rows: list[Any] = await read(after_pk, size + 1)
        edges = [Edge(cursor=encode_cursor(r[pk]), node=to_node(r)) for r in rows[:size]]
    else:
        page = query
        if after_pk is not None:
            page = page.filter(**{f"{pk}__gt": after_pk})
        page = page.order_by(pk).limit(size + 1)
        if values is None:
            rows = await page
            edges = [Edge(cursor=encode_cursor(getattr(r, pk)), node=to_node(r)) for r in rows[:size]]
        else:
            rows = await page.values(*values)
            edges = [Edge(cursor=encode_cursor(r[pk]), node=to_node(r)) for r in rows[:size]]
    info = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )

    async def count() -> int:
        return int(await query.count())

    return Connection(edges=edges, page_info=info, _count=count)
