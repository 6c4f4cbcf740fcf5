"""Plain HTML form fields -> domain inputs. A bad field is a ``ValidationError`` naming it, shown on the form.

Dates come from ``<input type=date>`` (ISO 8601), times from ``<input type=time>``, in the business time
zone; quantities are decimals in the order line's unit (a comma is taken as the decimal point).
"""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from starlette.datastructures import FormData

from domain.asn import rules
from domain.common import business_time
from domain.common.digits import ascii_digits
from domain.common.errors import ValidationError
from domain.quality import rules as quality_rules

MAX_ROWS = 40


def text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def decimal(form: FormData, name: str, path: tuple[str, ...]) -> Decimal | None:
    raw = text(form, name, 40).replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(f"{raw!r} is not a number", path) from None
    if not value.is_finite():
        raise ValidationError(f"{raw!r} is not a number", path)
    return value


def day(form: FormData, name: str, path: tuple[str, ...]) -> date | None:
    raw = text(form, name, 20)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{raw!r} is not a date (YYYY-MM-DD)", path) from None


def ack_lines(form: FormData, line_ids: list[int]) -> list[rules.AckLine]:
    out = []
    for i, line_id in enumerate(line_ids):
        decision = text(form, f"ack-{line_id}-decision", 16)
        if not decision:
            continue
        path = ("lines", str(i))
        out.append(
            rules.AckLine(
                line_id,
                decision,
                decimal(form, f"ack-{line_id}-qty", (*path, "promisedQuantity")),
                day(form, f"ack-{line_id}-date", (*path, "promisedDate")),
                text(form, f"ack-{line_id}-note", rules.MAX_NOTE),
            )
        )
    return out


def arrival(form: FormData) -> datetime:
    d = day(form, "arrival_date", ("expectedArrival",))
    if d is None:
        raise ValidationError("give the expected arrival date", ("expectedArrival",))
    raw = text(form, "arrival_time", 8) or "09:00"
    try:
        t = time.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{raw!r} is not a time (HH:MM)", ("expectedArrival",)) from None
    return datetime.combine(d, t, tzinfo=business_time.zone())


def asn_lines(form: FormData, rows: int) -> list[rules.AsnLineInput]:
    """The filled rows (a row with neither lot nor quantity is left out); paths count filled rows."""
    out: list[rules.AsnLineInput] = []
    for r in range(min(rows, MAX_ROWS)):
        lot, qty_raw = text(form, f"row-{r}-lot", 80), text(form, f"row-{r}-qty", 40)
        if not lot and not qty_raw:
            continue
        path = ("lines", str(len(out)))
        line_raw = text(form, f"row-{r}-line", 12)
        if not ascii_digits(line_raw):
            raise ValidationError("choose the order line", (*path, "orderLineId"))
        qty = decimal(form, f"row-{r}-qty", (*path, "quantity"))
        out.append(
            rules.AsnLineInput(
                int(line_raw),
                lot,
                Decimal(0) if qty is None else qty,
                day(form, f"row-{r}-prod", (*path, "productionDate")),
                day(form, f"row-{r}-exp", (*path, "expiryDate")),
                day(form, f"row-{r}-bb", (*path, "bestBeforeDate")),
            )
        )
    return out


def readings(form: FormData, at: datetime) -> list[quality_rules.SensorReadingInput]:
    """The optional dispatch temperature (°C) as one reading at the expected arrival's day."""
    value = decimal(form, "temperature", ("sensorReadings", "0", "value"))
    if value is None:
        return []
    device = text(form, "device_id", quality_rules.MAX_DEVICE_ID) or None
    return [quality_rules.SensorReadingInput(quality_rules.SensorKind.TEMPERATURE, value, at, device)]


FIELD_LABELS = {
    "expectedArrival": "预计到货 expected arrival",
    "lotCode": "批号 lot",
    "quantity": "数量 quantity",
    "productionDate": "生产日期 production date",
    "expiryDate": "保质期至 expiry date",
    "bestBeforeDate": "最佳赏味期 best before",
    "orderLineId": "订单行 order line",
    "promisedDate": "承诺日期 promised date",
    "promisedQuantity": "承诺数量 promised quantity",
    "decision": "答复 decision",
    "file": "文件 file",
    "kind": "类型 kind",
    "value": "温度 temperature",
}


def field_label(path: tuple[str, ...]) -> str:
    """``("lines", "1", "lotCode")`` -> ``第 2 行 row 2 · 批号 lot``."""
    parts = []
    if len(path) >= 2 and path[0] == "lines" and ascii_digits(path[1]):
        n = int(path[1]) + 1
        parts.append(f"第 {n} 行 row {n}")
    if path:
        parts.append(FIELD_LABELS.get(path[-1], path[-1]))
    return " · ".join(parts)
