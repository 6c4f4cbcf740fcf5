# mypy: disable-error-code="untyped-decorator"
"""Finance report rows as GraphQL types: trial balance, ledgers and statements, ageing, valuation,
reconciliation, and exported files. Plain objects built from ``domain.finance.reports``' dataclasses;
amounts are Decimal (serialised as exact decimal strings)."""

from datetime import date
from decimal import Decimal

import strawberry

from domain.finance import due_dates, reports, terms


@strawberry.type
class TrialBalanceRow:
    account_code: str
    account_name: str
    account_type: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal

    @classmethod
    def of(cls, r: reports.TrialBalanceRow) -> "TrialBalanceRow":
        return cls(**r.__dict__)


@strawberry.type
class LedgerLine:
    entry_id: int
    entry_date: date
    doc_type: str
    doc_id: int
    memo: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@strawberry.type
class Ledger:
    title: str
    opening: Decimal
    lines: list[LedgerLine]
    closing: Decimal

    @classmethod
    def of(cls, g: reports.Ledger) -> "Ledger":
        return cls(
            title=g.title,
            opening=g.opening,
            lines=[LedgerLine(**ln.__dict__) for ln in g.lines],
            closing=g.closing,
        )


@strawberry.type
class AgeingRow:
    partner_code: str
    partner_name: str
    days_0_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal
    not_due: Decimal = strawberry.field(
        default=Decimal(0), description="By due date: open and not yet due (always 0 by document date)."
    )

    @classmethod
    def of(cls, r: reports.AgeingRow | due_dates.DueAgeingRow, not_due: Decimal = Decimal(0)) -> "AgeingRow":
        b = r.buckets
        return cls(
            partner_code=r.partner_code,
            partner_name=r.partner_name,
            days_0_30=b["0-30"],
            days_31_60=b["31-60"],
            days_61_90=b["61-90"],
            over_90=b[">90"],
            total=r.total,
            not_due=not_due,
        )

    @classmethod
    def by_due(cls, r: due_dates.DueAgeingRow) -> "AgeingRow":
        """Days past due in the same columns, and what is not yet due in ``notDue``."""
        return cls.of(r, not_due=r.buckets[terms.NOT_DUE])


@strawberry.type
class ValuationRow:
    sku_code: str
    warehouse_code: str
    quantity: Decimal
    average_cost: Decimal
    value: Decimal


@strawberry.type
class Difference:
    key: str
    amount: Decimal


@strawberry.type
class Reconciliation:
    name: str
    books: Decimal
    subledger: Decimal
    difference: Decimal
    differences: list[Difference]

    @classmethod
    def of(cls, r: reports.Reconciliation) -> "Reconciliation":
        return cls(
            name=r.name,
            books=r.books,
            subledger=r.subledger,
            difference=r.difference,
            differences=[Difference(key=k, amount=v) for k, v in r.differences.items()],
        )


@strawberry.type
class Export:
    filename: str
    content_type: str
    base64: str = strawberry.field(description="The file, base64-encoded (CSV is UTF-8).")
