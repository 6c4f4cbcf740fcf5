"""The supplier's forms (acknowledge, announce an ASN, cancel it, upload a certificate) with every odd value
in every field, one field at a time, the rest valid: a page with the error or a redirect, never a 500.
The POST side of test_portal_fuzz."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from starlette.applications import Starlette

from domain.asn import rules, services
from domain.asn.models import AsnLine
from tests.e2e.portal.conftest import Browser, PortalStory

PDF = b"%PDF-1.4\n%certificate of analysis\n%%EOF\n"
TOMORROW = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
ODD = [
    "",
    " ",
    "0",
    "-1",
    "+1",
    "²",
    "١٢",
    "１２",
    "1_0",
    "9" * 5000,
    "1e999999",
    "-1e-999999",
    "NaN",
    "Infinity",
    "0.000000001",
    "1,5",
    "9999-99-99",
    "0001-01-01",
    "25:99",
    "\x00",
    "<script>",
    "x" * 3000,
]


def _variants(valid: dict[str, str]) -> list[dict[str, str]]:
    return [{**valid, field: odd} for field in valid for odd in ODD]


async def _sweep(
    browser: Browser, form_url: str, action: str, forms: list[dict[str, str]], **kw: object
) -> list[tuple[str, dict[str, str], int]]:
    failures = []
    for data in forms:
        response = await browser.submit(form_url, action, data, **kw)
        if response.status_code >= 500:
            odd = {k: v[:20] for k, v in data.items()}
            failures.append((action, odd, response.status_code))
    return failures


async def test_every_form_field_takes_every_odd_value(browser: Browser, ps: PortalStory) -> None:
    s = ps.story
    await browser.sign_in(ps.username)
    now = datetime.now(UTC)
    asns = [
        await services.asn_create(
            s.order_id,
            now + timedelta(days=1),
            [rules.AsnLineInput(s.line_ids[0], lot, Decimal(1))],
            now,
            supplier_id=s.supplier.id,
        )
        for lot in ("F-2", "F-3")
    ]
    order = f"/portal/orders/{s.order_id}"
    line = str(s.line_ids[0])
    ack = {
        f"ack-{line}-decision": "accepted",
        f"ack-{line}-date": TOMORROW,
        f"ack-{line}-qty": "10",
        f"ack-{line}-note": "ok",
    }
    failures = await _sweep(browser, f"{order}/ack", f"{order}/ack", _variants(ack))
    asn = {
        "rows": "1",
        "arrival_date": TOMORROW,
        "arrival_time": "10:30",
        "row-0-line": line,
        "row-0-lot": "F-1",
        "row-0-qty": "1",
        "temperature": "3.5",
        "device_id": "",
        "note": "",
    }
    failures += await _sweep(browser, f"{order}/asn", f"{order}/asn", _variants(asn))

    upload = f"/portal/asns/{asns[1].document_id}"
    asn_line = await AsnLine.filter(asn_id=asns[1].document_id).first()
    assert asn_line is not None
    certificate = {"asn_line": str(asn_line.id), "kind": "quality_certificate"}
    pdf = {"file": ("coa.pdf", PDF, "application/pdf")}
    failures += await _sweep(browser, upload, f"{upload}/certificates", _variants(certificate), files=pdf)
    cancel = f"/portal/asns/{asns[0].document_id}"
    failures += await _sweep(browser, cancel, f"{cancel}/cancel", _variants({"reason": "车辆故障"}))
    assert failures == []


async def test_the_sign_in_form_takes_every_odd_value(portal_app: Starlette, ps: PortalStory) -> None:
    transport = httpx.ASGITransport(app=portal_app, raise_app_exceptions=False, client=("127.8.0.1", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        anonymous = Browser(client)
        valid = {"username": ps.username, "password": "not-the-password", "next": "/portal/"}
        failures = await _sweep(anonymous, "/portal/login", "/portal/login", _variants(valid))
    assert failures == []
