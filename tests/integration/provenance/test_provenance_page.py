"""The public provenance page shows a batch's public story and nothing private; labels carry its QR code."""

import base64
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest

from chain.proof import AnchorRef, ProofFile
from domain.common.errors import NotFound
from domain.provenance import rules, services
from domain.provenance.models import BatchPublicCode
from tests.factories import NOW, TODAY, days

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def test_a_batch_gets_one_random_public_code_that_is_not_its_id(story):
    first = await services.public_code_for(story.lot.batch_id)
    again = await services.public_code_for(story.lot.batch_id)

    assert first == again
    assert rules.normalise_code(first) == first
    # Not the id in any spelling: neither its digits nor its value as the code's bytes. (A "digits not in
    # the code" check was flaky: base32 codes contain the digits 2-7, so a one-digit id often appears.)
    assert first != str(story.lot.batch_id)
    assert int.from_bytes(base64.b32decode(first)) != story.lot.batch_id
    assert await BatchPublicCode.filter(batch_id=story.lot.batch_id).count() == 1
    by_lot = await services.public_code_for_lot(story.sku_code, story.lot.lot_code)
    assert by_lot == (story.lot.batch_id, first)


async def test_a_code_is_not_made_for_a_batch_that_does_not_exist(db):
    with pytest.raises(NotFound) as caught:
        await services.public_code_for(2_000_000_000)

    assert caught.value.code == "NOT_FOUND"
    assert await BatchPublicCode.filter(batch_id=2_000_000_000).count() == 0


async def test_provenance_holds_the_public_facts_of_the_batch(story):
    code = await services.public_code_for(story.lot.batch_id)

    p = await services.provenance_of(code.lower(), NOW)

    assert p is not None
    assert (p.product_zh, p.product_en) == ("高原蓝莓", "Highland blueberries")
    assert p.lot_code == story.lot.lot_code
    assert p.origin == (story.supplier_name,)
    assert (p.receipt_date, p.expiry_date, p.expired) == (TODAY, days(20), False)
    assert (p.verdict, p.verdict_date) == ("pass", TODAY)
    assert p.parameters == (("农药残留 pesticide residue", True),)
    assert [(r.label_en, r.value, r.unit) for r in p.cold_chain] == [("temperature", Decimal("3.5"), "°C")]
    assert [(s.biz_step, s.disposition) for s in p.steps] == [
        ("receiving", "in_progress"),
        ("inspecting", "non_sellable_other"),
        ("inspecting", "conformant"),
        ("storing", None),
        ("shipping", "in_transit"),
    ]
    assert {s.place for s in p.steps} == {story.warehouse_name}
    assert not any(s.anchor.anchored for s in p.steps)


async def test_an_unknown_or_malformed_code_has_no_provenance(db):
    assert await services.provenance_of("AAAAAAAAAAAAAAAA", NOW) is None
    assert await services.provenance_of("1", NOW) is None


async def test_the_page_shows_product_verdict_and_path_and_no_price_customer_or_user(story, client):
    code = await services.public_code_for(story.lot.batch_id)

    response = await client.get(f"/p/{code}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    html = response.text
    for shown in (
        "高原蓝莓",
        "Highland blueberries",
        story.lot.lot_code,
        story.supplier_name,
        "合格 passed",
        "发往门店",
        "3.5 °C",
        "尚未上链 not yet anchored",
        story.warehouse_name,
        "农药残留",
    ):
        assert shown in html, shown
    leaked = [s for s in story.secrets if s in html]
    assert leaked == []
    assert "http://" not in html.replace('"http://www.w3.org', "")  # no external asset


async def test_an_unknown_code_is_a_404_page_in_both_languages(client):
    response = await client.get("/p/AAAAAAAAAAAAAAAA")

    assert response.status_code == 404
    assert "未找到该批次" in response.text
    assert "No batch has this code" in response.text


async def test_the_labels_are_a_png_and_an_svg_with_product_and_lot(story, client):
    code = await services.public_code_for(story.lot.batch_id)

    png = await client.get(f"/p/{code}/label.png")
    svg = await client.get(f"/p/{code}/label.svg")

    assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
    assert png.content.startswith(PNG_SIGNATURE)
    assert (svg.status_code, svg.headers["content-type"]) == (200, "image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "高原蓝莓" in texts
    assert any(story.lot.lot_code in t for t in texts)
    assert (await client.get("/p/AAAAAAAAAAAAAAAA/label.png")).status_code == 404


def _fake_anchoring(proofs: list[int]) -> SimpleNamespace:
    def anchor_status_of_events(event_ids):
        return {
            i: SimpleNamespace(anchored=True, block_number=42, tx_hash=b"\x0a" * 32, root="ab" * 32)
            for i in event_ids
        }

    async def proof_of(event_id):
        # Shaped as domain.anchoring.services.EventProof: the canonical event must never be served.
        proofs.append(event_id)
        anchor = AnchorRef(31337, "0x" + "ee" * 20, b"\x0a" * 32, 42)
        file = ProofFile(b"\x01" * 32, b"\x02" * 32, (b"\xcd" * 32,), b"\xab" * 32, anchor)
        return SimpleNamespace(event_pk=event_id, canonical='{"secret":"CANONICAL"}', proof_file=file)

    return SimpleNamespace(anchor_status_of_events=anchor_status_of_events, proof_of=proof_of)


# Anchored steps saying "verified" with their block and the exact cast command: tested against a real chain in
# tests/integration/anchoring/test_tampering.py (verification reads the root from the chain, no fake will do).


async def test_a_proof_of_another_batch_is_not_served_under_this_code(story, client, monkeypatch):
    monkeypatch.setattr(services, "anchoring_module", lambda: _fake_anchoring([]))
    other = await services.public_code_for(story.lot.batch_id)
    from tests.integration.provenance.conftest import make_story

    mine = await make_story()
    mine_code = await services.public_code_for(mine.lot.batch_id)
    other_p = await services.provenance_of(other, NOW)
    assert other_p is not None

    response = await client.get(f"/p/{mine_code}/proofs/{other_p.steps[0].event_hash[2:]}.json")

    assert response.status_code == 404


async def test_a_step_that_is_not_anchored_has_no_proof_file(story, client):
    code = await services.public_code_for(story.lot.batch_id)
    p = await services.provenance_of(code, NOW)
    assert p is not None

    response = await client.get(f"/p/{code}/proofs/{p.steps[0].event_hash[2:]}.json")

    assert not p.steps[0].anchor.anchored
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["²", "١", "１", "9" * 5000, "-1", "0", "x", ""])
async def test_an_odd_page_number_shows_the_first_page(story, client, page):
    # "²" passed str.isdigit() and failed int(): the public page answered 500 to a hand-edited link
    code = await services.public_code_for(story.lot.batch_id)
    first = await client.get(f"/p/{code}")
    response = await client.get(f"/p/{code}", params={"page": page})
    assert response.status_code == 200
    assert response.text == first.text
