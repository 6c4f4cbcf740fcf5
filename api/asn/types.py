# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""ASN types. A supplier user sees only its own supplier's ASNs, their lines, certificates and differences."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.context import Info
from api.customfields.types import values_of
from api.purchasing.types import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
from api.scalars import Quantity, qty
from domain.asn import models, rules
from domain.partners.rules import Permission as Perm
from domain.purchasing import models as purchasing

_READ = Perm.PURCHASING_READ


async def _order_line(info: Info, line_id: int) -> PurchaseOrderLine:
    row = await info.context.loaders.by_id(purchasing.PurchaseOrderLine).load(line_id)
    assert row is not None
    order = await info.context.loaders.by_id(purchasing.PurchaseOrder).load(row.order_id)
    assert order is not None
    return PurchaseOrderLine.from_row(row, order.currency, info)


async def _unit(info: Info, line_id: int) -> str:
    row = await info.context.loaders.by_id(purchasing.PurchaseOrderLine).load(line_id)
    assert row is not None
    return row.unit


@strawberry.type(
    description="A supplier's word on one order line: accepted (promised date and quantity) or not."
)
class PurchaseOrderLineAcknowledgement:
    order_line_id: strawberry.Private[int]
    decision: str = strawberry.field(description="accepted | declined")
    promised_date: date | None
    note: str
    acknowledged_at: datetime
    promised: strawberry.Private[Decimal]

    @strawberry.field
    async def order_line(self, info: Info) -> PurchaseOrderLine:
        return await _order_line(info, self.order_line_id)

    @strawberry.field(description="In the order line's unit; zero when declined.")
    async def promised_quantity(self, info: Info) -> Quantity:
        return qty(self.promised, await _unit(info, self.order_line_id))

    @classmethod
    def from_row(cls, r: models.PurchaseOrderLineAck) -> "PurchaseOrderLineAcknowledgement":
        return cls(
            order_line_id=r.order_line_id,
            decision=r.decision,
            promised_date=r.promised_date,
            note=r.note,
            acknowledged_at=r.acknowledged_at,
            promised=Decimal(r.promised_quantity),
        )


@strawberry.type
class AsnLine:
    id: strawberry.ID
    lot_code: str
    production_date: date | None
    expiry_date: date | None
    best_before_date: date | None
    order_line_id: strawberry.Private[int]
    amount: strawberry.Private[Decimal]

    @strawberry.field
    async def order_line(self, info: Info) -> PurchaseOrderLine:
        return await _order_line(info, self.order_line_id)

    @strawberry.field(description="Announced, in the order line's unit.")
    async def quantity(self, info: Info) -> Quantity:
        return qty(self.amount, await _unit(info, self.order_line_id))

    @classmethod
    def from_row(cls, r: models.AsnLine) -> "AsnLine":
        return cls(
            id=strawberry.ID(str(relay.GlobalID("AsnLine", str(r.id)))),
            lot_code=r.lot_code,
            production_date=r.production_date,
            expiry_date=r.expiry_date,
            best_before_date=r.best_before_date,
            order_line_id=r.order_line_id,
            amount=Decimal(r.quantity),
        )


@strawberry.type(description="A field in which what was received differs from what the ASN announced.")
class AsnDifference:
    asn_line_id: strawberry.ID | None
    field: str = strawberry.field(description="lot_code | quantity | production_date | expiry_date | …")
    expected: str
    received: str

    @classmethod
    def from_row(cls, r: models.AsnDifference) -> "AsnDifference":
        line = (
            None
            if r.asn_line_id is None
            else strawberry.ID(str(relay.GlobalID("AsnLine", str(r.asn_line_id))))
        )
        return cls(asn_line_id=line, field=r.field, expected=r.expected, received=r.received)


@strawberry.type(description="A quality certificate or test report, stored by its SHA-256.")
class Certificate:
    lot_code: str
    kind: str = strawberry.field(description="quality_certificate | test_report")
    sha256: str
    content_type: str
    size: int
    filename: str
    uploaded_at: datetime
    anchored_event: strawberry.Private[int | None]

    @strawberry.field(description="The RFC 6920 URI the lot's EPCIS event carries as certificationInfo.")
    def certification_info(self) -> str:
        return rules.certification_uri(self.sha256)

    @strawberry.field(description="True once the hash is in a trace event (queued for anchoring).")
    def recorded(self) -> bool:
        return self.anchored_event is not None

    @classmethod
    def from_row(cls, r: models.Certificate) -> "Certificate":
        return cls(
            lot_code=r.lot_code,
            kind=r.kind,
            sha256=r.sha256,
            content_type=r.content_type,
            size=r.size,
            filename=r.filename,
            uploaded_at=r.uploaded_at,
            anchored_event=r.event_id,
        )


async def _own_asn(info: Info, row: models.AdvanceShippingNotice, supplier_id: int) -> bool:
    return row.supplier_id == supplier_id


@strawberry.type(description="到货通知: a supplier's notice of which lots arrive when, against an order.")
class AdvanceShippingNotice(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    status: str = strawberry.field(description="open | received | cancelled")
    expected_arrival: datetime
    note: str
    created_at: datetime
    received_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    order_id: strawberry.Private[int]
    receipt_id: strawberry.Private[int | None]
    custom_fields: JSON = strawberry.field(default_factory=dict, description="Custom field values by key.")

    @strawberry.field
    async def purchase_order(self, info: Info) -> PurchaseOrder:
        return await nodes.load_required(
            info, purchasing.PurchaseOrder, self.order_id, lambda r: PurchaseOrder.from_row(r, info)
        )

    @strawberry.field
    async def lines(self, info: Info) -> list[AsnLine]:
        return await nodes.load_children(info, models.AsnLine, "asn_id", self.id, AsnLine.from_row)

    @strawberry.field
    async def certificates(self, info: Info) -> list[Certificate]:
        return await nodes.load_children(info, models.Certificate, "asn_id", self.id, Certificate.from_row)

    @strawberry.field(description="Recorded when the receipt was posted from this ASN.")
    async def differences(self, info: Info) -> list[AsnDifference]:
        return await nodes.load_children(
            info, models.AsnDifference, "asn_id", self.id, AsnDifference.from_row
        )

    @strawberry.field(description="The goods receipt posted from this ASN.")
    async def receipt(self, info: Info) -> GoodsReceipt | None:
        return await nodes.load_one(info, purchasing.GoodsReceipt, self.receipt_id, GoodsReceipt.from_row)

    @classmethod
    def from_row(cls, r: models.AdvanceShippingNotice) -> "AdvanceShippingNotice":
        return cls(
            id=r.id,
            number=r.number,
            status=r.status,
            expected_arrival=r.expected_arrival,
            note=r.note,
            created_at=r.created_at,
            received_at=r.received_at,
            cancelled_at=r.cancelled_at,
            cancel_reason=r.cancel_reason,
            order_id=r.order_id,
            receipt_id=r.receipt_id,
            custom_fields=values_of(r),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info,
            node_ids,
            models.AdvanceShippingNotice,
            _READ,
            cls.from_row,
            supplier_ok=True,
            visible=_own_asn,
        )
