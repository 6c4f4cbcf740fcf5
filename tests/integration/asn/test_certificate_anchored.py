"""End to end on real Anvil: a supplier's certificate hash rides on the lot's EPCIS event, the anchoring
worker commits it, and the consumer's provenance page says the certificate is on file, its hash anchored."""

from datetime import timedelta
from decimal import Decimal

import httpx

from api.app import create_app
from domain.asn import certificates, receiving, rules, services
from domain.asn.models import AsnLine, Certificate
from domain.provenance import services as provenance
from lotline import chainview
from tests.factories import NOW, days
from tests.integration.anchoring.conftest import anchorer, chain, registry  # noqa: F401 (fixtures)

PDF = b"%PDF-1.4\n% test report: no pathogens found\n%%EOF\n"


async def test_the_provenance_page_shows_the_certificate_on_file_and_its_hash_anchored(
    story,
    tmp_path,
    anchorer,  # noqa: F811 (the fixture imported above)
    chain,  # noqa: F811
    registry,  # noqa: F811
    pg_settings,
):
    posted = await services.asn_create(
        story.order_id,
        NOW + timedelta(days=1),
        [rules.AsnLineInput(story.line_ids[0], "LOT-CERT", Decimal(3), production_date=days(-1))],
        NOW,
        supplier_id=story.supplier.id,
    )
    line = await AsnLine.get(asn_id=posted.document_id)
    ref = await certificates.certificate_upload(
        posted.document_id,
        line.id,
        PDF,
        "test_report",
        "report.pdf",
        NOW,
        tmp_path,
        supplier_id=story.supplier.id,
    )
    await receiving.goods_receipt_post_from_asn(posted.document_id, story.wh.bins[0], NOW + timedelta(days=1))
    cert = await Certificate.get(id=ref.id)
    assert cert.event_id is not None

    for _ in range(20):  # the shared database may hold other pending events: rounds until ours is in
        await anchorer.run_round(force=True)
        statuses = await provenance.anchoring_module().anchor_status_of_events([cert.event_id])  # type: ignore[union-attr]
        if getattr(statuses.get(cert.event_id), "anchored", False):
            break
    code = await provenance.public_code_for(cert.batch_id)
    # "Anchored" is what the chain says: the page and the service read the roots from the registry.
    settings = pg_settings.model_copy(
        update={"chain_rpc_url": chain.url, "chain_contract_address": registry.address}
    )
    found = await provenance.provenance_of(code, NOW, chainview.roots_for(settings))
    assert found is not None
    [step] = [s for s in found.steps if s.certificate]
    assert (step.certificate, step.anchor.anchored) == (ref.sha256, True)

    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        page = await client.get(f"/p/{code}")
    assert page.status_code == 200
    assert "证书已存档，哈希已上链 certificate on file, hash anchored" in page.text
    assert "证书存档" in page.text
