"""Every portal form refuses a post without its CSRF token, or with a wrong one (another session's, a
forged one): 403, and nothing changes. The token travels in a hidden form field, so plain forms work."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.asn import rules, services
from domain.asn.models import AdvanceShippingNotice, AsnLine, Certificate, PurchaseOrderLineAck
from domain.attestations.models import AttestationSignature, Party
from domain.common import business_time
from domain.health.models import LedgerSnapshot
from supplier_portal import portal, security
from tests.e2e.portal.conftest import Browser, PortalStory
from tests.factories import NOW

PDF = b"%PDF-1.4\n%mine\n%%EOF\n"
POSTS = sorted({r.path for r in portal.routes() if "POST" in (getattr(r, "methods", None) or set())})


def test_the_forms_under_test_are_every_post_route() -> None:
    assert POSTS == [
        "/portal/asns/{asn_id}/cancel",
        "/portal/asns/{asn_id}/certificates",
        "/portal/attestations/key",
        "/portal/attestations/{attestation_id}/sign",
        "/portal/health/refresh",
        "/portal/login",
        "/portal/logout",
        "/portal/orders/{order_id}/ack",
        "/portal/orders/{order_id}/asn",
    ]


async def _state(upload_dir) -> tuple[object, ...]:
    return (
        await PurchaseOrderLineAck.all().count(),
        await AdvanceShippingNotice.all().count(),
        await AdvanceShippingNotice.filter(status="cancelled").count(),
        await Certificate.all().count(),
        await Party.all().count(),
        await AttestationSignature.all().count(),
        sorted(p.name for p in upload_dir.rglob("*") if p.is_file()),
        await LedgerSnapshot.all().values_list("computed_at", flat=True),
    )


def _tomorrow() -> str:
    from datetime import datetime

    return (datetime.now(business_time.zone()) + timedelta(days=1)).date().isoformat()


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("token", ["missing", "forged", "another session's"])
async def test_a_post_without_the_right_token_is_refused_and_changes_nothing(
    browser: Browser, ps: PortalStory, portal_app, upload_dir, path, token
) -> None:
    import httpx

    s = ps.story
    asn = await services.asn_create(
        s.order_id,
        NOW + timedelta(days=400),
        [rules.AsnLineInput(s.line_ids[0], "MINE", Decimal(1))],
        NOW,
        supplier_id=s.supplier.id,
    )
    line = await AsnLine.get(asn_id=asn.document_id)
    transport = httpx.ASGITransport(app=portal_app, client=("127.9.9.9", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as c2:
        stranger = Browser(c2)
        await stranger.sign_in(ps.username)  # the same user in another browser: its own session and token
        foreign = await stranger.csrf("/portal/")
    if path != "/portal/login":
        await browser.sign_in(ps.username)
    else:
        await browser.csrf("/portal/login")  # the pre-session cookie is set, as when the page was opened
    url = (
        path.replace("{order_id}", str(s.order_id))
        .replace("{asn_id}", str(asn.document_id))
        .replace("{attestation_id}", "1")
    )
    data = {
        "/portal/login": {"username": ps.username, "password": "correct-horse-battery"},
        "/portal/logout": {},
        "/portal/orders/{order_id}/ack": {f"ack-{s.line_ids[0]}-decision": "declined"},
        "/portal/orders/{order_id}/asn": {
            "arrival_date": _tomorrow(),
            "rows": "1",
            "row-0-line": str(s.line_ids[0]),
            "row-0-lot": "CSRF",
            "row-0-qty": "1",
        },
        "/portal/asns/{asn_id}/certificates": {"asn_line": str(line.id), "kind": "test_report"},
        "/portal/asns/{asn_id}/cancel": {"reason": "CSRF"},
        "/portal/attestations/key": {"public_key": "a0" + "00" * 47, "proof_of_possession": "c0" + "00" * 95},
        "/portal/attestations/{attestation_id}/sign": {"signature": "c0" + "00" * 95},
        "/portal/health/refresh": {},
    }[path]
    if token == "forged":
        data["csrf_token"] = security.new_csrf()
    elif token == "another session's":
        data["csrf_token"] = foreign
    files = {"file": ("c.pdf", PDF, "application/pdf")} if path.endswith("/certificates") else None
    before = await _state(upload_dir)
    cookies_before = dict(browser.client.cookies)

    response = await browser.client.post(url, data=data, files=files)  # type: ignore[arg-type]

    assert response.status_code == 403, response.text[:300]
    assert "表单已过期或无效" in response.text
    assert await _state(upload_dir) == before
    assert dict(browser.client.cookies) == cookies_before  # not signed in, not signed out
