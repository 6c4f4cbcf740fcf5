"""Trace and quality mutation inputs, translated to the domain's dataclasses."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

import strawberry

from api import relay as rl
from domain.quality import services as quality
from domain.trace import services as trace


@strawberry.enum
class Conclusion(StrEnum):
    PASS = "pass"
    FAIL = "fail"


@strawberry.input
class QualityCheckStartInput:
    batch_id: strawberry.ID
    inspector: str
    idempotency_key: str | None = None


@strawberry.input
class QualityResultInput:
    parameter: str
    value: str
    limit: str
    unit: str
    passed: bool


@strawberry.input
class AttachmentInput:
    filename: str
    sha256: str = strawberry.field(description="Lower-case hex SHA-256 of the file.")


@strawberry.input
class QualityCheckVerdictInput:
    check_id: strawberry.ID
    results: list[QualityResultInput]
    conclusion: Conclusion
    attachments: list[AttachmentInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = None

    def domain_results(self) -> list[quality.ResultInput]:
        rl.cap_lines(self.results, ("results",))
        return [quality.ResultInput(r.parameter, r.value, r.limit, r.unit, r.passed) for r in self.results]

    def domain_attachments(self) -> list[quality.AttachmentInput]:
        rl.cap_lines(self.attachments, ("attachments",))
        return [quality.AttachmentInput(a.filename, a.sha256) for a in self.attachments]


@strawberry.input
class TransformInputLine:
    batch_id: strawberry.ID
    location_code: str
    quantity: Decimal = strawberry.field(description="In the SKU's base unit.")


@strawberry.input
class TransformOutputLine:
    sku_code: str
    lot_code: str
    quantity: Decimal = strawberry.field(description="In the SKU's base unit.")
    location_code: str
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None


@strawberry.input
class BatchTransformInput:
    inputs: list[TransformInputLine]
    outputs: list[TransformOutputLine]
    biz_step: str = "repackaging"
    note: str = ""
    idempotency_key: str | None = None

    def domain_inputs(self) -> list[trace.TransformInput]:
        rl.cap_lines(self.inputs, ("inputs",))
        return [
            trace.TransformInput(
                rl.decode_id(ln.batch_id, "Batch", ("inputs", str(i), "batchId")),
                ln.location_code,
                ln.quantity,
            )
            for i, ln in enumerate(self.inputs)
        ]

    def domain_outputs(self) -> list[trace.TransformOutput]:
        rl.cap_lines(self.outputs, ("outputs",))
        return [
            trace.TransformOutput(
                ln.sku_code,
                ln.lot_code,
                ln.quantity,
                ln.location_code,
                ln.production_date,
                ln.expiry_date,
                ln.best_before_date,
            )
            for ln in self.outputs
        ]


@strawberry.input
class BatchDestroyInput:
    batch_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None
