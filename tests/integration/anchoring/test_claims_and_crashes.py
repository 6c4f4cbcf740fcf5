import asyncio

from tortoise.transactions import in_transaction

from chain import anvil
from domain.anchoring import rules, services
from domain.anchoring.models import Anchor, EventAnchor
from tests.integration.anchoring.checks import assert_anchored_exactly_once
from tests.integration.anchoring.conftest import make_anchorer


async def test_two_claims_in_flight_never_take_the_same_events(make_events, registry):
    events = await make_events(6)
    first_claimed = asyncio.Event()
    release = asyncio.Event()
    claims: dict[str, services.ClaimedAnchor | None] = {}

    async def holder() -> None:
        async with in_transaction():  # the claim's row locks last until this outer transaction ends
            claims["a"] = await services.claim_pending(1000, chain_id=1, contract=registry.address)
            first_claimed.set()
            await release.wait()

    task = asyncio.create_task(holder())
    await first_claimed.wait()
    claims["b"] = await services.claim_pending(1000, chain_id=1, contract=registry.address)
    release.set()
    await task

    a, b = claims["a"], claims["b"]
    assert a is not None
    assert set(events) <= set(a.event_pks)
    assert b is None or not set(a.event_pks) & set(b.event_pks)
    # Everything claimed is claimed once; a third claim finds none of these events.
    third = await services.claim_pending(1000, chain_id=1, contract=registry.address)
    assert third is None or not set(events) & set(third.event_pks)
    for claim in (a, b, third):
        if claim is not None:
            await services.mark_dropped(claim.anchor_id)  # hand them back for the other tests


async def test_a_worker_killed_after_submit_and_before_recording_is_adopted_not_resent(
    make_events, chain, registry
):
    events = await make_events(5)
    claimed = await services.claim_pending(1000, chain_id=registry.chain_id, contract=registry.address)
    assert claimed is not None
    # The first worker sends the root, then dies before record_submitted.
    receipt = await registry.anchor(rules.unhex(claimed.root), claimed.leaf_count)
    blocks_before = anvil.rpc(chain.url, "eth_blockNumber")

    second = make_anchorer(chain.url, registry.address)  # a new process: nothing of the first in memory
    try:
        result = await second.run_round(force=True)
    finally:
        await second.close()

    assert (result.adopted, result.anchors_sent, result.confirmed) == (1, 0, 1)
    assert anvil.rpc(chain.url, "eth_blockNumber") == blocks_before  # no second transaction
    anchor = await Anchor.get(id=claimed.anchor_id)
    assert anchor.tx_hash == "0x" + receipt.tx_hash.hex()
    assert anchor.block_number == receipt.block_number
    await assert_anchored_exactly_once(events, registry)


async def test_a_worker_killed_after_claiming_and_before_sending_is_resumed(make_events, chain, registry):
    events = await make_events(4)
    claimed = await services.claim_pending(1000, chain_id=registry.chain_id, contract=registry.address)
    assert claimed is not None

    second = make_anchorer(chain.url, registry.address)
    try:
        result = await second.run_round(force=True)
    finally:
        await second.close()

    assert result.anchors_sent >= 1
    assert (await Anchor.get(id=claimed.anchor_id)).status == rules.AnchorState.CONFIRMED
    await assert_anchored_exactly_once(events, registry)


async def test_a_root_sent_twice_by_racing_workers_is_recorded_once(make_events, chain, registry, anchorer):
    events = await make_events(3)
    claimed = await services.claim_pending(1000, chain_id=registry.chain_id, contract=registry.address)
    assert claimed is not None
    other = make_anchorer(chain.url, registry.address)
    try:
        first, second = await asyncio.gather(anchorer.run_round(), other.run_round())
    finally:
        await other.close()
    assert first.errors == second.errors == []
    assert await EventAnchor.filter(anchor_id=claimed.anchor_id).count() == 3
    await assert_anchored_exactly_once(events, registry)
