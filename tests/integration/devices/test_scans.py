"""Receive, count and move by handheld operations on PostgreSQL: each applies once through the sync path,
the edge rules refuse on the server what they refuse on the device, and a refusal waits as an exception."""

from decimal import Decimal
from urllib.parse import quote

import pytest

from domain.devices import scans, sync
from domain.devices.models import DeviceOperation
from domain.inventory import counts
from domain.inventory.models import Batch, StockCount, StockCountLine, StockMove
from domain.partners import services as partners
from domain.purchasing.models import GoodsReceipt, PurchaseOrder
from domain.trace.models import TraceEvent, TraceEventBatch
from tests import factories as f

NOW = f.NOW
pytestmark = pytest.mark.usefixtures("db")


async def handheld(wh: f.WarehouseRef) -> sync.Device:
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    return await sync.device_register(f.code("HH"), wh.code, principal.user_id)


def op(sequence: int, kind: str, **payload: object) -> sync.OperationInput:
    return sync.OperationInput(sequence, kind, dict(payload))


async def test_a_scanned_receipt_posts_once_with_its_lot_and_dates_however_often_it_is_sent() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    order = await f.make_purchase_order(supplier, wh, sku, Decimal(10), unit="kg", unit_price=Decimal(8))
    device = await handheld(wh)
    receive = op(
        1,
        "receive",
        orderLineId=order.line_id,
        lotCode="R-1",
        quantity="6",
        binCode=wh.bins[1],
        expiryDate=f.days(30).isoformat(),
    )
    for _ in range(3):  # the answer lost twice: the same batch again
        [r] = await sync.operations_push(device, [receive], NOW)
        assert (r.status, r.code) == ("applied", "")
    assert await f.on_hand(sku, wh.bins[1]) == Decimal(6)
    batch = await Batch.get(sku_id=sku.id, lot_code="R-1")
    assert batch.expiry_date == f.days(30)
    assert await GoodsReceipt.filter(order_id=order.id).count() == 1


async def test_an_expired_lot_or_a_foreign_gtin_is_refused_at_receipt_and_waits_for_a_supervisor() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    order = await f.make_purchase_order(supplier, wh, sku, Decimal(10), unit="kg")
    device = await handheld(wh)
    results = await sync.operations_push(
        device,
        [
            op(
                1,
                "receive",
                orderLineId=order.line_id,
                lotCode="OLD",
                quantity="1",
                binCode=wh.bins[0],
                expiryDate=f.days(-1).isoformat(),
            ),
            op(
                2,
                "receive",
                orderLineId=order.line_id,
                lotCode="X",
                quantity="1",
                binCode=wh.bins[0],
                gtin="00000000000017",
            ),
        ],
        NOW,
    )
    assert [(r.status, r.code) for r in results] == [("exception", "EXPIRED"), ("exception", "WRONG_SKU")]
    assert await f.on_hand(sku) == Decimal(0)
    held = await DeviceOperation.filter(device_id=device.id).order_by("sequence")
    assert [(o.status, o.code) for o in held] == [("exception", "EXPIRED"), ("exception", "WRONG_SKU")]


async def test_count_scans_add_up_on_the_sheet_and_post_the_difference_once() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(10))
    started = await counts.stock_count_start(wh.code, [wh.bins[0]])
    device = await handheld(wh)
    scan = {
        "countId": started.document_id,
        "binCode": wh.bins[0],
        "skuCode": sku.code,
        "lotCode": lot.lot_code,
    }
    ops = [op(1, "count", **scan, quantity="4"), op(2, "count", **scan, quantity="3.5")]
    assert [r.status for r in await sync.operations_push(device, ops, NOW)] == ["applied", "applied"]
    assert [r.status for r in await sync.operations_push(device, ops, NOW)] == ["applied", "applied"]
    line = await StockCountLine.get(count_id=started.document_id, batch_id=lot.batch_id)
    assert Decimal(line.counted or 0) == Decimal("7.5")
    await scans.count_post_scanned(started.document_id, NOW)
    assert await f.on_hand(sku) == Decimal("7.5")
    assert (await StockCount.get(id=started.document_id)).status == "posted"


async def test_a_count_scan_in_a_bin_outside_the_count_is_refused() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(10))
    started = await counts.stock_count_start(wh.code, [wh.bins[0]])
    device = await handheld(wh)
    [r] = await sync.operations_push(
        device,
        [
            op(
                1,
                "count",
                countId=started.document_id,
                binCode=wh.bins[1],
                skuCode=sku.code,
                lotCode=lot.lot_code,
                quantity="1",
            )
        ],
        NOW,
    )
    assert (r.status, r.code) == ("exception", "NOT_COUNTING")
    assert await StockCountLine.filter(count_id=started.document_id, counted__isnull=False).count() == 0


