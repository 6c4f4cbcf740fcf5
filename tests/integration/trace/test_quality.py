"""Quality checks lock a batch in quarantine until a verdict releases or rejects it; rejects are destroyed."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, ErrorCode, NotFound, ValidationError
from domain.inventory.models import Batch, Location, StockQuant
from domain.quality import services as quality
from domain.quality.models import QualityCheck
from domain.trace import services as trace
from domain.trace.models import BatchDestruction, TraceEvent
from tests import factories
from tests.factories import NOW

LATER = NOW + timedelta(hours=2)
SHA = "ab" * 32
GOOD = [quality.ResultInput("pesticide residue", "0.01", "0.05", "mg/kg", True)]
BAD = [quality.ResultInput("pesticide residue", "0.09", "0.05", "mg/kg", False)]


async def _high_risk_lot(quantity: Decimal = Decimal(20)) -> factories.ReceivedLot:
    sku, wh = await factories.make_sku(high_risk=True), await factories.make_warehouse()
    return await factories.receive(sku, wh, await factories.make_supplier(), quantity)


async def test_a_high_risk_receipt_quarantines_the_batch_and_opens_a_pending_check(db):
    lot = await _high_risk_lot()

    batch = await Batch.get(id=lot.batch_id)
    [check] = await QualityCheck.filter(batch_id=lot.batch_id)
    assert batch.status == "quarantine"
    assert (check.status, check.origin_doc_type, check.origin_doc_id) == (
        "pending",
        "goods_receipt",
        lot.receipt_id,
    )
    [event] = await TraceEvent.filter(doc_type="goods_receipt", doc_id=lot.receipt_id)
    assert event.disposition == "in_progress"


async def test_a_scan_starts_the_pending_check_and_a_pass_releases_the_batch_with_its_evidence(db):
    lot = await _high_risk_lot()

    started = await quality.quality_check_start(lot.batch_id, "王检", NOW)
    decided = await quality.quality_check_verdict(
        started.document_id, GOOD, "pass", [quality.AttachmentInput("report.pdf", SHA)], LATER
    )

    check = await QualityCheck.get(id=decided.document_id)
    assert (check.status, check.inspector, check.attachments) == (
        "passed",
        "王检",
        [{"filename": "report.pdf", "sha256": SHA}],
    )
    assert (await Batch.get(id=lot.batch_id)).status == "available"
    events = await TraceEvent.filter(doc_type__startswith="quality_check", doc_id=check.id).order_by(
        "event_time"
    )
    assert [(e.biz_step, e.disposition) for e in events] == [
        ("inspecting", "non_sellable_other"),
        ("inspecting", "conformant"),
    ]
    assert {"type": "cert", "bizTransaction": f"urn:lotline:bt:cert:sha256%3A{SHA}"} in events[1].body[
        "bizTransactionList"
    ]


async def test_a_spot_check_of_an_available_batch_locks_it_in_quarantine(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(10))

    await quality.quality_check_start(lot.batch_id, "inspector", NOW)

    assert (await Batch.get(id=lot.batch_id)).status == "quarantine"
    assert await factories.on_hand(sku, status="quarantine") == Decimal(10)


async def test_a_fail_rejects_the_batch_and_destroying_it_moves_the_stock_to_scrap(db):
    lot = await _high_risk_lot(Decimal(20))
    started = await quality.quality_check_start(lot.batch_id, "inspector", NOW)
    await quality.quality_check_verdict(started.document_id, BAD, "fail", [], LATER)
    assert (await Batch.get(id=lot.batch_id)).status == "rejected"

    destroyed = await trace.batch_destroy(lot.batch_id, LATER + timedelta(hours=1), reason="residue")

    doc = await BatchDestruction.get(id=destroyed.document_id)
    assert Decimal(doc.quantity) == Decimal(20)
    assert await StockQuant.filter(batch_id=lot.batch_id, quantity__gt=0).count() == 0
    scrap = await Location.get(code="VIRTUAL/SCRAP")
    [event] = await TraceEvent.filter(doc_type="batch_destruction", doc_id=doc.id)
    assert (event.action, event.biz_step, event.disposition) == ("DELETE", "destroying", "destroyed")
    assert scrap.kind == "scrap"


async def test_scanning_an_unknown_or_rejected_batch_is_refused(db):
    with pytest.raises(NotFound) as missing:
        await quality.quality_check_start(2_000_000_000, "inspector", NOW)
    assert missing.value.path == ("batchId",)

    lot = await _high_risk_lot()
    started = await quality.quality_check_start(lot.batch_id, "inspector", NOW)
    with pytest.raises(Conflict, match="already under inspection"):
        await quality.quality_check_start(lot.batch_id, "inspector", NOW)
    await quality.quality_check_verdict(started.document_id, BAD, "fail", [], LATER)
    events_before = await TraceEvent.all().count()
    with pytest.raises(Conflict, match="rejected"):
        await quality.quality_check_start(lot.batch_id, "inspector", LATER)
    assert await TraceEvent.all().count() == events_before


async def test_a_verdict_needs_a_started_check_and_consistent_results(db):
    with pytest.raises(NotFound):
        await quality.quality_check_verdict(2_000_000_000, GOOD, "pass", [], NOW)
    lot = await _high_risk_lot()
    [pending] = await QualityCheck.filter(batch_id=lot.batch_id)
    with pytest.raises(Conflict, match="pending"):
        await quality.quality_check_verdict(pending.id, GOOD, "pass", [], NOW)
    started = await quality.quality_check_start(lot.batch_id, "inspector", NOW)

    with pytest.raises(ValidationError) as contradiction:
        await quality.quality_check_verdict(started.document_id, BAD, "pass", [], LATER)
    with pytest.raises(ValidationError) as bad_hash:
        await quality.quality_check_verdict(
            started.document_id, GOOD, "pass", [quality.AttachmentInput("x.pdf", "nothex")], LATER
        )

    assert contradiction.value.path == ("conclusion",)
    assert bad_hash.value.path == ("attachments", "0", "sha256")
    assert bad_hash.value.code is ErrorCode.VALIDATION
    assert (await QualityCheck.get(id=started.document_id)).status == "inspecting"
    assert (await Batch.get(id=lot.batch_id)).status == "quarantine"


async def test_only_rejected_stock_is_destroyed(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(10))
    before = await factories.books(sku)

    with pytest.raises(Conflict, match="only rejected or expired stock"):
        await trace.batch_destroy(lot.batch_id, NOW)

    assert await factories.books(sku) == before
