"""Approval rules as data, evaluated purely: which approval steps a document needs and who may take the next.

A rule names a document type, a JSON Logic condition over the document's facts (``logic``), one or more
levels (an approver role or one user, from an amount upwards: the tiers) and what a rejection does. A
document that matches rules must pass every required step of every matching rule, in order; each step is
taken by a different person, never by the one who asked (self-approval is forbidden), so tiered multi-level
approval blocks until the last level (ERPNext's known failure is letting a lower tier's approval through).
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.approvals import logic
from domain.common.errors import Forbidden, ValidationError


class DocumentType(StrEnum):
    PURCHASE_ORDER = "purchase_order"
    SUPPLIER_BILL = "supplier_bill"  # a bill beyond the matching tolerance
    PAYMENT = "payment"
    WRITE_OFF = "write_off"  # destruction of rejected or expired stock
    REPLENISHMENT_SUGGESTION = "replenishment_suggestion"
    PRICE_LIST_CHANGE = "price_list_change"


class OnReject(StrEnum):
    BACK_TO_DRAFT = "back_to_draft"  # the document stays a draft; confirming again asks again
    CANCEL = "cancel"  # the document is cancelled (where it exists; a prospective payment is just refused)


class Verdict(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


MAX_LEVELS = 9


@dataclass(frozen=True)
class Level:
    """One approval level: a role or one user (exactly one), from ``min_amount`` upwards (the tier)."""

    approver_role: str | None = None
    approver_user_id: int | None = None
    min_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    document_type: DocumentType
    condition: Any  # JSON Logic
    levels: tuple[Level, ...]
    on_reject: OnReject = OnReject.BACK_TO_DRAFT


@dataclass(frozen=True)
class Step:
    """A required approval: the rule it comes from, its level (1-based) and who may take it."""

    rule_id: int
    level: int
    approver_role: str | None
    approver_user_id: int | None


@dataclass(frozen=True)
class Decision:
    step: int  # index into the request's steps
    user_id: int
    verdict: Verdict


def check_rule(condition: Any, levels: Sequence[Level], roles: frozenset[str]) -> None:
    """Validates a rule before it is stored. Raises ``ValidationError`` with the input path: a malformed
    condition (``condition``), no level or more than 9 (``levels``), a level naming both or neither of a
    role and a user, an unknown role, a negative amount, or tiers that go down (``levels.N.…``)."""
    try:
        logic.check(condition)
    except logic.LogicError as exc:
        raise ValidationError(f"condition: {exc}", ("condition",)) from exc
    if not 1 <= len(levels) <= MAX_LEVELS:
        raise ValidationError(f"a rule has 1 to {MAX_LEVELS} levels", ("levels",))
    previous = Decimal(0)
    for i, lv in enumerate(levels):
        path = ("levels", str(i))
        if (lv.approver_role is None) == (lv.approver_user_id is None):
            raise ValidationError("a level names either an approver role or an approver user", path)
        if lv.approver_role is not None and lv.approver_role not in roles:
            raise ValidationError(f"unknown role {lv.approver_role!r}", (*path, "approverRole"))
        if not lv.min_amount.is_finite() or lv.min_amount < 0 or lv.min_amount < previous:
            raise ValidationError("tiers start at 0 or more and never go down", (*path, "minAmount"))
        previous = lv.min_amount


def matches(rule: Rule, facts: Mapping[str, Any]) -> bool:
    """Whether the rule's condition holds for the facts. A condition that fails to evaluate (dividing by
    zero over these facts) counts as holding: a broken rule asks for approval rather than let one by."""
    try:
        # Stored rules passed ``check_rule``; the evaluator still refuses an unknown operator.
        return logic.truthy(logic.evaluate(rule.condition, facts, checked=True))
    except logic.LogicError:
        return True


def required_steps(rules: Sequence[Rule], facts: Mapping[str, Any]) -> tuple[Step, ...]:
    """The steps a document with these facts must pass, rule by rule (by id) and level by level.

    A level applies when the document's ``amount`` reaches its ``min_amount``; a document without an amount
    needs every level (fail closed). Empty: no rule matches, nothing to wait for.
    """
    amount = logic._number(facts.get("amount"))
    steps: list[Step] = []
    for rule in sorted(rules, key=lambda r: r.id):
        if not matches(rule, facts):
            continue
        for n, lv in enumerate(rule.levels, start=1):
            if amount is None or amount >= lv.min_amount:
                steps.append(Step(rule.id, n, lv.approver_role, lv.approver_user_id))
    return tuple(steps)


def digest(facts: Mapping[str, Any], steps: Sequence[Step]) -> str:
    """SHA-256 (hex) of the facts and the steps: an approval holds for exactly this document content under
    exactly these rules; changing either asks again."""
    body = {
        "facts": _plain(facts),
        "steps": [[s.rule_id, s.level, s.approver_role, s.approver_user_id] for s in steps],
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def next_step(steps: Sequence[Step], decisions: Sequence[Decision]) -> int | None:
    """Index of the first step not yet approved, or ``None`` when every step is."""
    done = {d.step for d in decisions if d.verdict is Verdict.APPROVED}
    for i in range(len(steps)):
        if i not in done:
            return i
    return None


def may_approve(step: Step, user_id: int, role: str) -> bool:
    """Whether this user (with this role) is the step's approver."""
    if step.approver_user_id is not None:
        return step.approver_user_id == user_id
    return step.approver_role == role


def check_decision(
    steps: Sequence[Step], decisions: Sequence[Decision], user_id: int, role: str, requester_id: int | None
) -> int:
    """The step index this user decides next. Raises ``Forbidden`` when the user asked for the approval
    (self-approval), already approved another step of it (one person, one level), or is not the next
    step's approver; ``ValidationError`` when nothing is waiting."""
    index = next_step(steps, decisions)
    if index is None:
        raise ValidationError("every step is already approved", ("requestId",))
    if requester_id is not None and requester_id == user_id:
        raise Forbidden(
            "you asked for this approval and may not approve it yourself (不得自批)", ("requestId",)
        )
    if any(d.user_id == user_id for d in decisions):
        raise Forbidden("you already approved a level of this request (一人只批一级)", ("requestId",))
    if not may_approve(steps[index], user_id, role):
        raise Forbidden(f"level {steps[index].level} waits for another approver", ("requestId",))
    return index
