"""Supplier statements (对账单): what we owe one supplier over a period, document by document.

Opening balance on the first day, then each posted bill and credit note (by bill date), each payment to the
supplier (by payment date) in date order with the running balance, and the closing balance on the last day.
The balance is what we owe the supplier (positive), the sign convention of the payables subledger that
``finance.reports.reconcile_payables`` checks against the books: a bill adds its total, a credit note (a
return's, negative total) takes off, a payment to the supplier takes off. Amounts are exact decimals of the
money column; dates are business dates. A due date is shown when the bills carry one (payment terms are
another area's; without that column there is none).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.common.errors import NotFound, ValidationError
from domain.finance.models import Payment, SupplierBill
from domain.partners.models import Supplier

MAX_DAYS = 400  # a year and a margin: a statement, not an export of everything
ZERO = Decimal(0)


@dataclass(frozen=True)
class StatementLine:
    day: date
    kind: str  # bill | credit_note | payment
    number: str
    reference: str  # the supplier's fapiao number, or the payment's reference
    due_date: date | None
    amount: Decimal  # + we owe more, - we owe less
    balance: Decimal  # after this line


@dataclass(frozen=True)
class Statement:
    supplier_id: int
    supplier_code: str
    supplier_name: str
    since: date
    until: date  # inclusive
    opening: Decimal
    lines: tuple[StatementLine, ...]
    closing: Decimal


def check_period(since: date, until: date) -> None:
    """``ValidationError`` unless ``since <= until`` and the period spans at most ``MAX_DAYS`` days."""
    if until < since:
        raise ValidationError("the period ends before it starts", ("until",))
    if (until - since).days + 1 > MAX_DAYS:
        raise ValidationError(f"a statement covers at most {MAX_DAYS} days", ("since",))


Move = tuple[
    date, int, int, str, str, str, date | None, Decimal
]  # day, order, id, kind, number, ref, due, amount


def running(since: date, moves: list[Move]) -> tuple[Decimal, list[StatementLine], Decimal]:
    """Pure: the opening balance (every move before ``since``), the lines from ``since`` in (day, bills
    before payments, id) order with the balance after each, and the closing balance. Moves after the
    period must be left out by the caller."""
    ordered = sorted(moves, key=lambda m: m[:3])
    opening = sum((m[7] for m in ordered if m[0] < since), ZERO)
    balance = opening
    lines: list[StatementLine] = []
    for day, _, _, kind, number, ref, due, amount in ordered:
        if day < since:
            continue
        balance += amount
        lines.append(StatementLine(day, kind, number, ref, due, amount, balance))
    return opening, lines, balance


async def supplier_statement(supplier_id: int, since: date, until: date) -> Statement:
    """The statement of one supplier for ``[since, until]`` (business dates, both included).

    The caller decides the scope: a supplier user passes its own supplier; staff any. ``NotFound``: no such
    supplier; ``ValidationError``: a period backwards or longer than ``MAX_DAYS``."""
    check_period(since, until)
    supplier = await Supplier.get_or_none(id=supplier_id)
    if supplier is None:
        raise NotFound("supplier", supplier_id, ("supplierId",))
    bills = await SupplierBill.filter(
        supplier_id=supplier.id, status="posted", bill_date__lte=until
    ).order_by("bill_date", "id")
    payments = await Payment.filter(
        partner_kind="supplier", partner_id=supplier.id, direction="out", paid_on__lte=until
    ).order_by("paid_on", "id")
    moves = [
        (b.bill_date, 0, b.id, b.kind, b.number or "", b.supplier_ref, b.due_date, Decimal(b.total))
        for b in bills
    ] + [
        (p.paid_on, 1, p.id, "payment", p.number or "", p.reference, None, -Decimal(p.amount))
        for p in payments
    ]
    opening, lines, balance = running(since, moves)
    return Statement(
        supplier.id,
        supplier.code,
        supplier.name,
        since,
        until,
        opening,
        tuple(lines),
        balance,
    )
