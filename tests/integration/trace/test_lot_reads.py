"""An event's lots and SKUs are read by a hand-written statement on PostgreSQL (issue 15:
``domain.common.rows.by_ids``); they are the models the ORM path (SQLite's) reads from the same database,
field for field (``repr``: a decimal's places, a date, None), in the same order, unknown ids left out."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from tortoise.models import Model

from domain.catalog.models import Sku
from domain.common import rows
from domain.inventory.models import Batch
from domain.trace import recording
from tests import factories


def _fields(objs: Sequence[Model]) -> list[dict[str, str]]:
    return [
        {
            **{name: repr(getattr(o, name)) for name in o._meta.fields_db_projection},
            "_saved_in_db": repr(o._saved_in_db),
            "_partial": repr(o._partial),
        }
        for o in objs
    ]


async def _orm(fn: Any, *args: Any) -> Any:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(recording, "is_postgres", lambda: False)
        return await fn(*args)


async def test_lots_and_skus_read_as_the_orm_reads_them(db: object) -> None:
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    sku = await factories.make_sku(shelf_life_days=30)
    other = await factories.make_sku()
    dated = await factories.receive(sku, wh, supplier, Decimal("2.5"), expiry_date=factories.days(20))
    undated = await factories.receive(other, wh, supplier, Decimal(4))
    ids = [undated.batch_id, dated.batch_id, dated.batch_id + 10_000_000]

    sql = await rows.by_ids(Batch, ids)
    assert [b.id for b in sql] == sorted([dated.batch_id, undated.batch_id])
    assert _fields(sql) == _fields(await Batch.filter(id__in=ids).order_by("id"))
    assert _fields(await rows.by_ids(Sku, {sku.id, other.id})) == _fields(
        await Sku.filter(id__in=[sku.id, other.id]).order_by("id")
    )
    assert await rows.by_ids(Batch, []) == []

    pairs = [(dated.batch_id, Decimal("1.5")), (undated.batch_id, Decimal(2)), (dated.batch_id, Decimal(1))]
    by_sql = await recording.lot_quantities(pairs)
    by_orm = await _orm(recording.lot_quantities, pairs)
    assert [(_fields([q.batch]), _fields([q.sku]), q.quantity) for q in by_sql] == [
        (_fields([q.batch]), _fields([q.sku]), q.quantity) for q in by_orm
    ]
    assert [q.quantity for q in by_sql] == [Decimal("2.5"), Decimal(2)]
