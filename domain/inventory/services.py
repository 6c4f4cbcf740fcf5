"""Inventory use cases: warehouses and locations, virtual locations, batch status."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from functools import cache

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain.common import rows
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.inventory import rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, Location, Reservation, SkuValuation, StockQuant, Warehouse
from domain.partners import rules as partner_rules
from domain.quality.models import QualityCheck
from domain.recall.models import RecallLot
from domain.trace import recorders

Kind = rules.LocationKind


# --- warehouses and locations ---------------------------------------------------------------


async def create_warehouse(code: str, name: str, gln: str | None = None) -> Warehouse:
    """A warehouse with its root and transit locations. ``gln``: a GS1 GLN, checked like a supplier's."""
    if gln is not None and (problem := partner_rules.gln_problem(gln)):
        raise ValidationError(problem, ("gln",))
    async with in_transaction():
        if await Warehouse.exists(code=code):
            raise Conflict(f"warehouse {code} already exists", ("code",))
        wh = await Warehouse.create(code=code, name=name, gln=gln)
        await Location.create(warehouse=wh, code=code, name=name, path=code, kind=Kind.INTERNAL)
        await Location.create(
            warehouse=wh,
            code=f"{code}/TRANSIT",
            name=f"{name} 在途 in transit",
            path=f"{code}/TRANSIT",
            kind=Kind.TRANSIT,
        )
        return wh


async def create_location(
    parent_code: str, code: str, name: str, capacity: Decimal | None = None
) -> Location:
    parent = await Location.get_or_none(code=parent_code)
    if parent is None or parent.kind != Kind.INTERNAL:
        raise NotFound("location", parent_code, ("parentCode",))
    if await Location.exists(code=code):
        raise Conflict(f"location {code} already exists", ("code",))
    return await Location.create(
        warehouse_id=parent.warehouse_id,
        parent=parent,
        code=code,
        name=name,
        path=f"{parent.path}/{code}",
        kind=Kind.INTERNAL,
        capacity=capacity,
    )


def _virtual_code(kind: Kind) -> str:
    return f"VIRTUAL/{kind.value.upper()}"


async def virtual_location(kind: Kind) -> Location:
    """The ledger's counterpart for stock entering or leaving the company (Odoo's virtual locations)."""
    code = _virtual_code(kind)
    loc = await Location.get_or_none(code=code)
    if loc is None:
        # Concurrent first postings may both get here: insert-or-ignore keeps their transactions alive.
        await Location.bulk_create(
            [Location(code=code, name=code, path=code, kind=kind)], ignore_conflicts=True
        )
        loc = await Location.get(code=code)
    return loc


@cache
def _virtual_and_sql(by_code: bool) -> str:
    # Hand-written (issue 15): a receipt and a shipment read their locations here; the ORM spent ~0.5 ms
    # of Python building the query. tests/integration/purchasing/test_hot_reads.py pins it to the ORM path.
    other = 'l."code" = ANY($2::text[])' if by_code else 'l."warehouse_id" = $2'
    return (
        f'SELECT {rows.columns(Location, "l")} FROM "{Location._meta.db_table}" AS l '
        f'WHERE l."code" = $1 OR {other}'
    )


async def virtual_and(
    kind: Kind, *, codes: Iterable[str] | None = None, warehouse_id: int | None = None
) -> tuple[Location, list[Location]]:
    """``virtual_location(kind)`` and the locations of ``codes`` or else of ``warehouse_id``, the virtual
    one among them, in one query once it exists: a posting needs both (issue 15: a statement fewer)."""
    code = _virtual_code(kind)
    if codes is not None:
        wanted: list[str] | int = sorted(set(codes))
        others = Q(code__in=wanted)
    elif warehouse_id is not None:
        wanted, others = warehouse_id, Q(warehouse_id=warehouse_id)
    else:
        raise TypeError("virtual_and: give codes or a warehouse id")
    if is_postgres():
        _, found = await Location._meta.db.execute_query(_virtual_and_sql(codes is not None), [code, wanted])
        locations = [rows.build(Location, r) for r in found]
    else:
        locations = await Location.filter(Q(code=code) | others)
    virtual = next((loc for loc in locations if loc.code == code), None)
    if virtual is None:
        virtual = await virtual_location(kind)
        locations.append(virtual)
    return virtual, locations


async def transit_location(warehouse_id: int) -> Location:
    return await Location.get(warehouse_id=warehouse_id, kind=Kind.TRANSIT)


