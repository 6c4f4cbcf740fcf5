"""Production orders on PostgreSQL: two levels of lineage, output dates, costing through WIP, partial
completion and close, idempotency, and nothing posted when a component is short."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, InsufficientStock
from domain.finance.models import Account, JournalLine
from domain.inventory.models import Batch, StockMove
from domain.production import completion, orders
from domain.production.models import ProductionCompletion, ProductionOrder, ProductionOrderComponent
from domain.trace import genealogy
from domain.trace.models import BatchLineage, TraceEvent
from tests import factories
from tests.factories import NOW, TODAY, code
from tests.integration.production import world

D = Decimal
LATER = NOW + timedelta(hours=1)


async def make(w: world.World, sku, quantity: D, good: D, lot: str | None = None, **kw):
    planned = await orders.production_order_plan(sku.code, w.wh.code, quantity, TODAY, NOW)
    await orders.production_order_release(planned.document_id, [], NOW)
    lot = lot or code("MO")
    done = await completion.production_order_complete(
        planned.document_id, good, lot, w.wh.bins[1], LATER, **kw
    )
    return planned.document_id, done, await Batch.get(sku_id=sku.id, lot_code=lot)


async def test_a_salad_made_from_a_made_dressing_traces_back_through_both_levels_to_the_oil(db):
    w = await world.build()
    _, _, dressing = await make(w, w.dressing, D(2), D(2))
    _, done, salad = await make(w, w.salad, D(20), D(10))

    tree = await genealogy.trace_backward(salad.id)
    inputs = {n.batch.lot_code: n for n in tree.inputs}
    assert set(inputs) == {w.lots[k].lot_code for k in ("lettuce", "tomato", "cucumber")} | {
        dressing.lot_code
    }
    assert {n.batch.lot_code for n in inputs[dressing.lot_code].inputs} == {
        w.lots["oil"].lot_code,
        w.lots["vinegar"].lot_code,
    }
    assert await BatchLineage.filter(child_id=salad.id).count() == 4
    [event] = await TraceEvent.filter(doc_type="production_completion", doc_id=done.document_id)
    assert event.event_type == "TransformationEvent"
    assert event.body["transformationID"].startswith("urn:lotline:mo:MO")
    assert len(event.body["inputQuantityList"]) == 4
    assert [q["quantity"] for q in event.body["outputQuantityList"]] == [10]


async def test_output_dates_come_from_the_sku_shelf_life_capped_by_the_shortest_lived_input(db):
    w = await world.build()
    _, _, dressing = await make(w, w.dressing, D(2), D(2))
    _, _, salad = await make(w, w.salad, D(20), D(10))

    assert dressing.expiry_date == TODAY + timedelta(days=30)  # oil and vinegar keep far longer
    assert salad.expiry_date == TODAY + timedelta(days=3)  # the lettuce, not the salad's own 5 days
    assert salad.production_date == TODAY


async def test_a_completion_costs_materials_labour_and_overhead_through_wip_and_balances(db):
    w = await world.build()
    await make(w, w.dressing, D(2), D(2))
    order_id, done, salad = await make(w, w.salad, D(20), D(10))

    # dressing: 1.4 kg oil × 16 + 0.6 kg vinegar × 8 + 2 min at 60/h = 29.20 for 2 kg
    # less the 0.5 kg the salad used at 14.60 a kg
    assert await factories.valuation(w.dressing) == (D("1.5"), D("21.90"), D("14.60"))
    # salad: lettuce 2.1 × 5 + tomato 1 × 6 + cucumber 1 × 4 + dressing 0.5 × 14.60 = 27.80 materials;
    # 12 min (3 wash, 6 setup + 3 mix) at 60/h labour = 12.00 and at 30/h overhead = 6.00
    row = await ProductionCompletion.get(id=done.document_id)
    assert (row.material_cost, row.labour_cost, row.overhead_cost) == (D("27.80"), D("12.00"), D("6.00"))
    [move] = await StockMove.filter(
        doc_type="production_completion", doc_id=done.document_id, batch_id=salad.id
    )
    assert D(move.value) == D("45.80")
    lines = await JournalLine.filter(doc_type="production_completion", doc_id=done.document_id)
    assert sum(D(ln.debit) for ln in lines) == sum(D(ln.credit) for ln in lines) == D("91.60")
    wip = await Account.get(code="4001")
    assert sum(D(ln.debit) - D(ln.credit) for ln in lines if ln.account_id == wip.id) == 0
    by_code = {a.id: a.code for a in await Account.filter(id__in={ln.account_id for ln in lines})}
    credit = {c: sum(D(ln.credit) for ln in lines if by_code[ln.account_id] == c) for c in ("2211", "4101")}
    assert credit == {"2211": D("12.00"), "4101": D("6.00")}
    order = await ProductionOrder.get(id=order_id)
    assert (order.completed_quantity, order.status) == (D(10), "in_progress")


async def test_partial_completions_accumulate_until_the_order_is_closed(db):
    w = await world.build()
    await make(w, w.dressing, D(2), D(2))
    order_id, first, _ = await make(w, w.salad, D(20), D(8), scrap_quantity=D(2))
    second = await completion.production_order_complete(order_id, D(10), code("MO"), w.wh.bins[1], LATER)
    await orders.production_order_close(order_id, LATER)

    order = await ProductionOrder.get(id=order_id)
    assert (order.completed_quantity, order.scrap_quantity, order.status) == (D(18), D(2), "closed")
    row = await ProductionCompletion.get(id=second.document_id)
    assert (row.labour_cost, row.overhead_cost) == (D("6.00"), D("3.00"))  # no second setup
    with pytest.raises(Conflict) as exc:
        await completion.production_order_complete(order_id, D(1), code("MO"), w.wh.bins[1], LATER)
    assert exc.value.path == ("orderId",)
    assert "closed" in exc.value.message
    assert first.document_id != second.document_id


async def test_a_repeated_key_replays_and_a_reused_key_with_another_request_conflicts(db):
    w = await world.build()
    await make(w, w.dressing, D(2), D(2))
    planned = await orders.production_order_plan(w.salad.code, w.wh.code, D(20), TODAY, NOW)
    await orders.production_order_release(planned.document_id, [], NOW)
    lot, key = code("MO"), code("KEY")

    one = await completion.production_order_complete(
        planned.document_id, D(5), lot, w.wh.bins[1], LATER, key=key
    )
    two = await completion.production_order_complete(
        planned.document_id, D(5), lot, w.wh.bins[1], LATER, key=key
    )
    with pytest.raises(Conflict) as exc:
        await completion.production_order_complete(
            planned.document_id, D(6), lot, w.wh.bins[1], LATER, key=key
        )

    assert (two.document_id, two.replayed) == (one.document_id, True)
    assert exc.value.path == ("idempotencyKey",)
    assert await ProductionCompletion.filter(order_id=planned.document_id).count() == 1


async def test_a_completion_a_component_cannot_cover_posts_nothing(db):
    w = await world.build()
    await make(w, w.dressing, D(2), D(2))
    planned = await orders.production_order_plan(w.salad.code, w.wh.code, D(20), TODAY, NOW)
    await orders.production_order_release(planned.document_id, [], NOW)
    before = (
        await factories.books(w.tomato),
        await TraceEvent.all().count(),
        await JournalLine.all().count(),
    )

    with pytest.raises(InsufficientStock) as exc:
        await completion.production_order_complete(
            planned.document_id, D(300), code("MO"), w.wh.bins[1], LATER
        )

    assert exc.value.path == ("goodQuantity",)
    short = {s.sku_code: (s.requested, s.available) for s in exc.value.shortages}
    assert short[w.tomato.code] == (D(30), D(20))
    after = (await factories.books(w.tomato), await TraceEvent.all().count(), await JournalLine.all().count())
    assert after == before
    assert await ProductionCompletion.filter(order_id=planned.document_id).count() == 0


async def test_named_lots_are_consumed_instead_of_fefo(db):
    w = await world.build()
    await make(w, w.dressing, D(2), D(2))
    late = await factories.receive(
        w.tomato, w.wh, w.supplier, D(5), unit_cost=D(7), expiry_date=date(2030, 7, 1)
    )
    planned = await orders.production_order_plan(w.salad.code, w.wh.code, D(10), TODAY, NOW)
    await orders.production_order_release(planned.document_id, [], NOW)
    comps = await ProductionOrderComponent.filter(order_id=planned.document_id)
    tomato_line = next(c for c in comps if c.sku_id == w.tomato.id)

    done = await completion.production_order_complete(
        planned.document_id,
        D(10),
        code("MO"),
        w.wh.bins[1],
        LATER,
        named_lots=[completion.NamedLots(tomato_line.bom_line_id, (late.batch_id,))],
    )

    moves = await StockMove.filter(
        doc_type="production_completion", doc_id=done.document_id, sku_id=w.tomato.id
    )
    assert [(m.batch_id, D(m.quantity)) for m in moves] == [(late.batch_id, D(1))]
