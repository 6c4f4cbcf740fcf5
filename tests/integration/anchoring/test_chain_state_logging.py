"""A missing registry or a node that is down is one log line per change of state, not a traceback per
round (the audit's side is in test_cli_audit_and_export.py)."""

import logging

import pytest
from eth_account import Account
from web3.utils.address import get_create_address

from chain import anvil
from chain.client import AnchorRegistryClient
from tests.integration.anchoring.checks import assert_anchored_exactly_once
from tests.integration.anchoring.conftest import make_anchorer

LOGGER = "workers.anchoring"


def lines(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER and text in r.getMessage()]


def restart(chain: anvil.Anvil, chain_id: int) -> None:
    again = anvil.Anvil.start(port=chain.port, state_file=chain.state_file, chain_id=chain_id)
    chain.process, chain._log = again.process, again._log  # the fixture stops whatever runs on that port


async def test_a_missing_registry_and_a_down_node_are_logged_once_per_state_change(
    make_events, chain: anvil.Anvil, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger=LOGGER)
    deployer = Account.from_key(anvil.DEV_ACCOUNT_KEY).address
    address = get_create_address(deployer, 0)  # where the first deployment on this fresh chain will be
    chain_id = int(str(anvil.rpc(chain.url, "eth_chainId")), 16)
    events = await make_events(2)
    worker = make_anchorer(chain.url, address)
    try:
        missing = [await worker.run_round() for _ in range(4)]
        async with await AnchorRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY) as registry:
            assert registry.address == address
            present = await worker.run_round()
            await worker.run_round()
            chain.stop()
            down = [await worker.run_round() for _ in range(4)]
            restart(chain, chain_id)
            back = [await worker.run_round() for _ in range(2)]
            await assert_anchored_exactly_once(events, registry)
    finally:
        await worker.close()

    assert all(r.chain_unavailable for r in missing + down)
    assert not present.chain_unavailable
    assert not any(r.chain_unavailable for r in back)
    assert len(lines(caplog, f"no AnchorRegistry at {address}")) == 1
    assert len(lines(caplog, f"AnchorRegistry present at {address} on chain {chain_id}")) == 1
    assert len(lines(caplog, f"chain node unreachable at {chain.url}")) == 1
    assert len(lines(caplog, f"chain node reachable again at {chain.url}")) == 1
    ours = [r for r in caplog.records if r.name == LOGGER]
    assert len(ours) == 4, [r.getMessage() for r in ours]  # nothing else: no line per round
    assert not any(r.exc_info for r in caplog.records)  # and no traceback
