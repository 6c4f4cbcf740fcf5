"""A repeated client key returns the first posting and posts nothing, even when both requests race."""

import asyncio
from decimal import Decimal

import pytest

from domain.common.errors import ValidationError
from domain.common.models import IdempotencyKey
from domain.common.services import MAX_KEY_LENGTH, Posted
from domain.inventory.models import StockMove
from domain.purchasing import receipts
from domain.purchasing import returns as supplier_returns
from domain.purchasing.models import GoodsReceipt, PurchaseOrderLine
from domain.sales import shipments
from domain.sales.models import Shipment
from tests import factories
from tests.factories import NOW


@pytest.fixture
async def setup(db):
    return await factories.make_sku(), await factories.make_warehouse(), await factories.make_supplier()


def receipt_line(order, wh, quantity):
    return [receipts.ReceiptLineInput(order.line_id, Decimal(quantity), "LOT-1", wh.bins[0])]


async def test_the_same_key_twice_returns_the_first_receipt_and_posts_once(setup, unique):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))
    key = unique("KEY")

    first = await receipts.goods_receipt_post(order.id, receipt_line(order, wh, 2), NOW, key=key)
    again = await receipts.goods_receipt_post(order.id, receipt_line(order, wh, 2), NOW, key=key)

    assert first.replayed is False
    assert again == Posted("goods_receipt", first.document_id, first.number, replayed=True)
    assert await GoodsReceipt.filter(order_id=order.id).count() == 1
    assert await StockMove.filter(sku_id=sku.id).count() == 1
    assert await factories.on_hand(sku) == Decimal(20)
    assert (await PurchaseOrderLine.get(id=order.line_id)).received_base == Decimal(20)


async def test_a_replay_wins_even_when_posting_again_would_now_be_refused(setup, unique):
    # The order is fully received by the first call: a second real posting would be a conflict.
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))
    key = unique("KEY")
    first = await receipts.goods_receipt_post(order.id, receipt_line(order, wh, 5), NOW, key=key)

    again = await receipts.goods_receipt_post(order.id, receipt_line(order, wh, 5), NOW, key=key)

    assert (again.document_id, again.replayed) == (first.document_id, True)


@pytest.mark.parametrize("quantity", [2, 5])  # a partial receipt, and one that completes the order
async def test_two_concurrent_receipts_with_the_same_key_post_one_document(setup, unique, quantity):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))
    key = unique("KEY")

    a, b = await asyncio.gather(
        receipts.goods_receipt_post(order.id, receipt_line(order, wh, quantity), NOW, key=key),
        receipts.goods_receipt_post(order.id, receipt_line(order, wh, quantity), NOW, key=key),
    )

    assert a.document_id == b.document_id
    assert sorted([a.replayed, b.replayed]) == [False, True]
    assert await GoodsReceipt.filter(order_id=order.id).count() == 1
    assert await StockMove.filter(sku_id=sku.id).count() == 1
    assert await factories.on_hand(sku) == Decimal(quantity * 10)
    assert await IdempotencyKey.filter(key=key).count() == 1


async def test_two_concurrent_shipments_with_the_same_key_post_one_document(setup, unique):
    sku, wh, supplier = setup
    customer = await factories.make_customer()
    await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(4))
    key = unique("KEY")
    lines = [shipments.ShipmentLineInput(order.line_id, Decimal(4))]

    a, b = await asyncio.gather(
        shipments.shipment_post(order.id, lines, NOW, key=key),
        shipments.shipment_post(order.id, lines, NOW, key=key),
    )

    assert a.document_id == b.document_id
    assert sorted([a.replayed, b.replayed]) == [False, True]
    assert await Shipment.filter(order_id=order.id).count() == 1
    assert await factories.on_hand(sku) == Decimal(6)


async def test_the_same_key_in_another_operation_is_a_different_posting(setup, unique):
    sku, wh, supplier = setup
    customer = await factories.make_customer()
    key = unique("KEY")
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(1))

    po = await supplier_returns.supplier_return_post(
        lot.order.id,
        [supplier_returns.ReturnLineInput(lot.order.line_id, lot.batch_id, wh.bins[0], Decimal(1))],
        NOW,
        key=key,
    )
    sh = await shipments.shipment_post(
        order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(1))], NOW, key=key
    )

    assert (po.document_type, sh.document_type, po.replayed, sh.replayed) == (
        "supplier_return",
        "shipment",
        False,
        False,
    )
    assert await factories.on_hand(sku) == Decimal(8)


@pytest.mark.parametrize("key", ["", "k" * (MAX_KEY_LENGTH + 1)])
async def test_an_empty_or_overlong_key_is_refused(setup, key):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(1))

    with pytest.raises(ValidationError) as exc:
        await receipts.goods_receipt_post(order.id, receipt_line(order, wh, 1), NOW, key=key)

    assert exc.value.path == ("idempotencyKey",)
    assert await GoodsReceipt.filter(order_id=order.id).count() == 0
