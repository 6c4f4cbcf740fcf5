"""The stock ledger: appends moves and keeps on-hand and valuation in step, inside the caller's transaction.

Locking: every posting first locks the valuation rows of the SKUs it touches, in SKU id order
(``SELECT … FOR UPDATE``). All quant changes of a SKU happen under that lock, so postings of the same
SKU serialise, postings of different SKUs run in parallel, and a fixed order means no deadlock.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.expressions import F

from lotline.db import is_postgres
from lotline.domain.catalog.models import Sku
from lotline.domain.common.errors import InsufficientStock, Shortage, ValidationError
from lotline.domain.inventory import rules
from lotline.domain.inventory.models import Location, SkuValuation, StockMove, StockQuant


@dataclass(frozen=True)
class MoveRequest:
    sku_id: int
    batch_id: int
    from_location: Location
    to_location: Location
    quantity: Decimal
    from_status: str = rules.StockStatus.AVAILABLE
    to_status: str = rules.StockStatus.AVAILABLE
    unit_cost: Decimal | None = None  # required when stock enters from outside (receipt, gain)
    reserved_release: Decimal = rules.ZERO  # part of the source quant's reservation this move consumes
    path: tuple[str, ...] = ()


def owned(location: Location) -> bool:
    return location.kind in rules.OWNED_KINDS


async def lock_skus(sku_ids: Iterable[int]) -> dict[int, SkuValuation]:
    ids = sorted(set(sku_ids))
    query = SkuValuation.filter(sku_id__in=ids).order_by("sku_id")
    if is_postgres():
        query = query.select_for_update()
    rows = {v.sku_id: v for v in await query}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise ValidationError(f"SKU ids {missing} have no valuation row", ("skuId",))
    return rows


async def _quant(req: MoveRequest, location: Location, status: str, create: bool) -> StockQuant | None:
    quant = await StockQuant.get_or_none(
        sku_id=req.sku_id, location_id=location.id, batch_id=req.batch_id, status=status
    )
    if quant is None and create:
        assert location.warehouse_id is not None, "owned locations belong to a warehouse"
        quant = await StockQuant.create(
            sku_id=req.sku_id,
            location_id=location.id,
            warehouse_id=location.warehouse_id,
            batch_id=req.batch_id,
            status=status,
        )
    return quant


async def apply_moves(
    requests: Sequence[MoveRequest], doc_type: str, doc_id: int, posted_at: datetime
) -> list[StockMove]:
    """Appends one ledger line per request. Call inside a transaction; raises before writing anything
    the caller would have to undo only if the transaction is rolled back, which ``posting`` does."""
    valuations = await lock_skus(r.sku_id for r in requests)
    moves: list[StockMove] = []
    for req in requests:
        rules.require_positive(req.quantity, (*req.path, "quantity"))
        for loc in (req.from_location, req.to_location):
            if loc.frozen:
                raise ValidationError(
                    f"location {loc.code} is frozen by a stock count", (*req.path, "location")
                )
        v = valuations[req.sku_id]
        current = rules.Valuation(Decimal(v.quantity), Decimal(v.value))
        if owned(req.from_location):
            source = await _quant(req, req.from_location, req.from_status, create=False)
            free = (source.quantity - source.reserved + req.reserved_release) if source else rules.ZERO
            if source is None or free < req.quantity:
                sku = await Sku.get(id=req.sku_id)
                raise InsufficientStock([Shortage(sku.code, req.quantity, max(free, rules.ZERO))], req.path)
            await StockQuant.filter(id=source.id).update(
                quantity=F("quantity") - req.quantity, reserved=F("reserved") - req.reserved_release
            )
        if owned(req.to_location):
            target = await _quant(req, req.to_location, req.to_status, create=True)
            assert target is not None
            await StockQuant.filter(id=target.id).update(quantity=F("quantity") + req.quantity)

        if not owned(req.from_location) and owned(req.to_location):
            if req.unit_cost is None or req.unit_cost < 0:
                raise ValidationError(
                    "incoming stock needs a unit cost of zero or more", (*req.path, "unitCost")
                )
            current, value = rules.value_in(current, req.quantity, req.unit_cost)
            unit_cost = req.unit_cost
        elif owned(req.from_location) and not owned(req.to_location):
            current, value = rules.value_out(current, req.quantity)
            unit_cost = rules.quantize_cost(value / req.quantity)
        else:  # inside the company (or a pass-through): informational value at the average cost
            unit_cost = current.average_cost
            value = rules.quantize_cost(req.quantity * unit_cost)
        v.quantity, v.value, v.average_cost = current.quantity, current.value, current.average_cost
        moves.append(
            StockMove(
                sku_id=req.sku_id,
                batch_id=req.batch_id,
                from_location_id=req.from_location.id,
                to_location_id=req.to_location.id,
                from_status=req.from_status,
                to_status=req.to_status,
                quantity=req.quantity,
                unit_cost=unit_cost,
                value=value,
                doc_type=doc_type,
                doc_id=doc_id,
                posted_at=posted_at,
            )
        )
    await StockMove.bulk_create(moves)
    for v in valuations.values():
        await SkuValuation.filter(sku_id=v.sku_id).update(
            quantity=v.quantity, value=v.value, average_cost=v.average_cost
        )
    return moves
