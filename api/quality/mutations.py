"""Quality mutations: they translate, the services decide."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.context import Info
from api.quality import inputs, types
from domain.partners.rules import Permission as Perm
from domain.quality import alerts

BatchAlertAcknowledgeResult = Annotated[
    types.BatchAlert | errors.AnyUserError, strawberry.union("BatchAlertAcknowledgeResult")
]


@strawberry.type
class QualityMutation:
    @strawberry.mutation(description="Marks an open cold-chain alert as seen by the quality team.")
    async def batch_alert_acknowledge(
        self, info: Info, input: inputs.BatchAlertAcknowledgeInput
    ) -> BatchAlertAcknowledgeResult:
        async def run() -> types.BatchAlert:
            principal = auth.require(info, Perm.QUALITY)
            view = await alerts.batch_alert_acknowledge(
                input.id(), principal.user_id, datetime.now(UTC), input.note
            )
            return types.BatchAlert.of(view)

        return await errors.guard(run())
