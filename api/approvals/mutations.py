# mypy: disable-error-code="untyped-decorator"
"""Approval mutations: rule administration (admin) and approve / reject by the waiting level's approver."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.approvals import inputs, types
from api.context import Info
from domain.approvals import rule_admin, rules, services, views
from domain.common.errors import Forbidden
from domain.partners.rules import Permission as Perm

ApprovalRuleResult = Annotated[
    types.ApprovalRule | errors.AnyUserError, strawberry.union("ApprovalRuleResult")
]
Decide = Callable[[int, services.Approver, str, datetime, str | None], Awaitable[views.RequestView]]
ApprovalDecideResult = Annotated[
    types.ApprovalRequest | errors.AnyUserError, strawberry.union("ApprovalDecideResult")
]


async def _rule_input(data: inputs.ApprovalRuleCreateInput) -> rule_admin.RuleInput:
    levels: list[rules.Level] = []
    for i, lv in enumerate(data.levels[: rules.MAX_LEVELS + 1]):
        user_id = None
        if lv.approver_username is not None:
            user_id = await rule_admin.user_id_of(
                lv.approver_username, ("levels", str(i), "approverUsername")
            )
        levels.append(rules.Level(lv.approver_role, user_id, lv.min_amount))
    return rule_admin.RuleInput(
        name=data.name,
        document_type=data.document_type,
        condition=inputs.condition(data.condition),
        levels=tuple(levels),
        on_reject=data.on_reject,
        active=data.active,
    )


def _approver(info: Info) -> services.Approver:
    principal = auth.principal_of(info)
    if auth.is_supplier(principal):
        raise Forbidden("suppliers do not approve documents")
    return services.Approver(principal.user_id, principal.username, principal.role.value)


@strawberry.type
class ApprovalMutation:
    @strawberry.mutation(description="Adds an approval rule (admin).")
    async def approval_rule_create(
        self, info: Info, input: inputs.ApprovalRuleCreateInput
    ) -> ApprovalRuleResult:
        async def run() -> types.ApprovalRule:
            principal = auth.require(info, Perm.ADMIN)
            data = await _rule_input(input)
            return types.ApprovalRule.of(
                await rule_admin.rule_create(data, principal.user_id, datetime.now(UTC))
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Replaces an approval rule's content (admin).")
    async def approval_rule_update(
        self, info: Info, input: inputs.ApprovalRuleUpdateInput
    ) -> ApprovalRuleResult:
        async def run() -> types.ApprovalRule:
            auth.require(info, Perm.ADMIN)
            rule_id = inputs.rule_id(input.rule_id)
            data = await _rule_input(input)
            return types.ApprovalRule.of(await rule_admin.rule_update(rule_id, data, datetime.now(UTC)))

        return await errors.guard(run())

    @strawberry.mutation(description="Switches an approval rule off (admin); its past decisions stay.")
    async def approval_rule_delete(
        self, info: Info, input: inputs.ApprovalRuleDeleteInput
    ) -> ApprovalRuleResult:
        async def run() -> types.ApprovalRule:
            auth.require(info, Perm.ADMIN)
            rule_id = await rule_admin.rule_delete(inputs.rule_id(input.rule_id))
            (view,) = [v for v in await rule_admin.rules_list() if v.id == rule_id]
            return types.ApprovalRule.of(view)

        return await errors.guard(run())

    @strawberry.mutation(
        description="Approves the waiting level of a request (its approver, never the requester)."
    )
    async def approval_approve(self, info: Info, input: inputs.ApprovalDecideInput) -> ApprovalDecideResult:
        return await errors.guard(_decide(info, input, services.approval_approve))

    @strawberry.mutation(
        description="Rejects at the waiting level, with a reason; the rule says what follows."
    )
    async def approval_reject(self, info: Info, input: inputs.ApprovalDecideInput) -> ApprovalDecideResult:
        return await errors.guard(_decide(info, input, services.approval_reject))


async def _decide(info: Info, input: inputs.ApprovalDecideInput, decide: Decide) -> types.ApprovalRequest:
    who = _approver(info)
    key = auth.client_key(info, input.idempotency_key)
    view = await decide(inputs.request_id(input.request_id), who, input.reason, datetime.now(UTC), key)
    return types.ApprovalRequest.of(view)
