"""Receive, count and move by scans: what a handheld's ``receive``, ``count`` and ``move`` operations do.

Each checks the scan with the edge rules (``rules.evaluate``, the user's zones included) exactly as the
device did offline, then posts through the inventory's own services: a receive is a goods receipt against
a purchase-order (or ASN) line, a count adds to a count sheet line (posted later as one stock count), a
move is one ledger move between two bins of the device's warehouse. Called inside the operation's
transaction by ``sync``; a refusal raises (``errors.EdgeRefused``, ``errors.OutOfZone``, ``NotFound`` …)
and the operation waits in the exceptions queue.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.asn import receiving as asn_receiving
from domain.asn.models import AsnLine
from domain.common import business_time
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted
from domain.devices import errors, rules
from domain.devices.models import Device
from domain.inventory import counts
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves
from domain.inventory.models import Batch, Location, StockCount, StockCountLine, StockCountLocation
from domain.purchasing import receipts
from domain.purchasing.models import PurchaseOrderLine
from domain.trace import recorders

MOVE_DOC = "bin_move"  # a ledger move's document: the device operation that made it


def text(p: dict[str, Any], name: str) -> str:
    return str(p.get(name) or "").strip()


def decimal(value: Any, name: str) -> Decimal:
    """A finite decimal from a payload value (string or number), else ``ValidationError`` on ``name``."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{name} is not a decimal number", (name,)) from None
    if not d.is_finite():
        raise ValidationError(f"{name} must be finite", (name,))
    return d


def integer(value: Any, name: str) -> int:
    """A whole number from a payload value (an id), else ``ValidationError`` on ``name``."""
    d = decimal(value, name)
    if d != d.to_integral_value() or not -(2**31) <= d < 2**31:  # ids are int4 columns
        raise ValidationError(f"{name} is not an id", (name,))
    return int(d)


def _date(p: dict[str, Any], name: str) -> date | None:
    raw = text(p, name)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError(f"{name} is not an ISO date", (name,)) from None


async def bin_of(device: Device, code: str, name: str = "binCode") -> Location:
    """An internal bin of the device's warehouse by its code (another warehouse's bin is not found)."""
    loc = await Location.get_or_none(code=code, warehouse_id=device.warehouse_id, kind="internal")
    if loc is None:
        raise NotFound("bin", code, (name,))
    return loc


async def lots_in(location_id: int, sku_id: int) -> tuple[str, ...]:
    rows = await Batch.filter(
        quants__location_id=location_id, quants__quantity__gt=0, sku_id=sku_id
    ).distinct()
    return tuple(sorted(b.lot_code for b in rows))


async def receive(device: Device, p: dict[str, Any], at: datetime, *, zones: tuple[str, ...]) -> None:
    """Receives one PO line (``orderLineId``) or ASN line (``asnLineId``): ``lotCode``, ``quantity`` in
    the order line's unit (or ``unit``), ``binCode``, optional ``expiryDate`` / ``bestBeforeDate`` /
    ``productionDate`` (ISO; an ASN line's announced dates by default) and the scanned ``gtin``.

    An ASN line posts the ASN's receipt (``asn.receiving``): the other lines arrive as announced, the
    differences are recorded, and a second scan of that ASN is a ``Conflict``."""
    asn_line = None
    if p.get("asnLineId"):
        asn_line = await AsnLine.get_or_none(id=integer(p["asnLineId"], "asnLineId"))
        if asn_line is None:
            raise NotFound("ASN line", p["asnLineId"], ("asnLineId",))
        line_id = asn_line.order_line_id
    else:
        line_id = integer(p.get("orderLineId", 0), "orderLineId")
    ol = await PurchaseOrderLine.get_or_none(id=line_id).prefetch_related("sku", "order")
    if ol is None or ol.order.warehouse_id != device.warehouse_id:
        raise NotFound("purchase order line", line_id, ("orderLineId",))
    loc = await bin_of(device, text(p, "binCode"))
    lot, quantity = text(p, "lotCode"), decimal(p.get("quantity"), "quantity")
    expiry = _date(p, "expiryDate") or (asn_line.expiry_date if asn_line else None)
    best_before = _date(p, "bestBeforeDate") or (asn_line.best_before_date if asn_line else None)
    produced = _date(p, "productionDate") or (asn_line.production_date if asn_line else None)
    gtin = text(p, "gtin")
    scanned_sku = f"GTIN:{gtin}" if gtin and gtin != (ol.sku.gtin or "") else ol.sku.code
    findings = rules.evaluate(
        rules.Scan(loc.code, scanned_sku, lot, str(quantity)),
        rules.Context(
            today=business_time.business_date(at),
            expected_sku=ol.sku.code,
            expected_lot=asn_line.lot_code if asn_line else None,
            expiry_date=expiry,
            bin_frozen=loc.frozen,
            bin_lots=await lots_in(loc.id, ol.sku_id),
            operation="receive",
            zones=zones,
            bin_path=loc.path,
        ),
    )
    errors.refuse(findings)
    if asn_line is not None:
        # The ASN's own receipt, as its posting defines it: this line as scanned, its other lines as
        # announced; the ASN is then received, so nothing of it can be received twice.
        await asn_receiving.goods_receipt_post_from_asn(
            asn_line.asn_id,
            loc.code,
            at,
            [
                asn_receiving.ReceivedLine(
                    asn_line.id, quantity, lot, produced, expiry, best_before, location_code=loc.code
                )
            ],
            posted_by_id=device.user_id,
        )
        return
    await receipts.goods_receipt_post(
        ol.order_id,
        [
            receipts.ReceiptLineInput(
                ol.id,
                quantity,
                lot,
                loc.code,
                unit=text(p, "unit") or None,
                production_date=produced,
                expiry_date=expiry,
                best_before_date=best_before,
            )
        ],
        at,
        posted_by_id=device.user_id,
    )


