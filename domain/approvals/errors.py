"""The approval gate's failure: a document waits for approval before it may be confirmed or posted."""

from dataclasses import dataclass
from typing import Any

from domain.approvals import rules
from domain.common.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class Plan:
    """What a new approval request needs, carried out of the rolled-back posting to be stored on its own."""

    document_type: rules.DocumentType
    subject: str  # the document's id, or "new" for a document that exists only once approved (payment)
    document_id: int | None
    facts: dict[str, Any]
    steps: tuple[rules.Step, ...]
    digest: str
    on_reject: rules.OnReject


class ApprovalRequired(DomainError):
    """Raised by the gate inside a posting: nothing was posted. ``request_id`` is the waiting request (set
    once it is stored), ``level`` and ``waiting_for`` say which step waits and for whom."""

    code = ErrorCode.APPROVAL_REQUIRED

    def __init__(
        self, message: str, request_id: int | None, level: int, waiting_for: str, plan: Plan | None = None
    ) -> None:
        super().__init__(message, ("approval",))
        self.request_id = request_id
        self.level = level
        self.waiting_for = waiting_for
        self.plan = plan
