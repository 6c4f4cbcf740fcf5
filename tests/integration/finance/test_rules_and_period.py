"""A stock posting reads the posting rules and its period's state in one statement on PostgreSQL (issue 15,
``journal.rules_and_period``): the same accounts as ``rule_accounts`` and the same verdict as
``check_open``, for an open, a closed and a period without a row."""

from datetime import date

import pytest
from tortoise.transactions import in_transaction

from domain.finance import journal
from domain.finance.errors import ClosedPeriod
from domain.finance.models import FiscalPeriod

OPEN, CLOSED, NO_ROW = date(2098, 1, 15), date(2098, 2, 15), date(2098, 3, 15)


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database."""


async def _orm_closed(day: date) -> bool:
    try:
        await journal.check_open(day, ("postedAt",))
    except ClosedPeriod:
        return True
    return False


async def _both_paths() -> None:
    async with in_transaction():
        await FiscalPeriod.create(period="2098-01", closed=False)
        await FiscalPeriod.create(period="2098-02", closed=True)
        for day, closed in ((OPEN, False), (CLOSED, True), (NO_ROW, False)):
            accounts, read = await journal.rules_and_period(day)
            assert accounts == await journal.rule_accounts()
            assert read is closed
            assert await _orm_closed(day) is closed
        raise _RollBack


async def test_one_read_gives_the_rules_and_the_period_the_orm_reads_give(db):
    await journal.rule_accounts()  # seeds the chart on first use
    with pytest.raises(_RollBack):
        await _both_paths()


async def test_sqlite_reads_the_rules_and_leaves_the_period_to_write_entry(sqlite_db):
    accounts, read = await journal.rules_and_period(OPEN)
    assert accounts == await journal.rule_accounts()
    assert read is None
