"""Approval queries: rules (admin), the requests waiting for me, one request."""
# mypy: disable-error-code="untyped-decorator"

import strawberry

from api import auth
from api.approvals import inputs, types
from api.approvals.mutations import _approver
from api.context import Info
from domain.approvals import rule_admin, services
from domain.partners.rules import Permission as Perm


@strawberry.type
class ApprovalQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.ADMIN)], description="Approval rules, oldest first (admin)."
    )
    async def approval_rules(self, info: Info, document_type: str | None = None) -> list[types.ApprovalRule]:
        return [types.ApprovalRule.of(v) for v in await rule_admin.rules_list(document_type)]

    @strawberry.field(
        description="Requests whose waiting level I may approve (待我审批), oldest first, at most 100."
    )
    async def pending_approvals(self, info: Info) -> list[types.ApprovalRequest]:
        principal = auth.principal_of(info)
        if auth.is_supplier(principal):
            raise auth.NotAllowed("suppliers do not approve documents")
        return [types.ApprovalRequest.of(v) for v in await services.pending_for(_approver(info))]

    @strawberry.field(description="One approval request with its decisions (staff only).")
    async def approval_request(self, info: Info, id: strawberry.ID) -> types.ApprovalRequest | None:
        principal = auth.principal_of(info)
        if auth.is_supplier(principal):
            raise auth.NotAllowed("suppliers do not see approvals")
        view = await services.request_get(inputs.request_id(id))
        return None if view is None else types.ApprovalRequest.of(view)
