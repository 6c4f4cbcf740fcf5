"""Customer returns: goods taken back into quarantine at the cost they left with."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import services as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.services import internal_location, virtual_location
from domain.sales.models import CustomerReturn, CustomerReturnLine, SalesOrderLine, ShipmentLine
from domain.sales.services import locked_order
from domain.trace import recording


@dataclass(frozen=True)
class CustomerReturnLineInput:
    order_line_id: int
    batch_id: int
    location_code: str
    quantity: Decimal  # base units


async def customer_return_post(
    order_id: int,
    lines: list[CustomerReturnLineInput],
    returned_at: datetime,
    reason: str = "",
    key: str | None = None,
) -> Posted:
    """Takes goods back into quarantine, never straight to available stock, at the cost they left with."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        if not lines:
            raise ValidationError("a return needs at least one line", ("lines",))
        order_lines = {ln.id: ln for ln in await SalesOrderLine.filter(order_id=order.id)}
        await lock_skus(ln.sku_id for ln in order_lines.values())
        shipped: dict[tuple[int, int], tuple[Decimal, Decimal]] = defaultdict(
            lambda: (Decimal(0), Decimal(0))
        )
        for sl in await ShipmentLine.filter(order_line_id__in=list(order_lines)):
            q, v = shipped[(sl.order_line_id, sl.batch_id)]
            shipped[(sl.order_line_id, sl.batch_id)] = (
                q + sl.quantity_base,
                v + sl.quantity_base * sl.unit_cost,
            )
        returned: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for rl in await CustomerReturnLine.filter(order_line_id__in=list(order_lines)):
            returned[(rl.order_line_id, rl.batch_id)] += rl.quantity_base
        ret = await CustomerReturn.create(order=order, reason=reason, returned_at=returned_at)
        ret.number = document_number("RC", ret.id)
        await ret.save(update_fields=["number"])
        customer_location = await virtual_location(stock_rules.LocationKind.CUSTOMER)
        requests: list[MoveRequest] = []
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            ol = order_lines.get(line.order_line_id)
            if ol is None:
                raise NotFound("sales order line", line.order_line_id, (*path, "orderLineId"))
            stock_rules.require_positive(line.quantity, (*path, "quantity"))
            k = (ol.id, line.batch_id)
            out_qty, out_value = shipped[k]
            if line.quantity + returned[k] > out_qty:
                raise ValidationError(
                    f"only {out_qty - returned[k]} of this batch was shipped on this line and not returned",
                    (*path, "quantity"),
                )
            returned[k] += line.quantity
            location = await internal_location(
                line.location_code, order.warehouse_id, (*path, "locationCode")
            )
            cost = stock_rules.quantize_cost(out_value / out_qty)
            requests.append(
                MoveRequest(
                    ol.sku_id,
                    line.batch_id,
                    customer_location,
                    location,
                    line.quantity,
                    to_status=stock_rules.StockStatus.QUARANTINE,
                    unit_cost=cost,
                    path=path,
                )
            )
            await CustomerReturnLine.create(
                customer_return=ret,
                order_line=ol,
                batch_id=line.batch_id,
                location=location,
                quantity_base=line.quantity,
                unit_cost=cost,
            )
            await SalesOrderLine.filter(id=ol.id).update(returned_base=ol.returned_base + line.quantity)
            ol.returned_base += line.quantity
        await apply_moves(requests, "customer_return", ret.id, returned_at)
        await recording.record_customer_return(ret)
        await finance.book_customer_return(ret.id, posted_at=returned_at)
        return Posted("customer_return", ret.id, ret.number)

    return await posting("customer_return_post", key, body)
