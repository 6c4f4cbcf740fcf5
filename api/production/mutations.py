"""Production mutations: they translate, the services decide."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.nodes import Posted
from api.production import inputs
from domain.partners.rules import Permission as Perm
from domain.production import boms, completion, orders

BomDefineResult = Annotated[Posted | errors.AnyUserError, strawberry.union("BomDefineResult")]
ProductionOrderPlanResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("ProductionOrderPlanResult")
]
ProductionOrderReleaseResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("ProductionOrderReleaseResult")
]
ProductionOrderCompleteResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("ProductionOrderCompleteResult")
]
ProductionOrderCloseResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("ProductionOrderCloseResult")
]


@strawberry.type(description="A definition saved (item group, material qualification): what it is now.")
class Defined:
    code: str
    count: int = strawberry.field(description="Members of the group, or pieces of equipment qualified.")


DefineResult = Annotated[Defined | errors.AnyUserError, strawberry.union("ProductionDefineResult")]


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class ProductionMutation:
    @strawberry.mutation(
        description="Saves the next version of a SKU's BOM (lines, by-products, substitutes, routing)."
    )
    async def bom_define(self, info: Info, input: inputs.BomDefineInput) -> BomDefineResult:
        async def run() -> Posted:
            auth.require(info, Perm.CATALOG_WRITE)
            return Posted.of(
                await boms.bom_define(
                    input.sku_code,
                    input.domain_lines(),
                    input.domain_operations(),
                    input.yield_rate,
                    input.note,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Creates or replaces an item group (interchangeable materials).")
    async def item_group_define(self, info: Info, input: inputs.ItemGroupDefineInput) -> DefineResult:
        async def run() -> Defined:
            auth.require(info, Perm.CATALOG_WRITE)
            members = input.domain_members()
            await boms.item_group_define(input.code, input.name, members)
            return Defined(code=input.code, count=len(members))

        return await errors.guard(run())

    @strawberry.mutation(description="Qualifies a material for an operation on the listed equipment.")
    async def material_process_set(self, info: Info, input: inputs.MaterialProcessSetInput) -> DefineResult:
        async def run() -> Defined:
            auth.require(info, Perm.CATALOG_WRITE)
            rl.cap_lines(input.equipment, ("equipment",))
            await boms.material_process_set(input.sku_code, input.operation_code, input.equipment)
            return Defined(code=input.operation_code, count=len(set(input.equipment)))

        return await errors.guard(run())

    @strawberry.mutation(description="Plans a production order from the SKU's active BOM.")
    async def production_order_plan(
        self, info: Info, input: inputs.ProductionOrderPlanInput
    ) -> ProductionOrderPlanResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            return Posted.of(
                await orders.production_order_plan(
                    input.sku_code,
                    input.warehouse_code,
                    input.quantity,
                    input.planned_date,
                    _now(),
                    input.note,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(
        description="Releases a planned order; a short component needs a substitute, which must be eligible."
    )
    async def production_order_release(
        self, info: Info, input: inputs.ProductionOrderReleaseInput
    ) -> ProductionOrderReleaseResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            order_id = rl.decode_id(input.order_id, "ProductionOrder", ("orderId",))
            return Posted.of(
                await orders.production_order_release(
                    order_id,
                    input.domain_substitutions(),
                    _now(),
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(
        description="Reports a completion: consumes components (FEFO or named lots), makes the output lot "
        "and by-products, books the cost through WIP and records the TransformationEvent."
    )
    async def production_order_complete(
        self, info: Info, input: inputs.ProductionOrderCompleteInput
    ) -> ProductionOrderCompleteResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            order_id = rl.decode_id(input.order_id, "ProductionOrder", ("orderId",))
            return Posted.of(
                await completion.production_order_complete(
                    order_id,
                    input.good_quantity,
                    input.lot_code,
                    input.location_code,
                    _now(),
                    scrap_quantity=input.scrap_quantity,
                    named_lots=input.domain_named_lots(),
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Closes a released or producing order: no more completions.")
    async def production_order_close(
        self, info: Info, input: inputs.ProductionOrderCloseInput
    ) -> ProductionOrderCloseResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            order_id = rl.decode_id(input.order_id, "ProductionOrder", ("orderId",))
            return Posted.of(
                await orders.production_order_close(
                    order_id, _now(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())
