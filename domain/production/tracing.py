"""What a completion leaves behind besides stock and books: the order's running totals and the trace.

``record_completion`` stores the completion's EPCIS TransformationEvent (inputs: every consumed lot; outputs:
the output and by-product lots; ``transformationID`` shared by all completions of the order; the order, the
completion and each substitution as business transactions) with lineage from every output lot to every
consumed lot, in the posting's transaction, and opens quality checks for held outputs.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.inventory import rules as stock_rules
from domain.inventory.models import Batch, StockMove, Warehouse
from domain.production import books, rules
from domain.production.models import BomLine, ProductionCompletion, ProductionOrder, ProductionOrderComponent
from domain.trace import builders, identifiers, recorders, recording

Status = stock_rules.StockStatus


async def update_order(
    order: ProductionOrder,
    comps: Sequence[ProductionOrderComponent],
    consumed: Sequence[StockMove],
    consumed_booked: dict[int, Decimal],
    good: Decimal,
    scrap: Decimal,
    costing: rules.Costing,
) -> None:
    """Adds a completion's quantities and costs to its order and its components (status in progress)."""
    order.completed_quantity = Decimal(order.completed_quantity) + good
    order.scrap_quantity = Decimal(order.scrap_quantity) + scrap
    order.material_cost = Decimal(order.material_cost) + costing.materials
    order.labour_cost = Decimal(order.labour_cost) + costing.labour
    order.overhead_cost = Decimal(order.overhead_cost) + costing.overhead
    order.status = rules.OrderStatus.IN_PROGRESS
    await order.save()
    qty: dict[int, Decimal] = defaultdict(Decimal)
    for m in consumed:
        qty[m.sku_id] += Decimal(m.quantity)
    for comp in comps:
        comp.consumed = Decimal(comp.consumed) + qty.get(comp.sku_id, Decimal(0))
        comp.consumed_value = Decimal(comp.consumed_value) - consumed_booked.get(comp.sku_id, Decimal(0))
        await comp.save(update_fields=["consumed", "consumed_value"])


async def record_completion(
    number: str,
    done: ProductionCompletion,
    consumed: Sequence[StockMove],
    outputs: Sequence[tuple[Batch, Decimal, BomLine | None]],
    comps: Sequence[ProductionOrderComponent],
    in_batches: dict[int, Batch],
    posted_at: datetime,
    warehouse_id: int,
) -> None:
    """The TransformationEvent of the completion, its lineage, and quality checks for held outputs."""
    ins = await recording.lot_quantities(((m.batch_id, Decimal(m.quantity)) for m in consumed), in_batches)
    outs = await recording.lot_quantities((b.id, q) for b, q, _ in outputs)
    subs = [c for c in comps if c.substitute_for_sku_id is not None]
    codes = {
        s.id: s.code
        for s in await Sku.filter(
            id__in=[c.sku_id for c in subs]
            + [c.substitute_for_sku_id for c in subs if c.substitute_for_sku_id]
        )
    }
    wh = await Warehouse.get(id=warehouse_id)
    event = builders.transformation_event(
        event_time=posted_at,
        inputs=[lot.line() for lot in ins],
        outputs=[lot.line() for lot in outs],
        read_point=recording.warehouse_place(wh),
        biz_step="commissioning",
        transformation_id=f"urn:lotline:mo:{number}",
        biz_transactions=[
            identifiers.BizTransaction("prodorder", number),
            identifiers.BizTransaction("urn:lotline:btt:completion", done.number or ""),
            *(
                identifiers.BizTransaction(
                    "urn:lotline:btt:substitute", f"{codes[c.substitute_for_sku_id or 0]}>{codes[c.sku_id]}"
                )
                for c in subs
            ),
        ],
    )
    await recording.store_event(
        event,
        doc_type=books.DOC_TYPE,
        doc_id=done.id,
        links=[lot.link("input") for lot in ins] + [lot.link("output") for lot in outs],
        lineage=[(i.batch.id, o.batch.id) for i in ins for o in outs],
    )
    for b, _, _ in outputs:
        if b.status == Status.QUARANTINE:
            await recorders.open_quality_check(b.id, posted_at, books.DOC_TYPE, done.id)
