"""Stock counts: starting one freezes its locations, posting it books the differences and unfreezes them."""

from decimal import Decimal

import pytest

from domain.common.errors import Conflict, ErrorCode, InsufficientStock, NotFound, ValidationError
from domain.inventory import consistency
from domain.inventory import counts as stock_counts
from domain.inventory import services as inventory
from domain.inventory.models import StockCount, StockCountLine, StockMove
from domain.purchasing import receipts
from domain.sales import shipments
from tests import factories
from tests.factories import NOW


@pytest.fixture
async def stocked(db):
    """10 kg of one lot in bin A at 12.00 a kg, and a confirmed order for 3 kg that reserved them."""
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(3))
    return sku, wh, supplier, lot, order


async def test_starting_a_count_freezes_its_locations_and_snapshots_the_books(stocked):
    _, wh, _, lot, _ = stocked

    posted = await stock_counts.stock_count_start(wh.code, [wh.bins[0], wh.bins[1]])

    assert posted.number == f"SC{posted.document_id:08d}"
    assert [(await factories.location(c)).frozen for c in wh.bins] == [True, True]
    [line] = await StockCountLine.filter(count_id=posted.document_id)
    assert (line.batch_id, line.expected, line.counted) == (lot.batch_id, 10, None)


async def test_a_frozen_location_refuses_moves_in_and_out_naming_it(stocked):
    sku, wh, supplier, lot, order = stocked
    await stock_counts.stock_count_start(wh.code, [wh.bins[0]])
    incoming = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))
    before = await factories.books(sku)

    # FEFO skips the frozen bin, so with no stock elsewhere the shipment finds nothing to pick.
    with pytest.raises(InsufficientStock) as out:
        await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(3))], NOW)
    with pytest.raises(ValidationError) as into:
        await receipts.goods_receipt_post(
            incoming.id, [receipts.ReceiptLineInput(incoming.line_id, Decimal(1), "LOT-X", wh.bins[0])], NOW
        )
    with pytest.raises(ValidationError) as block:
        await inventory.batch_block(lot.batch_id, NOW)

    message = f"location {wh.bins[0]} is frozen by a stock count"
    assert out.value.path == ("lines", "0", "quantity")
    assert [(s.requested, s.available) for s in out.value.shortages] == [(Decimal(3), Decimal(0))]
    assert (into.value.message, into.value.path) == (message, ("lines", "0", "location"))
    assert block.value.message == message
    assert await factories.books(sku) == before
    assert (await factories.location(wh.bins[0])).frozen


async def test_posting_a_count_books_losses_and_gains_and_unfreezes(stocked):
    sku, wh, supplier, lot, order = stocked
    other = await factories.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[1])
    count = await stock_counts.stock_count_start(wh.code, [wh.bins[0], wh.bins[1]])

    await stock_counts.stock_count_post(
        count.document_id,
        [
            stock_counts.CountedLine(wh.bins[0], lot.batch_id, Decimal("8.5")),
            stock_counts.CountedLine(wh.bins[1], other.batch_id, Decimal(7)),
        ],
        NOW,
    )

    moves = {
        (m.from_location_id, m.to_location_id): (m.quantity, m.value)
        for m in await StockMove.filter(doc_type="stock_count", doc_id=count.document_id)
    }
    a, b = [await factories.location(c) for c in wh.bins]
    adjustment = await inventory.virtual_location(inventory.Kind.ADJUSTMENT)
    assert moves == {(a.id, adjustment.id): (Decimal("1.5"), 18), (adjustment.id, b.id): (2, 24)}
    assert (await factories.on_hand(sku, wh.bins[0]), await factories.on_hand(sku, wh.bins[1])) == (
        Decimal("8.5"),
        Decimal(7),
    )
    assert await factories.valuation(sku) == (Decimal("15.5"), Decimal(186), Decimal(12))
    assert [(await factories.location(c)).frozen for c in wh.bins] == [False, False]
    assert (await StockCount.get(id=count.document_id)).status == "posted"
    assert await factories.reserved(sku) == Decimal(3)  # 8.5 still cover the order's 3
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(3))], NOW)
    assert await consistency.check_consistency() == []


