"""Which pending events the worker may anchor: only those that are what was recorded, where it was recorded.

An event is admitted when its stored JSON still hashes to its leaf and each of its chain links fits: no other
event holds the same position of that lot's chain, and ``prev`` is the hash of the event at the position
before (64 zeros for the first). A row written straight into the database -- a forged event, a copy, an
event re-dated -- fails one of these and is left out, so it is never anchored and the audit names it.
Read-only; called inside the claiming transaction.
"""

from collections import defaultdict
from collections.abc import Sequence

from domain.trace import integrity
from domain.trace.models import TraceEvent, TraceEventBatch


async def admissible(rows: Sequence[dict[str, object]]) -> set[int]:
    """Ids among ``rows`` (``id``, ``leaf``, ``canonical``) that may be anchored."""
    links = {int(str(r["id"])): integrity.links_of(integrity.parse(str(r["canonical"]))) for r in rows}
    wanted = {(k.stream, s) for ks in links.values() for k in ks for s in (k.seq, k.seq - 1) if s > 0}
    streams = sorted({s for s, _ in wanted})
    holders: dict[tuple[str, int], set[int]] = defaultdict(set)
    if streams:
        for row in await TraceEventBatch.filter(epc_class__in=streams, seq__isnull=False).values(
            "event_id", "epc_class", "seq"
        ):
            if (row["epc_class"], row["seq"]) in wanted:
                holders[(row["epc_class"], int(row["seq"]))].add(int(row["event_id"]))
    lookup = sorted({pk for pks in holders.values() for pk in pks})
    digests = {
        int(r["id"]): integrity.event_hash(r["canonical"])
        for r in await TraceEvent.filter(id__in=lookup).values("id", "canonical")
    }
    ok = set()
    for row in rows:
        pk = int(str(row["id"]))
        if integrity.event_hash(str(row["canonical"])) != row["leaf"] or not links[pk]:
            continue
        if all(_fits(pk, link, holders, digests) for link in links[pk]):
            ok.add(pk)
    return ok


def _fits(
    pk: int, link: integrity.Link, holders: dict[tuple[str, int], set[int]], digests: dict[int, str]
) -> bool:
    here = holders.get((link.stream, link.seq), set())
    if here - {pk}:
        return False  # someone else claims this position
    if link.seq == 1:
        return link.prev == integrity.GENESIS
    before = holders.get((link.stream, link.seq - 1), set())
    if not before:
        # No indexed predecessor: the repository stream (events about no lot) is not indexed per position.
        return link.stream == integrity.REPOSITORY_STREAM
    return any(digests.get(b) == link.prev for b in before)
