"""Partners use cases: suppliers, customers, users, passwords and API tokens.

Tokens are 256-bit random strings shown once; only their SHA-256 is stored, so a leaked table grants nothing
and lookup is a unique-index hit. Passwords use argon2id and are rehashed when the parameters change.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.partners import rules
from domain.partners.models import ApiToken, Customer, Supplier, User

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing of "no such user" and "wrong password"
# the same, so the login cannot be used to list usernames.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: rules.Role
    supplier_id: int | None


@dataclass(frozen=True)
class PartnerRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class TokenRef:
    id: int
    user_id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _principal(user: User) -> Principal:
    return Principal(user.id, user.username, rules.Role(user.role), user.supplier_id)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check(problem: str | None, field: str) -> None:
    if problem is not None:
        raise ValidationError(problem, (field,))


async def create_supplier(
    code: str,
    name: str,
    contact: str = "",
    gln: str | None = None,
    lead_time_days: int = 2,
    custom: dict[str, Any] | None = None,
) -> PartnerRef:
    """Creates a supplier; ``custom`` values are checked against the supplier's custom fields
    (``ValidationError`` at ``("customFields", key)``), defaults applied. ``Conflict`` for a taken code."""
    _check(rules.partner_code_problem(code), "code")
    if not name.strip():
        raise ValidationError("name is required", ("name",))
    if gln is not None:
        _check(rules.gln_problem(gln), "gln")
    if lead_time_days < 0:
        raise ValidationError("lead time cannot be negative", ("leadTimeDays",))
    try:
        async with in_transaction():
            values = await custom_fields.checked(Entity.SUPPLIER, custom)
            row = await Supplier.create(
                code=code,
                name=name.strip(),
                contact=contact,
                gln=gln,
                lead_time_days=lead_time_days,
                custom=values,
            )
    except IntegrityError as exc:
        raise Conflict(f"supplier {code} already exists", ("code",)) from exc
    return PartnerRef(row.id, row.code, row.name)


async def create_customer(
    code: str, name: str, contact: str = "", gln: str | None = None, custom: dict[str, Any] | None = None
) -> PartnerRef:
    """Creates a customer; ``custom`` as for ``create_supplier``."""
    _check(rules.partner_code_problem(code), "code")
    if not name.strip():
        raise ValidationError("name is required", ("name",))
    if gln is not None:
        _check(rules.gln_problem(gln), "gln")
    try:
        async with in_transaction():
            values = await custom_fields.checked(Entity.CUSTOMER, custom)
            row = await Customer.create(code=code, name=name.strip(), contact=contact, gln=gln, custom=values)
    except IntegrityError as exc:
        raise Conflict(f"customer {code} already exists", ("code",)) from exc
    return PartnerRef(row.id, row.code, row.name)


async def create_user(
    username: str, password: str, role: rules.Role | str, supplier_code: str | None = None
) -> Principal:
    _check(rules.username_problem(username), "username")
    _check(rules.password_problem(password), "password")
    parsed = rules.parse_role(role) if isinstance(role, str) else role
    if parsed is None:
        raise ValidationError(f"unknown role {role!s}", ("role",))
    _check(rules.role_supplier_problem(parsed, supplier_code is not None), "supplier")
    password_hash = _hasher.hash(password)
    try:
        async with in_transaction():
            supplier_id = None
            if supplier_code is not None:
                supplier = await Supplier.get_or_none(code=supplier_code)
                if supplier is None:
                    raise NotFound("supplier", supplier_code, ("supplier",))
                supplier_id = supplier.id
            user = await User.create(
                username=username, password_hash=password_hash, role=parsed.value, supplier_id=supplier_id
            )
    except IntegrityError as exc:
        raise Conflict(f"user {username} already exists", ("username",)) from exc
    return _principal(user)


async def get_principal(username: str) -> Principal:
    user = await User.get_or_none(username=username)
    if user is None:
        raise NotFound("user", username)
    return _principal(user)


async def user_exists(username: str) -> bool:
    return await User.filter(username=username).exists()


async def authenticate_password(username: str, password: str) -> Principal | None:
    user = await User.get_or_none(username=username, active=True)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        await user.save(update_fields=["password_hash"])
    return _principal(user)


async def set_password(username: str, password: str) -> None:
    _check(rules.password_problem(password), "password")
    updated = await User.filter(username=username).update(password_hash=_hasher.hash(password))
    if not updated:
        raise NotFound("user", username)


async def issue_token(user_id: int, name: str = "") -> str:
    """Creates a token for an active user and returns it in plain text: the only time it is visible."""
    if len(name) > 64:
        raise ValidationError("token name must be at most 64 characters", ("name",))
    async with in_transaction():
        user = await User.get_or_none(id=user_id, active=True)
        if user is None:
            raise NotFound("user", user_id)
        token = secrets.token_urlsafe(32)
        await ApiToken.create(user_id=user.id, name=name, token_hash=_token_hash(token))
    return token


# Hand-written on PostgreSQL (issue 15): every API request resolves its bearer token here, and the ORM's
# filter/select_related spent ~6 % of a receipt request's server CPU building the query and two models for
# four columns. tests/integration/partners/test_resolve_token_sql.py pins it to the ORM path.
_RESOLVE = (
    'SELECT u."id", u."username", u."role", u."supplier_id" FROM "api_token" AS t '
    'JOIN "app_user" AS u ON u."id" = t."user_id" '
    'WHERE t."token_hash" = $1 AND t."revoked_at" IS NULL AND u."active"'
)


async def resolve_token(token: str) -> Principal | None:
    """The active user a live (not revoked) API token belongs to, or None."""
    if not token or len(token) > 256:
        return None
    if is_postgres():
        _, found = await ApiToken._meta.db.execute_query(_RESOLVE, [_token_hash(token)])
        if not found:
            return None
        r = found[0]
        return Principal(r["id"], r["username"], rules.Role(r["role"]), r["supplier_id"])
    row = (
        await ApiToken.filter(token_hash=_token_hash(token), revoked_at__isnull=True, user__active=True)
        .select_related("user")
        .first()
    )
    if row is None:
        return None
    return _principal(row.user)


async def revoke_token(token: str, now: datetime | None = None) -> bool:
    """Revokes a token given in plain text; False if it was unknown or already revoked."""
    updated = await ApiToken.filter(token_hash=_token_hash(token), revoked_at__isnull=True).update(
        revoked_at=now or datetime.now(UTC)
    )
    return updated > 0


async def revoke_token_by_id(token_id: int, user_id: int, now: datetime | None = None) -> bool:
    """Revokes one of the user's own tokens by id (the API lists ids, never tokens)."""
    updated = await ApiToken.filter(id=token_id, user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=now or datetime.now(UTC)
    )
    return updated > 0


async def list_tokens(user_id: int) -> list[TokenRef]:
    rows = await ApiToken.filter(user_id=user_id).order_by("id")
    return [TokenRef(r.id, r.user_id, r.name, r.created_at, r.revoked_at) for r in rows]


async def deactivate_user(username: str) -> None:
    updated = await User.filter(username=username).update(active=False)
    if not updated:
        raise NotFound("user", username)
