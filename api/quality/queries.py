"""Quality queries: batch alerts, of one batch or all, open or not."""
# mypy: disable-error-code="untyped-decorator"

import strawberry

from api import auth
from api import relay as rl
from api.context import Info
from api.quality import types
from domain.common.errors import NotFound
from domain.inventory.models import Batch
from domain.partners.rules import Permission as Perm
from domain.quality.models import BatchAlert

_READ = [auth.needs(Perm.TRACE_READ)]


@strawberry.type
class QualityQuery:
    @strawberry.field(
        permission_classes=_READ,
        description="Cold-chain alerts, oldest first: of one batch (else all); open: not acknowledged yet.",
    )
    async def batch_alerts(
        self,
        info: Info,
        batch_id: strawberry.ID | None = None,
        open: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[types.BatchAlert]:
        query = BatchAlert.all()
        if (bid := rl.maybe_id(batch_id, "Batch", ("batchId",))) is not None:
            if not await Batch.exists(id=bid):
                raise NotFound("batch", bid, ("batchId",))
            query = query.filter(batch_id=bid)
        if open is not None:
            query = query.filter(acknowledged_at__isnull=open)
        return await rl.paginate(query, first, after, types.BatchAlert.from_row)
