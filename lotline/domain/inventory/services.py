"""Inventory use cases: warehouses and locations, batch status, reservations, counts, transfers, checks."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from lotline.db import is_postgres
from lotline.domain.catalog.models import Sku
from lotline.domain.common.errors import Conflict, InsufficientStock, NotFound, Shortage, ValidationError
from lotline.domain.common.services import Posted, document_number, posting
from lotline.domain.finance import services as finance
from lotline.domain.inventory import rules
from lotline.domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from lotline.domain.inventory.models import (
    Batch,
    Location,
    Reservation,
    SkuValuation,
    StockCount,
    StockCountLine,
    StockCountLocation,
    StockMove,
    StockQuant,
    Transfer,
    TransferLine,
    Warehouse,
)
from lotline.domain.trace import recording

Kind = rules.LocationKind


# --- warehouses and locations ---------------------------------------------------------------


async def create_warehouse(code: str, name: str, gln: str | None = None) -> Warehouse:
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


async def virtual_location(kind: Kind) -> Location:
    """The ledger's counterpart for stock entering or leaving the company (Odoo's virtual locations)."""
    code = f"VIRTUAL/{kind.value.upper()}"
    loc = await Location.get_or_none(code=code)
    if loc is None:
        # Concurrent first postings may both get here: insert-or-ignore keeps their transactions alive.
        await Location.bulk_create(
            [Location(code=code, name=code, path=code, kind=kind)], ignore_conflicts=True
        )
        loc = await Location.get(code=code)
    return loc


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
        await recording.record_batch_status(b, "batch_block", posted_at)
        return Posted("batch", b.id, b.lot_code)

    return await posting("batch_block", key, body)


async def batch_release(batch_id: int, posted_at: datetime, key: str | None = None) -> Posted:
    async def body() -> Posted:
        batch = await Batch.get_or_none(id=batch_id)
        if batch is None:
            raise NotFound("batch", batch_id, ("batchId",))
        held = (rules.StockStatus.BLOCKED, rules.StockStatus.QUARANTINE)
        # A customer return puts stock of an available batch in quarantine: that stock is released too.
        if batch.status not in held and not await StockQuant.exists(
            batch_id=batch_id, quantity__gt=0, status__in=list(held)
        ):
            raise Conflict(f"batch {batch.lot_code} is {batch.status} with no held stock: nothing to release")
        b = await set_batch_status(batch_id, rules.StockStatus.AVAILABLE, posted_at, "batch_release")
        await recording.record_batch_status(b, "batch_release", posted_at)
        return Posted("batch", b.id, b.lot_code)

    return await posting("batch_release", key, body)


# --- reservations ---------------------------------------------------------------------------


async def candidates(
    sku_id: int, warehouse_id: int, batch_ids: list[int] | None = None
) -> list[rules.QuantCandidate]:
    return (await candidates_by_sku([sku_id], warehouse_id, batch_ids)).get(sku_id, [])


async def candidates_by_sku(
    sku_ids: Iterable[int], warehouse_id: int, batch_ids: list[int] | None = None
) -> dict[int, list[rules.QuantCandidate]]:
    """The stock of several SKUs that picking may consider, per SKU, in one query."""
    found: dict[int, list[rules.QuantCandidate]] = defaultdict(list)
    for q in await pickable_quants(sku_ids, warehouse_id, batch_ids):
        found[q.sku_id].append(q.candidate(q.quantity, q.reserved))
    return found


@dataclass(frozen=True)
class PickableQuant:
    """A quant picking may consider, with what FEFO needs of its batch (read as plain values)."""

    id: int
    sku_id: int
    batch_id: int
    location_id: int
    status: str
    quantity: Decimal
    reserved: Decimal
    expiry_date: date | None
    best_before_date: date | None
    batch_status: str

    def candidate(self, quantity: Decimal, reserved: Decimal) -> rules.QuantCandidate:
        """As a picking candidate, with the given on-hand and reserved figures."""
        return rules.QuantCandidate(
            self.id,
            self.batch_id,
            self.location_id,
            self.expiry_date,
            self.best_before_date,
            self.status,
            self.batch_status,
            quantity - reserved,
        )


async def pickable_quants(
    sku_ids: Iterable[int], warehouse_id: int, batch_ids: list[int] | None = None
) -> list[PickableQuant]:
    """Quants with stock that picking may consider, in one query (values, not model rows: a SKU may
    have hundreds of lots on hand)."""
    # Frozen bins (a count in progress) are skipped: pick from elsewhere rather than fail the order.
    query = StockQuant.filter(
        sku_id__in=list(sku_ids),
        warehouse_id=warehouse_id,
        quantity__gt=0,
        location__kind=Kind.INTERNAL,
        location__frozen=False,
    )
    if batch_ids is not None:
        query = query.filter(batch_id__in=batch_ids)
    rows = await query.values_list(
        "id",
        "sku_id",
        "batch_id",
        "location_id",
        "status",
        "quantity",
        "reserved",
        "batch__expiry_date",
        "batch__best_before_date",
        "batch__status",
    )
    return [
        PickableQuant(i, s, b, loc, st, Decimal(q), Decimal(r), exp, bb, bst)
        for i, s, b, loc, st, q, r, exp, bb, bst in rows
    ]


async def reserve(
    doc_type: str, line_id: int, sku_id: int, warehouse_id: int, quantity: Decimal, today: date
) -> Decimal:
    """Reserves FEFO what exists, up to ``quantity``; returns the shortfall. Caller holds the SKU lock."""
    picks, shortfall = rules.pick_fefo(await candidates(sku_id, warehouse_id), quantity, today)
    for p in picks:
        await Reservation.create(
            quant_id=p.quant_id, doc_type=doc_type, doc_line_id=line_id, quantity=p.quantity
        )
        await StockQuant.filter(id=p.quant_id).update(reserved=F("reserved") + p.quantity)
    return shortfall


async def unreserve(doc_type: str, line_id: int) -> None:
    for r in await Reservation.filter(doc_type=doc_type, doc_line_id=line_id):
        await StockQuant.filter(id=r.quant_id).update(reserved=F("reserved") - r.quantity)
        await r.delete()


# --- stock counts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CountedLine:
    location_code: str
    batch_id: int
    counted: Decimal


async def stock_count_start(warehouse_code: str, location_codes: list[str], key: str | None = None) -> Posted:
    """Freezes the locations (no moves in or out) and snapshots what the books say is there."""

    async def body() -> Posted:
        wh = await Warehouse.get_or_none(code=warehouse_code)
        if wh is None:
            raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
        if not location_codes:
            raise ValidationError("a stock count needs at least one location", ("locationCodes",))
        for i, c in enumerate(location_codes):
            if c in location_codes[:i]:
                raise ValidationError(f"location {c} is named twice", ("locationCodes", str(i)))
        locations = [
            await internal_location(c, wh.id, ("locationCodes", str(i))) for i, c in enumerate(location_codes)
        ]
        query = Location.filter(id__in=[loc.id for loc in locations]).order_by("id")
        if is_postgres():
            query = query.select_for_update()
        index = {loc.id: i for i, loc in enumerate(locations)}  # the path names the request's index
        for loc in await query:
            if loc.frozen:
                raise Conflict(
                    f"location {loc.code} is already frozen by another count",
                    ("locationCodes", str(index[loc.id])),
                )
        count = await StockCount.create(warehouse=wh)
        count.number = document_number("SC", count.id)
        await count.save(update_fields=["number"])
        for loc in locations:
            await StockCountLocation.create(count=count, location=loc)
            await Location.filter(id=loc.id).update(frozen=True)
            sums: dict[int, Decimal] = defaultdict(Decimal)
            for q in await StockQuant.filter(
                location_id=loc.id, status=rules.StockStatus.AVAILABLE, quantity__gt=0
            ):
                sums[q.batch_id] += Decimal(q.quantity)
            for batch_id, qty in sums.items():
                await StockCountLine.create(count=count, location=loc, batch_id=batch_id, expected=qty)
        return Posted("stock_count", count.id, count.number)

    return await posting("stock_count_start", key, body)


async def stock_count_post(
    count_id: int, lines: list[CountedLine], posted_at: datetime, key: str | None = None
) -> Posted:
    """Records the counted quantities and posts each difference as an adjustment move.

    The difference is taken against the books *now* (under the SKU lock), not the frozen snapshot, so a
    move that slipped in before the freeze is never counted twice.
    """

    async def body() -> Posted:
        count = await StockCount.get_or_none(id=count_id)
        if count is None:
            raise NotFound("stock count", count_id, ("countId",))
        if count.status != "frozen":
            raise Conflict(f"stock count {count.number} is {count.status}", ("countId",))
        links = {
            link.location.code: link.location
            for link in await StockCountLocation.filter(count_id=count.id).prefetch_related("location")
        }
        counted: dict[tuple[int, int], Decimal] = {}
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            if line.location_code not in links:
                raise ValidationError(
                    f"location {line.location_code} is not part of this count", (*path, "locationCode")
                )
            if not line.counted.is_finite() or line.counted < 0:
                raise ValidationError("counted quantity must be zero or more", (*path, "counted"))
            if not await Batch.exists(id=line.batch_id):
                raise NotFound("batch", line.batch_id, (*path, "batchId"))
            counted[(links[line.location_code].id, line.batch_id)] = line.counted
        # Lines with no count keep their books quantity: nobody said otherwise.
        batches = {b.id: b for b in await Batch.filter(id__in={b for _, b in counted})}
        await lock_skus(b.sku_id for b in batches.values())
        adjustment = await virtual_location(Kind.ADJUSTMENT)
        requests: list[MoveRequest] = []
        by_id = {loc.id: loc for loc in links.values()}
        for loc in links.values():  # unfreeze first so the adjustment can move stock
            await Location.filter(id=loc.id).update(frozen=False)
            loc.frozen = False
        for (loc_id, batch_id), qty in counted.items():
            batch = batches[batch_id]
            quant = await StockQuant.get_or_none(
                sku_id=batch.sku_id, location_id=loc_id, batch_id=batch_id, status=rules.StockStatus.AVAILABLE
            )
            books = Decimal(quant.quantity) if quant else rules.ZERO
            reserved = Decimal(quant.reserved) if quant else rules.ZERO
            diff = qty - books
            if diff > 0:
                valuation = await SkuValuation.get(sku_id=batch.sku_id)
                requests.append(
                    MoveRequest(
                        batch.sku_id,
                        batch_id,
                        adjustment,
                        by_id[loc_id],
                        diff,
                        unit_cost=Decimal(valuation.average_cost),
                    )
                )
            elif diff < 0:
                # A loss may eat into reserved stock: those reservations are released first.
                release = max(rules.ZERO, reserved - qty)
                if release and quant is not None:
                    await _release_reservations(quant.id, release)
                requests.append(MoveRequest(batch.sku_id, batch_id, by_id[loc_id], adjustment, -diff))
            await StockCountLine.filter(count_id=count.id, location_id=loc_id, batch_id=batch_id).update(
                counted=qty
            )
            if not await StockCountLine.exists(count_id=count.id, location_id=loc_id, batch_id=batch_id):
                await StockCountLine.create(
                    count=count, location_id=loc_id, batch_id=batch_id, expected=books, counted=qty
                )
        if requests:
            await apply_moves(requests, "stock_count", count.id, posted_at)
            await finance.book_stock_count(count.id, posted_at=posted_at)
        count.status = "posted"
        count.posted_at = posted_at
        await count.save(update_fields=["status", "posted_at"])
        await recording.record_stock_count(count)
        return Posted("stock_count", count.id, count.number or "")

    return await posting("stock_count_post", key, body)


async def _release_reservations(quant_id: int, amount: Decimal) -> None:
    left = amount
    for r in await Reservation.filter(quant_id=quant_id).order_by("-id"):
        if left <= 0:
            break
        take = min(Decimal(r.quantity), left)
        if take == r.quantity:
            await r.delete()
        else:
            await Reservation.filter(id=r.id).update(quantity=F("quantity") - take)
        await StockQuant.filter(id=quant_id).update(reserved=F("reserved") - take)
        left -= take


# --- transfers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferLineInput:
    sku_code: str
    quantity: Decimal
    batch_id: int | None = None  # None: pick FEFO


async def transfer_ship(
    from_warehouse: str,
    to_warehouse: str,
    lines: list[TransferLineInput],
    today: date,
    posted_at: datetime,
    key: str | None = None,
) -> Posted:
    """Moves stock from the source warehouse into transit: still ours, valued, not yet available."""

    async def body() -> Posted:
        src = await Warehouse.get_or_none(code=from_warehouse)
        dst = await Warehouse.get_or_none(code=to_warehouse)
        if src is None:
            raise NotFound("warehouse", from_warehouse, ("fromWarehouse",))
        if dst is None:
            raise NotFound("warehouse", to_warehouse, ("toWarehouse",))
        if src.id == dst.id:
            raise ValidationError("a transfer needs two different warehouses", ("toWarehouse",))
        if not lines:
            raise ValidationError("a transfer needs at least one line", ("lines",))
        skus = await _skus_for(lines)
        await lock_skus(s.id for s in skus.values())
        transfer = await Transfer.create(from_warehouse=src, to_warehouse=dst, shipped_at=posted_at)
        transfer.number = document_number("TR", transfer.id)
        await transfer.save(update_fields=["number"])
        transit = await transit_location(dst.id)
        locations = {loc.id: loc for loc in await Location.filter(warehouse_id=src.id)}
        requests: list[MoveRequest] = []
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            rules.require_positive(line.quantity, (*path, "quantity"))
            sku = skus[line.sku_code]
            picks, shortfall = rules.pick_fefo(
                await candidates(sku.id, src.id, [line.batch_id] if line.batch_id else None),
                line.quantity,
                today,
            )
            if shortfall:
                raise InsufficientStock([Shortage(sku.code, line.quantity, line.quantity - shortfall)], path)
            for p in picks:
                requests.append(
                    MoveRequest(sku.id, p.batch_id, locations[p.location_id], transit, p.quantity, path=path)
                )
                await TransferLine.create(
                    transfer=transfer,
                    sku=sku,
                    batch_id=p.batch_id,
                    from_location_id=p.location_id,
                    quantity=p.quantity,
                )
        await apply_moves(requests, "transfer", transfer.id, posted_at)
        await recording.record_transfer_ship(transfer)
        return Posted("transfer", transfer.id, transfer.number)

    return await posting("transfer_ship", key, body)


async def transfer_receive(
    transfer_id: int, location_code: str, posted_at: datetime, key: str | None = None
) -> Posted:
    async def body() -> Posted:
        transfer = await Transfer.get_or_none(id=transfer_id)
        if transfer is None:
            raise NotFound("transfer", transfer_id, ("transferId",))
        if transfer.status != "in_transit":
            raise Conflict(f"transfer {transfer.number} is already {transfer.status}", ("transferId",))
        dest = await internal_location(location_code, transfer.to_warehouse_id, ("locationCode",))
        transit = await transit_location(transfer.to_warehouse_id)
        lines = await TransferLine.filter(transfer_id=transfer.id)
        await apply_moves(
            [MoveRequest(ln.sku_id, ln.batch_id, transit, dest, Decimal(ln.quantity)) for ln in lines],
            "transfer",
            transfer.id,
            posted_at,
        )
        transfer.status = "received"
        transfer.received_at = posted_at
        await transfer.save(update_fields=["status", "received_at"])
        await recording.record_transfer_receive(transfer)
        return Posted("transfer", transfer.id, transfer.number or "")

    return await posting("transfer_receive", key, body)


async def _skus_for(lines: list[TransferLineInput]) -> dict[str, Sku]:
    codes = {ln.sku_code for ln in lines}
    skus = {s.code: s for s in await Sku.filter(code__in=codes)}
    for i, ln in enumerate(lines):
        if ln.sku_code not in skus:
            raise NotFound("SKU", ln.sku_code, ("lines", str(i), "skuCode"))
    return skus


# --- consistency ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    what: str
    key: str
    books: Decimal
    ledger: Decimal


async def check_consistency() -> list[Difference]:
    """Rebuilds on-hand and valuation from the ledger alone and lists every read-model row that disagrees."""
    owned_ids = {loc.id for loc in await Location.filter(kind__in=list(rules.OWNED_KINDS))}
    qty: dict[tuple[int, int, int, str], Decimal] = defaultdict(Decimal)
    val_qty: dict[int, Decimal] = defaultdict(Decimal)
    val_value: dict[int, Decimal] = defaultdict(Decimal)
    for m in await StockMove.all().order_by("id"):
        q = Decimal(m.quantity)
        if m.from_location_id in owned_ids:
            qty[(m.sku_id, m.from_location_id, m.batch_id, m.from_status)] -= q
        if m.to_location_id in owned_ids:
            qty[(m.sku_id, m.to_location_id, m.batch_id, m.to_status)] += q
        into, out = m.to_location_id in owned_ids, m.from_location_id in owned_ids
        if into and not out:
            val_qty[m.sku_id] += q
            val_value[m.sku_id] += Decimal(m.value)
        elif out and not into:
            val_qty[m.sku_id] -= q
            val_value[m.sku_id] -= Decimal(m.value)
    diffs: list[Difference] = []
    seen: set[tuple[int, int, int, str]] = set()
    for quant in await StockQuant.all():
        k = (quant.sku_id, quant.location_id, quant.batch_id, quant.status)
        seen.add(k)
        if Decimal(quant.quantity) != qty.get(k, rules.ZERO):
            diffs.append(Difference("on_hand", str(k), Decimal(quant.quantity), qty.get(k, rules.ZERO)))
        if Decimal(quant.quantity) < 0:
            diffs.append(Difference("negative_on_hand", str(k), Decimal(quant.quantity), rules.ZERO))
    for k, v in qty.items():
        if k not in seen and v != 0:
            diffs.append(Difference("on_hand_missing", str(k), rules.ZERO, v))
    for sv in await SkuValuation.all():
        if Decimal(sv.quantity) != val_qty.get(sv.sku_id, rules.ZERO):
            diffs.append(
                Difference("valuation_quantity", str(sv.sku_id), Decimal(sv.quantity), val_qty[sv.sku_id])
            )
        if Decimal(sv.value) != val_value.get(sv.sku_id, rules.ZERO):
            diffs.append(
                Difference("valuation_value", str(sv.sku_id), Decimal(sv.value), val_value[sv.sku_id])
            )
    reserved: dict[int, Decimal] = defaultdict(Decimal)
    for r in await Reservation.all():
        reserved[r.quant_id] += Decimal(r.quantity)
    # Quants that claim a reservation, and quants that reservations hold while claiming none.
    held = {q.id: q for q in await StockQuant.exclude(reserved=0)}
    if unclaimed := set(reserved) - set(held):
        held.update({q.id: q for q in await StockQuant.filter(id__in=list(unclaimed))})
    for quant in held.values():
        if Decimal(quant.reserved) != reserved.get(quant.id, rules.ZERO):
            diffs.append(Difference("reserved", str(quant.id), Decimal(quant.reserved), reserved[quant.id]))
    return diffs
