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
BILL_KINDS = {"bill": "bill", "credit_note": "credit_note"}


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
    has_due_dates: bool  # the bills carry a due date (payment terms in finance)


def check_period(since: date, until: date) -> None:
    """``ValidationError`` unless ``since <= until`` and the period spans at most ``MAX_DAYS`` days."""
    if until < since:
        raise ValidationError("the period ends before it starts", ("until",))
    if (until - since).days + 1 > MAX_DAYS:
        raise ValidationError(f"a statement covers at most {MAX_DAYS} days", ("since",))


def _due(bill: SupplierBill) -> date | None:
    value = getattr(bill, "due_date", None)
    return value if isinstance(value, date) else None


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
        partner_kind="supplier", partner_id=supplier.id, paid_on__lte=until
    ).order_by("paid_on", "id")
    opening = sum((Decimal(b.total) for b in bills if b.bill_date < since), ZERO) - sum(
        (_paid(p) for p in payments if p.paid_on < since), ZERO
    )
    moves: list[tuple[date, int, int, StatementLine]] = []
    for b in bills:
        if b.bill_date >= since:
            line = StatementLine(
                b.bill_date,
                BILL_KINDS.get(b.kind, b.kind),
                b.number or "",
                b.supplier_ref,
                _due(b),
                Decimal(b.total),
                ZERO,
            )
            moves.append((b.bill_date, 0, b.id, line))
    for p in payments:
        if p.paid_on >= since:
            line = StatementLine(p.paid_on, "payment", p.number or "", p.reference, None, -_paid(p), ZERO)
            moves.append((p.paid_on, 1, p.id, line))
    balance = opening
    lines: list[StatementLine] = []
    for _, _, _, line in sorted(moves, key=lambda m: m[:3]):
        balance += line.amount
        lines.append(
            StatementLine(
                line.day, line.kind, line.number, line.reference, line.due_date, line.amount, balance
            )
        )
    return Statement(
        supplier.id,
        supplier.code,
        supplier.name,
        since,
        until,
        opening,
        tuple(lines),
        balance,
        "due_date" in SupplierBill._meta.fields_map,
    )


def _paid(p: Payment) -> Decimal:
    # out: we paid the supplier (we owe less); in: the supplier paid us back (we owe that much more)
    return Decimal(p.amount) if p.direction == "out" else -Decimal(p.amount)
