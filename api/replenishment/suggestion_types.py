# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Replenishment suggestion types: a suggested order line and the explanation it carries."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import auth, nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from domain.inventory.models import Warehouse
from domain.partners.models import Supplier
from domain.partners.rules import Permission as Perm
from domain.partners.rules import Role
from domain.replenishment import models, suggestions


def _dec(data: dict[str, Any], key: str) -> Decimal | None:
    value = data.get(key)
    return None if value is None else Decimal(str(value))


@strawberry.type(description="Why a line suggests what it does; quantities in base units.")
class SuggestionExplanation:
    forecast: Decimal | None = strawberry.field(description="Mean demand over lead time + review period.")
    safety_stock: Decimal | None
    order_up_to: Decimal | None
    on_hand: Decimal | None
    usable_on_hand: Decimal | None = strawberry.field(description="On hand that sells before best-before.")
    on_order: Decimal | None
    reserved: Decimal | None
    need: Decimal | None
    shelf_life_cap: Decimal | None
    room: Decimal | None
    capacity: Decimal | None
    min_quantity: Decimal | None
    pack_size: Decimal | None
    lead_time_days: int | None
    binding: str = strawberry.field(
        description="What set the quantity: no_need, forecast, shelf_life, room, capacity, pack_size, moq, "
        "moq_not_met."
    )
    forecast_source: str = strawberry.field(description="forecast_run or history_mean.")

    @classmethod
    def of(cls, d: dict[str, Any]) -> "SuggestionExplanation":
        keys = [
            *("forecast", "safety_stock", "order_up_to", "on_hand", "usable_on_hand", "on_order"),
            *("reserved", "need", "shelf_life_cap", "room", "capacity", "min_quantity", "pack_size"),
        ]
        return cls(
            **{k: _dec(d, k) for k in keys},
            lead_time_days=d.get("lead_time_days"),
            binding=str(d.get("binding", "")),
            forecast_source=str(d.get("forecast_source", "")),
        )


@strawberry.type(description="A replenishment suggestion (补货建议单行): one per SKU × warehouse × week.")
class ReplenishmentSuggestion(relay.Node):
    id: relay.NodeID[int]
    period_start: date = strawberry.field(description="Monday of the review week (business time zone).")
    status: str = strawberry.field(description="draft, approved or rejected.")
    suggested_quantity: Decimal = strawberry.field(description="What the rule suggests, base units.")
    quantity: Decimal = strawberry.field(description="What will be ordered (editable while draft).")
    unit_price: Decimal | None
    explanation: SuggestionExplanation
    purchase_order_id: relay.GlobalID | None
    decided_at: datetime | None
    updated_at: datetime
    sku_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]
    supplier_id: strawberry.Private[int | None]

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field(description="Warehouse (store) code.")
    async def warehouse_code(self, info: Info) -> str:
        code = await nodes.load_one(info, Warehouse, self.warehouse_id, lambda w: w.code)
        return code or ""

    @strawberry.field(description="Supplier code, null when no price list offers the SKU.")
    async def supplier_code(self, info: Info) -> str | None:
        return await nodes.load_one(info, Supplier, self.supplier_id, lambda s: s.code)

    @classmethod
    def from_row(cls, r: models.Suggestion) -> "ReplenishmentSuggestion":
        return cls(
            id=r.id,
            period_start=r.period_start,
            status=r.status,
            suggested_quantity=r.suggested_quantity,
            quantity=r.quantity,
            unit_price=r.unit_price,
            explanation=SuggestionExplanation.of(r.explanation),
            purchase_order_id=None
            if r.purchase_order_id is None
            else relay.GlobalID("PurchaseOrder", str(r.purchase_order_id)),
            decided_at=r.decided_at,
            updated_at=r.updated_at,
            sku_id=r.sku_id,
            warehouse_id=r.warehouse_id,
            supplier_id=r.supplier_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await nodes.load_nodes(info, node_ids, models.Suggestion, Perm.PURCHASING_READ, lambda r: r)
        scope = await scope_of(info)
        return [
            None if r is None or (scope is not None and r.warehouse_id not in scope) else cls.from_row(r)
            for r in found
        ]


async def scope_of(info: Info) -> set[int] | None:
    principal = auth.principal_of(info)
    return await suggestions.store_scope(principal.user_id, principal.role is Role.STORE_MANAGER)
