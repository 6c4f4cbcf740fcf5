"""``dataHealthRefresh`` and ``dataHealth.ledgerCheckedAt``: reads take the stored books-vs-ledger list and
do not run the check again while it is fresh; staff refresh it (a supplier cannot), and the refresh after a
stock edit shows the new disagreement."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal

import pytest

from domain.health import books, snapshot
from domain.inventory.models import StockQuant
from tests import factories
from tests.e2e.api.conftest import Gql
from tests.integration.asn.conftest import make_story

TokenFor = Callable[..., Awaitable[str]]
READ = "{ dataHealth(weeks: 1) { ledgerCheckedAt ledgerDisagreements { what text supplierId } } }"
REFRESH = "mutation { dataHealthRefresh { checkedAt seconds disagreements { what text supplierId } } }"


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[datetime | None]:
    calls: list[datetime | None] = []
    real = books.books_vs_ledger

    async def counted(now: datetime | None) -> list[books.Disagreement]:
        calls.append(now)
        return await real(now)

    monkeypatch.setattr(books, "books_vs_ledger", counted)
    return calls


async def test_reads_use_the_stored_check_and_a_staff_refresh_shows_a_stock_edit(
    gql: Gql, token_for: TokenFor, checks: list[datetime | None]
) -> None:
    story = await make_story()
    buyer = await token_for("buyer")
    supplier = await token_for("supplier", supplier_code=story.supplier.code)
    denied = await gql(REFRESH, token=supplier)
    first = (await gql(REFRESH, token=buyer))["data"]["dataHealthRefresh"]
    reads = [(await gql(READ, token=t))["data"]["dataHealth"] for t in (buyer, buyer, supplier)]
    lot = await factories.receive(await factories.make_sku(), story.wh, story.supplier, Decimal(3))
    quant = await StockQuant.get(batch_id=lot.batch_id)
    await StockQuant.filter(id=quant.id).update(quantity=Decimal(quant.quantity) + 1)  # the books lie
    try:
        stale = (await gql(READ, token=buyer))["data"]["dataHealth"]
        calls_before_refresh = len(checks)
        second = (await gql(REFRESH, token=buyer))["data"]["dataHealthRefresh"]
        mine = (await gql(READ, token=supplier))["data"]["dataHealth"]
    finally:
        await StockQuant.filter(id=quant.id).update(quantity=quant.quantity)
        await snapshot.refresh()

    assert denied["data"] is None
    assert "purchasing_read" in denied["errors"][0]["message"]
    assert calls_before_refresh == 1  # the first refresh only: four reads ran no check
    assert {r["ledgerCheckedAt"] for r in (*reads, stale)} == {first["checkedAt"]}
    assert stale["ledgerDisagreements"] == first["disagreements"]
    new = [d for d in second["disagreements"] if d not in first["disagreements"]]
    assert [d["what"] for d in new] == ["on_hand"]
    assert f", {lot.batch_id}, 'available')" in new[0]["text"]
    assert mine["ledgerCheckedAt"] == second["checkedAt"] > first["checkedAt"]
    assert new[0] in mine["ledgerDisagreements"]  # the supplier sees its own lot's disagreement