async def test_a_loss_below_what_is_reserved_releases_the_excess_reservation(stocked):
    sku, wh, _, lot, _ = stocked
    count = await stock_counts.stock_count_start(wh.code, [wh.bins[0]])

    await stock_counts.stock_count_post(
        count.document_id, [stock_counts.CountedLine(wh.bins[0], lot.batch_id, Decimal(1))], NOW
    )

    assert (await factories.on_hand(sku), await factories.reserved(sku)) == (Decimal(1), Decimal(1))
    assert await consistency.check_consistency() == []


async def test_a_second_count_on_a_frozen_location_is_a_conflict_naming_it(stocked):
    _, wh, _, _, _ = stocked
    await stock_counts.stock_count_start(wh.code, [wh.bins[0]])
    counts = await StockCount.filter(warehouse_id=wh.id).count()

    # The frozen bin is second in the request, though it is the older location.
    with pytest.raises(Conflict) as exc:
        await stock_counts.stock_count_start(wh.code, [wh.bins[1], wh.bins[0]])

    assert exc.value.code is ErrorCode.CONFLICT
    assert exc.value.message == f"location {wh.bins[0]} is already frozen by another count"
    assert exc.value.path == ("locationCodes", "1")
    assert await StockCount.filter(warehouse_id=wh.id).count() == counts
    assert not (await factories.location(wh.bins[1])).frozen


async def test_a_count_is_posted_once(stocked):
    sku, wh, _, lot, _ = stocked
    count = await stock_counts.stock_count_start(wh.code, [wh.bins[0]])
    counted = [stock_counts.CountedLine(wh.bins[0], lot.batch_id, Decimal(9))]
    await stock_counts.stock_count_post(count.document_id, counted, NOW)
    before = await factories.books(sku)

    with pytest.raises(Conflict) as exc:
        await stock_counts.stock_count_post(count.document_id, counted, NOW)

    assert exc.value.path == ("countId",)
    assert await factories.books(sku) == before


async def test_a_counted_line_outside_the_count_or_negative_is_refused_and_the_count_stays_frozen(stocked):
    sku, wh, _, lot, _ = stocked
    count = await stock_counts.stock_count_start(wh.code, [wh.bins[0]])
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as outside:
        await stock_counts.stock_count_post(
            count.document_id, [stock_counts.CountedLine(wh.bins[1], lot.batch_id, Decimal(1))], NOW
        )
    with pytest.raises(ValidationError) as negative:
        await stock_counts.stock_count_post(
            count.document_id, [stock_counts.CountedLine(wh.bins[0], lot.batch_id, Decimal(-1))], NOW
        )
    with pytest.raises(NotFound) as unknown:
        await stock_counts.stock_count_post(
            count.document_id, [stock_counts.CountedLine(wh.bins[0], 2**31 - 1, Decimal(1))], NOW
        )

    assert outside.value.path == ("lines", "0", "locationCode")
    assert negative.value.path == ("lines", "0", "counted")
    assert unknown.value.path == ("lines", "0", "batchId")
    assert await factories.books(sku) == before
    assert (await factories.location(wh.bins[0])).frozen
    assert (await StockCount.get(id=count.document_id)).status == "frozen"


async def test_a_count_naming_a_location_twice_is_refused_on_the_repeat(stocked):
    _, wh, _, _, _ = stocked
    counts = await StockCount.filter(warehouse_id=wh.id).count()

    with pytest.raises(ValidationError) as exc:
        await stock_counts.stock_count_start(wh.code, [wh.bins[0], wh.bins[1], wh.bins[0]])

    assert exc.value.path == ("locationCodes", "2")
    assert exc.value.message == f"location {wh.bins[0]} is named twice"
    assert await StockCount.filter(warehouse_id=wh.id).count() == counts
    assert [(await factories.location(c)).frozen for c in wh.bins] == [False, False]
