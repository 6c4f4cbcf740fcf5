"""Pure finance rules: money rounding, balanced entries, cost booking, tax, three-way matching, ageing.

Rounding rule (stated once, used everywhere): every journal line is an amount in yuan rounded ROUND_HALF_UP
to 0.01. Tax is computed per document line (net × rate, ROUND_HALF_UP to 0.01) as on a 发票; when a
supplier's fapiao states another tax total (its own per-line rounding), the stated tax is booked and the
payable moves with it, so the entry still balances. Inventory is booked per SKU as the change of the SKU's
valuation rounded to the cent (``round(after) − round(before)``): the amounts telescope, so the inventory
accounts always equal the stock ledger's valuation rounded per SKU, to the cent, after any postings.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.common import business_time
from domain.common.digits import ascii_digits
from domain.common.errors import ValidationError
from domain.finance.errors import NotReceived, Overpayment, Unbalanced, WrongAccountType

CENT = Decimal("0.01")
ZERO = Decimal(0)
DEFAULT_QTY_TOLERANCE = Decimal("0.02")  # 2 % more billed than received still posts, as a variance
DEFAULT_PRICE_TOLERANCE = Decimal("0.05")  # 5 % off the order price still posts, as a variance
AGEING_BUCKETS = ("0-30", "31-60", "61-90", ">90")


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


class AccountType(StrEnum):
    # 小企业会计准则's five classes, with 成本 kept apart from 损益 (expense/revenue).
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    COST = "cost"
    REVENUE = "revenue"
    EXPENSE = "expense"


DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.COST, AccountType.EXPENSE})


class Role(StrEnum):
    # What an account does in automatic postings; posting rules map a role (per SKU category) to an account.
    INVENTORY = "inventory"
    GRNI = "grni"
    PAYABLES = "payables"
    RECEIVABLES = "receivables"
    REVENUE = "revenue"
    COGS = "cogs"
    INPUT_VAT = "input_vat"
    OUTPUT_VAT = "output_vat"
    STOCK_DIFFERENCE = "stock_difference"
    PRICE_VARIANCE = "price_variance"
    BANK = "bank"
    CASH = "cash"
    # Production: work in progress (生产成本) and the clearing accounts that labour and overhead are
    # applied from at their routing rates (应付职工薪酬, 制造费用).
    WIP = "wip"
    LABOUR_APPLIED = "labour_applied"
    OVERHEAD_APPLIED = "overhead_applied"


ROLE_TYPES: dict[Role, frozenset[AccountType]] = {
    Role.INVENTORY: frozenset({AccountType.ASSET}),
    Role.GRNI: frozenset({AccountType.LIABILITY}),
    Role.PAYABLES: frozenset({AccountType.LIABILITY}),
    Role.RECEIVABLES: frozenset({AccountType.ASSET}),
    Role.REVENUE: frozenset({AccountType.REVENUE}),
    Role.COGS: frozenset({AccountType.EXPENSE}),
    Role.INPUT_VAT: frozenset({AccountType.LIABILITY, AccountType.ASSET}),
    Role.OUTPUT_VAT: frozenset({AccountType.LIABILITY}),
    Role.STOCK_DIFFERENCE: frozenset({AccountType.ASSET}),
    Role.PRICE_VARIANCE: frozenset({AccountType.EXPENSE, AccountType.COST}),
    Role.BANK: frozenset({AccountType.ASSET}),
    Role.CASH: frozenset({AccountType.ASSET}),
    Role.WIP: frozenset({AccountType.COST, AccountType.ASSET}),
    Role.LABOUR_APPLIED: frozenset({AccountType.LIABILITY, AccountType.COST}),
    Role.OVERHEAD_APPLIED: frozenset({AccountType.COST}),
}
# Accounts behind these roles mirror a sub-ledger (stock, GRNI, bills, invoices): manual entries may not touch
# them, or the sub-ledger and the books would drift apart.
CONTROL_ROLES = frozenset({Role.INVENTORY, Role.GRNI, Role.PAYABLES, Role.RECEIVABLES})


def check_role_account(role: Role, account_type: str, account_code: str, path: tuple[str, ...]) -> None:
    allowed = ROLE_TYPES[role]
    if account_type not in allowed:
        kinds = "/".join(sorted(allowed))
        raise WrongAccountType(
            f"account {account_code} is {account_type}; the {role.value} role needs a {kinds} account", path
        )


def book_date(at: datetime) -> date:
    if at.tzinfo is None:
        raise ValidationError("posting times need a time zone", ("postedAt",))
    # The books are kept in the business time zone (China time by default): a receipt at 20:00 UTC on the
    # 31st belongs to the next day's period.
    return business_time.business_date(at)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def check_period(period: str, path: tuple[str, ...] = ("period",)) -> str:
    ok = (
        len(period) == 7
        and period.isascii()
        and period[4] == "-"
        and ascii_digits(period[:4])
        and ascii_digits(period[5:])
    )
    if not ok or not 1 <= int(period[5:]) <= 12:
        raise ValidationError(f"{period!r} is not a period (YYYY-MM)", path)
    return period


@dataclass(frozen=True)
class Line:
    """One journal line before it is written: exactly one of debit or credit is positive."""

    account_id: int
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    partner_kind: str | None = None
    partner_id: int | None = None
    sku_id: int | None = None
    memo: str = ""


def signed(
    account_id: int,
    amount: Decimal,
    partner_kind: str | None = None,
    partner_id: int | None = None,
    sku_id: int | None = None,
    memo: str = "",
) -> Line:
    """A line from a signed amount: positive debits, negative credits."""
    return Line(
        account_id,
        debit=amount if amount > 0 else ZERO,
        credit=-amount if amount < 0 else ZERO,
        partner_kind=partner_kind,
        partner_id=partner_id,
        sku_id=sku_id,
        memo=memo,
    )


def check_entry(lines: Sequence[Line], path: tuple[str, ...] = ("lines",)) -> None:
    """A postable entry: at least two lines, each one-sided, positive and in cents, debits equal credits."""
    if len(lines) < 2:
        raise ValidationError("an entry needs at least two lines", path)
    for i, ln in enumerate(lines):
        p = (*path, str(i))
        for name, amount in (("debit", ln.debit), ("credit", ln.credit)):
            if not amount.is_finite() or amount < 0:
                raise ValidationError(f"{name} must be zero or more", (*p, name))
            if money(amount) != amount:
                raise ValidationError(f"{name} {amount} has more than 2 decimal places", (*p, name))
        if (ln.debit > 0) == (ln.credit > 0):
            raise ValidationError("a line is either a debit or a credit", (*p, "debit"))
    debit = sum((ln.debit for ln in lines), ZERO)
    credit = sum((ln.credit for ln in lines), ZERO)
    if debit != credit:
        raise Unbalanced(debit, credit, path)


def drop_zero(lines: Iterable[Line]) -> list[Line]:
    return [ln for ln in lines if ln.debit or ln.credit]


def reverse(lines: Iterable[Line]) -> list[Line]:
    """The reversing entry's lines (红字冲销 as a blue reversal): sides swapped, everything else kept."""
    return [
        Line(ln.account_id, ln.credit, ln.debit, ln.partner_kind, ln.partner_id, ln.sku_id, ln.memo)
        for ln in lines
    ]


