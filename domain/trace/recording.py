"""Recording trace events inside the posting that caused them.

Each recorder loads what its document moved (the ledger lines of that document), builds the EPCIS 2.0 event
with ``builders``, and stores it with its canonical JSON, hash ID, leaf digest, links to our batches and an
outbox row for the anchoring worker — all in the caller's transaction, so nothing is recorded half.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.catalog.models import Sku
from domain.common.services import document_number, enqueue
from domain.inventory import rules as stock_rules
from domain.inventory.models import (
    Batch,
    Location,
    StockCount,
    StockMove,
    StockQuant,
    Transfer,
    Warehouse,
)
from domain.partners.models import Customer, Supplier
from domain.purchasing.models import GoodsReceipt, PurchaseOrder, SupplierReturn
from domain.quality.models import QualityCheck
from domain.sales.models import CustomerReturn, SalesOrder, Shipment
from domain.trace import builders, digital_link, epcis, errors
from domain.trace.models import BatchLineage, TraceEvent, TraceEventBatch

ANCHOR_TOPIC = "trace.anchor"
Status = stock_rules.StockStatus


class _Line(builders.QuantityLine):
    # Our base units are free text; one without a UN/CEFACT code is written without ``uom`` (a count in
    # EPCIS terms would be wrong, so we say nothing rather than something false).
    def as_epcis(self) -> dict[str, Any]:
        try:
            return builders.QuantityLine.as_epcis(self)
        except errors.EventBuildError:
            return {"epcClass": self.product.epc_class, "quantity": _number(self.quantity)}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _gln(gln: str | None) -> str | None:
    # A GLN with a wrong check digit must not stop a posting: we fall back to our private URN.
    if gln and gln.isdigit() and len(gln) == 13 and digital_link.check_digit(gln[:-1]) == gln[-1]:
        return gln
    return None


def place(code: str, gln: str | None = None) -> builders.Place:
    return builders.Place(code, _gln(gln))


def party(kind: str, code: str, gln: str | None = None) -> builders.Party:
    return builders.Party(kind, code, _gln(gln))


def warehouse_place(wh: Warehouse) -> builders.Place:
    return place(wh.code, wh.gln)


def product_lot(batch: Batch, sku: Sku) -> builders.ProductLot:
    return builders.ProductLot(sku.code, batch.lot_code, sku.gtin)


@dataclass(frozen=True)
class LotLink:
    batch_id: int | None
    epc_class: str
    role: str  # object | input | output
    quantity: Decimal | None


@dataclass(frozen=True)
class LotQuantity:
    batch: Batch
    sku: Sku
    quantity: Decimal

    def line(self) -> builders.QuantityLine:
        return _Line(product_lot(self.batch, self.sku), self.quantity, self.sku.base_unit)

    def link(self, role: str = "object") -> LotLink:
        return LotLink(self.batch.id, product_lot(self.batch, self.sku).epc_class, role, self.quantity)


@dataclass(frozen=True)
class Recorded:
    """An event a posting recorded, with the lots it is about (what alerts are raised on)."""

    event: TraceEvent
    lots: Sequence[LotQuantity]


async def store_event(
    event: dict[str, Any],
    *,
    doc_type: str,
    doc_id: int | None,
    links: Sequence[LotLink],
    lineage: Sequence[tuple[int, int]] = (),
    origin: str = "internal",
    event_id: str | None = None,
) -> TraceEvent:
    """Writes one event with its canonical JSON, leaf, batch links, lineage edges and outbox row.

    The same event twice (same hash ID) is the same fact: the first row is returned and nothing is added.
    """
    hash_id = event_id or str(event["eventID"])
    existing = await TraceEvent.get_or_none(event_id=hash_id)
    if existing is not None:
        return existing
    canonical = epcis.canonical_json(event)
    row = await TraceEvent.create(
        event_id=hash_id,
        event_type=event["type"],
        biz_step=str(event.get("bizStep", "")),
        action=event.get("action"),
        disposition=event.get("disposition"),
        event_time=parse_time(str(event["eventTime"])),
        origin=origin,
        doc_type=doc_type,
        doc_id=doc_id,
        body=event,
        canonical=canonical.decode("utf-8"),
        leaf=epcis.leaf_digest(event).hex(),
    )
    if links:
        await TraceEventBatch.bulk_create(
            [
                TraceEventBatch(
                    event_id=row.id,
                    batch_id=k.batch_id,
                    epc_class=k.epc_class,
                    role=k.role,
                    quantity=k.quantity,
                )
                for k in links
            ]
        )
    if lineage:
        await BatchLineage.bulk_create(
            [BatchLineage(parent_id=p, child_id=c, event_id=row.id) for p, c in sorted(set(lineage))]
        )
    await enqueue(ANCHOR_TOPIC, {"trace_event_id": row.id, "event_id": row.event_id, "leaf": row.leaf})
    return row


def parse_time(text: str) -> datetime:
    """An EPCIS ``dateTime`` (schema-valid) as an aware datetime; digits past microseconds are dropped."""
    head, dot, rest = text.replace("Z", "+00:00").partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        rest = rest[: min(digits, 6)] + rest[digits:]
    return datetime.fromisoformat(head + dot + rest if dot else head)


async def lot_quantities(
    pairs: Iterable[tuple[int, Decimal]],
    batches: Mapping[int, Batch] | None = None,
    skus: Mapping[int, Sku] | None = None,
) -> list[LotQuantity]:
    """Quantities summed per batch, in batch id order, with their batch and SKU loaded (only those not
    among the ``batches`` and ``skus`` the caller already has)."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for batch_id, qty in pairs:
        sums[batch_id] += Decimal(qty)
    found = {i: b for i in sums if (b := (batches or {}).get(i)) is not None}
    if len(found) < len(sums):
        found.update({b.id: b for b in await Batch.filter(id__in=[i for i in sums if i not in found])})
    known = {b.sku_id: s for b in found.values() if (s := (skus or {}).get(b.sku_id)) is not None}
    wanted = {b.sku_id for b in found.values()} - set(known)
    if wanted:
        known.update({s.id: s for s in await Sku.filter(id__in=wanted)})
    return [LotQuantity(found[i], known[found[i].sku_id], sums[i]) for i in sorted(sums)]


