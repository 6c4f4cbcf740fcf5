"""Typed errors of mutations: the ``UserError`` interface, its members, and the one place mapping onto them.

Expected failures raised by the domain (``DomainError``) become a member of the mutation's result union;
anything else is a bug, surfaces as a top-level error and is masked (see ``schema.py``).
"""

from collections.abc import Awaitable
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

import strawberry

from api.relay import encode_id
from domain.approvals import errors as approval_errors
from domain.common import errors as domain


@strawberry.enum(description="Stable codes of expected failures.")
class ErrorCode(StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    APPROVAL_REQUIRED = "APPROVAL_REQUIRED"


@strawberry.interface(description="An expected failure: what went wrong and which input field it concerns.")
class UserError:
    message: str
    code: ErrorCode
    path: list[str] = strawberry.field(description='The input field, e.g. ["lines", "2", "quantity"].')


@strawberry.type
class ValidationError(UserError):
    pass


@strawberry.type
class NotFound(UserError):
    pass


@strawberry.type
class Forbidden(UserError):
    pass


@strawberry.type
class Conflict(UserError):
    pass


@strawberry.type
class Shortage:
    sku_code: str
    requested: Decimal
    available: Decimal


@strawberry.type
class InsufficientStock(UserError):
    shortages: list[Shortage]


@strawberry.type(description="The document waits for approval (待审批): nothing was confirmed or posted.")
class ApprovalRequired(UserError):
    request_id: strawberry.ID | None = strawberry.field(description="The waiting ApprovalRequest's ID.")
    level: int = strawberry.field(description="The level waiting now, from 1.")
    waiting_for: str = strawberry.field(description='Who may approve it now: "role finance", "user #7".')


AnyUserError = ValidationError | InsufficientStock | NotFound | Forbidden | Conflict | ApprovalRequired


def from_domain(exc: domain.DomainError) -> AnyUserError:
    """The single mapping of a domain failure onto its GraphQL type."""
    path = list(exc.path)
    code = ErrorCode(exc.code.value)
    if isinstance(exc, domain.InsufficientStock):
        shortages = [
            Shortage(sku_code=s.sku_code, requested=s.requested, available=s.available) for s in exc.shortages
        ]
        return InsufficientStock(message=exc.message, code=code, path=path, shortages=shortages)
    if isinstance(exc, approval_errors.ApprovalRequired):
        request_id = (
            None if exc.request_id is None else strawberry.ID(encode_id("ApprovalRequest", exc.request_id))
        )
        return ApprovalRequired(
            message=exc.message,
            code=code,
            path=path,
            request_id=request_id,
            level=exc.level,
            waiting_for=exc.waiting_for,
        )
    if isinstance(exc, domain.NotFound):
        return NotFound(message=exc.message, code=code, path=path)
    if isinstance(exc, domain.Forbidden):
        return Forbidden(message=exc.message, code=code, path=path)
    if isinstance(exc, domain.Conflict):
        return Conflict(message=exc.message, code=code, path=path)
    return ValidationError(message=exc.message, code=code, path=path)


def forbidden(message: str = "you may not do this") -> Forbidden:
    return Forbidden(message=message, code=ErrorCode.FORBIDDEN, path=[])


T = TypeVar("T")


async def guard(call: Awaitable[T]) -> T | AnyUserError:
    """Awaits a service call and turns its expected failure into the union member; the rest propagates."""
    try:
        return await call
    except domain.DomainError as exc:
        return from_domain(exc)
