"""Goods receipts on PostgreSQL: stock and value at the order price, order progress, and every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, ErrorCode, InsufficientStock, NotFound, ValidationError
from domain.inventory import consistency
from domain.inventory.models import Batch, StockMove
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
from domain.sales import shipments
from tests import factories
from tests.factories import NOW


@pytest.fixture
async def setup(db):
    return await factories.make_sku(), await factories.make_warehouse(), await factories.make_supplier()


def line(order, quantity, lot="LOT-1", location=None, **kw):
    return receipts.ReceiptLineInput(order.line_id, Decimal(quantity), lot, location, **kw)


async def test_a_receipt_posts_stock_and_value_at_the_order_price_per_base_unit(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(3), unit_price=Decimal(125))

    posted = await receipts.goods_receipt_post(order.id, [line(order, 3, location=wh.bins[0])], NOW)

    assert (posted.document_type, posted.replayed) == ("goods_receipt", False)
    assert posted.number == f"GR{posted.document_id:08d}"
    assert await factories.on_hand(sku, wh.bins[0]) == Decimal(30)  # 3 boxes of 10 kg
    assert await factories.valuation(sku) == (Decimal(30), Decimal(375), Decimal("12.5"))
    [move] = await StockMove.filter(doc_type="goods_receipt", doc_id=posted.document_id)
    assert (move.quantity, move.unit_cost, move.value, move.to_status) == (
        30,
        Decimal("12.5"),
        375,
        "available",
    )
    assert (await PurchaseOrder.get(id=order.id)).status == "received"
    assert await consistency.check_consistency() == []


async def test_a_receipt_in_the_base_unit_is_converted_and_valued_the_same(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(2), unit_price=Decimal(100))

    await receipts.goods_receipt_post(order.id, [line(order, 20, location=wh.bins[0], unit="kg")], NOW)

    assert await factories.valuation(sku) == (Decimal(20), Decimal(200), Decimal(10))
    assert (await PurchaseOrderLine.get(id=order.line_id)).received_base == Decimal(20)


async def test_partial_receipts_move_the_order_to_partially_received_then_received(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))

    await receipts.goods_receipt_post(order.id, [line(order, 2, "LOT-A", wh.bins[0])], NOW)
    assert (await PurchaseOrder.get(id=order.id)).status == "partially_received"

    await receipts.goods_receipt_post(order.id, [line(order, 3, "LOT-B", wh.bins[1])], NOW)
    assert (await PurchaseOrder.get(id=order.id)).status == "received"
    assert (await factories.on_hand(sku, wh.bins[0]), await factories.on_hand(sku, wh.bins[1])) == (20, 30)
    assert await Batch.filter(sku_id=sku.id).count() == 2


async def test_a_receipt_within_the_five_percent_tolerance_is_accepted(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(100), unit="kg")

    await receipts.goods_receipt_post(order.id, [line(order, 105, location=wh.bins[0], unit="kg")], NOW)

    assert await factories.on_hand(sku) == Decimal(105)


async def test_over_receipt_beyond_tolerance_is_refused_and_nothing_is_posted(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(100), unit="kg")
    await receipts.goods_receipt_post(order.id, [line(order, 60, "LOT-A", wh.bins[0], unit="kg")], NOW)
    before = (await factories.books(sku), await GoodsReceipt.filter(order_id=order.id).count())

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(
            order.id, [line(order, "45.0001", "LOT-B", wh.bins[0], unit="kg")], NOW
        )

    assert exc.value.code is ErrorCode.VALIDATION
    assert exc.value.path == ("lines", "0", "quantity")
    assert exc.value.message == (  # in the caller's unit, not "105.0001" base units with 4 places
        "receiving 45.0001 kg would bring the line to 105.0001 kg, over the ordered 100 kg plus 5% tolerance"
    )
    assert (await factories.books(sku), await GoodsReceipt.filter(order_id=order.id).count()) == before
    assert (await PurchaseOrderLine.get(id=order.line_id)).received_base == Decimal(60)
    assert (await PurchaseOrder.get(id=order.id)).status == "partially_received"
    assert not await Batch.exists(sku_id=sku.id, lot_code="LOT-B")


async def test_a_failing_second_line_rolls_back_the_first(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(
            order.id, [line(order, 1, "LOT-A", wh.bins[0]), line(order, 0, "LOT-B", wh.bins[0])], NOW
        )

    assert exc.value.path == ("lines", "1", "quantity")
    assert await factories.books(sku) == before
    assert await GoodsReceipt.filter(order_id=order.id).count() == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("draft", "is a draft: confirm it before receiving"),
        ("cancelled", "is cancelled: nothing more can be received"),
    ],
)
async def test_receipts_for_draft_or_cancelled_orders_are_conflicts(setup, status, message):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1), confirm=False)
    if status == "cancelled":
        await purchasing.purchase_order_cancel(order.id)
    before = await factories.books(sku)

    with pytest.raises(Conflict) as exc:
        await receipts.goods_receipt_post(order.id, [line(order, 1, location=wh.bins[0])], NOW)

    assert exc.value.code is ErrorCode.CONFLICT
    assert exc.value.path == ("orderId",)
    assert message in exc.value.message
    assert await factories.books(sku) == before


async def test_unknown_order_and_unknown_order_line_are_not_found(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))
    before = await factories.books(sku)

    with pytest.raises(NotFound) as exc:
        await receipts.goods_receipt_post(
            order.id, [receipts.ReceiptLineInput(order.line_id + 10_000, Decimal(1), "L", wh.bins[0])], NOW
        )
    assert exc.value.path == ("lines", "0", "orderLineId")
    assert exc.value.message == f"purchase order line {order.line_id + 10_000} not found"

    with pytest.raises(NotFound) as exc:
        await receipts.goods_receipt_post(2_000_000_000, [line(order, 1, location=wh.bins[0])], NOW)
    assert exc.value.path == ("orderId",)
    assert await factories.books(sku) == before


async def test_a_unit_the_sku_does_not_have_is_refused_on_the_unit_field(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(order.id, [line(order, 1, location=wh.bins[0], unit="pallet")], NOW)

    assert exc.value.path == ("lines", "0", "unit")
    assert exc.value.message == f"unit 'pallet' is not defined for SKU {sku.code} (use one of box, kg)"
    assert await factories.books(sku) == before


@pytest.mark.parametrize("quantity", ["0", "-2"])
async def test_zero_or_negative_quantities_are_refused(setup, quantity):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(order.id, [line(order, quantity, location=wh.bins[0])], NOW)

    assert exc.value.path == ("lines", "0", "quantity")
    assert exc.value.message == f"quantity must be greater than zero, got {quantity}"
    assert await factories.books(sku) == before


async def test_an_expired_batch_is_refused(setup):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))
    yesterday = NOW.date() - timedelta(days=1)
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(
            order.id, [line(order, 1, location=wh.bins[0], expiry_date=yesterday)], NOW
        )

    assert exc.value.path == ("lines", "0", "expiryDate")
    assert exc.value.message == f"the batch expired on {yesterday}: it cannot be received"
    assert await factories.books(sku) == before


async def test_a_location_of_another_warehouse_is_refused(setup):
    sku, wh, supplier = setup
    other = await factories.make_warehouse()
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(order.id, [line(order, 1, location=other.bins[0])], NOW)

    assert exc.value.path == ("lines", "0", "locationCode")
    assert await factories.on_hand(sku, status=None) == 0


async def test_high_risk_goods_arrive_in_quarantine_and_cannot_be_shipped(db):
    sku = await factories.make_sku(high_risk=True)
    wh, supplier, customer = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(2))

    assert (await Batch.get(id=lot.batch_id)).status == "quarantine"
    assert await factories.on_hand(sku, status="quarantine") == Decimal(10)
    assert await factories.on_hand(sku, status="available") == 0
    assert await factories.reserved(sku) == 0  # the confirmation reserved nothing
    before = await factories.books(sku)

    with pytest.raises(InsufficientStock) as exc:
        await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(2))], NOW)
    assert exc.value.path == ("lines", "0", "quantity")
    assert [(s.sku_code, s.requested, s.available) for s in exc.value.shortages] == [(sku.code, 2, 0)]

    with pytest.raises(ValidationError) as named:
        await shipments.shipment_post(
            order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(2), batch_id=lot.batch_id)], NOW
        )
    assert named.value.path == ("lines", "0", "batchId")
    assert named.value.message == f"batch {lot.lot_code} is quarantine and cannot be shipped"
    assert await factories.books(sku) == before
