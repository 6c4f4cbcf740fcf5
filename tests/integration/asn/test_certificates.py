"""Certificates: stored once by content hash, anchored on the lot's EPCIS event as ``certificationInfo``."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.asn import certificates, receiving, rules, services
from domain.asn.models import AsnLine, Certificate
from domain.common.errors import NotFound, ValidationError
from domain.common.models import OutboxMessage
from domain.trace.models import TraceEvent, TraceEventBatch
from tests.factories import NOW, days

ARRIVAL = NOW + timedelta(days=1)
PDF = b"%PDF-1.4\n% certificate of analysis: pesticide residue below limits\n%%EOF\n"


async def _asn(story):
    posted = await services.asn_create(
        story.order_id,
        ARRIVAL,
        [rules.AsnLineInput(story.line_ids[0], "LOT-A", Decimal(5), production_date=days(-1))],
        NOW,
        supplier_id=story.supplier.id,
    )
    line = await AsnLine.get(asn_id=posted.document_id)
    return posted.document_id, line.id


async def test_a_certificate_before_receipt_is_anchored_with_the_receipt(story, tmp_path):
    asn_id, line_id = await _asn(story)
    ref = await certificates.certificate_upload(
        asn_id, line_id, PDF, "quality_certificate", "coa.pdf", NOW, tmp_path, supplier_id=story.supplier.id
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert (ref.sha256, ref.content_type, ref.size, ref.anchored_event_id) == (
        digest,
        "application/pdf",
        len(PDF),
        None,
    )
    assert (tmp_path / digest[:2] / digest).read_bytes() == PDF

    await receiving.goods_receipt_post_from_asn(asn_id, story.wh.bins[0], ARRIVAL)

    cert = await Certificate.get(id=ref.id)
    event = await TraceEvent.get(id=cert.event_id)
    assert event.body["certificationInfo"] == rules.certification_uri(digest)
    assert (event.biz_step, event.action, event.doc_type) == ("inspecting", "OBSERVE", "certificate")
    link = await TraceEventBatch.get(event_id=event.id)
    assert link.batch_id == cert.batch_id
    queued = await OutboxMessage.filter(topic="trace.anchor").order_by("-id").limit(20)
    assert event.id in [m.payload["trace_event_id"] for m in queued]  # the anchoring worker will commit it


async def test_a_certificate_after_receipt_is_anchored_at_once_and_the_same_file_is_stored_once(
    story, tmp_path
):
    asn_id, line_id = await _asn(story)
    await receiving.goods_receipt_post_from_asn(asn_id, story.wh.bins[0], ARRIVAL)
    first = await certificates.certificate_upload(
        asn_id, line_id, PDF, "test_report", "r.pdf", NOW, tmp_path, supplier_id=story.supplier.id
    )
    second = await certificates.certificate_upload(
        asn_id, line_id, PDF, "test_report", "copy.pdf", NOW, tmp_path, supplier_id=None
    )
    assert first.anchored_event_id is not None
    assert second.sha256 == first.sha256
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.sha256]


async def test_another_suppliers_asn_or_a_foreign_line_is_not_found_and_nothing_is_stored(story, tmp_path):
    asn_id, line_id = await _asn(story)
    with pytest.raises(NotFound):
        await certificates.certificate_upload(
            asn_id, line_id, PDF, "test_report", "", NOW, tmp_path, supplier_id=story.other.id
        )
    with pytest.raises(NotFound):
        await certificates.certificate_upload(
            asn_id, line_id + 100000, PDF, "test_report", "", NOW, tmp_path, supplier_id=story.supplier.id
        )
    with pytest.raises(ValidationError):
        await certificates.certificate_upload(
            asn_id,
            line_id,
            b"MZ\x90\x00",
            "test_report",
            "x.pdf",
            NOW,
            tmp_path,
            supplier_id=story.supplier.id,
        )
    assert await Certificate.filter(asn_id=asn_id).count() == 0
    assert list(tmp_path.iterdir()) == []
