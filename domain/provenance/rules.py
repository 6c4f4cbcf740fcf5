"""Pure pieces of the provenance page: public codes, what an EPCIS event body may show, the verify command.

No I/O, no clock, no randomness: the service passes the random bytes and the time.
"""

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

from domain.common import business_time

CODE_BYTES = 10  # 80 bits -> 16 base32 characters, no padding
_CODE = re.compile(r"[A-Z2-7]{16}")
_HASH = re.compile(r"[0-9a-f]{64}")
_GS1_GLN = re.compile(r"/414/(\d{13})(?:/|$)")
PRIVATE_PLACE = "urn:lotline:loc:"

#: EPCIS sensor measurement types we show, with their label (中文 / English).
MEASUREMENTS: Mapping[str, tuple[str, str]] = {
    "gs1:Temperature": ("温度", "temperature"),
    "gs1:RelativeHumidity": ("湿度", "humidity"),
}
#: UN/CEFACT units as people write them.
UNIT_SYMBOLS: Mapping[str, str] = {"CEL": "°C", "FAH": "°F", "KEL": "K", "P1": "%"}
#: Business steps that are bookkeeping, not part of the journey (a count says nothing of where food went).
#: Steps never shown: stock counts, and the seals of events recorded before chain links (``trace.legacy``:
#: the events they vouch for show it themselves).
HIDDEN_STEPS = frozenset({"cycle_counting", "urn:lotline:bizstep:legacy_seal"})


def code_from_bytes(raw: bytes) -> str:
    """The public code for ``CODE_BYTES`` random bytes: upper-case base32 (QR alphanumeric, no 0/1/8/9)."""
    if len(raw) != CODE_BYTES:
        raise ValueError(f"a public code takes {CODE_BYTES} random bytes")
    return base64.b32encode(raw).decode("ascii")


def normalise_code(text: str) -> str | None:
    """A code as typed or scanned (any case, spaces or dashes between groups) or None if it cannot be one."""
    code = re.sub(r"[\s-]", "", text).upper()
    return code if _CODE.fullmatch(code) else None


def is_event_hash(text: str) -> bool:
    return _HASH.fullmatch(text) is not None


def place_key(uri: str) -> tuple[str, str] | None:
    """``("code", warehouse code)`` for our private location URN, ``("gln", gln)`` for a GS1 SGLN."""
    if uri.startswith(PRIVATE_PLACE):
        return ("code", unquote(uri.removeprefix(PRIVATE_PLACE)))
    match = _GS1_GLN.search(uri)
    return ("gln", match.group(1)) if match else None


def event_place(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """Where an event happened: its business location, else its read point (never a source or destination,
    which name the parties: customers are not public)."""
    for key in ("bizLocation", "readPoint"):
        ref = body.get(key)
        if isinstance(ref, Mapping) and isinstance(ref.get("id"), str):
            found = place_key(ref["id"])
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Reading:
    kind: str  # the EPCIS measurement type, e.g. gs1:Temperature
    label_zh: str
    label_en: str
    value: Decimal
    unit: str
    time: datetime | None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def sensor_readings(body: Mapping[str, Any], event_time: datetime) -> list[Reading]:
    """Temperature and humidity reports of an event's ``sensorElementList`` (value, else mean, min or max)."""
    out: list[Reading] = []
    elements = body.get("sensorElementList")
    if not isinstance(elements, list):
        return out
    for element in elements:
        reports = element.get("sensorReport") if isinstance(element, Mapping) else None
        for report in reports if isinstance(reports, list) else []:
            if not isinstance(report, Mapping) or report.get("type") not in MEASUREMENTS:
                continue
            value = next(
                (
                    v
                    for k in ("value", "meanValue", "minValue", "maxValue")
                    if (v := _decimal(report.get(k))) is not None
                ),
                None,
            )
            if value is None:
                continue
            kind = str(report["type"])
            label_zh, label_en = MEASUREMENTS[kind]
            unit = str(report.get("uom", ""))
            out.append(
                Reading(
                    kind,
                    label_zh,
                    label_en,
                    value,
                    UNIT_SYMBOLS.get(unit, unit),
                    _time(report.get("time")) or event_time,
                )
            )
    return out


class Verdict:
    PASS = "pass"
    FAIL = "fail"
    PENDING = "pending"
    NONE = "none"  # never inspected (not every SKU is)


@dataclass(frozen=True)
class CheckFacts:
    status: str  # pending | inspecting | passed | failed
    decided_at: datetime | None
    results: Sequence[Mapping[str, Any]]


def verdict_of(checks: Sequence[CheckFacts]) -> tuple[str, date | None, list[tuple[str, bool]]]:
    """The public verdict: an open check makes it pending; else the last decided one; parameters by name."""
    if not checks:
        return Verdict.NONE, None, []
    if any(c.status in ("pending", "inspecting") for c in checks):
        return Verdict.PENDING, None, []
    decided = [c for c in checks if c.decided_at is not None]
    if not decided:
        return Verdict.PENDING, None, []
    last = decided[-1]  # checks come in creation order; a later check's verdict replaces an earlier one
    assert last.decided_at is not None
    verdict = Verdict.PASS if last.status == "passed" else Verdict.FAIL
    params = [
        (str(r.get("parameter", "")), bool(r.get("passed")))
        for r in last.results
        if str(r.get("parameter", "")).strip()
    ]
    return verdict, business_time.business_date(last.decided_at), params


def local_date(moment: datetime, offset: object) -> date:
    """The day an event happened where it happened (its ``eventTimeZoneOffset``, e.g. ``+08:00``)."""
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", offset) if isinstance(offset, str) else None
    if moment.tzinfo is None:
        return moment.date()
    if match is None:
        return business_time.business_date(moment)
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    zone = timezone(timedelta(minutes=-minutes if match.group(1) == "-" else minutes))
    return moment.astimezone(zone).date()


def cast_command(contract: str, root: str, event_hash: str, proof: Sequence[str]) -> str:
    """The Foundry ``cast`` call that asks the registry itself whether the event is in an anchored root."""
    hashes = ",".join(proof)
    return (
        f'cast call {contract} "verifyEvent(bytes32,bytes32,bytes32[])(bool)" '
        f'{root} {event_hash} "[{hashes}]" --rpc-url "$RPC_URL"'
    )


def hex0x(value: bytes | str | None) -> str | None:
    """A hash as ``0x`` + lower-case hex, from bytes or a hex string with or without the prefix."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return "0x" + value.hex()
    text = value.lower()
    return text if text.startswith("0x") else "0x" + text
