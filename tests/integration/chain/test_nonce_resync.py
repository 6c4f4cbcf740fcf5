"""The client's cached nonce follows the node back down after a reorg or a reset (it used to stay too high,
so the next transaction queued forever behind a nonce gap)."""

import asyncio
import os
from collections.abc import Iterator

import pytest
from eth_account import Account

from chain import anvil
from chain.client import AnchorRegistryClient

pytestmark = pytest.mark.integration

SENDER = Account.from_key(anvil.DEV_ACCOUNT_KEY).address


@pytest.fixture
def node() -> Iterator[anvil.Anvil]:
    # A node of this test's own: it is reverted and restarted.
    with anvil.Anvil.start() as started:
        yield started


def pending_nonce(url: str) -> int:
    return int(str(anvil.rpc(url, "eth_getTransactionCount", [SENDER, "pending"])), 16)


async def test_after_a_reorg_drops_sent_transactions_the_next_anchor_uses_the_nodes_nonce(node):
    client = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
    async with client:
        await client.anchor(os.urandom(32), 1)
        snapshot = anvil.rpc(node.url, "evm_snapshot")
        for _ in range(3):
            await client.anchor(os.urandom(32), 1)
        assert client._next_nonce == pending_nonce(node.url) == 5

        anvil.rpc(node.url, "evm_revert", [snapshot])  # the three anchoring transactions leave the chain
        assert pending_nonce(node.url) == 2
        client.receipt_timeout = 5  # a nonce gap would wait for this, then fail
        root = os.urandom(32)
        receipt = await client.anchor(root, 1)

        assert await client.is_anchored(root)
        assert client._next_nonce == pending_nonce(node.url) == 3
        assert receipt.block_number == await client.block_number()


async def test_after_the_node_restarts_empty_the_client_sends_again_from_nonce_zero(node):
    first = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
    async with first:
        await first.anchor(os.urandom(32), 1)
        await first.anchor(os.urandom(32), 1)
        assert first._next_nonce == 3

        node.stop()  # no state file: the restarted node has forgotten everything
        restarted = anvil.Anvil.start(port=node.port)
        node.process, node._log = restarted.process, restarted._log  # the fixture stops the new one
        # Same deployer, nonce 0 again: the registry comes back at the same address.
        again = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
        async with again:
            assert again.address == first.address
        assert pending_nonce(node.url) == 1

        first.receipt_timeout = 5
        root = os.urandom(32)
        await first.anchor(root, 1)

        assert await first.is_anchored(root)
        assert first._next_nonce == pending_nonce(node.url) == 2


async def test_concurrent_sends_after_a_resync_still_get_distinct_nonces(node):
    client = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
    async with client:
        snapshot = anvil.rpc(node.url, "evm_snapshot")
        await client.anchor(os.urandom(32), 1)
        anvil.rpc(node.url, "evm_revert", [snapshot])
        client.receipt_timeout = 5
        roots = [os.urandom(32) for _ in range(4)]

        await asyncio.gather(*(client.anchor(root, 1) for root in roots))

        assert [await client.is_anchored(root) for root in roots] == [True] * 4
        assert client._next_nonce == pending_nonce(node.url) == 5
