"""Purchasing use cases: the purchase order lifecycle."""

from datetime import date, datetime
from typing import Any

from domain.approvals import documents as approval_documents
from domain.approvals import gate as approval_gate
from domain.approvals.rules import DocumentType
from domain.catalog.services import OrderLineInput, resolve_order_lines
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.rows import locked_row
from domain.common.services import Posted, document_number, posting
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.inventory.models import Warehouse
from domain.partners.models import Supplier
from domain.purchasing import rules
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine

Status = rules.OrderStatus


async def purchase_order_create(
    supplier_code: str,
    warehouse_code: str,
    lines: list[OrderLineInput],
    expected_date: date | None = None,
    note: str = "",
    key: str | None = None,
    payment_terms_days: int | None = None,
    custom: dict[str, Any] | None = None,
) -> Posted:
    async def body() -> Posted:
        if payment_terms_days is not None and not 0 <= payment_terms_days <= 3650:
            raise ValidationError("payment terms are 0 to 3650 days", ("paymentTermsDays",))
        values = await custom_fields.checked(Entity.PURCHASE_ORDER, custom)
        supplier = await Supplier.get_or_none(code=supplier_code, active=True)
        if supplier is None:
            raise NotFound("supplier", supplier_code, ("supplierCode",))
        warehouse = await Warehouse.get_or_none(code=warehouse_code, active=True)
        if warehouse is None:
            raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
        resolved = await resolve_order_lines(lines, "purchase_unit")
        order = await PurchaseOrder.create(
            supplier=supplier,
            warehouse=warehouse,
            expected_date=expected_date,
            note=note,
            payment_terms_days=payment_terms_days,
            custom=values,
        )
        order.number = document_number("PO", order.id)
        await order.save(update_fields=["number"])
        await PurchaseOrderLine.bulk_create(
            [
                PurchaseOrderLine(
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
        return Posted("purchase_order", order.id, order.number)

    return await posting("purchase_order_create", key, body)


_PARTIES = (("supplier", Supplier), ("warehouse", Warehouse))


async def locked_order(order_id: int, *, parties: bool = False) -> PurchaseOrder:
    """The order, its row locked (PostgreSQL) until the transaction ends; shared by receipts and returns.

    ``parties``: the supplier and warehouse come with it in the same query (``order.supplier``,
    ``order.warehouse``), for a posting whose trace event names them (issue 15: two statements fewer).
    """
    if is_postgres():
        # Hand-written (issue 15): every posting against an order starts here; the OF lock and the joined
        # rows are those of the ORM path's select_for_update(of=…) with select_related (``rows.locked_row``).
        order = await locked_row(PurchaseOrder, order_id, *(_PARTIES if parties else ()))
    else:
        query = PurchaseOrder.filter(id=order_id)
        if parties:
            query = query.select_related("supplier", "warehouse")
        order = await query.first()
    if order is None:
        raise NotFound("purchase order", order_id, ("orderId",))
    return order


async def _transition(order_id: int, allowed: set[Status], to: Status, now: datetime | None = None) -> Posted:
    order = await locked_order(order_id)
    if order.status not in allowed:
        raise Conflict(f"purchase order {order.number} is {order.status}, cannot become {to}", ("orderId",))
    order.status = to
    fields = ["status"]
    if to == Status.CONFIRMED:
        order.confirmed_at = now
        fields.append("confirmed_at")
    await order.save(update_fields=fields)
    return Posted("purchase_order", order.id, order.number or "")


async def purchase_order_confirm(
    order_id: int, now: datetime, key: str | None = None, requested_by_id: int | None = None
) -> Posted:
    """Confirms a draft order, once the approval rules for purchase orders that its facts match are approved
    (``ApprovalRequired`` otherwise: the first attempt opens the request, asked by ``requested_by_id``)."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        if order.status == Status.DRAFT:
            await approval_gate.gate(
                DocumentType.PURCHASE_ORDER,
                order.id,
                lambda: approval_documents.purchase_order_facts(order),
                now,
            )
        return await _transition(order_id, {Status.DRAFT}, Status.CONFIRMED, now)

    return await approval_gate.guarded(
        lambda: posting("purchase_order_confirm", key, body), requested_by_id, now
    )


async def purchase_order_confirm_or_wait(
    order_id: int, now: datetime, requested_by_id: int | None
) -> int | None:
    """Inside the caller's transaction: confirms the draft order, or leaves it a draft waiting for approval
    and returns its pending request's id (the request is stored with the caller's work)."""
    order = await locked_order(order_id)
    waiting = await approval_gate.gate_or_request(
        DocumentType.PURCHASE_ORDER,
        order.id,
        lambda: approval_documents.purchase_order_facts(order),
        requested_by_id,
        now,
    )
    if waiting is None:
        await _transition(order_id, {Status.DRAFT}, Status.CONFIRMED, now)
    return waiting


async def purchase_order_cancel(order_id: int, key: str | None = None) -> Posted:
    # Once goods arrived the order is closed, not cancelled: the receipt stays part of its history.
    return await posting(
        "purchase_order_cancel",
        key,
        lambda: _transition(order_id, {Status.DRAFT, Status.CONFIRMED}, Status.CANCELLED),
    )


async def purchase_order_close(order_id: int, key: str | None = None) -> Posted:
    return await posting(
        "purchase_order_close",
        key,
        lambda: _transition(order_id, {Status.PARTIALLY_RECEIVED, Status.RECEIVED}, Status.CLOSED),
    )
