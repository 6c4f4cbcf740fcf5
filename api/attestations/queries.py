# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Attestation queries: a batch's attestations with their state, and the parties. A supplier sees its own
parties and the attestations of batches it supplied (another batch's list is empty, never an error)."""

import strawberry

from api import auth
from api import relay as rl
from api.attestations.types import Attestation, AttestationParty, check_read
from api.context import Info
from api.enums import AttestationState, PartyRole, value_of
from domain.attestations import models
from domain.inventory import models as inventory


@strawberry.type
class AttestationQuery:
    @strawberry.field(description="Attestations in the order they were opened; of one batch, in one state.")
    async def attestations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        batch_id: strawberry.ID | None = None,
        state: AttestationState | None = None,
    ) -> rl.Connection[Attestation]:
        check_read(info)
        query = models.Attestation.all()
        if (scope := auth.supplier_scope(info)) is not None:
            mine = inventory.Batch.filter(supplier_id=scope).values_list("id", flat=True)
            query = query.filter(batch_id__in=list(await mine))
        if (batch := rl.maybe_id(batch_id, "Batch", ("batchId",))) is not None:
            query = query.filter(batch_id=batch)
        if (status := value_of(state)) is not None:
            query = query.filter(status=status)
        return await rl.paginate(query, first, after, Attestation.from_row)

    @strawberry.field(description="Co-signing parties (a supplier user: its own).")
    async def attestation_parties(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        role: PartyRole | None = None,
        include_revoked: bool = False,
    ) -> rl.Connection[AttestationParty]:
        check_read(info)
        query = models.Party.all()
        if (scope := auth.supplier_scope(info)) is not None:
            query = query.filter(supplier_id=scope)
        if (r := value_of(role)) is not None:
            query = query.filter(role=r)
        if not include_revoked:
            query = query.filter(status="active")
        return await rl.paginate(query, first, after, AttestationParty.from_row)
