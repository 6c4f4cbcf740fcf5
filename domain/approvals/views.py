"""What approval services return: frozen views, never ORM rows."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.approvals import rules
from domain.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalRule


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    document_type: str
    condition: Any
    levels: tuple[rules.Level, ...]
    on_reject: str
    active: bool

    def to_rule(self) -> rules.Rule:
        return rules.Rule(
            self.id,
            self.name,
            rules.DocumentType(self.document_type),
            self.condition,
            self.levels,
            rules.OnReject(self.on_reject),
        )


@dataclass(frozen=True)
class DecisionView:
    level: int
    user_id: int
    username: str
    role: str
    verdict: str
    reason: str
    decided_at: datetime


@dataclass(frozen=True)
class RequestView:
    id: int
    document_type: str
    document_id: int | None
    facts: dict[str, Any]
    steps: tuple[rules.Step, ...]
    status: str
    requested_by_id: int | None
    requested_at: datetime
    decisions: tuple[DecisionView, ...]

    @property
    def next_level(self) -> int | None:
        """The level waiting now (1-based), or ``None`` when nothing waits."""
        if self.status != "pending":
            return None
        done = sum(1 for d in self.decisions if d.verdict == rules.Verdict.APPROVED)
        return self.steps[done].level if done < len(self.steps) else None


def levels_of(raw: list[dict[str, Any]]) -> tuple[rules.Level, ...]:
    return tuple(
        rules.Level(
            lv.get("approver_role"), lv.get("approver_user_id"), Decimal(str(lv.get("min_amount", "0")))
        )
        for lv in raw
    )


def levels_json(levels: tuple[rules.Level, ...] | list[rules.Level]) -> list[dict[str, Any]]:
    return [
        {
            "approver_role": lv.approver_role,
            "approver_user_id": lv.approver_user_id,
            "min_amount": str(lv.min_amount),
        }
        for lv in levels
    ]


def steps_of(raw: list[list[Any]]) -> tuple[rules.Step, ...]:
    return tuple(rules.Step(int(s[0]), int(s[1]), s[2], s[3]) for s in raw)


def steps_json(steps: tuple[rules.Step, ...]) -> list[list[Any]]:
    return [[s.rule_id, s.level, s.approver_role, s.approver_user_id] for s in steps]


def rule_view(row: ApprovalRule) -> RuleView:
    return RuleView(
        row.id, row.name, row.document_type, row.condition, levels_of(row.levels), row.on_reject, row.active
    )


def request_view(row: ApprovalRequest, decisions: list[ApprovalDecision]) -> RequestView:
    return RequestView(
        id=row.id,
        document_type=row.document_type,
        document_id=row.document_id,
        facts=row.facts,
        steps=steps_of(row.steps),
        status=row.status,
        requested_by_id=row.requested_by_id,
        requested_at=row.requested_at,
        decisions=tuple(
            DecisionView(d.level, d.user_id, d.username, d.role, d.verdict, d.reason, d.decided_at)
            for d in sorted(decisions, key=lambda d: d.id)
        ),
    )


def decisions_of(decisions: list[ApprovalDecision]) -> list[rules.Decision]:
    return [rules.Decision(d.step, d.user_id, rules.Verdict(d.verdict)) for d in decisions]
