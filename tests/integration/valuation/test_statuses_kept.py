"""Issue 10, kind 4: a movement keeps the batch's status. Counts, transfers and returns see and keep
quarantined, blocked, rejected and expired stock; a quarantined batch is released through its quality check.
Kind 5 for counts and returns: a line names a lot that really moved there."""

from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from domain.common.errors import Conflict, ValidationError
from domain.inventory import counts, transfers
from domain.inventory import services as inventory
from domain.inventory.models import StockCountLine
from domain.purchasing import returns as supplier_returns
from domain.quality import services as quality
from domain.quality.models import QualityCheck
from domain.sales import returns as customer_returns
from domain.sales import shipments
from tests import factories
from tests.factories import NOW, TODAY

D = Decimal


async def set_status(batch_id: int, status: str) -> None:
    async with in_transaction():
        await inventory.set_batch_status(batch_id, inventory.rules.StockStatus(status), NOW, "test")


async def test_counting_a_bin_of_quarantined_stock_shows_it_and_keeps_it_quarantined(db):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )
    lot = await factories.receive(sku, wh, supplier, D(10))
    await set_status(lot.batch_id, "quarantine")

    started = await counts.stock_count_start(wh.code, [wh.bins[0]])
    sheet = await StockCountLine.filter(count_id=started.document_id)
    await counts.stock_count_post(
        started.document_id, [counts.CountedLine(wh.bins[0], lot.batch_id, D(10))], NOW
    )

    assert [(ln.batch_id, ln.status, D(ln.expected)) for ln in sheet] == [(lot.batch_id, "quarantine", D(10))]
    assert await factories.on_hand(sku, wh.bins[0], status=None) == D(10)
    assert await factories.on_hand(sku, wh.bins[0], "quarantine") == D(10)
    assert await factories.on_hand(sku, wh.bins[0], "available") == D(0)


async def test_a_count_loss_of_expired_stock_writes_off_expired_stock(db):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )
    lot = await factories.receive(sku, wh, supplier, D(10))
    await set_status(lot.batch_id, "expired")
    started = await counts.stock_count_start(wh.code, [wh.bins[0]])

    await counts.stock_count_post(
        started.document_id, [counts.CountedLine(wh.bins[0], lot.batch_id, D(0))], NOW
    )

    assert await factories.on_hand(sku, status=None) == D(0)
    assert await factories.valuation(sku) == (D(0), D(0), D(0))


async def test_a_lot_held_in_two_statuses_is_counted_per_status(db):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )
    customer = await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, D(10))
    order = await factories.make_sales_order(customer, wh, sku, D(4))
    shipped = await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, D(4))], NOW)
    assert shipped.document_id
    await customer_returns.customer_return_post(
        order.id,
        [customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, wh.bins[0], D(4))],
        NOW,
    )
    started = await counts.stock_count_start(wh.code, [wh.bins[0]])

    with pytest.raises(ValidationError) as err:
        await counts.stock_count_post(
            started.document_id, [counts.CountedLine(wh.bins[0], lot.batch_id, D(10))], NOW
        )
    assert err.value.path == ("lines", "0", "status")
    await counts.stock_count_post(
        started.document_id,
        [
            counts.CountedLine(wh.bins[0], lot.batch_id, D(6), "available"),
            counts.CountedLine(wh.bins[0], lot.batch_id, D(3), "quarantine"),
        ],
        NOW,
    )

    assert await factories.on_hand(sku, wh.bins[0], "available") == D(6)
    assert await factories.on_hand(sku, wh.bins[0], "quarantine") == D(3)


async def test_a_lot_that_never_came_into_the_warehouse_is_not_counted_into_existence(db):
    sku, supplier = await factories.make_sku(), await factories.make_supplier()
    wh, elsewhere = await factories.make_warehouse(), await factories.make_warehouse()
    stranger = await factories.receive(sku, elsewhere, supplier, D(5))
    started = await counts.stock_count_start(wh.code, [wh.bins[0]])
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as err:
        await counts.stock_count_post(
            started.document_id, [counts.CountedLine(wh.bins[0], stranger.batch_id, D(5))], NOW
        )

    assert err.value.path == ("lines", "0", "batchId")
    assert await factories.books(sku) == before


