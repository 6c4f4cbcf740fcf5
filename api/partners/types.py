"""Partner types: suppliers and customers."""

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.context import Info
from domain.partners import models
from domain.partners.rules import Permission as Perm


async def _own_supplier(info: Info, row: models.Supplier, supplier_id: int) -> bool:
    return row.id == supplier_id


@strawberry.type
class Supplier(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    contact: str
    gln: str | None
    lead_time_days: int
    active: bool
    payment_terms: JSON | None = strawberry.field(default=None, description="See paymentTermsSet.")
    custom_fields: JSON = strawberry.field(default_factory=dict, description="Custom field values by key.")

    @classmethod
    def from_row(cls, r: models.Supplier) -> "Supplier":
        return cls(
            id=r.id,
            code=r.code,
            name=r.name,
            contact=r.contact,
            gln=r.gln,
            lead_time_days=r.lead_time_days,
            active=r.active,
            payment_terms=None if r.payment_terms is None else JSON(r.payment_terms),
            custom_fields=JSON(dict(r.custom or {})),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        # A supplier user may look itself up, and nobody else.
        return await nodes.load_nodes(
            info,
            node_ids,
            models.Supplier,
            Perm.PURCHASING_READ,
            cls.from_row,
            supplier_ok=True,
            visible=_own_supplier,
        )


@strawberry.type
class Customer(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    contact: str
    gln: str | None
    active: bool
    payment_terms: JSON | None = strawberry.field(default=None, description="See paymentTermsSet.")
    custom_fields: JSON = strawberry.field(default_factory=dict, description="Custom field values by key.")

    @classmethod
    def from_row(cls, r: models.Customer) -> "Customer":
        return cls(
            id=r.id,
            code=r.code,
            name=r.name,
            contact=r.contact,
            gln=r.gln,
            active=r.active,
            payment_terms=None if r.payment_terms is None else JSON(r.payment_terms),
            custom_fields=JSON(dict(r.custom or {})),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Customer, Perm.SALES_READ, cls.from_row)
