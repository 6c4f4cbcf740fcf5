"""What one stored event proves by itself, and what a lot's chain says of its members."""

import hashlib
import json

from chain import merkle
from domain.trace import integrity
from domain.trace.integrity import Anchored, Gap, Link, Member, State

CANONICAL = json.dumps({"eventID": "e1", "n": 1}, separators=(",", ":"))
DIGEST = hashlib.sha256(CANONICAL.encode()).hexdigest()
OTHER = hashlib.sha256(b"other").digest()
TREE = merkle.MerkleTree.from_event_hashes([bytes.fromhex(DIGEST), OTHER])
ROOT = "0x" + TREE.root.hex()
PROOF = tuple("0x" + p.hex() for p in TREE.proof(0))


def test_an_event_whose_proof_reaches_a_root_on_chain_is_verified():
    assert integrity.judge_event(CANONICAL, DIGEST, Anchored(ROOT, PROOF, True), True) == State.VERIFIED


def test_a_changed_event_is_altered_even_when_its_stored_leaf_was_rewritten_to_match():
    changed = CANONICAL.replace("1", "2")
    leaf = hashlib.sha256(changed.encode()).hexdigest()
    assert integrity.judge_event(changed, leaf, Anchored(ROOT, PROOF, True), True) == State.ALTERED


def test_an_anchor_row_the_chain_does_not_hold_is_altered_once_said_confirmed_and_waiting_before():
    assert integrity.judge_event(CANONICAL, DIGEST, Anchored(ROOT, PROOF, True), False) == State.ALTERED
    assert integrity.judge_event(CANONICAL, DIGEST, Anchored(ROOT, PROOF, False), False) == State.NOT_ANCHORED


def test_without_a_chain_to_read_an_intact_anchored_event_is_unverifiable_never_verified():
    assert integrity.judge_event(CANONICAL, DIGEST, Anchored(ROOT, PROOF, True), None) == State.UNVERIFIABLE


def test_an_unanchored_event_is_not_anchored_while_it_still_hashes_to_its_leaf():
    assert integrity.judge_event(CANONICAL, DIGEST, None, None) == State.NOT_ANCHORED
    assert integrity.judge_event(CANONICAL + " ", DIGEST, None, None) == State.ALTERED


def _member(pk: int, seq: int, prev: str, digest: str, state: State = State.VERIFIED) -> Member:
    return Member(pk, Link("lot", seq, prev), digest, state)


def test_a_walk_names_a_gap_a_slipped_in_copy_and_a_deleted_latest_event():
    a, b, d = ("a" * 64), ("b" * 64), ("d" * 64)
    members = [
        _member(1, 1, integrity.GENESIS, a),
        _member(2, 2, a, b),
        _member(9, 2, a, "f" * 64, State.NOT_ANCHORED),  # the same position claimed again
        _member(4, 4, "c" * 64, d),  # position 3 is gone
    ]

    walk = integrity.walk_stream("lot", members, head_seq=5)

    assert walk.inserted == {9}
    assert walk.missing == [Gap("lot", 3, 4), Gap("lot", 5, None)]


def test_the_successor_of_an_altered_event_is_not_blamed_for_its_predecessors_new_hash():
    members = [_member(1, 1, integrity.GENESIS, "e" * 64, State.ALTERED), _member(2, 2, "a" * 64, "b" * 64)]
    walk = integrity.walk_stream("lot", members)
    assert (walk.inserted, walk.missing) == (set(), [])
