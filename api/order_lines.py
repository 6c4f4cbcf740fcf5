"""What purchase and sales orders share: a line's figures, its SKU with the quantities kept in the SKU's
base unit, and the order's total.

Both line types are plain objects whose fields are filled when the line is built (no resolver per field:
on a page of 100 orders of 5 lines a resolver costs strawberry an ``Info`` and a call 500 times over).
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from api import nodes
from api.catalog.types import Sku
from api.context import Info
from api.scalars import Money, Quantity, money, qty
from domain.catalog import models as catalog


def figures(r: Any, currency: str) -> dict[str, Any]:
    """A line's ``quantity`` (in its unit), ``unit_factor``, ``unit_price`` and ``amount`` (quantity × unit
    price, before tax) in the order's ``currency``; ``r``: a purchase or sales order line row."""
    return {
        "quantity": qty(r.quantity, r.unit),
        "unit_factor": Decimal(r.unit_factor),
        "unit_price": money(r.unit_price, currency),
        "amount": money(Decimal(r.quantity) * Decimal(r.unit_price), currency),
    }


def _in_base(value: Decimal) -> Callable[[catalog.Sku], Quantity]:
    return lambda sku: qty(value, sku.base_unit)


def sku_and_base(info: Info, sku_id: int, base: dict[str, Decimal]) -> dict[str, Any]:
    """The line's ``sku`` and each of ``base`` (``{"received": …}``, in the SKU's base unit) as a
    ``Quantity``: built at once when the request holds the SKU's row (a list page filled it), else
    awaitables that load it if the query asks for them (``nodes.required_held``)."""
    row = nodes.held_row(info, catalog.Sku, sku_id)
    if row is not None:
        # One loader look-up for the three fields (was one each: ~1,500 on a page of 500 lines).
        out: dict[str, Any] = {"sku": nodes.built_once(info, catalog.Sku, sku_id, row, Sku.from_row)}
        for name, value in base.items():
            out[name] = qty(value, row.base_unit)
        return out
    out = {"sku": nodes.required_held(info, catalog.Sku, sku_id, Sku.from_row, shared=True)}
    for name, value in base.items():
        out[name] = nodes.required_held(info, catalog.Sku, sku_id, _in_base(value))
    return out


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
