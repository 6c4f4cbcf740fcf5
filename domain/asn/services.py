"""Supplier collaboration use cases: acknowledging a purchase order per line, announcing a delivery (ASN),
cancelling an ASN. One use case, one transaction (``posting``), idempotent under a client key.

``supplier_id`` is the caller's scope: a supplier user passes its own supplier and reaches nothing else (an
order of another supplier is ``NotFound``, so its existence does not leak); staff pass ``None``.
"""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.asn import rules
from domain.asn.models import AdvanceShippingNotice, Arrival, AsnLine, PurchaseOrderLineAck
from domain.catalog.models import Sku
from domain.common import business_time
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.purchasing import rules as purchasing_rules
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine
from domain.purchasing.services import locked_order
from domain.quality import rules as quality_rules


async def scoped_order(order_id: int, supplier_id: int | None, *, lock: bool = False) -> PurchaseOrder:
    """The order if the caller may reach it, else ``NotFound`` (the same answer as a missing order)."""
    order = await locked_order(order_id) if lock else await PurchaseOrder.get_or_none(id=order_id)
    if order is None or (supplier_id is not None and order.supplier_id != supplier_id):
        raise NotFound("purchase order", order_id, ("orderId",))
    return order


async def scoped_asn(asn_id: int, supplier_id: int | None) -> AdvanceShippingNotice:
    asn = await AdvanceShippingNotice.get_or_none(id=asn_id)
    if asn is None or (supplier_id is not None and asn.supplier_id != supplier_id):
        raise NotFound("advance shipping notice", asn_id, ("asnId",))
    return asn


async def purchase_order_acknowledge(
    order_id: int,
    lines: Sequence[rules.AckLine],
    now: datetime,
    *,
    supplier_id: int | None,
    by_user_id: int | None = None,
    key: str | None = None,
) -> Posted:
    """Records the supplier's word on each given line: accepted with a promised date and quantity (in the
    line's unit), or declined. Earlier acknowledgements stay as history; the latest counts."""

    async def body() -> Posted:
        order = await scoped_order(order_id, supplier_id, lock=True)
        rules.check_order_open(order.status, order.number or "")
        ordered = {ln.id: Decimal(ln.quantity) for ln in await PurchaseOrderLine.filter(order_id=order.id)}
        checked = rules.check_ack_lines(lines, ordered, now.astimezone(business_time.zone()).date())
        await PurchaseOrderLineAck.bulk_create(
            [
                PurchaseOrderLineAck(
                    order_id=order.id,
                    order_line_id=ln.order_line_id,
                    decision=ln.decision,
                    promised_date=ln.promised_date,
                    promised_quantity=ln.promised_quantity,
                    note=ln.note,
                    acknowledged_at=now,
                    acknowledged_by_id=by_user_id,
                )
                for ln in checked
            ]
        )
        return Posted("purchase_order", order.id, order.number or "")

    return await posting("purchase_order_acknowledge", key, body)