async def internal_location(code: str, warehouse_id: int, path: tuple[str, ...]) -> Location:
    return check_internal(await Location.get_or_none(code=code), code, warehouse_id, path)


async def locations_by_code(codes: Iterable[str]) -> dict[str, Location]:
    """Several locations in one query; check each with ``check_internal`` where ``internal_location``
    would have been called."""
    return {loc.code: loc for loc in await Location.filter(code__in=set(codes))}


def check_internal(loc: Location | None, code: str, warehouse_id: int, path: tuple[str, ...]) -> Location:
    if loc is None or loc.kind != Kind.INTERNAL:
        raise NotFound("location", code, path)
    if loc.warehouse_id != warehouse_id:
        raise ValidationError(f"location {code} is not in the document's warehouse", path)
    return loc


# --- batches ------------------------------------------------------------------------------------


async def ensure_valuation(sku_id: int) -> None:
    await SkuValuation.get_or_create(sku_id=sku_id)


async def set_batch_status(
    batch_id: int, status: rules.StockStatus, posted_at: datetime, doc_type: str
) -> Batch:
    """Changes a batch's status and moves its stock with it: held stock gives up its reservations
    (the orders fall back to unreserved) and every status change is a ledger line."""
    batch = await Batch.get_or_none(id=batch_id)
    if batch is None:
        raise NotFound("batch", batch_id, ("batchId",))
    if status in (rules.StockStatus.AVAILABLE, rules.StockStatus.QUARANTINE):
        recall = (
            await RecallLot.filter(batch_id=batch_id, recall__status="open")
            .prefetch_related("recall")
            .first()
        )
        # A release or a passing verdict must not put recalled stock back on sale, and an inspection must not
        # relabel a recalled lot as merely quarantined (a failing verdict, rejected, stays allowed).
        if recall is not None:
            raise Conflict(
                f"batch {batch.lot_code} is held by recall {recall.recall.number} (召回中，不能放行)",
                ("batchId",),
            )
    await lock_skus([batch.sku_id])
    quants = await StockQuant.filter(
        batch_id=batch_id, quantity__gt=0, status__in=list(rules.statuses_moved_to(status))
    ).prefetch_related("location")
    for q in quants:
        await Reservation.filter(quant_id=q.id).delete()
        await StockQuant.filter(id=q.id).update(reserved=0)
    await apply_moves(
        [
            MoveRequest(
                sku_id=q.sku_id,
                batch_id=batch_id,
                from_location=q.location,
                to_location=q.location,
                quantity=Decimal(q.quantity),
                from_status=q.status,
                to_status=status,
            )
            for q in quants
        ],
        doc_type,
        batch_id,
        posted_at,
    )
    batch.status = status
    await batch.save(update_fields=["status"])
    return batch


async def batch_block(batch_id: int, posted_at: datetime, key: str | None = None) -> Posted:
    async def body() -> Posted:
        b = await set_batch_status(batch_id, rules.StockStatus.BLOCKED, posted_at, "batch_block")
        await recorders.record_batch_status(b, "batch_block", posted_at)
        return Posted("batch", b.id, b.lot_code)

    return await posting("batch_block", key, body)


async def _refuse_with_open_check(batch: Batch) -> None:
    """A batch under a quality check is released by the check's verdict only, never around it."""
    check = await QualityCheck.filter(batch_id=batch.id, status__in=["pending", "inspecting"]).first()
    if check is not None:
        raise Conflict(
            f"batch {batch.lot_code} has an open quality check {check.number} ({check.status}): its verdict "
            "releases or rejects it (质检未完成，请以质检结论放行)",
            ("batchId",),
        )


async def batch_release(batch_id: int, posted_at: datetime, key: str | None = None) -> Posted:
    async def body() -> Posted:
        batch = await Batch.get_or_none(id=batch_id)
        if batch is None:
            raise NotFound("batch", batch_id, ("batchId",))
        await _refuse_with_open_check(batch)
        held = (rules.StockStatus.BLOCKED, rules.StockStatus.QUARANTINE)
        # A customer return puts stock of an available batch in quarantine: that stock is released too.
        if batch.status not in held and not await StockQuant.exists(
            batch_id=batch_id, quantity__gt=0, status__in=list(held)
        ):
            raise Conflict(f"batch {batch.lot_code} is {batch.status} with no held stock: nothing to release")
        b = await set_batch_status(batch_id, rules.StockStatus.AVAILABLE, posted_at, "batch_release")
        await recorders.record_batch_status(b, "batch_release", posted_at)
        return Posted("batch", b.id, b.lot_code)

    return await posting("batch_release", key, body)
