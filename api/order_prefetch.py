"""An order's relations (purchase and sales orders alike): a list page's prefetch of what its query
selects, one query per relation, and the relations made as plain values when an order is built, the
prefetched nodes themselves on a list page (see ``api.nodes.required_held``)."""

from collections.abc import Callable
from typing import Any, NamedTuple

from tortoise.models import Model

from api import nodes, order_lines
from api import relay as rl
from api.context import Info
from api.customfields.types import values_of
from domain.catalog import models as catalog


class Parent(NamedTuple):
    """An order's relation by id (``supplier``): its model, the row attribute holding the id
    (``supplier_id``), the node made of its row (a type's ``from_row``: built once per request and
    shared), and whether the id may be null (then the field answers null)."""

    model: type[Model]
    key: str
    to_node: Callable[[Any], Any]
    optional: bool = False


class OrderRelations(NamedTuple):
    """The relations of an order type (purchase or sales): read for a list page's orders (``prefetch``)
    and made as plain field values when an order is built (``of``). ``parents`` by field name; the line
    model and type and the lines' quantities in the SKU's ``base`` unit (``order_lines.LineMaker``);
    ``documents`` posted against an order by field name (``{"receipts": (GoodsReceipt, its from_row)}``)."""

    parents: dict[str, Parent]
    line_model: type[Model]
    line_type: Callable[..., Any]
    base: dict[str, str]
    documents: dict[str, tuple[type[Model], Callable[[Any], Any]]]

    async def prefetch(self, info: Info, orders: list[Any]) -> order_lines.Selection:
        """Fills the request's loaders for ``orders`` (a list page's rows) with what its query selects of
        them, one statement per relation; asks nothing it does not select. Returns the selection, for
        ``of``. Parents are read by their ids (a null id skipped); lines and documents as plain values, as
        their nodes read nothing but columns (``loaders.Values``); the lines' SKUs when the query selects
        the SKU or a quantity in its base unit."""
        wanted = rl.node_selection(info)
        loaders = info.context.loaders
        ids = [o.id for o in orders]
        for name, parent in self.parents.items():
            if name in wanted:
                keys = [key for o in orders if (key := getattr(o, parent.key)) is not None]
                await loaders.fill_by_id(parent.model, keys)
        if "lines" in wanted or "total" in wanted:
            rows = await loaders.fill_children(self.line_model, "order_id", ids, values=True)
            if wanted & {f"lines.{name}" for name in ("sku", *self.base)}:
                await loaders.fill_by_id(catalog.Sku, (ln.sku_id for ln in rows))
        for name, (model, _) in self.documents.items():
            if name in wanted:
                await loaders.fill_children(model, "order_id", ids, values=True)
        return order_lines.selection(wanted)

    def of(self, info: Info, r: Any, selected: order_lines.Selection) -> dict[str, Any]:
        """The relation fields of the order row ``r`` (``customer``, ``lines``, ``total``, …, and
        ``custom_fields``) for its type's constructor. Each is the node(s) when the request holds the rows
        (a list page's prefetch filled them), else an awaitable that loads them if GraphQL awaits it
        (``api.nodes.required_held``); one the query does not select (``selected``) is not made: null,
        and ``{}`` for the custom fields."""
        order_id, currency, wants = r.id, r.currency, selected.wants
        out: dict[str, Any] = {"custom_fields": values_of(r) if wants("customFields") else {}}
        for name, parent in self.parents.items():
            out[name] = _parent(info, parent, getattr(r, parent.key)) if wants(name) else None
        if wants("lines"):
            maker = order_lines.maker(info, self.line_type, self.base, selected.lines)
            out["lines"] = nodes.children_held(
                info, self.line_model, "order_id", order_id, _lines_of(info, maker, currency)
            )
        else:
            out["lines"] = None
        out["total"] = (
            order_lines.total(info, self.line_model, order_id, currency) if wants("total") else None
        )
        for name, (model, document) in self.documents.items():
            out[name] = (
                nodes.children_held(info, model, "order_id", order_id, _each(document))
                if wants(name)
                else None
            )
        return out


# Closures made by functions, not in ``of``'s loops: a document's may be called after the loop moved on
# (an awaitable of a relation the request did not hold), and must keep its own ``document``.


def _parent(info: Info, parent: Parent, pk: Any) -> Any:
    if parent.optional:
        return nodes.one_held(info, parent.model, pk, parent.to_node)
    return nodes.required_held(info, parent.model, pk, parent.to_node, shared=True)


def _lines_of(info: Info, maker: order_lines.LineMaker[Any], currency: str) -> Callable[[list[Any]], Any]:
    return lambda rows: maker.lines(info, rows, currency)


def _each(document: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    return lambda rows: [document(x) for x in rows]