async def asn_create(
    order_id: int,
    expected_arrival: datetime,
    lines: Sequence[rules.AsnLineInput],
    now: datetime,
    *,
    supplier_id: int | None,
    sensor_readings: Sequence[quality_rules.SensorReadingInput] = (),
    note: str = "",
    by_user_id: int | None = None,
    key: str | None = None,
    tolerance: Decimal = purchasing_rules.DEFAULT_OVER_RECEIPT_TOLERANCE,
    custom: dict[str, Any] | None = None,
) -> Posted:
    """Announces a delivery of lots against the order's lines; the receiving side posts the receipt from it
    (``receiving.goods_receipt_post_from_asn``). Quantities are in each order line's unit and, with the other
    open ASNs of the order, stay within what is still open plus the over-receipt tolerance."""

    async def body() -> Posted:
        values = await custom_fields.checked(Entity.ASN, custom)
        order = await scoped_order(order_id, supplier_id, lock=True)
        rules.check_order_open(order.status, order.number or "")
        quality_rules.check_readings(sensor_readings)
        if len(note) > rules.MAX_NOTE:
            raise ValidationError(f"a note has at most {rules.MAX_NOTE} characters", ("note",))
        order_lines = {ln.id: ln for ln in await PurchaseOrderLine.filter(order_id=order.id)}
        announced = await AsnLine.filter(
            asn__order_id=order.id, asn__status=rules.AsnStatus.OPEN
        ).values_list("order_line_id", "quantity")
        pending: dict[int, Decimal] = {}
        for line_id, qty in announced:
            pending[line_id] = pending.get(line_id, Decimal(0)) + Decimal(qty)
        open_quantity = {
            ln.id: max(
                Decimal(ln.quantity)
                - Decimal(ln.received_base) / Decimal(ln.unit_factor)
                - pending.get(ln.id, 0),
                Decimal(0),
            )
            for ln in order_lines.values()
        }
        rules.check_asn_lines(
            lines, open_quantity, tolerance, expected_arrival, now.astimezone(business_time.zone())
        )
        skus = {s.id: s for s in await Sku.filter(id__in={ln.sku_id for ln in order_lines.values()})}
        for i, line in enumerate(lines):
            sku = skus[order_lines[line.order_line_id].sku_id]
            if sku.shelf_life_days and line.expiry_date is None and line.production_date is None:
                raise ValidationError(
                    "this product has a shelf life: give an expiry date or a production date",
                    ("lines", str(i), "expiryDate"),
                )
        asn = await AdvanceShippingNotice.create(
            order_id=order.id,
            supplier_id=order.supplier_id,
            expected_arrival=expected_arrival,
            note=note,
            sensor_readings=[_reading_json(r) for r in sensor_readings],
            created_at=now,
            created_by_id=by_user_id,
            custom=values,
        )
        asn.number = document_number("ASN", asn.id)
        await asn.save(update_fields=["number"])
        await AsnLine.bulk_create(
            [
                AsnLine(
                    asn_id=asn.id,
                    order_line_id=ln.order_line_id,
                    lot_code=ln.lot_code.strip(),
                    quantity=ln.quantity,
                    production_date=ln.production_date,
                    expiry_date=ln.expiry_date,
                    best_before_date=ln.best_before_date,
                )
                for ln in lines
            ]
        )
        return Posted("advance_shipping_notice", asn.id, asn.number)

    return await posting("asn_create", key, body)


def _reading_json(r: quality_rules.SensorReadingInput) -> dict[str, str | None]:
    data = asdict(r)
    return {
        "kind": data["kind"],
        "value": str(data["value"]),
        "time": data["time"].isoformat() if data["time"] else None,
        "device_id": data["device_id"],
    }


def readings_of(asn: AdvanceShippingNotice) -> list[quality_rules.SensorReadingInput]:
    return [
        quality_rules.SensorReadingInput(
            r["kind"],
            Decimal(r["value"]),
            datetime.fromisoformat(r["time"]) if r["time"] else None,
            r["device_id"],
        )
        for r in asn.sensor_readings
    ]


async def asn_cancel(
    asn_id: int,
    now: datetime,
    *,
    supplier_id: int | None,
    reason: str = "",
    by_user_id: int | None = None,
    key: str | None = None,
) -> Posted:
    """Cancels an open ASN (before receipt; not once the truck was registered at the gate): the notice
    keeps who, when and why, its quantities are free for another ASN, and the receiving side no longer
    offers it (receiving or registering the arrival of a cancelled ASN is ``Conflict``)."""

    async def body() -> Posted:
        await scoped_asn(asn_id, supplier_id)  # NotFound out of scope, before taking any lock
        asn = await locked_asn(asn_id)
        if asn.status != rules.AsnStatus.OPEN:
            raise Conflict(f"{asn.number} is {asn.status}: it cannot be cancelled", ("asnId",))
        if await Arrival.exists(asn_id=asn.id):
            raise Conflict(f"{asn.number} has arrived at the gate: receive it instead", ("asnId",))
        if len(reason) > rules.MAX_NOTE:
            raise ValidationError(f"a reason has at most {rules.MAX_NOTE} characters", ("reason",))
        asn.status = rules.AsnStatus.CANCELLED
        asn.cancelled_at = now
        asn.cancelled_by_id = by_user_id
        asn.cancel_reason = reason.strip()
        await asn.save(update_fields=["status", "cancelled_at", "cancelled_by_id", "cancel_reason"])
        return Posted("advance_shipping_notice", asn.id, asn.number or "")

    return await posting("asn_cancel", key, body)


async def locked_asn(asn_id: int) -> AdvanceShippingNotice:
    """The ASN row locked for this transaction (PostgreSQL), so a cancel and a receipt cannot both win."""
    query = AdvanceShippingNotice.filter(id=asn_id)
    if is_postgres():
        query = query.select_for_update()
    asn = await query.first()
    if asn is None:
        raise NotFound("advance shipping notice", asn_id, ("asnId",))
    return asn
