"""Anchoring GraphQL types: an event's anchor status and proof, anchors with their transactions, a batch's
verification summary."""

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from domain.anchoring import services


@strawberry.type(description="A Merkle root of trace events committed to the AnchorRegistry contract.")
class Anchor:
    id: strawberry.ID
    root: str
    previous_root: str
    leaf_count: int
    status: str = strawberry.field(description="pending | submitted | confirmed | dropped")
    chain_id: str  # a string: chain ids overflow GraphQL's 32-bit Int
    contract: str
    tx_hash: str | None
    block_number: str | None
    created_at: datetime
    confirmed_at: datetime | None

    @classmethod
    def of(cls, a: services.AnchorRow) -> "Anchor":
        return cls(
            id=strawberry.ID(rl.encode_id("Anchor", a.anchor_id)),
            root=a.root,
            previous_root=a.previous_root,
            leaf_count=a.leaf_count,
            status=a.status,
            chain_id=str(a.chain_id),
            contract=a.contract,
            tx_hash=a.tx_hash,
            block_number=None if a.block_number is None else str(a.block_number),
            created_at=a.created_at,
            confirmed_at=a.confirmed_at,
        )


@strawberry.type(description="Where a trace event stands: anchored, with its proof file, or pending.")
class EventAnchorStatus:
    event_id: str = strawberry.field(description="EPCIS event hash ID")
    anchored: bool
    status: str = strawberry.field(description="its anchor's status, or pending when it has none yet")
    root: str | None
    tx_hash: str | None
    block_number: str | None
    proof_file: JSON | None = strawberry.field(description="the proof file (lotline verify), once submitted")

    @classmethod
    def of(cls, event_id: str, p: services.EventProof | None) -> "EventAnchorStatus":
        if p is None:
            return cls(
                event_id=event_id,
                anchored=False,
                status="pending",
                root=None,
                tx_hash=None,
                block_number=None,
                proof_file=None,
            )
        ref = p.proof_file.anchor
        return cls(
            event_id=p.event_id,
            anchored=p.status == "confirmed",
            status=p.status,
            root="0x" + p.proof_file.root.hex(),
            tx_hash=None if ref is None else "0x" + ref.tx_hash.hex(),
            block_number=None if ref is None else str(ref.block_number),
            proof_file=JSON(p.proof_file.to_dict()) if ref is not None else None,
        )


@strawberry.type(description="How many of a batch's trace events are anchored, pending, or fail their check.")
class BatchVerification:
    events: int
    anchored: int
    pending: int
    failed: int

    @classmethod
    def of(cls, s: services.AnchoringSummary) -> "BatchVerification":
        return cls(events=s.events, anchored=s.anchored, pending=s.pending, failed=s.failed)