# --- inventory booking ----------------------------------------------------------------------------


def booked_change(value_after: Decimal, change: Decimal) -> Decimal:
    """The cent amount to book for a SKU whose valuation moved by ``change`` to ``value_after``."""
    return money(value_after) - money(value_after - change)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Splits a cent ``total`` in proportion to ``weights`` into cents that add up to it exactly
    (largest remainder; ties to the earlier weight)."""
    if not weights:
        return []
    sign = -1 if total < 0 else 1
    cents = int(abs(total) / CENT)
    w = [abs(x) for x in weights]
    whole = sum(w, ZERO)
    if whole == 0:
        w, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    raw = [Decimal(cents) * x / whole for x in w]
    floors = [int(r) for r in raw]
    left = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(f) * CENT for f in floors]


# --- tax --------------------------------------------------------------------------------------


def tax_of(net: Decimal, rate: Decimal, exempt: bool) -> Decimal:
    return ZERO if exempt else money(net * rate)


def stated_tax(computed: Decimal, stated: Decimal | None, line_count: int, path: tuple[str, ...]) -> Decimal:
    """The fapiao's own tax total, if it is within one cent per line of ours (its rounding); else an error."""
    if stated is None:
        return computed
    if not stated.is_finite() or money(stated) != stated:
        raise ValidationError("the stated tax is an amount in cents", path)
    if abs(stated - computed) > CENT * max(line_count, 1):
        raise ValidationError(
            f"the stated tax {stated} is more than rounding away from the computed {computed}", path
        )
    return stated


