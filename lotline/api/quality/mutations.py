"""Quality mutations: they translate, the services decide."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from lotline.api import auth, errors
from lotline.api.context import Info
from lotline.api.quality import inputs, types
from lotline.domain.partners.rules import Permission as Perm
from lotline.domain.quality import alerts

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
