# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Trace GraphQL types: genealogy trees, recall, events, quality checks and the FSMA spreadsheet."""

import base64
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api import relay as rl
from api.context import Info
from api.inventory.types import Batch, batch_of
from api.scalars import Quantity, qty
from domain.partners.rules import Permission as Perm
from domain.quality import models as quality_models
from domain.trace import genealogy
from domain.trace import models as trace_models

_READ = Perm.TRACE_READ


@strawberry.type
class TraceBatch:
    id: strawberry.ID
    sku_code: str
    lot_code: str
    status: str
    expiry_date: date | None
    unit: str = strawberry.field(description="The SKU's base unit, the unit of this batch's quantities.")

    @classmethod
    def of(cls, b: genealogy.BatchRef) -> "TraceBatch":
        return cls(
            id=strawberry.ID(rl.encode_id("Batch", b.id)),
            sku_code=b.sku_code,
            lot_code=b.lot_code,
            status=b.status,
            expiry_date=b.expiry_date,
            unit=b.unit,
        )


@strawberry.type
class TraceParty:
    code: str
    name: str


@strawberry.type
class TraceReceipt:
    number: str
    order_number: str
    received_at: datetime
    quantity: Quantity


@strawberry.type
class TraceCheck:
    number: str
    status: str
    inspector: str
    decided_at: datetime | None


@strawberry.type(description="A batch, where it came from, and the same for each input, recursively.")
class BackwardTrace:
    batch: TraceBatch
    supplier: TraceParty | None
    receipts: list[TraceReceipt]
    checks: list[TraceCheck]
    inputs: list["BackwardTrace"]

    @classmethod
    def of(cls, n: genealogy.BackwardNode) -> "BackwardTrace":
        return cls(
            batch=TraceBatch.of(n.batch),
            supplier=TraceParty(code=n.supplier.code, name=n.supplier.name) if n.supplier else None,
            receipts=[
                TraceReceipt(
                    number=r.number,
                    order_number=r.order_number,
                    received_at=r.received_at,
                    quantity=qty(r.quantity, n.batch.unit),
                )
                for r in n.receipts
            ],
            checks=[TraceCheck(**vars(c)) for c in n.checks],
            inputs=[cls.of(i) for i in n.inputs],
        )


@strawberry.type
class TraceShipment:
    number: str
    order_number: str
    customer: TraceParty
    shipped_at: datetime
    quantity: Quantity


@strawberry.type
class TraceStock:
    location_code: str
    status: str
    quantity: Quantity


@strawberry.type(description="A batch, where it went and what is left, and the same for its products.")
class ForwardTrace:
    batch: TraceBatch
    shipments: list[TraceShipment]
    stock: list[TraceStock]
    outputs: list["ForwardTrace"]

    @classmethod
    def of(cls, n: genealogy.ForwardNode) -> "ForwardTrace":
        return cls(
            batch=TraceBatch.of(n.batch),
            shipments=[
                TraceShipment(
                    number=s.number,
                    order_number=s.order_number,
                    customer=TraceParty(code=s.customer.code, name=s.customer.name),
                    shipped_at=s.shipped_at,
                    quantity=qty(s.quantity, n.batch.unit),
                )
                for s in n.shipments
            ],
            stock=[
                TraceStock(
                    location_code=s.location_code, status=s.status, quantity=qty(s.quantity, n.batch.unit)
                )
                for s in n.stock
            ],
            outputs=[cls.of(o) for o in n.outputs],
        )


def _per_unit(totals: dict[str, Decimal]) -> list[Quantity]:
    return [qty(value, unit) for unit, value in sorted(totals.items())]


@strawberry.type
class RecallLot:
    sku_code: str
    lot_code: str
    quantity: Quantity


@strawberry.type
class RecallCustomer:
    customer: TraceParty
    shipped: list[Quantity] = strawberry.field(description="Totals per unit (products may differ in unit).")
    returned: list[Quantity] = strawberry.field(description="Totals per unit, of what was shipped.")
    lots: list[RecallLot]
    documents: list[str]


@strawberry.type
class RecallStock:
    location_code: str
    sku_code: str
    lot_code: str
    status: str
    quantity: Quantity


