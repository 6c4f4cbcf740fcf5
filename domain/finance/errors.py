"""Expected failures of finance, each a ``ValidationError`` or ``Conflict`` naming the field it concerns.

They subclass the common domain errors, so the API maps them onto its union members unchanged; ``reason``
tells them apart for callers that need to (and for tests).
"""

from decimal import Decimal
from enum import StrEnum

from domain.common.errors import Conflict, ValidationError


class Reason(StrEnum):
    CLOSED_PERIOD = "CLOSED_PERIOD"
    UNBALANCED = "UNBALANCED"
    WRONG_ACCOUNT_TYPE = "WRONG_ACCOUNT_TYPE"
    OVERPAYMENT = "OVERPAYMENT"
    NOT_RECEIVED = "NOT_RECEIVED"
    ALREADY_INVOICED = "ALREADY_INVOICED"
    ALREADY_REVERSED = "ALREADY_REVERSED"


class ClosedPeriod(ValidationError):
    reason = Reason.CLOSED_PERIOD

    def __init__(self, period: str, path: tuple[str, ...]) -> None:
        super().__init__(f"period {period} is closed: nothing can be posted inside it", path)
        self.period = period


class Unbalanced(ValidationError):
    reason = Reason.UNBALANCED

    def __init__(self, debit: Decimal, credit: Decimal, path: tuple[str, ...] = ("lines",)) -> None:
        super().__init__(f"debits {debit} and credits {credit} differ by {debit - credit}", path)
        self.debit = debit
        self.credit = credit


class WrongAccountType(ValidationError):
    reason = Reason.WRONG_ACCOUNT_TYPE

    def __init__(self, message: str, path: tuple[str, ...]) -> None:
        super().__init__(message, path)


class Overpayment(ValidationError):
    reason = Reason.OVERPAYMENT

    def __init__(self, open_amount: Decimal, amount: Decimal, path: tuple[str, ...]) -> None:
        super().__init__(f"allocating {amount} exceeds the {open_amount} still open", path)
        self.open_amount = open_amount
        self.amount = amount


class NotReceived(ValidationError):
    reason = Reason.NOT_RECEIVED

    def __init__(self, message: str, path: tuple[str, ...]) -> None:
        super().__init__(message, path)


class AlreadyInvoiced(Conflict):
    reason = Reason.ALREADY_INVOICED

    def __init__(self, message: str, path: tuple[str, ...]) -> None:
        super().__init__(message, path)


class AlreadyReversed(Conflict):
    reason = Reason.ALREADY_REVERSED

    def __init__(self, message: str, path: tuple[str, ...]) -> None:
        super().__init__(message, path)
