"""Numbers a person or a script writes into the portal's links and headers in spellings ``int()`` refuses or
misreads ("²", five thousand nines) get a page, a 404 or a typed refusal, never a 500."""

from tests.e2e.portal.conftest import Browser, PortalStory, announce

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
    asn_id = await announce(ps, "ODD-1")
    await browser.sign_in(ps.username)
    for declared, status in (("9" * 5000, 413), ("99999999999999999999", 413), ("²", 411), ("", 411)):
        response = await browser.client.post(
            f"/portal/asns/{asn_id}/certificates",
            content=b"x",
            headers={"content-length": declared.encode("latin-1")},
        )
        assert response.status_code == status, (declared, response.status_code)