async def count(device: Device, p: dict[str, Any], at: datetime, *, zones: tuple[str, ...]) -> None:
    """Adds a scanned quantity (``quantity`` ≥ 0, base units) of ``skuCode``/``lotCode`` in ``binCode`` to
    count ``countId``'s sheet: scans of the same lot and bin add up; a lot the sheet lacks gets a line."""
    sc = await StockCount.get_or_none(id=integer(p.get("countId", 0), "countId"))
    if sc is None or sc.warehouse_id != device.warehouse_id:
        raise NotFound("stock count", p.get("countId"), ("countId",))
    if sc.status != "frozen":
        raise Conflict(f"stock count {sc.number} is {sc.status}", ("countId",))
    loc = await bin_of(device, text(p, "binCode"))
    counted_here = await StockCountLocation.exists(count_id=sc.id, location_id=loc.id)
    batch = await Batch.get_or_none(sku__code=text(p, "skuCode"), lot_code=text(p, "lotCode"))
    if batch is None:
        raise NotFound("lot", text(p, "lotCode"), ("lotCode",))
    quantity = decimal(p.get("quantity"), "quantity")
    findings = rules.evaluate(
        rules.Scan(loc.code, text(p, "skuCode"), batch.lot_code, str(quantity)),
        rules.Context(
            today=business_time.business_date(at),
            bin_frozen=loc.frozen and counted_here,
            operation="count",
            zones=zones,
            bin_path=loc.path,
        ),
    )
    errors.refuse(findings)
    if quantity < 0:
        raise ValidationError("a counted quantity is zero or more", ("quantity",))
    lines = StockCountLine.filter(count_id=sc.id, location_id=loc.id, batch_id=batch.id)
    if status := text(p, "status"):
        lines = lines.filter(status=status)
    found = await lines.order_by("id")
    if len(found) > 1:
        raise ValidationError(
            f"lot {batch.lot_code} is on the sheet in several statuses: name one", ("status",)
        )
    if not found:
        await StockCountLine.create(
            count_id=sc.id,
            location_id=loc.id,
            batch_id=batch.id,
            status=status or batch.status,
            expected=stock_rules.ZERO,
            counted=quantity,
        )
        return
    line = found[0]
    line.counted = Decimal(line.counted or 0) + quantity
    await line.save(update_fields=["counted"])


async def count_post_scanned(count_id: int, posted_at: datetime, key: str | None = None) -> Posted:
    """Posts a count from its scanned sheet: every line a device counted, with what it counted (lines nobody
    scanned keep their books quantity). Raises as ``inventory.counts.stock_count_post``."""
    rows = (
        await StockCountLine.filter(count_id=count_id, counted__isnull=False)
        .order_by("id")
        .prefetch_related("location")
    )
    lines = [counts.CountedLine(r.location.code, r.batch_id, Decimal(r.counted or 0), r.status) for r in rows]
    return await counts.stock_count_post(count_id, lines, posted_at, key)


async def move(
    device: Device, p: dict[str, Any], at: datetime, doc_id: int, *, zones: tuple[str, ...]
) -> None:
    """Moves ``quantity`` (base units) of available ``skuCode``/``lotCode`` from ``binCode`` to
    ``toBinCode`` in the device's warehouse: one ledger move, document ``bin_move`` ``doc_id`` (the
    operation), and its EPCIS ``storing`` event at the target bin. Reserved stock stays where it is
    (``InsufficientStock`` beyond the free quantity)."""
    source = await bin_of(device, text(p, "binCode"))
    target = await bin_of(device, text(p, "toBinCode"), "toBinCode")
    batch = await Batch.get_or_none(sku__code=text(p, "skuCode"), lot_code=text(p, "lotCode"))
    if batch is None:
        raise NotFound("lot", text(p, "lotCode"), ("lotCode",))
    quantity = decimal(p.get("quantity"), "quantity")
    findings = rules.evaluate(
        rules.Scan(source.code, text(p, "skuCode"), batch.lot_code, str(quantity), target.code),
        rules.Context(
            today=business_time.business_date(at),
            batch_status=batch.status,
            expiry_date=batch.expiry_date,
            bin_frozen=source.frozen,
            to_bin_frozen=target.frozen,
            bin_lots=await lots_in(target.id, batch.sku_id),
            operation="move",
            zones=zones,
            bin_path=source.path,
            to_bin_path=target.path,
        ),
    )
    errors.refuse(findings)
    stock_rules.require_positive(quantity, ("quantity",))
    await apply_moves([MoveRequest(batch.sku_id, batch.id, source, target, quantity)], MOVE_DOC, doc_id, at)
    await recorders.record_bin_move(batch.id, quantity, target, at, doc_id)
