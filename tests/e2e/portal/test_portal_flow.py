"""A supplier signs in, acknowledges, announces two lots, uploads a certificate; the pages show it."""

from datetime import datetime, timedelta
from decimal import Decimal

from domain.asn.models import AdvanceShippingNotice, AsnLine, Certificate, PurchaseOrderLineAck
from domain.common import business_time
from domain.health import rules as health_rules
from domain.purchasing import receipts
from tests.e2e.portal.conftest import Browser, PortalStory

# tomorrow in the business time zone, where the form's dates are read
TOMORROW = (datetime.now(business_time.zone()) + timedelta(days=1)).date().isoformat()
PDF = b"%PDF-1.4\n%certificate of analysis\n%%EOF\n"


async def test_sign_in_acknowledge_announce_and_upload(browser: Browser, ps: PortalStory) -> None:
    s = ps.story
    signed = await browser.sign_in(ps.username)
    assert (signed.status_code, signed.headers["location"]) == (303, "/portal/")
    home = await browser.get("/portal/")
    assert home.status_code == 200
    assert f"/portal/orders/{s.order_id}" in home.text

    order_url = f"/portal/orders/{s.order_id}"
    ack = await browser.submit(
        f"{order_url}/ack",
        f"{order_url}/ack",
        {
            f"ack-{s.line_ids[0]}-decision": "accepted",
            f"ack-{s.line_ids[0]}-date": TOMORROW,
            f"ack-{s.line_ids[0]}-qty": "10",
            f"ack-{s.line_ids[1]}-decision": "declined",
            f"ack-{s.line_ids[1]}-note": "缺货 out of stock",
        },
    )
    assert (ack.status_code, ack.headers["location"]) == (303, f"{order_url}?acknowledged=1")
    assert await PurchaseOrderLineAck.filter(order_id=s.order_id).count() == 2

    asn = await browser.submit(
        f"{order_url}/asn",
        f"{order_url}/asn",
        {
            "rows": "3",
            "arrival_date": TOMORROW,
            "arrival_time": "10:30",
            "row-0-line": str(s.line_ids[0]),
            "row-0-lot": "A-1",
            "row-0-qty": "6",
            "row-1-line": str(s.line_ids[0]),
            "row-1-lot": "A-2",
            "row-1-qty": "4",
            "row-2-line": str(s.line_ids[1]),
            "temperature": "3.5",
        },
    )
    assert asn.status_code == 303, asn.text
    asn_id = int(asn.headers["location"].rsplit("/", 1)[1])
    lines = await AsnLine.filter(asn_id=asn_id).order_by("id")
    assert [(ln.lot_code, ln.quantity) for ln in lines] == [("A-1", 6), ("A-2", 4)]
    row = await AdvanceShippingNotice.get(id=asn_id)
    assert row.expected_arrival.isoformat().endswith("02:30:00+00:00")  # 10:30 in Shanghai
    assert row.sensor_readings[0]["value"] == "3.5"

    token = await browser.csrf(f"/portal/asns/{asn_id}")
    upload = await browser.client.post(
        f"/portal/asns/{asn_id}/certificates",
        data={"csrf_token": token, "asn_line": str(lines[0].id), "kind": "quality_certificate"},
        files={"file": ("coa.pdf", PDF, "application/pdf")},
    )
    assert upload.status_code == 303, upload.text
    cert = await Certificate.get(asn_id=asn_id)
    page = await browser.get(f"/portal/asns/{asn_id}")
    assert cert.sha256 in page.text
    download = await browser.get(f"/portal/certificates/{cert.id}")
    assert (download.status_code, download.content) == (200, PDF)
    assert download.headers["content-type"] == "application/pdf"


async def test_a_refused_asn_is_shown_again_filled_in_with_the_reason(
    browser: Browser, ps: PortalStory
) -> None:
    s = ps.story
    await browser.sign_in(ps.username)
    url = f"/portal/orders/{s.order_id}/asn"
    refused = await browser.submit(
        url,
        url,
        {
            "rows": "1",
            "arrival_date": TOMORROW,
            "row-0-line": str(s.line_ids[0]),
            "row-0-lot": "A-1",
            "row-0-qty": "99",
        },
    )
    assert refused.status_code == 422
    assert "第 1 行 row 1 · 数量 quantity" in refused.text
    assert 'value="99"' in refused.text
    assert await AdvanceShippingNotice.filter(order_id=s.order_id).count() == 0


async def test_a_wrong_password_is_refused_and_repeated_failures_are_rate_limited(
    browser: Browser, ps: PortalStory
) -> None:
    codes = [(await browser.sign_in(ps.username, "wrong-password-x")).status_code for _ in range(6)]
    assert codes == [401, 401, 401, 401, 401, 429]
    assert (await browser.sign_in(ps.username)).status_code == 429  # even the right password, for a while
    assert (await browser.get("/portal/")).status_code == 303


async def test_staff_sign_in_to_the_data_health_dashboard_only(browser: Browser, ps: PortalStory) -> None:
    from domain.partners import services as partners

    buyer = await partners.create_user(
        f"b-{ps.story.supplier.code.lower()}", "correct-horse-battery", "buyer"
    )
    await receipts.goods_receipt_post(  # this week's receipt, without an ASN: a bar under the mark
        ps.story.order_id,
        [receipts.ReceiptLineInput(ps.story.line_ids[0], Decimal(1), "NOASN", ps.story.wh.bins[0])],
        datetime.now(business_time.zone()),
    )
    signed = await browser.sign_in(buyer.username)
    assert (signed.status_code, signed.headers["location"]) == (303, "/portal/health")
    dashboard = await browser.get("/portal/health")
    assert dashboard.status_code == 200
    assert "数据健康度" in dashboard.text
    assert "<svg" in dashboard.text
    assert f"<strong>{ps.story.supplier.code}</strong> · 到货前有发货通知" in dashboard.text  # an alert
    for page in ("/portal/", f"/portal/orders/{ps.story.order_id}", "/portal/scorecard"):
        response = await browser.get(page)
        assert (response.status_code, response.headers.get("location")) == (303, "/portal/health"), page


async def test_a_role_without_purchasing_read_cannot_sign_in(browser: Browser, ps: PortalStory) -> None:
    from domain.partners import services as partners

    sales = await partners.create_user(
        f"s-{ps.story.supplier.code.lower()}", "correct-horse-battery", "sales"
    )
    assert (await browser.sign_in(sales.username)).status_code == 401


async def test_a_supplier_sees_its_scorecard_and_not_the_dashboard(browser: Browser, ps: PortalStory) -> None:
    await browser.sign_in(ps.username)
    card = await browser.get("/portal/scorecard")
    assert card.status_code == 200
    assert "通知与实收一致" in card.text
    assert card.text.count("<svg") == len(health_rules.METRICS)  # one chart per metric
    assert (await browser.get("/portal/health")).status_code == 404
