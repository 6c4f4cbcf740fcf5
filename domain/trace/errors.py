"""Trace-area exceptions that carry their data and a string-enum code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
