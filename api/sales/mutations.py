"""Sales mutations: the order lifecycle, shipments and customer returns."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.context import Info
from api.customfields.types import given
from api.nodes import Posted
from api.purchasing.inputs import order_lines
from api.sales import inputs
from domain.partners.rules import Permission as Perm
from domain.sales import returns, services, shipments

SalesOrderCreateResult = Annotated[Posted | errors.AnyUserError, strawberry.union("SalesOrderCreateResult")]
SalesOrderConfirmResult = Annotated[Posted | errors.AnyUserError, strawberry.union("SalesOrderConfirmResult")]
SalesOrderCancelResult = Annotated[Posted | errors.AnyUserError, strawberry.union("SalesOrderCancelResult")]
SalesOrderCloseResult = Annotated[Posted | errors.AnyUserError, strawberry.union("SalesOrderCloseResult")]
ShipmentPostResult = Annotated[Posted | errors.AnyUserError, strawberry.union("ShipmentPostResult")]
CustomerReturnPostResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("CustomerReturnPostResult")
]


@strawberry.type
class SalesMutation:
    @strawberry.mutation
    async def sales_order_create(
        self, info: Info, input: inputs.SalesOrderCreateInput
    ) -> SalesOrderCreateResult:
        async def run() -> Posted:
            auth.require(info, Perm.SALES_WRITE)
            posted = await services.sales_order_create(
                input.customer_code,
                input.warehouse_code,
                order_lines(input.lines),
                input.requested_date,
                input.note,
                key=auth.client_key(info, input.idempotency_key),
                channel_code=input.channel_code,
                custom=given(input.custom_fields),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def sales_order_confirm(
        self, info: Info, input: inputs.SalesOrderActionInput
    ) -> SalesOrderConfirmResult:
        async def run() -> Posted:
            auth.require(info, Perm.SALES_WRITE)
            order_id = inputs.order_id(input.sales_order_id)
            now = datetime.now(UTC)
            return Posted.of(
                await services.sales_order_confirm(
                    order_id, now, key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def sales_order_cancel(
        self, info: Info, input: inputs.SalesOrderActionInput
    ) -> SalesOrderCancelResult:
        async def run() -> Posted:
            auth.require(info, Perm.SALES_WRITE)
            order_id = inputs.order_id(input.sales_order_id)
            return Posted.of(
                await services.sales_order_cancel(order_id, key=auth.client_key(info, input.idempotency_key))
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def sales_order_close(
        self, info: Info, input: inputs.SalesOrderActionInput
    ) -> SalesOrderCloseResult:
        async def run() -> Posted:
            auth.require(info, Perm.SALES_WRITE)
            order_id = inputs.order_id(input.sales_order_id)
            return Posted.of(
                await services.sales_order_close(order_id, key=auth.client_key(info, input.idempotency_key))
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def shipment_post(self, info: Info, input: inputs.ShipmentPostInput) -> ShipmentPostResult:
        async def run() -> Posted:
            principal = auth.require(info, Perm.SHIPPING)
            posted = await shipments.shipment_post(
                inputs.order_id(input.sales_order_id),
                input.to_domain(),
                datetime.now(UTC),
                key=auth.client_key(info, input.idempotency_key),
                posted_by_id=principal.user_id,
                sensor_readings=input.domain_readings(),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def customer_return_post(
        self, info: Info, input: inputs.CustomerReturnPostInput
    ) -> CustomerReturnPostResult:
        async def run() -> Posted:
            auth.require(info, Perm.SHIPPING)
            posted = await returns.customer_return_post(
                inputs.order_id(input.sales_order_id),
                input.to_domain(),
                datetime.now(UTC),
                input.reason,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())
