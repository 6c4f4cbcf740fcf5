"""Approval decisions and what approvers see: approve or reject the waiting level, the requests waiting for
me, and a document's approval state. Each decision is one transaction with the request row locked."""

from dataclasses import dataclass
from datetime import datetime

from domain.approvals import documents, rules, views
from domain.approvals.models import ApprovalDecision, ApprovalRequest
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting

MAX_REASON = 1000


@dataclass(frozen=True)
class Approver:
    """The person deciding (from the caller's principal)."""

    user_id: int
    username: str
    role: str


async def _locked(request_id: int) -> ApprovalRequest:
    query = ApprovalRequest.filter(id=request_id)
    if is_postgres():
        query = query.select_for_update()
    row = await query.first()
    if row is None:
        raise NotFound("approval request", request_id, ("requestId",))
    if row.status != "pending":
        raise Conflict(f"approval request #{row.id} is {row.status}, not waiting", ("requestId",))
    return row


async def _decide(
    request_id: int, who: Approver, verdict: rules.Verdict, reason: str, now: datetime, key: str | None
) -> views.RequestView:
    if len(reason) > MAX_REASON:
        raise ValidationError(f"a reason is at most {MAX_REASON} characters", ("reason",))
    if verdict is rules.Verdict.REJECTED and not reason.strip():
        raise ValidationError("a rejection says why (驳回须说明原因)", ("reason",))

    async def body() -> Posted:
        row = await _locked(request_id)
        steps = views.steps_of(row.steps)
        past = await ApprovalDecision.filter(request_id=row.id).order_by("id")
        index = rules.check_decision(
            steps, views.decisions_of(past), who.user_id, who.role, row.requested_by_id
        )
        decision = await ApprovalDecision.create(
            request=row,
            step=index,
            level=steps[index].level,
            user_id=who.user_id,
            username=who.username,
            role=who.role,
            verdict=verdict,
            reason=reason.strip(),
            decided_at=now,
        )
        past.append(decision)
        if verdict is rules.Verdict.REJECTED:
            row.status, row.open_key, row.closed_at = "rejected", None, now
            if row.on_reject == rules.OnReject.CANCEL and row.document_id is not None:
                await documents.cancel(rules.DocumentType(row.document_type), row.document_id)
        elif rules.next_step(steps, views.decisions_of(past)) is None:
            # Approved: the open key stays, so the document's next posting finds and uses this request.
            row.status, row.closed_at = "approved", now
        await row.save(update_fields=["status", "open_key", "closed_at"])
        return Posted("approval_request", row.id, "")

    # One transaction with the request row locked; a repeated key replays (the request as it is now).
    await posting(f"approval_{verdict}", key, body)
    view = await request_get(request_id)
    assert view is not None  # decided just now, never deleted
    return view


async def approval_approve(
    request_id: int, who: Approver, reason: str, now: datetime, key: str | None = None
) -> views.RequestView:
    """Approves the waiting level. Raises ``Forbidden`` for self-approval, a second level by the same person
    or the wrong approver; ``Conflict`` when the request is not pending; ``NotFound`` for an unknown id."""
    return await _decide(request_id, who, rules.Verdict.APPROVED, reason, now, key)


async def approval_reject(
    request_id: int, who: Approver, reason: str, now: datetime, key: str | None = None
) -> views.RequestView:
    """Rejects at the waiting level (a reason is required) and applies the rule's ``on_reject``: back to
    draft leaves the document as it is, cancel cancels it in the same transaction."""
    return await _decide(request_id, who, rules.Verdict.REJECTED, reason, now, key)


async def request_get(request_id: int) -> views.RequestView | None:
    row = await ApprovalRequest.get_or_none(id=request_id)
    if row is None:
        return None
    return views.request_view(row, await ApprovalDecision.filter(request_id=row.id))


async def pending_for(who: Approver, limit: int = 100) -> list[views.RequestView]:
    """Pending requests whose waiting level this person may take, oldest first (never their own)."""
    rows = await ApprovalRequest.filter(status="pending").order_by("id").limit(2000)
    decided = await ApprovalDecision.filter(request_id__in=[r.id for r in rows]).order_by("id")
    by_request: dict[int, list[ApprovalDecision]] = {}
    for d in decided:
        by_request.setdefault(d.request_id, []).append(d)
    out: list[views.RequestView] = []
    for row in rows:
        past = by_request.get(row.id, [])
        steps = views.steps_of(row.steps)
        index = rules.next_step(steps, views.decisions_of(past))
        if index is None or row.requested_by_id == who.user_id or any(d.user_id == who.user_id for d in past):
            continue
        if rules.may_approve(steps[index], who.user_id, who.role):
            out.append(views.request_view(row, past))
        if len(out) >= limit:
            break
    return out


async def state_for(document_type: str, document_ids: list[int]) -> dict[int, views.RequestView]:
    """The latest approval request of each document (absent: it never needed one)."""
    rows = await ApprovalRequest.filter(document_type=document_type, document_id__in=document_ids).order_by(
        "id"
    )
    latest = {r.document_id: r for r in rows if r.document_id is not None}
    decided = await ApprovalDecision.filter(request_id__in=[r.id for r in latest.values()])
    by_request: dict[int, list[ApprovalDecision]] = {}
    for d in decided:
        by_request.setdefault(d.request_id, []).append(d)
    return {doc: views.request_view(r, by_request.get(r.id, [])) for doc, r in latest.items()}
