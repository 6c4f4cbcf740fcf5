"""Approval tests share the finance tests' small company (random codes, one PostgreSQL database)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from domain.approvals import rule_admin, rules
from domain.approvals.rule_admin import RuleInput
from domain.approvals.services import Approver
from domain.partners import services as partners
from tests.integration.finance.conftest import World, make_world

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
async def world(db, unique) -> World:
    return await make_world(unique)


@pytest.fixture
def person(unique: Callable[[str], str]) -> Callable[[str], Awaitable[Approver]]:
    async def make(role: str) -> Approver:
        p = await partners.create_user(unique("u").lower(), "correct-horse-battery", role)
        return Approver(p.user_id, p.username, role)

    return make


async def add_rule(
    document_type: rules.DocumentType,
    condition: object,
    *levels: rules.Level,
    on_reject: str = "back_to_draft",
) -> int:
    view = await rule_admin.rule_create(
        RuleInput("test rule", document_type.value, condition, tuple(levels), on_reject), None, NOW
    )
    return view.id
