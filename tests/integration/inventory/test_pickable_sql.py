"""A shipment's first reads — the pickable quants of its SKUs and its lines' reservations — are hand-written
on PostgreSQL (issue 15). Each gives what its ORM path (SQLite's) reads from the same database: the same
values, of the same types and places (``repr``), in the same order, for stock in every kind of place and
state a warehouse holds: other warehouses, frozen bins, non-internal locations, empty, held and
undated lots, and a batch filter."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from domain.inventory import reservations
from domain.inventory.models import Batch, Location, Reservation, StockQuant
from domain.inventory.rules import LocationKind
from domain.sales.services import LINE
from tests import factories


async def _orm(fn: Any, *args: Any) -> Any:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(reservations, "is_postgres", lambda: False)
        return await fn(*args)


async def _stock(lots: list[tuple[int, int | None, bool]]) -> tuple[Any, Any, Any, list[int]]:
    """Two warehouses' worth of one SKU's stock; ``lots``: (quantity, days to expiry or None, in bin B)."""
    sku = await factories.make_sku()
    wh, other = await factories.make_warehouse(), await factories.make_warehouse()
    supplier = await factories.make_supplier()
    batch_ids = []
    for i, (qty, expiry, in_b) in enumerate(lots):
        target = other if i % 4 == 3 else wh
        lot = await factories.receive(
            sku,
            target,
            supplier,
            Decimal(qty) + Decimal("0.125"),
            expiry_date=None if expiry is None else factories.days(expiry),
            location_code=target.bins[1 if in_b else 0],
        )
        batch_ids.append(lot.batch_id)
    return sku, wh, other, batch_ids


def _shown(quants: list[reservations.PickableQuant]) -> list[str]:
    return [repr(q) for q in quants]


@settings(max_examples=10, deadline=None)
@given(
    lots=st.lists(
        st.tuples(st.integers(0, 9), st.one_of(st.none(), st.integers(0, 60)), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    freeze_b=st.booleans(),
    hold=st.booleans(),
    empty=st.booleans(),
)
async def test_pickable_quants_read_as_the_orm_reads_them(
    db: object,
    lots: list[tuple[int, int | None, bool]],
    freeze_b: bool,
    hold: bool,
    empty: bool,
) -> None:
    sku, wh, other, batch_ids = await _stock(lots)
    try:
        # Direct edits of stock would leave the books unequal to the ledger for the session's other tests:
        # they are made and read in a transaction that is rolled back.
        async with in_transaction():
            await _edit(wh, batch_ids, freeze_b=freeze_b, hold=hold, empty=empty)
            for args in (
                ([sku.id], wh.id),
                ([sku.id], other.id),
                ([sku.id, sku.id + 10_000], wh.id),
                ([sku.id], wh.id, batch_ids[:2]),
                ([sku.id], wh.id, []),
            ):
                sql = await reservations.pickable_quants(*args)
                orm = await _orm(reservations.pickable_quants, *args)
                assert _shown(sql) == _shown(orm)
                assert [q.id for q in sql] == sorted(q.id for q in sql)
            raise _RolledBack
    except _RolledBack:
        pass


class _RolledBack(Exception):
    pass


async def _edit(wh: Any, batch_ids: list[int], *, freeze_b: bool, hold: bool, empty: bool) -> None:
    if freeze_b:  # a count in progress: bin B is skipped by picking
        await Location.filter(warehouse_id=wh.id, code=wh.bins[1]).update(frozen=True)
    if hold:  # a held lot, an expired one and a quarantined quant stay in the list (picking decides)
        await Batch.filter(id=batch_ids[0]).update(status="blocked")
        await Batch.filter(id=batch_ids[-1]).update(expiry_date=factories.days(-3))
        await StockQuant.filter(batch_id=batch_ids[-1]).update(status="quarantine")
    if empty:  # a quant emptied by moves is not pickable
        await StockQuant.filter(batch_id=batch_ids[0]).update(quantity=Decimal(0))
    # Stock in a non-internal place (a transit location) of the same warehouse is not pickable either.
    transit = await Location.filter(warehouse_id=wh.id, kind=LocationKind.TRANSIT).first()
    if transit is not None:
        await StockQuant.filter(batch_id=batch_ids[-1], warehouse_id=wh.id).update(location_id=transit.id)


async def test_line_reservations_read_as_the_orm_reads_them(db: object) -> None:
    sku, wh, _, _ = await _stock([(5, 10, False), (4, 20, True)])
    quants = await reservations.pickable_quants([sku.id], wh.id)
    assert [(q.quantity, q.reserved) for q in quants] == [
        (Decimal("5.125"), Decimal(0)),
        (Decimal("4.125"), Decimal(0)),
    ]
    customer = await factories.make_customer()
    first = await factories.make_sales_order(customer, wh, sku, Decimal("3.5"))
    second = await factories.make_sales_order(customer, wh, sku, Decimal("6"))
    held = await Reservation.filter(doc_line_id__in=[first.line_id, second.line_id]).count()
    assert held >= 2  # confirmation reserved FEFO, the second order across both lots
    for line_ids in ([first.line_id, second.line_id], [second.line_id], [], [first.line_id + 99_999]):
        sql = await reservations.line_reservations(LINE, line_ids)
        orm = await _orm(reservations.line_reservations, LINE, line_ids)
        assert repr(sql) == repr(orm)
    assert await reservations.line_reservations("other_doc", [first.line_id]) == []
