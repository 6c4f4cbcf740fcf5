"""A supplier reaches nothing of another supplier: every portal page, download and form, given the other
supplier's IDs, answers the same 404 page as an ID that does not exist, and changes nothing.

The route table below must name every portal route with a path parameter: a new route without a case fails
``test_every_route_with_an_id_is_covered``.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.asn import certificates, receiving, rules, services
from domain.asn.models import AdvanceShippingNotice, AsnLine, Certificate, PurchaseOrderLineAck
from domain.attestations.models import Attestation, AttestationSignature, Party
from domain.purchasing.models import PurchaseOrder
from supplier_portal import portal, security
from tests import factories
from tests.e2e.portal.conftest import Browser, PortalStory, make_portal_story
from tests.factories import NOW, days

PDF = b"%PDF-1.4\n%their certificate\n%%EOF\n"


@dataclass(frozen=True)
class Theirs:
    """Documents of the other supplier, and a lot code and numbers that must never show on my pages."""

    order_id: int
    order_number: str
    asn_id: int
    asn_number: str
    cert_id: int
    receipt_id: int
    lot_code: str
    qc_lot_code: str
    open_asn_id: int  # an ASN of theirs still open (cancellable by them, not by me)
    attestation_id: int


async def _theirs(ps: PortalStory, upload_dir) -> Theirs:
    s = ps.story
    order = await factories.make_purchase_order(s.other, s.wh, await factories.make_sku(), Decimal(5))
    lot = factories.code("THEIRLOT")
    posted = await services.asn_create(
        order.id,
        NOW + timedelta(days=1),
        [rules.AsnLineInput(order.line_id, lot, Decimal(5), production_date=days(-1))],
        NOW,
        supplier_id=s.other.id,
    )
    line = await AsnLine.get(asn_id=posted.document_id)
    cert = await certificates.certificate_upload(
        posted.document_id, line.id, PDF, "test_report", "theirs.pdf", NOW, upload_dir, supplier_id=s.other.id
    )
    receipt = await receiving.goods_receipt_post_from_asn(
        posted.document_id, s.wh.bins[0], NOW + timedelta(days=1)
    )
    qc = await factories.receive(await factories.make_sku(high_risk=True), s.wh, s.other, Decimal(2))
    po = await PurchaseOrder.get(id=order.id)
    second = await factories.make_purchase_order(s.other, s.wh, await factories.make_sku(), Decimal(3))
    still_open = await services.asn_create(
        second.id,
        NOW + timedelta(days=2),
        [rules.AsnLineInput(second.line_id, lot, Decimal(3))],
        NOW,
        supplier_id=s.other.id,
    )
    # An attestation of their lot waiting for signatures (as attestation_open leaves it; no chain here).
    attestation = await Attestation.create(
        batch_id=qc.batch_id,
        claim="origin",
        root="0x" + "11" * 32,
        time=0,
        chain_id=1,
        registry="0x" + "22" * 20,
        message="33" * 181,
        created_at=NOW,
    )
    return Theirs(
        order.id,
        po.number or "",
        posted.document_id,
        posted.number,
        cert.id,
        receipt.document_id,
        lot,
        qc.lot_code,
        still_open.document_id,
        attestation.id,
    )


@pytest.fixture
async def theirs(ps: PortalStory, upload_dir) -> Theirs:
    return await _theirs(ps, upload_dir)


# (method, route path, parameter filled with the other supplier's document, which one)
CASES = [
    ("GET", "/portal/orders/{order_id}", "order_id"),
    ("GET", "/portal/orders/{order_id}/ack", "order_id"),
    ("POST", "/portal/orders/{order_id}/ack", "order_id"),
    ("GET", "/portal/orders/{order_id}/asn", "order_id"),
    ("POST", "/portal/orders/{order_id}/asn", "order_id"),
    ("GET", "/portal/asns/{asn_id}", "asn_id"),
    ("POST", "/portal/asns/{asn_id}/certificates", "asn_id"),
    ("POST", "/portal/asns/{asn_id}/cancel", "open_asn_id"),
    ("GET", "/portal/certificates/{cert_id}", "cert_id"),
    ("GET", "/portal/receipts/{receipt_id}", "receipt_id"),
    ("GET", "/portal/l/{token}", "token"),
    ("POST", "/portal/attestations/{attestation_id}/sign", "attestation_id"),
]


def test_every_route_with_an_id_is_covered() -> None:
    with_ids = {
        (method, r.path)
        for r in portal.routes()
        if "{" in r.path
        for method in (getattr(r, "methods", None) or set()) - {"HEAD"}
    }
    assert with_ids == {(m, p) for m, p, _ in CASES}


async def _state(ps: PortalStory, t: Theirs, upload_dir) -> tuple[object, ...]:
    return (
        await PurchaseOrderLineAck.all().count(),
        await AdvanceShippingNotice.all().count(),
        await Certificate.all().count(),
        sorted(p.name for p in upload_dir.rglob("*") if p.is_file()),
        (await AdvanceShippingNotice.get(id=t.asn_id)).status,
        (await AdvanceShippingNotice.get(id=t.open_asn_id)).status,
        await AttestationSignature.all().count(),
        await Party.all().count(),
    )


def _form(method: str, path: str, t: Theirs) -> dict[str, object]:
    if method == "GET":
        return {}
    if path.endswith("/certificates"):
        return {
            "data": {"asn_line": "1", "kind": "test_report"},
            "files": {"file": ("x.pdf", PDF, "application/pdf")},
        }
    if path.endswith("/cancel"):
        return {"data": {"reason": "not yours"}}
    if path.endswith("/sign"):
        return {"data": {"signature": "c0" + "00" * 95}}
    if path.endswith("/ack"):
        return {"data": {f"ack-{n}-decision": "declined" for n in range(1, 200)}}
    return {
        "data": {
            "rows": "1",
            "arrival_date": "2099-01-01",
            "row-0-line": "1",
            "row-0-lot": "X",
            "row-0-qty": "1",
        }
    }


@pytest.mark.parametrize(("method", "path", "param"), CASES, ids=[f"{m} {p}" for m, p, _ in CASES])
async def test_another_suppliers_id_answers_404_and_changes_nothing(
    browser: Browser, ps: PortalStory, theirs: Theirs, upload_dir, portal_settings, method, path, param
) -> None:
    values = {
        "open_asn_id": theirs.open_asn_id,
        "order_id": theirs.order_id,
        "asn_id": theirs.asn_id,
        "cert_id": theirs.cert_id,
        "receipt_id": theirs.receipt_id,
        "attestation_id": theirs.attestation_id,
        # a link signed by us for their order but naming my supplier: still not mine
        "token": security.Signer(portal_settings).order_link(theirs.order_id, ps.story.supplier.id),
    }
    missing = {
        "open_asn_id": 99999999,
        "order_id": 99999999,
        "asn_id": 99999999,
        "cert_id": 99999999,
        "receipt_id": 99999999,
        "attestation_id": 99999999,
        "token": security.Signer(portal_settings).order_link(99999999, ps.story.supplier.id),
    }
    await browser.sign_in(ps.username)
    token = await browser.csrf("/portal/")
    before = await _state(ps, theirs, upload_dir)

    async def call(value: object):
        url = path.replace("{" + param.removeprefix("open_") + "}", str(value))
        form = _form(method, path, theirs)
        if method == "GET":
            return await browser.client.get(url)
        data = {"csrf_token": token, **form["data"]}  # type: ignore[dict-item]
        return await browser.client.post(url, data=data, files=form.get("files"))  # type: ignore[arg-type]

    hidden, absent = await call(values[param]), await call(missing[param])

    assert hidden.status_code == 404, hidden.text[:300]
    assert absent.status_code == 404
    assert hidden.text == absent.text  # the same page: nothing tells "exists, not yours" from "no such thing"
    assert theirs.order_number not in hidden.text
    assert theirs.lot_code not in hidden.text
    assert await _state(ps, theirs, upload_dir) == before


async def test_my_lists_show_nothing_of_theirs(browser: Browser, ps: PortalStory, theirs: Theirs) -> None:
    await browser.sign_in(ps.username)
    for url in ("/portal/", "/portal/asns", "/portal/quality", "/portal/documents", "/portal/attestations"):
        page = await browser.get(url)
        assert page.status_code == 200, url
        leaked = [
            x
            for x in (theirs.order_number, theirs.asn_number, theirs.lot_code, theirs.qc_lot_code)
            if x in page.text
        ]
        assert leaked == [], url
    # and they do see their own
    other = Browser(browser.client)
    await other.submit("/portal/", "/portal/logout", {})
    await other.sign_in(ps.other_username)
    assert theirs.asn_number in (await other.get("/portal/asns")).text
    assert theirs.qc_lot_code in (await other.get("/portal/quality")).text
    assert theirs.qc_lot_code in (await other.get("/portal/attestations")).text


async def test_a_draft_order_of_my_own_is_not_shown(browser: Browser, ps: PortalStory) -> None:
    s = ps.story
    draft = await factories.make_purchase_order(
        s.supplier, s.wh, await factories.make_sku(), Decimal(1), confirm=False
    )
    await browser.sign_in(ps.username)
    assert (await browser.get(f"/portal/orders/{draft.id}")).status_code == 404
    number = (await PurchaseOrder.get(id=draft.id)).number or ""
    assert number not in (await browser.get("/portal/")).text


async def test_another_suppliers_asn_line_in_my_own_upload_form_is_not_found(
    browser: Browser, ps: PortalStory, theirs: Theirs, upload_dir
) -> None:
    s = ps.story
    mine = await services.asn_create(
        s.order_id,
        NOW + timedelta(days=400),
        [rules.AsnLineInput(s.line_ids[0], "MINE", Decimal(1))],
        NOW,
        supplier_id=s.supplier.id,
    )
    their_line = await AsnLine.get(asn_id=theirs.asn_id)
    await browser.sign_in(ps.username)
    token = await browser.csrf(f"/portal/asns/{mine.document_id}")
    before = await Certificate.all().count()
    response = await browser.client.post(
        f"/portal/asns/{mine.document_id}/certificates",
        data={"csrf_token": token, "asn_line": str(their_line.id), "kind": "test_report"},
        files={"file": ("x.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 404
    assert await Certificate.all().count() == before


async def test_a_second_story_is_isolated_too(browser: Browser, ps: PortalStory, upload_dir) -> None:
    """Two unrelated suppliers (not the pair of one story): still 404."""
    stranger = await make_portal_story()
    await browser.sign_in(stranger.username)
    assert (await browser.get(f"/portal/orders/{ps.story.order_id}")).status_code == 404
