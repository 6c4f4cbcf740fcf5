"""The facts of a batch a public page reads: the batch behind a code, its lineage, events, places, origin.

Each is a read of our tables, nothing filtered for the public here: ``domain.provenance.services`` picks what
shows. Lineage is the batch first, then its input lots generation by generation (at most ``MAX_DEPTH``);
places are keyed ``("code", warehouse code)`` or ``("gln", GLN)`` as ``rules.event_place`` reads them.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.anchoring import stored
from domain.common import business_time
from domain.inventory.models import Batch, Warehouse
from domain.partners.models import Supplier
from domain.provenance import rules
from domain.provenance.models import BatchPublicCode
from domain.purchasing.models import GoodsReceiptLine
from domain.trace.models import BatchLineage, TraceEventBatch

MAX_DEPTH = 64  # generations of input lots walked at most (as the genealogy does)


async def lineage(batch_id: int) -> list[int]:
    """The batch and every lot it was made from, one query per generation."""
    seen, frontier = [batch_id], [batch_id]
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        rows = await BatchLineage.filter(child_id__in=frontier).values("parent_id")
        frontier = sorted({int(r["parent_id"]) for r in rows} - set(seen))
        seen.extend(frontier)
    return seen


async def batch_of(public_code: str) -> Batch | None:
    """The batch a public code names, or None for a malformed code or one we never issued."""
    code = rules.normalise_code(public_code)
    if code is None:
        return None
    row = await BatchPublicCode.get_or_none(code=code)
    return None if row is None else await Batch.get(id=row.batch_id)


async def events(batch_ids: list[int]) -> tuple[list[stored.StoredEvent], set[int], set[str]]:
    """Events about these lots, oldest first; the ids of those about the first; the lots' classes."""
    links = await TraceEventBatch.filter(batch_id__in=batch_ids).values_list(
        "event_id", "batch_id", "epc_class"
    )
    own = {int(e) for e, b, _ in links if b == batch_ids[0]}
    rows = await stored.events(int(e) for e, _, _ in links)
    return rows, own, {str(c) for _, _, c in links}


async def place_names(bodies: Iterable[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Our warehouses' names, keyed by the place the event bodies name (unknown places left out)."""
    keys = {k for b in bodies if (k := rules.event_place(b)) is not None}
    codes = [v for kind, v in keys if kind == "code"]
    glns = [v for kind, v in keys if kind == "gln"]
    names: dict[tuple[str, str], str] = {}
    if codes:
        names.update({("code", w.code): w.name for w in await Warehouse.filter(code__in=codes)})
    if glns:
        names.update({("gln", w.gln): w.name for w in await Warehouse.filter(gln__in=glns) if w.gln})
    return names


async def origin(batch_ids: list[int]) -> tuple[tuple[str, ...], date | None]:
    """Supplier names and first receipt day of the batch, else of the lots it was made from."""
    batches = {b.id: b for b in await Batch.filter(id__in=batch_ids)}
    receipts = await GoodsReceiptLine.filter(batch_id__in=batch_ids).prefetch_related("receipt")
    for group in ([batch_ids[0]], batch_ids[1:]):
        supplier_ids = {batches[i].supplier_id for i in group if i in batches and batches[i].supplier_id}
        days = [
            business_time.business_date(ln.receipt.received_at) for ln in receipts if ln.batch_id in group
        ]
        if supplier_ids or days:
            names = sorted({s.name for s in await Supplier.filter(id__in=list(supplier_ids))})
            return tuple(names), min(days) if days else None
    return (), None
