"""Anchoring use cases: claim pending trace events into an anchor, follow it on chain, serve proofs, audit.

The chain itself is not called from here (the domain never imports web3): the anchoring worker reads the
chain and hands what it saw to these functions. Each function is one transaction.

Life of an anchor: ``claim_pending`` locks the oldest events that have no live anchor (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL), builds their tree and stores the anchor as *pending* with every proof, in one
transaction; the worker sends the root; ``record_submitted`` notes the block; ``record_confirmed`` once
enough blocks follow; ``mark_dropped`` if a reorg took the root off the chain (its events are pending again).
Since the tree is stored before the transaction is sent, a worker that dies at any point leaves a pending
anchor whose root it can look up on chain and either adopt or send again.

The read side (anchor rows, proofs, per-event status, audit) is in ``domain.anchoring.queries``; its names
are re-exported here, where the API, CLI and provenance page (``anchor_status_of_events``, ``proof_of``)
look them up.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.anchoring import admission, rules
from domain.anchoring.models import Anchor, EventAnchor
from domain.anchoring.queries import (
    AnchorRow,
    AuditRow,
    EventProof,
    anchor_status_of_events,
    audit,
    events_of_anchor,
    list_anchors,
    proof_of,
)
from domain.anchoring.rules import AnchorState, AnchorStatus
from domain.common.dialect import is_postgres
from domain.trace.models import TraceEvent

__all__ = [  # re-exported: the provenance page and the API read these from here
    "AnchorRow",
    "AnchorStatus",
    "AuditRow",
    "EventProof",
    "anchor_status_of_events",
    "audit",
    "events_of_anchor",
    "list_anchors",
    "proof_of",
]

_PENDING_EVENTS = """
SELECT e.id, e.leaf, e.canonical FROM trace_event e
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
            admitted = await admission.admissible(rows)
            rows = [r for r in rows if int(r["id"]) in admitted]
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
