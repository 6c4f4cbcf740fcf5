import hashlib

import pytest
from eth_abi import encode
from eth_utils import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from chain import merkle

event_hashes = st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=300)
# Swapping two equal siblings (leaves may repeat) changes nothing: that test draws distinct leaves.
distinct_event_hashes = st.lists(st.binary(min_size=32, max_size=32), min_size=3, max_size=300, unique=True)


def tree_of(hashes: list[bytes]) -> merkle.MerkleTree:
    return merkle.MerkleTree.from_event_hashes(hashes)


def test_leaf_is_openzeppelin_standard_leaf_of_abi_encoded_bytes32():
    event_hash = hashlib.sha256(b'{"type":"ObjectEvent"}').digest()
    expected = keccak(keccak(encode(["bytes32"], [event_hash])))
    assert merkle.leaf_hash(event_hash) == expected


def test_inner_node_is_keccak_of_sorted_pair():
    a, b = b"\x01" * 32, b"\x02" * 32
    assert merkle.hash_pair(a, b) == merkle.hash_pair(b, a) == keccak(a + b)


def test_one_leaf_tree_has_the_leaf_as_root_and_an_empty_proof():
    tree = tree_of([b"\x07" * 32])
    assert tree.root == merkle.leaf_hash(b"\x07" * 32)
    assert tree.proof(0) == []
    assert merkle.verify(tree.root, tree.leaf(0), [])


def test_odd_node_is_carried_up_unchanged():
    hashes = [bytes([i]) * 32 for i in range(3)]
    leaves = [merkle.leaf_hash(h) for h in hashes]
    tree = tree_of(hashes)
    assert tree.root == merkle.hash_pair(merkle.hash_pair(leaves[0], leaves[1]), leaves[2])
    assert tree.proof(2) == [merkle.hash_pair(leaves[0], leaves[1])]
    assert tree.depth == 2


def test_duplicating_the_last_leaf_changes_the_root():
    hashes = [bytes([i]) * 32 for i in range(3)]
    assert tree_of(hashes).root != tree_of([*hashes, hashes[-1]]).root


def test_empty_tree_and_wrong_sizes_are_refused():
    with pytest.raises(ValueError, match="at least one leaf"):
        tree_of([])
    with pytest.raises(ValueError, match="32 bytes"):
        tree_of([b"\x00" * 31])
    with pytest.raises(IndexError):
        tree_of([b"\x00" * 32]).proof(1)


@settings(max_examples=60, deadline=None)
@given(event_hashes)
def test_every_leaf_proof_verifies_and_is_at_most_ceil_log2_long(hashes):
    tree = tree_of(hashes)
    assert tree.leaf_count == len(hashes)
    for i, proof in enumerate(tree.proofs()):
        assert merkle.verify(tree.root, merkle.leaf_hash(hashes[i]), proof)
        assert len(proof) <= merkle.max_proof_length(len(hashes))


@settings(max_examples=60, deadline=None)
@given(event_hashes)
def test_same_leaves_give_the_same_root(hashes):
    assert tree_of(hashes).root == tree_of(list(hashes)).root
    assert merkle.MerkleTree.from_leaves([merkle.leaf_hash(h) for h in hashes]).root == tree_of(hashes).root


@settings(max_examples=100, deadline=None)
@given(event_hashes, st.data())
def test_an_altered_leaf_fails(hashes, data):
    tree = tree_of(hashes)
    i = data.draw(st.integers(0, len(hashes) - 1))
    other = data.draw(st.binary(min_size=32, max_size=32).filter(lambda h: h != hashes[i]))
    assert not merkle.verify(tree.root, merkle.leaf_hash(other), tree.proof(i))


@settings(max_examples=100, deadline=None)
@given(event_hashes.filter(lambda h: len(h) > 1), st.data())
def test_an_altered_sibling_fails(hashes, data):
    tree = tree_of(hashes)
    i = data.draw(st.integers(0, len(hashes) - 1))
    proof = tree.proof(i)
    j = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    flipped = bytearray(proof[j])
    flipped[bit // 8] ^= 1 << (bit % 8)
    proof[j] = bytes(flipped)
    assert not merkle.verify(tree.root, tree.leaf(i), proof)


@settings(max_examples=100, deadline=None)
@given(event_hashes.filter(lambda h: len(h) > 1), st.data())
def test_a_removed_sibling_fails(hashes, data):
    tree = tree_of(hashes)
    i = data.draw(st.integers(0, len(hashes) - 1))
    proof = tree.proof(i)
    del proof[data.draw(st.integers(0, len(proof) - 1))]
    assert not merkle.verify(tree.root, tree.leaf(i), proof)


@settings(max_examples=100, deadline=None)
@given(distinct_event_hashes, st.data())
def test_swapped_siblings_fail(hashes, data):
    tree = tree_of(hashes)
    i = data.draw(st.integers(0, len(hashes) - 1))
    proof = tree.proof(i)
    if len(proof) < 2:  # the carried-up last leaf of e.g. 3 leaves has a single sibling
        return
    j = data.draw(st.integers(0, len(proof) - 2))
    k = data.draw(st.integers(j + 1, len(proof) - 1))
    proof[j], proof[k] = proof[k], proof[j]
    assert not merkle.verify(tree.root, tree.leaf(i), proof)


@settings(max_examples=50, deadline=None)
@given(event_hashes.filter(lambda h: len(h) > 1), st.data())
def test_a_proof_for_one_leaf_does_not_prove_another(hashes, data):
    tree = tree_of(hashes)
    i = data.draw(st.integers(0, len(hashes) - 1))
    j = data.draw(st.integers(0, len(hashes) - 1).filter(lambda j: tree.leaf(j) != tree.leaf(i)))
    assert not merkle.verify(tree.root, tree.leaf(j), tree.proof(i))


def test_max_proof_length_is_ceil_log2():
    assert [merkle.max_proof_length(n) for n in (1, 2, 3, 4, 5, 8, 9, 1_000_000)] == [0, 1, 2, 2, 3, 3, 4, 20]
