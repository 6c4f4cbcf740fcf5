"""Whatever an insider deletes, inserts or edits in a recorded and anchored event stream, the checks see it.

A pure model of what recording, anchoring and verification do (``domain.trace.integrity`` and
``chain.merkle``): events linked into per-lot chains, one anchor over all of them, then random tampering,
then the same checks the page, GraphQL and the audit run.
"""

import json
from dataclasses import dataclass, replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chain import merkle
from domain.trace import integrity
from domain.trace.integrity import State

STREAMS = ("lot-a", "lot-b", "lot-c")


@dataclass(frozen=True)
class Stored:
    pk: int
    canonical: str
    leaf: str  # as stored (an insider may rewrite it)
    anchored: integrity.Anchored | None


def record(memberships: list[tuple[str, ...]]) -> list[Stored]:
    heads = dict.fromkeys(STREAMS, (0, integrity.GENESIS))
    out = []
    for pk, streams in enumerate(memberships, start=1):
        links = [integrity.Link(s, heads[s][0] + 1, heads[s][1]) for s in streams]
        body = {"eventID": f"e{pk}", "n": pk, integrity.CHAIN_KEY: integrity.chain_member(links)}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        digest = integrity.event_hash(canonical)
        for s in streams:
            heads[s] = (heads[s][0] + 1, digest)
        out.append(Stored(pk, canonical, digest, None))
    return out


def anchor(events: list[Stored]) -> tuple[list[Stored], str]:
    tree = merkle.MerkleTree.from_event_hashes(bytes.fromhex(e.leaf) for e in events)
    root = "0x" + tree.root.hex()
    return [
        replace(e, anchored=integrity.Anchored(root, tuple("0x" + p.hex() for p in tree.proof(i)), True))
        for i, e in enumerate(events)
    ], root


def detected(events: list[Stored], roots: set[str], leaf_count: int) -> bool:
    """What verification reports: any event not verified, a missing position, or an anchor's leaf gone."""
    states = {
        e.pk: integrity.judge_event(
            e.canonical, e.leaf, e.anchored, e.anchored.root in roots if e.anchored else None
        )
        for e in events
    }
    members: dict[str, list[integrity.Member]] = {s: [] for s in STREAMS}
    for e in events:
        for link in integrity.links_of(json.loads(e.canonical)):
            if link.stream in members:
                members[link.stream].append(
                    integrity.Member(e.pk, link, integrity.event_hash(e.canonical), states[e.pk])
                )
        if not integrity.links_of(json.loads(e.canonical)):
            states[e.pk] = State.INSERTED
    walks = [integrity.walk_stream(s, m) for s, m in members.items()]
    held = sum(1 for e in events if e.anchored is not None)
    return (
        any(state != State.VERIFIED for state in states.values())
        or any(w.missing or w.inserted for w in walks)
        or held < leaf_count
    )


memberships = st.lists(
    st.lists(st.sampled_from(STREAMS), min_size=1, max_size=2, unique=True).map(tuple),
    min_size=1,
    max_size=25,
)


@st.composite
def tampering(draw: st.DrawFn, events: list[Stored]) -> list[Stored]:
    """One to three random edits, deletions or insertions."""
    out = list(events)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "insert", "edit", "edit_consistently"] if out else ["insert"]))
        if kind == "delete":
            del out[draw(st.integers(0, len(out) - 1))]
        elif kind == "insert":
            stream = draw(st.sampled_from(STREAMS))
            seq = draw(st.integers(1, len(events) + 2))
            known = [integrity.event_hash(e.canonical) for e in out] + [integrity.GENESIS]
            prev = draw(st.sampled_from(known))
            body = {"eventID": "forged", "n": draw(st.integers()), integrity.CHAIN_KEY: [
                {"stream": stream, "seq": seq, "prev": prev}
            ]}  # fmt: skip
            canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
            copied = draw(st.sampled_from([None, *[e.anchored for e in out]]))  # a proof borrowed or none
            forged = Stored(10_000 + len(out), canonical, integrity.event_hash(canonical), copied)
            out.insert(draw(st.integers(0, len(out))), forged)
        else:
            i = draw(st.integers(0, len(out) - 1))
            body = json.loads(out[i].canonical)
            body["n"] = body["n"] + draw(st.integers(1, 1000))
            canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
            leaf = integrity.event_hash(canonical) if kind == "edit_consistently" else out[i].leaf
            out[i] = replace(out[i], canonical=canonical, leaf=leaf)
    return out


@settings(max_examples=300, deadline=None)
@given(memberships)
def test_an_untouched_anchored_stream_verifies(groups):
    events, root = anchor(record(groups))
    assert not detected(events, {root}, len(events))


@settings(max_examples=500, deadline=None)
@given(st.data(), memberships)
def test_every_deletion_insertion_or_edit_is_detected(data, groups):
    events, root = anchor(record(groups))
    tampered = data.draw(tampering(events))
    assume(tampered != events)  # an insertion the same draw deleted again is no tampering
    assert detected(tampered, {root}, len(events))
