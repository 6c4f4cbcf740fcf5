"""Approval inputs: a rule's condition as JSON Logic text, levels by role or username."""

import json
from decimal import Decimal
from typing import Any

import strawberry

from api import relay as rl
from domain.common.errors import ValidationError


@strawberry.input
class ApprovalLevelInput:
    approver_role: str | None = strawberry.field(default=None, description="A role: admin, finance, buyer…")
    approver_username: str | None = strawberry.field(default=None, description="Or one user, by username.")
    min_amount: Decimal = strawberry.field(default=Decimal(0), description="Applies from this amount up.")


@strawberry.input
class ApprovalRuleCreateInput:
    name: str
    document_type: str = strawberry.field(
        description="purchase_order, supplier_bill, payment, write_off (more types as they gain a gate)"
    )
    condition: str = strawberry.field(
        description='JSON Logic, e.g. {">": [{"var": "payment_terms_days"}, 90]}'
    )
    levels: list[ApprovalLevelInput]
    on_reject: str = "back_to_draft"
    active: bool = True


@strawberry.input
class ApprovalRuleUpdateInput(ApprovalRuleCreateInput):
    rule_id: strawberry.ID


@strawberry.input
class ApprovalRuleDeleteInput:
    rule_id: strawberry.ID


@strawberry.input
class ApprovalDecideInput:
    request_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None


def condition(text: str) -> Any:
    """The condition's JSON text parsed. Fractions stay floats in storage (JSON); the evaluator reads each
    through its shortest repr (``str(100000.01)``), so the decimal the author wrote is the one compared."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"condition is not JSON: {exc}", ("condition",)) from None
    except RecursionError:  # "[[[[…" 4,000 deep: deeper than any condition may be (logic.MAX_DEPTH)
        raise ValidationError("condition is nested too deep", ("condition",)) from None


def rule_id(value: strawberry.ID) -> int:
    return rl.decode_id(value, "ApprovalRule", ("ruleId",))


def request_id(value: strawberry.ID) -> int:
    return rl.decode_id(value, "ApprovalRequest", ("requestId",))
