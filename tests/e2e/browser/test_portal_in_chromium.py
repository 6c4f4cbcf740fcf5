"""The supplier portal in a real headless Chromium (Debian's, driven by Playwright) at a phone's 390 px:
sign in, acknowledge, an ASN with two lots, a certificate upload, then the warehouse posts the receipt from
the ASN (GraphQL over HTTP) and the supplier sees it with the differences. Screenshots go to
``$LOTLINE_SCREENSHOT_DIR`` (default: the test's tmp dir) so a person can look at them."""

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright

from api.relay import encode_id
from bench.harness import uvicorn_server
from domain.asn.models import AdvanceShippingNotice, AsnDifference, Certificate
from domain.common import business_time
from domain.partners import services as partners
from tests.integration.asn.conftest import make_story

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
NODE_LINES = "query($id: ID!) { node(id: $id) { ... on AdvanceShippingNotice { lines { id lotCode } } } }"
RECEIVE = """mutation($i: GoodsReceiptPostFromAsnInput!) { goodsReceiptPostFromAsn(input: $i) {
  __typename ... on Posted { number } ... on UserError { message } } }"""
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% certificate of analysis, lot A-1\n%%EOF\n"
SECRET = "browser-test-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def portal_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    uploads = tmp_path_factory.mktemp("browser-uploads")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOTLINE_SECRET_KEY", SECRET)
        mp.setenv("LOTLINE_UPLOAD_DIR", str(uploads))
        yield uploads


