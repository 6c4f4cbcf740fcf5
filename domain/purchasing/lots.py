"""A goods receipt's lots in the database: which of its (SKU, lot code) pairs exist, and the new ones written.

The rules of a received line's lot (dates, supplier, status) are the receipt's (``receipts``); this module
only reads and writes the rows, in one statement each (issue 15)."""

from dataclasses import dataclass
from functools import cache

from tortoise import timezone

from domain.common import bulk, rows
from domain.common.dialect import is_postgres
from domain.inventory.models import Batch

BatchKey = tuple[int, str]  # sku id, lot code


@cache
def _batches_sql(draw: bool = False) -> str:
    # Hand-written (issue 15): the ORM spent ~0.5 ms of Python building this read of every receipt. The
    # exact pairs, where the ORM path reads a superset and matches here (a lot is unique per SKU).
    # tests/integration/purchasing/test_hot_reads.py pins it to the ORM path.
    table = Batch._meta.db_table
    found = (
        f'SELECT {rows.columns(Batch, "b")} FROM "{table}" AS b '
        "JOIN unnest($1::bigint[], $2::text[]) AS k(sku_id, lot_code) "
        'ON b."sku_id" = k.sku_id AND b."lot_code" = k.lot_code'
    )
    if not draw:
        return found
    # ``draw``: also the ids of the lots still to be created (one per pair not found), from the table's
    # sequence, so their insert needs nothing back and can go with the posting's last writes (``deferred``).
    nulls = ", ".join("NULL" for _ in Batch._meta.fields_db_projection)
    return (
        f"WITH f AS ({found}) SELECT f.*, NULL::bigint[] AS new_ids FROM f UNION ALL "
        f"SELECT {nulls}, ARRAY(SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
        "FROM generate_series(1, cardinality($1::bigint[]) - (SELECT count(*) FROM f)::int))"
    )


async def existing(pairs: set[BatchKey]) -> dict[BatchKey, Batch]:
    """The lots that exist among ``(SKU id, lot code)`` pairs."""
    return (await read(pairs, draw=False)).found


@dataclass(frozen=True)
class Read:
    """The lots found among a receipt's pairs, and ids drawn for those not found (PostgreSQL with
    ``draw``; otherwise none: ``save_new`` then has the insert give them)."""

    found: dict[BatchKey, Batch]
    ids: list[int]


async def read(pairs: set[BatchKey], *, draw: bool = True) -> Read:
    """The lots that exist among ``(SKU id, lot code)`` pairs, in one statement; with ``draw`` on
    PostgreSQL also an id for each pair not found, for ``save_new``."""
    if not pairs:
        return Read({}, [])
    if is_postgres():
        keys = sorted(pairs)
        _, found = await Batch._meta.db.execute_query(
            _batches_sql(draw), [[s for s, _ in keys], [c for _, c in keys]]
        )
        lots = {(r["sku_id"], r["lot_code"]): rows.build(Batch, r) for r in found if r["id"] is not None}
        ids = next((list(r["new_ids"]) for r in found if draw and r["id"] is None), [])
        return Read(lots, ids)
    batches = await Batch.filter(sku_id__in={s for s, _ in pairs}, lot_code__in={c for _, c in pairs})
    return Read({(b.sku_id, b.lot_code): b for b in batches if (b.sku_id, b.lot_code) in pairs}, [])


_BATCH_COLUMNS = (
    "sku_id",
    "lot_code",
    "supplier_id",
    "production_date",
    "expiry_date",
    "best_before_date",
    "status",
    "created_at",
)


async def save_new(batches: list[Batch], ids: list[int] | None = None) -> None:
    """Inserts the new lots in one statement and gives each its id: one of ``ids`` (drawn by ``read``;
    then the insert needs nothing back and, in a posting's batch, is queued) or the one the insert draws."""
    new = [b for b in batches if b.id is None]
    if not new:
        return
    now = timezone.now()
    for b in new:
        b.created_at = now
    if ids is not None and len(ids) >= len(new):
        for b, drawn in zip(new, ids, strict=False):
            b.id = drawn
            b._saved_in_db = True  # what Model.save would have set: the receipt lines may now point at it
        columns = ("id", *_BATCH_COLUMNS)
        await bulk.insert_rows(Batch, columns, [[getattr(b, c) for c in columns] for b in new])
        return
    created = await bulk.insert_rows(
        Batch,
        _BATCH_COLUMNS,
        [[getattr(b, c) for c in _BATCH_COLUMNS] for b in new],
        ("id", "sku_id", "lot_code"),
    )
    ids_of = {(r["sku_id"], r["lot_code"]): r["id"] for r in created}
    for b in new:
        b.id = ids_of[(b.sku_id, b.lot_code)]
        b._saved_in_db = True  # what Model.save would have set: the receipt lines may now point at it
