"""Property: for random lots and a random clock instant, one scan raises exactly what is due in the business
zone, nothing past its expiry stays available, and a second scan adds nothing (issue 10, kind 2)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.expiry import services
from domain.expiry.models import ExpiryAlert, PromotionProposal
from domain.inventory import availability
from domain.inventory.models import Batch
from tests.integration.expiry import expiring
from tests.integration.expiry.conftest import make_world

RECEIVED = datetime(2031, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 on March 1st in Shanghai
FIRST_DAY = date(2031, 3, 1)
offset = st.none() | st.integers(0, 12)  # days after the receipt day (a lot cannot arrive expired)
lot = st.tuples(st.integers(1, 40).map(lambda n: Decimal(n) / 4), offset, offset)


async def rows_of(sku_id: int) -> tuple[int, int]:
    return (
        await ExpiryAlert.filter(sku_id=sku_id).count(),
        await PromotionProposal.filter(sku_id=sku_id).count(),
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lots=st.lists(lot, min_size=1, max_size=5),
    minutes=st.integers(0, 10 * 24 * 60),  # the scan's clock: up to 10 days after the receipt
)
async def test_a_scan_raises_what_is_due_and_a_second_adds_nothing(db, lots, minutes):
    w = await make_world(alert_days=2, promote_days=3, markdown="0.2")
    batches = []
    for quantity, exp, bb in lots:
        expiry = None if exp is None else FIRST_DAY + timedelta(days=exp)
        best_before = None if bb is None else FIRST_DAY + timedelta(days=bb)
        batches.append(
            (await w.receive(str(quantity), expiry=expiry, best_before=best_before, at=RECEIVED), quantity)
        )
    now = RECEIVED + timedelta(minutes=minutes)
    today = now.astimezone(ZoneInfo("Asia/Shanghai")).date()  # computed here, not by the code under test
    try:
        first = await services.expiry_scan(now, w.wh.id)
        counts = (
            await ExpiryAlert.filter(sku_id=w.sku.id).count(),
            await PromotionProposal.filter(sku_id=w.sku.id).count(),
        )
        second = await services.expiry_scan(now, w.wh.id)

        assert first.day == today
        assert (second.batches_expired, second.alerts_raised, second.proposals_made) == (0, 0, 0)
        assert counts == (first.alerts_raised, first.proposals_made)
        assert (
            await ExpiryAlert.filter(sku_id=w.sku.id).count(),
            await PromotionProposal.filter(sku_id=w.sku.id).count(),
        ) == counts
        expected_alerts = set()
        expected_proposals = set()
        sellable = Decimal(0)
        for b, quantity in batches:
            expired = b.expiry_date is not None and b.expiry_date < today
            if b.expiry_date is not None and (b.expiry_date - today).days <= 2:
                expected_alerts.add((b.id, "expired" if expired else "near_expiry"))
            if not expired and b.best_before_date is not None and 0 <= (b.best_before_date - today).days <= 3:
                expected_proposals.add(b.id)
            assert (await Batch.get(id=b.id)).status == ("expired" if expired else "available")
            sellable += 0 if expired else quantity
        alerts = set(await ExpiryAlert.filter(sku_id=w.sku.id).values_list("batch_id", "kind"))
        proposals = set(await PromotionProposal.filter(sku_id=w.sku.id).values_list("batch_id", flat=True))
        assert alerts == expected_alerts
        assert proposals == expected_proposals
        figures = await availability.stock_figures(w.sku.id, w.wh.id, today)
        assert figures.available == sellable
        assert figures.expired == figures.on_hand - sellable
    finally:
        await expiring.retire_lots(w.sku.id)
