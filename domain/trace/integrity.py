"""Tamper evidence of stored trace events: hash chains per lot, and what a stored event proves. Pure.

Every event we store carries, inside the exact JSON its leaf hashes (``docs/proof-format.md``):

* ``recordTime`` -- when we recorded it (EPCIS standard field, ours, left out of the CBV 2.0 event hash ID);
* ``lotline:chain`` -- one link per lot the event is about: ``{"stream": <EPCIS class of the lot>,
  "seq": n, "prev": <hex SHA-256 of the stream's event n-1, or 64 zeros for n = 1>}``.

So the order of a lot's events is itself hashed and anchored: an event removed leaves a gap in ``seq`` and
a ``prev`` that points at nothing, an event slipped in repeats a ``seq`` or points at the wrong
predecessor, and an event changed no longer leads along its Merkle proof to the root read from the chain.
``judge_event`` and ``walk_stream`` turn those facts into per-event states; no I/O, no clock.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chain import merkle

CHAIN_KEY = "lotline:chain"
RECORD_TIME = "recordTime"
GENESIS = "00" * 32
#: The stream of an event about no lot of ours (a bare EPC list, a captured event about unknown classes).
REPOSITORY_STREAM = "urn:lotline:stream:repository"
#: ``recordTime`` this far from ``eventTime`` is shown ("recorded on …").
LATE_RECORDING = timedelta(hours=24)


class State(StrEnum):
    VERIFIED = "verified"  # its JSON leads along its proof to a root the chain holds
    ALTERED = "altered"  # changed after recording or anchoring: no longer leads to the anchored root
    MISSING = "missing"  # a position of a lot's chain with no event any more
    INSERTED = "inserted"  # not part of the recorded chain: a repeated number or a wrong predecessor
    NOT_ANCHORED = "not_anchored"  # intact so far, its root not (yet) on chain
    UNVERIFIABLE = "unverifiable"  # intact in the database, but the chain could not be read


#: Worst first: a batch's overall state is the worst of its events'.
SEVERITY = (
    State.ALTERED,
    State.MISSING,
    State.INSERTED,
    State.UNVERIFIABLE,
    State.NOT_ANCHORED,
    State.VERIFIED,
)


@dataclass(frozen=True, slots=True)
class Link:
    stream: str
    seq: int
    prev: str  # hex, no 0x


def event_hash(canonical: str) -> str:
    """The event hash (hex SHA-256) of the stored JSON text."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse(canonical: str) -> dict[str, Any]:
    """The stored JSON as a dict (empty when it is not a JSON object: an insider's garbage is judged by its
    hash, never trusted for its fields)."""
    try:
        parsed = json.loads(canonical)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def links_of(body: Mapping[str, Any]) -> list[Link]:
    """The chain links an event carries (empty when it has none or they are malformed)."""
    raw = body.get(CHAIN_KEY)
    out: list[Link] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        stream, seq, prev = item.get("stream"), item.get("seq"), item.get("prev")
        good_seq = isinstance(seq, int) and not isinstance(seq, bool)
        if isinstance(stream, str) and good_seq and isinstance(prev, str) and len(prev) == 64:
            out.append(Link(stream, int(str(seq)), prev))
    return out


def chain_member(links: Sequence[Link]) -> list[dict[str, Any]]:
    """The ``lotline:chain`` value written into an event (streams in sorted order)."""
    return [{"stream": k.stream, "seq": k.seq, "prev": k.prev} for k in sorted(links, key=lambda k: k.stream)]


def recorded_late(event_time: datetime, record_time: datetime | None) -> bool:
    return record_time is not None and abs(record_time - event_time) > LATE_RECORDING


@dataclass(frozen=True, slots=True)
class Anchored:
    """An event's place in an anchor, as the database says (to be checked, not trusted)."""

    root: str  # 0x hex
    proof: tuple[str, ...]  # 0x hex siblings
    confirmed: bool  # the anchor row says confirmed


