"""Helpers for tests whose lots expire on fixed 2026 dates in the session's shared database."""

from datetime import UTC, datetime

from domain.inventory import rules
from domain.inventory import services as inventory
from domain.inventory.models import Batch

LATER = datetime(2027, 1, 1, tzinfo=UTC)


async def retire_lots(sku_id: int) -> None:
    """Moves the SKU's still-available lots to ``expired``, so a `lotline check` on the real clock (another
    test, later in the session or on a later day) never finds this test's lots stale."""
    for batch in await Batch.filter(sku_id=sku_id, status=rules.StockStatus.AVAILABLE):
        await inventory.set_batch_status(batch.id, rules.StockStatus.EXPIRED, LATER, "batch_expire")
