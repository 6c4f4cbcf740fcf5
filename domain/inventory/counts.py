"""Stock counts: freeze locations and snapshot the books, then post the counted differences.

A count sees and keeps every status: the sheet lists each lot at each location in each status it holds
(available, quarantine, blocked, rejected, expired), and a difference is posted in that status, so counting
10 kg of quarantined stock as 10 kg changes nothing, and a loss of expired stock writes off expired stock.
A counted lot must be one the books know in the count's warehouse (it moved into it at some time): found
stock of a lot that never came here is received, not counted into existence.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import postings as finance
from domain.inventory import rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import (
    Batch,
    Location,
    SkuValuation,
    StockCount,
    StockCountLine,
    StockCountLocation,
    StockMove,
    StockQuant,
    Warehouse,
)
from domain.inventory.reservations import release_reservations
from domain.inventory.services import internal_location, virtual_location
from domain.trace import recorders


@dataclass(frozen=True)
class CountedLine:
    location_code: str
    batch_id: int
    counted: Decimal
    status: str | None = None  # None: the status the sheet lists for the lot there (or the lot's own)


STATUSES = frozenset(s.value for s in rules.StockStatus)


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
            sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
            for q in await StockQuant.filter(location_id=loc.id, quantity__gt=0):
                sums[(q.batch_id, q.status)] += Decimal(q.quantity)
            for (batch_id, status), qty in sorted(sums.items()):
                await StockCountLine.create(
                    count=count, location=loc, batch_id=batch_id, status=status, expected=qty
                )
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
        sheet: dict[tuple[int, int], set[str]] = defaultdict(set)
        for loc_id, batch_id, status in await StockCountLine.filter(count_id=count.id).values_list(
            "location_id", "batch_id", "status"
        ):
            sheet[(loc_id, batch_id)].add(status)
        batches = {b.id: b for b in await Batch.filter(id__in={ln.batch_id for ln in lines})}
        counted: dict[tuple[int, int, str], Decimal] = {}
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            if line.location_code not in links:
                raise ValidationError(
                    f"location {line.location_code} is not part of this count", (*path, "locationCode")
                )
            if not line.counted.is_finite() or line.counted < 0:
                raise ValidationError("counted quantity must be zero or more", (*path, "counted"))
            batch = batches.get(line.batch_id)
            if batch is None:
                raise NotFound("batch", line.batch_id, (*path, "batchId"))
            loc = links[line.location_code]
            status = await _status_of(line, batch, sheet.get((loc.id, batch.id), set()), count, path)
            counted[(loc.id, batch.id, status)] = line.counted
        # Lines with no count keep their books quantity: nobody said otherwise.
        await lock_skus(b.sku_id for b in batches.values())
        adjustment = await virtual_location(rules.LocationKind.ADJUSTMENT)
        requests: list[MoveRequest] = []
        by_id = {loc.id: loc for loc in links.values()}
        for loc in links.values():  # unfreeze first so the adjustment can move stock
            await Location.filter(id=loc.id).update(frozen=False)
            loc.frozen = False
        for (loc_id, batch_id, status), qty in counted.items():
            batch = batches[batch_id]
            quant = await StockQuant.get_or_none(
                sku_id=batch.sku_id, location_id=loc_id, batch_id=batch_id, status=status
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
                        to_status=status,
                        unit_cost=Decimal(valuation.average_cost),
                    )
                )
            elif diff < 0:
                # A loss may eat into reserved stock: those reservations are released first.
                release = max(rules.ZERO, reserved - qty)
                if release and quant is not None:
                    await release_reservations(quant.id, release)
                requests.append(
                    MoveRequest(batch.sku_id, batch_id, by_id[loc_id], adjustment, -diff, from_status=status)
                )
            line_of = StockCountLine.filter(
                count_id=count.id, location_id=loc_id, batch_id=batch_id, status=status
            )
            if await line_of.exists():
                await line_of.update(counted=qty)
            else:
                await StockCountLine.create(
                    count=count,
                    location_id=loc_id,
                    batch_id=batch_id,
                    status=status,
                    expected=books,
                    counted=qty,
                )
        if requests:
            await apply_moves(requests, "stock_count", count.id, posted_at)
            await finance.book_stock_count(count.id, posted_at=posted_at)
        count.status = "posted"
        count.posted_at = posted_at
        await count.save(update_fields=["status", "posted_at"])
        await recorders.record_stock_count(count)
        return Posted("stock_count", count.id, count.number or "")

    return await posting("stock_count_post", key, body)


async def _status_of(
    line: CountedLine, batch: Batch, listed: set[str], count: StockCount, path: tuple[str, ...]
) -> str:
    """The status a counted line is in: the one given, else the one the sheet lists for the lot at that
    location, else (found stock) the lot's own. A lot never moved into the count's warehouse is refused."""
    if line.status is not None:
        if line.status not in STATUSES:
            raise ValidationError(f"unknown stock status {line.status!r}", (*path, "status"))
        if not listed and not await _was_in_warehouse(batch.id, count.warehouse_id):
            raise _never_here(batch, path)
        return line.status
    if len(listed) > 1:
        raise ValidationError(
            f"lot {batch.lot_code} is held here in {', '.join(sorted(listed))}: count each status on its "
            "own line (同一批次有多种状态，请分行盘点)",
            (*path, "status"),
        )
    if listed:
        return next(iter(listed))
    if not await _was_in_warehouse(batch.id, count.warehouse_id):
        raise _never_here(batch, path)
    return str(batch.status)


async def _was_in_warehouse(batch_id: int, warehouse_id: int) -> bool:
    return await StockMove.exists(batch_id=batch_id, to_location__warehouse_id=warehouse_id)


def _never_here(batch: Batch, path: tuple[str, ...]) -> ValidationError:
    return ValidationError(
        f"lot {batch.lot_code} never came into this warehouse: receive it or transfer it here instead of "
        "counting it into existence (该批次从未入此仓)",
        (*path, "batchId"),
    )
