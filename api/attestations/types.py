# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Attestation types. A supplier user sees its own parties, and attestations of batches it supplied."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry import relay

from api import auth, nodes
from api.context import Info
from api.enums import AttestationClaim, AttestationState, PartyRole
from api.inventory.types import Batch, batch_of
from domain.attestations import models
from domain.inventory import models as inventory
from domain.partners.rules import Permission as Perm

_PERM = Perm.ATTESTATION


def check_read(info: Info) -> Perm:
    """The permission the caller reads attestations with: staff with trace reading, or anyone with the
    attestation permission (a supplier then scoped to its own). Else the top-level ``FORBIDDEN`` error."""
    principal = auth.principal_of(info)
    if auth.allowed(principal, Perm.TRACE_READ):
        return Perm.TRACE_READ
    if auth.allowed(principal, _PERM, supplier_ok=True):
        return _PERM
    raise auth.NotAllowed(f"the {principal.role.value} role lacks {_PERM.value}")


async def batch_visible(info: Info, batch_id: int, supplier_id: int) -> bool:
    row = await info.context.loaders.by_id(inventory.Batch).load(batch_id)
    return row is not None and row.supplier_id == supplier_id


@strawberry.type(description="Someone who co-signs: the server keeps only the BLS12-381 public key.")
class AttestationParty(relay.Node):
    id: relay.NodeID[int]
    name: str
    role: PartyRole
    public_key: str = strawberry.field(description="48-byte compressed G1 key, hex.")
    key_id: str = strawberry.field(description="keccak256 of the EIP-2537 key: the registry's id.")
    revoked: bool
    name_public: bool = strawberry.field(description="Whether the public provenance page shows the name.")
    registered_at: datetime
    revoked_at: datetime | None
    replaces_id: strawberry.Private[int | None]

    @strawberry.field(description="The party whose key this one replaced (a rotation).")
    async def replaces(self, info: Info) -> "AttestationParty | None":
        return await nodes.load_one(info, models.Party, self.replaces_id, AttestationParty.from_row)

    @classmethod
    def from_row(cls, r: models.Party) -> "AttestationParty":
        return cls(
            id=r.id,
            name=r.name,
            role=PartyRole(r.role),
            public_key=r.public_key,
            key_id=r.key_id,
            revoked=r.status != "active",
            name_public=r.name_public,
            registered_at=r.registered_at,
            revoked_at=r.revoked_at,
            replaces_id=r.replaces_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        perm = check_read(info)

        async def visible(info: Info, row: models.Party, supplier_id: int) -> bool:
            return row.supplier_id == supplier_id

        return await nodes.load_nodes(
            info, node_ids, models.Party, perm, cls.from_row, supplier_ok=True, visible=visible
        )


@strawberry.type(description="One party's signature of an attestation's message.")
class AttestationSignature:
    signature: str = strawberry.field(description="96-byte compressed G2 signature, hex.")
    signed_at: datetime
    party_id: strawberry.Private[int]

    @strawberry.field
    async def party(self, info: Info) -> AttestationParty:
        return await nodes.load_required(info, models.Party, self.party_id, AttestationParty.from_row)


@strawberry.type(
    description="A claim about a batch's anchored history that parties co-sign. The message is "
    '"LOTLINE-ATTESTATION-V1" || chainId (uint256) || registry (20 bytes) || batch (bytes32) || root '
    "(bytes32) || claim (bytes32, zero-padded ASCII) || time (uint64): sign its bytes with the "
    "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ ciphersuite (see docs/proof-format.md)."
)
class Attestation(relay.Node):
    id: relay.NodeID[int]
    claim: AttestationClaim
    root: str
    time: datetime
    chain_id: str = strawberry.field(description="Decimal string (a chain id can exceed 32 bits).")
    registry: str
    message: str = strawberry.field(description="The exact bytes to sign, hex (no 0x).")
    state: AttestationState
    threshold: int
    attempts: int = strawberry.field(
        description="Submissions the worker tried (an outage delays, never drops)."
    )
    tx_hash: str | None
    block_number: str | None
    created_at: datetime
    batch_id: strawberry.Private[int]

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @strawberry.field(description="The signatures kept so far (each verified with its party's key).")
    async def signatures(self, info: Info) -> list[AttestationSignature]:
        rows = await nodes.load_children(info, models.AttestationSignature, "attestation_id", self.id, _sig)
        return sorted(rows, key=lambda s: (s.signed_at, s.party_id))

    @classmethod
    def from_row(cls, r: models.Attestation) -> "Attestation":
        return cls(
            id=r.id,
            claim=AttestationClaim(r.claim),
            root=r.root,
            time=datetime.fromtimestamp(r.time, UTC),
            chain_id=str(r.chain_id),
            registry=r.registry,
            message=r.message,
            state=AttestationState(r.status),
            threshold=r.threshold,
            attempts=r.attempts,
            tx_hash=r.tx_hash,
            block_number=None if r.block_number is None else str(r.block_number),
            created_at=r.created_at,
            batch_id=r.batch_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        perm = check_read(info)

        async def visible(info: Info, row: models.Attestation, supplier_id: int) -> bool:
            return await batch_visible(info, row.batch_id, supplier_id)

        return await nodes.load_nodes(
            info, node_ids, models.Attestation, perm, cls.from_row, supplier_ok=True, visible=visible
        )


def _sig(r: Any) -> AttestationSignature:
    return AttestationSignature(signature=r.signature, signed_at=r.signed_at, party_id=r.party_id)
