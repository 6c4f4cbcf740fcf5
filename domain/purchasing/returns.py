"""Returns to supplier: sending received goods back against a purchase order."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import services as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, Location, StockQuant
from domain.inventory.services import internal_location, virtual_location
from domain.purchasing.models import PurchaseOrderLine, SupplierReturn, SupplierReturnLine
from domain.purchasing.services import Status, locked_order
from domain.trace import recording


@dataclass(frozen=True)
class ReturnLineInput:
    order_line_id: int
    batch_id: int
    location_code: str
    quantity: Decimal  # base units


async def supplier_return_post(
    order_id: int,
    lines: list[ReturnLineInput],
    returned_at: datetime,
    reason: str = "",
    key: str | None = None,
) -> Posted:
    """Sends received goods back, including rejected or quarantined stock (what returns are for)."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        if order.status in (Status.DRAFT, Status.CANCELLED, Status.CONFIRMED):
            raise Conflict(f"purchase order {order.number} has nothing received to return", ("orderId",))
        if not lines:
            raise ValidationError("a return needs at least one line", ("lines",))
        order_lines = {ln.id: ln for ln in await PurchaseOrderLine.filter(order_id=order.id)}
        await lock_skus(ln.sku_id for ln in order_lines.values())
        ret = await SupplierReturn.create(order=order, reason=reason, returned_at=returned_at)
        ret.number = document_number("RS", ret.id)
        await ret.save(update_fields=["number"])
        supplier_location = await virtual_location(stock_rules.LocationKind.SUPPLIER)
        requests: list[MoveRequest] = []
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            ol = order_lines.get(line.order_line_id)
            if ol is None:
                raise NotFound("purchase order line", line.order_line_id, (*path, "orderLineId"))
            stock_rules.require_positive(line.quantity, (*path, "quantity"))
            returnable = ol.received_base - ol.returned_base
            if line.quantity > returnable:
                raise ValidationError(
                    f"returning {line.quantity} exceeds the {returnable} still returnable",
                    (*path, "quantity"),
                )
            batch = await Batch.get_or_none(id=line.batch_id, sku_id=ol.sku_id)
            if batch is None:
                raise NotFound("batch", line.batch_id, (*path, "batchId"))
            location = await internal_location(
                line.location_code, order.warehouse_id, (*path, "locationCode")
            )
            status = await _returnable_status(ol.sku_id, location, batch.id, line.quantity)
            requests.append(
                MoveRequest(
                    ol.sku_id,
                    batch.id,
                    location,
                    supplier_location,
                    line.quantity,
                    from_status=status,
                    path=path,
                )
            )
            ol.returned_base += line.quantity
        moves = await apply_moves(requests, "supplier_return", ret.id, returned_at)
        await recording.record_supplier_return(ret)
        for line, move in zip(lines, moves, strict=True):
            ol = order_lines[line.order_line_id]
            await SupplierReturnLine.create(
                supplier_return=ret,
                order_line=ol,
                batch_id=line.batch_id,
                location_id=move.from_location_id,
                quantity_base=line.quantity,
                unit_cost=move.unit_cost,
            )
        for ol in order_lines.values():
            await PurchaseOrderLine.filter(id=ol.id).update(returned_base=ol.returned_base)
        await finance.book_supplier_return(ret.id, moves, returned_at)
        return Posted("supplier_return", ret.id, ret.number)

    return await posting("supplier_return_post", key, body)


async def _returnable_status(sku_id: int, location: Location, batch_id: int, quantity: Decimal) -> str:
    """Returns take rejected stock first, then quarantined, then available: the bad goods go back first."""
    order = [
        stock_rules.StockStatus.REJECTED,
        stock_rules.StockStatus.QUARANTINE,
        stock_rules.StockStatus.BLOCKED,
        stock_rules.StockStatus.EXPIRED,
        stock_rules.StockStatus.AVAILABLE,
    ]
    quants = {
        q.status: q
        for q in await StockQuant.filter(sku_id=sku_id, location_id=location.id, batch_id=batch_id)
    }
    for status in order:
        q = quants.get(status)
        if q is not None and q.quantity - q.reserved >= quantity:
            return status
    return stock_rules.StockStatus.AVAILABLE  # the ledger raises InsufficientStock with the real figures
