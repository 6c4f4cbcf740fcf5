# strawberry.mutation(description=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""ASN mutations. Suppliers act for their own supplier only (another supplier's order is ``NotFound``);
buyers may act on a supplier's behalf; receiving from an ASN is the warehouse's (``receiving``)."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.asn import inputs
from api.context import Info
from api.customfields.types import given
from api.nodes import Posted
from api.purchasing.inputs import order_id
from domain.asn import receiving, services
from domain.common.errors import Forbidden
from domain.partners.rules import Permission as Perm
from domain.partners.services import Principal

AsnCreateResult = Annotated[Posted | errors.AnyUserError, strawberry.union("AsnCreateResult")]
PurchaseOrderAcknowledgeResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("PurchaseOrderAcknowledgeResult")
]
GoodsReceiptPostFromAsnResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("GoodsReceiptPostFromAsnResult")
]


def require_collaboration(info: Info) -> tuple[Principal, int | None]:
    """The caller and its supplier scope, if it may act for a supplier; else the ``Forbidden`` member."""
    principal = auth.principal_of(info)
    if not auth.allowed(principal, Perm.SUPPLIER_COLLABORATION, supplier_ok=True):
        raise Forbidden(f"the {principal.role.value} role lacks {Perm.SUPPLIER_COLLABORATION.value}")
    return principal, auth.supplier_scope(info)


@strawberry.type
class AsnMutation:
    @strawberry.mutation(description="到货通知: announce lots arriving against a purchase order.")
    async def asn_create(self, info: Info, input: inputs.AsnCreateInput) -> AsnCreateResult:
        async def run() -> Posted:
            principal, scope = require_collaboration(info)
            posted = await services.asn_create(
                order_id(input.purchase_order_id),
                input.expected_arrival,
                input.to_domain(),
                datetime.now(UTC),
                supplier_id=scope,
                sensor_readings=input.domain_readings(),
                note=input.note,
                by_user_id=principal.user_id,
                key=auth.client_key(info, input.idempotency_key),
                custom=given(input.custom_fields),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation(description="Accept (promised date and quantity) or decline each order line.")
    async def purchase_order_acknowledge(
        self, info: Info, input: inputs.PurchaseOrderAcknowledgeInput
    ) -> PurchaseOrderAcknowledgeResult:
        async def run() -> Posted:
            principal, scope = require_collaboration(info)
            posted = await services.purchase_order_acknowledge(
                order_id(input.purchase_order_id),
                input.to_domain(),
                datetime.now(UTC),
                supplier_id=scope,
                by_user_id=principal.user_id,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation(
        description="Post the goods receipt of an ASN, pre-filled; differences are recorded."
    )
    async def goods_receipt_post_from_asn(
        self, info: Info, input: inputs.GoodsReceiptPostFromAsnInput
    ) -> GoodsReceiptPostFromAsnResult:
        async def run() -> Posted:
            principal = auth.require(info, Perm.RECEIVING)
            posted = await receiving.goods_receipt_post_from_asn(
                input.asn(),
                input.location_code,
                datetime.now(UTC),
                input.to_domain(),
                posted_by_id=principal.user_id,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())
