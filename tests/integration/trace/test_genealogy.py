"""Transformations link lots; trace backward reaches the supplier, forward and recall reach the customers."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, InsufficientStock, NotFound
from domain.inventory.models import Batch, StockMove
from domain.sales import shipments
from domain.trace import genealogy
from domain.trace import services as trace
from domain.trace.models import BatchLineage, TraceEvent, Transformation
from tests import factories
from tests.factories import NOW, code

LATER = NOW + timedelta(hours=1)


async def _repack(wh, inputs, sku, quantity, at=LATER):
    lot = code("OUT")
    posted = await trace.batch_transform(
        [trace.TransformInput(batch_id, wh.bins[0], qty) for batch_id, qty in inputs],
        [trace.TransformOutput(sku.code, lot, quantity, wh.bins[1])],
        at,
    )
    return posted, await Batch.get(sku_id=sku.id, lot_code=lot)


async def test_a_transformation_consumes_inputs_creates_outputs_at_input_value_and_links_them(db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw_a, raw_b, packed = await factories.make_sku(), await factories.make_sku(), await factories.make_sku()
    a = await factories.receive(raw_a, wh, supplier, Decimal(10), unit_cost=Decimal(12))
    b = await factories.receive(raw_b, wh, supplier, Decimal(5), unit_cost=Decimal(8))

    posted, out = await _repack(wh, [(a.batch_id, Decimal(6)), (b.batch_id, Decimal(4))], packed, Decimal(8))

    assert await factories.on_hand(raw_a) == Decimal(4)
    assert await factories.on_hand(packed, wh.bins[1]) == Decimal(8)
    # (6 × 12 + 4 × 8) / 8 = 13
    assert await factories.valuation(packed) == (Decimal(8), Decimal(104), Decimal(13))
    [event] = await TraceEvent.filter(doc_type="transformation", doc_id=posted.document_id)
    assert event.event_type == "TransformationEvent"
    assert [q["quantity"] for q in event.body["inputQuantityList"]] == [6, 4]
    assert event.body["outputQuantityList"][0]["epcClass"].endswith(f":{out.lot_code}")
    edges = await BatchLineage.filter(child_id=out.id).values_list("parent_id", flat=True)
    assert sorted(edges) == sorted([a.batch_id, b.batch_id])


async def test_inputs_not_on_hand_post_nothing(db):
    wh, sku, packed = await factories.make_warehouse(), await factories.make_sku(), await factories.make_sku()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(3))
    before = (await factories.books(sku), await Transformation.all().count(), await TraceEvent.all().count())

    with pytest.raises(InsufficientStock) as exc:
        await _repack(wh, [(lot.batch_id, Decimal(5))], packed, Decimal(5))

    assert exc.value.path == ("inputs", "0")
    assert exc.value.shortages[0].available == Decimal(3)
    after = (await factories.books(sku), await Transformation.all().count(), await TraceEvent.all().count())
    assert after == before
    assert await StockMove.filter(sku_id=packed.id).count() == 0


async def test_an_output_lot_that_exists_is_a_conflict(db):
    wh, sku = await factories.make_warehouse(), await factories.make_sku()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(3))

    with pytest.raises(Conflict) as exc:
        await trace.batch_transform(
            [trace.TransformInput(lot.batch_id, wh.bins[0], Decimal(1))],
            [trace.TransformOutput(sku.code, lot.lot_code, Decimal(1), wh.bins[0])],
            LATER,
        )
    assert exc.value.path == ("outputs", "0", "lotCode")


async def test_backward_reaches_the_supplier_through_two_transformations(db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw, mid, final = await factories.make_sku(), await factories.make_sku(), await factories.make_sku()
    lot = await factories.receive(raw, wh, supplier, Decimal(10))
    _, m = await _repack(wh, [(lot.batch_id, Decimal(10))], mid, Decimal(10))
    await factories.receive(mid, wh, supplier, Decimal(1), lot_code=code("X"))  # unrelated stock in bin A
    await trace.batch_transform(
        [trace.TransformInput(m.id, wh.bins[1], Decimal(4))],
        [trace.TransformOutput(final.code, "F-1" + code("x"), Decimal(4), wh.bins[1])],
        LATER,
    )
    f = await Batch.get(sku_id=final.id)

    tree = await genealogy.trace_backward(f.id)

    assert tree.batch.id == f.id
    assert tree.supplier is None
    [middle] = tree.inputs
    assert middle.batch.id == m.id
    [root] = middle.inputs
    assert root.batch.lot_code == lot.lot_code
    assert root.supplier is not None
    assert root.supplier.code == supplier.code
    assert [r.quantity for r in root.receipts] == [Decimal(10)]


async def test_forward_and_recall_reach_every_customer_of_the_batch_and_its_products(db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw, packed = await factories.make_sku(), await factories.make_sku()
    c1, c2 = await factories.make_customer(), await factories.make_customer()
    lot = await factories.receive(raw, wh, supplier, Decimal(20))
    _, out = await _repack(wh, [(lot.batch_id, Decimal(10))], packed, Decimal(10))
    o1 = await factories.make_sales_order(c1, wh, raw, Decimal(3))
    s1 = await shipments.shipment_post(o1.id, [shipments.ShipmentLineInput(o1.line_id, Decimal(3))], LATER)
    o2 = await factories.make_sales_order(c2, wh, packed, Decimal(4))
    s2 = await shipments.shipment_post(o2.id, [shipments.ShipmentLineInput(o2.line_id, Decimal(4))], LATER)

    forward = await genealogy.trace_forward(lot.batch_id)
    result = await genealogy.recall(lot.batch_id)

    assert [(s.customer.code, s.quantity) for s in forward.shipments] == [(c1.code, Decimal(3))]
    [child] = forward.outputs
    assert (child.batch.id, [s.number for s in child.shipments]) == (out.id, [s2.number])
    assert [(s.location_code, s.quantity) for s in child.stock] == [(wh.bins[1], Decimal(6))]
    assert [(c.customer.code, c.shipped) for c in result.customers] == sorted(
        [(c1.code, {raw.base_unit: Decimal(3)}), (c2.code, {packed.base_unit: Decimal(4)})]
    )
    docs = {d for c in result.customers for d in c.documents}
    assert any(d.startswith(s1.number) for d in docs)
    assert any(d.startswith(s2.number) for d in docs)
    assert sorted((s.lot_code, s.quantity) for s in result.stock) == sorted(
        [(lot.lot_code, Decimal(7)), (out.lot_code, Decimal(6))]
    )


async def test_tracing_an_unknown_batch_is_not_found(db):
    for call in (genealogy.trace_backward, genealogy.trace_forward, genealogy.recall):
        with pytest.raises(NotFound):
            await call(2_000_000_000)
