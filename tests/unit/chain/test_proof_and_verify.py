import hashlib
import json

import pytest
import rfc8785

from chain import merkle, verify
from chain.errors import ProofFormatError
from chain.proof import AnchorInfo, AnchorRef, ProofFile

EVENT = {"type": "ObjectEvent", "eventTime": "2025-01-02T03:04:05Z", "epcList": ["urn:epc:id:sgtin:1.2.3"]}
EVENT_BYTES = rfc8785.dumps(EVENT)
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def build(n: int = 6, index: int = 2) -> tuple[merkle.MerkleTree, ProofFile]:
    hashes = [hashlib.sha256(b"e%d" % i).digest() for i in range(n)]
    hashes[index] = hashlib.sha256(EVENT_BYTES).digest()
    tree = merkle.MerkleTree.from_event_hashes(hashes)
    ref = AnchorRef(chain_id=31337, contract=CONTRACT, tx_hash=b"\x11" * 32, block_number=42)
    return tree, ProofFile.for_leaf(tree, index, hashes[index], ref)


def anchored(tree: merkle.MerkleTree, **changes) -> AnchorInfo:
    fields = {
        "root": tree.root,
        "timestamp": 1_700_000_000,
        "block_number": 42,
        "leaf_count": tree.leaf_count,
        "chain_id": 31337,
        "contract": CONTRACT.lower(),
    }
    return AnchorInfo(**{**fields, **changes})


def test_a_proof_file_round_trips_through_json():
    _, pf = build()
    data = json.loads(pf.to_json())
    assert set(data) == {"version", "eventHash", "leaf", "proof", "root", "anchor"}
    assert data["anchor"] == {
        "chainId": 31337,
        "contract": CONTRACT.lower(),
        "txHash": "0x" + "11" * 32,
        "blockNumber": 42,
    }
    assert ProofFile.from_json(pf.to_json()) == pf


def test_a_proof_file_without_anchor_round_trips():
    _, pf = build()
    bare = ProofFile(pf.event_hash, pf.leaf, pf.proof, pf.root)
    assert "anchor" not in bare.to_dict()
    assert ProofFile.from_json(bare.to_json().encode()) == bare


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(root="0x1234"), "root must be 32 bytes"),
        (lambda d: d.update(leaf="abc"), "leaf must be a 0x-prefixed hex string"),
        (lambda d: d.update(proof="0x00"), "proof must be a list"),
        (lambda d: d["proof"].append("0xzz"), "is not valid hex"),
        (lambda d: d.update(version=3), "unsupported proof file version"),
        (lambda d: d["anchor"].update(blockNumber=-1), "anchor.blockNumber must be a non-negative integer"),
        (lambda d: d["anchor"].update(contract="0x12"), "anchor.contract must be 20 bytes"),
    ],
)
def test_a_malformed_proof_file_is_refused_with_the_field_named(mutate, message):
    _, pf = build()
    data = pf.to_dict()
    mutate(data)
    with pytest.raises(ProofFormatError, match=message):
        ProofFile.from_dict(data)


def test_invalid_json_is_a_proof_format_error():
    with pytest.raises(ProofFormatError, match="not valid JSON"):
        ProofFile.from_json("{")


def test_a_good_proof_file_verifies_with_the_event_as_bytes_or_dict():
    tree, pf = build()
    for event in (EVENT_BYTES, EVENT, None):
        result = verify.verify_proof_file(pf, anchored(tree), event)
        assert result.ok, result.reasons
        assert result.reasons == []


def test_an_altered_event_is_an_event_hash_mismatch():
    tree, pf = build()
    result = verify.verify_proof_file(pf, anchored(tree), {**EVENT, "eventTime": "2025-01-02T03:04:06Z"})
    assert not result.ok
    assert result.codes == ["event_hash_mismatch"]


def test_a_wrong_leaf_and_a_wrong_proof_are_reported():
    tree, pf = build()
    bad_leaf = ProofFile(pf.event_hash, b"\x00" * 32, pf.proof, pf.root, pf.anchor)
    assert verify.verify_proof_file(bad_leaf, anchored(tree)).codes == ["leaf_mismatch", "proof_mismatch"]
    bad_proof = ProofFile(pf.event_hash, pf.leaf, pf.proof[:-1], pf.root, pf.anchor)
    assert verify.verify_proof_file(bad_proof, anchored(tree)).codes == ["proof_mismatch"]


def test_a_root_not_anchored_fails_unless_the_anchor_is_not_required():
    _, pf = build()
    result = verify.verify_proof_file(pf, None)
    assert result.codes == ["not_anchored"]
    assert "is not anchored on chain" in result.reasons[0]
    assert verify.verify_proof_file(pf, None, EVENT_BYTES, require_anchor=False).ok


def test_an_anchor_from_another_chain_contract_block_or_root_is_a_mismatch():
    tree, pf = build()
    assert verify.verify_proof_file(pf, anchored(tree, chain_id=1)).codes == ["anchor_mismatch"]
    assert verify.verify_proof_file(pf, anchored(tree, contract="0x" + "ab" * 20)).codes == [
        "anchor_mismatch"
    ]
    assert verify.verify_proof_file(pf, anchored(tree, block_number=41)).codes == ["anchor_mismatch"]
    assert verify.verify_proof_file(pf, anchored(tree, root=b"\x01" * 32)).codes == ["anchor_mismatch"]


def test_a_proof_longer_than_the_anchored_tree_allows_is_refused():
    tree, pf = build(n=6)
    assert verify.verify_proof_file(pf, anchored(tree, leaf_count=2)).codes == ["proof_too_long"]


def test_for_leaf_refuses_an_event_hash_that_is_not_that_leaf():
    tree, _ = build()
    with pytest.raises(ValueError, match="does not hash to leaf 0"):
        ProofFile.for_leaf(tree, 0, b"\x00" * 32)
