"""Verification where a person looks: each stored event re-hashed, its proof followed to a root read from
the chain, and its lots' hash chains walked for gaps and slipped-in events.

Nothing here trusts an anchor row's status or a stored leaf: ``integrity.judge_event`` recomputes the event
hash from the stored JSON (the one copy that is also rendered), and ``roots`` -- supplied by the caller, who
reads the chain (``chain.roots.RootReader``) -- says which roots the registry holds. Shapes:

* ``Roots``: ``async (roots: list[str]) -> {root: bool}`` (0x hex, lower case); raising means the chain
  could not be read, and anchored events are then ``unverifiable`` rather than verified.
* ``Verification``: the batch's overall state, per-event checks and the missing chain positions.
"""

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.anchoring import stored
from domain.common.digits import key_of
from domain.trace import integrity, legacy
from domain.trace.integrity import State
from domain.trace.models import TraceEvent, TraceEventBatch, TraceStream

log = logging.getLogger(__name__)

Roots = Callable[[list[str]], Awaitable[Mapping[str, bool]]]


@dataclass(frozen=True)
class AnchorFacts:
    root: str  # 0x hex
    tx_hash: str | None
    block_number: int | None
    contract: str
    chain_id: int
    leaf_index: int
    leaf_count: int
    proof: tuple[str, ...]


@dataclass(frozen=True)
class EventCheck:
    pk: int
    event_id: str
    event_hash: str  # hex SHA-256 of the stored JSON as it is now
    state: State
    event_time: datetime
    record_time: datetime | None
    recorded_late: bool  # recordTime far from eventTime
    before_first: bool  # dated before its lot's first event (receipt or production)
    anchor: AnchorFacts | None
    body: dict[str, Any]  # the stored JSON, parsed (what is hashed is what is shown)
    sealed_on: datetime | None = None  # recorded before chain links: the day a trusted seal vouched for it


@dataclass(frozen=True)
class Verification:
    state: State  # the worst of all
    events: tuple[EventCheck, ...]  # in the order asked
    missing: tuple[integrity.Gap, ...]

    def count(self, state: State) -> int:
        return (
            len(self.missing) if state == State.MISSING else sum(1 for e in self.events if e.state == state)
        )


async def _on_chain(roots: Roots | None, wanted: Iterable[str]) -> dict[str, bool | None]:
    keys = sorted({r.lower() for r in wanted})
    if roots is None or not keys:
        return dict.fromkeys(keys)
    try:
        found = await roots(keys)
    except Exception:  # the chain is unreachable or answers nonsense: say so, never "verified"
        log.warning("chain roots could not be read; anchored events shown as unverifiable", exc_info=True)
        return dict.fromkeys(keys)
    return {k: bool(found.get(k, False)) for k in keys}


def _facts(a: stored.AnchorRow) -> AnchorFacts:
    return AnchorFacts(
        a.root, a.tx_hash, a.block_number, a.contract, a.chain_id, a.leaf_index, a.leaf_count, a.proof
    )


