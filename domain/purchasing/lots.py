"""A goods receipt's lots in the database: which of its (SKU, lot code) pairs exist, and the new ones written.

The rules of a received line's lot (dates, supplier, status) are the receipt's (``receipts``); this module
only reads and writes the rows, in one statement each (issue 15)."""

from functools import cache

from tortoise import timezone

from domain.common import bulk, rows
from domain.common.dialect import is_postgres
from domain.inventory.models import Batch

BatchKey = tuple[int, str]  # sku id, lot code


@cache
def _batches_sql() -> str:
    # Hand-written (issue 15): the ORM spent ~0.5 ms of Python building this read of every receipt. The
    # exact pairs, where the ORM path reads a superset and matches here (a lot is unique per SKU).
    # tests/integration/purchasing/test_hot_reads.py pins it to the ORM path.
    return (
        f'SELECT {rows.columns(Batch, "b")} FROM "{Batch._meta.db_table}" AS b '
        "JOIN unnest($1::bigint[], $2::text[]) AS k(sku_id, lot_code) "
        'ON b."sku_id" = k.sku_id AND b."lot_code" = k.lot_code'
    )


async def existing(pairs: set[BatchKey]) -> dict[BatchKey, Batch]:
    """The lots that exist among ``(SKU id, lot code)`` pairs."""
    if not pairs:
        return {}
    if is_postgres():
        keys = sorted(pairs)
        _, found = await Batch._meta.db.execute_query(
            _batches_sql(), [[s for s, _ in keys], [c for _, c in keys]]
        )
        return {(r["sku_id"], r["lot_code"]): rows.build(Batch, r) for r in found}
    batches = await Batch.filter(sku_id__in={s for s, _ in pairs}, lot_code__in={c for _, c in pairs})
    return {(b.sku_id, b.lot_code): b for b in batches if (b.sku_id, b.lot_code) in pairs}


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


async def save_new(batches: list[Batch]) -> None:
    """Inserts the new lots in one statement and gives each its id."""
    new = [b for b in batches if b.id is None]
    if not new:
        return
    now = timezone.now()
    for b in new:
        b.created_at = now
    created = await bulk.insert_rows(
        Batch,
        _BATCH_COLUMNS,
        [[getattr(b, c) for c in _BATCH_COLUMNS] for b in new],
        ("id", "sku_id", "lot_code"),
    )
    ids = {(r["sku_id"], r["lot_code"]): r["id"] for r in created}
    for b in new:
        b.id = ids[(b.sku_id, b.lot_code)]
        b._saved_in_db = True  # what Model.save would have set: the receipt lines may now point at it
