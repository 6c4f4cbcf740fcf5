"""A list page's prefetch of its orders' relations (purchase and sales orders alike): what the page's query
selects, one query per relation, so the orders built after it hold their relations as plain values (see
``api.nodes.required_held``)."""

from typing import Any

from tortoise.models import Model

from api import relay as rl
from api.context import Info
from domain.catalog import models as catalog


async def prefetch_orders(
    info: Info,
    orders: list[Any],
    *,
    parents: dict[str, type[Model]],
    lines: type[Model],
    line_quantities: tuple[str, ...],
    documents: dict[str, type[Model]],
) -> set[str]:
    """Fills the request's loaders for ``orders`` (the page's rows) with what its query selects of them;
    asks nothing it does not select. Returns the selection (``api.relay.node_selection``'s paths).

    ``parents``: a relation by id per field name (``{"supplier": Supplier}``, read from ``<name>_id``,
    which may be null); ``lines``: the line model; ``line_quantities``: the lines' fields in the SKU's
    base unit (``("received", "returned")``), which need the SKU's row; ``documents``: the documents
    posted against an order per field name (``{"receipts": GoodsReceipt}``)."""
    wanted = rl.node_selection(info)
    loaders = info.context.loaders
    ids = [o.id for o in orders]
    for name, model in parents.items():
        if name in wanted:
            keys = [key for o in orders if (key := getattr(o, f"{name}_id")) is not None]
            await loaders.fill_by_id(model, keys)
    # Lines and documents as plain values: their nodes read nothing but columns (see ``loaders.Values``).
    if "lines" in wanted or "total" in wanted:
        rows = await loaders.fill_children(lines, "order_id", ids, values=True)
        if wanted & {f"lines.{name}" for name in ("sku", *line_quantities)}:
            await loaders.fill_by_id(catalog.Sku, (ln.sku_id for ln in rows))
    for name, model in documents.items():
        if name in wanted:
            await loaders.fill_children(model, "order_id", ids, values=True)
    return wanted
