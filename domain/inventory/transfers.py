"""Transfers between warehouses: ship into transit, receive at the destination."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common.errors import Conflict, InsufficientStock, NotFound, Shortage, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.inventory import rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Location, Transfer, TransferLine, Warehouse
from domain.inventory.reservations import candidates
from domain.inventory.services import internal_location, transit_location
from domain.trace import recorders


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
