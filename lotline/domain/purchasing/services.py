"""Purchasing use cases: the purchase order lifecycle, goods receipts and returns to supplier."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tortoise import timezone

from lotline.db import is_postgres
from lotline.domain.catalog.models import Sku
from lotline.domain.catalog.services import OrderLineInput, resolve_order_lines, unit_table
from lotline.domain.common import bulk
from lotline.domain.common.errors import Conflict, NotFound, ValidationError
from lotline.domain.common.services import Posted, document_number, enqueue, posting
from lotline.domain.finance import services as finance
from lotline.domain.inventory import rules as stock_rules
from lotline.domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from lotline.domain.inventory.models import Batch, Location, StockQuant, Warehouse
from lotline.domain.inventory.services import (
    check_internal,
    internal_location,
    locations_by_code,
    virtual_location,
)
from lotline.domain.partners.models import Supplier
from lotline.domain.purchasing import rules
from lotline.domain.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierReturn,
    SupplierReturnLine,
)
from lotline.domain.quality import alerts
from lotline.domain.quality import rules as quality_rules
from lotline.domain.trace import recording

Status = rules.OrderStatus


async def purchase_order_create(
    supplier_code: str,
    warehouse_code: str,
    lines: list[OrderLineInput],
    expected_date: date | None = None,
    note: str = "",
    key: str | None = None,
) -> Posted:
    async def body() -> Posted:
        supplier = await Supplier.get_or_none(code=supplier_code, active=True)
        if supplier is None:
            raise NotFound("supplier", supplier_code, ("supplierCode",))
        warehouse = await Warehouse.get_or_none(code=warehouse_code, active=True)
        if warehouse is None:
            raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
        resolved = await resolve_order_lines(lines, "purchase_unit")
        order = await PurchaseOrder.create(
            supplier=supplier, warehouse=warehouse, expected_date=expected_date, note=note
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


async def _locked_order(order_id: int) -> PurchaseOrder:
    query = PurchaseOrder.filter(id=order_id)
    if is_postgres():
        query = query.select_for_update()
    order = await query.first()
    if order is None:
        raise NotFound("purchase order", order_id, ("orderId",))
    return order


async def _transition(order_id: int, allowed: set[Status], to: Status, now: datetime | None = None) -> Posted:
    order = await _locked_order(order_id)
    if order.status not in allowed:
        raise Conflict(f"purchase order {order.number} is {order.status}, cannot become {to}", ("orderId",))
    order.status = to
    fields = ["status"]
    if to == Status.CONFIRMED:
        order.confirmed_at = now
        fields.append("confirmed_at")
    await order.save(update_fields=fields)
    return Posted("purchase_order", order.id, order.number or "")


async def purchase_order_confirm(order_id: int, now: datetime, key: str | None = None) -> Posted:
    return await posting(
        "purchase_order_confirm", key, lambda: _transition(order_id, {Status.DRAFT}, Status.CONFIRMED, now)
    )


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


@dataclass(frozen=True)
class ReceiptLineInput:
    order_line_id: int
    quantity: Decimal
    lot_code: str
    location_code: str
    unit: str | None = None  # None: the order line's unit
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None


BatchKey = tuple[int, str]  # sku id, lot code


async def _existing_batches(pairs: set[BatchKey]) -> dict[BatchKey, Batch]:
    if not pairs:
        return {}
    rows = await Batch.filter(sku_id__in={s for s, _ in pairs}, lot_code__in={c for _, c in pairs})
    return {(b.sku_id, b.lot_code): b for b in rows if (b.sku_id, b.lot_code) in pairs}


def _batch_for(
    batches: dict[BatchKey, Batch],
    sku: Sku,
    supplier_id: int,
    line: ReceiptLineInput,
    today: date,
    path: tuple[str, ...],
) -> Batch:
    """The line's lot: an existing one (checked), or a new one, not saved yet (``_save_new_batches``)
    but found by a later line of the same lot."""
    if not line.lot_code.strip():
        raise ValidationError("a received line needs a lot code", (*path, "lotCode"))
    expiry, best_before = rules.batch_dates(
        line.production_date,
        line.expiry_date,
        line.best_before_date,
        sku.shelf_life_days,
        sku.best_before_days,
        today,
        path,
    )
    batch = batches.get((sku.id, line.lot_code))
    if batch is None:
        # High-risk food arrives quarantined, in the same transaction: unchecked stock is never available.
        status = stock_rules.StockStatus.QUARANTINE if sku.high_risk else stock_rules.StockStatus.AVAILABLE
        batch = batches[(sku.id, line.lot_code)] = Batch(
            sku_id=sku.id,
            lot_code=line.lot_code,
            supplier_id=supplier_id,
            production_date=line.production_date,
            expiry_date=expiry,
            best_before_date=best_before,
            status=status,
        )
        return batch
    if batch.supplier_id != supplier_id:
        raise Conflict(f"lot {line.lot_code} of {sku.code} belongs to another supplier", (*path, "lotCode"))
    if batch.expiry_date != expiry:
        raise Conflict(
            f"lot {line.lot_code} already exists with expiry {batch.expiry_date}, not {expiry}",
            (*path, "expiryDate"),
        )
    if batch.status in (stock_rules.StockStatus.REJECTED, stock_rules.StockStatus.BLOCKED):
        raise Conflict(f"lot {line.lot_code} is {batch.status}: it cannot be extended", (*path, "lotCode"))
    return batch


_BATCH_COLUMNS = (
    "sku_id",
    "lot_code",
    "supplier_id",
    "production_date",
    "expiry_date",
    "best_before_date",
    "status",
    "created_at",
)


async def _save_new_batches(batches: list[Batch]) -> None:
    """Inserts the new lots in one statement and gives each its id."""
    new = [b for b in batches if b.id is None]
    if not new:
        return
    now = timezone.now()
    for b in new:
        b.created_at = now
    created = await bulk.insert_rows(
        Batch,
        _BATCH_COLUMNS,
        [[getattr(b, c) for c in _BATCH_COLUMNS] for b in new],
        ("id", "sku_id", "lot_code"),
    )
    ids = {(r["sku_id"], r["lot_code"]): r["id"] for r in created}
    for b in new:
        b.id = ids[(b.sku_id, b.lot_code)]
        b._saved_in_db = True  # what Model.save would have set: the receipt lines may now point at it


@dataclass(frozen=True)
class _Received:
    order_line: PurchaseOrderLine
    batch: Batch
    location: Location
    quantity_base: Decimal
    unit_cost: Decimal
    path: tuple[str, ...]


async def goods_receipt_post(
    order_id: int,
    lines: list[ReceiptLineInput],
    received_at: datetime,
    key: str | None = None,
    tolerance: Decimal = rules.DEFAULT_OVER_RECEIPT_TOLERANCE,
    posted_by_id: int | None = None,
    *,
    sensor_readings: Sequence[quality_rules.SensorReadingInput] = (),
) -> Posted:
    """Receives goods: creates or extends batches, posts stock at the order price, advances the order.

    The delivery's sensor readings (cold chain) are recorded in its events; each reading outside a received
    SKU's allowed range raises a batch alert, in the same transaction. Alerts do not hold the stock."""

    async def body() -> Posted:
        quality_rules.check_readings(sensor_readings)
        order = await _locked_order(order_id)
        rules.check_receivable(order.status, order.number or "")
        if not lines:
            raise ValidationError("a receipt needs at least one line", ("lines",))
        order_lines = {ln.id: ln for ln in await PurchaseOrderLine.filter(order_id=order.id)}
        skus = {s.id: s for s in await Sku.filter(id__in={ln.sku_id for ln in order_lines.values()})}
        units = await unit_table(list(skus))
        valuations = await lock_skus(skus)
        receipt = await GoodsReceipt.create(
            order=order, warehouse_id=order.warehouse_id, received_at=received_at, posted_by_id=posted_by_id
        )
        receipt.number = document_number("GR", receipt.id)
        await receipt.save(update_fields=["number"])
        supplier_location = await virtual_location(stock_rules.LocationKind.SUPPLIER)
        today = received_at.date()
        locations = await locations_by_code(line.location_code for line in lines)
        batches = await _existing_batches(
            {
                (order_lines[line.order_line_id].sku_id, line.lot_code)
                for line in lines
                if line.order_line_id in order_lines
            }
        )
        received_before = {ol.id: ol.received_base for ol in order_lines.values()}
        received: list[_Received] = []
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            ol = order_lines.get(line.order_line_id)
            if ol is None:
                raise NotFound("purchase order line", line.order_line_id, (*path, "orderLineId"))
            sku = skus[ol.sku_id]
            stock_rules.require_positive(line.quantity, (*path, "quantity"))
            factor = stock_rules.unit_factor(units[sku.id], line.unit or ol.unit, sku.code, (*path, "unit"))
            qty_base = stock_rules.to_base(line.quantity, factor)
            rules.check_over_receipt(
                stock_rules.to_base(ol.quantity, ol.unit_factor),
                ol.received_base,
                qty_base,
                tolerance,
                (*path, "quantity"),
            )
            location = check_internal(
                locations.get(line.location_code),
                line.location_code,
                order.warehouse_id,
                (*path, "locationCode"),
            )
            batch = _batch_for(batches, sku, order.supplier_id, line, today, path)
            unit_cost = stock_rules.quantize_cost(ol.unit_price / ol.unit_factor)
            received.append(_Received(ol, batch, location, qty_base, unit_cost, path))
            ol.received_base += qty_base
        await _save_new_batches(list(batches.values()))
        moves = await apply_moves(
            [
                MoveRequest(
                    r.batch.sku_id,
                    r.batch.id,
                    supplier_location,
                    r.location,
                    r.quantity_base,
                    to_status=r.batch.status,
                    unit_cost=r.unit_cost,
                    path=r.path,
                )
                for r in received
            ],
            "goods_receipt",
            receipt.id,
            received_at,
            locked=valuations,
        )
        recorded = await recording.record_goods_receipt(
            receipt,
            moves=moves,
            order=order,
            batches={b.id: b for b in batches.values()},
            skus=skus,
            sensor_readings=alerts.event_readings(sensor_readings),
        )
        await alerts.raise_for_readings(
            sensor_readings,
            recorded,
            doc_type="goods_receipt",
            doc_id=receipt.id,
            doc_number=receipt.number,
            now=received_at,
        )
        await GoodsReceiptLine.bulk_create(
            [
                GoodsReceiptLine(
                    receipt=receipt,
                    order_line=r.order_line,
                    batch=r.batch,
                    location=r.location,
                    quantity_base=r.quantity_base,
                    unit_cost=r.unit_cost,
                )
                for r in received
            ]
        )
        await bulk.update_rows(
            PurchaseOrderLine,
            "id",
            ("received_base",),
            [
                (ol.id, (ol.received_base,))
                for ol in order_lines.values()
                if ol.received_base != received_before[ol.id]
            ],
        )
        order.status = rules.status_after_receipt(
            [
                (stock_rules.to_base(ol.quantity, ol.unit_factor), ol.received_base)
                for ol in order_lines.values()
            ]
        )
        await order.save(update_fields=["status"])
        await finance.book_goods_receipt(receipt.id, moves, posted_at=received_at)
        await enqueue("goods_receipt.posted", {"receipt_id": receipt.id})
        return Posted("goods_receipt", receipt.id, receipt.number)

    return await posting("goods_receipt_post", key, body)


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
        order = await _locked_order(order_id)
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
        await enqueue("supplier_return.posted", {"return_id": ret.id})
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