def judge_event(canonical: str, stored_leaf: str, anchored: Anchored | None, on_chain: bool | None) -> State:
    """What one stored event proves by itself. ``on_chain``: the chain holds ``anchored.root`` (None: the
    chain could not be read). The anchor row's status only tells "not yet" from "should be there"."""
    return judge_digest(event_hash(canonical), stored_leaf, anchored, on_chain)


def judge_digest(digest: str, stored_leaf: str, anchored: Anchored | None, on_chain: bool | None) -> State:
    """:func:`judge_event` for an event whose stored JSON hashes (now) to ``digest``. A pure function of its
    arguments, so a caller may remember its answers keyed by them (the event hash, its proof and root, what
    the chain said): a changed byte, proof, root or chain answer is another key, never a stale verdict."""
    if anchored is None:
        return State.ALTERED if digest != stored_leaf else State.NOT_ANCHORED
    leaf = merkle.leaf_hash(bytes.fromhex(digest))
    reaches = merkle.process_proof(leaf, [bytes.fromhex(p.removeprefix("0x")) for p in anchored.proof])
    leads = reaches == bytes.fromhex(anchored.root.removeprefix("0x"))
    if on_chain is None:
        return State.UNVERIFIABLE if leads and digest == stored_leaf else State.ALTERED
    if on_chain:
        return State.VERIFIED if leads else State.ALTERED
    if anchored.confirmed:
        return State.ALTERED  # the database says anchored; the chain has no such root
    return State.NOT_ANCHORED if leads and digest == stored_leaf else State.ALTERED


@dataclass(frozen=True, slots=True)
class Member:
    """One event as a member of one stream."""

    pk: int
    link: Link | None  # None: linked to the lot in the database, but its JSON carries no link for it
    digest: str  # event hash of its stored JSON
    state: State  # from ``judge_event``


@dataclass(frozen=True, slots=True)
class Gap:
    stream: str
    seq: int  # the missing position
    before: int | None  # pk of the next present event of the stream, if any


@dataclass
class Walk:
    missing: list[Gap] = field(default_factory=list)
    inserted: set[int] = field(default_factory=set)


def walk_stream(stream: str, members: Sequence[Member], head_seq: int | None = None) -> Walk:
    """Follow one lot's chain from ``seq`` 1: positions with no event, and events that are not the chain's.

    Of several events claiming one position, the one whose ``prev`` is the predecessor's hash is the
    chain's (a verified one wins a tie). An event after a missing or altered one cannot have its ``prev``
    checked and is not blamed. ``head_seq`` is the last position known to exist (e.g. from an anchor).
    """
    out = Walk()
    by_seq: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        if m.link is None or m.link.seq < 1:
            out.inserted.add(m.pk)
        else:
            by_seq[m.link.seq].append(m)
    expected_seq, expected_prev = 1, GENESIS
    for seq in sorted(by_seq):
        group = by_seq[seq]
        if seq > expected_seq:
            nxt = min(group, key=lambda m: m.pk).pk
            out.missing.extend(Gap(stream, s, nxt) for s in range(expected_seq, seq))
            expected_prev = ""  # unknown: the predecessor is gone
        fitting = [
            m for m in group if not expected_prev or (m.link is not None and m.link.prev == expected_prev)
        ]
        if not fitting:
            out.inserted.update(m.pk for m in group)
            continue  # the position stays open: its event is gone and these are not it
        chosen = min(fitting, key=lambda m: (m.state != State.VERIFIED, m.pk))
        out.inserted.update(m.pk for m in group if m is not chosen)
        expected_seq = seq + 1
        # After an altered event its successor's prev cannot match its present hash: do not blame it.
        expected_prev = "" if chosen.state == State.ALTERED else chosen.digest
    if head_seq is not None and head_seq >= expected_seq:
        out.missing.extend(Gap(stream, s, None) for s in range(expected_seq, head_seq + 1))
    return out


def worst(states: Sequence[State]) -> State:
    """The state a set of events has together (VERIFIED only when every one is)."""
    if not states:
        return State.NOT_ANCHORED
    return min(states, key=SEVERITY.index)
