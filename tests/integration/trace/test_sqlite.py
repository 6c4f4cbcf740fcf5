"""The trace tables migrate and work on the embedded SQLite too."""

from decimal import Decimal

from domain.inventory.models import Batch
from domain.trace import genealogy
from domain.trace import services as trace
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW


async def test_a_receipt_and_a_transformation_are_recorded_and_traced_on_sqlite(sqlite_db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw, packed = await factories.make_sku(), await factories.make_sku()
    lot = await factories.receive(raw, wh, supplier, Decimal(10))

    await trace.batch_transform(
        [trace.TransformInput(lot.batch_id, wh.bins[0], Decimal(10))],
        [trace.TransformOutput(packed.code, "P-1", Decimal(5), wh.bins[1])],
        NOW,
    )

    out = await Batch.get(sku_id=packed.id, lot_code="P-1")
    tree = await genealogy.trace_backward(out.id)
    assert tree.inputs[0].supplier is not None
    assert tree.inputs[0].supplier.code == supplier.code
    assert sorted(e.event_type for e in await TraceEvent.all()) == ["ObjectEvent", "TransformationEvent"]
