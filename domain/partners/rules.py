"""Roles, permissions and partner identifiers: pure, no I/O.

The permission map is deliberately a table, not code: reviewing who may do what means reading one dict.
Scope (a supplier user sees only its own supplier's documents) is not a permission; the API applies it.
"""

import re
from enum import StrEnum

from domain.common.digits import ascii_digits


class Role(StrEnum):
    ADMIN = "admin"
    BUYER = "buyer"  # 采购员
    SALES = "sales"  # 销售员
    WAREHOUSE = "warehouse"  # 仓管员
    FINANCE = "finance"  # 财务
    STORE_MANAGER = "store_manager"  # 店长
    AUDITOR = "auditor"  # 审计 (read-only, everything)
    SUPPLIER = "supplier"  # 供应商门户用户, scoped to one supplier


class Permission(StrEnum):
    CATALOG_READ = "catalog_read"
    CATALOG_WRITE = "catalog_write"
    PURCHASING_READ = "purchasing_read"
    PURCHASING_WRITE = "purchasing_write"
    RECEIVING = "receiving"
    QUALITY = "quality"
    SALES_READ = "sales_read"
    SALES_WRITE = "sales_write"
    SHIPPING = "shipping"
    INVENTORY_READ = "inventory_read"
    INVENTORY_WRITE = "inventory_write"
    COUNTING = "counting"
    FINANCE_READ = "finance_read"
    FINANCE_WRITE = "finance_write"
    TRACE_READ = "trace_read"
    AUDIT_READ = "audit_read"
    PROMOTION_DECIDE = "promotion_decide"  # accept or dismiss a best-before promotion proposal (店长)
    # acknowledge orders, announce deliveries (ASN), upload certificates: suppliers for themselves, buyers
    # on a supplier's behalf (a phoned-in promise)
    SUPPLIER_COLLABORATION = "supplier_collaboration"
    # co-signed attestations (issue 19): register a party's key, open an attestation, submit a signature the
    # party made; suppliers for their own party only, inspectors and carriers through the warehouse's staff
    ATTESTATION = "attestation"
    ADMIN = "admin"


P = Permission

_READS = frozenset(
    {
        P.CATALOG_READ,
        P.PURCHASING_READ,
        P.SALES_READ,
        P.INVENTORY_READ,
        P.FINANCE_READ,
        P.TRACE_READ,
        P.AUDIT_READ,
    }
)

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.BUYER: frozenset(
        {
            P.CATALOG_READ,
            P.CATALOG_WRITE,
            P.PURCHASING_READ,
            P.PURCHASING_WRITE,
            P.SUPPLIER_COLLABORATION,
            P.INVENTORY_READ,
            P.TRACE_READ,
        }
    ),
    Role.SALES: frozenset({P.CATALOG_READ, P.SALES_READ, P.SALES_WRITE, P.INVENTORY_READ, P.TRACE_READ}),
    Role.WAREHOUSE: frozenset(
        {
            P.CATALOG_READ,
            P.PURCHASING_READ,
            P.RECEIVING,
            P.QUALITY,
            P.SALES_READ,
            P.SHIPPING,
            P.INVENTORY_READ,
            P.INVENTORY_WRITE,
            P.COUNTING,
            P.TRACE_READ,
            P.ATTESTATION,
        }
    ),
    Role.FINANCE: frozenset(
        {
            P.CATALOG_READ,
            P.PURCHASING_READ,
            P.SALES_READ,
            P.INVENTORY_READ,
            P.FINANCE_READ,
            P.FINANCE_WRITE,
            P.TRACE_READ,
        }
    ),
    Role.STORE_MANAGER: frozenset(
        {
            P.CATALOG_READ,
            P.CATALOG_WRITE,
            P.PURCHASING_READ,
            P.PURCHASING_WRITE,
            P.RECEIVING,
            P.SALES_READ,
            P.SALES_WRITE,
            P.SHIPPING,
            P.INVENTORY_READ,
            P.COUNTING,
            P.FINANCE_READ,
            P.TRACE_READ,
            P.PROMOTION_DECIDE,
        }
    ),
    Role.AUDITOR: _READS,
    Role.SUPPLIER: frozenset({P.PURCHASING_READ, P.SUPPLIER_COLLABORATION, P.ATTESTATION}),
}


def parse_role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


def has_permission(role: Role | str, perm: Permission) -> bool:
    # An unknown role string (a row written by an older version, a typo) grants nothing.
    parsed = role if isinstance(role, Role) else parse_role(role)
    if parsed is None:
        return False
    return perm in PERMISSIONS[parsed]


def permissions_of(role: Role) -> frozenset[Permission]:
    return PERMISSIONS[role]


USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
PARTNER_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_\-]{0,31}$")
MIN_PASSWORD_LENGTH = 8


def username_problem(username: str) -> str | None:
    if not USERNAME_RE.match(username):
        return "username must be 2-64 letters, digits, '.', '_' or '-'"
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must have at least {MIN_PASSWORD_LENGTH} characters"
    return None


def partner_code_problem(code: str) -> str | None:
    if not PARTNER_CODE_RE.match(code):
        return "code must be 1-32 upper-case letters, digits, '_' or '-', starting with a letter or digit"
    return None


def gln_check_digit(first12: str) -> int:
    # GS1 mod-10: weights 1,3,1,3… from the left on 12 digits (3,1,3,1… from the right).
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def gln_problem(gln: str) -> str | None:
    if len(gln) != 13 or not ascii_digits(gln):
        return "GLN must be 13 digits"
    if gln_check_digit(gln[:12]) != int(gln[12]):
        return "GLN check digit is wrong"
    return None


def role_supplier_problem(role: Role, has_supplier: bool) -> str | None:
    if role is Role.SUPPLIER and not has_supplier:
        return "a supplier user needs a supplier"
    if role is not Role.SUPPLIER and has_supplier:
        return "only a supplier user may belong to a supplier"
    return None
