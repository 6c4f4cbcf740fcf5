"""The supplier statement page and CSV (own supplier only, whatever the URL says), the orders list that no
longer asks to acknowledge a received order, and the dashboard that lists exactly what `lotline check`
prints."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

from domain.finance import bills, payments
from domain.finance.models import SupplierBill
from domain.inventory.models import StockQuant
from domain.partners import services as partners
from domain.purchasing import returns
from tests import factories
from tests.e2e.portal.conftest import PASSWORD, Browser, PortalStory
from tests.factories import NOW
from tests.integration.test_cli_check import lotline_check

MAY, JUNE = date(2030, 5, 20), date(2030, 6, 10)


async def _bill(supplier, lot, qty: Decimal, on: date, ref: str) -> int:
    posted = await bills.supplier_bill_post(
        supplier.code, on, [bills.BillLineInput(lot.order.line_id, qty, Decimal("12"))], supplier_ref=ref
    )
    bill = await SupplierBill.get(id=posted.document_id)
    if bill.status == "pending_approval":
        await bills.supplier_bill_approve(bill.id)
    return bill.id


async def _books(ps: PortalStory) -> dict[str, object]:
    s = ps.story
    lot = await factories.receive(await factories.make_sku(), s.wh, s.supplier, Decimal(10))
    may = await _bill(s.supplier, lot, Decimal(5), MAY, "FP-MAY")  # 67.80 with VAT, before the period
    await _bill(s.supplier, lot, Decimal(5), JUNE, '=HYPERLINK("x")')  # 67.80 in it; a formula-like ref
    await returns.supplier_return_post(  # one kg back after billing: the credit note's -12.00
        lot.order.id,
        [returns.ReturnLineInput(lot.order.line_id, lot.batch_id, lot.location_code, Decimal(1))],
        NOW,
    )
    await _bill(s.supplier, lot, Decimal(-1), JUNE, "CN-1")
    await payments.payment_post(
        "out",
        s.supplier.code,
        Decimal("60.00"),
        date(2030, 6, 12),
        [payments.AllocationInput(may, Decimal("60.00"))],
    )
    theirs = await factories.receive(await factories.make_sku(), s.wh, s.other, Decimal(3))
    their_bill = await _bill(s.other, theirs, Decimal(3), JUNE, "THEIRS-REF")
    return {"their_number": (await SupplierBill.get(id=their_bill)).number}


async def test_a_supplier_reads_its_statement_for_a_period_and_downloads_it(
    browser: Browser, ps: PortalStory
) -> None:
    books = await _books(ps)
    await browser.sign_in(ps.username)

    page = await browser.get(
        f"/portal/statement?since=2030-06-01&until=2030-06-30&supplier_id={ps.story.other.id}"
    )
    download = await browser.get(
        f"/portal/statement.csv?since=2030-06-01&until=2030-06-30&supplier_id={ps.story.other.id}"
    )

    assert page.status_code == 200
    assert ps.story.supplier.code in page.text
    # bills carry 13 % VAT: 5 kg x 12 = 60 + 7.80; the credit note 12 + 1.56
    assert "<th>到期 Due</th>" in page.text  # bills carry their due date (payment terms, issue 17)
    assert "期初余额 opening balance</td><td></td><td></td><td>67.8</td>" in page.text
    assert 'id="closing"><strong>62.04</strong>' in page.text  # 67.8 + 67.8 - 13.56 - 60
    assert "THEIRS-REF" not in page.text
    assert str(books["their_number"]) not in page.text
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0] == ["date", "kind", "number", "reference", "due_date", "amount", "balance"]
    assert rows[1] == ["2030-06-01", "opening", "", "", "", "", "67.8"]
    # The supplier has no payment terms: its documents fall due on their date; a payment has no due date.
    assert [r[4] for r in rows[2:-1]] == ["2030-06-10", "2030-06-10", ""]
    assert [(r[0], r[1], r[3], r[5], r[6]) for r in rows[2:-1]] == [
        ("2030-06-10", "bill", '\'=HYPERLINK("x")', "67.8", "135.6"),  # quoted: not run as a formula
        ("2030-06-10", "credit_note", "CN-1", "-13.56", "122.04"),
        ("2030-06-12", "payment", "", "-60", "62.04"),
    ]
    assert rows[-1] == ["2030-06-30", "closing", "", "", "", "", "62.04"]
    assert "THEIRS-REF" not in download.text


async def test_a_backwards_period_is_shown_with_the_reason(browser: Browser, ps: PortalStory) -> None:
    await browser.sign_in(ps.username)
    page = await browser.get("/portal/statement?since=2030-06-30&until=2030-06-01")
    bad_date = await browser.get("/portal/statement.csv?since=yesterday")
    assert page.status_code == 422
    assert "the period ends before it starts" in page.text
    assert bad_date.status_code == 422


async def test_an_order_link_cannot_open_the_statement(
    browser: Browser, ps: PortalStory, portal_settings
) -> None:
    from supplier_portal import security

    token = security.Signer(portal_settings).order_link(ps.story.order_id, ps.story.supplier.id)
    await browser.get(f"/portal/l/{token}")
    response = await browser.get("/portal/statement.csv")
    assert response.status_code == 303
    assert response.headers["location"] == f"/portal/orders/{ps.story.order_id}"


async def test_a_received_order_is_not_listed_as_awaiting_acknowledgement(
    browser: Browser, ps: PortalStory
) -> None:
    s = ps.story
    received = await factories.receive(await factories.make_sku(), s.wh, s.supplier, Decimal(2))
    await browser.sign_in(ps.username)
    page = (await browser.get("/portal/")).text
    cards = {
        m.group(1): m.group(2) for m in re.finditer(r'href="/portal/orders/(\d+)">(.*?)</a>', page, re.S)
    }
    assert "待确认 to acknowledge" not in cards[str(received.order.id)]
    assert "已收货 received" in cards[str(received.order.id)]
    assert "待确认 to acknowledge" in cards[str(s.order_id)]  # the confirmed one still waits


async def test_the_dashboard_lists_exactly_the_disagreements_lotline_check_prints(
    browser: Browser, ps: PortalStory, pg_url: str
) -> None:
    s = ps.story
    lot = await factories.receive(await factories.make_sku(), s.wh, s.supplier, Decimal(4))
    quant = await StockQuant.get(batch_id=lot.batch_id)
    staff = await partners.create_user(f"l-{s.supplier.code.lower()}", PASSWORD, "buyer")
    await StockQuant.filter(id=quant.id).update(quantity=Decimal(quant.quantity) + 1)  # the books lie
    try:
        code, printed = await lotline_check(pg_url)
        await browser.sign_in(staff.username)
        dashboard = (await browser.get("/portal/health")).text
        await browser.submit("/portal/health", "/portal/logout", {})
        await browser.sign_in(ps.username)
        scorecard = (await browser.get("/portal/scorecard")).text
    finally:
        await StockQuant.filter(id=quant.id).update(quantity=quant.quantity)

    cli_lines = [ln for ln in printed.splitlines() if ln and not ln.startswith("发现 ")]
    shown = [_unescape(t) for t in re.findall(r'<div class="hash ledger-line"[^>]*>(.*?)</div>', dashboard)]
    assert code == 1
    assert shown == cli_lines
    mine = re.findall(rf'data-supplier="{s.supplier.id}">(.*?)</div>', dashboard)
    assert len(mine) == 1
    assert f", {lot.batch_id}, 'available')" in _unescape(mine[0])
    assert 'id="ledger"' in scorecard  # the supplier sees that something of its own disagrees


def _unescape(html: str) -> str:
    return (
        html.replace("&#39;", "'")
        .replace("&#34;", '"')
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )
