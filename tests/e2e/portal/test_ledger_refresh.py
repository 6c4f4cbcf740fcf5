"""The dashboard and scorecard show the stored books-vs-ledger list with the time it was checked and do not
run the check again while it is fresh; the staff button checks now (CSRF-protected, 404 to a supplier) and
then shows a stock edit made since."""

import re
from datetime import datetime
from decimal import Decimal

import pytest

from domain.health import books, snapshot
from domain.inventory.models import StockQuant
from domain.partners import services as partners
from supplier_portal import web
from tests import factories
from tests.e2e.portal.conftest import PASSWORD, Browser, PortalStory

LINE = re.compile(r'<div class="hash ledger-line"[^>]*>(.*?)</div>')


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[datetime | None]:
    calls: list[datetime | None] = []
    real = books.books_vs_ledger

    async def counted(now: datetime | None) -> list[books.Disagreement]:
        calls.append(now)
        return await real(now)

    monkeypatch.setattr(books, "books_vs_ledger", counted)
    return calls


async def test_views_read_the_stored_check_and_the_button_shows_a_stock_edit(
    browser: Browser, ps: PortalStory, checks: list[datetime | None]
) -> None:
    s = ps.story
    staff = await partners.create_user(f"r-{s.supplier.code.lower()}", PASSWORD, "buyer")
    stored = await snapshot.refresh()
    await browser.sign_in(ps.username)
    scorecard = (await browser.get("/portal/scorecard")).text
    supplier_post = await browser.submit("/portal/scorecard", "/portal/health/refresh", {})
    await browser.submit("/portal/scorecard", "/portal/logout", {})
    await browser.sign_in(staff.username)
    views = [(await browser.get("/portal/health")).text for _ in range(2)]
    lot = await factories.receive(await factories.make_sku(), s.wh, s.supplier, Decimal(2))
    quant = await StockQuant.get(batch_id=lot.batch_id)
    await StockQuant.filter(id=quant.id).update(quantity=Decimal(quant.quantity) + 1)  # the books lie
    try:
        before = (await browser.get("/portal/health")).text
        calls_before_button = len(checks)
        forged = await browser.client.post("/portal/health/refresh", data={"csrf_token": "forged"})
        pressed = await browser.submit("/portal/health", "/portal/health/refresh", {})
        after = (await browser.get("/portal/health")).text
        calls_after_button = len(checks)
    finally:
        await StockQuant.filter(id=quant.id).update(quantity=quant.quantity)
        await snapshot.refresh()

    checked = f"核对于 {web.local(stored.computed_at)}"
    assert calls_before_button == 1  # the refresh above; the scorecard and three dashboard views ran none
    assert supplier_post.status_code == 404
    assert all(checked in page for page in (*views, before))
    assert checked in scorecard
    assert LINE.findall(before) == LINE.findall(views[0])  # fresh: the edit waits for a check
    assert forged.status_code == 403
    assert pressed.status_code == 303
    assert calls_after_button == 2
    new = [ln for ln in LINE.findall(after) if ln not in LINE.findall(before)]
    assert len(new) == 1
    assert f", {lot.batch_id}, &#39;available&#39;)" in new[0]
