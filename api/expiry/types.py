# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Expiry types: an alert or a proposal with the lot's stock on hand per location, a policy, a scan."""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.inventory.stock_types import StockOnHand
from api.inventory.types import Batch, batch_of
from api.scalars import Quantity, qty
from domain.catalog import models as catalog
from domain.common import business_time
from domain.expiry import models, services
from domain.inventory import models as inventory
from domain.inventory import rules as stock_rules
from domain.partners.models import User
from domain.partners.rules import Permission as Perm

_READ = Perm.INVENTORY_READ


async def _stock_of(batch_id: int) -> list[StockOnHand]:
    """The lot's owned stock on hand now, one row per location and status."""
    rows = (
        await inventory.StockQuant.filter(
            batch_id=batch_id, quantity__gt=0, location__kind__in=list(stock_rules.OWNED_KINDS)
        )
        .order_by("id")
        .select_related(*StockOnHand.RELATED)
    )
    today = business_time.business_today(datetime.now(UTC))
    return [StockOnHand.from_row(r, today) for r in rows]


@strawberry.interface(description="What an expiry action is about: a lot, its SKU and where its stock is.")
class LotAction:
    batch_id: strawberry.Private[int]
    sku_id: strawberry.Private[int]
    base_quantity: strawberry.Private[Decimal]

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field(description="On hand when it was raised, in the SKU's base unit.")
    async def quantity(self, info: Info) -> Quantity:
        return qty(self.base_quantity, (await sku_of(info, self.sku_id)).base_unit)

    @strawberry.field(description="The lot's stock on hand now, per location and status: where it is.")
    async def stock(self) -> list[StockOnHand]:
        return await _stock_of(self.batch_id)


@strawberry.type(
    description="临期预警: a lot within N days of its expiry date (near_expiry), or past it (expired)."
)
class ExpiryAlert(LotAction, relay.Node):
    id: relay.NodeID[int]
    kind: str = strawberry.field(description="near_expiry or expired (blocked from sale; write it off).")
    expiry_date: date
    raised_on: date = strawberry.field(description="Business date of the scan that raised it.")
    days_left: int = strawberry.field(description="Expiry date minus raisedOn (negative once expired).")
    status: str = strawberry.field(description="open or acknowledged.")
    created_at: datetime

    @classmethod
    def from_row(cls, r: models.ExpiryAlert) -> "ExpiryAlert":
        return cls(
            id=r.id,
            kind=r.kind,
            expiry_date=r.expiry_date,
            raised_on=r.raised_on,
            days_left=r.days_left,
            status=r.status,
            created_at=r.created_at,
            batch_id=r.batch_id,
            sku_id=r.sku_id,
            base_quantity=Decimal(r.quantity),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.ExpiryAlert, _READ, cls.from_row)


@strawberry.type(
    description="促销建议: a suggested markdown for a lot near its best-before date, for a store manager to "
    "accept or dismiss. Internal: never on the public provenance page."
)
class PromotionProposal(LotAction, relay.Node):
    id: relay.NodeID[int]
    best_before_date: date
    proposed_on: date
    days_left: int = strawberry.field(description="Best-before date minus proposedOn.")
    suggested_markdown: Decimal = strawberry.field(description="Fraction of the price off: 0.3 = 30 %.")
    status: str = strawberry.field(description="proposed, accepted or dismissed.")
    markdown: Decimal | None = strawberry.field(description="As accepted (null unless accepted).")
    decided_at: datetime | None
    note: str
    created_at: datetime
    decided_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Who accepted or dismissed it (username).")
    async def decided_by(self, info: Info) -> str | None:
        return await nodes.load_one(info, User, self.decided_by_id, lambda u: u.username)

    @classmethod
    def from_row(cls, r: models.PromotionProposal) -> "PromotionProposal":
        return cls(
            id=r.id,
            best_before_date=r.best_before_date,
            proposed_on=r.proposed_on,
            days_left=r.days_left,
            suggested_markdown=Decimal(r.suggested_markdown),
            status=r.status,
            markdown=None if r.markdown is None else Decimal(r.markdown),
            decided_at=r.decided_at,
            note=r.note,
            created_at=r.created_at,
            decided_by_id=r.decided_by_id,
            batch_id=r.batch_id,
            sku_id=r.sku_id,
            base_quantity=Decimal(r.quantity),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.PromotionProposal, _READ, cls.from_row)


@strawberry.type(description="How many days ahead to act: of a SKU, of a category, or the default.")
class ExpiryPolicy(relay.Node):
    id: relay.NodeID[int]
    alert_days: int
    promote_days: int
    markdown: Decimal
    sku_id: strawberry.Private[int | None]
    category_id: strawberry.Private[int | None]

    @strawberry.field(description="The SKU it is for (null: a category's or the default).")
    async def sku(self, info: Info) -> Sku | None:
        return None if self.sku_id is None else await sku_of(info, self.sku_id)

    @strawberry.field(description="Code of the category it is for (null: a SKU's or the default).")
    async def category_code(self, info: Info) -> str | None:
        return await nodes.load_one(info, catalog.Category, self.category_id, lambda c: c.code)

    @classmethod
    def from_row(cls, r: models.ExpiryPolicy) -> "ExpiryPolicy":
        return cls(
            id=r.id,
            alert_days=r.alert_days,
            promote_days=r.promote_days,
            markdown=Decimal(r.markdown),
            sku_id=r.sku_id,
            category_id=r.category_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.ExpiryPolicy, _READ, cls.from_row)


@strawberry.type(description="What one expiry scan did (a second scan on the same day adds nothing).")
class ExpiryScan:
    day: date = strawberry.field(description="The business day scanned.")
    batches_expired: int
    alerts_raised: int
    proposals_made: int

    @classmethod
    def of(cls, r: services.ScanResult) -> "ExpiryScan":
        return cls(
            day=r.day,
            batches_expired=r.batches_expired,
            alerts_raised=r.alerts_raised,
            proposals_made=r.proposals_made,
        )
