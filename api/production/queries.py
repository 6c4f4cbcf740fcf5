"""Production queries: BOMs and their explosion, production orders, substitute candidates."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from decimal import Decimal

import strawberry

from api import auth, enums
from api import relay as rl
from api.context import Info
from api.production import types
from domain.catalog.models import Sku
from domain.partners.rules import Permission as Perm
from domain.production import boms, orders
from domain.production import models as production

_CATALOG = [auth.needs(Perm.CATALOG_READ)]
_READ = [auth.needs(Perm.INVENTORY_READ)]


@strawberry.type
class ProductionQuery:
    @strawberry.field(permission_classes=_CATALOG, description="The active BOM of a SKU (null when none).")
    async def bom(self, info: Info, sku_code: str) -> types.Bom | None:
        sku = await Sku.get_or_none(code=sku_code)
        row = await production.Bom.get_or_none(sku_id=sku.id, active=True) if sku else None
        return None if row is None else types.Bom.from_row(row)

    @strawberry.field(
        permission_classes=_CATALOG,
        description="Purchased materials needed for a quantity of a SKU through every BOM level (yield and "
        "scrap included), by SKU code.",
    )
    async def bom_explosion(
        self, info: Info, sku_code: str, quantity: Decimal
    ) -> list[types.MaterialRequirement]:
        found = await boms.bom_explode(sku_code, quantity)
        return [types.MaterialRequirement(sku_code=c, quantity=q) for c, q in sorted(found.items())]

    @strawberry.field(permission_classes=_READ, description="Production orders, newest first.")
    async def production_orders(
        self,
        info: Info,
        status: enums.ProductionOrderStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[types.ProductionOrder]:
        query = production.ProductionOrder.all()
        if status is not None:
            query = query.filter(status=status.value)
        return await rl.paginate(query.order_by("-id"), first, after, types.ProductionOrder.from_row)

    @strawberry.field(
        permission_classes=_READ,
        description="Ranked substitutes for one component of an order, for what is left to make: eligible "
        "first, each with its route, quality and cost scores and an explanation.",
    )
    async def substitute_candidates(
        self, info: Info, order_id: strawberry.ID, bom_line_id: strawberry.ID
    ) -> list[types.SubstituteCandidate]:
        oid = rl.decode_id(order_id, "ProductionOrder", ("orderId",))
        lid = rl.decode_id(bom_line_id, "BomLine", ("bomLineId",))
        ranked = await orders.substitute_candidates(oid, lid, datetime.now(UTC))
        return [types.SubstituteCandidate.of(s) for s in ranked]
