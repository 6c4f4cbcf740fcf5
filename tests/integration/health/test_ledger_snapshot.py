"""The stored books-vs-ledger list (``domain.health.snapshot``): views read it while fresh and do not run the
check again; a missing or stale one is computed once however many views ask at the same time; a refresh
after a stock edit shows the new disagreement; the same on the embedded SQLite."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from domain.health import books, services, snapshot
from domain.health.models import LedgerSnapshot
from domain.inventory.models import StockQuant
from tests import factories
from tests.factories import NOW

Check = Callable[[datetime | None], Awaitable[list[books.Disagreement]]]


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[datetime | None]:
    """Counts runs of the one function that computes the list (the real one still runs)."""
    calls: list[datetime | None] = []
    real: Check = books.books_vs_ledger

    async def counted(now: datetime | None) -> list[books.Disagreement]:
        calls.append(now)
        await asyncio.sleep(0)  # let concurrent callers reach the lock while this one computes
        return await real(now)

    monkeypatch.setattr(books, "books_vs_ledger", counted)
    return calls


async def _lie_about_one_lot() -> tuple[int, Decimal]:
    """A lot whose on-hand quantity in the books is 1 kg more than its ledger says; (quant id, true qty)."""
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lot = await factories.receive(await factories.make_sku(), wh, supplier, Decimal(4))
    quant = await StockQuant.get(batch_id=lot.batch_id)
    await StockQuant.filter(id=quant.id).update(quantity=Decimal(quant.quantity) + 1)
    return quant.id, Decimal(quant.quantity)


async def test_views_read_the_fresh_snapshot_and_a_refresh_shows_a_stock_edit(db, checks) -> None:
    stored = await snapshot.refresh()
    reports = [await services.report(NOW, 8) for _ in range(3)]
    quant, qty = await _lie_about_one_lot()
    try:
        still = await services.report(NOW, 8)  # fresh: the edit is not seen until a refresh
        after = await snapshot.refresh()
        shown = await services.report(NOW, 8)
        computed_now = await books.books_vs_ledger(None)
    finally:
        await StockQuant.filter(id=quant).update(quantity=qty)
        await snapshot.refresh()

    assert len(checks) == 2 + 1 + 1  # the two refreshes, the direct call, the clean-up; no view ran it
    assert all(r.ledger_checked_at == stored.computed_at for r in (*reports, still))
    assert list(still.disagreements) == list(stored.disagreements)
    new = [d for d in after.disagreements if d not in stored.disagreements]
    assert len(new) == 1
    assert new[0].what == "on_hand"
    assert shown.ledger_checked_at == after.computed_at > stored.computed_at
    assert list(shown.disagreements) == list(after.disagreements)
    assert [d.text for d in after.disagreements] == [d.text for d in computed_now]


async def test_a_missing_snapshot_is_computed_once_for_concurrent_views(db, checks) -> None:
    await LedgerSnapshot.filter(id=snapshot.ROW).delete()
    got = await asyncio.gather(*(snapshot.current() for _ in range(5)))
    assert len(checks) == 1
    assert len({g.computed_at for g in got}) == 1
    assert (await snapshot.latest()) == got[0]


async def test_a_stale_snapshot_is_computed_again_once(db, checks) -> None:
    await snapshot.refresh()
    old = snapshot.wall_clock() - snapshot.FRESH_FOR - timedelta(minutes=1)
    await LedgerSnapshot.filter(id=snapshot.ROW).update(computed_at=old)
    got = await asyncio.gather(*(services.report(NOW, 2) for _ in range(3)))
    assert len(checks) == 1 + 1
    assert {r.ledger_checked_at for r in got} == {(await snapshot.latest()).computed_at}  # type: ignore[union-attr]
    assert got[0].ledger_checked_at > old


async def test_concurrent_refreshes_share_one_computation_started_after_them(db, checks) -> None:
    before = snapshot.wall_clock()
    first, second = await asyncio.gather(snapshot.refresh(), snapshot.refresh())
    assert len(checks) == 1
    assert first == second
    assert first.computed_at >= before


async def test_the_embedded_sqlite_stores_and_reads_the_snapshot(sqlite_db, checks) -> None:
    assert await snapshot.latest() is None
    got = await asyncio.gather(*(snapshot.current() for _ in range(3)))
    again = await snapshot.current()
    assert len(checks) == 1
    assert again == got[0] == await snapshot.latest()
    refreshed = await snapshot.refresh()
    assert len(checks) == 2
    assert refreshed.computed_at >= again.computed_at
