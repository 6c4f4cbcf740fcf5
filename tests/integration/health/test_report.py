"""The data-health report over real postings: an ASN with a short lot, a receipt without ASN."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.asn import receiving, rules, services
from domain.asn.models import AsnLine
from domain.health import services as health
from domain.purchasing import receipts
from tests.integration.asn.conftest import make_story


async def test_a_suppliers_week_shows_its_asn_difference_and_its_receipt_without_asn(db):
    story = await make_story()
    now = datetime.now(UTC).replace(microsecond=0)
    posted = await services.asn_create(
        story.order_id,
        now,  # announced for today…
        [
            rules.AsnLineInput(story.line_ids[0], "H-1", Decimal(4)),
            rules.AsnLineInput(story.line_ids[0], "H-2", Decimal(2)),
        ],
        now - timedelta(hours=6),
        supplier_id=story.supplier.id,
    )
    h2 = await AsnLine.get(asn_id=posted.document_id, lot_code="H-2")
    # …received today, as announced except one lot
    await receiving.goods_receipt_post_from_asn(
        posted.document_id, story.wh.bins[0], now, [receiving.ReceivedLine(h2.id, quantity=Decimal(1))]
    )
    await receipts.goods_receipt_post(
        story.order_id,
        [receipts.ReceiptLineInput(story.line_ids[0], Decimal(1), "NOASN", story.wh.bins[0])],
        now,
    )

    report = await health.report(now, weeks=2, supplier_id=story.supplier.id)

    week = report.weeks[-1]
    assert list(report.suppliers) == [story.supplier.id]
    assert report.value(story.supplier.id, week, "asn_coverage").value == Decimal("50.0")
    assert report.value(story.supplier.id, week, "asn_accuracy").value == Decimal("50.0")
    assert report.value(story.supplier.id, week, "asn_on_time").value == Decimal("100.0")
    assert report.value(story.supplier.id, week, "asn_lead_hours").value is not None
    assert {a.key for a in report.alerts if a.supplier_id == story.supplier.id} >= {
        "asn_coverage",
        "asn_accuracy",
    }
    [master] = report.master
    assert (master.value, master.breached) == (Decimal("0.0"), True)  # neither GLN nor contact on file
