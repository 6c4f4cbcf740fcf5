"""The substitute engine on PostgreSQL: a short component at release, the ranked candidates with their
explanations, the chosen substitute on the order, in its cost and in its trace event."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.common.errors import InsufficientStock, ValidationError
from domain.inventory.models import Batch
from domain.production import boms, completion, orders
from domain.production.models import (
    BomLine,
    ItemGroup,
    ProductionCompletion,
    ProductionOrder,
    ProductionOrderComponent,
)
from domain.trace import epcis, event_hash, export
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW, TODAY, code
from tests.integration.production import world

D = Decimal
LATER = NOW + timedelta(hours=1)


async def _short_salad(**kw) -> tuple[world.World, int]:
    w = await world.build(lettuce_kg=D(1), **kw)
    planned = await orders.production_order_plan(w.dressing.code, w.wh.code, D(2), TODAY, NOW)
    await orders.production_order_release(planned.document_id, [], NOW)
    await completion.production_order_complete(planned.document_id, D(2), code("DR"), w.wh.bins[1], LATER)
    salad = await orders.production_order_plan(w.salad.code, w.wh.code, D(20), TODAY, NOW)
    return w, salad.document_id


async def test_a_short_component_without_a_substitute_is_refused_at_release(db):
    w, order_id = await _short_salad()

    with pytest.raises(InsufficientStock) as exc:
        await orders.production_order_release(order_id, [], NOW)

    assert exc.value.path == ("substitutions",)
    assert [(s.sku_code, s.requested, s.available) for s in exc.value.shortages] == [
        (w.lettuce.code, D("4.2"), D(1))
    ]
    assert (await ProductionOrder.get(id=order_id)).status == "planned"


async def test_candidates_are_scored_on_route_quality_and_cost_with_an_explanation(db):
    w, order_id = await _short_salad()

    [romaine] = await orders.substitute_candidates(order_id, w.lettuce_line, NOW)

    assert romaine.sku_code == w.romaine.code
    assert (romaine.route_score, romaine.quality_score) == (D(1), D(1))
    assert romaine.cost_difference == D("0.04")  # 5.20 against 5.00
    assert romaine.cost_score == D("0.6")  # 1 - 4 % / 10 %
    assert romaine.score == D("0.92")
    assert romaine.eligible
    assert "route: all 2 operations allowed" in romaine.explanation
    assert any(n.startswith("quality: nitrate 1800..1800 within") for n in romaine.explanation)


async def test_an_item_group_member_without_qualification_or_qc_is_listed_but_not_eligible(db):
    w, order_id = await _short_salad()
    group = code("GRP")
    iceberg = await factories.make_sku()
    await boms.item_group_define(group, "leafy greens", [(w.lettuce.code, D(1)), (iceberg.code, D(1))])
    await BomLine.filter(id=w.lettuce_line).update(item_group_id=(await ItemGroup.get(code=group)).id)

    ranked = await orders.substitute_candidates(order_id, w.lettuce_line, NOW)

    assert [r.sku_code for r in ranked] == [w.romaine.code, iceberg.code]
    other = ranked[1]
    assert (other.source, other.eligible, other.route_score, other.quality_score) == (
        "item_group",
        False,
        0,
        0,
    )
    assert "route: not qualified for operation WASH" in other.explanation
    assert "quality: no QC result for nitrate" in other.explanation


async def test_the_chosen_substitute_is_on_the_order_in_its_cost_and_in_its_trace(db):
    w, order_id = await _short_salad()

    await orders.production_order_release(
        order_id, [orders.Substitution(w.lettuce_line, w.romaine.code)], NOW
    )
    done = await completion.production_order_complete(order_id, D(10), code("SAL"), w.wh.bins[1], LATER)

    comp = await ProductionOrderComponent.get(order_id=order_id, bom_line_id=w.lettuce_line)
    assert (comp.sku_id, comp.substitute_for_sku_id, comp.score) == (w.romaine.id, w.lettuce.id, D("0.92"))
    assert comp.consumed == D("2.1")
    # 2.1 kg romaine × 5.20 + tomato 6 + cucumber 4 + dressing 0.5 × 14.60
    assert (await ProductionCompletion.get(id=done.document_id)).material_cost == D("28.22")
    [event] = await TraceEvent.filter(doc_type="production_completion", doc_id=done.document_id)
    assert any(w.romaine.code in q["epcClass"] for q in event.body["inputQuantityList"])
    assert not any(w.lettuce.code in q["epcClass"] for q in event.body["inputQuantityList"])
    assert any(
        "substitute" in bt["type"] and w.romaine.code in bt["bizTransaction"]
        for bt in event.body["bizTransactionList"]
    )
    salad = await Batch.get(id=(await ProductionCompletion.get(id=done.document_id)).output_batch_id)
    document = await export.epcis_export(export.Selection(batch_id=salad.id), LATER)
    epcis.validate_epcis_document(document)
    assert event_hash.document_hash_ids(document) == [
        e["eventID"] for e in document["epcisBody"]["eventList"]
    ]


async def test_a_substitute_over_the_cost_threshold_is_refused_with_its_explanation(db):
    w, order_id = await _short_salad(romaine_cost=D("6.00"))

    with pytest.raises(ValidationError) as exc:
        await orders.production_order_release(
            order_id, [orders.Substitution(w.lettuce_line, w.romaine.code)], NOW
        )

    assert exc.value.path == ("substitutions", "0", "skuCode")
    assert "cost: +20.00% vs original, over the allowed 10.00%" in exc.value.message
    assert (await ProductionOrder.get(id=order_id)).status == "planned"
    comp = await ProductionOrderComponent.get(order_id=order_id, bom_line_id=w.lettuce_line)
    assert comp.substitute_for_sku_id is None
