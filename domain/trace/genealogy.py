"""Genealogy: where a batch came from (``trace_backward``) and where it went (``trace_forward``).

Both walk ``BatchLineage`` through ``genealogy_walk`` (one recursive query on PostgreSQL, one query per
generation elsewhere). Trees are built once per (batch, generation): a lot reached along several paths (shared
ingredients) is the same node object in each place, so building a tree costs the lots, not the paths.
Quantities are in each batch's SKU base unit; an unknown batch raises ``NotFound`` (path ``batchId``).

The batch references, the recall (``recall``) and the batch's event list (``batch_events``) live in their own
modules and are re-exported here, so ``genealogy.<name>`` keeps working for every caller.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.inventory.models import Batch
from domain.partners.models import Supplier
from domain.purchasing.models import GoodsReceiptLine
from domain.quality.models import QualityCheck
from domain.trace import genealogy_walk as walk
from domain.trace.batch_events import EventView as EventView
from domain.trace.batch_events import batch_events as batch_events
from domain.trace.batch_events import event_view as event_view
from domain.trace.genealogy_walk import MAX_DEPTH as MAX_DEPTH
from domain.trace.genealogy_walk import BatchRef as BatchRef
from domain.trace.genealogy_walk import PartyRef as PartyRef
from domain.trace.genealogy_walk import ShipmentRef as ShipmentRef
from domain.trace.recall import Recall as Recall
from domain.trace.recall import RecallCustomer as RecallCustomer
from domain.trace.recall import RecallStock as RecallStock
from domain.trace.recall import recall as recall


@dataclass(frozen=True)
class ReceiptRef:
    number: str
    order_number: str
    received_at: datetime
    quantity: Decimal


@dataclass(frozen=True)
class CheckRef:
    number: str
    status: str
    inspector: str
    decided_at: datetime | None


@dataclass(frozen=True)
class BackwardNode:
    batch: BatchRef
    supplier: PartyRef | None
    receipts: list[ReceiptRef]
    checks: list[CheckRef]
    inputs: list["BackwardNode"] = field(default_factory=list)


@dataclass(frozen=True)
class StockRef:
    location_code: str
    status: str
    quantity: Decimal


@dataclass(frozen=True)
class ForwardNode:
    batch: BatchRef
    shipments: list[ShipmentRef]
    stock: list[StockRef]
    outputs: list["ForwardNode"] = field(default_factory=list)


async def trace_backward(batch_id: int) -> BackwardNode:
    """The batch, its supplier, receipts and checks, then the same for every input, recursively."""
    await walk.require_batch(batch_id)
    adjacency = await walk.edges(batch_id, forward=False)
    ids = walk.closure(batch_id, adjacency)
    refs = await walk.batch_refs(ids)
    batches = {b.id: b for b in await Batch.filter(id__in=ids)}
    suppliers = {
        s.id: PartyRef(s.code, s.name)
        for s in await Supplier.filter(id__in={b.supplier_id for b in batches.values() if b.supplier_id})
    }
    receipts: dict[int, list[ReceiptRef]] = defaultdict(list)
    for ln in (
        await GoodsReceiptLine.filter(batch_id__in=ids).order_by("id").prefetch_related("receipt__order")
    ):
        receipts[ln.batch_id].append(
            ReceiptRef(
                ln.receipt.number or "",
                ln.receipt.order.number or "",
                ln.receipt.received_at,
                Decimal(ln.quantity_base),
            )
        )
    checks: dict[int, list[CheckRef]] = defaultdict(list)
    for c in await QualityCheck.filter(batch_id__in=ids).order_by("id"):
        checks[c.batch_id].append(CheckRef(c.number or "", c.status, c.inspector, c.decided_at))

    built: dict[tuple[int, int], BackwardNode] = {}

    def node(bid: int, depth: int) -> BackwardNode:
        if (bid, depth) not in built:
            supplier_id = batches[bid].supplier_id
            built[(bid, depth)] = BackwardNode(
                refs[bid],
                suppliers.get(supplier_id) if supplier_id else None,
                receipts[bid],
                checks[bid],
                [node(p, depth + 1) for p in adjacency.get(bid, [])] if depth < MAX_DEPTH else [],
            )
        return built[(bid, depth)]

    return node(batch_id, 0)


async def trace_forward(batch_id: int) -> ForwardNode:
    """The batch's shipments (customer, document, quantity) and stock on hand, then the same for every
    batch made from it, recursively."""
    await walk.require_batch(batch_id)
    adjacency = await walk.edges(batch_id, forward=True)
    ids = walk.closure(batch_id, adjacency)
    refs = await walk.batch_refs(ids)
    shipments = await walk.shipments_of(ids)
    stock: dict[int, list[StockRef]] = defaultdict(list)
    for bid, loc, status, qty in await walk.owned_stock(ids):
        stock[bid].append(StockRef(loc.code, status, qty))

    built: dict[tuple[int, int], ForwardNode] = {}

    def node(bid: int, depth: int) -> ForwardNode:
        if (bid, depth) not in built:
            built[(bid, depth)] = ForwardNode(
                refs[bid],
                shipments[bid],
                stock[bid],
                [node(c, depth + 1) for c in adjacency.get(bid, [])] if depth < MAX_DEPTH else [],
            )
        return built[(bid, depth)]

    return node(batch_id, 0)
