"""Receipts and shipments pass what they hold to their journal entry (``finance.postings.Held``) instead of
letting it read the locations, valuations, SKUs, order lines and document back (issue 15): these tests pin
every passed-in figure to what the read path finds in the database at the same moment, inside the posting.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.catalog.services import OrderLineInput
from domain.common import deferred
from domain.finance import accruals
from domain.finance import postings as finance
from domain.inventory.models import StockMove
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import GoodsReceiptLine, PurchaseOrderLine
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine, Shipment

from .conftest import AT

D = Decimal


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Wraps the two booking hooks: before booking, each held figure is compared with the read path's."""
    seen: list[str] = []
    book_receipt, book_shipment = finance.book_goods_receipt, finance.book_shipment

    async def check_booked(moves: Sequence[StockMove], held: finance.Held) -> None:
        # The posting's writes so far, queued to go with its last ones (``deferred``), are what the read
        # path is to find: send them now.
        await deferred.flush()
        assert await finance.booked_by_sku(moves, held) == await finance.booked_by_sku(moves)
        skus = sorted({m.sku_id for m in moves})
        assert await finance._categories(skus, held) == await finance._categories(skus)

    async def receipt_hook(receipt_id: int, moves: Any = None, posted_at: Any = None, **kw: Any) -> None:
        held: finance.Held = kw["held"]
        supplier_id, quantities = kw["lines"]
        await check_booked(moves, held)
        read = [
            (ol_id, D(q))
            for ol_id, q in await GoodsReceiptLine.filter(receipt_id=receipt_id)
            .order_by("id")
            .values_list("order_line_id", "quantity_base")
        ]
        assert quantities == read
        assert await accruals.grni_changes(quantities, held.order_lines) == await accruals.grni_changes(read)
        line = await GoodsReceiptLine.filter(receipt_id=receipt_id).first().prefetch_related("receipt__order")
        assert line is not None
        assert supplier_id == line.receipt.order.supplier_id
        seen.append("receipt")
        await book_receipt(receipt_id, moves, posted_at, **kw)

    async def shipment_hook(shipment_id: int, moves: Any = None, posted_at: Any = None, **kw: Any) -> None:
        await check_booked(moves, kw["held"])
        shipment = await Shipment.get(id=shipment_id).select_related("order")
        assert kw["customer_id"] == shipment.order.customer_id
        seen.append("shipment")
        await book_shipment(shipment_id, moves, posted_at, **kw)

    monkeypatch.setattr(finance, "book_goods_receipt", receipt_hook)
    monkeypatch.setattr(finance, "book_shipment", shipment_hook)
    return seen


async def _receive(world, order_id: int, quantities: list[tuple[int, str]], at: datetime = AT) -> None:
    await receipts.goods_receipt_post(
        order_id,
        [receipts.ReceiptLineInput(ol, D(q), world.unique("LOT"), world.location) for ol, q in quantities],
        at,
    )


async def test_held_figures_are_those_the_database_holds(world, compared):
    # Prices with more places than cents, two receipts of a SKU (a moving average that does not divide
    # evenly) and two receipt lines on one order line: the cases where memory and rows could part.
    order = await purchasing.purchase_order_create(
        world.supplier,
        world.warehouse,
        [
            OrderLineInput(world.taxed, D(10), unit_price=D("3.333")),
            OrderLineInput(world.exempt, D(7), unit_price=D("1.0007")),
        ],
    )
    await purchasing.purchase_order_confirm(order.document_id, AT)
    taxed, exempt = await PurchaseOrderLine.filter(order_id=order.document_id).order_by("id")
    await _receive(world, order.document_id, [(taxed.id, "3"), (exempt.id, "2.5"), (taxed.id, "1")])
    await _receive(world, order.document_id, [(taxed.id, "2.3333"), (exempt.id, "4.5")])
    again = await purchasing.purchase_order_create(
        world.supplier, world.warehouse, [OrderLineInput(world.taxed, D(3), unit_price=D("2.9"))]
    )
    await purchasing.purchase_order_confirm(again.document_id, AT)
    line = await PurchaseOrderLine.get(order_id=again.document_id)
    await _receive(world, again.document_id, [(line.id, "3")])

    so = await sales.sales_order_create(
        world.customer,
        world.warehouse,
        [
            OrderLineInput(world.taxed, D(7), unit_price=D(6)),
            OrderLineInput(world.exempt, D(7), unit_price=D(2)),
        ],
    )
    await sales.sales_order_confirm(so.document_id, AT)
    s_taxed, s_exempt = await SalesOrderLine.filter(order_id=so.document_id).order_by("id")
    for qty in ("1", "2.5"):
        await shipments.shipment_post(
            so.document_id,
            [
                shipments.ShipmentLineInput(s_taxed.id, D(qty)),
                shipments.ShipmentLineInput(s_exempt.id, D(qty)),
            ],
            AT,
        )
    # The last of a SKU leaves with whatever value is left (``value_out``).
    await shipments.shipment_post(so.document_id, [shipments.ShipmentLineInput(s_exempt.id, D("3.5"))], AT)

    assert compared == ["receipt"] * 3 + ["shipment"] * 3
