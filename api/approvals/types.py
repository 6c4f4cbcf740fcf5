"""Approval types: rules, requests with their steps and decisions."""

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from api.context import Info
from api.relay import encode_id
from domain.approvals import services, views

# The GraphQL type of each gated document, for the request's document ID (null: no such type, or not yet).
DOCUMENT_NODES = {"purchase_order": "PurchaseOrder", "supplier_bill": "SupplierBill"}


@strawberry.type
class ApprovalLevel:
    approver_role: str | None
    approver_user_id: int | None
    min_amount: Decimal = strawberry.field(description="The tier: this level applies from this amount up.")


@strawberry.type(
    description="审批规则: a condition (JSON Logic) over a document type's facts and its levels."
)
class ApprovalRule:
    id: strawberry.ID
    name: str
    document_type: str
    condition: JSON
    levels: list[ApprovalLevel]
    on_reject: str = strawberry.field(description="back_to_draft or cancel")
    active: bool

    @classmethod
    def of(cls, v: views.RuleView) -> "ApprovalRule":
        return cls(
            id=strawberry.ID(encode_id("ApprovalRule", v.id)),
            name=v.name,
            document_type=v.document_type,
            condition=JSON(v.condition),
            levels=[
                ApprovalLevel(
                    approver_role=lv.approver_role,
                    approver_user_id=lv.approver_user_id,
                    min_amount=lv.min_amount,
                )
                for lv in v.levels
            ],
            on_reject=v.on_reject,
            active=v.active,
        )


@strawberry.type
class ApprovalStep:
    level: int
    rule_id: strawberry.ID
    approver_role: str | None
    approver_user_id: int | None


@strawberry.type(description="Who approved or rejected a level, when and why.")
class ApprovalDecision:
    level: int
    username: str
    role: str
    verdict: str
    reason: str
    decided_at: datetime


@strawberry.type(description="A document waiting for (or done with) its approval steps.")
class ApprovalRequest:
    id: strawberry.ID
    document_type: str
    document_id: strawberry.ID | None
    status: str = strawberry.field(description="pending, approved, used, rejected or superseded")
    next_level: int | None = strawberry.field(description="The level waiting now; null when none waits.")
    facts: JSON = strawberry.field(description="The document's facts the rules were evaluated on.")
    steps: list[ApprovalStep]
    decisions: list[ApprovalDecision]
    requested_at: datetime

    @classmethod
    def of(cls, v: views.RequestView) -> "ApprovalRequest":
        node = DOCUMENT_NODES.get(v.document_type)
        return cls(
            id=strawberry.ID(encode_id("ApprovalRequest", v.id)),
            document_type=v.document_type,
            document_id=strawberry.ID(encode_id(node, v.document_id)) if node and v.document_id else None,
            status=v.status,
            next_level=v.next_level,
            facts=JSON(v.facts),
            steps=[
                ApprovalStep(
                    level=s.level,
                    rule_id=strawberry.ID(encode_id("ApprovalRule", s.rule_id)),
                    approver_role=s.approver_role,
                    approver_user_id=s.approver_user_id,
                )
                for s in v.steps
            ],
            decisions=[
                ApprovalDecision(
                    level=d.level,
                    username=d.username,
                    role=d.role,
                    verdict=d.verdict,
                    reason=d.reason,
                    decided_at=d.decided_at,
                )
                for d in v.decisions
            ],
            requested_at=v.requested_at,
        )


async def approval_of(info: Info, document_type: str, document_id: int) -> ApprovalRequest | None:
    """The document's latest approval request through the request's loader (one query per page)."""

    async def load(ids: list[int]) -> list[ApprovalRequest | None]:
        found = await services.state_for(document_type, ids)
        return [ApprovalRequest.of(found[i]) if i in found else None for i in ids]

    loader = info.context.loaders.get(("approval", document_type), lambda: DataLoader(load_fn=load))
    result: ApprovalRequest | None = await loader.load(document_id)
    return result
