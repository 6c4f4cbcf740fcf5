"""Why the server refused a handheld's scan: the edge rules' blocking findings, as typed domain errors.

``OutOfZone`` is a ``Forbidden`` (the device may not work there, whatever it checked itself); any other
blocking finding is an ``EdgeRefused`` (a ``ValidationError``). Both carry the findings, and ``rule_code``
names the first one: it becomes the exception-queue entry's code.
"""

from domain.common.errors import Forbidden, ValidationError
from domain.devices.rules import Finding, blocking

ZONE = "OUT_OF_ZONE"


def _message(findings: list[Finding]) -> str:
    return "; ".join(f"{f.code}: {f.message_en}" for f in findings)


class EdgeRefused(ValidationError):
    def __init__(self, findings: list[Finding], path: tuple[str, ...] = ("binCode",)) -> None:
        super().__init__(_message(findings), path)
        self.findings = findings
        self.rule_code = findings[0].code


class OutOfZone(Forbidden):
    def __init__(self, findings: list[Finding], path: tuple[str, ...] = ("binCode",)) -> None:
        super().__init__(_message(findings), path)
        self.findings = findings
        self.rule_code = ZONE


def refuse(findings: list[Finding], path: tuple[str, ...] = ("binCode",)) -> None:
    """Raises ``OutOfZone`` if a bin is outside the device's zones, else ``EdgeRefused`` for any other
    blocking finding; returns (warnings allowed) when nothing blocks."""
    blocks = blocking(findings)
    if any(f.code == ZONE for f in blocks):
        raise OutOfZone([f for f in blocks if f.code == ZONE], path)
    if blocks:
        raise EdgeRefused(blocks, path)
