"""Two completions racing for the same short lettuce on real PostgreSQL, and by-products costed out of WIP."""

import asyncio
from datetime import timedelta
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common.errors import InsufficientStock
from domain.common.services import Posted
from domain.finance.models import Account, JournalLine
from domain.inventory import consistency
from domain.inventory.models import Batch, StockMove, StockQuant
from domain.production import boms, completion, orders
from domain.production.models import ProductionCompletion
from domain.trace.models import BatchLineage
from tests import factories
from tests.factories import NOW, TODAY, code
from tests.integration.production import world

D = Decimal
LATER = NOW + timedelta(hours=1)


async def _released(w: world.World, sku: Sku, quantity: D) -> int:
    planned = await orders.production_order_plan(sku.code, w.wh.code, quantity, TODAY, NOW)
    await orders.production_order_release(planned.document_id, [], NOW)
    return planned.document_id


async def test_two_completions_racing_for_the_last_lettuce_never_take_more_than_there_is(db):
    w = await world.build(lettuce_kg=D(3))
    dressing = await _released(w, w.dressing, D(2))
    await completion.production_order_complete(dressing, D(2), code("DR"), w.wh.bins[1], LATER)
    first, second = await _released(w, w.salad, D(10)), await _released(w, w.salad, D(10))

    results = await asyncio.gather(
        *(
            completion.production_order_complete(o, D(10), code("SAL"), w.wh.bins[1], LATER)
            for o in (first, second)
        ),
        return_exceptions=True,
    )

    assert sorted(type(r).__name__ for r in results) == ["InsufficientStock", "Posted"]
    short = next(r for r in results if isinstance(r, InsufficientStock))
    assert [(s.sku_code, s.requested, s.available) for s in short.shortages] == [
        (w.lettuce.code, D("2.1"), D("0.9"))
    ]
    assert await factories.on_hand(w.lettuce) == D("0.9")
    assert all(D(q.quantity) >= 0 for q in await StockQuant.filter(sku_id=w.lettuce.id))
    assert await ProductionCompletion.filter(order_id__in=[first, second]).count() == 1
    assert await consistency.check_consistency() == []


async def test_by_products_take_their_declared_value_out_of_wip_and_the_output_carries_the_rest(db):
    w = await world.build()
    sediment = await factories.make_sku()
    await boms.bom_define(
        w.dressing.code,
        [
            boms.BomLineInput(w.oil.code, D("0.7")),
            boms.BomLineInput(w.vinegar.code, D("0.3")),
            boms.BomLineInput(sediment.code, D("0.1"), by_product=True, unit_value=D(2)),
        ],
        [boms.OperationInput("EMULSIFY", "KITCHEN", D(0), D(1), D(60), D(0), ("MIXER-1",))],
    )
    order = await _released(w, w.dressing, D(2))
    lot = code("DR")

    done = await completion.production_order_complete(order, D(2), lot, w.wh.bins[1], LATER)

    assert isinstance(done, Posted)
    main = await Batch.get(sku_id=w.dressing.id, lot_code=lot)
    by = await Batch.get(sku_id=sediment.id, lot_code=f"{lot}-BP1")
    values = {
        m.batch_id: (D(m.quantity), D(m.value))
        for m in await StockMove.filter(
            doc_type="production_completion", doc_id=done.document_id, batch_id__in=[main.id, by.id]
        )
    }
    # 29.20 in all (see test_orders): 0.2 kg of sediment at 2.00 = 0.40, the dressing the other 28.80
    assert values == {main.id: (D(2), D("28.80")), by.id: (D("0.2"), D("0.40"))}
    parents = {w.lots["oil"].batch_id, w.lots["vinegar"].batch_id}
    for child in (main.id, by.id):
        assert set(await BatchLineage.filter(child_id=child).values_list("parent_id", flat=True)) == parents
    lines = await JournalLine.filter(doc_type="production_completion", doc_id=done.document_id)
    wip = await Account.get(code="4001")
    assert sum(D(ln.debit) - D(ln.credit) for ln in lines if ln.account_id == wip.id) == 0
    assert sum(D(ln.debit) for ln in lines) == sum(D(ln.credit) for ln in lines)
