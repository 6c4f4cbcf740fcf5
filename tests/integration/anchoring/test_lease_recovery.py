"""A worker killed with `kill -9` between claiming and sending: another worker resumes its anchor once the
lease lapses (real processes on PostgreSQL, Redis and Anvil; see crash_drill.py)."""

from pathlib import Path

from chain import anvil
from chain.client import AnchorRegistryClient
from domain.anchoring import rules
from domain.anchoring.models import Anchor
from tests.integration.anchoring import crash_drill
from tests.integration.anchoring.checks import assert_anchored_exactly_once


async def test_an_anchor_claimed_by_a_killed_worker_is_resumed_by_another_after_its_lease_and_lands_once(
    make_events,
    pg_url: str,
    redis_url: str,
    chain: anvil.Anvil,
    registry: AnchorRegistryClient,
    tmp_path: Path,
):
    events = await make_events(3)
    env = crash_drill.worker_env(pg_url, redis_url, chain.url, registry.address, anvil.DEV_ACCOUNT_KEY) | {
        "LOTLINE_ANCHOR_LEASE_SECONDS": "3",
        "LOTLINE_ANCHOR_HEARTBEAT_SECONDS": "0.5",
        "LOTLINE_ANCHOR_TICK_SECONDS": "0.5",
    }

    drill = await crash_drill.run_drill(env, chain.url, events, tmp_path, renewals=3)

    # While A lived, its heartbeat renewed the lease and B (running beside it) left the anchor alone.
    assert drill.renewals_seen >= 3
    # After the kill, B took the anchor over, and only once A's last lease had lapsed.
    assert drill.owner_b not in (None, drill.owner_a)
    assert drill.submitted_at is not None
    assert drill.submitted_at >= drill.lease_at_kill
    anchor = await Anchor.get(id=drill.anchor_id)
    assert anchor.status == rules.AnchorState.CONFIRMED
    # The root is on chain exactly once: one Anchored log, every event in one confirmed anchor.
    logs = await registry.get_logs(0)
    assert [log.root for log in logs].count(rules.unhex(anchor.root)) == 1
    await assert_anchored_exactly_once(events, registry)
