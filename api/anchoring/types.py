"""Anchoring GraphQL types: an event's anchor status and proof, anchors with their transactions, a batch's
verification summary."""

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from domain.anchoring import services
from domain.anchoring import verification as checks
from domain.trace.integrity import State


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
    verification: str = strawberry.field(
        description="checked now: verified | altered | inserted | not_anchored | unverifiable | missing"
    )
    event: JSON | None = strawberry.field(description="the stored event: exactly the JSON that is hashed")

    @classmethod
    def of(
        cls, event_id: str, p: services.EventProof | None, check: checks.EventCheck | None
    ) -> "EventAnchorStatus":
        state = check.state if check is not None else State.MISSING
        body = JSON(check.body) if check is not None else None
        if p is None:
            return cls(
                event_id=event_id,
                anchored=False,
                status="pending",
                root=None,
                tx_hash=None,
                block_number=None,
                proof_file=None,
                verification=state,
                event=body,
            )
        ref = p.proof_file.anchor
        return cls(
            event_id=p.event_id,
            anchored=state == State.VERIFIED,
            verification=state,
            event=body,
            status=p.status,
            root="0x" + p.proof_file.root.hex(),
            tx_hash=None if ref is None else "0x" + ref.tx_hash.hex(),
            block_number=None if ref is None else str(ref.block_number),
            proof_file=JSON(p.proof_file.to_dict()) if ref is not None else None,
        )


@strawberry.type(description="A missing position of a lot's hash chain: an event that was deleted.")
class MissingEvent:
    stream: str = strawberry.field(description="the lot's EPCIS class")
    seq: int
    before_event_id: str | None = strawberry.field(description="the next event still present")


@strawberry.type(description="A batch's trace events, checked now against the chain (not the anchor rows).")
class BatchVerification:
    state: str = strawberry.field(
        description="the worst of its events: altered | missing | inserted | unverifiable | not_anchored | "
        "verified"
    )
    events: int
    anchored: int = strawberry.field(description="verified against a root read from the chain")
    pending: int = strawberry.field(description="intact, not (yet) anchored, or the chain could not be read")
    failed: int = strawberry.field(description="altered + inserted + missing")
    altered: int
    inserted: int
    missing: int
    altered_event_ids: list[str]
    inserted_event_ids: list[str]
    missing_events: list[MissingEvent]
    before_receipt_event_ids: list[str] = strawberry.field(
        description="events dated before their lot's first event (its receipt or production): flagged"
    )

    @classmethod
    def of(cls, v: checks.Verification) -> "BatchVerification":
        def ids(state: State) -> list[str]:
            return [e.event_id for e in v.events if e.state == state]

        altered, inserted = ids(State.ALTERED), ids(State.INSERTED)
        return cls(
            state=v.state,
            events=len(v.events),
            anchored=v.count(State.VERIFIED),
            pending=v.count(State.NOT_ANCHORED) + v.count(State.UNVERIFIABLE),
            failed=len(altered) + len(inserted) + len(v.missing),
            altered=len(altered),
            inserted=len(inserted),
            missing=len(v.missing),
            altered_event_ids=altered,
            inserted_event_ids=inserted,
            before_receipt_event_ids=[e.event_id for e in v.events if e.before_first],
            missing_events=[
                MissingEvent(stream=g.stream, seq=g.seq, before_event_id=_event_id(v, g.before))
                for g in v.missing
            ],
        )


def _event_id(v: checks.Verification, pk: int | None) -> str | None:
    return next((e.event_id for e in v.events if e.pk == pk), None)
