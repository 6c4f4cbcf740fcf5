"""Pure rules of supplier collaboration: acknowledgements, advance shipping notices, differences, lateness,
certificate files.

Quantities are ``Decimal`` in the order line's unit; dates are business dates; no I/O, no clock (``today`` and
``now`` are passed in). Errors are ``ValidationError`` / ``Conflict`` with the input path they concern.
"""

import base64
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.common.errors import Conflict, ValidationError

MAX_LOT_CODE = 64
MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024  # 10 MiB: a scanned certificate, not an archive
MAX_NOTE = 2000


class Decision(StrEnum):
    ACCEPTED = "accepted"  # 接受
    DECLINED = "declined"  # 拒绝


class AsnStatus(StrEnum):
    OPEN = "open"  # 待收货
    RECEIVED = "received"  # 已收货
    CANCELLED = "cancelled"  # 已取消


class CertificateKind(StrEnum):
    QUALITY_CERTIFICATE = "quality_certificate"  # 质量证书
    TEST_REPORT = "test_report"  # 检测报告


#: Orders a supplier may still acknowledge or announce a delivery for.
OPEN_ORDER_STATUSES = frozenset({"confirmed", "partially_received"})


@dataclass(frozen=True)
class AckLine:
    order_line_id: int
    decision: str
    promised_quantity: Decimal | None = None  # None with accepted: the ordered quantity
    promised_date: date | None = None
    note: str = ""


@dataclass(frozen=True)
class AsnLineInput:
    order_line_id: int
    lot_code: str
    quantity: Decimal  # in the order line's unit
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None


@dataclass(frozen=True)
class Expected:
    """What an ASN line announced, as compared with what was received."""

    lot_code: str
    quantity: Decimal
    production_date: date | None
    expiry_date: date | None
    best_before_date: date | None


@dataclass(frozen=True)
class Difference:
    asn_line_id: int | None
    field: str
    expected: str
    received: str


def check_order_open(status: str, number: str) -> None:
    if status not in OPEN_ORDER_STATUSES:
        raise Conflict(
            f"purchase order {number} is {status}: it takes no acknowledgement or ASN", ("orderId",)
        )


def check_ack_lines(lines: Sequence[AckLine], ordered: Mapping[int, Decimal], today: date) -> list[AckLine]:
    """Each line once, of this order; accepted lines get a positive quantity (default: the ordered one)
    and a promised date not in the past; declined lines promise nothing. Returns the normalised lines."""
    if not lines:
        raise ValidationError("acknowledge at least one line", ("lines",))
    seen: set[int] = set()
    out = []
    for i, line in enumerate(lines):
        path = ("lines", str(i))
        if line.order_line_id not in ordered:
            raise ValidationError("this line is not on the order", (*path, "orderLineId"))
        if line.order_line_id in seen:
            raise ValidationError("a line is acknowledged once per acknowledgement", (*path, "orderLineId"))
        seen.add(line.order_line_id)
        if len(line.note) > MAX_NOTE:
            raise ValidationError(f"a note has at most {MAX_NOTE} characters", (*path, "note"))
        if line.decision == Decision.DECLINED:
            out.append(AckLine(line.order_line_id, Decision.DECLINED, Decimal(0), None, line.note))
            continue
        if line.decision != Decision.ACCEPTED:
            raise ValidationError("decision must be accepted or declined", (*path, "decision"))
        qty = ordered[line.order_line_id] if line.promised_quantity is None else line.promised_quantity
        if qty <= 0:
            raise ValidationError(
                "an accepted line promises a positive quantity", (*path, "promisedQuantity")
            )
        if qty > ordered[line.order_line_id]:
            raise ValidationError(
                f"promised {qty} is more than the ordered {ordered[line.order_line_id]}",
                (*path, "promisedQuantity"),
            )
        if line.promised_date is None:
            raise ValidationError("an accepted line needs a promised date", (*path, "promisedDate"))
        if line.promised_date < today:
            raise ValidationError("the promised date is in the past", (*path, "promisedDate"))
        out.append(AckLine(line.order_line_id, Decision.ACCEPTED, qty, line.promised_date, line.note))
    return out


def check_dates(
    production: date | None, expiry: date | None, best_before: date | None, path: tuple[str, ...]
) -> None:
    if production and expiry and expiry < production:
        raise ValidationError("expiry date is before production date", (*path, "expiryDate"))
    if production and best_before and best_before < production:
        raise ValidationError("best-before date is before production date", (*path, "bestBeforeDate"))
    if expiry and best_before and best_before > expiry:
        raise ValidationError("best-before date is after the expiry date", (*path, "bestBeforeDate"))


