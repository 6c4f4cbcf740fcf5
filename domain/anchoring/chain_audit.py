"""The audit's second half: every lot's hash chain walked end to end, and every anchor's leaves counted.

``services.audit`` recomputes each anchored root from its events; this module names what a root cannot:
which position of which lot's chain has no event any more (deleted), which stored events are not part of
any chain (slipped in), and which leaves of an anchor have no event row. Shapes are frozen dataclasses of
plain values; one read-only pass over the trace tables.
"""

from collections import defaultdict
from dataclasses import dataclass

from domain.anchoring.models import Anchor, EventAnchor
from domain.anchoring.rules import LIVE_STATES
from domain.trace import integrity, legacy
from domain.trace.models import TraceEvent, TraceEventBatch, TraceStream


@dataclass(frozen=True)
class MissingEvent:
    stream: str  # the lot's EPCIS class
    seq: int
    before_event_id: str | None  # EPCIS eventID of the next event still present, if any


@dataclass(frozen=True)
class ExtraEvent:
    pk: int
    event_id: str
    event_time: str


@dataclass(frozen=True)
class MissingLeaf:
    anchor_id: int
    root: str
    leaf_index: int
    leaf_count: int


@dataclass(frozen=True)
class ChainAudit:
    missing: tuple[MissingEvent, ...]
    extra: tuple[ExtraEvent, ...]
    missing_leaves: tuple[MissingLeaf, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.missing_leaves)


async def audit_chains() -> ChainAudit:
    rows = await TraceEvent.all().order_by("id").values("id", "event_id", "canonical", "leaf")
    bodies = {int(r["id"]): integrity.parse(r["canonical"]) for r in rows}
    digests = {int(r["id"]): integrity.event_hash(r["canonical"]) for r in rows}
    states = {
        int(r["id"]): integrity.State.ALTERED
        if digests[int(r["id"])] != r["leaf"]
        else integrity.State.NOT_ANCHORED
        for r in rows
    }
    members: dict[str, list[integrity.Member]] = defaultdict(list)
    unlinked: set[int] = set()
    for pk, body in bodies.items():
        links = integrity.links_of(body)
        if not links:
            unlinked.add(pk)
        for link in links:
            members[link.stream].append(integrity.Member(pk, link, digests[pk], states[pk]))
    # A database link to a lot that the event's own JSON does not carry is a claim nobody hashed, unless
    # a seal in that lot's chain vouches for the event (recorded before chain links: ``trace.legacy``).
    unlinked_in: dict[int, set[str]] = defaultdict(set)
    for row in await TraceEventBatch.all().values("event_id", "epc_class"):
        pk = int(row["event_id"])
        if pk in bodies and all(k.stream != row["epc_class"] for k in integrity.links_of(bodies[pk])):
            unlinked.add(pk)
            unlinked_in[pk].add(str(row["epc_class"]))
    heads = dict(await TraceStream.all().values_list("stream", "head_seq"))
    by_id = {int(r["id"]): r for r in rows}
    missing: list[MissingEvent] = []
    inserted = set(unlinked)
    vouched: dict[str, dict[str, int]] = defaultdict(dict)  # stream -> sealed event hash -> seal pk
    for stream in sorted(set(members) | set(heads)):
        walk = integrity.walk_stream(stream, members.get(stream, []), heads.get(stream))
        inserted |= walk.inserted
        for gap in walk.missing:
            after = by_id[gap.before]["event_id"] if gap.before is not None else None
            missing.append(MissingEvent(gap.stream, gap.seq, after))
        for m in members.get(stream, []):
            if m.pk not in walk.inserted and m.state != integrity.State.ALTERED:
                for digest in legacy.sealed_lists(bodies[m.pk]).get(stream, []):
                    vouched[stream].setdefault(digest, m.pk)
    present: set[tuple[str, str]] = set()
    for pk, streams in unlinked_in.items():
        if states[pk] != integrity.State.ALTERED and all(digests[pk] in vouched[s] for s in streams):
            inserted.discard(pk)
            present |= {(s, digests[pk]) for s in streams}
    for stream, sealed in sorted(vouched.items()):
        for digest, seal in sealed.items():
            if (stream, digest) not in present:
                missing.append(MissingEvent(stream, 0, str(by_id[seal]["event_id"])))
    extra = tuple(
        ExtraEvent(pk, str(by_id[pk]["event_id"]), str(bodies[pk].get("eventTime", "")))
        for pk in sorted(inserted)
    )
    return ChainAudit(tuple(missing), extra, tuple(await missing_leaves()))


async def missing_leaves() -> list[MissingLeaf]:
    """Leaf positions of live anchors that no event row holds any more."""
    out: list[MissingLeaf] = []
    for anchor in await Anchor.filter(status__in=list(LIVE_STATES)).order_by("id"):
        rows = await EventAnchor.filter(anchor_id=anchor.id).values("leaf_index")
        held = {int(r["leaf_index"]) for r in rows}
        out.extend(
            MissingLeaf(anchor.id, anchor.root, i, anchor.leaf_count)
            for i in range(anchor.leaf_count)
            if i not in held
        )
    return out
