"""Shipments on PostgreSQL: FEFO or the named batch, never expired or held stock, never more than ordered."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, InsufficientStock, NotFound, ValidationError
from domain.inventory import consistency
from domain.inventory import services as inventory
from domain.inventory.models import StockMove
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrder, SalesOrderLine, Shipment, ShipmentLine
from tests import factories
from tests.factories import NOW, days


@pytest.fixture
async def setup(db):
    return (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )


def ship(order, quantity, **kw):
    return shipments.shipment_post(
        order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(quantity), **kw)], NOW
    )


async def shipped_lots(shipment_id):
    return [
        (m.batch_id, m.quantity)
        for m in await StockMove.filter(doc_type="shipment", doc_id=shipment_id).order_by("id")
    ]


async def test_fefo_ships_the_batch_that_expires_first(setup):
    sku, wh, supplier, customer = setup
    late = await factories.receive(sku, wh, supplier, Decimal(10), expiry_date=days(30))
    early = await factories.receive(
        sku, wh, supplier, Decimal(4), expiry_date=days(5), location_code=wh.bins[1]
    )
    undated = await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(6), confirm=False)
    await sales.sales_order_confirm(order.id, NOW)

    posted = await ship(order, 6)

    assert await shipped_lots(posted.document_id) == [(early.batch_id, 4), (late.batch_id, 2)]
    assert await factories.on_hand(sku) == Decimal(18)
    assert await factories.on_hand(sku, wh.bins[1]) == 0
    assert undated.batch_id not in {b for b, _ in await shipped_lots(posted.document_id)}
    assert (await SalesOrder.get(id=order.id)).status == "shipped"
    assert await factories.reserved(sku) == 0
    assert await consistency.check_consistency() == []


async def test_a_named_batch_is_shipped_even_if_another_expires_sooner(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10), expiry_date=days(5))
    late = await factories.receive(sku, wh, supplier, Decimal(10), expiry_date=days(30))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(3))  # reserves the early lot

    posted = await ship(order, 3, batch_id=late.batch_id)

    assert await shipped_lots(posted.document_id) == [(late.batch_id, 3)]
    # The reservation on the early lot was given up: the order has nothing left to ship.
    assert await factories.reserved(sku) == 0
    assert await consistency.check_consistency() == []


async def test_shipments_are_valued_at_the_moving_average(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10), unit_cost=Decimal(10), expiry_date=days(5))
    await factories.receive(sku, wh, supplier, Decimal(30), unit_cost=Decimal(14), expiry_date=days(9))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(8))

    posted = await ship(order, 8)

    [line] = await ShipmentLine.filter(shipment_id=posted.document_id)
    assert (line.quantity_base, line.unit_cost) == (8, 13)  # (100 + 420) / 40
    assert await factories.valuation(sku) == (Decimal(32), Decimal(416), Decimal(13))


async def test_expired_stock_is_never_shipped(setup):
    sku, wh, supplier, customer = setup
    lot = await factories.receive(sku, wh, supplier, Decimal(10), expiry_date=days(2))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(4), confirm=False)
    await sales.sales_order_confirm(order.id, NOW)
    three_days_later = NOW + timedelta(days=3)
    before = await factories.books(sku)

    with pytest.raises(InsufficientStock) as exc:
        await shipments.shipment_post(
            order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(4))], three_days_later
        )
    assert [(s.requested, s.available) for s in exc.value.shortages] == [(4, 0)]

    with pytest.raises(ValidationError) as named:
        await shipments.shipment_post(
            order.id,
            [shipments.ShipmentLineInput(order.line_id, Decimal(4), batch_id=lot.batch_id)],
            three_days_later,
        )
    assert named.value.path == ("lines", "0", "batchId")
    assert named.value.message == f"batch {lot.lot_code} expired on {days(2)}"
    assert await factories.books(sku) == before


async def test_blocked_stock_is_never_shipped_and_its_reservations_are_dropped(setup):
    sku, wh, supplier, customer = setup
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(4))
    assert await factories.reserved(sku) == Decimal(4)

    await inventory.batch_block(lot.batch_id, NOW)

    assert await factories.reserved(sku) == 0
    assert await factories.on_hand(sku, status="blocked") == Decimal(10)
    before = await factories.books(sku)
    with pytest.raises(InsufficientStock):
        await ship(order, 4)
    with pytest.raises(ValidationError) as named:
        await ship(order, 4, batch_id=lot.batch_id)
    assert named.value.message == f"batch {lot.lot_code} is blocked and cannot be shipped"
    assert await factories.books(sku) == before

    await inventory.batch_release(lot.batch_id, NOW)
    await ship(order, 4)
    assert await factories.on_hand(sku) == Decimal(6)
    assert await consistency.check_consistency() == []


async def test_a_reservation_on_confirm_holds_stock_back_from_other_orders(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10))
    first = await factories.make_sales_order(customer, wh, sku, Decimal(8))
    second = await factories.make_sales_order(customer, wh, sku, Decimal(5))
    assert await factories.reserved(sku) == Decimal(10)  # 8 for the first, the last 2 for the second
    before = await factories.books(sku)

    with pytest.raises(InsufficientStock) as exc:
        await ship(second, 5)

    assert exc.value.path == ("lines", "0", "quantity")
    assert exc.value.message == f"insufficient stock ({sku.code}: requested 5.0000, available 2.0000)"
    assert await factories.books(sku) == before
    await ship(first, 8)
    await ship(second, 2)
    assert await factories.on_hand(sku) == 0


async def test_cancelling_an_order_gives_its_reservation_back(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10))
    first = await factories.make_sales_order(customer, wh, sku, Decimal(8))
    second = await factories.make_sales_order(customer, wh, sku, Decimal(8))

    await sales.sales_order_cancel(first.id)
    await ship(second, 8)

    assert await factories.on_hand(sku) == Decimal(2)
    assert await factories.reserved(sku) == 0
    with pytest.raises(Conflict) as exc:
        await ship(first, 1)
    assert exc.value.message.endswith("is cancelled: nothing more can be shipped")


async def test_partial_shipments_then_the_rest(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(6))

    await ship(order, "2.5")
    assert (await SalesOrder.get(id=order.id)).status == "partially_shipped"
    assert await factories.reserved(sku) == Decimal("3.5")

    await ship(order, "3.5")
    assert (await SalesOrder.get(id=order.id)).status == "shipped"
    assert (await SalesOrderLine.get(id=order.line_id)).shipped_base == Decimal(6)
    assert await Shipment.filter(order_id=order.id).count() == 2
    assert (await factories.on_hand(sku), await factories.reserved(sku)) == (Decimal(4), 0)


async def test_shipping_more_than_ordered_is_refused(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(3))
    await ship(order, 2)
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await ship(order, "1.0001")

    assert exc.value.path == ("lines", "0", "quantity")
    assert exc.value.message == "shipping 1.0001 would exceed the 1.0000 still to ship on this line"
    assert await factories.books(sku) == before


async def test_a_draft_order_cannot_ship_and_an_unknown_line_is_not_found(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(10))
    draft = await factories.make_sales_order(customer, wh, sku, Decimal(3), confirm=False)
    order = await factories.make_sales_order(customer, wh, sku, Decimal(3))
    before = await factories.books(sku)

    with pytest.raises(Conflict) as exc:
        await ship(draft, 1)
    assert exc.value.message.endswith("is a draft: confirm it before shipping")

    with pytest.raises(NotFound) as missing:
        await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(draft.line_id, Decimal(1))], NOW)
    assert missing.value.path == ("lines", "0", "orderLineId")
    assert await factories.books(sku) == before


async def test_a_shipment_in_boxes_is_converted_to_kg(setup):
    sku, wh, supplier, customer = setup
    await factories.receive(sku, wh, supplier, Decimal(30))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(2), unit="box")

    await ship(order, 1)
    await ship(order, 10, unit="kg")

    assert await factories.on_hand(sku) == Decimal(10)
    assert (await SalesOrder.get(id=order.id)).status == "shipped"