def check_asn_lines(
    lines: Sequence[AsnLineInput],
    open_quantity: Mapping[int, Decimal],
    tolerance: Decimal,
    expected_arrival: datetime,
    now: datetime,
) -> None:
    """An ASN announces lots of this order's lines, each lot once per line, quantities positive and (per
    order line, all lots together) within the open quantity plus ``tolerance``;
    the arrival not before today."""
    if not lines:
        raise ValidationError("an advance shipping notice needs at least one line", ("lines",))
    if expected_arrival.tzinfo is None:
        raise ValidationError("the expected arrival needs a time zone", ("expectedArrival",))
    if expected_arrival.astimezone(now.tzinfo).date() < now.date():  # both in the caller's (business) zone
        raise ValidationError("the expected arrival is in the past", ("expectedArrival",))
    seen: set[tuple[int, str]] = set()
    totals: dict[int, Decimal] = {}
    for i, line in enumerate(lines):
        path = ("lines", str(i))
        if line.order_line_id not in open_quantity:
            raise ValidationError("this line is not on the order", (*path, "orderLineId"))
        lot = line.lot_code.strip()
        if not lot:
            raise ValidationError("each line needs a lot code", (*path, "lotCode"))
        if len(lot) > MAX_LOT_CODE:
            raise ValidationError(f"a lot code has at most {MAX_LOT_CODE} characters", (*path, "lotCode"))
        if (line.order_line_id, lot) in seen:
            raise ValidationError(f"lot {lot} is announced twice for one line", (*path, "lotCode"))
        seen.add((line.order_line_id, lot))
        if line.quantity <= 0:
            raise ValidationError("quantity must be positive", (*path, "quantity"))
        check_dates(line.production_date, line.expiry_date, line.best_before_date, path)
        totals[line.order_line_id] = totals.get(line.order_line_id, Decimal(0)) + line.quantity
        limit = open_quantity[line.order_line_id] * (1 + tolerance)
        if totals[line.order_line_id] > limit:
            raise ValidationError(
                f"announced {totals[line.order_line_id]} is over the open {open_quantity[line.order_line_id]}"
                f" plus {tolerance:%} tolerance",
                (*path, "quantity"),
            )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def differences(
    asn_line_id: int | None, expected: Expected | None, received: Expected | None
) -> list[Difference]:
    """The fields in which a received lot differs from the announced one; a lot announced and not received
    (or received and not announced) is one ``quantity`` difference against zero."""
    if expected is None and received is None:
        return []
    if expected is None or received is None:
        lot = (received or expected).lot_code  # type: ignore[union-attr]
        return [
            Difference(
                asn_line_id,
                "quantity",
                f"{lot}: {_text(expected.quantity) if expected else '0'}",
                f"{lot}: {_text(received.quantity) if received else '0'}",
            )
        ]
    out = []
    for name in ("lot_code", "quantity", "production_date", "expiry_date", "best_before_date"):
        a, b = getattr(expected, name), getattr(received, name)
        if name == "best_before_date" and b is None:
            continue  # filled from the SKU's shelf life when the receiver left it empty
        if a != b:
            out.append(Difference(asn_line_id, name, _text(a), _text(b)))
    return out


def lateness_days(expected_arrival: date, received: date) -> int:
    """Days the goods arrived after the announced day (negative: early)."""
    return (received - expected_arrival).days


def sniff_content_type(head: bytes) -> str | None:
    """The file type by its magic bytes, whatever its name says: PDF, PNG or JPEG; None for anything else."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def check_certificate(content: bytes, kind: str) -> tuple[str, str]:
    """(content type, SHA-256 hex) of an acceptable certificate file, or a ``ValidationError``."""
    if kind not in CertificateKind.__members__.values():
        raise ValidationError("kind must be quality_certificate or test_report", ("kind",))
    if not content:
        raise ValidationError("the file is empty", ("file",))
    if len(content) > MAX_CERTIFICATE_BYTES:
        raise ValidationError(f"the file is over {MAX_CERTIFICATE_BYTES // (1024 * 1024)} MiB", ("file",))
    content_type = sniff_content_type(content[:16])
    if content_type is None:
        raise ValidationError("only PDF, PNG or JPEG files are accepted", ("file",))
    return content_type, hashlib.sha256(content).hexdigest()


def certification_uri(sha256_hex: str) -> str:
    """RFC 6920 named-information URI of a file's SHA-256: what the EPCIS ``certificationInfo`` carries."""
    digest = bytes.fromhex(sha256_hex)
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sha256_of_certification(value: object) -> str | None:
    """The hex SHA-256 named by a ``certificationInfo`` we wrote (``ni:///sha-256;…``), else None."""
    prefix = "ni:///sha-256;"
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    try:
        digest = base64.urlsafe_b64decode(value[len(prefix) :] + "=")
    except ValueError:
        return None
    return digest.hex() if len(digest) == 32 else None


def lot_codes(lines: Iterable[AsnLineInput]) -> list[str]:
    return sorted({ln.lot_code.strip() for ln in lines})
