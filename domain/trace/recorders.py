"""One recorder per posted document: what its ledger lines moved becomes one EPCIS 2.0 event (or two).

Each recorder loads what the document moved (unless the posting passes it), builds the event with
``builders`` and stores it with ``recording.store_event`` in the caller's transaction.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common import deferred
from domain.common.services import document_number
from domain.inventory import rules as stock_rules
from domain.inventory.models import Batch, Location, StockCount, StockMove, StockQuant, Transfer, Warehouse
from domain.partners.models import Customer, Supplier
from domain.purchasing.models import GoodsReceipt, PurchaseOrder, SupplierReturn
from domain.quality.models import QualityCheck
from domain.sales.models import CustomerReturn, SalesOrder, Shipment
from domain.trace import builders, identifiers
from domain.trace.models import TraceEvent
from domain.trace.recording import (
    LotQuantity,
    Recorded,
    lot_quantities,
    moves_of,
    party,
    place,
    record_lot_event,
    warehouse_place,
)

Status = stock_rules.StockStatus


async def record_goods_receipt(
    receipt: GoodsReceipt,
    *,
    moves: Sequence[StockMove] | None = None,
    order: PurchaseOrder | None = None,
    batches: Mapping[int, Batch] | None = None,
    skus: Mapping[int, Sku] | None = None,
    sensor_readings: Sequence[builders.SensorReading] = (),
    supplier: Supplier | None = None,
    warehouse: Warehouse | None = None,
) -> list[Recorded]:
    """ObjectEvent ADD / receiving per disposition (quarantined lots ``in_progress``, others ``active``);
    a quarantined lot of a high-risk SKU also gets its quality-check task, unless one is open.
    The delivery's sensor readings (its cold chain) go into each event's ``sensorElementList``.

    The posting passes what it already holds (its moves, order, lots, SKUs, the order's supplier and the
    receipt's warehouse) so nothing is read back."""
    order = order or await PurchaseOrder.get(id=receipt.order_id)
    supplier = supplier or await Supplier.get(id=order.supplier_id)
    wh = warehouse or await Warehouse.get(id=receipt.warehouse_id)
    moves = await moves_of("goods_receipt", receipt.id, moves)
    recorded = []
    for held in (False, True):
        group = [m for m in moves if (m.to_status == Status.QUARANTINE) is held]
        lots = await lot_quantities(((m.batch_id, m.quantity) for m in group), batches, skus)
        event = await record_lot_event(
            lots,
            event_time=receipt.received_at,
            action=builders.Action.ADD,
            biz_step="receiving",
            disposition="in_progress" if held else "active",
            read_point=warehouse_place(wh),
            doc_type="goods_receipt",
            doc_id=receipt.id,
            biz_transactions=[
                builders.BizTransaction("po", order.number or ""),
                builders.BizTransaction("recadv", receipt.number or ""),
            ],
            sources=[party("owning_party", supplier.code, supplier.gln)],
            sensor_readings=sensor_readings,
        )
        if event is not None:
            recorded.append(Recorded(event, lots))
        if held:
            for lot in lots:
                if lot.sku.high_risk:
                    await open_quality_check(lot.batch.id, receipt.received_at, "goods_receipt", receipt.id)
    return recorded


async def open_quality_check(
    batch_id: int, now: datetime, doc_type: str = "", doc_id: int | None = None
) -> int:
    """A pending quality-check task for the batch (the open one when there is one already)."""
    # A receipt's new lot may still be queued with its last writes (``deferred``): the check points at it.
    await deferred.flush_for(Batch._meta.db_table)
    open_check = await QualityCheck.filter(batch_id=batch_id, status__in=["pending", "inspecting"]).first()
    if open_check is not None:
        return open_check.id
    check = await QualityCheck.create(
        batch_id=batch_id, origin_doc_type=doc_type, origin_doc_id=doc_id, created_at=now
    )
    check.number = document_number("QC", check.id)
    await check.save(update_fields=["number"])
    return check.id


async def record_shipment(
    shipment: Shipment,
    *,
    moves: Sequence[StockMove] | None = None,
    order: SalesOrder | None = None,
    batches: Mapping[int, Batch] | None = None,
    skus: Mapping[int, Sku] | None = None,
    sensor_readings: Sequence[builders.SensorReading] = (),
    customer: Customer | None = None,
    warehouse: Warehouse | None = None,
) -> list[Recorded]:
    """ObjectEvent OBSERVE / shipping (with the load's sensor readings); the posting passes what it
    already holds, as for receipts."""
    order = order or await SalesOrder.get(id=shipment.order_id)
    customer = customer or await Customer.get(id=order.customer_id)
    wh = warehouse or await Warehouse.get(id=shipment.warehouse_id)
    moves = await moves_of("shipment", shipment.id, moves)
    lots = await lot_quantities(((m.batch_id, m.quantity) for m in moves), batches, skus)
    event = await record_lot_event(
        lots,
        event_time=shipment.shipped_at,
        action=builders.Action.OBSERVE,
        biz_step="shipping",
        disposition="in_transit",
        read_point=warehouse_place(wh),
        doc_type="shipment",
        doc_id=shipment.id,
        biz_transactions=[
            builders.BizTransaction(builders.SALES_ORDER, order.number or ""),
            builders.BizTransaction("desadv", shipment.number or ""),
        ],
        destinations=[party("owning_party", customer.code, customer.gln)],
        sensor_readings=sensor_readings,
    )
    return [] if event is None else [Recorded(event, lots)]


async def _transfer_parts(
    transfer: Transfer,
) -> tuple[Warehouse, Warehouse, Location, Sequence[StockMove]]:
    src = await Warehouse.get(id=transfer.from_warehouse_id)
    dst = await Warehouse.get(id=transfer.to_warehouse_id)
    transit = await Location.get(warehouse_id=dst.id, kind=stock_rules.LocationKind.TRANSIT)
    return src, dst, transit, await moves_of("transfer", transfer.id)


async def record_transfer_ship(transfer: Transfer) -> None:
    src, dst, transit, moves = await _transfer_parts(transfer)
    await record_lot_event(
        await lot_quantities((m.batch_id, m.quantity) for m in moves if m.to_location_id == transit.id),
        event_time=transfer.shipped_at,
        action=builders.Action.OBSERVE,
        biz_step="departing",
        disposition="in_transit",
        read_point=warehouse_place(src),
        doc_type="transfer",
        doc_id=transfer.id,
        biz_transactions=[builders.BizTransaction("desadv", transfer.number or "")],
        sources=[party("location", src.code, src.gln)],
        destinations=[party("location", dst.code, dst.gln)],
    )


async def record_transfer_receive(transfer: Transfer) -> None:
    src, dst, transit, moves = await _transfer_parts(transfer)
    assert transfer.received_at is not None
    await record_lot_event(
        await lot_quantities((m.batch_id, m.quantity) for m in moves if m.from_location_id == transit.id),
        event_time=transfer.received_at,
        action=builders.Action.OBSERVE,
        biz_step="arriving",
        disposition="active",
        read_point=warehouse_place(dst),
        doc_type="transfer",
        doc_id=transfer.id,
        biz_transactions=[builders.BizTransaction("desadv", transfer.number or "")],
        sources=[party("location", src.code, src.gln)],
        destinations=[party("location", dst.code, dst.gln)],
    )


async def record_stock_count(count: StockCount) -> None:
    """Gains are ObjectEvent ADD, losses ObjectEvent DELETE, both ``cycle_counting``."""
    assert count.posted_at is not None, "recorded after the count is posted"
    wh = await Warehouse.get(id=count.warehouse_id)
    moves = await moves_of("stock_count", count.id)
    owned = {loc.id for loc in await Location.filter(warehouse_id=wh.id)}
    gains = [m for m in moves if m.to_location_id in owned]
    losses = [m for m in moves if m.from_location_id in owned]
    for group, action, disposition in (
        (gains, builders.Action.ADD, "active"),
        (losses, builders.Action.DELETE, "unknown"),
    ):
        await record_lot_event(
            await lot_quantities((m.batch_id, m.quantity) for m in group),
            event_time=count.posted_at,
            action=action,
            biz_step="cycle_counting",
            disposition=disposition,
            read_point=warehouse_place(wh),
            doc_type="stock_count",
            doc_id=count.id,
            biz_transactions=[builders.BizTransaction("urn:lotline:btt:count", count.number or "")],
        )


async def record_supplier_return(ret: SupplierReturn) -> None:
    order = await PurchaseOrder.get(id=ret.order_id)
    supplier = await Supplier.get(id=order.supplier_id)
    wh = await Warehouse.get(id=order.warehouse_id)
    await record_lot_event(
        await lot_quantities((m.batch_id, m.quantity) for m in await moves_of("supplier_return", ret.id)),
        event_time=ret.returned_at,
        action=builders.Action.OBSERVE,
        biz_step="shipping",
        disposition="returned",
        read_point=warehouse_place(wh),
        doc_type="supplier_return",
        doc_id=ret.id,
        biz_transactions=[
            builders.BizTransaction("po", order.number or ""),
            builders.BizTransaction("rma", ret.number or ""),
        ],
        destinations=[party("owning_party", supplier.code, supplier.gln)],
    )


async def record_customer_return(ret: CustomerReturn) -> None:
    order = await SalesOrder.get(id=ret.order_id)
    customer = await Customer.get(id=order.customer_id)
    wh = await Warehouse.get(id=order.warehouse_id)
    await record_lot_event(
        await lot_quantities((m.batch_id, m.quantity) for m in await moves_of("customer_return", ret.id)),
        event_time=ret.returned_at,
        action=builders.Action.OBSERVE,
        biz_step="receiving",
        disposition="returned",
        read_point=warehouse_place(wh),
        doc_type="customer_return",
        doc_id=ret.id,
        biz_transactions=[
            builders.BizTransaction(builders.SALES_ORDER, order.number or ""),
            builders.BizTransaction("rma", ret.number or ""),
        ],
        sources=[party("owning_party", customer.code, customer.gln)],
    )


#: Batch status postings -> (business step, disposition).
STATUS_EVENTS: dict[str, tuple[str, str]] = {
    "batch_block": ("holding", "non_sellable_other"),
    "recall_block": ("holding", "recalled"),
    "batch_release": ("stocking", "sellable_accessible"),
    "quality_check_start": ("inspecting", "non_sellable_other"),
    "quality_check_pass": ("inspecting", "conformant"),
    "quality_check_fail": ("inspecting", "non_conformant"),
}


async def record_batch_status(
    batch: Batch,
    doc_type: str,
    posted_at: datetime,
    doc_id: int | None = None,
    biz_transactions: Sequence[builders.BizTransaction] = (),
) -> TraceEvent | None:
    """ObjectEvent OBSERVE about a whole batch (its stock on hand, or zero) after a status change."""
    biz_step, disposition = STATUS_EVENTS[doc_type]
    quants = await StockQuant.filter(batch_id=batch.id, quantity__gt=0).prefetch_related("location")
    on_hand = sum((Decimal(q.quantity) for q in quants), Decimal(0))
    wh_ids = sorted({q.location.warehouse_id for q in quants if q.location.warehouse_id is not None})
    wh = await Warehouse.get_or_none(id=wh_ids[0]) if wh_ids else None
    sku = await Sku.get(id=batch.sku_id)
    return await record_lot_event(
        [LotQuantity(batch, sku, on_hand)],
        event_time=posted_at,
        action=builders.Action.OBSERVE,
        biz_step=biz_step,
        disposition=disposition,
        read_point=warehouse_place(wh) if wh else place("LOTLINE"),
        doc_type=doc_type,
        doc_id=batch.id if doc_id is None else doc_id,
        biz_transactions=biz_transactions,
    )


async def record_bin_move(
    batch_id: int, quantity: Decimal, to_bin: Location, moved_at: datetime, doc_id: int
) -> None:
    """A handheld's bin-to-bin move (``doc_type`` ``bin_move``, ``doc_id`` the device operation): an
    ObjectEvent OBSERVE, CBV ``storing`` (moving objects within the storage area), whose read point and
    business location are the bin the lot now sits in: the warehouse's SGLN with the bin as its extension
    (AI 254) when the warehouse has a GLN, else our location URN of the bin."""
    wh = await Warehouse.get(id=to_bin.warehouse_id)
    gln = place(wh.code, wh.gln).gln
    where = identifiers.Place(to_bin.code, gln, to_bin.code if gln else None)
    await record_lot_event(
        await lot_quantities([(batch_id, quantity)]),
        event_time=moved_at,
        action=builders.Action.OBSERVE,
        biz_step="storing",
        disposition="active",
        read_point=where,
        doc_type="bin_move",
        doc_id=doc_id,
    )
