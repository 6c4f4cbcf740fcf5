"""Leases on pending anchors: who may send a claimed root, and when another worker may take it over.

A worker claims events into a pending anchor leased to itself (``services.claim_pending(owner=…,
lease=…)``) and, while it lives, renews the lease of every pending anchor it holds by a heartbeat
(``renew``), every few seconds, whatever its round is waiting for (a slow node, a receipt). A worker killed
with ``kill -9`` stops renewing: once ``lease_expires_at`` has passed, the next worker's round takes the
anchor over (``take_over``) and sends the root, or adopts it if the dead worker's transaction went through.
So a crashed worker delays its anchor by at most one lease, and the registry rejecting a root it already
holds (``AlreadyAnchored``) keeps "on chain exactly once" even if a paused owner wakes up late.

Owners are opaque strings (``host:pid:random``); times are aware datetimes (UTC). Each function is one
transaction.
"""

from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain.anchoring.models import Anchor
from domain.anchoring.queries import AnchorRow
from domain.anchoring.rules import AnchorState
from domain.common.dialect import is_postgres


def _now() -> datetime:
    return datetime.now(UTC)


async def renew(owner: str, lease: timedelta, now: datetime | None = None) -> int:
    """The heartbeat: extends to ``now + lease`` every pending anchor ``owner`` holds; returns how many."""
    return await Anchor.filter(lease_owner=owner, status=AnchorState.PENDING).update(
        lease_expires_at=(now or _now()) + lease
    )


async def held(owner: str, chain_id: int, contract: str) -> list[AnchorRow]:
    """Pending anchors of ``contract`` that ``owner`` holds, oldest first (its own to send or retry)."""
    rows = await Anchor.filter(
        chain_id=chain_id, contract=contract.lower(), status=AnchorState.PENDING, lease_owner=owner
    ).order_by("id")
    return [AnchorRow.of(a) for a in rows]


async def take_over(
    owner: str, chain_id: int, contract: str, lease: timedelta, now: datetime | None = None
) -> list[tuple[AnchorRow, str | None]]:
    """Pending anchors of ``contract`` whose lease lapsed (or that never had one), now leased to ``owner``.

    Returns each with its previous owner, oldest first. Two workers never take the same anchor: on
    PostgreSQL the rows are locked (``SKIP LOCKED``), and the update re-checks the lapse in any case.
    """
    now = now or _now()
    lapsed = Q(lease_expires_at__lte=now) | Q(lease_expires_at__isnull=True)
    taken: list[tuple[AnchorRow, str | None]] = []
    async with in_transaction():
        query = (
            Anchor.filter(chain_id=chain_id, contract=contract.lower(), status=AnchorState.PENDING)
            .filter(lapsed)
            .order_by("id")
        )
        if is_postgres():
            query = query.select_for_update(skip_locked=True)
        for anchor in await query:
            if anchor.lease_owner == owner:
                continue  # ours already: `held` lists it
            previous = anchor.lease_owner
            count = (
                await Anchor.filter(id=anchor.id, status=AnchorState.PENDING)
                .filter(lapsed)
                .update(lease_owner=owner, lease_expires_at=now + lease)
            )
            if count:
                anchor.lease_owner, anchor.lease_expires_at = owner, now + lease
                taken.append((AnchorRow.of(anchor), previous))
    return taken


async def holder_of(anchor_id: int) -> tuple[str | None, datetime | None]:
    """(owner, lease expiry) of an anchor, for logs and tests."""
    anchor = await Anchor.get(id=anchor_id)
    return anchor.lease_owner, anchor.lease_expires_at
