"""What a supplier types is stored exactly as typed or refused with the field named on the form, never
reread as another value: a comma is not guessed to be a decimal point ("1,200" was stored as 1.2), a long
note is not cut short (it was stored as its first 2,000 characters), "1_000" and "١٢" are not numbers to
the portal when they are not to the API, and a character no store keeps shows the form again, filled in."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.asn import rules
from domain.asn.models import AdvanceShippingNotice, AsnLine
from domain.partners import services as partners
from tests.e2e.portal.conftest import PASSWORD, Browser, PortalStory, announce

TOMORROW = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()


def _asn(ps: PortalStory, **row: str) -> dict[str, str]:
    return {
        "rows": "1",
        "arrival_date": TOMORROW,
        "arrival_time": "10:30",
        "row-0-line": str(ps.story.line_ids[0]),
        "row-0-lot": "V-1",
        "row-0-qty": "1",
        **row,
    }


async def _post_asn(browser: Browser, ps: PortalStory, data: dict[str, str]):  # type: ignore[no-untyped-def]
    order = f"/portal/orders/{ps.story.order_id}"
    return await browser.submit(f"{order}/asn", f"{order}/asn", data)


async def _lines(ps: PortalStory) -> list[AsnLine]:
    return await AsnLine.filter(asn__order_id=ps.story.order_id).order_by("id")


async def test_quantities_are_read_in_the_apis_grammar_or_refused(browser: Browser, ps: PortalStory) -> None:
    await browser.sign_in(ps.username)
    for typed in ("1,200", "1，200", "1_000", "١٢", "12 5", "0x10", "NaN"):
        response = await _post_asn(browser, ps, _asn(ps, **{"row-0-qty": typed}))
        assert response.status_code == 422, typed
        assert "第 1 行 row 1 · 数量 quantity" in response.text, typed
        assert await _lines(ps) == [], typed
    for n, (typed, stored) in enumerate((("１．５", "1.5"), ("2.25", "2.25"), ("2e0", "2"))):
        response = await _post_asn(browser, ps, _asn(ps, **{"row-0-qty": typed, "row-0-lot": f"V-{n}"}))
        assert response.status_code == 303, typed
        assert (await _lines(ps))[-1].quantity == Decimal(stored), typed


async def test_a_note_longer_than_its_limit_is_refused_not_cut(browser: Browser, ps: PortalStory) -> None:
    await browser.sign_in(ps.username)
    response = await _post_asn(browser, ps, _asn(ps, note="长" * 2001))
    assert response.status_code == 422
    assert "备注 note" in response.text
    assert "2000" in response.text
    assert await AdvanceShippingNotice.filter(order_id=ps.story.order_id).count() == 0
    assert (await _post_asn(browser, ps, _asn(ps, note="长" * 2000))).status_code == 303
    asn = await AdvanceShippingNotice.get(order_id=ps.story.order_id)
    assert asn.note == "长" * 2000


async def test_a_cancel_reason_longer_than_its_limit_is_refused_not_cut(
    browser: Browser, ps: PortalStory
) -> None:
    asn_id = await announce(ps, "C-1")
    await browser.sign_in(ps.username)
    page = f"/portal/asns/{asn_id}"
    reason = "x" * (rules.MAX_NOTE + 1)
    response = await browser.submit(page, f"{page}/cancel", {"reason": reason})
    assert response.status_code == 409
    assert "原因 reason" in response.text
    assert (await AdvanceShippingNotice.get(id=asn_id)).status == "open"


async def test_a_character_no_store_keeps_shows_the_form_again_filled_in(
    browser: Browser, ps: PortalStory
) -> None:
    await browser.sign_in(ps.username)
    response = await _post_asn(browser, ps, _asn(ps, **{"row-0-lot": "F\x00-9"}, note="留言 kept"))
    assert response.status_code == 422
    assert "第 1 行 row 1 · 批号 lot" in response.text
    assert "U+0000" in response.text
    assert "留言 kept" in response.text
    assert TOMORROW in response.text
    assert await _lines(ps) == []


async def test_an_over_long_user_name_signs_in_to_no_account(browser: Browser, ps: PortalStory) -> None:
    # Cut to 64 characters, a name that only starts with a 64-character user's name signed in as that user.
    name = ("p-" + ps.story.supplier.code.lower() + "-" * 64)[:64]
    await partners.create_user(name, PASSWORD, "supplier", ps.story.supplier.code)
    assert (await browser.sign_in(name + "-and-more")).status_code == 401
    assert (await browser.get("/portal/")).status_code in (302, 303, 307)
    assert (await browser.sign_in(name)).status_code == 303


async def test_a_form_not_shown_again_is_a_400_page_naming_the_field(browser: Browser) -> None:
    response = await browser.submit("/portal/login", "/portal/login", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "username" in response.text
    assert "U+0000" in response.text
