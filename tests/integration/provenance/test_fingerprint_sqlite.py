"""On SQLite (the demo's database, which has no row versions) the page fingerprint digests the rows the page
reads in full: equal while nothing changed, different after any edit of the lot's trace rows."""

from decimal import Decimal

from tortoise import connections

from domain.provenance import fingerprint
from domain.provenance import services as provenance
from tests import factories

EDITS = {
    "trace_event": "UPDATE trace_event SET canonical = canonical || ' ' WHERE id = ?",
    "trace_event_batch": "UPDATE trace_event_batch SET seq = seq + 1 WHERE event_id = ?",
    "trace_stream": (
        "UPDATE trace_stream SET head_seq = head_seq + 1 WHERE stream IN"
        " (SELECT epc_class FROM trace_event_batch WHERE event_id = ?)"
    ),
    "trace_event_batch delete": "DELETE FROM trace_event_batch WHERE event_id = ?",
}


async def test_each_edit_of_the_lots_trace_rows_changes_the_sqlite_fingerprint(sqlite_db):
    wh, supplier, sku = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_sku(),
    )
    lot = await factories.receive(sku, wh, supplier, Decimal(10))
    code = await provenance.public_code_for(lot.batch_id)
    db = connections.get("default")
    (row,) = await db.execute_query_dict(
        "SELECT event_id FROM trace_event_batch WHERE batch_id = ?", [lot.batch_id]
    )
    seen = [await fingerprint.page_fingerprint(code)]
    assert seen[0] is not None
    assert seen[0].startswith(f"{lot.batch_id}:")
    assert await fingerprint.page_fingerprint(code) == seen[0]  # nothing changed, nothing to rebuild
    for edit in EDITS.values():  # the delete last: the rows after it are no longer the lot's
        await db.execute_query(edit, [row["event_id"]])
        seen.append(await fingerprint.page_fingerprint(code))
    assert len(set(seen)) == len(EDITS) + 1


async def test_an_unknown_code_has_no_fingerprint_on_sqlite(sqlite_db):
    assert await fingerprint.page_fingerprint("NOSUCHCODE00000000") is None
