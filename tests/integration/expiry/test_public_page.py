"""The public provenance page shows an expiry notice (public) and never a promotion markdown (internal)."""

from datetime import UTC, datetime, timedelta

import httpx

from api.app import create_app
from domain.common import business_time
from domain.expiry import services
from domain.expiry.models import PromotionProposal
from domain.provenance import services as provenance
from tests.integration.expiry import expiring
from tests.integration.expiry.conftest import make_world


async def test_a_lot_near_expiry_shows_a_notice_and_its_proposal_stays_private(db, pg_settings):
    # The page reads the real clock, so the lot's dates are set from it.
    now = datetime.now(UTC)
    today = business_time.business_today(now)
    w = await make_world(alert_days=3, promote_days=3, markdown="0.35")
    lot = await w.receive(
        "9", expiry=today + timedelta(days=2), best_before=today + timedelta(days=1), at=now
    )
    try:
        await services.expiry_scan(now, w.wh.id)
        assert await PromotionProposal.filter(batch_id=lot.id).count() == 1
        code = await provenance.public_code_for(lot.id)
        app = create_app(pg_settings, manage_database=False)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            page = (await client.get(f"/p/{code}")).text
    finally:
        await expiring.retire_lots(w.sku.id)

    use_by = (today + timedelta(days=2)).isoformat()
    assert f"临近保质期，请于 {use_by} 前食用。 Close to its expiry date: use by {use_by}." in page
    for private in ("0.35", "35 %", "35%", "markdown", "促销", "折"):
        assert private not in page
