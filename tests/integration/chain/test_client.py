import asyncio
import os

import pytest
from eth_account import Account

from chain import anvil, merkle, verify
from chain.client import ZERO_ROOT, AnchorRegistryClient, fetch_anchor_info
from chain.errors import AnchorRejected, BytecodeMismatch, ChainUnavailable
from chain.proof import AnchorRef, ProofFile

pytestmark = pytest.mark.integration

OTHER_KEY = anvil.DEV_ACCOUNT_KEYS[1]
THIRD_KEY = anvil.DEV_ACCOUNT_KEYS[2]


def random_tree(n: int) -> tuple[list[bytes], merkle.MerkleTree]:
    hashes = [os.urandom(32) for _ in range(n)]
    return hashes, merkle.MerkleTree.from_event_hashes(hashes)


async def as_other(registry: AnchorRegistryClient, key: str) -> AnchorRegistryClient:
    return await AnchorRegistryClient.connect(registry._url, registry.address, key, poll_interval=0.05)


async def test_anchoring_a_root_records_it_with_its_block_and_count(registry):
    _, tree = random_tree(5)
    receipt = await registry.anchor(tree.root, tree.leaf_count)
    assert receipt.root == tree.root
    assert receipt.leaf_count == 5
    assert len(receipt.tx_hash) == 32
    assert await registry.is_anchored(tree.root)
    info = await registry.get_anchor(tree.root)
    assert info is not None
    assert (info.block_number, info.leaf_count, info.chain_id) == (receipt.block_number, 5, 31337)
    assert info.contract == registry.address.lower()
    assert info.timestamp > 0


async def test_an_unknown_root_is_not_anchored(registry):
    assert not await registry.is_anchored(os.urandom(32))
    assert await registry.get_anchor(os.urandom(32)) is None


async def test_a_root_cannot_be_anchored_twice(registry):
    _, tree = random_tree(3)
    await registry.anchor(tree.root, 3)
    with pytest.raises(AnchorRejected) as info:
        await registry.anchor(tree.root, 3)
    assert info.value.reason == "AlreadyAnchored"
    assert info.value.error_args == (tree.root,)


async def test_zero_root_zero_count_and_unknown_previous_root_are_refused(registry):
    for args, reason in [
        ((ZERO_ROOT, 1), "ZeroRoot"),
        ((os.urandom(32), 0), "ZeroLeafCount"),
        ((os.urandom(32), 1, os.urandom(32)), "UnknownPreviousRoot"),
    ]:
        with pytest.raises(AnchorRejected) as info:
            await registry.anchor(*args)
        assert info.value.reason == reason


async def test_roots_chain_through_previous_root_and_the_logs_show_it(registry):
    start = await registry.block_number()
    _, first = random_tree(4)
    _, second = random_tree(7)
    await registry.anchor(first.root, 4)
    receipt = await registry.anchor(second.root, 7, first.root)
    logs = await registry.get_logs(from_block=start + 1)
    by_root = {log.root: log for log in logs}
    assert by_root[second.root].previous_root == first.root
    assert by_root[second.root].leaf_count == 7
    assert by_root[second.root].tx_hash == receipt.tx_hash
    assert by_root[second.root].anchorer == Account.from_key(anvil.DEV_ACCOUNT_KEY).address
    assert by_root[first.root].previous_root == ZERO_ROOT


async def test_a_non_anchorer_is_refused_until_the_owner_adds_it(registry):
    other = await as_other(registry, OTHER_KEY)
    async with other:
        _, tree = random_tree(2)
        with pytest.raises(AnchorRejected) as info:
            await other.anchor(tree.root, 2)
        assert info.value.reason == "NotAnchorer"
        assert not await registry.is_anchored(tree.root)

        with pytest.raises(AnchorRejected) as info:
            await other.add_anchorer(other.account.address)
        assert info.value.reason == "NotOwner"

        await registry.add_anchorer(other.account.address)
        assert await registry.is_anchorer(other.account.address)
        await other.anchor(tree.root, 2)
        assert await registry.is_anchored(tree.root)

        await registry.remove_anchorer(other.account.address)
        with pytest.raises(AnchorRejected) as info:
            await other.anchor(os.urandom(32), 1)
        assert info.value.reason == "NotAnchorer"


