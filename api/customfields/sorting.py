"""The ``customSort`` argument of the list queries and its cursors.

Unsorted lists page on the primary key (``relay.paginate``). A sorted list pages on ``(value, id)``
(``domain.customfields.sorting``), so its cursor carries both, with the sort it belongs to: a cursor of
another sort (or of the unsorted list) is refused as a ``ValidationError`` at ``after`` rather than
silently starting somewhere else.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import strawberry
from tortoise.queryset import QuerySet

from api import relay as rl
from api.enums import SortDirection
from api.loaders import Values
from api.page_reads import Read
from domain.common.errors import ValidationError
from domain.customfields import rules, sorting

NodeT = TypeVar("NodeT")
_PREFIX = "csort:"


@strawberry.input(description="Orders a list by custom field `key`; records without a value come last.")
class CustomFieldSort:
    key: str
    direction: SortDirection = SortDirection.ASC


def encode_cursor(sort: sorting.Sort, value: str | None, pk: int) -> str:
    """Opaque: base64 of ``csort:`` and JSON ``[key, descending, value, id]``."""
    body = json.dumps([sort.key, sort.descending, value, pk], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(f"{_PREFIX}{body}".encode()).decode()


def decode_cursor(cursor: str, sort: sorting.Sort) -> sorting.Position:
    """The position of a sorted list's cursor; ``ValidationError`` at ``after`` when it is malformed or was
    made for another sort."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(cursor)
        key, descending, value, pk = json.loads(text.removeprefix(_PREFIX))
        if not (isinstance(value, str | None) and isinstance(pk, int) and not isinstance(pk, bool)):
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError("malformed cursor", ("after",)) from None
    if key != sort.key or descending != sort.descending:
        raise ValidationError("the cursor belongs to another sort of this list", ("after",))
    return sorting.Position(value, pk)


async def page(
    query: QuerySet[Any],
    entity: rules.Entity,
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], NodeT],
    sort: CustomFieldSort | None,
    values: Sequence[str] | None = None,
    read: Read | None = None,
) -> rl.Connection[NodeT]:
    """One page of a list query: by primary key, or by ``sort`` with a ``(value, id)`` keyset cursor.

    ``values``: fetch the rows of a page by primary key as these fields (``loaders.Values`` rows, no model
    instances) for a big page where building instances is the cost; a sorted page gives models.
    ``read``: such rows read otherwise (``api.page_reads``), for a page by primary key."""
    if sort is None:
        if values is not None:
            return await rl.paginate(
                query, first, after, lambda v: to_node(Values(v)), values=values, read=read
            )
        return await rl.paginate(query, first, after, to_node)
    size = rl.page_size(first)
    by = sorting.Sort(sort.key, sort.direction is SortDirection.DESC)
    position = None if after is None else decode_cursor(after, by)
    rows = await sorting.sorted_page(query, entity, by, position, size + 1)
    edges = [rl.Edge(cursor=encode_cursor(by, v, r.id), node=to_node(r)) for r, v in rows[:size]]
    info = rl.PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )

    async def count() -> int:
        return int(await query.count())

    return rl.Connection(edges=edges, page_info=info, _count=count)