# --- three-way matching -----------------------------------------------------------------------


@dataclass(frozen=True)
class BillMatch:
    net: Decimal  # what the supplier bills, before tax
    cleared: Decimal  # the GRNI accrual this line clears
    matched_quantity: Decimal  # the received quantity it clears
    variance: Decimal  # net - cleared: price and quantity differences
    problems: tuple[str, ...]  # beyond tolerance: the bill waits for approval


def match_bill_line(
    open_quantity: Decimal,
    open_amount: Decimal,
    quantity: Decimal,
    unit_price: Decimal,
    order_unit_price: Decimal,
    path: tuple[str, ...],
    qty_tolerance: Decimal = DEFAULT_QTY_TOLERANCE,
    price_tolerance: Decimal = DEFAULT_PRICE_TOLERANCE,
) -> BillMatch:
    """Matches one bill line (quantity and price per base unit, before tax) against what was received and
    not yet billed on its order line. A bill line is positive; a credit note line is negative and matches
    goods returned after billing (a negative open quantity)."""
    if not quantity.is_finite() or quantity == 0:
        raise ValidationError("quantity must not be zero", (*path, "quantity"))
    if not unit_price.is_finite() or unit_price < 0:
        raise ValidationError("unit price must be zero or more", (*path, "unitPrice"))
    sign = 1 if quantity > 0 else -1
    if open_quantity * sign <= 0:
        what = "received" if sign > 0 else "returned"
        raise NotReceived(f"nothing {what} on this order line is left to bill", (*path, "quantity"))
    q, oq = abs(quantity), abs(open_quantity)
    matched = min(q, oq)
    cleared = open_amount if matched == oq else money(open_amount * matched / oq)
    net = sign * money(q * unit_price)
    problems = []
    if q > oq * (1 + qty_tolerance):
        problems.append(f"quantity {q} exceeds the {oq} open by more than {qty_tolerance:%}")
    if abs(unit_price - order_unit_price) > order_unit_price * price_tolerance:
        problems.append(
            f"price {unit_price} is more than {price_tolerance:%} off the order's {order_unit_price}"
        )
    return BillMatch(net, cleared, sign * matched, net - cleared, tuple(problems))


# --- payments ---------------------------------------------------------------------------------


def check_allocations(
    amount: Decimal, allocations: Sequence[tuple[Decimal, Decimal]], path: tuple[str, ...] = ("allocations",)
) -> None:
    """``allocations`` holds (open amount of the document, amount allocated to it). Credit notes have negative
    open amounts and take negative allocations; the payment itself is the sum, zero or more (zero: a credit
    note set against an invoice, no money moving)."""
    if not amount.is_finite() or amount < 0 or money(amount) != amount:
        raise ValidationError("a payment is an amount in cents, zero or more", ("amount",))
    if not allocations:
        raise ValidationError("a payment is allocated to at least one document", path)
    for i, (open_amount, alloc) in enumerate(allocations):
        p = (*path, str(i), "amount")
        if not alloc.is_finite() or alloc == 0 or money(alloc) != alloc:
            raise ValidationError("an allocation is a non-zero amount in cents", p)
        if (alloc > 0) != (open_amount > 0) or abs(alloc) > abs(open_amount):
            raise Overpayment(open_amount, alloc, p)
    total = sum((a for _, a in allocations), ZERO)
    if total != amount:
        raise ValidationError(f"allocations add up to {total}, not the payment's {amount}", ("amount",))


# --- ageing -----------------------------------------------------------------------------------


def ageing_bucket(document_date: date, as_of: date) -> str:
    days = (as_of - document_date).days
    if days <= 30:
        return AGEING_BUCKETS[0]
    if days <= 60:
        return AGEING_BUCKETS[1]
    if days <= 90:
        return AGEING_BUCKETS[2]
    return AGEING_BUCKETS[3]


def age(items: Iterable[tuple[date, Decimal]], as_of: date) -> dict[str, Decimal]:
    totals = dict.fromkeys(AGEING_BUCKETS, ZERO)
    for day, open_amount in items:
        totals[ageing_bucket(day, as_of)] += open_amount
    return totals
