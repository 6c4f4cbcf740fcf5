"""Acknowledgements, ASNs and the receipt posted from an ASN, on PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.asn import receiving, rules, services
from domain.asn.models import AdvanceShippingNotice, AsnDifference, PurchaseOrderLineAck
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.inventory.models import Batch
from domain.purchasing.models import GoodsReceiptLine, PurchaseOrder
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW, days

ARRIVAL = NOW + timedelta(days=1)


def two_lots(story, first=Decimal(6), second=Decimal(4)):
    return [
        rules.AsnLineInput(story.line_ids[0], "LOT-A", first, production_date=days(-1)),
        rules.AsnLineInput(story.line_ids[0], "LOT-B", second, production_date=days(-1)),
        rules.AsnLineInput(story.line_ids[1], "LOT-C", Decimal(50), days(-2), days(18), days(15)),
    ]


async def test_a_supplier_acknowledges_its_order_line_by_line(story):
    await services.purchase_order_acknowledge(
        story.order_id,
        [
            rules.AckLine(story.line_ids[0], "accepted", Decimal(8), days(2), "8 boxes only"),
            rules.AckLine(story.line_ids[1], "declined", note="out of season"),
        ],
        NOW,
        supplier_id=story.supplier.id,
    )
    acks = await PurchaseOrderLineAck.filter(order_id=story.order_id).order_by("order_line_id")
    assert [(a.decision, a.promised_quantity, a.promised_date, a.note) for a in acks] == [
        ("accepted", Decimal(8), days(2), "8 boxes only"),
        ("declined", Decimal(0), None, "out of season"),
    ]


async def test_another_supplier_cannot_reach_the_order_and_nothing_is_written(story):
    with pytest.raises(NotFound) as err:
        await services.purchase_order_acknowledge(
            story.order_id, [rules.AckLine(story.line_ids[0], "declined")], NOW, supplier_id=story.other.id
        )
    assert err.value.message == f"purchase order {story.order_id} not found"
    with pytest.raises(NotFound):
        await services.asn_create(story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.other.id)
    assert await PurchaseOrderLineAck.filter(order_id=story.order_id).count() == 0
    assert await AdvanceShippingNotice.filter(order_id=story.order_id).count() == 0


async def test_open_asns_share_the_open_quantity(story):
    await services.asn_create(story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.supplier.id)
    with pytest.raises(ValidationError) as err:
        await services.asn_create(
            story.order_id,
            ARRIVAL,
            [rules.AsnLineInput(story.line_ids[0], "LOT-D", Decimal(1))],
            NOW,
            supplier_id=story.supplier.id,
        )
    assert err.value.path == ("lines", "0", "quantity")
    assert await AdvanceShippingNotice.filter(order_id=story.order_id).count() == 1


async def test_a_shelf_life_product_needs_a_date_on_the_asn(story):
    with pytest.raises(ValidationError) as err:
        await services.asn_create(
            story.order_id,
            ARRIVAL,
            [rules.AsnLineInput(story.line_ids[1], "LOT-C", Decimal(5))],
            NOW,
            supplier_id=story.supplier.id,
        )
    assert err.value.path == ("lines", "0", "expiryDate")


async def test_the_receipt_from_an_asn_is_prefilled_and_records_the_differences(story):
    posted = await services.asn_create(
        story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.supplier.id
    )
    asn_lines = await AdvanceShippingNotice.get(id=posted.document_id).prefetch_related("lines")
    lot_b = next(ln for ln in asn_lines.lines if ln.lot_code == "LOT-B")
    receipt = await receiving.goods_receipt_post_from_asn(
        posted.document_id,
        story.wh.bins[0],
        ARRIVAL,
        [receiving.ReceivedLine(lot_b.id, quantity=Decimal(3))],
    )
    lines = await GoodsReceiptLine.filter(receipt_id=receipt.document_id).order_by("id")
    batches = {b.id: b for b in await Batch.filter(id__in=[ln.batch_id for ln in lines])}
    assert sorted((batches[ln.batch_id].lot_code, ln.quantity_base) for ln in lines) == [
        ("LOT-A", Decimal(60)),  # 6 boxes of 10 kg
        ("LOT-B", Decimal(30)),
        ("LOT-C", Decimal(50)),
    ]
    lot_c = next(b for b in batches.values() if b.lot_code == "LOT-C")
    assert (lot_c.expiry_date, lot_c.best_before_date) == (days(18), days(15))
    diffs = await AsnDifference.filter(asn_id=posted.document_id)
    assert [(d.asn_line_id, d.field, d.expected, d.received) for d in diffs] == [
        (lot_b.id, "quantity", "4", "3")
    ]
    asn = await AdvanceShippingNotice.get(id=posted.document_id)
    assert (asn.status, asn.receipt_id) == ("received", receipt.document_id)
    assert (await PurchaseOrder.get(id=story.order_id)).status == "partially_received"
    with pytest.raises(Conflict):
        await receiving.goods_receipt_post_from_asn(posted.document_id, story.wh.bins[0], ARRIVAL)


async def test_a_failed_receipt_from_an_asn_leaves_the_asn_open_and_the_books_as_they_were(story):
    posted = await services.asn_create(
        story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.supplier.id
    )
    before = await factories.books(await _sku(story.sku_codes[0]))
    with pytest.raises(NotFound):
        await receiving.goods_receipt_post_from_asn(posted.document_id, "NO-SUCH-BIN", ARRIVAL)
    assert await factories.books(await _sku(story.sku_codes[0])) == before
    assert (await AdvanceShippingNotice.get(id=posted.document_id)).status == "open"
    assert await AsnDifference.filter(asn_id=posted.document_id).count() == 0


async def test_a_repeated_key_receives_once(story):
    posted = await services.asn_create(
        story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.supplier.id
    )
    first = await receiving.goods_receipt_post_from_asn(
        posted.document_id, story.wh.bins[0], ARRIVAL, key="k1"
    )
    again = await receiving.goods_receipt_post_from_asn(
        posted.document_id, story.wh.bins[0], ARRIVAL, key="k1"
    )
    assert (again.document_id, again.replayed) == (first.document_id, True)
    assert await TraceEvent.filter(doc_type="goods_receipt", doc_id=first.document_id).count() == 1


async def _sku(code):
    from domain.catalog.models import Sku

    return await Sku.get(code=code)


async def test_a_cancelled_asn_frees_its_quantity_and_cannot_be_received(story):
    first = await services.asn_create(
        story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.supplier.id
    )
    with pytest.raises(NotFound):
        await services.asn_cancel(first.document_id, NOW, supplier_id=story.other.id)
    await services.asn_cancel(first.document_id, NOW, supplier_id=story.supplier.id)

    again = await services.asn_create(
        story.order_id, ARRIVAL, two_lots(story), NOW, supplier_id=story.supplier.id
    )

    assert (await AdvanceShippingNotice.get(id=first.document_id)).status == "cancelled"
    assert again.document_id != first.document_id
    with pytest.raises(Conflict):
        await receiving.goods_receipt_post_from_asn(first.document_id, story.wh.bins[0], ARRIVAL)
    with pytest.raises(Conflict):
        await services.asn_cancel(first.document_id, NOW, supplier_id=story.supplier.id)
