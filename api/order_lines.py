"""What purchase and sales orders share: their lines built from rows, with the quantities kept in the SKU's
base unit, and the order's total.

Both line types are plain objects whose fields are filled when the line is built (no resolver per field:
on a page of 100 orders of 5 lines a resolver costs strawberry an ``Info`` and a call 500 times over).
"""

from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar

from api import nodes
from api.catalog.types import Sku
from api.context import Info
from api.scalars import Money, Quantity, exact
from domain.catalog import models as catalog

L = TypeVar("L")


class Selection(NamedTuple):
    """What a list page's query selects of its orders (GraphQL names: ``customFields``) and of their
    lines (``unitPrice``); the rest is left ``None`` when an order is built: on the sales-order page of
    issue 15's benchmark a third of the line figures, and the orders' custom fields, returns and channel.
    ``ALL``: everything (an order read on its own)."""

    orders: frozenset[str] | None
    lines: frozenset[str] | None

    def wants(self, name: str) -> bool:
        """Whether the query selects the order field ``name`` (its GraphQL name)."""
        return self.orders is None or name in self.orders


ALL = Selection(None, None)


def selection(wanted: Collection[str]) -> Selection:
    """The ``Selection`` of ``api.relay.node_selection``'s paths (``lines.unitPrice.amount``)."""
    return Selection(
        frozenset(path.split(".", 1)[0] for path in wanted),
        frozenset(path.split(".", 2)[1] for path in wanted if path.startswith("lines.")),
    )


def _in_base(value: Decimal) -> Callable[[catalog.Sku], Quantity]:
    return lambda sku: Quantity(value=exact(value), unit=sku.base_unit)


class LineMaker(Generic[L]):
    """Builds order lines of ``line_type`` from their rows (a purchase or sales order line model, or
    ``loaders.Values`` on a list page).

    Each line gets ``quantity`` (in its unit), ``unit_factor``, ``unit_price`` and ``amount`` (quantity ×
    unit price, before tax) in the order's currency, its ``sku`` and each of ``base`` (GraphQL name ->
    row attribute in the SKU's base unit: ``{"received": "received_base"}``) as a ``Quantity``: built at
    once when the request holds the SKU's row (a list page filled it), else awaitables that load it if the
    query asks for them (``nodes.required_held``).

    ``fields``: only these are made (GraphQL names, ``Selection.lines``), the others left ``None`` — a list
    page whose query does not select them never reads them (on the sales-order page of issue 15's
    benchmark, a third of the figures); ``None``: all of them. What to make is decided here once, not per
    line: a page builds 500 lines, and deciding it per line (with a dict of figures and one of base
    quantities merged into the constructor's arguments) was half of building one."""

    def __init__(
        self, line_type: Callable[..., L], base: dict[str, str], fields: Collection[str] | None = None
    ) -> None:
        def made(name: str) -> bool:
            return fields is None or name in fields

        self._type = line_type
        self._quantity = made("quantity")
        self._factor = made("unitFactor")
        self._price = made("unitPrice")
        self._amount = made("amount")
        self._sku = made("sku")
        self._base = tuple((name, attr) for name, attr in base.items() if made(name))
        self._unmade = tuple(name for name in base if not made(name))  # left None

    def lines(self, info: Info, rows: Iterable[Any], currency: str) -> list[L]:
        """The lines of ``rows`` (one order's, in its ``currency``), in the rows' order; ``info``: the
        request, whose loaders give the lines' SKUs (not kept: the maker lives in the request's
        ``Loaders.built``, and holding the request there would be a reference cycle)."""
        make = self._type
        quantity, factor, price, amount = self._quantity, self._factor, self._price, self._amount
        base, want_sku = self._base, self._sku
        out: list[L] = []
        for r in rows:
            sku_id = r.sku_id
            values: dict[str, Any] = {
                "id": r.id,
                "order_id": r.order_id,
                "sku_id": sku_id,
                "row": r,
                "currency": currency,
                "quantity": Quantity(value=exact(r.quantity), unit=r.unit) if quantity else None,
                "unit_factor": Decimal(r.unit_factor) if factor else None,
                "unit_price": Money(amount=exact(r.unit_price), currency=currency) if price else None,
                "amount": (
                    Money(amount=Decimal(r.quantity) * Decimal(r.unit_price), currency=currency)
                    if amount
                    else None
                ),
            }
            for name in self._unmade:
                values[name] = None
            held = _held_sku(info, sku_id)
            if held is not None:
                unit, values["sku"] = held  # the request's node of the SKU: nothing to make
                for name, attr in base:
                    values[name] = Quantity(value=exact(getattr(r, attr)), unit=unit)
            else:
                values["sku"] = (
                    nodes.required_held(info, catalog.Sku, sku_id, Sku.from_row, shared=True)
                    if want_sku
                    else None
                )
                for name, attr in base:
                    values[name] = nodes.required_held(info, catalog.Sku, sku_id, _in_base(getattr(r, attr)))
            out.append(make(**values))
        return out


def maker(
    info: Info, line_type: Callable[..., L], base: dict[str, str], fields: Collection[str] | None = None
) -> LineMaker[L]:
    """The request's ``LineMaker`` for ``line_type`` and ``fields`` (made once per request: a page's 100
    orders share it). ``fields`` must be hashable (``Selection.lines`` is a frozenset) or ``None``."""
    if fields is not None:
        fields = frozenset(fields)  # the same object when it is one already
    key = (_MAKERS, line_type, fields)
    built = info.context.loaders.built
    found: LineMaker[L] | None = built.get(key)
    if found is None:
        found = built[key] = LineMaker(line_type, base, fields)
    return found


_MAKERS = "order_lines.makers"


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
        lambda rows: Money(amount=_sum_amounts(rows), currency=currency),
    )


def _sum_amounts(rows: Iterable[Any]) -> Decimal:
    """Σ quantity × unit price of the line rows, exact."""
    total = Decimal(0)
    for ln in rows:
        total += exact(ln.quantity) * exact(ln.unit_price)
    return total
