"""Pure purchasing rules: order lifecycle, receipt tolerance, batch dates."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.common.errors import Conflict, ValidationError

DEFAULT_OVER_RECEIPT_TOLERANCE = Decimal("0.05")  # 5 %: weighed fresh goods rarely match the order exactly
CENT = Decimal("0.01")


class OrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


RECEIVABLE = frozenset({OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_RECEIVED})


def check_receivable(status: str, number: str) -> None:
    if status == OrderStatus.DRAFT:
        raise Conflict(f"purchase order {number} is a draft: confirm it before receiving", ("orderId",))
    if status not in RECEIVABLE:
        raise Conflict(f"purchase order {number} is {status}: nothing more can be received", ("orderId",))


def check_over_receipt(
    ordered: Decimal,
    received: Decimal,
    incoming: Decimal,
    tolerance: Decimal,
    path: tuple[str, ...],
    *,
    unit: str = "",
    factor: Decimal = Decimal(1),
) -> None:
    """Refuses a receipt that would take the line past ``ordered × (1 + tolerance)``.

    Quantities are in base units; the message speaks the caller's ``unit`` (``factor`` base units each),
    e.g. "receiving 3 box would bring the line to 5.5 box, over the ordered 5 box plus 5% tolerance".
    """
    limit = ordered * (1 + tolerance)
    if received + incoming > limit:

        def shown(base: Decimal) -> str:
            return f"{_plain(base / factor)} {unit}".strip()

        raise ValidationError(
            f"receiving {shown(incoming)} would bring the line to {shown(received + incoming)}, "
            f"over the ordered {shown(ordered)} plus {_plain(tolerance * 100)}% tolerance",
            path,
        )


def _plain(value: Decimal) -> str:
    """At most 4 places, no trailing zeros, no exponent: 400.0000 -> "400", 2.50 -> "2.5"."""
    text = format(value.quantize(Decimal("0.0001")).normalize(), "f")
    return "0" if text == "-0" else text


def status_after_receipt(lines: list[tuple[Decimal, Decimal]]) -> OrderStatus:
    """``lines`` holds (ordered, received) in base units."""
    if all(received >= ordered for ordered, received in lines):
        return OrderStatus.RECEIVED
    return OrderStatus.PARTIALLY_RECEIVED


def batch_dates(
    production_date: date | None,
    expiry_date: date | None,
    best_before_date: date | None,
    shelf_life_days: int | None,
    best_before_days: int | None,
    today: date,
    path: tuple[str, ...],
) -> tuple[date | None, date | None]:
    """Fills missing dates from the SKU's shelf life, and refuses goods that arrive already expired."""
    if expiry_date is None and production_date is not None and shelf_life_days:
        expiry_date = production_date + timedelta(days=shelf_life_days)
    if best_before_date is None and production_date is not None and best_before_days:
        best_before_date = production_date + timedelta(days=best_before_days)
    if shelf_life_days and expiry_date is None:
        raise ValidationError(
            "this SKU has a shelf life: give an expiry date or a production date", (*path, "expiryDate")
        )
    if production_date and expiry_date and expiry_date < production_date:
        raise ValidationError("expiry date is before production date", (*path, "expiryDate"))
    if expiry_date is not None and expiry_date < today:
        raise ValidationError(
            f"the batch expired on {expiry_date}: it cannot be received", (*path, "expiryDate")
        )
    return expiry_date, best_before_date


def order_amount(quantity_base: Decimal, unit_price: Decimal, unit_factor: Decimal) -> Decimal:
    """The order's amount (yuan, to the cent, ROUND_HALF_UP) for ``quantity_base`` base units of a line
    priced ``unit_price`` per order unit of ``unit_factor`` base units: 3 kg of a 3-kg box at 10 is 10.00.

    Multiplied before dividing, so a whole number of order units is exact."""
    if unit_factor <= 0:
        raise ValueError("a unit factor is positive")
    return (quantity_base * unit_price / unit_factor).quantize(CENT, rounding=ROUND_HALF_UP)


def value_change(net_before: Decimal, change: Decimal, unit_price: Decimal, unit_factor: Decimal) -> Decimal:
    """What a receipt (``change`` > 0) or a return (< 0) of an order line is worth, in cents: the change of
    the order amount of the line's net received quantity (received − returned, base units).

    The values telescope: whatever the sequence of receipts and returns, their sum is the order amount of
    what is left received, to the cent; a rounding remainder lands on the posting that crosses it, never
    spread as drift (three 1-kg receipts of a 3-kg box at 10 are 3.33, 3.34 and 3.33)."""
    return order_amount(net_before + change, unit_price, unit_factor) - order_amount(
        net_before, unit_price, unit_factor
    )
