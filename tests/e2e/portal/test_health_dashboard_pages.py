"""The staff dashboard comes a page of suppliers at a time, those with an alert first: a business with many
suppliers (this shared test database has hundreds) gets a bounded page, and odd page numbers a page, not
an error."""

import re
from datetime import datetime
from decimal import Decimal

from domain.common import business_time
from domain.partners import services as partners
from domain.purchasing import receipts
from supplier_portal.portal_health import PER_PAGE
from tests import factories
from tests.e2e.portal.conftest import Browser, PortalStory


def _suppliers_per_metric(html: str) -> list[int]:
    sections = re.findall(r'<section class="card metric".*?</section>', html, flags=re.S)
    return [s.count("<svg") for s in sections]


async def test_the_dashboard_pages_its_suppliers_alerts_first(browser: Browser, ps: PortalStory) -> None:
    for _ in range(PER_PAGE + 1):  # more suppliers than a page, whatever else the database holds
        await factories.make_supplier()
    await receipts.goods_receipt_post(  # this week's receipt without an ASN: the story's supplier alerts
        ps.story.order_id,
        [receipts.ReceiptLineInput(ps.story.line_ids[0], Decimal(1), "NOASN", ps.story.wh.bins[0])],
        datetime.now(business_time.zone()),
    )
    buyer = await partners.create_user(
        f"d-{ps.story.supplier.code.lower()}", "correct-horse-battery", "buyer"
    )
    await browser.sign_in(buyer.username)

    first = await browser.get("/portal/health")
    assert first.status_code == 200
    charts = _suppliers_per_metric(first.text)
    assert charts
    assert all(n == PER_PAGE for n in charts)
    assert first.text.count("<tr><td>", first.text.index('id="master"')) == PER_PAGE
    assert "?page=2&amp;weeks=8" in first.text
    assert "上一页" not in first.text
    pages = int(re.search(r"Suppliers, page 1 of (\d+)", first.text).group(1))
    assert pages >= 2
    # the alerting supplier is among the first page's charts
    charted = first.text[first.text.index('<section class="card metric"') :]
    assert ps.story.supplier.code in charted

    last = await browser.get("/portal/health?page=999999&weeks=4")
    assert last.status_code == 200
    assert f"Suppliers, page {pages} of {pages}" in last.text
    assert f"?page={pages - 1}&amp;weeks=4" in last.text
    assert "下一页" not in last.text
    assert all(0 < n <= PER_PAGE for n in _suppliers_per_metric(last.text))

    for odd in ("0", "-1", "x", "1e3", "１", "²", "٣", "99999999999999999999", ""):
        response = await browser.get(f"/portal/health?page={odd}&weeks={odd}")
        assert response.status_code == 200, odd
        assert "Suppliers, page 1 of" in response.text, odd