async def test_a_bin_to_bin_move_is_one_ledger_line_and_reserved_stock_stays_put() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(10))
    await f.make_sales_order(await f.make_customer(), wh, sku, Decimal(7))  # reserves 7 of the 10 in A
    device = await handheld(wh)
    move = {"binCode": wh.bins[0], "toBinCode": wh.bins[1], "skuCode": sku.code, "lotCode": lot.lot_code}
    results = await sync.operations_push(
        device, [op(1, "move", **move, quantity="3"), op(2, "move", **move, quantity="1")], NOW
    )
    assert [(r.status, r.code) for r in results] == [("applied", ""), ("exception", "INSUFFICIENT_STOCK")]
    await sync.operations_push(device, [op(1, "move", **move, quantity="3")], NOW)  # replayed
    assert (await f.on_hand(sku, wh.bins[0]), await f.on_hand(sku, wh.bins[1])) == (Decimal(7), Decimal(3))
    first = await DeviceOperation.get(device_id=device.id, sequence=1)
    moves = await StockMove.filter(doc_type=scans.MOVE_DOC, doc_id=first.id)
    assert [(Decimal(m.quantity), m.batch_id) for m in moves] == [(Decimal(3), lot.batch_id)]
    # The lot's trace says where it went: one EPCIS storing event at the target bin, none for the refusal.
    events = await TraceEvent.filter(doc_type=scans.MOVE_DOC, doc_id__in=[first.id, first.id + 1])
    assert [(e.doc_id, e.event_type, e.action, e.biz_step) for e in events] == [
        (first.id, "ObjectEvent", "OBSERVE", "storing")
    ]
    body = events[0].body
    assert quote(wh.bins[1], safe="") in body["bizLocation"]["id"]
    assert [(q["quantity"], q["epcClass"].rsplit(":", 1)[-1]) for q in body["quantityList"]] == [
        (3, quote(lot.lot_code, safe=""))
    ]
    links = await TraceEventBatch.filter(event_id=events[0].id)
    assert [link.batch_id for link in links] == [lot.batch_id]


async def test_a_move_into_a_bin_being_counted_is_refused_like_on_the_device() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(10))
    await counts.stock_count_start(wh.code, [wh.bins[1]])
    device = await handheld(wh)
    [r] = await sync.operations_push(
        device,
        [
            op(
                1,
                "move",
                binCode=wh.bins[0],
                toBinCode=wh.bins[1],
                skuCode=sku.code,
                lotCode=lot.lot_code,
                quantity="2",
            )
        ],
        NOW,
    )
    assert (r.status, r.code) == ("exception", "FROZEN_BIN")
    assert await f.on_hand(sku, wh.bins[0]) == Decimal(10)


async def test_an_asn_line_scanned_posts_the_asns_receipt_once_with_its_announced_dates() -> None:
    from datetime import timedelta

    from domain.asn import rules as asn_rules
    from domain.asn import services as asn
    from domain.asn.models import AdvanceShippingNotice, AsnLine

    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    order = await f.make_purchase_order(supplier, wh, sku, Decimal(10), unit="kg")
    supplier_id = (await PurchaseOrder.get(id=order.id)).supplier_id
    made = await asn.asn_create(
        order.id,
        NOW + timedelta(days=1),
        [asn_rules.AsnLineInput(order.line_id, "ASN-LOT", Decimal(8), expiry_date=f.days(40))],
        NOW,
        supplier_id=supplier_id,
    )
    line = await AsnLine.get(asn_id=made.document_id)
    device = await handheld(wh)
    scan = {"asnLineId": line.id, "lotCode": "ASN-LOT", "quantity": "7", "binCode": wh.bins[0]}
    results = await sync.operations_push(device, [op(1, "receive", **scan), op(2, "receive", **scan)], NOW)
    assert [(r.status, r.code) for r in results] == [("applied", ""), ("exception", "CONFLICT")]
    assert await f.on_hand(sku) == Decimal(7)
    assert (await Batch.get(sku_id=sku.id, lot_code="ASN-LOT")).expiry_date == f.days(40)
    assert (await AdvanceShippingNotice.get(id=made.document_id)).status != asn_rules.AsnStatus.OPEN
