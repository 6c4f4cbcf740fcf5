"""Genealogy: where a batch came from, where it went, and what a recall of it must reach.

Transformations link batches through ``BatchLineage``. On PostgreSQL the walk is one recursive query (a chain
ten transformations deep is one round trip); elsewhere it goes one indexed query per generation (frontier by
frontier). Trees are built once per (batch, generation): a lot reached along several paths (shared
ingredients) is the same node object in each place, so building a tree costs the lots, not the paths.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.catalog.models import Sku
from domain.common.dialect import is_postgres
from domain.common.errors import NotFound
from domain.inventory import rules as stock_rules
from domain.inventory.models import Batch, Location, StockQuant
from domain.partners.models import Customer, Supplier
from domain.purchasing.models import GoodsReceiptLine
from domain.quality.models import QualityCheck
from domain.sales.models import CustomerReturnLine, ShipmentLine
from domain.trace.models import BatchLineage, TraceEvent, TraceEventBatch

MAX_DEPTH = 64  # generations walked at most: a guard, real chains are a handful deep


@dataclass(frozen=True)
class BatchRef:
    id: int
    sku_code: str
    lot_code: str
    status: str
    expiry_date: date | None
    unit: str  # the SKU's base unit: every quantity of this batch in a tree is in it


@dataclass(frozen=True)
class PartyRef:
    code: str
    name: str


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
class ShipmentRef:
    number: str
    order_number: str
    customer: PartyRef
    shipped_at: datetime
    quantity: Decimal


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


@dataclass(frozen=True)
class RecallCustomer:
    customer: PartyRef
    # Totals per base unit ({"kg": 3, "pcs": 4}): a recall can reach products counted in different units.
    shipped: dict[str, Decimal]
    returned: dict[str, Decimal]
    lots: list[tuple[str, str, Decimal, str]]  # (sku code, lot code, quantity shipped, base unit)
    documents: list[str]  # shipment numbers with their sales orders, "SH… (SO…)"


@dataclass(frozen=True)
class RecallStock:
    location_code: str
    sku_code: str
    lot_code: str
    status: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class Recall:
    batch: BatchRef
    affected_batches: list[BatchRef]
    customers: list[RecallCustomer]
    stock: list[RecallStock]


#: The whole walk in one round trip on PostgreSQL. ``UNION`` (not ``UNION ALL``) keeps one row per
#: (batch, generation), so shared ingredients do not multiply rows; the depth bound stops any cycle.
_WALK = """
WITH RECURSIVE walk(node, depth) AS (
    SELECT $1::int, 0
  UNION
    SELECT l.{there}, w.depth + 1 FROM batch_lineage l JOIN walk w ON l.{here} = w.node WHERE w.depth < $2
)
SELECT DISTINCT l.{here} AS a, l.{there} AS b FROM batch_lineage l
WHERE l.{here} IN (SELECT node FROM walk WHERE depth < $2)
"""


async def _edges(start: int, forward: bool) -> dict[int, list[int]]:
    """Adjacency (batch -> next batches, sorted) of everything reachable from ``start`` in one direction."""
    here, there = ("parent_id", "child_id") if forward else ("child_id", "parent_id")
    if is_postgres():
        sql = _WALK.format(here=here, there=there)
        rows = await BatchLineage._meta.db.execute_query_dict(sql, [start, MAX_DEPTH])
        adjacency: dict[int, list[int]] = {}
        for a, b in sorted((r["a"], r["b"]) for r in rows):
            adjacency.setdefault(a, []).append(b)
        return adjacency
    return await _edges_by_generation(start, here, there)


async def _edges_by_generation(start: int, here: str, there: str) -> dict[int, list[int]]:
    # The portable walk: one indexed query per generation (frontier by frontier).
    adjacency: dict[int, list[int]] = {}
    seen = {start}
    frontier = [start]
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        rows = await BatchLineage.filter(**{f"{here}__in": frontier}).values_list(here, there)
        nxt: list[int] = []
        for a, b in sorted(set(rows)):
            adjacency.setdefault(a, []).append(b)
            if b not in seen:
                seen.add(b)
                nxt.append(b)
        frontier = nxt
    return adjacency


def _closure(start: int, adjacency: dict[int, list[int]]) -> list[int]:
    return sorted({start} | {b for targets in adjacency.values() for b in targets})


async def _batches(ids: Iterable[int]) -> dict[int, BatchRef]:
    rows = await Batch.filter(id__in=list(ids))
    skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in rows})}
    return {
        b.id: BatchRef(
            b.id, skus[b.sku_id].code, b.lot_code, b.status, b.expiry_date, skus[b.sku_id].base_unit
        )
        for b in rows
    }


async def _root(batch_id: int) -> None:
    if not await Batch.exists(id=batch_id):
        raise NotFound("batch", batch_id, ("batchId",))


async def trace_backward(batch_id: int) -> BackwardNode:
    """The batch, its supplier, receipts and checks, then the same for every input, recursively."""
    await _root(batch_id)
    adjacency = await _edges(batch_id, forward=False)
    ids = _closure(batch_id, adjacency)
    refs = await _batches(ids)
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


async def _shipments(ids: list[int]) -> dict[int, list[ShipmentRef]]:
    out: dict[int, list[ShipmentRef]] = defaultdict(list)
    lines = await ShipmentLine.filter(batch_id__in=ids).order_by("id").prefetch_related("shipment__order")
    customers = {
        c.id: PartyRef(c.code, c.name)
        for c in await Customer.filter(id__in={ln.shipment.order.customer_id for ln in lines})
    }
    for ln in lines:
        out[ln.batch_id].append(
            ShipmentRef(
                ln.shipment.number or "",
                ln.shipment.order.number or "",
                customers[ln.shipment.order.customer_id],
                ln.shipment.shipped_at,
                Decimal(ln.quantity_base),
            )
        )
    return out


async def _stock(ids: list[int]) -> list[tuple[int, Location, str, Decimal]]:
    quants = (
        await StockQuant.filter(batch_id__in=ids, quantity__gt=0)
        .order_by("batch_id", "location_id", "status")
        .prefetch_related("location")
    )
    return [
        (q.batch_id, q.location, q.status, Decimal(q.quantity))
        for q in quants
        if q.location.kind in stock_rules.OWNED_KINDS
    ]


async def trace_forward(batch_id: int) -> ForwardNode:
    """The batch's shipments (customer, document, quantity) and stock on hand, then the same for every
    batch made from it, recursively."""
    await _root(batch_id)
    adjacency = await _edges(batch_id, forward=True)
    ids = _closure(batch_id, adjacency)
    refs = await _batches(ids)
    shipments = await _shipments(ids)
    stock: dict[int, list[StockRef]] = defaultdict(list)
    for bid, loc, status, qty in await _stock(ids):
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


async def recall(batch_id: int) -> Recall:
    """Everyone who received the batch or anything made from it (net of returns), and where the rest is."""
    await _root(batch_id)
    ids = _closure(batch_id, await _edges(batch_id, forward=True))
    refs = await _batches(ids)
    shipments = await _shipments(ids)
    returned: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for rl in await CustomerReturnLine.filter(batch_id__in=ids).prefetch_related("order_line__order"):
        returned[(rl.order_line.order.customer_id, rl.batch_id)] += Decimal(rl.quantity_base)
    customer_ids = {
        c.code: c.id
        for c in await Customer.filter(
            code__in={s.customer.code for lines in shipments.values() for s in lines}
        )
    }
    by_customer: dict[str, dict[str, Any]] = {}
    for bid in ids:
        for s in shipments[bid]:
            entry = by_customer.setdefault(
                s.customer.code,
                {"customer": s.customer, "lots": defaultdict(Decimal), "docs": [], "batches": set()},
            )
            entry["lots"][(refs[bid].sku_code, refs[bid].lot_code, refs[bid].unit)] += s.quantity
            entry["batches"].add(bid)
            doc = f"{s.number} ({s.order_number})"
            if doc not in entry["docs"]:
                entry["docs"].append(doc)
    customers = []
    for code in sorted(by_customer):
        entry = by_customer[code]
        lots = sorted((sku, lot, qty, unit) for (sku, lot, unit), qty in entry["lots"].items())
        shipped: dict[str, Decimal] = defaultdict(Decimal)
        back: dict[str, Decimal] = defaultdict(Decimal)
        for _, _, qty, unit in lots:
            shipped[unit] += qty
        for b in entry["batches"]:
            back[refs[b].unit] += returned[(customer_ids[code], b)]
        customers.append(
            RecallCustomer(entry["customer"], dict(shipped), dict(back), lots, sorted(entry["docs"]))
        )
    stock = [
        RecallStock(loc.code, refs[bid].sku_code, refs[bid].lot_code, status, qty, refs[bid].unit)
        for bid, loc, status, qty in await _stock(ids)
    ]
    stock.sort(key=lambda s: (s.location_code, s.sku_code, s.lot_code, s.status))
    return Recall(refs[batch_id], [refs[i] for i in ids], customers, stock)


@dataclass(frozen=True)
class EventView:
    event_id: str
    event_type: str
    biz_step: str
    action: str | None
    disposition: str | None
    event_time: datetime
    origin: str
    doc_type: str
    leaf: str
    body: dict[str, Any]


def event_view(e: TraceEvent) -> EventView:
    return EventView(
        e.event_id,
        e.event_type,
        e.biz_step,
        e.action,
        e.disposition,
        e.event_time,
        e.origin,
        e.doc_type,
        e.leaf,
        e.body,
    )


async def batch_events(batch_id: int) -> list[EventView]:
    """Every event (ours and captured) about the batch, oldest first."""
    await _root(batch_id)
    event_ids = await TraceEventBatch.filter(batch_id=batch_id).values_list("event_id", flat=True)
    rows = await TraceEvent.filter(id__in=list(set(event_ids))).order_by("event_time", "id")
    return [event_view(e) for e in rows]
