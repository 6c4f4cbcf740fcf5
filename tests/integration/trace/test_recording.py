"""Every posting records its EPCIS events in its own transaction, with hash ID, canonical JSON and leaf."""

import hashlib
from decimal import Decimal

import pytest

from domain.common.errors import InsufficientStock
from domain.common.models import OutboxMessage
from domain.inventory import counts as stock_counts
from domain.inventory import services as inventory
from domain.inventory import transfers
from domain.sales import returns as customer_returns
from domain.sales import shipments
from domain.sales.models import SalesOrder
from domain.trace import epcis, event_hash
from domain.trace.models import TraceEvent, TraceEventBatch
from tests import factories
from tests.factories import NOW


async def _events(doc_type: str, doc_id: int) -> list[TraceEvent]:
    return await TraceEvent.filter(doc_type=doc_type, doc_id=doc_id).order_by("id")


async def test_a_receipt_records_an_add_receiving_event_from_the_supplier_with_its_purchase_order(db):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )

    lot = await factories.receive(sku, wh, supplier, Decimal(30))

    [event] = await _events("goods_receipt", lot.receipt_id)
    body = event.body
    assert (body["type"], body["action"], body["bizStep"], body["disposition"]) == (
        "ObjectEvent",
        "ADD",
        "receiving",
        "active",
    )
    assert body["quantityList"] == [
        {"epcClass": f"urn:lotline:class:{sku.code}:{lot.lot_code}", "quantity": 30, "uom": "KGM"}
    ]
    assert body["sourceList"] == [{"type": "owning_party", "source": f"urn:lotline:party:{supplier.code}"}]
    assert body["bizTransactionList"][0]["type"] == "po"
    assert event.event_id == body["eventID"] == event_hash.event_hash_id(body)
    assert event.canonical.encode() == epcis.canonical_json(body)
    assert event.leaf == hashlib.sha256(event.canonical.encode()).hexdigest()
    links = await TraceEventBatch.filter(event_id=event.id)
    assert [(k.batch_id, k.role, Decimal(k.quantity)) for k in links] == [
        (lot.batch_id, "object", Decimal(30))
    ]
    outbox = await OutboxMessage.filter(topic="trace.anchor", payload__contains={"trace_event_id": event.id})
    assert len(outbox) == 1
    assert outbox[0].payload == {"trace_event_id": event.id, "event_id": event.event_id, "leaf": event.leaf}


async def test_a_shipment_records_an_observe_shipping_event_to_the_customer(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, Decimal(30))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(5))

    shipped = await shipments.shipment_post(
        order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(5))], NOW
    )

    [event] = await _events("shipment", shipped.document_id)
    assert (event.body["action"], event.biz_step, event.disposition) == ("OBSERVE", "shipping", "in_transit")
    assert event.body["destinationList"] == [
        {"type": "owning_party", "destination": f"urn:lotline:party:{customer.code}"}
    ]
    # The shipment's order is ours, a sales order: not typed as a purchase order (``po``).
    so_number = (await SalesOrder.get(id=order.id)).number
    assert event.body["bizTransactionList"] == [
        {
            "type": "urn:lotline:btt:so",
            "bizTransaction": f"urn:lotline:bt:urn%3Alotline%3Abtt%3Aso:{so_number}",
        },
        {"type": "desadv", "bizTransaction": f"urn:lotline:bt:desadv:{shipped.number}"},
    ]
    assert event.body["quantityList"][0]["quantity"] == 5
    assert await TraceEventBatch.filter(event_id=event.id, batch_id=lot.batch_id).count() == 1


async def test_transfers_record_departing_and_arriving(db):
    sku, src, dst = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_warehouse(),
    )
    lot = await factories.receive(sku, src, await factories.make_supplier(), Decimal(10))

    shipped = await transfers.transfer_ship(
        src.code, dst.code, [transfers.TransferLineInput(sku.code, Decimal(4), lot.batch_id)], NOW.date(), NOW
    )
    await transfers.transfer_receive(shipped.document_id, dst.bins[0], NOW)

    steps = [(e.biz_step, e.disposition) for e in await _events("transfer", shipped.document_id)]
    assert steps == [("departing", "in_transit"), ("arriving", "active")]


async def test_a_count_records_gains_as_add_and_losses_as_delete(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier = await factories.make_supplier()
    a = await factories.receive(sku, wh, supplier, Decimal(10), location_code=wh.bins[0])
    b = await factories.receive(sku, wh, supplier, Decimal(10), location_code=wh.bins[1])
    count = await stock_counts.stock_count_start(wh.code, list(wh.bins))

    await stock_counts.stock_count_post(
        count.document_id,
        [
            stock_counts.CountedLine(wh.bins[0], a.batch_id, Decimal(12)),
            stock_counts.CountedLine(wh.bins[1], b.batch_id, Decimal(7)),
        ],
        NOW,
    )

    events = await _events("stock_count", count.document_id)
    assert [(e.action, e.body["quantityList"][0]["quantity"]) for e in events] == [("ADD", 2), ("DELETE", 3)]


async def test_blocking_and_releasing_a_batch_record_holding_and_stocking(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(10))

    await inventory.batch_block(lot.batch_id, NOW)
    await inventory.batch_release(lot.batch_id, NOW.replace(hour=10))

    events = await TraceEvent.filter(doc_type__in=["batch_block", "batch_release"], doc_id=lot.batch_id)
    assert sorted((e.biz_step, e.disposition) for e in events) == [
        ("holding", "non_sellable_other"),
        ("stocking", "sellable_accessible"),
    ]


async def test_returns_record_returned_events_both_ways(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, Decimal(30))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(5))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(5))], NOW)

    back = await customer_returns.customer_return_post(
        order.id,
        [customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, wh.bins[0], Decimal(2))],
        NOW,
    )

    [event] = await _events("customer_return", back.document_id)
    assert (event.biz_step, event.disposition) == ("receiving", "returned")
    assert event.body["sourceList"][0]["source"] == f"urn:lotline:party:{customer.code}"
    assert [t["type"] for t in event.body["bizTransactionList"]] == ["urn:lotline:btt:so", "rma"]


async def test_a_failed_posting_records_no_event(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    customer = await factories.make_customer()
    await factories.receive(sku, wh, await factories.make_supplier(), Decimal(3))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(5), confirm=True)
    before = (await TraceEvent.all().count(), await OutboxMessage.all().count())

    with pytest.raises(InsufficientStock):
        await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(5))], NOW)

    assert (await TraceEvent.all().count(), await OutboxMessage.all().count()) == before