@strawberry.type(description="What a recall of a batch must reach: customers and stock, through products.")
class Recall:
    batch: TraceBatch
    affected_batches: list[TraceBatch]
    customers: list[RecallCustomer]
    stock: list[RecallStock]

    @classmethod
    def of(cls, r: genealogy.Recall) -> "Recall":
        return cls(
            batch=TraceBatch.of(r.batch),
            affected_batches=[TraceBatch.of(b) for b in r.affected_batches],
            customers=[
                RecallCustomer(
                    customer=TraceParty(code=c.customer.code, name=c.customer.name),
                    shipped=_per_unit(c.shipped),
                    returned=_per_unit(c.returned),
                    lots=[
                        RecallLot(sku_code=s, lot_code=lot, quantity=qty(q, unit))
                        for s, lot, q, unit in c.lots
                    ],
                    documents=c.documents,
                )
                for c in r.customers
            ],
            stock=[
                RecallStock(
                    location_code=s.location_code,
                    sku_code=s.sku_code,
                    lot_code=s.lot_code,
                    status=s.status,
                    quantity=qty(s.quantity, s.unit),
                )
                for s in r.stock
            ],
        )


@strawberry.type(description="An EPCIS 2.0 event: ours, or captured from a partner (origin external).")
class TraceEvent(relay.Node):
    id: relay.NodeID[int]
    event_id: str = strawberry.field(description="EPCIS Event Hash ID (CBV 2.0).")
    event_type: str
    biz_step: str
    action: str | None
    disposition: str | None
    event_time: datetime
    origin: str
    doc_type: str
    leaf: str = strawberry.field(description="Hex SHA-256 of the canonical JSON (RFC 8785).")
    body: JSON
    declared_event_id: str | None = strawberry.field(
        default=None,
        description="Captured events: the eventID the partner sent, when it is not the hash of the event.",
    )

    @strawberry.field(description="True when a captured event's own eventID does not match its hash.")
    def event_id_mismatch(self) -> bool:
        return self.declared_event_id is not None

    @classmethod
    def from_row(cls, e: trace_models.TraceEvent) -> "TraceEvent":
        return cls(
            id=e.id,
            event_id=e.event_id,
            event_type=e.event_type,
            biz_step=e.biz_step,
            action=e.action,
            disposition=e.disposition,
            event_time=e.event_time,
            origin=e.origin,
            doc_type=e.doc_type,
            leaf=e.leaf,
            body=JSON(e.body),
            declared_event_id=e.declared_event_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, trace_models.TraceEvent, _READ, cls.from_row)


@strawberry.type
class QualityResult:
    parameter: str
    value: str
    limit: str
    unit: str
    passed: bool


@strawberry.type
class QualityAttachment:
    filename: str
    sha256: str = strawberry.field(description="Lower-case hex SHA-256 of the file.")


@strawberry.type(description="One inspection of one batch: pending, inspecting, then passed or failed.")
class QualityCheck(relay.Node):
    id: relay.NodeID[int]
    number: str
    status: str
    inspector: str
    origin_document_type: str = strawberry.field(description="The posting that opened it, if any.")
    results: list[QualityResult]
    attachments: list[QualityAttachment]
    created_at: datetime
    started_at: datetime | None
    decided_at: datetime | None
    batch_id: strawberry.Private[int]

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @classmethod
    def from_row(cls, c: quality_models.QualityCheck) -> "QualityCheck":
        return cls(
            id=c.id,
            number=c.number or "",
            status=c.status,
            inspector=c.inspector,
            origin_document_type=c.origin_doc_type,
            results=[
                QualityResult(
                    parameter=str(r.get("parameter", "")),
                    value=str(r.get("value", "")),
                    limit=str(r.get("limit", "")),
                    unit=str(r.get("unit", "")),
                    passed=bool(r.get("passed", False)),
                )
                for r in c.results
            ],
            attachments=[
                QualityAttachment(filename=str(a.get("filename", "")), sha256=str(a.get("sha256", "")))
                for a in c.attachments
            ],
            created_at=c.created_at,
            started_at=c.started_at,
            decided_at=c.decided_at,
            batch_id=c.batch_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, quality_models.QualityCheck, _READ, cls.from_row)


@strawberry.type(description="FSMA 204 electronic sortable spreadsheet, as CSV and XLSX (base64).")
class FsmaReport:
    row_count: int
    csv_base64: str
    xlsx_base64: str

    @classmethod
    def of(cls, rows: int, csv: bytes, xlsx: bytes) -> "FsmaReport":
        return cls(
            row_count=rows,
            csv_base64=base64.b64encode(csv).decode("ascii"),
            xlsx_base64=base64.b64encode(xlsx).decode("ascii"),
        )
