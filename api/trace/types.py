# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Trace GraphQL types: genealogy trees, recall, events, quality checks and the FSMA spreadsheet.

The genealogy trees and the recall live in ``api.trace.genealogy_types`` and are re-exported here.
"""

import base64
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.context import Info
from api.inventory.types import Batch, batch_of
from api.trace.genealogy_types import (
    BackwardTrace,
    ForwardTrace,
    Recall,
    RecallCustomer,
    RecallLot,
    RecallStock,
    TraceBatch,
    TraceCheck,
    TraceParty,
    TraceReceipt,
    TraceShipment,
    TraceStock,
)
from domain.partners.rules import Permission as Perm
from domain.quality import models as quality_models
from domain.trace import models as trace_models

__all__ = [
    "BackwardTrace",
    "ForwardTrace",
    "FsmaReport",
    "QualityAttachment",
    "QualityCheck",
    "QualityResult",
    "Recall",
    "RecallCustomer",
    "RecallLot",
    "RecallStock",
    "TraceBatch",
    "TraceCheck",
    "TraceEvent",
    "TraceParty",
    "TraceReceipt",
    "TraceShipment",
    "TraceStock",
]

_READ = Perm.TRACE_READ


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
