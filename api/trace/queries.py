"""Trace queries: events of a batch, genealogy both ways, recall, EPCIS and FSMA exports."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime

import strawberry
from strawberry.scalars import JSON
from tortoise.expressions import Subquery

from api import auth, enums
from api import relay as rl
from api.context import Info
from api.trace import genealogy_types, types
from domain.common.errors import NotFound
from domain.inventory.models import Batch
from domain.partners.rules import Permission as Perm
from domain.quality.models import QualityCheck
from domain.trace import export, genealogy
from domain.trace import models as trace_models
from domain.trace.models import TraceEventBatch

_READ = [auth.needs(Perm.TRACE_READ)]


def _selection(
    batch_id: strawberry.ID | None, since: datetime | None, until: datetime | None
) -> export.Selection:
    return export.Selection(rl.maybe_id(batch_id, "Batch", ("batchId",)), since, until)


@strawberry.type
class TraceQuery:
    @strawberry.field(
        permission_classes=_READ,
        description="Every event about a batch, ours and captured, in the order recorded (cursor: event id).",
    )
    async def batch_events(
        self, info: Info, batch_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> rl.Connection[types.TraceEvent]:
        bid = rl.decode_id(batch_id, "Batch", ("batchId",))
        if not await Batch.exists(id=bid):
            raise NotFound("batch", bid, ("batchId",))
        linked = TraceEventBatch.filter(batch_id=bid).values("event_id")
        query = trace_models.TraceEvent.filter(id__in=Subquery(linked))
        return await rl.paginate(query, first, after, types.TraceEvent.from_row)

    @strawberry.field(
        permission_classes=_READ, description="Quality checks, of one batch and/or in one status."
    )
    async def quality_checks(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        batch_id: strawberry.ID | None = None,
        status: enums.QualityCheckStatus | None = None,
    ) -> rl.Connection[types.QualityCheck]:
        query = QualityCheck.all()
        if (bid := rl.maybe_id(batch_id, "Batch", ("batchId",))) is not None:
            query = query.filter(batch_id=bid)
        if status is not None:
            query = query.filter(status=status.value)
        return await rl.paginate(query, first, after, types.QualityCheck.from_row)

    @strawberry.field(permission_classes=_READ)
    async def trace_backward(self, info: Info, batch_id: strawberry.ID) -> genealogy_types.BackwardTrace:
        return genealogy_types.BackwardTrace.of(
            await genealogy.trace_backward(rl.decode_id(batch_id, "Batch", ("batchId",)))
        )

    @strawberry.field(permission_classes=_READ)
    async def trace_forward(self, info: Info, batch_id: strawberry.ID) -> genealogy_types.ForwardTrace:
        return genealogy_types.ForwardTrace.of(
            await genealogy.trace_forward(rl.decode_id(batch_id, "Batch", ("batchId",)))
        )

    @strawberry.field(permission_classes=_READ)
    async def recall(self, info: Info, batch_id: strawberry.ID) -> genealogy_types.Recall:
        return genealogy_types.Recall.of(
            await genealogy.recall(rl.decode_id(batch_id, "Batch", ("batchId",)))
        )

    @strawberry.field(
        permission_classes=_READ,
        description="An EPCIS 2.0 document of a batch's events and/or of a window [since, until).",
    )
    async def epcis_export(
        self,
        info: Info,
        batch_id: strawberry.ID | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> JSON:
        return JSON(await export.epcis_export(_selection(batch_id, since, until), datetime.now(UTC)))

    @strawberry.field(permission_classes=_READ)
    async def fsma_report(
        self,
        info: Info,
        batch_id: strawberry.ID | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> types.FsmaReport:
        rows = await export.fsma_rows(_selection(batch_id, since, until))
        return types.FsmaReport.of(len(rows), export.to_csv(rows), export.to_xlsx(rows))