async def test_a_quarantined_lot_travels_and_arrives_quarantined(db):
    sku, supplier = await factories.make_sku(), await factories.make_supplier()
    src, dst = await factories.make_warehouse(), await factories.make_warehouse()
    lot = await factories.receive(sku, src, supplier, D(10))
    await set_status(lot.batch_id, "quarantine")

    shipped = await transfers.transfer_ship(
        src.code, dst.code, [transfers.TransferLineInput(sku.code, D(4), lot.batch_id)], TODAY, NOW
    )
    assert await factories.on_hand(sku, dst.transit, "quarantine") == D(4)
    await transfers.transfer_receive(shipped.document_id, dst.bins[0], NOW)

    assert await factories.on_hand(sku, dst.bins[0], "quarantine") == D(4)
    assert await factories.on_hand(sku, src.bins[0], "quarantine") == D(6)
    assert await factories.on_hand(sku, status="available") == D(0)


async def test_goods_of_a_blocked_lot_come_back_from_a_customer_blocked(db):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )
    customer = await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, D(10))
    order = await factories.make_sales_order(customer, wh, sku, D(4))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, D(4))], NOW)
    await inventory.batch_block(lot.batch_id, NOW)

    await customer_returns.customer_return_post(
        order.id,
        [customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, wh.bins[0], D(4))],
        NOW,
    )

    assert await factories.on_hand(sku, wh.bins[0], "blocked") == D(10)
    assert await factories.on_hand(sku, wh.bins[0], "quarantine") == D(0)


async def test_a_return_to_supplier_takes_each_status_it_needs_and_keeps_the_rest(db):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )
    customer = await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, D(10))
    order = await factories.make_sales_order(customer, wh, sku, D(3))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, D(3))], NOW)
    await customer_returns.customer_return_post(
        order.id,
        [customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, wh.bins[0], D(3))],
        NOW,
    )  # 7 available, 3 quarantined

    await supplier_returns.supplier_return_post(
        lot.order.id,
        [supplier_returns.ReturnLineInput(lot.order.line_id, lot.batch_id, wh.bins[0], D(5))],
        NOW,
    )

    assert await factories.on_hand(sku, wh.bins[0], "quarantine") == D(0)
    assert await factories.on_hand(sku, wh.bins[0], "available") == D(5)


async def test_a_return_to_supplier_refuses_a_lot_that_came_from_another_supplier(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    first, second = await factories.make_supplier(), await factories.make_supplier()
    ours = await factories.receive(sku, wh, first, D(10))
    theirs = await factories.receive(sku, wh, second, D(10))
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as err:
        await supplier_returns.supplier_return_post(
            ours.order.id,
            [supplier_returns.ReturnLineInput(ours.order.line_id, theirs.batch_id, wh.bins[0], D(2))],
            NOW,
        )

    assert err.value.path == ("lines", "0", "batchId")
    assert theirs.lot_code in err.value.message
    assert await factories.books(sku) == before


async def test_release_of_a_batch_under_a_pending_check_is_refused_the_verdict_releases_it(db):
    sku = await factories.make_sku(high_risk=True)
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lot = await factories.receive(sku, wh, supplier, D(10))
    check = await QualityCheck.get(batch_id=lot.batch_id)
    assert check.status == "pending"

    with pytest.raises(Conflict) as err:
        await inventory.batch_release(lot.batch_id, NOW)
    assert err.value.path == ("batchId",)
    assert check.number in err.value.message
    assert await factories.on_hand(sku, status="quarantine") == D(10)

    await quality.quality_check_start(lot.batch_id, "王质检", NOW)
    await quality.quality_check_verdict(
        check.id, [quality.ResultInput("菌落总数", "800", "≤1000", "CFU/g", True)], "pass", [], NOW
    )
    assert await factories.on_hand(sku, status="available") == D(10)
    assert (await QualityCheck.get(id=check.id)).status == "passed"
