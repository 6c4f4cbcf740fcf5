"""The genealogy walk shared by traces and recalls: lineage edges, batch references, shipments and stock.

Transformations link batches through ``BatchLineage``. On PostgreSQL the walk is one recursive query (a chain
ten transformations deep is one round trip); elsewhere it goes one indexed query per generation (frontier by
frontier). ``edges`` gives the adjacency (batch id -> next batch ids, sorted) one way; ``closure`` the batch
ids it reaches; ``batch_refs``, ``shipments_of`` and ``owned_stock`` load what the trees and the recall show
of those batches (quantities in each SKU's base unit). ``require_batch`` raises ``NotFound`` (path
``batchId``) for an unknown batch.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common.dialect import is_postgres
from domain.common.errors import NotFound
from domain.inventory import rules as stock_rules
from domain.inventory.models import Batch, Location, StockQuant
from domain.partners.models import Customer
from domain.sales.models import ShipmentLine
from domain.trace.models import BatchLineage

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
class ShipmentRef:
    number: str
    order_number: str
    customer: PartyRef
    shipped_at: datetime
    quantity: Decimal


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


async def edges(start: int, forward: bool) -> dict[int, list[int]]:
    """Adjacency (batch -> next batches, sorted) of everything reachable from ``start`` in one direction."""
    here, there = ("parent_id", "child_id") if forward else ("child_id", "parent_id")
    if is_postgres():
        sql = _WALK.format(here=here, there=there)
        rows = await BatchLineage._meta.db.execute_query_dict(sql, [start, MAX_DEPTH])
        adjacency: dict[int, list[int]] = {}
        for a, b in sorted((r["a"], r["b"]) for r in rows):
            adjacency.setdefault(a, []).append(b)
        return adjacency
    return await edges_by_generation(start, here, there)


async def edges_by_generation(start: int, here: str, there: str) -> dict[int, list[int]]:
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


def closure(start: int, adjacency: dict[int, list[int]]) -> list[int]:
    """``start`` and every batch id the adjacency reaches, sorted."""
    return sorted({start} | {b for targets in adjacency.values() for b in targets})


async def batch_refs(ids: Iterable[int]) -> dict[int, BatchRef]:
    """Batch id -> its reference (SKU code, lot, status, expiry, base unit)."""
    rows = await Batch.filter(id__in=list(ids))
    skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in rows})}
    return {
        b.id: BatchRef(
            b.id, skus[b.sku_id].code, b.lot_code, b.status, b.expiry_date, skus[b.sku_id].base_unit
        )
        for b in rows
    }


async def require_batch(batch_id: int) -> None:
    """Raises ``NotFound`` (path ``batchId``) unless the batch exists."""
    if not await Batch.exists(id=batch_id):
        raise NotFound("batch", batch_id, ("batchId",))


async def shipments_of(ids: list[int]) -> dict[int, list[ShipmentRef]]:
    """Batch id -> its shipment lines (customer, documents, base quantity), oldest line first."""
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


async def owned_stock(ids: list[int]) -> list[tuple[int, Location, str, Decimal]]:
    """(batch id, location, status, base quantity) of positive stock at our own locations."""
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
