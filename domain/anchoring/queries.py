"""Anchoring queries: anchors as rows, event proofs, anchor status per event, and the audit of stored roots.

Read-only (no transaction of its own). ``AnchorRow`` is the read shape of an anchor (hashes as 0x-hex
strings, times timezone-aware UTC) that the claiming side (``domain.anchoring.services``) returns too.
``proof_of`` serves an event's Merkle proof as a ``chain.proof.ProofFile``; ``audit`` recomputes each
anchored root from the stored canonical JSON of its events. The names are re-exported by
``domain.anchoring.services``, where the API, CLI and provenance page look them up.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chain import merkle
from chain.proof import AnchorRef, ProofContext, ProofFile
from domain.anchoring import rules
from domain.anchoring.models import Anchor, EventAnchor
from domain.anchoring.rules import AnchorState, AnchorStatus
from domain.trace.models import TraceEvent


@dataclass(frozen=True)
class AnchorRow:
    anchor_id: int
    root: str
    previous_root: str
    leaf_count: int
    chain_id: int
    contract: str
    status: str
    tx_hash: str | None
    block_number: int | None
    block_hash: str | None
    created_at: datetime
    confirmed_at: datetime | None

    @classmethod
    def of(cls, a: Anchor) -> "AnchorRow":
        return cls(
            a.id,
            a.root,
            a.previous_root,
            a.leaf_count,
            a.chain_id,
            a.contract,
            a.status,
            a.tx_hash,
            a.block_number,
            a.block_hash,
            a.created_at,
            a.confirmed_at,
        )


@dataclass(frozen=True)
class EventProof:
    event_pk: int
    event_id: str  # EPCIS event hash ID
    canonical: str
    status: str  # of its anchor
    proof_file: ProofFile  # with the anchor reference once submitted


# ---- reading -------------------------------------------------------------------------------------------


async def anchor_status_of_events(event_ids: list[int]) -> dict[int, AnchorStatus]:
    """Per trace event id: anchored (in a confirmed anchor) with its block, transaction and root."""
    result = dict.fromkeys(event_ids, rules.NOT_ANCHORED)
    if not event_ids:
        return result
    links = await EventAnchor.filter(
        event_id__in=list(set(event_ids)), anchor__status=AnchorState.CONFIRMED
    ).values("event_id", "anchor__block_number", "anchor__tx_hash", "anchor__root")
    for link in links:
        result[link["event_id"]] = AnchorStatus(
            True, link["anchor__block_number"], link["anchor__tx_hash"], link["anchor__root"]
        )
    return result


async def proof_of(event_id: int | str) -> EventProof | None:
    """The proof of an event (by id or EPCIS event ID); None when it has no live anchor yet."""
    event = await (
        TraceEvent.get_or_none(id=event_id)
        if isinstance(event_id, int)
        else TraceEvent.get_or_none(event_id=event_id)
    )
    if event is None:
        return None
    link = await EventAnchor.get_or_none(event_id=event.id).prefetch_related("anchor")
    if link is None:
        return None
    anchor: Anchor = link.anchor
    ref = None
    if anchor.tx_hash is not None and anchor.block_number is not None:
        ref = AnchorRef(anchor.chain_id, anchor.contract, rules.unhex(anchor.tx_hash), anchor.block_number)
    event_hash = rules.unhex(event.leaf)
    proof_file = ProofFile(
        event_hash=event_hash,
        leaf=merkle.leaf_hash(event_hash),
        proof=tuple(rules.unhex(p) for p in link.proof),
        root=rules.unhex(anchor.root),
        anchor=ref,
        context=ProofContext(
            event.event_id,
            link.leaf_index,
            anchor.leaf_count,
            rules.unhex(anchor.block_hash) if anchor.block_hash else None,
        ),
    )
    return EventProof(event.id, event.event_id, event.canonical, anchor.status, proof_file)


async def list_anchors(
    contract: str | None = None, status: str | None = None, limit: int = 100
) -> list[AnchorRow]:
    query = Anchor.all()
    if contract is not None:
        query = query.filter(contract=contract.lower())
    if status is not None:
        query = query.filter(status=status)
    return [AnchorRow.of(a) for a in await query.order_by("-id").limit(limit)]


async def events_of_anchor(anchor_id: int) -> list[int]:
    rows = (
        await EventAnchor.filter(anchor_id=anchor_id)
        .order_by("leaf_index")
        .values_list("event_id", flat=True)
    )
    return [int(r) for r in rows]  # type: ignore[call-overload]


# ---- audit ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    anchor: AnchorRow
    recomputed_root: str
    root_matches: bool
    changed_events: tuple[int, ...]  # trace event ids whose record no longer matches what was anchored

    @property
    def ok(self) -> bool:
        return self.root_matches and not self.changed_events


async def audit(
    contract: str | None = None, statuses: Sequence[str] = (AnchorState.CONFIRMED,)
) -> list[AuditRow]:
    """Recompute each anchored root from its events' stored canonical JSON; list events that changed.

    Comparing with the chain (is the root there, in the recorded block?) is the caller's part: ``lotline
    audit`` reads it with the chain client.
    """
    query = Anchor.filter(status__in=list(statuses))
    if contract is not None:
        query = query.filter(contract=contract.lower())
    rows: list[AuditRow] = []
    for anchor in await query.order_by("id"):
        links = await EventAnchor.filter(anchor_id=anchor.id).values(
            "event_id", "leaf_index", "proof", "event__canonical"
        )
        audited = [
            rules.AuditedEvent(r["event_id"], r["leaf_index"], r["event__canonical"], tuple(r["proof"]))
            for r in links
        ]
        finding = rules.audit_anchor(anchor.root, anchor.leaf_count, audited)
        rows.append(
            AuditRow(
                AnchorRow.of(anchor), finding.recomputed_root, finding.root_matches, finding.changed_events
            )
        )
    return rows
