"""PostgreSQL's write of one recorded trace event: two hand-written statements where the ORM path runs six.

Why hand-written (issue 15): every goods receipt and shipment records an event, and the ORM path spends one
round trip each on the hash-ID check, the heads' lock, their advance, the event, its lot links and the
outbox row. Here:

1. ``CLAIM``: the hash-ID check and, only when the event is new, the upsert that creates and locks the
   heads of its streams (see ``recording._locked_heads``) and the new event's id from the table's
   sequence -- one statement, one snapshot, so a stored event is found exactly as the separate ``SELECT``
   found it, and its heads are then neither created nor locked, as before;
2. ``WRITE``: the event row, its lot links, the heads moved to it (``first_time`` on a lot's first event)
   and the ``trace.anchor`` outbox row: four independent parts of one ``WITH`` statement (the links'
   foreign key to the new event is checked at the end of the statement, when the event is there). In a
   posting's batch (``deferred``) they travel with its other closing writes.

The canonical JSON hashes the heads' numbers and hashes, so the two cannot be one statement. The texts
do not depend on how many lots an event names (arrays, not ``VALUES`` lists): asyncpg prepares each once
per connection. Column values go through the fields' ``to_db_value`` as ``bulk_insert.insert_models``
does (the same validation, defaults and ``auto_now_add``). ``tests/integration/trace/test_event_write.py``
pins the rows to the ORM path's (``write_orm``: SQLite's, and what PostgreSQL ran before).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from tortoise import connections, timezone

from domain.common import bulk, bulk_insert, deferred, outbox
from domain.common.dialect import is_postgres
from domain.common.services import enqueue
from domain.trace import integrity
from domain.trace.models import TraceEvent, TraceEventBatch, TraceStream

Head = tuple[str, int, str, datetime | None]  # stream, head seq, head hash, first time
_WRITTEN = ("trace_stream", "trace_event_batch", "outbox_message")  # besides trace_event

ANCHOR_TOPIC = outbox.ANCHOR_TOPIC
outbox.check_topic(ANCHOR_TOPIC)  # what ``services.enqueue`` checks on every call, checked once here

CLAIM = (
    'WITH e AS (SELECT "id" FROM "trace_event" WHERE "event_id" = $1), '
    "h AS (INSERT INTO trace_stream AS t (stream, head_seq, head_hash) "
    "SELECT v.stream, 0, '' FROM unnest($2::text[]) WITH ORDINALITY AS v(stream, n) "
    "WHERE NOT EXISTS (SELECT 1 FROM e) ORDER BY v.n "
    "ON CONFLICT (stream) DO UPDATE SET head_seq = t.head_seq "
    "RETURNING t.stream, t.head_seq, t.head_hash, t.first_time) "
    "SELECT e.id, NULL::bigint AS new_id, NULL::text AS stream, NULL::integer AS head_seq, "
    "NULL::text AS head_hash, NULL::timestamptz AS first_time FROM e "
    "UNION ALL SELECT NULL::bigint, NULL::bigint, h.stream, h.head_seq, h.head_hash, h.first_time FROM h "
    "UNION ALL SELECT NULL::bigint, nextval(pg_get_serial_sequence('trace_event', 'id')), NULL::text, "
    "NULL::integer, NULL::text, NULL::timestamptz WHERE $1::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM e)"
)

#: The columns ``WRITE`` gives a new event (all but the generated id), in its ``$1``… order.
EVENT_COLUMNS = (
    "event_id",
    "event_type",
    "biz_step",
    "action",
    "disposition",
    "event_time",
    "origin",
    "doc_type",
    "doc_id",
    "canonical",
    "leaf",
    "record_time",
    "created_at",
    "declared_event_id",
)
#: The columns of a lot link after its event's id, in ``WRITE``'s array order ($15…$19).
LINK_COLUMNS = ("batch_id", "epc_class", "role", "quantity", "seq")
_TYPES = {
    "event_time": "timestamptz",
    "record_time": "timestamptz",
    "created_at": "timestamptz",
    "doc_id": "integer",
}
_EVENT_VALUES = ", ".join(f"${i + 1}::{_TYPES.get(c, 'text')}" for i, c in enumerate(EVENT_COLUMNS))

#: ``WRITE``'s parts, independent of each other: the event has its id already (``claim`` drew it).
WRITE = (
    f'INSERT INTO "trace_event" ("id", {", ".join(EVENT_COLUMNS)}) VALUES ($24::bigint, {_EVENT_VALUES})',
    'UPDATE "trace_stream" AS t SET "head_seq" = v.seq, "head_hash" = $11::text, '
    '"first_time" = CASE WHEN v.seq = 1 THEN $6::timestamptz ELSE t."first_time" END '
    'FROM unnest($20::text[], $21::integer[]) AS v(stream, seq) WHERE t."stream" = v.stream',
    'INSERT INTO "trace_event_batch" ("event_id", batch_id, epc_class, role, quantity, seq) '
    "SELECT $24::bigint, v.* FROM unnest($15::bigint[], $16::text[], $17::text[], $18::numeric[], "
    "$19::integer[]) AS v",
    'INSERT INTO "outbox_message" ("topic", "payload", "created_at", "relayed_at") '
    "SELECT $22::text, jsonb_build_object('trace_event_id', $24::bigint, 'event_id', $1::text, "
    "'leaf', $11::text), $23::timestamptz, NULL",
)


class Claim(NamedTuple):
    """What ``claim`` found: the stored event's id, or the locked heads and the new event's id."""

    stored: int | None
    heads: list[Head]
    new_id: int | None


async def claim(event_id: str | None, streams: Sequence[str]) -> Claim:
    """``(id of the stored event of this hash ID, [], None)`` when there is one; else ``(None, the heads of
    the sorted ``streams``, created when missing and locked until the transaction ends, in ``streams``
    order, the id the new event is to have)``. ``event_id`` None claims the heads whatever is stored
    (``recording._locked_heads``) and draws no id.

    The id comes from the table's sequence here, not from the event's insert, so ``write`` needs nothing
    back and can travel with the posting's other closing writes (``deferred``)."""
    # An earlier event of this posting still queued would leave the heads read here behind it.
    await deferred.flush_for("trace_event", "trace_stream")
    conn = connections.get("default")
    # execute_query_dict: Tortoise's asyncpg ``execute_query`` drops the rows of an INSERT.
    rows = await conn.execute_query_dict(CLAIM, [event_id, list(streams)])
    stored = [r["id"] for r in rows if r["id"] is not None]
    if stored:
        return Claim(int(stored[0]), [], None)
    new_id = next((int(r["new_id"]) for r in rows if r["new_id"] is not None), None)
    found = {
        r["stream"]: (r["stream"], r["head_seq"], r["head_hash"], r["first_time"])
        for r in rows
        if r["stream"]
    }
    return Claim(None, [found[s] for s in streams], new_id)