async def verify_events(
    rows: Sequence[stored.StoredEvent | TraceEvent], streams: Iterable[str], roots: Roots | None
) -> Verification:
    """Judge ``rows`` (stored events) and walk ``streams`` (lot classes) over every event linked to them.

    Every call reads the rows, proofs and anchors again and re-hashes every stored JSON; the per-event
    Merkle walk and parse are remembered by their inputs (``stored``), never as a stored verdict."""
    streams = sorted(set(streams))
    links = await TraceEventBatch.filter(epc_class__in=streams).values_list("event_id", "epc_class")
    members_of: dict[str, set[int]] = defaultdict(set)
    for event_pk, epc_class in links:
        members_of[str(epc_class)].add(int(event_pk))
    shown = {r.id: r for r in rows}
    extra = {pk for pks in members_of.values() for pk in pks} - set(shown)
    everyone: dict[int, stored.StoredEvent | TraceEvent] = {
        **shown,
        **{r.id: r for r in await stored.events(extra)},
    }
    anchors = await stored.anchors(everyone)
    chain = await _on_chain(roots, (a.root for a in anchors.values()))
    reads = {pk: stored.read(r.canonical) for pk, r in everyone.items()}
    states: dict[int, State] = {}
    for pk, event in everyone.items():
        found = anchors.get(pk)
        anchored = integrity.Anchored(found.root, found.proof, found.confirmed) if found else None
        seen = chain.get(found.root) if found else None
        states[pk] = stored.judge(reads[pk].digest, event.leaf, anchored, seen)
    missing: list[integrity.Gap] = []
    sealed_by: dict[int, int] = {}  # unlinked event -> the seal that vouches for it
    first_time: dict[str, datetime] = {}
    # The recorded heads name a deleted latest event too (a hint only: the chain itself proves the rest).
    heads = dict(await TraceStream.filter(stream__in=streams).values_list("stream", "head_seq"))
    for stream in streams:
        members = []
        for pk in sorted(members_of.get(stream, ())):
            link = next((k for k in reads[pk].links if k.stream == stream), None)
            members.append(integrity.Member(pk, link, reads[pk].digest, states[pk]))
        walk = integrity.walk_stream(stream, members, heads.get(stream))
        for m in members:  # the lot's own first event (not one slipped in beside it) dates its receipt
            first = m.link is not None and m.link.seq == 1
            if first and m.pk not in walk.inserted and m.state != State.ALTERED:
                first_time[stream] = reads[m.pk].event_time or everyone[m.pk].event_time
        missing.extend(walk.missing)
        missing.extend(_apply_seals(stream, members, walk, reads, everyone, states, sealed_by))
        for pk in walk.inserted:
            if states[pk] != State.ALTERED:
                states[pk] = State.INSERTED
    checks = []
    for row in rows:
        r = reads[row.id]
        event_time = r.event_time or row.event_time
        lots = {k.stream for k in r.links} | {s for s in streams if row.id in members_of[s]}
        before = any(event_time < first_time[s] for s in lots if s in first_time)
        checks.append(
            EventCheck(
                row.id,
                str(r.body.get("eventID", row.event_id)),
                r.digest,
                states[row.id],
                event_time,
                r.record_time,
                integrity.recorded_late(event_time, r.record_time),
                before,
                _facts(anchors[row.id]) if row.id in anchors else None,
                r.body,
                reads[sealed_by[row.id]].record_time if row.id in sealed_by else None,
            )
        )
    overall = integrity.worst([c.state for c in checks] + [State.MISSING for _ in missing])
    return Verification(overall, tuple(checks), tuple(missing))


def _apply_seals(
    stream: str,
    members: list[integrity.Member],
    walk: integrity.Walk,
    reads: Mapping[int, stored.Read],
    rows: Mapping[int, stored.StoredEvent | TraceEvent],
    states: dict[int, State],
    sealed_by: dict[int, int],
) -> list[integrity.Gap]:
    """Events recorded before chain links, judged by the seals of the stream (``domain.trace.legacy``):
    only a seal that is itself intact and in the chain vouches. An unlinked event whose hash it lists takes
    the seal's state; one whose recorded leaf it lists but whose bytes no longer hash to it is altered; a
    listed hash with no event is missing (position 0: before the chain). Updates ``walk``, ``states`` and
    ``sealed_by``; returns the missing."""
    vouched: dict[str, int] = {}
    for m in members:
        if m.link is not None and m.pk not in walk.inserted and m.state != State.ALTERED:
            for digest in legacy.sealed_lists(reads[m.pk].body).get(stream, []):
                vouched.setdefault(digest, m.pk)
    if not vouched:
        return []
    present: set[str] = set()
    for m in members:
        if m.link is not None:
            continue
        if m.digest in vouched and m.state != State.ALTERED:
            seal = vouched[m.digest]
            walk.inserted.discard(m.pk)
            states[m.pk] = states[seal]
            sealed_by[m.pk] = seal
            present.add(m.digest)
        elif rows[m.pk].leaf in vouched:
            states[m.pk] = State.ALTERED
            present.add(rows[m.pk].leaf)
    return [integrity.Gap(stream, 0, seal) for digest, seal in vouched.items() if digest not in present]


async def verify_batch(batch_id: int, roots: Roots | None) -> Verification:
    """The batch's own events (every step of its lot's chain), judged against the chain."""
    links = await TraceEventBatch.filter(batch_id=batch_id).values("event_id", "epc_class")
    rows = await stored.events(int(k["event_id"]) for k in links)
    return await verify_events(rows, {k["epc_class"] for k in links}, roots)


async def verify_event(event_id: str, roots: Roots | None) -> EventCheck | None:
    """One event by its EPCIS event ID (or pk as text), judged with its lots' chains."""
    pk = key_of(event_id)
    row = await (
        TraceEvent.get_or_none(id=pk) if pk is not None else TraceEvent.get_or_none(event_id=event_id)
    )
    if row is None:
        return None
    streams = await TraceEventBatch.filter(event_id=row.id).values_list("epc_class", flat=True)
    found = await verify_events([row], [str(s) for s in streams], roots)
    return found.events[0]
