"""Sales use cases: the sales order lifecycle with reservations."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.catalog.services import OrderLineInput, resolve_order_lines
from domain.channels.models import SalesChannel
from domain.common import business_time
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.rows import locked_row
from domain.common.services import Posted, document_number, posting
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import lock_skus
from domain.inventory.models import Warehouse
from domain.inventory.reservations import reserve, unreserve
from domain.partners.models import Customer
from domain.sales import rules
from domain.sales.models import SalesOrder, SalesOrderLine

Status = rules.OrderStatus
LINE = "sales_order_line"


async def sales_order_create(
    customer_code: str,
    warehouse_code: str,
    lines: list[OrderLineInput],
    requested_date: date | None = None,
    note: str = "",
    key: str | None = None,
    channel_code: str | None = None,
    custom: dict[str, Any] | None = None,
) -> Posted:
    """A draft sales order; ``channel_code`` names the sales channel it came through (of that warehouse)."""

    async def body() -> Posted:
        values = await custom_fields.checked(Entity.SALES_ORDER, custom)
        customer = await Customer.get_or_none(code=customer_code, active=True)
        if customer is None:
            raise NotFound("customer", customer_code, ("customerCode",))
        warehouse = await Warehouse.get_or_none(code=warehouse_code, active=True)
        if warehouse is None:
            raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
        channel_id = None
        if channel_code is not None:
            channel = await SalesChannel.get_or_none(code=channel_code, active=True)
            if channel is None:
                raise NotFound("sales channel", channel_code, ("channelCode",))
            if channel.warehouse_id != warehouse.id:
                raise ValidationError(
                    f"channel {channel_code} sells from another warehouse than {warehouse_code}",
                    ("channelCode",),
                )
            channel_id = channel.id
        resolved = await resolve_order_lines(lines, "sales_unit")
        order = await SalesOrder.create(
            customer=customer,
            warehouse=warehouse,
            requested_date=requested_date,
            note=note,
            custom=values,
            channel_id=channel_id,
        )
        order.number = document_number("SO", order.id)
        await order.save(update_fields=["number"])
        await SalesOrderLine.bulk_create(
            [
                SalesOrderLine(
                    order=order,
                    sku=r.sku,
                    unit=r.unit,
                    quantity=r.quantity,
                    unit_factor=r.factor,
                    unit_price=r.unit_price,
                )
                for r in resolved
            ]
        )
        return Posted("sales_order", order.id, order.number)

    return await posting("sales_order_create", key, body)


_PARTIES = (("customer", Customer), ("warehouse", Warehouse))


async def locked_order(order_id: int, *, parties: bool = False) -> SalesOrder:
    """The order, its row locked (PostgreSQL) until the transaction ends; shared by shipments and returns.

    ``parties``: the customer and warehouse come with it in the same query (``order.customer``,
    ``order.warehouse``), for a posting whose trace event names them (issue 15: two statements fewer).
    """
    if is_postgres():
        # Hand-written (issue 15): every posting against an order starts here; the OF lock and the joined
        # rows are those of the ORM path's select_for_update(of=…) with select_related (``rows.locked_row``).
        order = await locked_row(SalesOrder, order_id, *(_PARTIES if parties else ()))
    else:
        query = SalesOrder.filter(id=order_id)
        if parties:
            query = query.select_related("customer", "warehouse")
        order = await query.first()
    if order is None:
        raise NotFound("sales order", order_id, ("orderId",))
    return order


def ordered_base(line: SalesOrderLine) -> Decimal:
    """What the line ordered, in base units."""
    return stock_rules.to_base(line.quantity, line.unit_factor)


async def sales_order_confirm(order_id: int, now: datetime, key: str | None = None) -> Posted:
    """Confirms and reserves FEFO what is available now; a shortfall stays open as a backorder."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        if order.status != Status.DRAFT:
            raise Conflict(
                f"sales order {order.number} is {order.status}, only drafts are confirmed", ("orderId",)
            )
        lines = await SalesOrderLine.filter(order_id=order.id).order_by("id")
        await lock_skus(ln.sku_id for ln in lines)
        for ln in lines:
            await reserve(
                LINE,
                ln.id,
                ln.sku_id,
                order.warehouse_id,
                ordered_base(ln),
                business_time.business_today(now),
            )
        order.status = Status.CONFIRMED
        order.confirmed_at = now
        await order.save(update_fields=["status", "confirmed_at"])
        return Posted("sales_order", order.id, order.number or "")

    return await posting("sales_order_confirm", key, body)


async def _end(order_id: int, allowed: set[Status], to: Status) -> Posted:
    order = await locked_order(order_id)
    if order.status not in allowed:
        raise Conflict(f"sales order {order.number} is {order.status}, cannot become {to}", ("orderId",))
    lines = await SalesOrderLine.filter(order_id=order.id)
    await lock_skus(ln.sku_id for ln in lines)
    for ln in lines:
        await unreserve(LINE, ln.id)
    order.status = to
    await order.save(update_fields=["status"])
    return Posted("sales_order", order.id, order.number or "")


async def sales_order_cancel(order_id: int, key: str | None = None) -> Posted:
    return await posting(
        "sales_order_cancel", key, lambda: _end(order_id, {Status.DRAFT, Status.CONFIRMED}, Status.CANCELLED)
    )


async def sales_order_close(order_id: int, key: str | None = None) -> Posted:
    """Closes an order with what was shipped; the rest is released to other orders."""
    return await posting(
        "sales_order_close",
        key,
        lambda: _end(order_id, {Status.PARTIALLY_SHIPPED, Status.SHIPPED}, Status.CLOSED),
    )
