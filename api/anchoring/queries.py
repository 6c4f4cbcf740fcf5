"""Anchoring queries. Wire into the schema: ``class Query(..., AnchoringQuery)`` in api/schema.py."""
# mypy: disable-error-code="untyped-decorator"

import strawberry

from api import auth, enums
from api import relay as rl
from api.anchoring import types
from api.context import Info
from domain.anchoring import services, verification
from domain.partners.rules import Permission as Perm
from lotline.chainview import roots_of_app

_READ = [auth.needs(Perm.TRACE_READ)]
MAX_ANCHORS = 100


@strawberry.type
class AnchoringQuery:
    @strawberry.field(
        permission_classes=_READ, description="A trace event's anchor and proof, by EPCIS event ID."
    )
    async def event_anchor(self, info: Info, event_id: str) -> types.EventAnchorStatus:
        roots = roots_of_app(getattr(getattr(info.context.request, "app", None), "state", None))
        check = await verification.verify_event(event_id, roots)
        return types.EventAnchorStatus.of(event_id, await services.proof_of(event_id), check)

    @strawberry.field(permission_classes=_READ, description="The latest anchors, newest first (at most 100).")
    async def anchors(
        self, info: Info, status: enums.AnchorState | None = None, first: int = 20
    ) -> list[types.Anchor]:
        # ``first`` is checked by the input boundary (0 to MAX_ANCHORS, api/boundary/columns.py).
        if first <= 0:
            return []
        rows = await services.list_anchors(status=enums.value_of(status), limit=min(first, MAX_ANCHORS))
        return [types.Anchor.of(a) for a in rows]

    @strawberry.field(
        permission_classes=_READ,
        description="A batch's events checked now: re-hashed, proofs followed to roots read from the chain, "
        "its lots' hash chains walked for missing and slipped-in events.",
    )
    async def batch_verification(self, info: Info, batch_id: strawberry.ID) -> types.BatchVerification:
        batch = rl.decode_id(batch_id, "Batch", ("batchId",))
        roots = roots_of_app(getattr(getattr(info.context.request, "app", None), "state", None))
        return types.BatchVerification.of(await verification.verify_batch(batch, roots))
