"""What a supplier (or staff) may read of its collaboration: orders with their lines and latest
acknowledgements, ASNs with lots, certificates and differences, receipts, returns, QC verdicts and bills.

Every function takes the caller's ``supplier_id`` scope (``None``: staff) and answers ``NotFound`` for a
document of another supplier, exactly as for a missing one. Results are frozen dataclasses; quantities are
``Decimal`` in the unit named beside them, dates are business dates.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.asn import rules
from domain.asn.models import AdvanceShippingNotice, AsnDifference, AsnLine, Certificate, PurchaseOrderLineAck
from domain.asn.services import scoped_asn, scoped_order
from domain.catalog.models import Sku
from domain.common.errors import NotFound
from domain.purchasing.models import (
    GoodsReceipt,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierReturn,
)


@dataclass(frozen=True)
class Ack:
    decision: str
    promised_date: date | None
    promised_quantity: Decimal
    note: str
    acknowledged_at: datetime


@dataclass(frozen=True)
class OrderLineView:
    id: int
    sku_code: str
    name_zh: str
    name_en: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    received_base: Decimal
    base_unit: str
    shelf_life_days: int | None
    ack: Ack | None


@dataclass(frozen=True)
class OrderSummary:
    id: int
    number: str
    status: str
    expected_date: date | None
    created_at: datetime
    currency: str
    acknowledged: bool

    @property
    def awaiting_ack(self) -> bool:
        """Still waiting for the supplier's word: never acknowledged and still open for it. A received,
        closed or cancelled order is not awaiting anything, acknowledged or not."""
        return not self.acknowledged and self.status in rules.OPEN_ORDER_STATUSES


@dataclass(frozen=True)
class AsnLineView:
    id: int
    order_line_id: int
    sku_code: str
    name_zh: str
    lot_code: str
    quantity: Decimal
    unit: str
    production_date: date | None
    expiry_date: date | None
    best_before_date: date | None


@dataclass(frozen=True)
class CertificateView:
    id: int
    asn_line_id: int | None
    lot_code: str
    kind: str
    sha256: str
    content_type: str
    size: int
    filename: str
    uploaded_at: datetime
    anchored_event_id: int | None


@dataclass(frozen=True)
class DifferenceView:
    asn_line_id: int | None
    field: str
    expected: str
    received: str


@dataclass(frozen=True)
class AsnView:
    id: int
    number: str
    order_id: int
    order_number: str
    supplier_id: int
    status: str
    expected_arrival: datetime
    note: str
    created_at: datetime
    receipt_id: int | None
    received_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    lines: tuple[AsnLineView, ...]
    certificates: tuple[CertificateView, ...]
    differences: tuple[DifferenceView, ...]


@dataclass(frozen=True)
class OrderView:
    summary: OrderSummary
    warehouse_id: int
    lines: tuple[OrderLineView, ...]
    asns: tuple[tuple[int, str, str, datetime], ...]  # id, number, status, expected arrival
    receipts: tuple[tuple[int, str, datetime], ...]  # id, number, received at
    returns: tuple[tuple[int, str, datetime, str], ...]  # id, number, returned at, reason


async def latest_acks(line_ids: list[int]) -> dict[int, Ack]:
    out: dict[int, Ack] = {}
    for a in await PurchaseOrderLineAck.filter(order_line_id__in=line_ids).order_by("id"):
        out[a.order_line_id] = Ack(
            a.decision, a.promised_date, Decimal(a.promised_quantity), a.note, a.acknowledged_at
        )
    return out


async def orders(supplier_id: int | None, limit: int = 100) -> list[OrderSummary]:
    query = PurchaseOrder.exclude(status="draft")
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    rows = await query.order_by("-id").limit(limit)
    acked = {a.order_id for a in await PurchaseOrderLineAck.filter(order_id__in=[r.id for r in rows])}
    return [
        OrderSummary(r.id, r.number or "", r.status, r.expected_date, r.created_at, r.currency, r.id in acked)
        for r in rows
    ]


async def order(order_id: int, supplier_id: int | None) -> OrderView:
    row = await scoped_order(order_id, supplier_id)
    if row.status == "draft" and supplier_id is not None:
        raise NotFound("purchase order", order_id, ("orderId",))  # a draft was never sent to the supplier
    lines = await PurchaseOrderLine.filter(order_id=row.id).order_by("id")
    skus = {s.id: s for s in await Sku.filter(id__in={ln.sku_id for ln in lines})}
    acks = await latest_acks([ln.id for ln in lines])
    return OrderView(
        OrderSummary(
            row.id, row.number or "", row.status, row.expected_date, row.created_at, row.currency, bool(acks)
        ),
        row.warehouse_id,
        tuple(
            OrderLineView(
                ln.id,
                skus[ln.sku_id].code,
                skus[ln.sku_id].name_zh,
                skus[ln.sku_id].name_en,
                Decimal(ln.quantity),
                ln.unit,
                Decimal(ln.unit_price),
                Decimal(ln.received_base),
                skus[ln.sku_id].base_unit,
                skus[ln.sku_id].shelf_life_days,
                acks.get(ln.id),
            )
            for ln in lines
        ),
        tuple(
            (a.id, a.number or "", a.status, a.expected_arrival)
            for a in await AdvanceShippingNotice.filter(order_id=row.id).order_by("id")
        ),
        tuple(
            (r.id, r.number or "", r.received_at)
            for r in await GoodsReceipt.filter(order_id=row.id).order_by("id")
        ),
        tuple(
            (r.id, r.number or "", r.returned_at, r.reason)
            for r in await SupplierReturn.filter(order_id=row.id).order_by("id")
        ),
    )


async def asns(supplier_id: int | None, limit: int = 100) -> list[AsnView]:
    query = AdvanceShippingNotice.all()
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    return [await _asn_view(a) for a in await query.order_by("-id").limit(limit)]


async def asn(asn_id: int, supplier_id: int | None) -> AsnView:
    return await _asn_view(await scoped_asn(asn_id, supplier_id))


async def _asn_view(a: AdvanceShippingNotice) -> AsnView:
    lines = await AsnLine.filter(asn_id=a.id).order_by("id")
    order_lines = {
        ol.id: ol for ol in await PurchaseOrderLine.filter(id__in={ln.order_line_id for ln in lines})
    }
    skus = {s.id: s for s in await Sku.filter(id__in={ol.sku_id for ol in order_lines.values()})}
    order_row = await PurchaseOrder.get(id=a.order_id)
    return AsnView(
        a.id,
        a.number or "",
        a.order_id,
        order_row.number or "",
        a.supplier_id,
        a.status,
        a.expected_arrival,
        a.note,
        a.created_at,
        a.receipt_id,
        a.received_at,
        a.cancelled_at,
        a.cancel_reason,
        tuple(
            AsnLineView(
                ln.id,
                ln.order_line_id,
                skus[order_lines[ln.order_line_id].sku_id].code,
                skus[order_lines[ln.order_line_id].sku_id].name_zh,
                ln.lot_code,
                Decimal(ln.quantity),
                order_lines[ln.order_line_id].unit,
                ln.production_date,
                ln.expiry_date,
                ln.best_before_date,
            )
            for ln in lines
        ),
        tuple(_cert_view(c) for c in await Certificate.filter(asn_id=a.id).order_by("id")),
        tuple(
            DifferenceView(d.asn_line_id, d.field, d.expected, d.received)
            for d in await AsnDifference.filter(asn_id=a.id).order_by("id")
        ),
    )


def _cert_view(c: Certificate) -> CertificateView:
    return CertificateView(
        c.id,
        c.asn_line_id,
        c.lot_code,
        c.kind,
        c.sha256,
        c.content_type,
        c.size,
        c.filename,
        c.uploaded_at,
        c.event_id,
    )
