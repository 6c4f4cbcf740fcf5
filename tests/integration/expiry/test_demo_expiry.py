"""The demo (SQLite, as `make run` loads it) shows expiry alerts and promotion proposals, nothing stale."""

from datetime import UTC, date, datetime
from decimal import Decimal

from tortoise.context import TortoiseContext

from domain.catalog.models import Sku
from domain.expiry import services
from domain.expiry.models import ExpiryAlert, PromotionProposal
from domain.inventory import availability
from domain.inventory.consistency import check_consistency
from domain.inventory.models import Warehouse
from lotline.demo.seed import seed_demo

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # 15:30 on Monday March 2nd in Shanghai


async def test_the_demo_has_near_dated_lots_with_alerts_and_proposals(sqlite_db: TortoiseContext) -> None:
    await seed_demo(NOW, weeks=2)

    chicken, wings = await Sku.get(code="MEA-004"), await Sku.get(code="MEA-005")
    # The two deliveries at seed time (lots L20260302-X1, -X2), besides what the history left near its dates.
    near = await ExpiryAlert.filter(sku_id=chicken.id, batch__lot_code="L20260302-X1")
    assert [(a.kind, a.expiry_date, a.days_left, Decimal(a.quantity)) for a in near] == [
        ("near_expiry", date(2026, 3, 4), 2, Decimal(30))
    ]
    assert await ExpiryAlert.filter(kind="near_expiry").count() > 1
    promo = await PromotionProposal.filter(sku_id=wings.id, batch__lot_code="L20260302-X2")
    assert [(p.days_left, Decimal(p.quantity), Decimal(p.suggested_markdown), p.status) for p in promo] == [
        (2, Decimal(40), Decimal("0.25"), "proposed")
    ]
    # The scan ran as the worker would: nothing past its expiry is left available, and a rerun adds nothing.
    assert await check_consistency(NOW) == []
    again = await services.expiry_scan(NOW)
    assert (again.batches_expired, again.alerts_raised, again.proposals_made) == (0, 0, 0)
    sh = await Warehouse.get(code="SH-DC")
    figures = await availability.stock_figures(wings.id, sh.id, date(2026, 3, 2))
    assert figures.available >= Decimal(40)
