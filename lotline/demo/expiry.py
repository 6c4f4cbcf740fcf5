"""Demo expiry actions: policies, two fresh deliveries whose dates are near, and the first expiry scan.

After the history (``seed.py``) the demo's Shanghai DC receives, at seed time:
- chilled chicken breast (MEA-004) expiring the day after tomorrow: a near-expiry alert (临期预警);
- frozen chicken mid-wings (MEA-005), the seed's frozen-food case, legal expiry months away but best before
  the day after tomorrow: a promotion proposal (促销建议) for the store manager.
Then the scan runs as the worker would: lots of the history past their expiry date become ``expired`` (so
``lotline check`` finds nothing stale), and lots of the history near their dates get alerts and proposals too.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from domain.catalog.services import OrderLineInput
from domain.common import business_time
from domain.expiry import decisions, services
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from lotline.demo.state import SeedState

log = logging.getLogger(__name__)

WAREHOUSE = "SH-DC"
SUPPLIER = "SUP-MEAT"
# (SKU, boxes, price per box, bin, days to expiry, days to best-before)
DELIVERIES = (
    ("MEA-004", Decimal(3), Decimal("145.00"), "SH-DC-CLD-A1-01", 2, 1),
    ("MEA-005", Decimal(4), Decimal("290.00"), "SH-DC-FRZ-A1-01", 200, 2),
)


async def seed_expiry(s: SeedState) -> None:
    """Loads the demo's expiry policies and near-dated lots at the seed's ``now``, then runs the scan."""
    now = s.now
    today = business_time.business_today(now)
    await decisions.expiry_policy_set(3, 7, Decimal("0.30"))  # the default
    await decisions.expiry_policy_set(2, 5, Decimal("0.25"), category_code="MEAT")
    await decisions.expiry_policy_set(5, 3, Decimal("0.20"), category_code="DAIRY")
    po = await purchasing.purchase_order_create(
        SUPPLIER,
        WAREHOUSE,
        [OrderLineInput(sku, boxes, "box", price) for sku, boxes, price, *_ in DELIVERIES],
        expected_date=today,
        note="演示：临期与促销 demo: near-dated lots",
    )
    await purchasing.purchase_order_confirm(po.document_id, now - timedelta(hours=2))
    lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
    await receipts.goods_receipt_post(
        po.document_id,
        [
            receipts.ReceiptLineInput(
                line.id,
                boxes,
                f"L{today:%Y%m%d}-X{i + 1}",
                bin_code,
                expiry_date=today + timedelta(days=to_expiry),
                best_before_date=today + timedelta(days=to_best_before),
            )
            for i, (line, (_, boxes, _, bin_code, to_expiry, to_best_before)) in enumerate(
                zip(lines, DELIVERIES, strict=True)
            )
        ],
        now - timedelta(hours=1),
    )
    scan = await services.expiry_scan(now)
    log.info(
        "demo expiry scan: %d lots expired, %d alerts, %d promotion proposals",
        scan.batches_expired,
        scan.alerts_raised,
        scan.proposals_made,
    )
    s.summary.receipts += 1
