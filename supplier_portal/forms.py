"""Plain HTML form fields -> domain inputs. A bad field is a ``ValidationError`` naming it, shown on the form.

Dates come from ``<input type=date>`` (ISO 8601), times from ``<input type=time>``, in the business time
zone; quantities are decimals in the order line's unit, in the API's grammar (``domain.common.decimal_text``)
after full-width digits and signs (a Chinese input method's full-width mode) are read as ASCII. A comma is
refused, not guessed: "1,200" is a thousand two hundred to most of our users and 1.2 to others.

Nothing is cut short: a value longer than its field's limit is refused with the field named, as the API
refuses it (a note cut at 2,000 characters was stored as something the supplier did not write).
"""

from datetime import date, datetime, time
from decimal import Decimal

from starlette.datastructures import FormData

from domain.asn import rules
from domain.common import business_time
from domain.common.decimal_text import parse_decimal
from domain.common.digits import ascii_digits
from domain.common.errors import ValidationError
from domain.quality import rules as quality_rules

MAX_ROWS = 40


def text(form: FormData, name: str, limit: int = 200, path: tuple[str, ...] | None = None) -> str:
    """The field's text without surrounding spaces ("" when absent or a file); ``ValidationError`` at ``path``
    (default: the field's name) when it has more than ``limit`` characters."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(f"最多 {limit} 个字符 has more than {limit} characters", path or (name,))
    return value


# A Chinese input method in full-width mode types "１２．５": the same number, read as ASCII.
FULL_WIDTH = str.maketrans("０１２３４５６７８９．＋－", "0123456789.+-")


def decimal_of(raw: str, path: tuple[str, ...]) -> Decimal:
    """A typed number (see the module docstring) as a finite ``Decimal``; ``ValidationError`` at ``path``."""
    try:
        value = parse_decimal(raw.translate(FULL_WIDTH))
    except ValueError:
        value = Decimal("NaN")
    if not value.is_finite():
        hint = "，请不要使用千位分隔符 no thousands separator" if "," in raw or "，" in raw else ""
        raise ValidationError(f"“{raw[:40]}” 不是数字 is not a number (e.g. 12.5){hint}", path)
    return value


def decimal(form: FormData, name: str, path: tuple[str, ...]) -> Decimal | None:
    raw = text(form, name, 40, path)
    return decimal_of(raw, path) if raw else None


def day(form: FormData, name: str, path: tuple[str, ...]) -> date | None:
    raw = text(form, name, 20, path)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{raw!r} is not a date (YYYY-MM-DD)", path) from None


def ack_lines(form: FormData, line_ids: list[int]) -> list[rules.AckLine]:
    out = []
    for i, line_id in enumerate(line_ids):
        path = ("lines", str(i))
        decision = text(form, f"ack-{line_id}-decision", 16, (*path, "decision"))
        if not decision:
            continue
        out.append(
            rules.AckLine(
                line_id,
                decision,
                decimal(form, f"ack-{line_id}-qty", (*path, "promisedQuantity")),
                day(form, f"ack-{line_id}-date", (*path, "promisedDate")),
                text(form, f"ack-{line_id}-note", rules.MAX_NOTE, (*path, "note")),
            )
        )
    return out


def arrival(form: FormData) -> datetime:
    d = day(form, "arrival_date", ("expectedArrival",))
    if d is None:
        raise ValidationError("give the expected arrival date", ("expectedArrival",))
    raw = text(form, "arrival_time", 8, ("expectedArrival",)) or "09:00"
    try:
        t = time.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{raw!r} is not a time (HH:MM)", ("expectedArrival",)) from None
    return datetime.combine(d, t, tzinfo=business_time.zone())


def asn_lines(form: FormData, rows: int) -> list[rules.AsnLineInput]:
    """The filled rows (a row with neither lot nor quantity is left out); paths count filled rows."""
    out: list[rules.AsnLineInput] = []
    for r in range(min(rows, MAX_ROWS)):
        path = ("lines", str(len(out)))
        lot = text(form, f"row-{r}-lot", rules.MAX_LOT_CODE, (*path, "lotCode"))
        qty_raw = text(form, f"row-{r}-qty", 40, (*path, "quantity"))
        if not lot and not qty_raw:
            continue
        line_raw = text(form, f"row-{r}-line", 12, (*path, "orderLineId"))
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
    device = text(form, "device_id", quality_rules.MAX_DEVICE_ID, ("sensorReadings", "0", "deviceId")) or None
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
    "deviceId": "设备编号 device ID",
    "note": "备注 note",
    "reason": "原因 reason",
}


_ROW_FIELDS = {
    "lot": "lotCode",
    "qty": "quantity",
    "prod": "productionDate",
    "exp": "expiryDate",
    "bb": "bestBeforeDate",
    "line": "orderLineId",
}
_ACK_FIELDS = {"decision": "decision", "qty": "promisedQuantity", "date": "promisedDate", "note": "note"}
_FORM_FIELDS = {
    "arrival_date": "expectedArrival",
    "arrival_time": "expectedArrival",
    "temperature": "value",
    "device_id": "deviceId",
    "asn_line": "orderLineId",
}


def path_of(name: str) -> tuple[str, ...]:
    """A form field's name as the input path its value is read into (``row-0-lot`` -> ``lines.0.lotCode``,
    ``cf-grade`` -> ``customFields.grade``), for naming it in an error; the name itself when unknown."""
    match name.split("-"):
        case ["row", r, field] if ascii_digits(r) and field in _ROW_FIELDS:
            return ("lines", r, _ROW_FIELDS[field])
        case ["ack", _, field] if field in _ACK_FIELDS:
            return (_ACK_FIELDS[field],)
        case ["cf", *key] if key:
            return ("customFields", "-".join(key)[:40])
    return (_FORM_FIELDS.get(name, name[:40]),)


def field_label(path: tuple[str, ...]) -> str:
    """``("lines", "1", "lotCode")`` -> ``第 2 行 row 2 · 批号 lot``."""
    parts = []
    if len(path) >= 2 and path[0] == "lines" and ascii_digits(path[1]):
        n = int(path[1]) + 1
        parts.append(f"第 {n} 行 row {n}")
    if path:
        parts.append(FIELD_LABELS.get(path[-1], path[-1]))
    return " · ".join(parts)
