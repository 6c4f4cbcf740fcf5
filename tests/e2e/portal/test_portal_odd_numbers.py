"""Numbers a person or a script writes into the portal's links and headers in spellings ``int()`` refuses or
misreads ("²", five thousand nines) get a page, a 404 or a typed refusal, never a 500."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.asn import rules, services
from tests.e2e.portal.conftest import Browser, PortalStory

ODD = ["²", "١٢", "9" * 5000, "99999999999999999999", "-1", "0"]


async def test_odd_numbers_in_links_are_pages_or_404(browser: Browser, ps: PortalStory) -> None:
    await browser.sign_in(ps.username)
    order = f"/portal/orders/{ps.story.order_id}"
    for odd in ODD:
        assert (await browser.get(f"{order}/asn", params={"rows": odd})).status_code == 200, odd
        assert (await browser.get("/portal/scorecard", params={"weeks": odd})).status_code == 200, odd
        assert (await browser.get(f"/portal/orders/{odd}")).status_code == 404, odd
        assert (await browser.get(f"/portal/asns/{odd}")).status_code == 404, odd


async def test_an_upload_declaring_an_absurd_length_is_refused_as_too_large(
    browser: Browser, ps: PortalStory
) -> None:
    now = datetime.now(UTC)
    asn = await services.asn_create(
        ps.story.order_id,
        now + timedelta(days=1),
        [rules.AsnLineInput(ps.story.line_ids[0], "ODD-1", Decimal(1))],
        now,
        supplier_id=ps.story.supplier.id,
    )
    await browser.sign_in(ps.username)
    for declared, status in (("9" * 5000, 413), ("99999999999999999999", 413), ("²", 411), ("", 411)):
        response = await browser.client.post(
            f"/portal/asns/{asn.document_id}/certificates",
            content=b"x",
            headers={"content-length": declared.encode("latin-1")},
        )
        assert response.status_code == status, (declared, response.status_code)
