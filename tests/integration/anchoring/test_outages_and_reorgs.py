from chain import anvil
from domain.anchoring import rules, services
from domain.anchoring.models import Anchor, EventAnchor
from tests.integration.anchoring.checks import assert_anchored_exactly_once
from tests.integration.anchoring.conftest import make_anchorer


async def test_postings_continue_while_the_chain_node_is_down_and_anchor_when_it_is_back(
    make_events, chain, registry, anchorer
):
    before = await make_events(3)
    assert (await anchorer.run_round()).anchors_sent == 1

    chain_id = int(str(anvil.rpc(chain.url, "eth_chainId")), 16)
    chain.stop()  # SIGINT: Anvil dumps its state to the --state file
    during = await make_events(4)  # postings do not need the chain
    down = await anchorer.run_round()
    assert down.chain_unavailable
    assert not any(s.anchored for s in (await services.anchor_status_of_events(during)).values())

    restarted = anvil.Anvil.start(port=chain.port, state_file=chain.state_file, chain_id=chain_id)
    chain.process = restarted.process  # the fixture stops whatever runs on that port
    chain._log = restarted._log
    up = await anchorer.run_round()
    assert not up.chain_unavailable
    await assert_anchored_exactly_once(before + during, registry)


async def test_a_reorg_that_drops_the_anchoring_block_is_detected_and_the_events_anchored_again(
    make_events, chain, registry, anchorer
):
    kept = await make_events(2)
    assert (await anchorer.run_round()).confirmed == 1
    snapshot = anvil.rpc(chain.url, "evm_snapshot")
    lost = await make_events(3)
    first = await anchorer.run_round()
    assert first.confirmed == 1
    dropped_anchor = (await EventAnchor.get(event_id=lost[0])).anchor_id

    anvil.rpc(chain.url, "evm_revert", [snapshot])  # the anchoring block leaves the chain
    anvil.rpc(chain.url, "anvil_mine", ["0x2"])  # and the chain moves on without it

    again = await anchorer.run_round()
    assert again.dropped == 1
    assert again.anchors_sent == 1
    assert (await Anchor.get(id=dropped_anchor)).status == rules.AnchorState.DROPPED
    assert await EventAnchor.filter(anchor_id=dropped_anchor).count() == 0
    await assert_anchored_exactly_once(kept + lost, registry)


async def test_confirmations_are_counted_by_the_round_not_assumed(make_events, chain, registry):
    events = await make_events(2)
    worker = make_anchorer(chain.url, registry.address, confirmations=3)
    try:
        first = await worker.run_round()
        assert (first.anchors_sent, first.confirmed) == (1, 0)
        assert not any(s.anchored for s in (await services.anchor_status_of_events(events)).values())
        chain.mine(2)
        assert (await worker.run_round()).confirmed == 1
    finally:
        await worker.close()
    await assert_anchored_exactly_once(events, registry)
