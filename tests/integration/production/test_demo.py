"""The demo's packed-salad line: seeded on SQLite (the demo's database) with its substitute and lineage."""

from datetime import UTC, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.finance.models import JournalLine
from domain.inventory.models import Batch
from domain.production.models import ProductionOrder, ProductionOrderComponent
from domain.trace import genealogy
from domain.trace.models import TraceEvent
from lotline.demo.seed import seed_demo

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


async def test_the_demo_makes_a_salad_with_romaine_for_the_short_iceberg_and_traces_it_to_the_oil(sqlite_db):
    await seed_demo(NOW, weeks=1)

    salad_order = await ProductionOrder.get(number__isnull=False, note="演示 demo", planned_quantity=60)
    assert (salad_order.status, salad_order.completed_quantity) == ("in_progress", Decimal(40))
    [sub] = await ProductionOrderComponent.filter(
        order_id=salad_order.id, substitute_for_sku_id__isnull=False
    )
    codes = {s.id: s.code for s in await Sku.filter(id__in=[sub.sku_id, sub.substitute_for_sku_id])}
    assert (codes[sub.sku_id], codes[sub.substitute_for_sku_id]) == ("VEG-102", "VEG-101")
    assert "route: all 2 operations allowed" in sub.explanation
    salad = await Batch.get(lot_code__startswith="SL")
    tree = await genealogy.trace_backward(salad.id)
    inputs = {n.batch.sku_code: n for n in tree.inputs}
    assert "VEG-102" in inputs
    assert "VEG-101" not in inputs
    assert {n.batch.sku_code for n in inputs["PRD-001"].inputs} == {"DRY-002", "DRY-003"}
    assert (
        await TraceEvent.filter(doc_type="production_completion", event_type="TransformationEvent").count()
        == 2
    )
    lines = await JournalLine.filter(doc_type="production_completion")
    assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines) > 0
