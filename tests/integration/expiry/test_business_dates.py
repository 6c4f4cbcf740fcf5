"""Business dates on PostgreSQL: expiry, journal dates, EPCIS offsets in Shanghai time (issue 10, kind 1)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.common.errors import InsufficientStock, ValidationError
from domain.finance.models import JournalEntry
from domain.inventory import availability
from domain.inventory.models import StockMove
from domain.sales import services as sales
from domain.sales import shipments
from domain.trace.models import TraceEvent
from tests import factories
from tests.integration.expiry import expiring

DEC1_15 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 23:00 on Dec 1st in Shanghai
DEC1_17 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 01:00 on Dec 2nd in Shanghai


@pytest.fixture
async def world(db):
    sku = await factories.make_sku()
    yield (
        sku,
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    await expiring.retire_lots(sku.id)


async def order_at(customer, wh, sku, quantity, at=DEC1_15):
    """A sales order confirmed (stock reserved FEFO) at ``at``."""
    order = await factories.make_sales_order(customer, wh, sku, Decimal(quantity), confirm=False)
    await sales.sales_order_confirm(order.id, at)
    return order


def ship(order, quantity, at, **kw):
    return shipments.shipment_post(
        order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(quantity), **kw)], at
    )


async def test_a_lot_expiring_on_december_1st_cannot_ship_at_17_utc_it_is_december_2nd_in_shanghai(world):
    sku, wh, supplier, customer = world
    lot = await factories.receive(
        sku, wh, supplier, Decimal(10), expiry_date=date(2026, 12, 1), received_at=DEC1_15
    )
    order = await order_at(customer, wh, sku, Decimal(4))
    before = await factories.books(sku)

    with pytest.raises(InsufficientStock) as fefo:
        await ship(order, 4, DEC1_17)
    with pytest.raises(ValidationError) as named:
        await ship(order, 4, DEC1_17, batch_id=lot.batch_id)

    assert [(s.requested, s.available) for s in fefo.value.shortages] == [(Decimal(4), Decimal(0))]
    assert named.value.message == f"batch {lot.lot_code} expired on 2026-12-01"
    assert await factories.books(sku) == before
    figures = await availability.stock_figures(sku.id, wh.id, date(2026, 12, 2))
    assert (figures.on_hand, figures.available, figures.expired) == (Decimal(10), Decimal(0), Decimal(10))


async def test_a_shipment_at_15_utc_of_a_lot_valid_that_day_is_booked_on_shanghais_december_1st(world):
    sku, wh, supplier, customer = world
    await factories.receive(
        sku, wh, supplier, Decimal(10), expiry_date=date(2026, 12, 1), received_at=DEC1_15
    )
    order = await order_at(customer, wh, sku, Decimal(4))

    posted = await ship(order, 4, DEC1_15)

    entry = await JournalEntry.get(doc_type="shipment", doc_id=posted.document_id)
    assert (entry.entry_date, entry.period) == (date(2026, 12, 1), "2026-12")
    moved = await StockMove.filter(doc_type="shipment", doc_id=posted.document_id).values_list(
        "quantity", flat=True
    )
    assert [Decimal(q) for q in moved] == [Decimal(4)]


async def test_a_shipment_at_17_utc_is_booked_on_december_2nd_and_its_event_carries_plus_eight(world):
    sku, wh, supplier, customer = world
    await factories.receive(
        sku, wh, supplier, Decimal(10), expiry_date=date(2026, 12, 5), received_at=DEC1_15
    )
    order = await order_at(customer, wh, sku, Decimal(4))

    posted = await ship(order, 4, DEC1_17)

    entry = await JournalEntry.get(doc_type="shipment", doc_id=posted.document_id)
    assert entry.entry_date == date(2026, 12, 2)
    event = await TraceEvent.get(doc_type="shipment", doc_id=posted.document_id)
    assert event.body["eventTimeZoneOffset"] == "+08:00"
    assert event.body["eventTime"] == "2026-12-01T17:00:00.000Z"
    receiving = await TraceEvent.filter(doc_type="goods_receipt").order_by("-id").first()
    assert receiving is not None
    assert receiving.body["eventTimeZoneOffset"] == "+08:00"


async def test_the_summary_reports_what_a_shipment_finds_46_kg_not_75_9(world):
    # The figures: 29.9 kg expired yesterday (Shanghai), 46.0 kg still good.
    sku, wh, supplier, customer = world
    await factories.receive(
        sku, wh, supplier, Decimal("29.9"), expiry_date=date(2026, 12, 1), received_at=DEC1_15
    )
    await factories.receive(
        sku, wh, supplier, Decimal("46.0"), expiry_date=date(2026, 12, 20), received_at=DEC1_15
    )
    figures = await availability.stock_figures(sku.id, wh.id, date(2026, 12, 2))
    order = await order_at(customer, wh, sku, Decimal("75.9"))  # reserves 75.9 at 23:00 on Dec 1st
    with pytest.raises(InsufficientStock) as refused:
        await ship(order, "75.9", DEC1_17)

    assert (figures.on_hand, figures.available, figures.expired) == (
        Decimal("75.9"),
        Decimal("46.0"),
        Decimal("29.9"),
    )
    assert [(s.requested, s.available) for s in refused.value.shortages] == [
        (Decimal("75.9"), figures.available)
    ]
    await ship(order, figures.available, DEC1_17)
    after = await availability.stock_figures(sku.id, wh.id, date(2026, 12, 2))
    assert (after.on_hand, after.available, after.expired) == (Decimal("29.9"), Decimal(0), Decimal("29.9"))
