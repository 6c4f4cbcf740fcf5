# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Quality types: a batch alert, with its batch and the event whose reading raised it."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.context import Info
from api.inventory.types import Batch, batch_of
from api.trace.types import TraceEvent
from domain.partners.models import User
from domain.partners.rules import Permission as Perm
from domain.quality import alerts
from domain.quality import models as quality_models
from domain.trace import models as trace_models


@strawberry.type(
    description="A sensor reading of a posting outside the SKU's allowed range; stock is not held."
)
class BatchAlert(relay.Node):
    id: relay.NodeID[int]
    kind: str = strawberry.field(description="temperature_high, temperature_low or humidity_high.")
    value: Decimal = strawberry.field(description="The reading.")
    limit: Decimal = strawberry.field(description="The limit of the SKU it broke.")
    unit: str = strawberry.field(description="°C or %RH.")
    reading_time: datetime | None
    device_id: str | None
    document_type: str = strawberry.field(description="The posting that carried the reading.")
    document_id: relay.GlobalID
    document_number: str
    created_at: datetime
    acknowledged_at: datetime | None
    note: str
    batch_id: strawberry.Private[int]
    acknowledged_by_id: strawberry.Private[int | None]
    trace_event_id: strawberry.Private[int]

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @strawberry.field(description="The EPCIS event whose sensorElementList holds the reading.")
    async def trace_event(self, info: Info) -> TraceEvent:
        return await nodes.load_required(
            info, trace_models.TraceEvent, self.trace_event_id, TraceEvent.from_row
        )

    @strawberry.field(description="Who acknowledged it (username), null while open.")
    async def acknowledged_by(self, info: Info) -> str | None:
        return await nodes.load_one(info, User, self.acknowledged_by_id, lambda u: u.username)

    @classmethod
    def of(cls, v: alerts.AlertView) -> "BatchAlert":
        return cls(
            id=v.id,
            kind=v.kind,
            value=v.value,
            limit=v.limit,
            unit=v.unit,
            reading_time=v.reading_time,
            device_id=v.device_id,
            document_type=v.doc_type,
            document_id=relay.GlobalID(nodes.type_name(v.doc_type), str(v.doc_id)),
            document_number=v.doc_number,
            created_at=v.created_at,
            acknowledged_at=v.acknowledged_at,
            note=v.note,
            batch_id=v.batch_id,
            acknowledged_by_id=v.acknowledged_by_id,
            trace_event_id=v.trace_event_id,
        )

    @classmethod
    def from_row(cls, a: quality_models.BatchAlert) -> "BatchAlert":
        return cls.of(alerts.view(a))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, quality_models.BatchAlert, Perm.TRACE_READ, cls.from_row
        )
