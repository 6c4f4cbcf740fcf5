"""Returns to the supplier: the bad stock goes back first, and never more than was received."""

from decimal import Decimal

import pytest

from domain.common.errors import Conflict, InsufficientStock, ValidationError
from domain.inventory import consistency
from domain.inventory import counts as stock_counts
from domain.inventory.models import StockMove
from domain.purchasing import returns as supplier_returns
from domain.purchasing.models import PurchaseOrderLine, SupplierReturnLine
from domain.sales import returns as customer_returns
from domain.sales import shipments
from tests import factories
from tests.factories import NOW


def return_line(lot, quantity, location=None):
    return supplier_returns.ReturnLineInput(
        lot.order.line_id, lot.batch_id, location or lot.location_code, Decimal(quantity)
    )


async def test_quarantined_high_risk_stock_goes_back_to_the_supplier_at_its_cost(db):
    sku = await factories.make_sku(high_risk=True)
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lot = await factories.receive(sku, wh, supplier, Decimal(10), unit_cost=Decimal(9))

    posted = await supplier_returns.supplier_return_post(
        lot.order.id, [return_line(lot, 4)], NOW, reason="霉变"
    )

    [move] = await StockMove.filter(doc_type="supplier_return", doc_id=posted.document_id)
    assert (move.from_status, move.quantity, move.unit_cost, move.value) == ("quarantine", 4, 9, 36)
    assert await factories.on_hand(sku, status="quarantine") == Decimal(6)
    assert await factories.valuation(sku) == (Decimal(6), Decimal(54), Decimal(9))
    assert (await PurchaseOrderLine.get(id=lot.order.line_id)).returned_base == Decimal(4)
    assert (await SupplierReturnLine.get(supplier_return_id=posted.document_id)).quantity_base == Decimal(4)
    assert await consistency.check_consistency() == []


async def test_rejected_stock_is_returned_before_available_stock_of_the_same_batch(db):
    sku = await factories.make_sku()
    wh, supplier, customer = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    # Four kg come back from a customer (into quarantine) and are then blocked for good.
    order = await factories.make_sales_order(customer, wh, sku, Decimal(4))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(4))], NOW)
    await customer_returns.customer_return_post(
        order.id,
        [customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, wh.bins[0], Decimal(4))],
        NOW,
    )
    assert await factories.on_hand(sku, status="quarantine") == Decimal(4)

    posted = await supplier_returns.supplier_return_post(lot.order.id, [return_line(lot, 4)], NOW)

    [move] = await StockMove.filter(doc_type="supplier_return", doc_id=posted.document_id)
    assert move.from_status == "quarantine"
    assert await factories.on_hand(sku, status="quarantine") == 0
    assert await factories.on_hand(sku, status="available") == Decimal(6)


async def test_returning_more_than_was_received_is_refused_and_nothing_changes(db):
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    await supplier_returns.supplier_return_post(lot.order.id, [return_line(lot, 7)], NOW)
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await supplier_returns.supplier_return_post(lot.order.id, [return_line(lot, 4)], NOW)

    assert exc.value.path == ("lines", "0", "quantity")
    assert exc.value.message == "returning 4 exceeds the 3.0000 still returnable"
    assert await factories.books(sku) == before


async def test_returning_stock_that_already_left_is_insufficient_stock(db):
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    # A count found only 2 kg of the 10 received: the other 8 cannot go back.
    count = await stock_counts.stock_count_start(wh.code, [wh.bins[0]])
    await stock_counts.stock_count_post(
        count.document_id, [stock_counts.CountedLine(wh.bins[0], lot.batch_id, Decimal(2))], NOW
    )
    before = await factories.books(sku)

    with pytest.raises(InsufficientStock) as exc:
        await supplier_returns.supplier_return_post(lot.order.id, [return_line(lot, 3)], NOW)

    assert exc.value.path == ("lines", "0")
    assert [(s.requested, s.available) for s in exc.value.shortages] == [(3, 2)]
    assert await factories.books(sku) == before


async def test_nothing_can_be_returned_on_an_order_with_nothing_received(db):
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))

    with pytest.raises(Conflict) as exc:
        await supplier_returns.supplier_return_post(
            order.id, [supplier_returns.ReturnLineInput(order.line_id, 1, wh.bins[0], Decimal(1))], NOW
        )

    assert exc.value.path == ("orderId",)
    assert "has nothing received to return" in exc.value.message
