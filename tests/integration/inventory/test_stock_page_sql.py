"""The stock page's rows are read by a hand-written statement on PostgreSQL (issue 15:
``api.inventory.stock_page.page_rows``). For every filter ``stockOnHand`` takes — empty rows or not, a SKU,
warehouse, location or batch, each status as reported on a business day (available stock past its expiry
date reads expired) — a cursor and a page size, it gives what the ORM's ``.values()`` read gives on the same
database: the same dicts (keys, values, their types and places: ``repr``) in the same order."""

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from api.inventory import stock_page
from domain.inventory.models import Batch, Location, StockQuant
from domain.inventory.rules import StockStatus
from tests import factories
from tests.integration.inventory.test_pickable_sql import _stock


async def _orm(f: stock_page.StockFilter, after: int | None, limit: int) -> list[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(stock_page, "is_postgres", lambda: False)
        return await stock_page.page_rows(f, after, limit)


class _RolledBack(Exception):
    pass


STATUSES = st.sampled_from([None, *StockStatus])


@settings(max_examples=12, deadline=None)
@given(
    lots=st.lists(
        st.tuples(st.integers(1, 9), st.one_of(st.none(), st.integers(1, 30)), st.booleans()),
        min_size=1,
        max_size=5,
    ),
    statuses=st.lists(st.sampled_from(list(StockStatus)), min_size=5, max_size=5),
    empty=st.booleans(),
    filters=st.lists(
        st.tuples(
            st.booleans(),  # include_empty
            st.sampled_from(["none", "sku", "other sku", "warehouse", "location", "batch"]),
            STATUSES,
            st.integers(-3, 40),  # the business day, from today: lots expire
            st.booleans(),  # after the first row
            st.integers(1, 8),  # limit (a page asks one more than its size: never 0)
        ),
        min_size=3,
        max_size=6,
    ),
)
async def test_page_rows_read_as_the_orm_reads_them(
    db: object,
    lots: list[tuple[int, int | None, bool]],
    statuses: list[StockStatus],
    empty: bool,
    filters: list[tuple[bool, str, StockStatus | None, int, bool, int]],
) -> None:
    sku, wh, _, batch_ids = await _stock(lots)  # one SKU's lots in two warehouses and two bins
    quants = await StockQuant.filter(sku_id=sku.id).order_by("id")
    try:
        # Direct edits of stock would leave the books unequal to the ledger for the session's other tests:
        # they are made and read in a transaction that is rolled back.
        async with in_transaction():
            for quant, stored in zip(quants, statuses, strict=False):
                await StockQuant.filter(id=quant.id).update(status=stored.value)
            if empty:
                await StockQuant.filter(id=quants[0].id).update(quantity=Decimal(0))
            await Batch.filter(id=batch_ids[0]).update(custom={"note": "冷藏 chilled", "n": "1.50"})
            location = await Location.get(id=quants[-1].location_id)
            # Besides the generated filters: each status on the days a lot expires and the day after it.
            edges: list[tuple[bool, str, StockStatus | None, int, bool, int]] = [
                (False, "sku", status, expiry + shift, False, 8)
                for _, expiry, _ in lots
                if expiry is not None
                for shift in (0, 1)
                for status in (StockStatus.AVAILABLE, StockStatus.EXPIRED)
            ]
            for include_empty, scope, status, day, after_first, limit in filters + edges:
                f = stock_page.StockFilter(
                    today=factories.days(day), include_empty=include_empty, status=status
                )
                f = _scoped(f, scope, sku.id, wh.id, location.id, batch_ids[-1])
                after = quants[0].id if after_first else None
                sql = await stock_page.page_rows(f, after, limit)
                assert repr(sql) == repr(await _orm(f, after, limit)), (f, after, limit)
                assert [r["id"] for r in sql] == sorted(r["id"] for r in sql)
                assert len(sql) <= limit
            # The generated cases reach the rows: each of the SKU's rows is read by some filter.
            every = replace(
                stock_page.StockFilter(today=factories.days(0), include_empty=True), sku_id=sku.id
            )
            assert [r["id"] for r in await stock_page.page_rows(every, None, 50)] == [q.id for q in quants]
            raise _RolledBack
    except _RolledBack:
        pass


def _scoped(
    f: stock_page.StockFilter, scope: str, sku_id: int, wh_id: int, location_id: int, batch_id: int
) -> stock_page.StockFilter:
    if scope == "sku":
        return replace(f, sku_id=sku_id)
    if scope == "other sku":
        return replace(f, sku_id=sku_id + 10_000_000)
    if scope == "warehouse":
        return replace(f, warehouse_id=wh_id)
    if scope == "location":
        return replace(f, location_id=location_id)
    if scope == "batch":
        return replace(f, batch_id=batch_id)
    return f
