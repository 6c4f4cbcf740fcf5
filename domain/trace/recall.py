"""Recall: everyone who received a batch or anything made from it (net of returns), and where the rest is.

The walk goes forward through ``genealogy_walk``. Totals are per SKU base unit (``{"kg": 3, "pcs": 4}``): a
recall can reach products counted in different units. Customers, lots, documents and stock are sorted so the
same data gives the same recall. An unknown batch raises ``NotFound`` (path ``batchId``).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.partners.models import Customer
from domain.sales.models import CustomerReturnLine
from domain.trace import genealogy_walk as walk
from domain.trace.genealogy_walk import BatchRef, PartyRef


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


async def recall(batch_id: int) -> Recall:
    """Everyone who received the batch or anything made from it (net of returns), and where the rest is."""
    await walk.require_batch(batch_id)
    ids = walk.closure(batch_id, await walk.edges(batch_id, forward=True))
    refs = await walk.batch_refs(ids)
    shipments = await walk.shipments_of(ids)
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
        for bid, loc, status, qty in await walk.owned_stock(ids)
    ]
    stock.sort(key=lambda s: (s.location_code, s.sku_code, s.lot_code, s.status))
    return Recall(refs[batch_id], [refs[i] for i in ids], customers, stock)
