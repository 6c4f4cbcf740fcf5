"""Customer returns: back into quarantine at the cost the goods left with, never more than was shipped."""

from decimal import Decimal

import pytest

from domain.common.errors import Conflict, ValidationError
from domain.inventory import consistency
from domain.inventory import services as inventory
from domain.inventory.models import StockMove
from domain.sales import returns as customer_returns
from domain.sales import shipments
from domain.sales.models import CustomerReturnLine, SalesOrderLine
from tests import factories
from tests.factories import NOW, days


@pytest.fixture
async def shipped(db):
    """6 kg shipped at 13.00 a kg (average of 10 kg at 10 and 30 kg at 14)."""
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, Decimal(10), unit_cost=Decimal(10), expiry_date=days(5))
    await factories.receive(sku, wh, supplier, Decimal(30), unit_cost=Decimal(14), expiry_date=days(9))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(6))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(6))], NOW)
    return sku, wh, lot, order


def line(order, lot, quantity, location):
    return customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, location, Decimal(quantity))


async def test_a_return_goes_to_quarantine_at_the_cost_it_was_shipped_at(shipped):
    sku, wh, lot, order = shipped
    # A later receipt moves the average; the return must not take that new average.
    supplier = await factories.make_supplier()
    await factories.receive(sku, wh, supplier, Decimal(34), unit_cost=Decimal(20))

    posted = await customer_returns.customer_return_post(
        order.id, [line(order, lot, 2, wh.bins[1])], NOW, reason="破损"
    )

    [move] = await StockMove.filter(doc_type="customer_return", doc_id=posted.document_id)
    assert (move.to_status, move.quantity, move.unit_cost, move.value) == ("quarantine", 2, 13, 26)
    assert await factories.on_hand(sku, wh.bins[1], status="quarantine") == Decimal(2)
    assert (await SalesOrderLine.get(id=order.line_id)).returned_base == Decimal(2)
    assert (await CustomerReturnLine.get(customer_return_id=posted.document_id)).unit_cost == 13
    # (442 + 680 + 26) / (34 + 34 + 2)
    assert await factories.valuation(sku) == (Decimal(70), Decimal(1148), Decimal("16.4"))
    assert await consistency.check_consistency() == []


async def test_returned_stock_cannot_be_shipped_until_released(shipped):
    sku, wh, lot, order = shipped
    await customer_returns.customer_return_post(order.id, [line(order, lot, 6, wh.bins[1])], NOW)
    customer = await factories.make_customer()
    other = await factories.make_sales_order(customer, wh, sku, Decimal(34))

    # 34 kg are available, the 6 returned are not: exactly 34 can ship, not 35.
    assert await factories.on_hand(sku, status="available") == Decimal(34)
    assert await factories.reserved(sku) == Decimal(34)
    await shipments.shipment_post(other.id, [shipments.ShipmentLineInput(other.line_id, Decimal(34))], NOW)
    assert await factories.on_hand(sku, status="quarantine") == Decimal(6)


async def test_returning_more_than_was_shipped_of_that_batch_is_refused(shipped):
    sku, wh, lot, order = shipped
    await customer_returns.customer_return_post(order.id, [line(order, lot, 5, wh.bins[0])], NOW)
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await customer_returns.customer_return_post(order.id, [line(order, lot, 2, wh.bins[0])], NOW)

    assert exc.value.path == ("lines", "0", "quantity")
    assert exc.value.message == "only 1.0000 of this batch was shipped on this line and not returned"
    assert await factories.books(sku) == before


async def test_a_batch_that_was_never_shipped_on_the_line_cannot_come_back(shipped):
    sku, wh, _, order = shipped
    other = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(1))
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await customer_returns.customer_return_post(order.id, [line(order, other, 1, wh.bins[0])], NOW)

    assert exc.value.message.startswith(f"batch {other.batch_id} was not shipped on this order line")
    assert exc.value.path == ("lines", "0", "batchId")
    assert await factories.books(sku) == before


async def test_releasing_a_returned_lot_frees_the_quarantined_stock_and_nothing_rejected(shipped):
    sku, wh, lot, order = shipped
    await customer_returns.customer_return_post(order.id, [line(order, lot, 2, wh.bins[1])], NOW)
    # The batch itself stays available: only the returned units are held.
    assert await factories.on_hand(sku, wh.bins[1], status="quarantine") == Decimal(2)

    await inventory.batch_release(lot.batch_id, NOW)

    assert await factories.on_hand(sku, wh.bins[1], status="quarantine") == Decimal(0)
    assert await factories.on_hand(sku, wh.bins[1], status="available") == Decimal(2)
    assert await consistency.check_consistency() == []


async def test_a_lot_with_nothing_held_is_not_released(shipped):
    _, _, lot, _ = shipped
    with pytest.raises(Conflict) as error:
        await inventory.batch_release(lot.batch_id, NOW)
    assert "no held stock" in error.value.message
