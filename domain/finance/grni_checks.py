"""The check that GRNI (暂估应付) equals the documents, per purchase order line.

The reconciliation in ``reports`` compares the GRNI accounts with the accruals; both could still be wrong
together (a return clearing the moving average instead of what its receipt booked leaves an amount in GRNI
that nothing will ever bill). This check compares the accruals with the purchase documents themselves:

- ``grni_quantity``: the accrual's received quantity is the order line's received − returned (base units);
- ``grni_amount``: its received amount is the order amount of that quantity, to the cent
  (``purchasing.rules.order_amount``);
- ``grni_left_on_closed_order``: a closed order whose lines are billed in full keeps no GRNI.
"""

from dataclasses import dataclass
from decimal import Decimal

from domain.finance.models import PurchaseAccrual
from domain.purchasing import rules as purchasing_rules


@dataclass(frozen=True)
class GrniDifference:
    what: str
    order_line_id: int
    books: Decimal
    documents: Decimal

    def __str__(self) -> str:
        return (
            f"{self.what} order line {self.order_line_id}: accrual {self.books}, documents {self.documents}"
        )


async def grni_against_documents() -> list[GrniDifference]:
    """Every order line whose GRNI accrual disagrees with its receipts, returns and bills."""
    found: list[GrniDifference] = []
    for a in await PurchaseAccrual.all().prefetch_related("order_line__order").order_by("order_line_id"):
        ol = a.order_line
        net = Decimal(ol.received_base) - Decimal(ol.returned_base)
        amount = purchasing_rules.order_amount(net, Decimal(ol.unit_price), Decimal(ol.unit_factor))
        qty, value = Decimal(a.received_quantity), Decimal(a.received_amount)
        if qty != net:
            found.append(GrniDifference("grni_quantity", ol.id, qty, net))
        if value != amount:
            found.append(GrniDifference("grni_amount", ol.id, value, amount))
        left = value - Decimal(a.billed_amount)
        billed_in_full = Decimal(a.billed_quantity) == qty
        if ol.order.status == purchasing_rules.OrderStatus.CLOSED and billed_in_full and left:
            found.append(GrniDifference("grni_left_on_closed_order", ol.id, left, Decimal(0)))
    return found
