"""Anchoring use cases: claim pending trace events into an anchor, follow it on chain, serve proofs, audit.

The chain itself is not called from here (the domain never imports web3): the anchoring worker reads the
chain and hands what it saw to these functions. Each function is one transaction.

Life of an anchor: ``claim_pending`` locks the oldest events that have no live anchor (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL), builds their tree and stores the anchor as *pending* with every proof, in one
transaction; the worker sends the root; ``record_submitted`` notes the block; ``record_confirmed`` once
enough blocks follow; ``mark_dropped`` if a reorg took the root off the chain (its events are pending again).
Since the tree is stored before the transaction is sent, a worker that dies at any point leaves a pending
anchor whose root it can look up on chain and either adopt or send again.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from chain import merkle
from chain.proof import AnchorRef, ProofFile
from domain.anchoring import rules
from domain.anchoring.models import Anchor, EventAnchor
from domain.anchoring.rules import AnchorState, AnchorStatus
from domain.common.dialect import is_postgres
from domain.trace.models import TraceEvent, TraceEventBatch

__all__ = ["AnchorStatus"]  # re-exported: the provenance page imports it from here

_PENDING_EVENTS = """
SELECT e.id, e.leaf FROM trace_event e
WHERE NOT EXISTS (SELECT 1 FROM event_anchor ea WHERE ea.event_id = e.id)
ORDER BY e.id LIMIT {limit}"""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClaimedAnchor:
    anchor_id: int
    root: str
    leaf_count: int
    event_pks: tuple[int, ...]
    created_at: datetime


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


@dataclass(frozen=True)
class PendingSummary:
    count: int
    oldest_created_at: datetime | None


# ---- claiming ------------------------------------------------------------------------------------------


async def pending_summary() -> PendingSummary:
    """How many events wait for an anchor, and since when (for ``rules.should_anchor``)."""
    rows = await TraceEvent.filter(anchoring=None).order_by("id").limit(1).values("created_at")
    count = await TraceEvent.filter(anchoring=None).count()
    return PendingSummary(count, rows[0]["created_at"] if rows else None)


async def claim_pending(
    limit: int,
    *,
    chain_id: int,
    contract: str,
    now: datetime | None = None,
    owner: str | None = None,
    lease: timedelta = timedelta(0),
) -> ClaimedAnchor | None:
    """Takes up to ``limit`` oldest events without a live anchor into a new pending anchor with its proofs.

    The anchor is leased to ``owner`` until ``now + lease`` (``domain.anchoring.leases``): no one else sends
    it while the owner renews that lease. None when nothing is pending. Two workers never take the same
    events: rows another transaction holds are skipped, and the unique event key turns the rare race past
    the locks into a rollback (None).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    now = now or _now()
    try:
        async with in_transaction() as conn:
            sql = _PENDING_EVENTS.format(limit=int(limit))
            if is_postgres():
                sql += " FOR UPDATE OF e SKIP LOCKED"
            rows = await conn.execute_query_dict(sql)
            if not rows:
                return None
            plan = rules.plan_anchor([rules.PendingLeaf(int(r["id"]), str(r["leaf"])) for r in rows])
            anchor = await Anchor.create(
                root=plan.root,
                leaf_count=plan.leaf_count,
                chain_id=chain_id,
                contract=contract.lower(),
                status=AnchorState.PENDING,
                created_at=now,
                lease_owner=owner,
                lease_expires_at=now + lease,
            )
            await EventAnchor.bulk_create(
                [
                    EventAnchor(
                        anchor_id=anchor.id, event_id=p.event_pk, leaf_index=p.leaf_index, proof=list(p.proof)
                    )
                    for p in plan.proofs
                ],
                batch_size=1000,
            )
    except IntegrityError:
        return None
    return ClaimedAnchor(anchor.id, plan.root, plan.leaf_count, tuple(p.event_pk for p in plan.proofs), now)


