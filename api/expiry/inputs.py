"""Inputs of the expiry mutations."""

from decimal import Decimal

import strawberry

from api import relay as rl


@strawberry.input(description="Days ahead of a SKU, of a category, or (neither named) the default.")
class ExpiryPolicySetInput:
    alert_days: int = strawberry.field(description="Alert this many days before the expiry date (0–366).")
    promote_days: int = strawberry.field(description="Propose a promotion this many days before best-before.")
    markdown: Decimal = strawberry.field(description="Suggested markdown, a fraction: 0.3 = 30 % off.")
    sku_code: str | None = None
    category_code: str | None = None


@strawberry.input
class PromotionProposalAcceptInput:
    proposal_id: strawberry.ID
    markdown: Decimal | None = strawberry.field(default=None, description="Null: the suggested one.")
    note: str = ""

    def id(self) -> int:
        return rl.decode_id(self.proposal_id, "PromotionProposal", ("proposalId",))


@strawberry.input
class PromotionProposalDismissInput:
    proposal_id: strawberry.ID
    note: str = ""

    def id(self) -> int:
        return rl.decode_id(self.proposal_id, "PromotionProposal", ("proposalId",))


@strawberry.input
class ExpiryAlertAcknowledgeInput:
    alert_id: strawberry.ID

    def id(self) -> int:
        return rl.decode_id(self.alert_id, "ExpiryAlert", ("alertId",))
