"""Suggestion mutations: generate, update, approve, reject. Buyers everywhere; store managers their stores."""
# mypy: disable-error-code="untyped-decorator"

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.context import Info
from api.replenishment import suggestion_inputs as inputs
from api.replenishment.suggestion_types import ReplenishmentSuggestion, scope_of
from domain.common.errors import NotFound
from domain.inventory.models import Warehouse
from domain.partners.rules import Permission as Perm
from domain.replenishment import suggestions, weeks
from domain.replenishment.models import Suggestion


@strawberry.type
class ReplenishmentSuggestionList:
    suggestions: list[ReplenishmentSuggestion]


SuggestionResult = Annotated[
    ReplenishmentSuggestion | errors.AnyUserError, strawberry.union("ReplenishmentSuggestionResult")
]
SuggestionListResult = Annotated[
    ReplenishmentSuggestionList | errors.AnyUserError, strawberry.union("ReplenishmentSuggestionListResult")
]


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class SuggestionMutation:
    @strawberry.mutation(description="Computes this week's suggestions for a warehouse (updates drafts).")
    async def replenishment_suggestions_generate(
        self, info: Info, input: inputs.ReplenishmentSuggestionsGenerateInput
    ) -> SuggestionListResult:
        async def run() -> ReplenishmentSuggestionList:
            auth.require(info, Perm.PURCHASING_WRITE)
            scope = await scope_of(info)
            warehouse = await Warehouse.get_or_none(code=input.warehouse_code)
            if warehouse is None or (scope is not None and warehouse.id not in scope):
                raise NotFound("warehouse", input.warehouse_code, ("warehouseCode",))
            # LOTLINE_BUSINESS_TIME_ZONE arrives on another branch; until merged, the default zone.
            today = weeks.business_date(_now(), weeks.DEFAULT_TIME_ZONE)
            ids = await suggestions.suggestions_generate(warehouse.id, today)
            rows = await Suggestion.filter(id__in=ids).order_by("id")
            return ReplenishmentSuggestionList(
                suggestions=[ReplenishmentSuggestion.from_row(r) for r in rows]
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Edits a draft suggestion's quantity or supplier.")
    async def replenishment_suggestion_update(
        self, info: Info, input: inputs.ReplenishmentSuggestionUpdateInput
    ) -> SuggestionResult:
        async def run() -> ReplenishmentSuggestion:
            auth.require(info, Perm.PURCHASING_WRITE)
            row = await suggestions.suggestion_update(
                input.pk(), input.quantity, await scope_of(info), input.supplier_code
            )
            return ReplenishmentSuggestion.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation(description="Rejects a draft suggestion.")
    async def replenishment_suggestion_reject(
        self, info: Info, input: inputs.ReplenishmentSuggestionRejectInput
    ) -> SuggestionResult:
        async def run() -> ReplenishmentSuggestion:
            principal = auth.require(info, Perm.PURCHASING_WRITE)
            row = await suggestions.suggestion_reject(
                input.pk(), principal.user_id, _now(), await scope_of(info)
            )
            return ReplenishmentSuggestion.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation(
        description="Approves drafts: confirmed purchase orders, one per supplier × warehouse."
    )
    async def replenishment_suggestions_approve(
        self, info: Info, input: inputs.ReplenishmentSuggestionsApproveInput
    ) -> SuggestionListResult:
        async def run() -> ReplenishmentSuggestionList:
            principal = auth.require(info, Perm.PURCHASING_WRITE)
            rows = await suggestions.suggestions_approve(
                input.pks(), principal.user_id, _now(), await scope_of(info)
            )
            return ReplenishmentSuggestionList(
                suggestions=[ReplenishmentSuggestion.from_row(r) for r in rows]
            )

        return await errors.guard(run())
