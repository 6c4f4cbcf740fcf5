"""GRNI accruals are written on PostgreSQL by one upsert (``bulk.insert_or_add``, issue 15) instead of the
ORM's read, insert and update: the same rows, created and added to, as the ORM path leaves."""

from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from domain.finance import accruals
from domain.finance.models import PurchaseAccrual

D = Decimal


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database."""


async def _figures(line_ids: list[int]) -> list[tuple[Decimal, ...]]:
    rows = {a.order_line_id: a for a in await PurchaseAccrual.filter(order_line_id__in=line_ids)}
    return [
        (D(a.received_quantity), D(a.received_amount), D(a.billed_quantity), D(a.billed_amount))
        for a in (rows[i] for i in line_ids)
    ]


async def _both_paths(upsert: list[int], orm: list[int]) -> None:
    steps = [
        [(D("3"), D("10.00")), (D("2.5"), D("2.50"))],  # both created
        [(D("1.1234"), D("3.74")), None],  # one added to
        [(D("-2"), D("-6.67")), (D("4"), D("4.00"))],  # a return, and the other added to
    ]
    async with in_transaction():
        for step in steps:
            await accruals.accrue({i: qa for i, qa in zip(upsert, step, strict=True) if qa is not None})
            await accruals.accrue_orm({i: qa for i, qa in zip(orm, step, strict=True) if qa is not None})
            assert await _figures(upsert) == await _figures(orm)
        assert await _figures(upsert) == [
            (D("2.1234"), D("7.07"), D(0), D(0)),
            (D("6.5"), D("6.50"), D(0), D(0)),
        ]
        raise _RollBack


async def test_the_upsert_leaves_the_rows_the_orm_path_leaves(world):
    lines = [(await world.buy(world.taxed, "10", "3.333"))[1] for _ in range(4)]
    with pytest.raises(_RollBack):
        await _both_paths(lines[:2], lines[2:])
    assert not await PurchaseAccrual.filter(order_line_id__in=lines).exists()