def _link_arrays(links: Sequence[Any], seqs: dict[str, int]) -> list[list[Any]]:
    """One array per ``LINK_COLUMNS`` column, each value as ``TraceEventBatch``'s field converts it."""
    fields = TraceEventBatch._meta.fields_map
    rows = [(k.batch_id, k.epc_class, k.role, k.quantity, seqs.get(k.epc_class)) for k in links]
    return [
        [fields[name].to_db_value(row[i], TraceEventBatch) for row in rows]
        for i, name in enumerate(LINK_COLUMNS)
    ]


async def write(row: TraceEvent, links: Sequence[Any], chain: Sequence[integrity.Link]) -> None:
    """Inserts the unsaved ``row`` (which gets its id and ``created_at``), its lot ``links``
    (``recording.LotLink``: each with its stream's number in ``chain``), moves the heads of ``chain`` to
    it (``row.leaf``; ``first_time`` = ``row.event_time`` on a stream's first event) and writes the
    ``trace.anchor`` outbox row naming it. The heads must be locked by the caller's transaction.
    PostgreSQL: one statement (``WRITE``); elsewhere ``write_orm``."""
    if not is_postgres():
        await write_orm(row, links, chain)
        return
    if row.id is None:
        raise ValueError("event_write.write: the event needs the id ``claim`` drew")
    fields = TraceEvent._meta.fields_map
    params: list[Any] = [fields[name].to_db_value(getattr(row, name), row) for name in EVENT_COLUMNS]
    params += _link_arrays(links, {k.stream: k.seq for k in chain})
    params += [[k.stream for k in chain], [k.seq for k in chain]]
    # The outbox row's ``auto_now_add``, as its field's ``to_db_value`` gives it to a new row.
    params += [ANCHOR_TOPIC, timezone.localtime(), row.id]
    write = deferred.Write(WRITE, tuple(params), "trace_event", also=_WRITTEN)
    if deferred.active():
        await deferred.queue(write)
    else:
        sql, values = deferred.statement([write])
        await TraceEvent._meta.db.execute_query(sql, values)
    row._saved_in_db = True


async def write_orm(row: TraceEvent, links: Sequence[Any], chain: Sequence[integrity.Link]) -> None:
    """``write`` through the ORM: SQLite's path, and the reference ``WRITE`` is pinned to."""
    await _advance(chain, row.leaf, row.event_time)
    seqs = {k.stream: k.seq for k in chain}
    await bulk_insert.insert_models([row])
    if links:
        await bulk_insert.insert_models(
            [
                TraceEventBatch(
                    event_id=row.id,
                    batch_id=k.batch_id,
                    epc_class=k.epc_class,
                    role=k.role,
                    quantity=k.quantity,
                    seq=seqs.get(k.epc_class),
                )
                for k in links
            ]
        )
    await enqueue(ANCHOR_TOPIC, {"trace_event_id": row.id, "event_id": row.event_id, "leaf": row.leaf})


async def _advance(chain: Sequence[integrity.Link], digest: str, event_time: datetime) -> None:
    """Moves every head of ``chain`` to the new event: one statement for the lots' first events (which also
    record their first time) and one for the others, however many lots the event names."""
    first = [(link.stream, (link.seq, digest, event_time)) for link in chain if link.seq == 1]
    later = [(link.stream, (link.seq, digest)) for link in chain if link.seq != 1]
    await bulk.update_rows(TraceStream, "stream", ["head_seq", "head_hash", "first_time"], first)
    await bulk.update_rows(TraceStream, "stream", ["head_seq", "head_hash"], later)
