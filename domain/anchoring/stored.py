"""What verification reads from the database, in two plain queries, and what it remembers between calls.

A provenance page checks every event of its lots' chains (601 for a batch with cold-chain readings), so the
reads are plain SQL rather than ORM objects (building 601 ``TraceEvent`` and ``EventAnchor`` rows cost more
than the checks themselves), and the pure work per event is remembered:

* ``read(canonical)`` -- the stored JSON parsed, its event hash, chain links and times, keyed by the stored
  text itself: the same bytes always give the same answer, and a changed byte is a new key.
* ``judge(digest, leaf, anchored, on_chain)`` -- ``integrity.judge_digest`` keyed by the event hash just
  computed from the stored JSON, the stored leaf, the proof and root the database holds and what the chain
  said of that root this time. Nothing stored is trusted as a verdict: every call re-reads the rows, re-hashes
  the text and asks the chain (through the caller's cached root reader); only the Merkle walk of an unchanged
  (event hash, proof, root) is not repeated.

Both memos are bounded (least recently used first out) and per process.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from tortoise import connections

from domain.anchoring.rules import AnchorState
from domain.common.dialect import is_postgres
from domain.trace import integrity
from domain.trace.recording import parse_time

MEMO_SIZE = 65_536
_CHUNK = 5_000  # ids per query: far below either database's parameter limit


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A trace event row as verification reads it (the columns it needs, nothing rendered from them)."""

    id: int
    event_id: str
    canonical: str  # the one stored copy: RFC 8785 JSON, what the leaf hashes
    leaf: str  # hex SHA-256 recorded with it
    event_time: datetime  # the index column: only a fallback when the JSON has no readable eventTime


@dataclass(frozen=True, slots=True)
class AnchorRow:
    root: str  # 0x hex, lower case
    tx_hash: str | None
    block_number: int | None
    contract: str
    chain_id: int
    leaf_index: int
    leaf_count: int
    proof: tuple[str, ...]
    confirmed: bool  # the anchor row's status: only tells "not yet" from "should be there"


@dataclass(frozen=True, slots=True)
class Read:
    """What the stored JSON says, computed from it (see :func:`read`)."""

    digest: str  # hex SHA-256 of the stored text: the event hash
    body: dict[str, Any]  # parsed; shared between callers, never to be mutated
    links: tuple[integrity.Link, ...]
    event_time: datetime | None
    record_time: datetime | None


def _time(body: dict[str, Any], key: str) -> datetime | None:
    try:
        return parse_time(str(body[key]))
    except (KeyError, ValueError):
        return None


@lru_cache(maxsize=MEMO_SIZE)
def read(canonical: str) -> Read:
    """The stored JSON's event hash, parsed body, chain links, ``eventTime`` and ``recordTime``."""
    body = integrity.parse(canonical)
    return Read(
        hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        body,
        tuple(integrity.links_of(body)),
        _time(body, "eventTime"),
        _time(body, integrity.RECORD_TIME),
    )


#: ``integrity.judge_digest`` remembered by its arguments (see the module docstring).
judge = lru_cache(maxsize=MEMO_SIZE)(integrity.judge_digest)


def _datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


async def _rows(sql: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    """``sql`` with ``{ids}`` standing for the id list: one array parameter on PostgreSQL (one prepared
    statement whatever the count), chunks of ``?`` on SQLite."""
    conn = connections.get("default")
    if is_postgres():
        found: list[dict[str, Any]] = await conn.execute_query_dict(
            sql.format(ids="SELECT unnest($1::bigint[])"), [list(ids)]
        )
        return found
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        out.extend(await conn.execute_query_dict(sql.format(ids=", ".join("?" for _ in chunk)), chunk))
    return out


async def events(ids: Iterable[int]) -> list[StoredEvent]:
    """The trace events with these ids, oldest first (``event_time``, then id); unknown ids are left out."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    sql = "SELECT id, event_id, canonical, leaf, event_time FROM trace_event WHERE id IN ({ids})"
    found = [
        StoredEvent(
            int(r["id"]), str(r["event_id"]), str(r["canonical"]), str(r["leaf"]), _datetime(r["event_time"])
        )
        for r in await _rows(sql, wanted)
    ]
    found.sort(key=lambda e: (e.event_time, e.id))
    return found


async def anchors(ids: Iterable[int]) -> dict[int, AnchorRow]:
    """Each event's place in its anchor (root, proof, transaction) as the database says, by event id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    sql = (
        "SELECT ea.event_id, ea.leaf_index, ea.proof, a.root, a.status, a.tx_hash, a.block_number,"
        " a.contract, a.chain_id, a.leaf_count FROM event_anchor ea JOIN anchor a ON a.id = ea.anchor_id"
        " WHERE ea.event_id IN ({ids})"
    )
    out: dict[int, AnchorRow] = {}
    for r in await _rows(sql, wanted):
        proof = r["proof"]
        if isinstance(proof, str | bytes):
            proof = json.loads(proof)
        out[int(r["event_id"])] = AnchorRow(
            str(r["root"]).lower(),
            r["tx_hash"],
            None if r["block_number"] is None else int(r["block_number"]),
            str(r["contract"]),
            int(r["chain_id"]),
            int(r["leaf_index"]),
            int(r["leaf_count"]),
            tuple(str(p) for p in proof) if isinstance(proof, list) else (),
            r["status"] == AnchorState.CONFIRMED,
        )
    return out
