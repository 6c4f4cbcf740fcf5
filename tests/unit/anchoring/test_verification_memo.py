"""The per-event memo of verification never answers for other bytes, another proof or another chain answer:
each is part of its key, so a remembered verdict is the verdict of exactly these inputs."""

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from chain import merkle
from domain.anchoring import stored
from domain.trace import integrity
from domain.trace.integrity import State


def _anchored(digest: str) -> integrity.Anchored:
    other = hashlib.sha256(b"sibling").digest()
    leaf = merkle.leaf_hash(bytes.fromhex(digest))
    root = merkle.process_proof(leaf, [other])
    return integrity.Anchored("0x" + root.hex(), ("0x" + other.hex(),), True)


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_the_read_memo_follows_the_stored_bytes(a, b):
    first = stored.read(json.dumps({"v": a}))
    second = stored.read(json.dumps({"v": b}))
    assert first.digest == hashlib.sha256(json.dumps({"v": a}).encode()).hexdigest()
    assert (first.digest == second.digest) == (a == b)
    assert second.body == {"v": b}


def test_the_judge_memo_answers_each_chain_answer_and_each_byte_afresh():
    canonical = json.dumps({"v": "4.5"})
    digest = integrity.event_hash(canonical)
    anchored = _anchored(digest)

    assert stored.judge(digest, digest, anchored, True) == State.VERIFIED
    assert stored.judge(digest, digest, anchored, None) == State.UNVERIFIABLE  # the chain could not be read
    assert stored.judge(digest, digest, anchored, False) == State.ALTERED  # confirmed, but not on chain
    edited = integrity.event_hash(json.dumps({"v": "99.9"}))
    assert stored.judge(edited, digest, anchored, True) == State.ALTERED  # an insider's edit
    assert stored.judge(digest, digest, anchored, True) == State.VERIFIED  # and the true bytes still are
