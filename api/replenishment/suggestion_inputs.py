"""Inputs of the suggestion mutations."""

from decimal import Decimal

import strawberry

from api import relay as rl


@strawberry.input
class ReplenishmentSuggestionsGenerateInput:
    warehouse_code: str


@strawberry.input(description="Change a draft's quantity (base units) and maybe its supplier.")
class ReplenishmentSuggestionUpdateInput:
    id: strawberry.ID
    quantity: Decimal
    supplier_code: str | None = None

    def pk(self) -> int:
        return rl.decode_id(self.id, "ReplenishmentSuggestion", ("id",))


@strawberry.input
class ReplenishmentSuggestionRejectInput:
    id: strawberry.ID

    def pk(self) -> int:
        return rl.decode_id(self.id, "ReplenishmentSuggestion", ("id",))


@strawberry.input(description="Drafts to turn into confirmed purchase orders, one per supplier × warehouse.")
class ReplenishmentSuggestionsApproveInput:
    ids: list[strawberry.ID]

    def pks(self) -> list[int]:
        rl.cap_lines(self.ids, ("ids",))
        return [rl.decode_id(v, "ReplenishmentSuggestion", ("ids", str(i))) for i, v in enumerate(self.ids)]
