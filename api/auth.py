"""Authorisation: a permission class per ``Permission`` for fields, and ``require`` for mutations.

Rules we keep everywhere:
- no token (or an unknown one): a top-level ``UNAUTHENTICATED`` error, whatever was asked;
- a query without the permission: a top-level ``FORBIDDEN`` error (never a silently empty page);
- a mutation without the permission: its ``Forbidden`` union member;
- a supplier user reaches only the fields marked ``supplier_ok``, and those filter to its own supplier;
  another supplier's document is absent (``null`` / ``NotFound``), so its existence does not leak.
"""

from functools import cache
from typing import Any

from graphql import GraphQLError
from strawberry.permission import BasePermission

from api.context import Context, Info
from domain.common.errors import Forbidden, ValidationError
from domain.common.services import MAX_CLIENT_KEY_LENGTH
from domain.partners import rules
from domain.partners.rules import Permission
from domain.partners.services import Principal


class NotAuthenticated(GraphQLError):
    def __init__(self) -> None:
        super().__init__("authentication required", extensions={"code": "UNAUTHENTICATED"})


class NotAllowed(GraphQLError):
    def __init__(self, message: str = "you may not see this") -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN"})


def is_supplier(principal: Principal) -> bool:
    return principal.role is rules.Role.SUPPLIER or principal.supplier_id is not None


def allowed(principal: Principal, perm: Permission, supplier_ok: bool = False) -> bool:
    if is_supplier(principal) and not supplier_ok:
        return False
    return rules.has_permission(principal.role, perm)


def principal_of(info: Info) -> Principal:
    principal = info.context.principal
    if principal is None:
        raise NotAuthenticated()
    return principal


def check(info: Info, perm: Permission, supplier_ok: bool = False) -> Principal:
    """For queries: the caller, or a top-level error."""
    principal = principal_of(info)
    if not allowed(principal, perm, supplier_ok):
        raise NotAllowed(f"the {principal.role.value} role lacks {perm.value}")
    return principal


def require(info: Info, perm: Permission) -> Principal:
    """For mutations: the caller, or a domain ``Forbidden`` that ``errors.guard`` turns into the union member.

    Suppliers never mutate through the API (the supplier portal has its own forms).
    """
    principal = principal_of(info)
    if not allowed(principal, perm):
        raise Forbidden(f"the {principal.role.value} role lacks {perm.value}")
    return principal


def supplier_scope(info: Info) -> int | None:
    """The supplier id the caller is confined to, or ``None`` for staff."""
    principal = principal_of(info)
    return principal.supplier_id if is_supplier(principal) else None


@cache
def needs(perm: Permission, supplier_ok: bool = False) -> type[BasePermission]:
    """The permission class for ``perm``: ``permission_classes=[auth.needs(P.CATALOG_READ)]``."""

    class _Needs(BasePermission):
        message = f"missing permission {perm.value}"

        def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            context: Context = info.context
            if context.principal is None:
                raise NotAuthenticated()
            if not allowed(context.principal, perm, supplier_ok):
                raise NotAllowed(f"the {context.principal.role.value} role lacks {perm.value}")
            return True

    _Needs.__name__ = f"Needs_{perm.value}{'_supplier_ok' if supplier_ok else ''}"
    return _Needs


def client_key(info: Info, key: str | None) -> str | None:
    """A client's idempotency key (1 to 128 characters, not blank), scoped to the caller so two users' keys
    never meet. Raises ``ValidationError`` (path ``idempotencyKey``) for a key outside those bounds."""
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_CLIENT_KEY_LENGTH:
        raise ValidationError(
            f"an idempotency key is 1 to {MAX_CLIENT_KEY_LENGTH} characters, not blank "
            f"(幂等键为 1 至 {MAX_CLIENT_KEY_LENGTH} 个字符), got {len(key)}",
            ("idempotencyKey",),
        )
    return f"{principal_of(info).user_id}:{key}"
