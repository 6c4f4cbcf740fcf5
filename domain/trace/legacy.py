"""Events recorded before chain links (migration 0003): sealed into their lots' chains by one new event.

Why a seal, and not something else:

* **Not rewriting them.** Adding ``lotline:chain`` to an old event changes its bytes: its leaf, its Event
  Hash ID and any proof it already has would break, and "we rewrote history to make it verifiable" is exactly
  what tamper evidence must never need.
* **Not trusting them as they are.** Without a link, nothing ties an old event to its lot's order: an
  insider can delete one or slip a forged one in beside them, and no check could tell. Showing them as
  "verified" would be a lie; leaving them "not in the anchored record" forever is true but useless.
* **A seal** is an ordinary new event, appended to each affected lot's chain (so it is numbered, linked to
  its predecessor and anchored like any other event), whose ``lotline:sealed`` member lists, per lot, the
  event hashes of that lot's unlinked events in the order recorded. From then on the seal vouches for them:
  an unlinked event is accepted only if its hash is in a trusted seal of its lot (the seal itself intact and
  in the chain); a sealed hash with no event is *missing*, an unlinked event not in the seal is *inserted*
  (or *altered*, when its recorded leaf is in the seal but its bytes no longer hash to it).

What the seal proves, and the page says so: the events existed, with these bytes, **on the day they were
sealed** -- not on the day they claim. "记录于链接之前，<date> 封存上链 recorded before chain links; sealed
and anchored on <date>". The seal refuses events that are already altered (their bytes no longer hash to
their recorded leaf): those stay flagged. Sealing twice adds nothing (events already in a seal are skipped).
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.trace import epcis, event_hash, integrity, recording
from domain.trace.models import TraceEvent, TraceEventBatch

#: The business step of a seal: ours, not CBV's (no CBV step means "vouch for earlier records").
SEAL_STEP = "urn:lotline:bizstep:legacy_seal"
SEAL_KEY = "lotline:sealed"


def sealed_lists(body: Mapping[str, Any]) -> dict[str, list[str]]:
    """``{lot class: [event hash, ...]}`` a seal's stored JSON vouches for (empty for any other event)."""
    if body.get("bizStep") != SEAL_STEP:
        return {}
    out: dict[str, list[str]] = {}
    raw = body.get(SEAL_KEY)
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("stream"), str):
            continue
        hashes = entry.get("events")
        if isinstance(hashes, list) and all(isinstance(h, str) for h in hashes):
            out[str(entry["stream"])] = [str(h) for h in hashes]
    return out


def seal_event(lists: Mapping[str, list[str]], now: datetime) -> dict[str, Any]:
    """The seal: an EPCIS 2.0 ObjectEvent OBSERVE about each lot class, carrying ``lotline:sealed``."""
    streams = sorted(lists)
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": epcis.format_time(now),
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "bizStep": SEAL_STEP,
        "quantityList": [{"epcClass": s} for s in streams],
        SEAL_KEY: [{"stream": s, "events": list(lists[s])} for s in streams],
    }
    event["eventID"] = event_hash.event_hash_id(event)
    return event


@dataclass(frozen=True)
class Sealed:
    stream: str
    events: int  # unlinked events vouched for
    refused: int  # unlinked events left out because their bytes no longer hash to their leaf


@dataclass(frozen=True)
class SealResult:
    event_id: str | None  # the seal's Event Hash ID; None when there was nothing to seal (or a dry run)
    streams: list[Sealed]


async def seal_legacy(now: datetime, *, dry_run: bool = False) -> SealResult:
    """Seals every lot's unlinked events not yet in a seal into one new event (see the module docstring).

    One transaction: the seal is stored through ``recording.store_event`` (linked into each lot's chain,
    queued for anchoring). ``dry_run`` reports what would be sealed and writes nothing."""
    links = await TraceEventBatch.all().values_list("event_id", "epc_class", "batch_id")
    by_stream: dict[str, set[int]] = defaultdict(set)
    batch_of: dict[str, int | None] = {}
    for pk, stream, batch_id in links:
        by_stream[str(stream)].add(int(pk))
        batch_of.setdefault(str(stream), batch_id)
    rows = {r.id: r for r in await TraceEvent.filter(id__in={pk for s in by_stream.values() for pk in s})}
    already: dict[str, set[str]] = defaultdict(set)
    for row in rows.values():
        for stream, hashes in sealed_lists(integrity.parse(row.canonical)).items():
            already[stream].update(hashes)
    lists: dict[str, list[str]] = {}
    report: list[Sealed] = []
    for stream in sorted(by_stream):
        unlinked = []
        refused = 0
        for pk in sorted(by_stream[stream], key=lambda p: (rows[p].event_time, p)):
            body = integrity.parse(rows[pk].canonical)
            if any(k.stream == stream for k in integrity.links_of(body)):
                continue
            digest = integrity.event_hash(rows[pk].canonical)
            if digest in already[stream]:
                continue
            if digest != rows[pk].leaf:
                refused += 1
                continue
            unlinked.append(digest)
        if unlinked or refused:
            report.append(Sealed(stream, len(unlinked), refused))
        if unlinked:
            lists[stream] = unlinked
    if dry_run or not lists:
        return SealResult(None, report)
    event = seal_event(lists, now)
    links_out = [recording.LotLink(batch_of.get(s), s, "object", None) for s in sorted(lists)]
    async with in_transaction():
        row = await recording.store_event(
            event, doc_type="legacy_seal", doc_id=None, links=links_out, record_time=now
        )
    return SealResult(row.event_id, report)
