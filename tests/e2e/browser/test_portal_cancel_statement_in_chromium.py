"""The new portal pages in a real headless Chromium at a phone's 390 px: a supplier cancels an ASN with a
reason, reads its statement and finds the CSV link; staff see stored alerts and the books vs the ledger on the
dashboard. Screenshots go to ``$LOTLINE_SCREENSHOT_DIR`` (default: the test's tmp dir)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from playwright.async_api import async_playwright

from domain.asn import rules, services
from domain.asn.models import AdvanceShippingNotice
from domain.common import business_time
from domain.finance import bills
from domain.finance.models import SupplierBill
from domain.health import alerts
from domain.health.models import HealthAlert
from domain.partners import services as partners
from domain.partners.models import Supplier
from tests import factories
from tests.e2e.browser.test_portal_in_chromium import (  # noqa: F401 - module fixtures
    PASSWORD,
    PHONE,
    _fits_the_phone,
    portal_env,
    portal_server,
    shots,
)
from tests.integration.asn.conftest import make_story


async def test_cancel_statement_and_alerts_on_a_phone(portal_server, chromium, shots) -> None:  # noqa: F811
    story = await make_story()
    user = await partners.create_user(
        f"x-{story.supplier.code.lower()}", PASSWORD, "supplier", story.supplier.code
    )
    buyer = await partners.create_user(f"y-{story.supplier.code.lower()}", PASSWORD, "buyer")
    now = datetime.now(UTC)
    asn = await services.asn_create(
        story.order_id,
        now + timedelta(days=1),
        [rules.AsnLineInput(story.line_ids[0], "CX-1", Decimal(2))],
        now,
        supplier_id=story.supplier.id,
    )
    lot = await factories.receive(await factories.make_sku(), story.wh, story.supplier, Decimal(5))
    today = business_time.business_today(now)
    posted = await bills.supplier_bill_post(
        story.supplier.code,
        today,
        [bills.BillLineInput(lot.order.line_id, Decimal(5), Decimal(12))],
        "FP-PHONE",
    )
    if (await SupplierBill.get(id=posted.document_id)).status == "pending_approval":
        await bills.supplier_bill_approve(posted.document_id)
    await alerts.alerts_raise(now, weeks=1)  # no GLN, no contact: a master-data alert at least

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = await browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = await context.new_page()
        await page.goto(f"{portal_server}/portal/login")
        await page.fill("#username", user.username)
        await page.fill("#password", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_url(f"{portal_server}/portal/")

        # cancel the ASN with a reason
        await page.goto(f"{portal_server}/portal/asns/{asn.document_id}")
        await page.fill("#reason", "车辆故障 truck broke down")
        await _fits_the_phone(page)
        await page.screenshot(path=shots / "c1-cancel.png", full_page=True)
        await page.click("#cancel-submit")
        await page.wait_for_url(f"**/portal/asns/{asn.document_id}?cancelled=1")
        assert "车辆故障 truck broke down" in await page.inner_text("#cancelled")
        assert await page.locator("#cancel-form").count() == 0  # nothing left to cancel
        row = await AdvanceShippingNotice.get(id=asn.document_id)
        assert (row.status, row.cancelled_by_id) == ("cancelled", user.user_id)

        # the statement of this month, from the tab
        await page.click("a[href='/portal/statement']")
        await page.wait_for_url("**/portal/statement")
        lines = await page.inner_text("#statement-lines")
        assert "FP-PHONE" in lines
        assert await page.inner_text("#closing") == "67.8"  # 5 kg x 12 + 13 % VAT
        href = await page.get_attribute("#csv-link", "href")
        assert href is not None
        assert href.startswith("/portal/statement.csv?since=")
        await _fits_the_phone(page)
        await page.screenshot(path=shots / "c2-statement.png", full_page=True)

        # staff: stored alerts and the books vs the ledger
        staff = await (
            await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
        ).new_page()
        await staff.goto(f"{portal_server}/portal/login")
        await staff.fill("#username", buyer.username)
        await staff.fill("#password", PASSWORD)
        await staff.click("button[type=submit]")
        await staff.wait_for_url(f"{portal_server}/portal/health")
        stored = await staff.inner_text("#stored-alerts")
        # The page lists the newest stored alerts (50): in a shared database other suppliers' alerts of the
        # same scan may push the story's out, so the check is that the newest ones are shown.
        newest = await alerts.recent(None, 3)
        codes = {s.id: s.code for s in await Supplier.filter(id__in=[a.supplier_id for a in newest])}
        assert codes  # (supplier 0 is the overall figure, shown without a code)
        assert all(codes[a.supplier_id] in stored for a in newest if a.supplier_id in codes)
        assert await HealthAlert.filter(supplier_id=story.supplier.id).exists()
        assert "待通知 pending" in stored  # no worker ran: the notification waits
        assert await staff.locator("#ledger").count() == 1
        await _fits_the_phone(staff)
        # the first screen, as test_portal_in_chromium's dashboard: a page of ten suppliers' charts is still
        # tens of thousands of device pixels tall, more than a full-page capture under load finishes in 30 s
        await staff.screenshot(path=shots / "c3-dashboard.png")
        await browser.close()

    assert await HealthAlert.filter(supplier_id=story.supplier.id, metric="master_data").count() == 1
