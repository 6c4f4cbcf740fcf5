"""What purchase and sales orders share: a line's figures, its SKU with the quantities kept in the SKU's
base unit, and the order's total.

Both line types are plain objects whose fields are filled when the line is built (no resolver per field:
on a page of 100 orders of 5 lines a resolver costs strawberry an ``Info`` and a call 500 times over).
"""

from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from api import nodes
from api.catalog.types import Sku
from api.context import Info
from api.scalars import Money, Quantity, money, qty
from domain.catalog import models as catalog


def line_fields(wanted: Collection[str]) -> frozenset[str]:
    """The fields a list page's query selects of its orders' lines (GraphQL names: ``unitPrice``), from
    ``api.relay.node_selection``'s paths (``lines.unitPrice.amount``)."""
    return frozenset(path.split(".", 2)[1] for path in wanted if path.startswith("lines."))


_FIGURES = frozenset({"quantity", "unitFactor", "unitPrice", "amount"})


def figures(r: Any, currency: str, fields: Collection[str] | None = None) -> dict[str, Any]:
    """A line's ``quantity`` (in its unit), ``unit_factor``, ``unit_price`` and ``amount`` (quantity × unit
    price, before tax) in the order's ``currency``; ``r``: a purchase or sales order line row.

    ``fields``: only these are made (GraphQL names, ``line_fields``), the others left ``None`` — a list
    page whose query does not select them never reads them (on the sales-order page of issue 15's
    benchmark, a third of the figures); ``None``: all of them."""
    made = _FIGURES if fields is None else fields
    return {
        "quantity": qty(r.quantity, r.unit) if "quantity" in made else None,
        "unit_factor": Decimal(r.unit_factor) if "unitFactor" in made else None,
        "unit_price": money(r.unit_price, currency) if "unitPrice" in made else None,
        "amount": (
            money(Decimal(r.quantity) * Decimal(r.unit_price), currency) if "amount" in made else None
        ),
    }


def _in_base(value: Decimal) -> Callable[[catalog.Sku], Quantity]:
    return lambda sku: qty(value, sku.base_unit)


def sku_and_base(
    info: Info, sku_id: int, base: dict[str, Decimal], fields: Collection[str] | None = None
) -> dict[str, Any]:
    """The line's ``sku`` and each of ``base`` (``{"received": …}``, in the SKU's base unit) as a
    ``Quantity``: built at once when the request holds the SKU's row (a list page filled it), else
    awaitables that load it if the query asks for them (``nodes.required_held``). ``fields``: as for
    ``figures`` (``base``'s names are their GraphQL names)."""
    out: dict[str, Any] = dict.fromkeys(("sku", *base))  # None: not selected
    if fields is not None:
        base = {name: value for name, value in base.items() if name in fields}
    held = _held_sku(info, sku_id)
    if held is not None:
        unit, out["sku"] = held  # the request's node of the SKU: nothing to make
        for name, value in base.items():
            out[name] = qty(value, unit)
        return out
    if fields is None or "sku" in fields:
        out["sku"] = nodes.required_held(info, catalog.Sku, sku_id, Sku.from_row, shared=True)
    for name, value in base.items():
        out[name] = nodes.required_held(info, catalog.Sku, sku_id, _in_base(value))
    return out


# Per request (in ``Loaders.built``): SKU id -> (its base unit, its node) for the SKUs the request's loader
# holds, met so far. A page's 500 lines share a few SKUs; looking each up in the loader and the built
# nodes was a third of building a line. A held row stays held for the request (loaders are never cleared).
_HELD_SKUS = "order_lines.held_skus"


def _held_sku(info: Info, sku_id: int) -> tuple[str, Sku] | None:
    built = info.context.loaders.built
    held: dict[int, tuple[str, Sku]] | None = built.get(_HELD_SKUS)
    if held is None:
        held = built[_HELD_SKUS] = {}
    found = held.get(sku_id)
    if found is None:
        row = nodes.held_row(info, catalog.Sku, sku_id)
        if row is None:
            return None
        found = held[sku_id] = (row.base_unit, nodes.built_once(info, catalog.Sku, sku_id, row, Sku.from_row))
    return found


def total(info: Info, line_model: type[Any], order_id: int, currency: str) -> Money | nodes.Later[Money]:
    """The order's ``total``: the sum of its lines' quantity × unit price, before tax."""
    return nodes.children_held(
        info,
        line_model,
        "order_id",
        order_id,
        lambda rows: money(
            sum((Decimal(ln.quantity) * Decimal(ln.unit_price) for ln in rows), Decimal(0)), currency
        ),
    )