async def previous_root(chain_id: int, contract: str) -> str:
    """The root a new anchor chains to: the latest of ``contract`` seen in a block (zero when none)."""
    last = (
        await Anchor.filter(
            chain_id=chain_id,
            contract=contract.lower(),
            status__in=[AnchorState.SUBMITTED, AnchorState.CONFIRMED],
        )
        .order_by("-block_number", "-id")
        .first()
    )
    return last.root if last is not None else rules.ZERO_ROOT


# ---- following the chain -------------------------------------------------------------------------------


async def record_submitted(
    anchor_id: int,
    *,
    tx_hash: str,
    block_number: int,
    block_hash: str | None,
    previous_root: str | None = None,
    now: datetime | None = None,
) -> AnchorRow:
    """The root is in a block (also: re-included elsewhere after a reorg). Idempotent."""
    async with in_transaction():
        anchor = await Anchor.select_for_update().get(id=anchor_id)
        if anchor.status == AnchorState.DROPPED:
            raise ValueError(f"anchor {anchor_id} was dropped; its events were claimed again")
        anchor.tx_hash = tx_hash
        anchor.block_number = block_number
        anchor.block_hash = block_hash
        if previous_root is not None:
            anchor.previous_root = previous_root
        if anchor.status == AnchorState.PENDING:
            anchor.submitted_at = now or _now()
        anchor.status = AnchorState.SUBMITTED
        await anchor.save()
    return AnchorRow.of(anchor)


async def record_confirmed(anchor_id: int, now: datetime | None = None) -> AnchorRow:
    async with in_transaction():
        anchor = await Anchor.select_for_update().get(id=anchor_id)
        if anchor.status != AnchorState.CONFIRMED:
            if anchor.status != AnchorState.SUBMITTED:
                raise ValueError(f"anchor {anchor_id} is {anchor.status}, not submitted")
            anchor.status = AnchorState.CONFIRMED
            anchor.confirmed_at = now or _now()
            await anchor.save(update_fields=["status", "confirmed_at"])
    return AnchorRow.of(anchor)


async def mark_dropped(anchor_id: int, now: datetime | None = None) -> int:
    """A reorg took the root off the chain: dropped, its events pending again. Returns how many."""
    async with in_transaction():
        anchor = await Anchor.select_for_update().get(id=anchor_id)
        if anchor.status == AnchorState.DROPPED:
            return 0
        anchor.status = AnchorState.DROPPED
        anchor.dropped_at = now or _now()
        await anchor.save(update_fields=["status", "dropped_at"])
        return await EventAnchor.filter(anchor_id=anchor_id).delete()


async def anchors_to_check(chain_id: int, contract: str, head: int, reorg_window: int) -> list[AnchorRow]:
    """Submitted anchors, and confirmed ones a reorg of ``reorg_window`` blocks could still take away."""
    mine = Anchor.filter(chain_id=chain_id, contract=contract.lower())
    rows = await mine.filter(status=AnchorState.SUBMITTED).order_by("id")
    recent = await mine.filter(status=AnchorState.CONFIRMED, block_number__gte=head - reorg_window).order_by(
        "id"
    )
    return [AnchorRow.of(a) for a in [*rows, *recent]]


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


@dataclass(frozen=True)
class AnchoringSummary:
    events: int
    anchored: int  # in a confirmed anchor
    pending: int  # not yet, or anchor still waiting
    failed: int  # stored record no longer hashes to what is (or will be) anchored


async def batch_summary(batch_id: int) -> AnchoringSummary:
    """The verification summary of a batch's trace events."""
    pks = list(await TraceEventBatch.filter(batch_id=batch_id).distinct().values_list("event_id", flat=True))
    events = await TraceEvent.filter(id__in=pks).values("id", "leaf", "canonical")
    statuses = await anchor_status_of_events([int(e["id"]) for e in events])
    failed = {e["id"] for e in events if rules.event_hash_of_canonical(e["canonical"]) != e["leaf"]}
    anchored = sum(1 for pk, s in statuses.items() if s.anchored and pk not in failed)
    return AnchoringSummary(len(events), anchored, len(events) - anchored - len(failed), len(failed))


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
