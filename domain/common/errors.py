"""Expected failures of the domain, each with a stable code and the field it concerns.

The API maps each onto the matching member of a mutation's result union; anything else is a bug.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class ErrorCode(StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    APPROVAL_REQUIRED = "APPROVAL_REQUIRED"


class DomainError(Exception):
    code: ErrorCode = ErrorCode.VALIDATION

    def __init__(self, message: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class ValidationError(DomainError):
    code = ErrorCode.VALIDATION


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND

    def __init__(self, entity: str, ref: object, path: tuple[str, ...] = ()) -> None:
        super().__init__(f"{entity} {ref!s} not found", path)
        self.entity = entity
        self.ref = ref


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN


@dataclass(frozen=True)
class Shortage:
    sku_code: str
    requested: Decimal
    available: Decimal


class InsufficientStock(DomainError):
    code = ErrorCode.INSUFFICIENT_STOCK

    def __init__(self, shortages: list[Shortage], path: tuple[str, ...] = ()) -> None:
        detail = ", ".join(
            f"{s.sku_code}: requested {s.requested}, available {s.available}" for s in shortages
        )
        super().__init__(f"insufficient stock ({detail})", path)
        self.shortages = shortages