async def record_lot_event(
    lots: Sequence[LotQuantity],
    *,
    event_time: datetime,
    action: str,
    biz_step: str,
    read_point: builders.Place,
    doc_type: str,
    doc_id: int | None,
    disposition: str | None = None,
    biz_transactions: Sequence[builders.BizTransaction] = (),
    sources: Sequence[builders.Party] = (),
    destinations: Sequence[builders.Party] = (),
    sensor_readings: Sequence[builders.SensorReading] = (),
) -> TraceEvent | None:
    if not lots:
        return None
    event = builders.object_event(
        event_time=event_time,
        action=action,
        biz_step=biz_step,
        read_point=read_point,
        biz_location=read_point,
        quantities=[lot.line() for lot in lots],
        disposition=disposition,
        biz_transactions=biz_transactions,
        sources=sources,
        destinations=destinations,
        sensor_readings=sensor_readings,
    )
    return await store_event(event, doc_type=doc_type, doc_id=doc_id, links=[lot.link() for lot in lots])


async def _moves(doc_type: str, doc_id: int, moves: Sequence[StockMove] | None = None) -> Sequence[StockMove]:
    if moves is not None:
        return moves
    return await StockMove.filter(doc_type=doc_type, doc_id=doc_id).order_by("id")


# --- one recorder per document -------------------------------------------------------------------


async def record_goods_receipt(
    receipt: GoodsReceipt,
    *,
    moves: Sequence[StockMove] | None = None,
    order: PurchaseOrder | None = None,
    batches: Mapping[int, Batch] | None = None,
    skus: Mapping[int, Sku] | None = None,
    sensor_readings: Sequence[builders.SensorReading] = (),
) -> list[Recorded]:
    """ObjectEvent ADD / receiving per disposition (quarantined lots ``in_progress``, others ``active``);
    a quarantined lot of a high-risk SKU also gets its quality-check task, unless one is open.
    The delivery's sensor readings (its cold chain) go into each event's ``sensorElementList``.

    The posting passes what it already holds (its moves, order, lots, SKUs) so nothing is read back."""
    order = order or await PurchaseOrder.get(id=receipt.order_id)
    supplier = await Supplier.get(id=order.supplier_id)
    wh = await Warehouse.get(id=receipt.warehouse_id)
    moves = await _moves("goods_receipt", receipt.id, moves)
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
) -> list[Recorded]:
    """ObjectEvent OBSERVE / shipping (with the load's sensor readings); the posting passes what it
    already holds, as for receipts."""
    order = order or await SalesOrder.get(id=shipment.order_id)
    customer = await Customer.get(id=order.customer_id)
    wh = await Warehouse.get(id=shipment.warehouse_id)
    moves = await _moves("shipment", shipment.id, moves)
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
    return src, dst, transit, await _moves("transfer", transfer.id)


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
    moves = await _moves("stock_count", count.id)
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
        await lot_quantities((m.batch_id, m.quantity) for m in await _moves("supplier_return", ret.id)),
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
        await lot_quantities((m.batch_id, m.quantity) for m in await _moves("customer_return", ret.id)),
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
