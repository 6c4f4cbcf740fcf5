"""Recall queries and mutations: they translate, ``domain.recall.services`` decides.

Opening and closing a recall is a quality decision (``quality``); destroying recalled stock moves it
(``inventory_write``); reading a recall and its customer notice needs ``trace_read`` and ``sales_read``
(the notice names customers and what they bought).
"""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.nodes import Posted
from api.recall import inputs, types
from domain.partners.rules import Permission as Perm
from domain.recall import services

RecallOpenResult = Annotated[Posted | errors.AnyUserError, strawberry.union("RecallOpenResult")]
RecallDestroyResult = Annotated[Posted | errors.AnyUserError, strawberry.union("RecallDestroyResult")]
RecallCloseResult = Annotated[Posted | errors.AnyUserError, strawberry.union("RecallCloseResult")]
_READ = [auth.needs(Perm.TRACE_READ), auth.needs(Perm.SALES_READ)]


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class RecallQuery:
    @strawberry.field(
        permission_classes=_READ,
        description="A recall document with its lots, customers (returns as posted now) and disposals.",
    )
    async def recall_document(self, info: Info, id: strawberry.ID) -> types.RecallDocument:
        return types.RecallDocument.of(
            await services.recall_notice(rl.decode_id(id, "RecallDocument", ("id",)))
        )


@strawberry.type
class RecallMutation:
    @strawberry.mutation(
        description="Opens a recall of a batch and everything made from it: blocks every lot in every "
        "warehouse and records the notice customers and the public page show."
    )
    async def recall_open(self, info: Info, input: inputs.RecallOpenInput) -> RecallOpenResult:
        async def run() -> Posted:
            auth.require(info, Perm.QUALITY)
            batch_id = rl.decode_id(input.batch_id, "Batch", ("batchId",))
            return Posted.of(
                await services.recall_open(
                    batch_id,
                    input.reason,
                    input.notice_zh,
                    input.notice_en,
                    _now(),
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Writes a recalled lot's held stock off to scrap, under the recall.")
    async def recall_destroy(self, info: Info, input: inputs.RecallDestroyInput) -> RecallDestroyResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            recall_id = rl.decode_id(input.recall_id, "RecallDocument", ("recallId",))
            batch_id = rl.decode_id(input.batch_id, "Batch", ("batchId",))
            return Posted.of(
                await services.recall_destroy(
                    recall_id,
                    batch_id,
                    _now(),
                    input.reason,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(
        description="Closes a recall with its summary and an EPCIS record; lots stay blocked."
    )
    async def recall_close(self, info: Info, input: inputs.RecallCloseInput) -> RecallCloseResult:
        async def run() -> Posted:
            auth.require(info, Perm.QUALITY)
            recall_id = rl.decode_id(input.recall_id, "RecallDocument", ("recallId",))
            return Posted.of(
                await services.recall_close(
                    recall_id, _now(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())
