"""Goods receipts: receiving against a purchase order, creating or extending batches."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.catalog.models import Sku
from domain.catalog.order_lines import locked_order_lines
from domain.common import bulk, bulk_insert, business_time
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.finance import postings as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves
from domain.inventory.models import Batch, Location
from domain.inventory.services import check_internal, virtual_and
from domain.purchasing import lots, rules
from domain.purchasing.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrderLine
from domain.purchasing.services import locked_order
from domain.quality import alerts
from domain.quality import rules as quality_rules
from domain.trace import recorders


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


def _batch_for(
    batches: dict[lots.BatchKey, Batch],
    sku: Sku,
    supplier_id: int,
    line: ReceiptLineInput,
    today: date,
    path: tuple[str, ...],
) -> Batch:
    """The line's lot: an existing one (checked), or a new one, not saved yet (``lots.save_new``)
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


@dataclass(frozen=True)
class _Received:
    order_line: PurchaseOrderLine
    batch: Batch
    location: Location
    quantity_base: Decimal
    value: Decimal  # the order amount of what this line received, to the cent (``rules.value_change``)
    path: tuple[str, ...]

    @property
    def unit_cost(self) -> Decimal:
        return stock_rules.quantize_cost(self.value / self.quantity_base)


async def goods_receipt_post(
    order_id: int,
    lines: list[ReceiptLineInput],
    received_at: datetime,
    key: str | None = None,
    tolerance: Decimal = rules.DEFAULT_OVER_RECEIPT_TOLERANCE,
    posted_by_id: int | None = None,
    *,
    sensor_readings: Sequence[quality_rules.SensorReadingInput] = (),
    custom: dict[str, Any] | None = None,
) -> Posted:
    """Receives goods: creates or extends batches, posts stock at the order price, advances the order.

    The delivery's sensor readings (cold chain) are recorded in its events; each reading outside a received
    SKU's allowed range raises a batch alert, in the same transaction. Alerts do not hold the stock."""

    async def body() -> Posted:
        quality_rules.check_readings(sensor_readings)
        values = await custom_fields.checked(Entity.GOODS_RECEIPT, custom)
        order = await locked_order(order_id, parties=True)
        rules.check_receivable(order.status, order.number or "")
        if not lines:
            raise ValidationError("a receipt needs at least one line", ("lines",))
        # The receipt's id is drawn with the lines and locks: its insert then waits in the batch (issue 15).
        (order_lines, skus, units), valuations, drawn = await locked_order_lines(
            PurchaseOrderLine, order.id, GoodsReceipt
        )
        receipt = GoodsReceipt(
            order=order,
            warehouse_id=order.warehouse_id,
            received_at=received_at,
            posted_by_id=posted_by_id,
            custom=values,
        )
        if drawn is not None:
            receipt.id = drawn
        receipt.number = await bulk_insert.insert_document(receipt, "GR")
        supplier_location, found = await virtual_and(
            stock_rules.LocationKind.SUPPLIER, codes={line.location_code for line in lines}
        )
        today = business_time.business_date(received_at)
        locations = {loc.code: loc for loc in found}
        lots_read = await lots.read(
            {
                (order_lines[line.order_line_id].sku_id, line.lot_code)
                for line in lines
                if line.order_line_id in order_lines
            }
        )
        batches = dict(lots_read.found)
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
                unit=line.unit or ol.unit,
                factor=factor,
            )
            location = check_internal(
                locations.get(line.location_code),
                line.location_code,
                order.warehouse_id,
                (*path, "locationCode"),
            )
            batch = _batch_for(batches, sku, order.supplier_id, line, today, path)
            value = rules.value_change(
                ol.received_base - ol.returned_base, qty_base, ol.unit_price, ol.unit_factor
            )
            received.append(_Received(ol, batch, location, qty_base, value, path))
            ol.received_base += qty_base
        fresh = [b for b in batches.values() if b.id is None]
        await lots.save_new(fresh, lots_read.ids)  # ids drawn with the read: queued with the last writes
        moves = await apply_moves(
            [
                MoveRequest(
                    r.batch.sku_id,
                    r.batch.id,
                    supplier_location,
                    r.location,
                    r.quantity_base,
                    to_status=r.batch.status,
                    value=r.value,
                    path=r.path,
                )
                for r in received
            ],
            "goods_receipt",
            receipt.id,
            received_at,
            locked=valuations,
            # Lots created above have no stock to read (issue 15); their quants store their FEFO dates.
            new_batches={b.id: stock_rules.fefo_dates(b.expiry_date, b.best_before_date) for b in fresh},
        )
        recorded = await recorders.record_goods_receipt(
            receipt,
            moves=moves,
            order=order,
            batches={b.id: b for b in batches.values()},
            skus=skus,
            sensor_readings=alerts.event_readings(sensor_readings),
            supplier=order.supplier,
            warehouse=order.warehouse,
        )
        await alerts.raise_for_readings(
            sensor_readings,
            recorded,
            doc_type="goods_receipt",
            doc_id=receipt.id,
            doc_number=receipt.number,
            now=received_at,
        )
        await bulk_insert.insert_models(
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
        status = rules.status_after_receipt(
            [
                (stock_rules.to_base(ol.quantity, ol.unit_factor), ol.received_base)
                for ol in order_lines.values()
            ]
        )
        if status != order.status:  # a later partial receipt leaves it as it was: no statement (issue 15)
            order.status = status
            await order.save(update_fields=["status"])
        await finance.book_goods_receipt(
            receipt.id,
            moves,
            posted_at=received_at,
            lines=(order.supplier_id, [(r.order_line.id, r.quantity_base) for r in received]),
            held=finance.Held(
                locations=[supplier_location, *(r.location for r in received)],
                valuations=valuations,
                skus=skus,
                order_lines=order_lines,
            ),
        )
        return Posted("goods_receipt", receipt.id, receipt.number)

    return await posting("goods_receipt_post", key, body, batched=True)
