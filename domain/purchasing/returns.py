"""Returns to supplier: sending received goods back against a purchase order.

A return line names the order line and the lot: the lot must have arrived on that order line (a receipt
line of it), and no more of it goes back than arrived there and has not gone back yet; otherwise the trace
event would say that a lot went back to a supplier it never came from. The stock leaves in whatever status
it is in (rejected first, then quarantined, blocked, expired, available: the bad goods go back first).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import postings as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, Location, StockQuant
from domain.inventory.services import internal_location, virtual_location
from domain.purchasing.models import (
    GoodsReceiptLine,
    PurchaseOrderLine,
    SupplierReturn,
    SupplierReturnLine,
)
from domain.purchasing.services import Status, locked_order
from domain.trace import recorders


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
        left = await _returnable_lots(list(order_lines))
        ret = await SupplierReturn.create(order=order, reason=reason, returned_at=returned_at)
        ret.number = document_number("RS", ret.id)
        await ret.save(update_fields=["number"])
        supplier_location = await virtual_location(stock_rules.LocationKind.SUPPLIER)
        requests: list[MoveRequest] = []
        taken: list[tuple[ReturnLineInput, Decimal]] = []  # one per request: the line and its part
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
            lot_left = left.get((ol.id, batch.id))
            if lot_left is None:
                raise ValidationError(
                    f"lot {batch.lot_code} did not arrive on this order line: it cannot go back on it "
                    "(该批次不是此采购行收货的)",
                    (*path, "batchId"),
                )
            if line.quantity > lot_left:
                raise ValidationError(
                    f"returning {line.quantity} of lot {batch.lot_code} exceeds the {lot_left} of it "
                    "received on this order line and not yet returned",
                    (*path, "quantity"),
                )
            left[(ol.id, batch.id)] = lot_left - line.quantity
            location = await internal_location(
                line.location_code, order.warehouse_id, (*path, "locationCode")
            )
            for status, qty in await _returnable_statuses(ol.sku_id, location, batch.id, line.quantity):
                requests.append(
                    MoveRequest(
                        ol.sku_id,
                        batch.id,
                        location,
                        supplier_location,
                        qty,
                        from_status=status,
                        path=path,
                    )
                )
                taken.append((line, qty))
            ol.returned_base += line.quantity
        moves = await apply_moves(requests, "supplier_return", ret.id, returned_at)
        await recorders.record_supplier_return(ret)
        for (line, qty), move in zip(taken, moves, strict=True):
            ol = order_lines[line.order_line_id]
            await SupplierReturnLine.create(
                supplier_return=ret,
                order_line=ol,
                batch_id=line.batch_id,
                location_id=move.from_location_id,
                quantity_base=qty,
                unit_cost=move.unit_cost,
            )
        for ol in order_lines.values():
            await PurchaseOrderLine.filter(id=ol.id).update(returned_base=ol.returned_base)
        await finance.book_supplier_return(ret.id, moves, returned_at)
        return Posted("supplier_return", ret.id, ret.number)

    return await posting("supplier_return_post", key, body)


async def _returnable_lots(order_line_ids: list[int]) -> dict[tuple[int, int], Decimal]:
    """Per (order line, lot) that arrived on it: what arrived and has not gone back yet (base units)."""
    left: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for ol_id, batch_id, qty in await GoodsReceiptLine.filter(order_line_id__in=order_line_ids).values_list(
        "order_line_id", "batch_id", "quantity_base"
    ):
        left[(ol_id, batch_id)] += Decimal(qty)
    for ol_id, batch_id, qty in await SupplierReturnLine.filter(order_line_id__in=order_line_ids).values_list(
        "order_line_id", "batch_id", "quantity_base"
    ):
        left[(ol_id, batch_id)] -= Decimal(qty)
    return dict(left)


_RETURN_ORDER = (
    stock_rules.StockStatus.REJECTED,
    stock_rules.StockStatus.QUARANTINE,
    stock_rules.StockStatus.BLOCKED,
    stock_rules.StockStatus.EXPIRED,
    stock_rules.StockStatus.AVAILABLE,
)


async def _returnable_statuses(
    sku_id: int, location: Location, batch_id: int, quantity: Decimal
) -> list[tuple[str, Decimal]]:
    """The parts of ``quantity`` by the status they leave from: rejected stock first, then quarantined,
    blocked, expired, available (the bad goods go back first), each in the status it has. What the
    location lacks is asked of available stock, so the ledger raises InsufficientStock with its figures."""
    quants = {
        q.status: q
        for q in await StockQuant.filter(sku_id=sku_id, location_id=location.id, batch_id=batch_id)
    }
    parts: list[tuple[str, Decimal]] = []
    remaining = quantity
    for status in _RETURN_ORDER:
        q = quants.get(status)
        free = Decimal(q.quantity) - Decimal(q.reserved) if q is not None else stock_rules.ZERO
        take = min(free, remaining)
        if take > 0 and status != stock_rules.StockStatus.AVAILABLE:
            parts.append((status, take))
            remaining -= take
    if remaining > 0:
        parts.append((stock_rules.StockStatus.AVAILABLE, remaining))
    return parts
