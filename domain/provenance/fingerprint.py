"""The fingerprint of a provenance page: when it is unchanged, a page built earlier still says what the
database says, so the public page can be reused instead of re-verifying every event on every scan.

One PostgreSQL query from the public code: the batch and its lineage, every event of its lots' chains (a
digest of the stored JSON, the leaf, the proof and the anchor's root and status), its quality checks, its
status and its recalls. Any edit, deletion or insertion of an event, link, proof or anchor changes it.
Chain roots are not in it: the page's cache lives no longer than the chain root cache allows (see
supplier_portal/provenance.py).
"""

from tortoise import connections

from domain.common.dialect import is_postgres
from domain.provenance import rules

_FINGERPRINT = """
WITH RECURSIVE own AS (SELECT batch_id AS id FROM batch_public_code WHERE code = $1),
lots(id, depth) AS (
    SELECT id, 0 FROM own
    UNION SELECT l.parent_id, lots.depth + 1 FROM batch_lineage l JOIN lots ON l.child_id = lots.id
    WHERE lots.depth < 64),
events AS (
    SELECT DISTINCT l.event_id FROM trace_event_batch l WHERE l.epc_class IN (
        SELECT k.epc_class FROM trace_event_batch k WHERE k.batch_id IN (SELECT id FROM lots)))
SELECT (SELECT id FROM own) AS batch_id, encode(sha256(convert_to(
    coalesce((SELECT string_agg(
        e.id::text || ':' || e.leaf || ':' || md5(e.canonical) || ':' || length(e.canonical)::text || ':'
        || coalesce(ea.leaf_index::text, '') || coalesce(ea.proof::text, '') || ':' || coalesce(a.root, '')
        || coalesce(a.status, ''), ',' ORDER BY e.id)
        FROM trace_event e JOIN events x ON x.event_id = e.id
        LEFT JOIN event_anchor ea ON ea.event_id = e.id LEFT JOIN anchor a ON a.id = ea.anchor_id), '')
    || (SELECT coalesce(string_agg(l.id::text, ',' ORDER BY l.id), '') FROM lots l)
    || (SELECT coalesce(string_agg(q.id::text || q.status, ',' ORDER BY q.id), '')
        FROM quality_check q WHERE q.batch_id = (SELECT id FROM own))
    || (SELECT coalesce(b.status, '') FROM batch b WHERE b.id = (SELECT id FROM own))
    || (SELECT coalesce(string_agg(r.id::text || r.status, ',' ORDER BY r.id), '') FROM recall_lot rl
        JOIN recall_document r ON r.id = rl.recall_id WHERE rl.batch_id = (SELECT id FROM own)),
    'UTF8')), 'hex')
    AS fingerprint
"""


async def page_fingerprint(public_code: str) -> str | None:
    """A digest of everything the page's checks read about a batch (its lots, their events with their stored
    JSON, leaves, proofs and anchors; its quality checks and status), computed by PostgreSQL in one query:
    equal digests mean a page built earlier is still what the database says. None on other databases (no
    cache) and for an unknown code."""
    code = rules.normalise_code(public_code)
    if code is None or not is_postgres():
        return None
    rows = await connections.get("default").execute_query_dict(_FINGERPRINT, [code])
    if not rows or rows[0]["batch_id"] is None:
        return None
    return f"{rows[0]['batch_id']}:{rows[0]['fingerprint']}"
