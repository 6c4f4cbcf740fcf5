"""Purchasing mutations: the order lifecycle, goods receipts and returns to supplier."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.context import Info
from api.customfields.types import given
from api.nodes import Posted
from api.purchasing import inputs
from domain.partners.rules import Permission as Perm
from domain.purchasing import receipts, returns, services

PurchaseOrderCreateResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("PurchaseOrderCreateResult")
]
PurchaseOrderConfirmResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("PurchaseOrderConfirmResult")
]
PurchaseOrderCancelResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("PurchaseOrderCancelResult")
]
PurchaseOrderCloseResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("PurchaseOrderCloseResult")
]
GoodsReceiptPostResult = Annotated[Posted | errors.AnyUserError, strawberry.union("GoodsReceiptPostResult")]
SupplierReturnPostResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("SupplierReturnPostResult")
]


@strawberry.type
class PurchasingMutation:
    @strawberry.mutation
    async def purchase_order_create(
        self, info: Info, input: inputs.PurchaseOrderCreateInput
    ) -> PurchaseOrderCreateResult:
        async def run() -> Posted:
            auth.require(info, Perm.PURCHASING_WRITE)
            posted = await services.purchase_order_create(
                input.supplier_code,
                input.warehouse_code,
                inputs.order_lines(input.lines),
                input.expected_date,
                input.note,
                key=auth.client_key(info, input.idempotency_key),
                payment_terms_days=input.payment_terms_days,
                custom=given(input.custom_fields),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def purchase_order_confirm(
        self, info: Info, input: inputs.PurchaseOrderActionInput
    ) -> PurchaseOrderConfirmResult:
        async def run() -> Posted:
            principal = auth.require(info, Perm.PURCHASING_WRITE)
            now = datetime.now(UTC)
            return Posted.of(
                await services.purchase_order_confirm(
                    input.order_id(),
                    now,
                    key=auth.client_key(info, input.idempotency_key),
                    requested_by_id=principal.user_id,
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def purchase_order_cancel(
        self, info: Info, input: inputs.PurchaseOrderActionInput
    ) -> PurchaseOrderCancelResult:
        async def run() -> Posted:
            auth.require(info, Perm.PURCHASING_WRITE)
            return Posted.of(
                await services.purchase_order_cancel(
                    input.order_id(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def purchase_order_close(
        self, info: Info, input: inputs.PurchaseOrderActionInput
    ) -> PurchaseOrderCloseResult:
        async def run() -> Posted:
            auth.require(info, Perm.PURCHASING_WRITE)
            return Posted.of(
                await services.purchase_order_close(
                    input.order_id(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def goods_receipt_post(
        self, info: Info, input: inputs.GoodsReceiptPostInput
    ) -> GoodsReceiptPostResult:
        async def run() -> Posted:
            principal = auth.require(info, Perm.RECEIVING)
            order_id = inputs.order_id(input.purchase_order_id)
            posted = await receipts.goods_receipt_post(
                order_id,
                input.to_domain(),
                datetime.now(UTC),
                key=auth.client_key(info, input.idempotency_key),
                posted_by_id=principal.user_id,
                sensor_readings=input.domain_readings(),
                custom=given(input.custom_fields),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def supplier_return_post(
        self, info: Info, input: inputs.SupplierReturnPostInput
    ) -> SupplierReturnPostResult:
        async def run() -> Posted:
            auth.require(info, Perm.RECEIVING)
            order_id = inputs.order_id(input.purchase_order_id)
            posted = await returns.supplier_return_post(
                order_id,
                input.to_domain(),
                datetime.now(UTC),
                input.reason,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())
