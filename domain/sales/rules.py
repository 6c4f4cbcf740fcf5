"""Pure sales rules: order lifecycle and shipment checks."""

from decimal import Decimal
from enum import StrEnum

from domain.common.errors import Conflict, ValidationError


class OrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    CLOSED = "closed"
    CANCELLED = "cancelled"


SHIPPABLE = frozenset({OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_SHIPPED})


def check_shippable(status: str, number: str) -> None:
    if status == OrderStatus.DRAFT:
        raise Conflict(f"sales order {number} is a draft: confirm it before shipping", ("orderId",))
    if status not in SHIPPABLE:
        raise Conflict(f"sales order {number} is {status}: nothing more can be shipped", ("orderId",))


def check_not_over_shipped(
    ordered: Decimal, shipped: Decimal, outgoing: Decimal, path: tuple[str, ...]
) -> None:
    if shipped + outgoing > ordered:
        raise ValidationError(
            f"shipping {outgoing} would exceed the {ordered - shipped} still to ship on this line", path
        )


def status_after_shipment(lines: list[tuple[Decimal, Decimal]]) -> OrderStatus:
    """``lines`` holds (ordered, shipped) in base units."""
    if all(shipped >= ordered for ordered, shipped in lines):
        return OrderStatus.SHIPPED
    return OrderStatus.PARTIALLY_SHIPPED
