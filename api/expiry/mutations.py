"""Expiry mutations: they translate, the services decide."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.expiry import inputs, types
from domain.common.errors import NotFound
from domain.expiry import decisions, services
from domain.inventory.models import Warehouse
from domain.partners.rules import Permission as Perm

ExpiryScanRunResult = Annotated[
    types.ExpiryScan | errors.AnyUserError, strawberry.union("ExpiryScanRunResult")
]
ExpiryPolicySetResult = Annotated[
    types.ExpiryPolicy | errors.AnyUserError, strawberry.union("ExpiryPolicySetResult")
]
PromotionProposalDecideResult = Annotated[
    types.PromotionProposal | errors.AnyUserError, strawberry.union("PromotionProposalDecideResult")
]
ExpiryAlertAcknowledgeResult = Annotated[
    types.ExpiryAlert | errors.AnyUserError, strawberry.union("ExpiryAlertAcknowledgeResult")
]


@strawberry.type
class ExpiryMutation:
    @strawberry.mutation(
        description="Runs the expiry scan now (the worker also runs it on a schedule): expires lots past "
        "their expiry date, raises alerts, proposes promotions. A second run the same day adds nothing."
    )
    async def expiry_scan_run(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> ExpiryScanRunResult:
        async def run() -> types.ExpiryScan:
            auth.require(info, Perm.INVENTORY_WRITE)
            wh = rl.maybe_id(warehouse_id, "Warehouse", ("warehouseId",))
            if wh is not None and not await Warehouse.exists(id=wh):
                raise NotFound("warehouse", warehouse_id, ("warehouseId",))
            return types.ExpiryScan.of(await services.expiry_scan(datetime.now(UTC), wh))

        return await errors.guard(run())

    @strawberry.mutation(description="Sets the days ahead of a SKU, a category, or the default.")
    async def expiry_policy_set(
        self, info: Info, input: inputs.ExpiryPolicySetInput
    ) -> ExpiryPolicySetResult:
        async def run() -> types.ExpiryPolicy:
            auth.require(info, Perm.CATALOG_WRITE)
            row = await decisions.expiry_policy_set(
                input.alert_days, input.promote_days, input.markdown, input.sku_code, input.category_code
            )
            return types.ExpiryPolicy.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation(
        description="A store manager accepts a promotion proposal (at its suggested markdown)."
    )
    async def promotion_proposal_accept(
        self, info: Info, input: inputs.PromotionProposalAcceptInput
    ) -> PromotionProposalDecideResult:
        async def run() -> types.PromotionProposal:
            principal = auth.require(info, Perm.PROMOTION_DECIDE)
            row = await decisions.promotion_proposal_decide(
                input.id(), True, principal.user_id, datetime.now(UTC), input.markdown, input.note
            )
            return types.PromotionProposal.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation(description="A store manager dismisses a promotion proposal.")
    async def promotion_proposal_dismiss(
        self, info: Info, input: inputs.PromotionProposalDismissInput
    ) -> PromotionProposalDecideResult:
        async def run() -> types.PromotionProposal:
            principal = auth.require(info, Perm.PROMOTION_DECIDE)
            row = await decisions.promotion_proposal_decide(
                input.id(), False, principal.user_id, datetime.now(UTC), None, input.note
            )
            return types.PromotionProposal.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation(description="Marks an expiry alert as seen; the lot's status is unchanged.")
    async def expiry_alert_acknowledge(
        self, info: Info, input: inputs.ExpiryAlertAcknowledgeInput
    ) -> ExpiryAlertAcknowledgeResult:
        async def run() -> types.ExpiryAlert:
            auth.require(info, Perm.INVENTORY_WRITE)
            return types.ExpiryAlert.from_row(await decisions.expiry_alert_acknowledge(input.id()))

        return await errors.guard(run())
