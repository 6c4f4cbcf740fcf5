"""The production tables migrate and a two-level production posts, costs and traces on SQLite too."""

from datetime import timedelta
from decimal import Decimal

from domain.finance.models import JournalLine
from domain.inventory.models import Batch
from domain.production import completion, orders
from domain.trace import genealogy
from tests.factories import NOW, TODAY, code
from tests.integration.production import world

D = Decimal


async def test_a_salad_from_a_made_dressing_with_a_substitute_on_sqlite(sqlite_db):
    w = await world.build(lettuce_kg=D(1))
    dressing_order = await orders.production_order_plan(w.dressing.code, w.wh.code, D(2), TODAY, NOW)
    await orders.production_order_release(dressing_order.document_id, [], NOW)
    dressing_lot, salad_lot = code("DR"), code("SAL")
    later = NOW + timedelta(hours=1)
    await completion.production_order_complete(
        dressing_order.document_id, D(2), dressing_lot, w.wh.bins[1], later
    )
    salad_order = await orders.production_order_plan(w.salad.code, w.wh.code, D(20), TODAY, NOW)
    await orders.production_order_release(
        salad_order.document_id, [orders.Substitution(w.lettuce_line, w.romaine.code)], NOW
    )

    done = await completion.production_order_complete(
        salad_order.document_id, D(10), salad_lot, w.wh.bins[1], later
    )

    salad = await Batch.get(sku_id=w.salad.id, lot_code=salad_lot)
    tree = await genealogy.trace_backward(salad.id)
    dressing = next(n for n in tree.inputs if n.batch.lot_code == dressing_lot)
    assert {n.batch.lot_code for n in dressing.inputs} == {w.lots["oil"].lot_code, w.lots["vinegar"].lot_code}
    assert w.lots["romaine"].lot_code in {n.batch.lot_code for n in tree.inputs}
    lines = await JournalLine.filter(doc_type="production_completion", doc_id=done.document_id)
    assert sum(D(ln.debit) for ln in lines) == sum(D(ln.credit) for ln in lines) > 0
