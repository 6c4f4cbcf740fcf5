"""Transfers: stock in transit is still ours and valued, but not available anywhere until received."""

from decimal import Decimal

import pytest

from domain.common.errors import Conflict, InsufficientStock, ValidationError
from domain.inventory import consistency, transfers
from domain.inventory import services as inventory
from domain.inventory.models import Transfer, TransferLine
from domain.sales import shipments
from tests import factories
from tests.factories import NOW, TODAY, days


@pytest.fixture
async def two_warehouses(db):
    sku, src, dst = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_warehouse(),
    )
    supplier = await factories.make_supplier()
    early = await factories.receive(sku, src, supplier, Decimal(4), expiry_date=days(3))
    late = await factories.receive(sku, src, supplier, Decimal(10), expiry_date=days(20))
    return sku, src, dst, early, late


async def test_stock_in_transit_is_valued_but_not_available_then_received_at_destination(two_warehouses):
    sku, src, dst, early, late = two_warehouses
    customer = await factories.make_customer()

    shipped = await transfers.transfer_ship(
        src.code, dst.code, [transfers.TransferLineInput(sku.code, Decimal(6))], TODAY, NOW
    )

    assert shipped.number == f"TR{shipped.document_id:08d}"
    assert [
        (ln.batch_id, ln.quantity) for ln in await TransferLine.filter(transfer_id=shipped.document_id)
    ] == [
        (early.batch_id, 4),
        (late.batch_id, 2),
    ]
    assert await factories.on_hand(sku, dst.transit) == Decimal(6)
    assert await factories.on_hand(sku, src.bins[0]) == Decimal(8)
    assert await factories.valuation(sku) == (Decimal(14), Decimal(168), Decimal(12))  # still ours
    # Not available at the destination: an order there reserves nothing and cannot ship.
    order = await factories.make_sales_order(customer, dst, sku, Decimal(1))
    assert await factories.reserved(sku) == 0
    with pytest.raises(InsufficientStock):
        await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(1))], NOW)

    await transfers.transfer_receive(shipped.document_id, dst.bins[1], NOW)

    assert await factories.on_hand(sku, dst.transit) == 0
    assert await factories.on_hand(sku, dst.bins[1]) == Decimal(6)
    assert (await Transfer.get(id=shipped.document_id)).status == "received"
    assert await factories.valuation(sku) == (Decimal(14), Decimal(168), Decimal(12))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(1))], NOW)
    assert await consistency.check_consistency() == []


async def test_a_transfer_is_received_once(two_warehouses):
    sku, src, dst, _, _ = two_warehouses
    shipped = await transfers.transfer_ship(
        src.code, dst.code, [transfers.TransferLineInput(sku.code, Decimal(1))], TODAY, NOW
    )
    await transfers.transfer_receive(shipped.document_id, dst.bins[0], NOW)
    before = await factories.books(sku)

    with pytest.raises(Conflict) as exc:
        await transfers.transfer_receive(shipped.document_id, dst.bins[0], NOW)

    assert exc.value.path == ("transferId",)
    assert exc.value.message == f"transfer {shipped.number} is already received"
    assert await factories.books(sku) == before


async def test_a_transfer_is_received_only_in_its_destination(two_warehouses):
    sku, src, dst, _, _ = two_warehouses
    shipped = await transfers.transfer_ship(
        src.code, dst.code, [transfers.TransferLineInput(sku.code, Decimal(1))], TODAY, NOW
    )

    with pytest.raises(ValidationError) as exc:
        await transfers.transfer_receive(shipped.document_id, src.bins[0], NOW)

    assert exc.value.path == ("locationCode",)
    assert await factories.on_hand(sku, dst.transit) == Decimal(1)


async def test_transferring_more_than_is_free_is_refused_and_nothing_moves(two_warehouses):
    sku, src, dst, _, _ = two_warehouses
    customer = await factories.make_customer()
    await factories.make_sales_order(customer, src, sku, Decimal(5))  # holds 5 of the 14
    before = (await factories.books(sku), await Transfer.filter(from_warehouse_id=src.id).count())

    with pytest.raises(InsufficientStock) as exc:
        await transfers.transfer_ship(
            src.code, dst.code, [transfers.TransferLineInput(sku.code, Decimal(10))], TODAY, NOW
        )

    assert exc.value.path == ("lines", "0")
    assert [(s.requested, s.available) for s in exc.value.shortages] == [(10, 9)]
    assert (await factories.books(sku), await Transfer.filter(from_warehouse_id=src.id).count()) == before


async def test_a_blocked_batch_is_not_picked_and_travels_blocked_when_named(two_warehouses):
    # Issue 10, kind 4: a transfer keeps the stock's status; it no longer refuses a named blocked lot.
    sku, src, dst, early, _ = two_warehouses
    await inventory.batch_block(early.batch_id, NOW)
    with pytest.raises(ValidationError) as err:
        await transfers.transfer_ship(
            src.code,
            dst.code,
            [transfers.TransferLineInput(sku.code, Decimal(1), status="blocked")],
            TODAY,
            NOW,
        )
    assert err.value.path == ("lines", "0", "batchId")

    shipped = await transfers.transfer_ship(
        src.code,
        dst.code,
        [transfers.TransferLineInput(sku.code, Decimal(1), early.batch_id)],
        TODAY,
        NOW,
    )
    await transfers.transfer_receive(shipped.document_id, dst.bins[0], NOW)

    assert await factories.on_hand(sku, dst.bins[0], "blocked") == Decimal(1)
    assert await factories.on_hand(sku, dst.bins[0], "available") == Decimal(0)
    assert await factories.on_hand(sku, src.bins[0], "blocked") == Decimal(3)
