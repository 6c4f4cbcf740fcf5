"""Trace queries: events of a batch, genealogy both ways, recall, EPCIS and FSMA exports."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime

import strawberry
from strawberry.scalars import JSON

from lotline.api import auth
from lotline.api import relay as rl
from lotline.api.context import Info
from lotline.api.trace import types
from lotline.domain.partners.rules import Permission as Perm
from lotline.domain.trace import export, genealogy

_READ = [auth.needs(Perm.TRACE_READ)]


def _selection(
    batch_id: strawberry.ID | None, since: datetime | None, until: datetime | None
) -> export.Selection:
    return export.Selection(rl.maybe_id(batch_id, "Batch", ("batchId",)), since, until)


@strawberry.type
class TraceQuery:
    @strawberry.field(permission_classes=_READ, description="Every event about a batch, oldest first.")
    async def batch_events(self, info: Info, batch_id: strawberry.ID) -> list[types.TraceEvent]:
        events = await genealogy.batch_events(rl.decode_id(batch_id, "Batch", ("batchId",)))
        return [types.TraceEvent.of(e) for e in events]

    @strawberry.field(permission_classes=_READ)
    async def trace_backward(self, info: Info, batch_id: strawberry.ID) -> types.BackwardTrace:
        return types.BackwardTrace.of(
            await genealogy.trace_backward(rl.decode_id(batch_id, "Batch", ("batchId",)))
        )

    @strawberry.field(permission_classes=_READ)
    async def trace_forward(self, info: Info, batch_id: strawberry.ID) -> types.ForwardTrace:
        return types.ForwardTrace.of(
            await genealogy.trace_forward(rl.decode_id(batch_id, "Batch", ("batchId",)))
        )

    @strawberry.field(permission_classes=_READ)
    async def recall(self, info: Info, batch_id: strawberry.ID) -> types.Recall:
        return types.Recall.of(await genealogy.recall(rl.decode_id(batch_id, "Batch", ("batchId",))))

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
