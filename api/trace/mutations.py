"""Trace and quality mutations: they translate, the services decide."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.nodes import Posted
from api.trace import inputs
from domain.partners.rules import Permission as Perm
from domain.quality import services as quality
from domain.trace import services as trace

QualityCheckStartResult = Annotated[Posted | errors.AnyUserError, strawberry.union("QualityCheckStartResult")]
QualityCheckVerdictResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("QualityCheckVerdictResult")
]
BatchTransformResult = Annotated[Posted | errors.AnyUserError, strawberry.union("BatchTransformResult")]
BatchDestroyResult = Annotated[Posted | errors.AnyUserError, strawberry.union("BatchDestroyResult")]


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class TraceMutation:
    @strawberry.mutation(description="Scans a batch for inspection: locks it in quarantine.")
    async def quality_check_start(
        self, info: Info, input: inputs.QualityCheckStartInput
    ) -> QualityCheckStartResult:
        async def run() -> Posted:
            auth.require(info, Perm.QUALITY)
            batch_id = rl.decode_id(input.batch_id, "Batch", ("batchId",))
            return Posted.of(
                await quality.quality_check_start(
                    batch_id, input.inspector, _now(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Decides an inspection: pass releases the batch, fail rejects it.")
    async def quality_check_verdict(
        self, info: Info, input: inputs.QualityCheckVerdictInput
    ) -> QualityCheckVerdictResult:
        async def run() -> Posted:
            auth.require(info, Perm.QUALITY)
            check_id = rl.decode_id(input.check_id, "QualityCheck", ("checkId",))
            return Posted.of(
                await quality.quality_check_verdict(
                    check_id,
                    input.domain_results(),
                    input.conclusion.value,
                    input.domain_attachments(),
                    _now(),
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Consumes input lots into new output lots (repacking, processing).")
    async def batch_transform(self, info: Info, input: inputs.BatchTransformInput) -> BatchTransformResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            return Posted.of(
                await trace.batch_transform(
                    input.domain_inputs(),
                    input.domain_outputs(),
                    _now(),
                    biz_step=input.biz_step,
                    note=input.note,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(
        description="Writes a rejected or expired batch's stock off to scrap, with its entry and event."
    )
    async def batch_destroy(self, info: Info, input: inputs.BatchDestroyInput) -> BatchDestroyResult:
        async def run() -> Posted:
            principal = auth.require(info, Perm.INVENTORY_WRITE)
            batch_id = rl.decode_id(input.batch_id, "Batch", ("batchId",))
            return Posted.of(
                await trace.batch_destroy(
                    batch_id,
                    _now(),
                    input.reason,
                    key=auth.client_key(info, input.idempotency_key),
                    requested_by_id=principal.user_id,
                )
            )

        return await errors.guard(run())
