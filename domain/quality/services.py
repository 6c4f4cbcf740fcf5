"""Quality-check use cases: a scan locks the batch in quarantine, a verdict releases or rejects it.

Both record their EPCIS event (bizStep ``inspecting``) in the same transaction as the status change.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.inventory import rules as stock_rules
from domain.inventory.models import Batch
from domain.inventory.services import set_batch_status
from domain.quality.models import QualityCheck
from domain.trace import identifiers, recorders

Status = stock_rules.StockStatus
MAX_RESULTS = 200
_SHA256 = re.compile(r"[0-9a-f]{64}")


class CheckStatus:
    PENDING = "pending"
    INSPECTING = "inspecting"
    PASSED = "passed"
    FAILED = "failed"


OPEN = (CheckStatus.PENDING, CheckStatus.INSPECTING)


@dataclass(frozen=True)
class ResultInput:
    parameter: str
    value: str
    limit: str
    unit: str
    passed: bool


@dataclass(frozen=True)
class AttachmentInput:
    filename: str
    sha256: str


async def _locked_batch(batch_id: int) -> Batch:
    query = Batch.filter(id=batch_id)
    if is_postgres():
        query = query.select_for_update()
    batch = await query.first()
    if batch is None:
        raise NotFound("batch", batch_id, ("batchId",))
    return batch


async def quality_check_start(batch_id: int, inspector: str, now: datetime, key: str | None = None) -> Posted:
    """Scans a batch for inspection: locks it in quarantine (unless it already is) and records the event.

    The batch's pending task (opened at receipt) is used; without one a new check is opened (spot check).
    """

    async def body() -> Posted:
        if not inspector.strip():
            raise ValidationError("an inspection needs an inspector", ("inspector",))
        batch = await _locked_batch(batch_id)
        if batch.status in (Status.REJECTED, Status.EXPIRED, Status.BLOCKED):
            raise Conflict(f"batch {batch.lot_code} is {batch.status}: it cannot be inspected", ("batchId",))
        check = await QualityCheck.filter(batch_id=batch.id, status__in=OPEN).order_by("id").first()
        if check is not None and check.status == CheckStatus.INSPECTING:
            raise Conflict(
                f"batch {batch.lot_code} is already under inspection ({check.number})", ("batchId",)
            )
        if check is None:
            check = await QualityCheck.get(id=await recorders.open_quality_check(batch.id, now))
        if batch.status != Status.QUARANTINE:
            batch = await set_batch_status(batch.id, Status.QUARANTINE, now, "quality_check")
        check.status = CheckStatus.INSPECTING
        check.inspector = inspector.strip()
        check.started_at = now
        await check.save(update_fields=["status", "inspector", "started_at"])
        await recorders.record_batch_status(
            batch,
            "quality_check_start",
            now,
            doc_id=check.id,
            biz_transactions=[identifiers.BizTransaction("testprd", check.number or "")],
        )
        return Posted("quality_check", check.id, check.number or "")

    return await posting("quality_check_start", key, body)


def _check_verdict(results: list[ResultInput], conclusion: str, attachments: list[AttachmentInput]) -> None:
    if conclusion not in ("pass", "fail"):
        raise ValidationError("the conclusion is pass or fail", ("conclusion",))
    if not results:
        raise ValidationError("a verdict needs at least one result", ("results",))
    if len(results) > MAX_RESULTS or len(attachments) > MAX_RESULTS:
        raise ValidationError(f"at most {MAX_RESULTS} results and attachments", ("results",))
    for i, r in enumerate(results):
        if not r.parameter.strip():
            raise ValidationError("a result needs its parameter", ("results", str(i), "parameter"))
    if conclusion == "pass" and (failed := [r.parameter for r in results if not r.passed]):
        raise ValidationError(f"a pass verdict with failed parameters: {', '.join(failed)}", ("conclusion",))
    for i, a in enumerate(attachments):
        if not a.filename.strip():
            raise ValidationError("an attachment needs its file name", ("attachments", str(i), "filename"))
        if not _SHA256.fullmatch(a.sha256):
            raise ValidationError("sha256 is 64 lower-case hex digits", ("attachments", str(i), "sha256"))


async def quality_check_verdict(
    check_id: int,
    results: list[ResultInput],
    conclusion: str,
    attachments: list[AttachmentInput],
    now: datetime,
    key: str | None = None,
) -> Posted:
    """Decides an inspection: pass releases the batch to available, fail rejects it.

    The event names the check (``testres``) and each attachment's SHA-256 (``cert``), so anchoring the
    event anchors the evidence too.
    """

    async def body() -> Posted:
        check = await QualityCheck.get_or_none(id=check_id)
        if check is None:
            raise NotFound("quality check", check_id, ("checkId",))
        _check_verdict(results, conclusion, attachments)
        batch = await _locked_batch(check.batch_id)
        check = await QualityCheck.get(id=check_id)  # re-read under the batch lock
        if check.status != CheckStatus.INSPECTING:
            raise Conflict(
                f"quality check {check.number} is {check.status}, only an inspection in progress is decided",
                ("checkId",),
            )
        passed = conclusion == "pass"
        batch = await set_batch_status(
            batch.id, Status.AVAILABLE if passed else Status.REJECTED, now, "quality_check"
        )
        check.status = CheckStatus.PASSED if passed else CheckStatus.FAILED
        check.results = [
            {
                "parameter": r.parameter,
                "value": r.value,
                "limit": r.limit,
                "unit": r.unit,
                "passed": r.passed,
            }
            for r in results
        ]
        check.attachments = [{"filename": a.filename, "sha256": a.sha256} for a in attachments]
        check.decided_at = now
        await check.save(update_fields=["status", "results", "attachments", "decided_at"])
        await recorders.record_batch_status(
            batch,
            "quality_check_pass" if passed else "quality_check_fail",
            now,
            doc_id=check.id,
            biz_transactions=[
                identifiers.BizTransaction("testres", check.number or ""),
                *(identifiers.BizTransaction("cert", f"sha256:{a.sha256}") for a in attachments),
            ],
        )
        return Posted("quality_check", check.id, check.number or "")

    return await posting("quality_check_verdict", key, body)


@dataclass(frozen=True)
class CheckView:
    id: int
    number: str
    batch_id: int
    status: str
    inspector: str
    results: list[dict[str, object]]
    attachments: list[dict[str, object]]
    created_at: datetime
    started_at: datetime | None
    decided_at: datetime | None


def view(c: QualityCheck) -> CheckView:
    return CheckView(
        c.id,
        c.number or "",
        c.batch_id,
        c.status,
        c.inspector,
        list(c.results),
        list(c.attachments),
        c.created_at,
        c.started_at,
        c.decided_at,
    )


async def checks_of(batch_id: int) -> list[CheckView]:
    return [view(c) for c in await QualityCheck.filter(batch_id=batch_id).order_by("id")]
