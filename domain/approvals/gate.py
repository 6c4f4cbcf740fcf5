"""The approval gate: called inside a document's confirming or posting transaction, it lets the document
through only when an approved request covers exactly its current facts under the current rules.

``gate`` raises ``ApprovalRequired`` (the posting rolls back whole); ``guarded`` wraps the use case and, for a
first attempt, stores the new request in its own transaction so the approvers see it. One approved request
lets exactly one posting through (it becomes ``used``): a payment approved once is not paid twice.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.approvals import rule_admin, rules, views
from domain.approvals.errors import ApprovalRequired, Plan
from domain.approvals.models import ApprovalDecision, ApprovalRequest
from domain.common.dialect import is_postgres

T = TypeVar("T")
NEW = "new"


def _who(step: rules.Step) -> str:
    return f"role {step.approver_role}" if step.approver_role else f"user #{step.approver_user_id}"


def _open_key(document_type: str, subject: str, digest: str) -> str:
    return f"{document_type}:{subject}:{digest}"


Facts = Callable[[], Awaitable[dict[str, Any]]]


async def gate(
    document_type: rules.DocumentType, document_id: int | None, facts_of: Facts, now: datetime
) -> None:
    """Lets the document through, or raises ``ApprovalRequired``. Call it inside the posting's transaction,
    after locking the document. ``document_id`` is ``None`` for a document created by the posting itself
    (a payment, a write-off): then the request covers these facts exactly. ``facts_of`` reads the facts
    (JSON values and ``Decimal``, money as ``amount``: the names conditions use), only when a rule for the
    type is active, so documents without rules pay one query. With several matching rules, the first
    rule's ``on_reject`` applies."""
    active = [v.to_rule() for v in await rule_admin.rules_list(document_type.value, active_only=True)]
    if not active:
        return
    facts = await facts_of()
    steps = rules.required_steps(active, facts)
    if not steps:
        return
    subject = str(document_id) if document_id is not None else NEW
    digest = rules.digest(facts, steps)
    query = ApprovalRequest.filter(open_key=_open_key(document_type, subject, digest))
    if is_postgres():
        query = query.select_for_update()
    row = await query.first()
    if row is not None and row.status == "approved":
        row.status, row.open_key, row.closed_at = "used", None, now
        await row.save(update_fields=["status", "open_key", "closed_at"])
        return
    if row is not None:
        decisions = views.decisions_of(await ApprovalDecision.filter(request_id=row.id))
        index = rules.next_step(steps, decisions) or 0
        raise ApprovalRequired(
            f"{document_type} waits for approval request #{row.id}, level {steps[index].level} "
            f"({_who(steps[index])}) (待审批)",
            row.id,
            steps[index].level,
            _who(steps[index]),
        )
    on_reject = next(r.on_reject for r in active if r.id == steps[0].rule_id)
    plan = Plan(document_type, subject, document_id, _jsonable(facts), steps, digest, on_reject)
    raise ApprovalRequired(
        f"{document_type} needs approval, level 1 ({_who(steps[0])}) (需审批)", None, 1, _who(steps[0]), plan
    )


def _jsonable(facts: dict[str, Any]) -> dict[str, Any]:
    return rules._plain(facts)  # type: ignore[no-any-return]


async def guarded(call: Callable[[], Awaitable[T]], requested_by_id: int | None, now: datetime) -> T:
    """Runs a gated use case; when the gate asks for a new request, stores it (its own transaction, after
    the posting rolled back) and re-raises ``ApprovalRequired`` with the request's id."""
    try:
        return await call()
    except ApprovalRequired as exc:
        if exc.plan is not None and exc.request_id is None:
            exc.request_id = await open_request(exc.plan, requested_by_id, now)
        raise


async def gate_or_request(
    document_type: rules.DocumentType,
    document_id: int,
    facts_of: Facts,
    requested_by_id: int | None,
    now: datetime,
) -> int | None:
    """For a use case that goes on when a document must wait (approving replenishment suggestions leaves
    the order they make as a draft): ``None`` when the document may proceed, else the id of its pending
    request, stored in the caller's transaction."""
    try:
        await gate(document_type, document_id, facts_of, now)
    except ApprovalRequired as exc:
        if exc.plan is None:
            return exc.request_id
        return await open_request(exc.plan, requested_by_id, now)
    return None


async def open_request(plan: Plan, requested_by_id: int | None, now: datetime) -> int:
    """Stores the pending request of a plan (or finds the one a concurrent attempt stored) and supersedes
    the document's older pending requests, whose content no longer matches. Returns the request's id."""
    key = _open_key(plan.document_type, plan.subject, plan.digest)
    try:
        async with in_transaction():
            if plan.document_id is not None:
                await ApprovalRequest.filter(
                    document_type=plan.document_type, subject=plan.subject, status="pending"
                ).update(status="superseded", open_key=None, closed_at=now)
            row = await ApprovalRequest.create(
                document_type=plan.document_type,
                subject=plan.subject,
                document_id=plan.document_id,
                facts=plan.facts,
                digest=plan.digest,
                steps=views.steps_json(plan.steps),
                on_reject=plan.on_reject,
                status="pending",
                open_key=key,
                requested_by_id=requested_by_id,
                requested_at=now,
            )
            return row.id
    except IntegrityError:
        existing = await ApprovalRequest.get(open_key=key)
        return existing.id
