# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Shared plumbing of ``Node`` types: batched, authorised ``resolve_nodes`` and the posting payload."""

import asyncio
from collections.abc import Awaitable, Callable, Generator, Iterable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from tortoise.models import Model

from api import auth
from api.context import Info
from domain.common.digits import key_of
from domain.common.services import Posted as DomainPosted
from domain.partners.rules import Permission

M = TypeVar("M", bound=Model)
N = TypeVar("N")


async def load_nodes(
    info: Info,
    node_ids: Iterable[str],
    model: type[M],
    perm: Permission,
    to_node: Callable[[M], N],
    *,
    supplier_ok: bool = False,
    visible: Callable[[Info, M, int], Awaitable[bool]] | None = None,
) -> list[N | None]:
    """Nodes by id through the request's loader; rows the caller may not see come back as ``None``.

    ``visible(info, row, supplier_id)`` decides supplier scope: an out-of-scope row is absent, never an error.
    """
    auth.check(info, perm, supplier_ok)
    scope = auth.supplier_scope(info)
    ids = [-1 if (key := key_of(raw)) is None else key for raw in node_ids]  # -1: no record
    rows = await info.context.loaders.by_id(model).load_many(ids)
    out: list[N | None] = []
    for row in rows:
        if row is None or (scope is not None and (visible is None or not await visible(info, row, scope))):
            out.append(None)
        else:
            out.append(to_node(row))
    return out


async def load_one(info: Info, model: type[M], pk: int | None, to_node: Callable[[M], N]) -> N | None:
    """A relation through the request's loader (authorisation is the parent's)."""
    if pk is None:
        return None
    row = await info.context.loaders.by_id(model).load(pk)
    return None if row is None else to_node(row)


async def load_required(info: Info, model: type[M], pk: int, to_node: Callable[[M], N]) -> N:
    """A row that must exist (a foreign key, a document just posted)."""
    node = await load_one(info, model, pk, to_node)
    assert node is not None, f"{model.__name__} {pk} vanished"
    return node


def _held(loader: Any, key: Any) -> tuple[bool, Any]:
    """Whether ``loader`` holds a value for ``key`` (its future done, not cancelled, no error), and it."""
    future = loader.cache_map.get(key)
    if future is None:
        return False, None
    # One call where done()/cancelled()/exception() were three (a page asks ~1,000 times): result()
    # raises for each of the three cases (InvalidStateError, CancelledError, the stored error).
    try:
        return True, future.result()
    except (asyncio.CancelledError, Exception):  # CancelledError is not an Exception
        return False, None


async def _then(pending: Awaitable[Any], then: Callable[[Any], N]) -> N:
    return then(await pending)


class Later(Generic[N]):
    """An awaitable that starts its work only when awaited. Unlike a coroutine, one never awaited (the
    value of a field the query did not select) costs nothing: no query, no "never awaited" warning."""

    __slots__ = ("_start",)

    def __init__(self, start: Callable[[], Awaitable[N]]) -> None:
        self._start = start

    def __await__(self) -> Generator[Any, None, N]:
        return self._start().__await__()


def required_held(
    info: Info, model: type[M], pk: int, to_node: Callable[[M], N], *, shared: bool = False
) -> N | Later[N]:
    """``load_required`` for a plain field's value, taken when its object is built: the node when the
    request holds the row (a list page filled it), else a ``Later`` that loads it if GraphQL awaits it.

    A plain field (no resolver) costs strawberry no ``Info``, no argument parsing and no resolver call:
    on a page of 100 orders of 5 lines, 1,500 relation fields. graphql-core awaits a plain field's
    awaitable value as it awaits a resolver's. ``shared``: ``to_node`` depends on the row alone (a
    type's ``from_row``), so the node built once serves every field of the request that asks for it."""
    loaders = info.context.loaders
    held, row = _held(loaders.by_id(model), pk)
    if held and row is not None:
        return built_once(info, model, pk, row, to_node) if shared else to_node(row)
    return Later(lambda: load_required(info, model, pk, to_node))


def held_row(info: Info, model: type[M], pk: int) -> M | None:
    """The row of ``model`` with id ``pk`` when the request's loader already holds it, else ``None``
    (not loaded yet, or no such row)."""
    held, row = _held(info.context.loaders.by_id(model), pk)
    return row if held else None


def built_once(info: Info, model: type[M], pk: int, row: M, to_node: Callable[[M], N]) -> N:
    """``to_node(row)`` of the row ``pk`` of ``model``, built once per request and shared by every field
    that asks for it (``to_node`` depends on the row alone: a type's ``from_row``)."""
    built = info.context.loaders.built
    key = (model, pk, to_node)
    node: N | None = built.get(key)
    if node is None:
        node = built[key] = to_node(row)
    return node


def one_held(
    info: Info, model: type[M], pk: int | None, to_node: Callable[[M], N]
) -> N | Later[N | None] | None:
    """``load_one`` for a plain field's value (see ``required_held``)."""
    if pk is None:
        return None
    held, row = _held(info.context.loaders.by_id(model), pk)
    if held:
        return None if row is None else to_node(row)
    return Later(lambda: load_one(info, model, pk, to_node))


def children_held(
    info: Info, model: type[M], fk: str, pk: int, to_node: Callable[[list[M]], N]
) -> N | Later[N]:
    """``to_node`` of the children of ``pk`` (all of them, as one list) for a plain field's value (see
    ``required_held``)."""
    loader = info.context.loaders.children(model, fk)
    held, rows = _held(loader, pk)
    return to_node(rows) if held else Later(lambda: _then(loader.load(pk), to_node))


async def load_children(info: Info, model: type[M], fk: str, pk: int, to_node: Callable[[M], N]) -> list[N]:
    rows = await info.context.loaders.children(model, fk).load(pk)
    return [to_node(r) for r in rows]


def type_name(document_type: str) -> str:
    """``goods_receipt`` -> ``GoodsReceipt``: the GraphQL type of a posted document."""
    return "".join(part.capitalize() for part in document_type.split("_"))


@strawberry.type(
    description="A posted document. An idempotency key (1 to 128 characters, per operation) replayed with "
    "the same request returns the first posting (replayed: true); with a different request it is a Conflict "
    "naming the key."
)
class Posted:
    document_type: str
    number: str
    replayed: bool
    document_id: relay.GlobalID

    @strawberry.field(description="The document itself, when the caller may read it.")
    async def document(self, info: Info) -> relay.Node | None:
        try:
            node: Any = await self.document_id.resolve_node(info)
        except relay.GlobalIDValueError:  # a document type with no GraphQL type (yet)
            return None
        return node  # type: ignore[no-any-return]

    @classmethod
    def of(cls, p: DomainPosted) -> "Posted":
        gid = relay.GlobalID(type_name(p.document_type), str(p.document_id))
        return cls(document_type=p.document_type, number=p.number, replayed=p.replayed, document_id=gid)
