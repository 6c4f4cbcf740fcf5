"""The fingerprint of a provenance page: when it is unchanged, a page built earlier still says what the
database says, so the public page can be reused instead of re-verifying every event on every scan.

It names every row the page's checks read about a batch, found from its public code: the code, the batch and
its lineage, every trace link of its lots and of their chains, those links' events, the events' anchor rows
and anchors, the chains' heads, the batch's quality checks and recalls. Any insertion, deletion or update of
one of those rows changes it. Chain roots are not in it: the page's cache lives no longer than the chain root
cache allows (see supplier_portal/provenance.py).

On PostgreSQL a row is named by its id and its version, ``xmin`` and ``ctid``: every UPDATE writes a new
row version whose ``xmin`` is the updating transaction's id, which no earlier committed version of that row
carries, and system columns cannot be assigned by SQL, so an edit with SQL access changes the fingerprint
whatever columns it sets (a DELETE or INSERT changes the set of rows). PostgreSQL compares nothing but these
short values, so checking is cheap however large the stored events are. (A ``VACUUM FULL`` moves rows and
changes their ``ctid``: a rebuild, never a stale page. Editing the data files beneath PostgreSQL is outside
what this detects, as it is outside what any SQL-level check can see.)

On SQLite, which has no row versions, the same rows are read whole and digested here (SHA-256 of every
column), so the check costs a read of the batch's rows but is as sound.
"""

import hashlib
import json
from typing import Any

from tortoise import connections

from domain.common.dialect import is_postgres
from domain.provenance import rules

_SETS = """
WITH RECURSIVE own AS (SELECT batch_id AS id FROM batch_public_code WHERE code = $1),
lots(id, depth) AS (
    SELECT id, 0 FROM own
    UNION SELECT l.parent_id, lots.depth + 1 FROM batch_lineage l JOIN lots ON l.child_id = lots.id
    WHERE lots.depth < 64),
classes AS (SELECT DISTINCT k.epc_class FROM trace_event_batch k WHERE k.batch_id IN (SELECT id FROM lots)),
links AS (
    SELECT l.id, l.event_id FROM trace_event_batch l
    WHERE l.batch_id IN (SELECT id FROM lots) OR l.epc_class IN (SELECT epc_class FROM classes))
"""

#: (tag, table, which of its rows the page reads), in the order they are digested.
_ROWS: tuple[tuple[str, str, str], ...] = (
    ("code", "batch_public_code", "t.code = $1"),
    ("batch", "batch", "t.id IN (SELECT id FROM lots)"),
    ("lineage", "batch_lineage", "t.child_id IN (SELECT id FROM lots)"),
    ("link", "trace_event_batch", "t.id IN (SELECT id FROM links)"),
    ("event", "trace_event", "t.id IN (SELECT event_id FROM links)"),
    ("event_anchor", "event_anchor", "t.event_id IN (SELECT event_id FROM links)"),
    (
        "anchor",
        "anchor",
        "t.id IN (SELECT a.anchor_id FROM event_anchor a WHERE a.event_id IN (SELECT event_id FROM links))",
    ),
    ("stream", "trace_stream", "t.stream IN (SELECT epc_class FROM classes)"),
    ("check", "quality_check", "t.batch_id IN (SELECT id FROM own)"),
    ("recall_lot", "recall_lot", "t.batch_id IN (SELECT id FROM own)"),
    (
        "recall",
        "recall_document",
        "t.id IN (SELECT rl.recall_id FROM recall_lot rl WHERE rl.batch_id IN (SELECT id FROM own))",
    ),
)

_VERSIONS = (
    _SETS
    + "SELECT (SELECT id FROM own) AS batch_id, encode(sha256(convert_to(coalesce(string_agg("
    + "v.tag || ':' || v.id || ':' || v.version, ',' ORDER BY v.tag, v.id, v.version), ''), 'UTF8')), 'hex')"
    + " AS fingerprint FROM (\n"
    + "\nUNION ALL ".join(
        f"SELECT '{tag}' AS tag, t.id::bigint AS id, t.xmin::text || t.ctid::text AS version FROM {table} t"
        f" WHERE {where}"
        for tag, table, where in _ROWS
    )
    + "\n) v"
)


async def page_fingerprint(public_code: str) -> str | None:
    """A digest of every row the page's checks read about a batch (see the module docstring), as
    ``"<batch id>:<hex SHA-256>"``: equal fingerprints mean a page built earlier is still what the database
    says. PostgreSQL: one query over row versions (``xmin``, ``ctid``); SQLite: the rows read whole and
    digested. None for an unknown or malformed code."""
    code = rules.normalise_code(public_code)
    if code is None:
        return None
    db = connections.get("default")
    if is_postgres():
        rows = await db.execute_query_dict(_VERSIONS, [code])
        if not rows or rows[0]["batch_id"] is None:
            return None
        return f"{rows[0]['batch_id']}:{rows[0]['fingerprint']}"
    return await _full_digest(code)


async def _full_digest(code: str) -> str | None:
    """The SQLite fallback: every column of every row the page reads, digested in order."""
    db = connections.get("default")
    sets = _SETS.replace("$1", "?")
    own = await db.execute_query_dict(sets + "SELECT id FROM own", [code])
    if not own:
        return None
    digest = hashlib.sha256()
    for tag, table, where in _ROWS:
        sql = f"{sets}SELECT * FROM {table} t WHERE {where.replace('$1', '?')} ORDER BY t.id"
        params = [code] * (sql.count("?"))
        for row in await db.execute_query_dict(sql, params):
            digest.update(tag.encode() + b"\x00" + _row_bytes(row) + b"\x1e")
    return f"{own[0]['id']}:{digest.hexdigest()}"


def _row_bytes(row: dict[str, Any]) -> bytes:
    # Column names and values, typed (1 and "1" differ); bytes as hex.
    return json.dumps(
        {k: [type(v).__name__, v.hex() if isinstance(v, bytes) else str(v)] for k, v in row.items()},
        sort_keys=True,
        ensure_ascii=False,
    ).encode()
