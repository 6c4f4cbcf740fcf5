"""The demo's portal activity: an acknowledged order, an on-time ASN with a certificate, a late one with a
short lot, an open one; the late one shows on the supplier's data health."""

from datetime import UTC, datetime
from decimal import Decimal

from domain.asn.models import AdvanceShippingNotice, Arrival, AsnDifference, Certificate
from domain.health import services as health
from domain.purchasing import receipts
from lotline.demo.portal import seed_portal
from tests import factories


async def test_the_demo_seeds_asns_a_late_one_and_a_certificate(db, tmp_path):
    sku = await factories.make_sku(shelf_life_days=30)
    wh = await factories.make_warehouse()
    supplier = await factories.make_supplier()
    history = await factories.make_purchase_order(
        supplier, wh, sku, Decimal(5), unit="kg", unit_price=Decimal(9)
    )
    await receipts.goods_receipt_post(
        history.id,
        [
            receipts.ReceiptLineInput(
                history.line_id, Decimal(5), "OLD", wh.bins[0], production_date=factories.TODAY
            )
        ],
        factories.NOW,
    )
    now = datetime.now(UTC).replace(microsecond=0)

    seeded = await seed_portal(now, tmp_path, supplier.code)

    assert seeded is not None
    asns = {a.number: a for a in await AdvanceShippingNotice.filter(number__in=seeded.asns)}
    assert [asns[n].status for n in seeded.asns] == ["received", "received", "open"]
    late = asns[seeded.asns[1]]
    assert late.received_at.date() > late.expected_arrival.date()
    assert [(d.field, d.expected, d.received) for d in await AsnDifference.filter(asn_id=late.id)] == [
        ("quantity", "10", "9")
    ]
    cert = await Certificate.get(sha256=seeded.certificate_sha256, supplier_id=supplier.id)
    assert cert.event_id is not None
    assert (tmp_path / cert.sha256[:2] / cert.sha256).is_file()
    report = await health.report(now, 2, supplier.id)
    on_time = [v for v in report.values if v.key == "asn_on_time" and v.value is not None]
    assert on_time
    assert min(v.value for v in on_time) < Decimal(100)  # the late ASN counts against the supplier
    waits = [v for v in report.values if v.key == "arrival_receipt_hours" and v.value is not None]
    assert sorted(v.value for v in waits) in (
        [Decimal("1.0"), Decimal("6.0")],
        [Decimal("3.5")],
    )  # 1 week or 2
    assert await Arrival.filter(asn__number__in=seeded.asns).count() == 2