@pytest.fixture(scope="module")
async def portal_server(db: object, pg_url: str, portal_env: Path) -> AsyncIterator[str]:
    async with uvicorn_server(pg_url, pool_max=5) as base:
        yield base


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("LOTLINE_SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    return out


async def _fits_the_phone(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide: it scrolls sideways on a phone"


async def test_a_supplier_works_its_order_on_a_phone(portal_server, chromium, shots, tmp_path) -> None:
    story = await make_story()
    user = await partners.create_user(
        f"c-{story.supplier.code.lower()}", PASSWORD, "supplier", story.supplier.code
    )
    warehouse = await partners.create_user(f"w-{story.supplier.code.lower()}", PASSWORD, "warehouse")
    tomorrow = (datetime.now(business_time.zone()) + timedelta(days=1)).date().isoformat()
    certificate = tmp_path / "coa-A-1.pdf"
    certificate.write_bytes(PDF)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = await browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = await context.new_page()

        # sign in
        await page.goto(f"{portal_server}/portal/")
        assert page.url.endswith("/portal/login?next=/portal/")
        await page.fill("#username", user.username)
        await page.fill("#password", PASSWORD)
        await page.screenshot(path=shots / "1-sign-in.png", full_page=True)
        await page.click("button[type=submit]")
        await page.wait_for_url(f"{portal_server}/portal/")
        await _fits_the_phone(page)
        await page.click(f"a[href='/portal/orders/{story.order_id}']")

        # acknowledge: accept the boxes for tomorrow, decline the other line
        await page.click("#ack-link")
        await page.fill(f"#ack-{story.line_ids[0]}-date", tomorrow)
        await page.select_option(f"#ack-{story.line_ids[1]}-decision", "declined")
        await page.fill(f"#ack-{story.line_ids[1]}-note", "本周缺货 out of stock this week")
        await _fits_the_phone(page)
        await page.screenshot(path=shots / "2-acknowledge.png", full_page=True)
        await page.click("#ack-submit")
        await page.wait_for_url(f"**/portal/orders/{story.order_id}?acknowledged=1")
        assert "已提交确认" in await page.inner_text("main")
        assert "接受 accepted" in await page.inner_text("main")

        # an ASN with two lots of the first line
        await page.click("#asn-link")
        await page.fill("#arrival_date", tomorrow)
        await page.fill("#arrival_time", "08:30")
        await page.select_option("#row-0-line", str(story.line_ids[0]))
        await page.fill("#row-0-lot", "A-1")
        await page.fill("#row-0-qty", "6")
        yesterday = (datetime.now(business_time.zone()) - timedelta(days=1)).date().isoformat()
        await page.fill("#row-0-prod", yesterday)
        await page.click("#add-row")  # one more row; what was typed stays
        await page.wait_for_selector("#row-3-lot")
        assert await page.input_value("#row-0-lot") == "A-1"
        await page.select_option("#row-3-line", str(story.line_ids[0]))
        await page.fill("#row-3-lot", "A-2")
        await page.fill("#row-3-qty", "4")
        await page.fill("#temperature", "4.2")
        await _fits_the_phone(page)
        await page.screenshot(path=shots / "3-asn-form.png", full_page=True)
        await page.click("#asn-submit")
        await page.wait_for_url("**/portal/asns/*")
        asn = await AdvanceShippingNotice.get(order_id=story.order_id)
        lots = await page.inner_text("#lots")
        assert "A-1" in lots
        assert "A-2" in lots

        # a certificate for lot A-1
        await page.select_option("#kind", "quality_certificate")
        await page.set_input_files("#file", str(certificate))
        await page.click("#upload-submit")
        await page.wait_for_url(f"**/portal/asns/{asn.id}?uploaded=1")
        cert = await Certificate.get(asn_id=asn.id)
        assert cert.sha256 in await page.inner_text(".certificate")
        await page.screenshot(path=shots / "4-certificate.png", full_page=True)

        # the warehouse receives from the ASN (3.5 boxes of A-2 arrived, not 4)
        token = await partners.issue_token(warehouse.user_id)
        async with httpx.AsyncClient() as http:
            lines = (
                await http.post(
                    f"{portal_server}/graphql",
                    json={
                        "query": NODE_LINES,
                        "variables": {"id": encode_id("AdvanceShippingNotice", asn.id)},
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()["data"]["node"]["lines"]
            a2 = next(ln["id"] for ln in lines if ln["lotCode"] == "A-2")
            posted = (
                await http.post(
                    f"{portal_server}/graphql",
                    json={
                        "query": RECEIVE,
                        "variables": {
                            "i": {
                                "asnId": encode_id("AdvanceShippingNotice", asn.id),
                                "locationCode": story.wh.bins[0],
                                "lines": [{"asnLineId": a2, "quantity": "3.5"}],
                            }
                        },
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()["data"]["goodsReceiptPostFromAsn"]
        assert posted["__typename"] == "Posted", posted

        # the supplier sees the receipt and the difference
        await page.reload()
        differences = await page.inner_text("#differences")
        assert "数量 quantity\t4\t3.5" in differences
        assert "哈希已记入批次追溯事件" in await page.inner_text(".certificate")
        await page.screenshot(path=shots / "5-received.png", full_page=True)
        await page.click("a[href^='/portal/receipts/']")
        receipt = await page.inner_text("#receipt-lines")
        assert "A-1\t60 kg" in receipt
        assert "A-2\t35 kg" in receipt
        await _fits_the_phone(page)
        await page.screenshot(path=shots / "6-receipt.png", full_page=True)

        # the supplier's scorecard: this week's ASN lines, one of two received as announced
        await page.click("a[href='/portal/scorecard']")
        accuracy = page.locator("#metric-asn_accuracy svg.chart rect[fill='#b42318'] title")
        assert (await accuracy.last.text_content() or "").endswith(": 50%")
        await _fits_the_phone(page)
        await page.screenshot(path=shots / "7-scorecard.png", full_page=True)

        # staff: the data-health dashboard
        staff = await (
            await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
        ).new_page()
        await staff.goto(f"{portal_server}/portal/login")
        await staff.fill("#username", warehouse.username)
        await staff.fill("#password", PASSWORD)
        await staff.click("button[type=submit]")
        await staff.wait_for_url(f"{portal_server}/portal/health")
        assert await staff.locator("#metric-asn_accuracy svg.chart").count() >= 1
        assert story.supplier.code in await staff.inner_text("#metric-asn_accuracy")
        await _fits_the_phone(staff)
        await staff.screenshot(path=shots / "8-dashboard.png")
        await browser.close()

    assert await AsnDifference.filter(asn_id=asn.id).count() == 1
    print(f"screenshots: {shots}")
