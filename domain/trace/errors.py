"""Trace-area exceptions that carry their data and a string-enum code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.common.errors import ValidationError


class TraceErrorCode(StrEnum):
    EPCIS_INVALID = "EPCIS_INVALID"
    EVENT_INVALID = "EVENT_INVALID"


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema violation at a JSON-pointer-like ``path`` (``/epcisBody/eventList/0/eventTime``)."""

    path: str
    message: str


class TraceError(Exception):
    code: TraceErrorCode


class EpcisValidationError(TraceError):
    """An EPCIS document breaks the GS1 EPCIS 2.0 JSON Schema; ``problems`` lists every violation."""

    code = TraceErrorCode.EPCIS_INVALID

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        summary = "; ".join(f"{p.path or '/'}: {p.message}" for p in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"EPCIS document invalid: {len(problems)} problem(s): {summary}{more}")


class EventBuildError(TraceError):
    """Builder inputs cannot make a valid EPCIS event (for example no EPC and no quantity)."""

    code = TraceErrorCode.EVENT_INVALID

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class EventBeforeBatch(ValidationError):
    """A posting would record an event dated before its lot's first event (its receipt or production):
    refused, so a late insertion cannot pass for history. ``stream`` is the lot's EPCIS class."""

    def __init__(self, stream: str, event_time: datetime, first_time: datetime) -> None:
        super().__init__(
            f"事件时间早于批次入库或生产 / event time {event_time.isoformat()} precedes the lot's first "
            f"event ({first_time.isoformat()}) for {stream}",
            ("eventTime",),
        )
        self.stream = stream
        self.event_time = event_time
        self.first_time = first_time