async def test_the_contract_verifies_valid_proofs_and_refuses_altered_ones(registry):
    hashes, tree = random_tree(13)
    await registry.anchor(tree.root, tree.leaf_count)
    for i in (0, 6, 12):
        assert await registry.verify_on_chain(tree.root, tree.leaf(i), tree.proof(i))
        assert await registry.verify_event_on_chain(tree.root, hashes[i], tree.proof(i))
    proof = tree.proof(3)
    assert not await registry.verify_on_chain(tree.root, tree.leaf(4), proof)
    assert not await registry.verify_on_chain(tree.root, tree.leaf(3), proof[:-1])
    assert not await registry.verify_on_chain(tree.root, tree.leaf(3), [os.urandom(32), *proof[1:]])


async def test_the_contract_refuses_a_valid_proof_to_a_root_not_anchored(registry):
    _, tree = random_tree(4)
    assert merkle.verify(tree.root, tree.leaf(1), tree.proof(1))
    assert not await registry.verify_on_chain(tree.root, tree.leaf(1), tree.proof(1))


async def test_anchor_waits_for_the_configured_confirmations(registry):
    waiting = await AnchorRegistryClient.connect(
        registry._url, registry.address, anvil.DEV_ACCOUNT_KEY, confirmations=3, poll_interval=0.05
    )
    async with waiting:
        _, tree = random_tree(2)
        task = asyncio.create_task(waiting.anchor(tree.root, 2))
        while not await registry.is_anchored(tree.root):  # noqa: ASYNC110 (polling the chain is the point)
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        assert not task.done()  # included, 1 confirmation of 3
        await registry.w3.provider.make_request("anvil_mine", ["0x1"])
        await asyncio.sleep(0.3)
        assert not task.done()  # 2 of 3
        await registry.w3.provider.make_request("anvil_mine", ["0x1"])
        receipt = await asyncio.wait_for(task, 5)
        assert await registry.block_number() == receipt.block_number + 2


async def test_concurrent_anchors_from_one_client_get_distinct_nonces(registry):
    trees = [random_tree(3)[1] for _ in range(5)]
    receipts = await asyncio.gather(*(registry.anchor(t.root, 3) for t in trees))
    assert len({r.tx_hash for r in receipts}) == 5
    for tree in trees:
        assert await registry.is_anchored(tree.root)


async def test_connect_refuses_an_address_without_our_bytecode(registry):
    not_a_registry = Account.from_key(THIRD_KEY).address
    with pytest.raises(BytecodeMismatch) as info:
        await AnchorRegistryClient.connect(registry._url, not_a_registry)
    assert info.value.found_size == 0
    assert info.value.expected_size == len(registry.artifact.deployed_bytecode)


async def test_a_node_that_is_down_is_chain_unavailable(registry):
    url = f"http://127.0.0.1:{anvil.free_port()}"
    with pytest.raises(ChainUnavailable) as info:
        await AnchorRegistryClient.connect(url, registry.address, retries=0)
    assert info.value.url == url


async def test_a_node_that_goes_down_makes_calls_chain_unavailable():
    with anvil.Anvil.start() as node:
        client = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, retries=0)
    async with client:
        with pytest.raises(ChainUnavailable):
            await client.is_anchored(os.urandom(32))
        with pytest.raises(ChainUnavailable):
            await client.anchor(os.urandom(32), 1)


async def test_a_proof_file_verifies_against_the_anchor_fetched_from_chain(registry):
    hashes, tree = random_tree(9)
    receipt = await registry.anchor(tree.root, 9)
    ref = AnchorRef(31337, registry.address, receipt.tx_hash, receipt.block_number)
    proof_file = ProofFile.from_json(ProofFile.for_leaf(tree, 5, hashes[5], ref).to_json())

    anchored = await fetch_anchor_info(registry._url, registry.address, proof_file.root)
    assert verify.verify_proof_file(proof_file, anchored).ok

    missing = await fetch_anchor_info(registry._url, registry.address, os.urandom(32))
    assert missing is None
    assert verify.verify_proof_file(proof_file, missing).codes == ["not_anchored"]


def test_anvil_state_file_keeps_anchors_across_restarts(tmp_path):
    state = tmp_path / "anvil-state.json"

    async def deploy_and_anchor(url: str, root: bytes) -> str:
        async with await AnchorRegistryClient.deploy(url, anvil.DEV_ACCOUNT_KEY) as client:
            await client.anchor(root, 1)
            return client.address

    async def anchored(url: str, address: str, root: bytes) -> bool:
        async with await AnchorRegistryClient.connect(url, address) as client:
            return await client.is_anchored(root)

    root = os.urandom(32)
    with anvil.Anvil.start(state_file=state) as node:
        address = asyncio.run(deploy_and_anchor(node.url, root))
    assert state.exists()
    with anvil.Anvil.start(state_file=state) as node:
        assert asyncio.run(anchored(node.url, address, root))
