"""Transfers between warehouses: ship into transit, receive at the destination.

A transfer keeps the stock's status: a line that names a lot moves it in the status given (default: the
lot's own), so quarantined stock travels and arrives quarantined; a line without a lot picks available
stock FEFO. At arrival each line takes the lot's stock in transit in the status it has there (a lot
blocked on the way arrives blocked).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common.errors import Conflict, InsufficientStock, NotFound, Shortage, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.inventory import rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, Location, StockQuant, Transfer, TransferLine, Warehouse
from domain.inventory.reservations import candidates
from domain.inventory.services import internal_location, transit_location
from domain.trace import recorders


@dataclass(frozen=True)
class TransferLineInput:
    sku_code: str
    quantity: Decimal
    batch_id: int | None = None  # None: pick FEFO
    status: str | None = None  # with a batch: the stock's status (None: the batch's own); without: available


STATUSES = frozenset(s.value for s in rules.StockStatus)


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
            status, picks = await _picks(sku, src.id, line, today, path)
            for p in picks:
                requests.append(
                    MoveRequest(
                        sku.id,
                        p.batch_id,
                        locations[p.location_id],
                        transit,
                        p.quantity,
                        from_status=status,
                        to_status=status,
                        path=path,
                    )
                )
                await TransferLine.create(
                    transfer=transfer,
                    sku=sku,
                    batch_id=p.batch_id,
                    from_location_id=p.location_id,
                    status=status,
                    quantity=p.quantity,
                )
        await apply_moves(requests, "transfer", transfer.id, posted_at)
        await recorders.record_transfer_ship(transfer)
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
        lines = await TransferLine.filter(transfer_id=transfer.id).order_by("id")
        await lock_skus(ln.sku_id for ln in lines)
        requests: list[MoveRequest] = []
        in_transit = await _in_transit(transit.id, {ln.batch_id for ln in lines})
        for ln in lines:
            for status, qty in _arriving(in_transit, ln.batch_id, str(ln.status), Decimal(ln.quantity)):
                requests.append(
                    MoveRequest(
                        ln.sku_id, ln.batch_id, transit, dest, qty, from_status=status, to_status=status
                    )
                )
        await apply_moves(requests, "transfer", transfer.id, posted_at)
        transfer.status = "received"
        transfer.received_at = posted_at
        await transfer.save(update_fields=["status", "received_at"])
        await recorders.record_transfer_receive(transfer)
        return Posted("transfer", transfer.id, transfer.number or "")

    return await posting("transfer_receive", key, body)


async def _skus_for(lines: list[TransferLineInput]) -> dict[str, Sku]:
    codes = {ln.sku_code for ln in lines}
    skus = {s.code: s for s in await Sku.filter(code__in=codes)}
    for i, ln in enumerate(lines):
        if ln.sku_code not in skus:
            raise NotFound("SKU", ln.sku_code, ("lines", str(i), "skuCode"))
    return skus


async def _picks(
    sku: Sku, warehouse_id: int, line: TransferLineInput, today: date, path: tuple[str, ...]
) -> tuple[str, list[rules.Pick]]:
    """The status a line moves in and the quants it takes: FEFO over available stock without a lot; with
    a lot, its stock in the status given (or the lot's own), location by location."""
    if line.status is not None and line.status not in STATUSES:
        raise ValidationError(f"unknown stock status {line.status!r}", (*path, "status"))
    if line.batch_id is None:
        if line.status not in (None, rules.StockStatus.AVAILABLE):
            raise ValidationError(
                "name the lot to move stock that is not available (非可用库存须指定批次)", (*path, "batchId")
            )
        picks, shortfall = rules.pick_fefo(await candidates(sku.id, warehouse_id), line.quantity, today)
        if shortfall:
            raise InsufficientStock([Shortage(sku.code, line.quantity, line.quantity - shortfall)], path)
        return rules.StockStatus.AVAILABLE, picks
    batch = await Batch.get_or_none(id=line.batch_id, sku_id=sku.id)
    if batch is None:
        raise NotFound("batch", line.batch_id, (*path, "batchId"))
    status = line.status or str(batch.status)
    if status == rules.StockStatus.AVAILABLE:
        picks, shortfall = rules.pick_fefo(
            await candidates(sku.id, warehouse_id, [batch.id]), line.quantity, today
        )
        if shortfall:
            raise InsufficientStock([Shortage(sku.code, line.quantity, line.quantity - shortfall)], path)
        return status, picks
    quants = await StockQuant.filter(
        sku_id=sku.id,
        batch_id=batch.id,
        status=status,
        warehouse_id=warehouse_id,
        quantity__gt=0,
        location__kind=rules.LocationKind.INTERNAL,
    ).order_by("location_id")
    picks, remaining = [], line.quantity
    for q in quants:
        take = min(Decimal(q.quantity) - Decimal(q.reserved), remaining)
        if take > 0:
            picks.append(rules.Pick(q.id, batch.id, q.location_id, take))
            remaining -= take
    if remaining > 0:
        raise InsufficientStock([Shortage(sku.code, line.quantity, line.quantity - remaining)], path)
    return status, picks


async def _in_transit(transit_id: int, batch_ids: set[int]) -> dict[int, dict[str, Decimal]]:
    """Per lot, what the transit location holds of it by status."""
    held: dict[int, dict[str, Decimal]] = {}
    for q in await StockQuant.filter(location_id=transit_id, batch_id__in=batch_ids, quantity__gt=0):
        held.setdefault(q.batch_id, {})[q.status] = Decimal(q.quantity)
    return held


def _arriving(
    held: dict[int, dict[str, Decimal]], batch_id: int, shipped_as: str, quantity: Decimal
) -> list[tuple[str, Decimal]]:
    """The parts of a line's quantity by the status the lot has in transit: the status it was shipped in
    first, then any other (a lot blocked or quarantined on the way arrives so). What transit lacks is asked
    in the shipped status, so the ledger raises InsufficientStock with its figures."""
    have = held.get(batch_id, {})
    parts: list[tuple[str, Decimal]] = []
    remaining = quantity
    for status in [shipped_as, *sorted(set(have) - {shipped_as})]:
        take = min(have.get(status, rules.ZERO), remaining)
        if take > 0:
            parts.append((status, take))
            have[status] -= take
            remaining -= take
    if remaining > 0:
        parts.append((shipped_as, remaining))
    return parts
