"""Approval rule administration: create, change, switch off, list. Admin-only at the API."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.approvals import rules, views
from domain.approvals.models import ApprovalRule
from domain.common.errors import NotFound, ValidationError
from domain.partners.models import User
from domain.partners.rules import Role


@dataclass(frozen=True)
class RuleInput:
    name: str
    document_type: str
    condition: Any  # JSON Logic, already parsed from JSON
    levels: tuple[rules.Level, ...]
    on_reject: str = rules.OnReject.BACK_TO_DRAFT.value
    active: bool = True


def _checked(data: RuleInput) -> None:
    if not data.name.strip() or len(data.name) > 120:
        raise ValidationError("a rule's name is 1 to 120 characters", ("name",))
    if data.document_type not in {d.value for d in rules.DocumentType}:
        raise ValidationError(f"unknown document type {data.document_type!r}", ("documentType",))
    if data.on_reject not in {o.value for o in rules.OnReject}:
        raise ValidationError("on rejection: back_to_draft or cancel", ("onReject",))
    approver_roles = frozenset(r.value for r in Role if r is not Role.SUPPLIER)
    rules.check_rule(data.condition, data.levels, approver_roles)


async def rule_create(data: RuleInput, created_by_id: int | None, now: datetime) -> views.RuleView:
    """Stores a new rule (validated by ``rules.check_rule``); it applies to documents gated from now on."""
    _checked(data)
    row = await ApprovalRule.create(
        name=data.name.strip(),
        document_type=data.document_type,
        condition=data.condition,
        levels=views.levels_json(data.levels),
        on_reject=data.on_reject,
        active=data.active,
        created_by_id=created_by_id,
        created_at=now,
        updated_at=now,
    )
    return views.rule_view(row)


async def rule_update(rule_id: int, data: RuleInput, now: datetime) -> views.RuleView:
    """Replaces a rule's content. Requests already approved under the old content no longer match the
    required steps' digest, so documents not yet posted ask again."""
    _checked(data)
    async with in_transaction():
        row = await ApprovalRule.get_or_none(id=rule_id)
        if row is None:
            raise NotFound("approval rule", rule_id, ("ruleId",))
        row.name = data.name.strip()
        row.document_type = data.document_type
        row.condition = data.condition
        row.levels = views.levels_json(data.levels)
        row.on_reject = data.on_reject
        row.active = data.active
        row.updated_at = now
        await row.save()
    return views.rule_view(row)


async def rule_delete(rule_id: int) -> int:
    """Switches a rule off (kept, since decisions refer to it); returns its id."""
    updated = await ApprovalRule.filter(id=rule_id).update(active=False)
    if not updated:
        raise NotFound("approval rule", rule_id, ("ruleId",))
    return rule_id


async def rules_list(document_type: str | None = None, active_only: bool = False) -> list[views.RuleView]:
    query = ApprovalRule.all().order_by("id")
    if document_type is not None:
        query = query.filter(document_type=document_type)
    if active_only:
        query = query.filter(active=True)
    return [views.rule_view(r) for r in await query]


async def user_id_of(username: str, path: tuple[str, ...]) -> int:
    """The active user's id for a level naming one approver; ``NotFound`` (at ``path``) otherwise."""
    user = await User.get_or_none(username=username, active=True)
    if user is None:
        raise NotFound("user", username, path)
    return user.id
