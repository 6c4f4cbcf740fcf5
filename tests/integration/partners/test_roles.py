"""The permission map (pure; kept beside the partners tests, needs no database)."""

import pytest

from domain.partners import rules
from domain.partners.rules import Permission, Role


def test_the_admin_may_do_everything():
    assert all(rules.has_permission(Role.ADMIN, p) for p in Permission)


def test_a_supplier_may_only_read_purchasing_collaborate_on_its_orders_and_co_sign():
    allowed = {p for p in Permission if rules.has_permission(Role.SUPPLIER, p)}
    # co-signing (issue 19) is scoped to the supplier's own party by the API and the portal
    assert allowed == {Permission.PURCHASING_READ, Permission.SUPPLIER_COLLABORATION, Permission.ATTESTATION}


def test_an_auditor_reads_everything_and_writes_nothing():
    allowed = rules.permissions_of(Role.AUDITOR)
    assert all(p.value.endswith("_read") for p in allowed)
    assert Permission.AUDIT_READ in allowed
    assert Permission.FINANCE_READ in allowed


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (Role.BUYER, Permission.PURCHASING_WRITE, True),
        (Role.BUYER, Permission.SALES_WRITE, False),
        (Role.SALES, Permission.SALES_WRITE, True),
        (Role.SALES, Permission.FINANCE_WRITE, False),
        (Role.WAREHOUSE, Permission.RECEIVING, True),
        (Role.WAREHOUSE, Permission.COUNTING, True),
        (Role.WAREHOUSE, Permission.FINANCE_READ, False),
        (Role.FINANCE, Permission.FINANCE_WRITE, True),
        (Role.FINANCE, Permission.INVENTORY_WRITE, False),
        (Role.STORE_MANAGER, Permission.SALES_WRITE, True),
        (Role.STORE_MANAGER, Permission.ADMIN, False),
    ],
)
def test_each_role_gets_what_its_job_needs(role, permission, expected):
    assert rules.has_permission(role, permission) is expected


def test_every_role_has_an_entry_and_only_the_admin_administers():
    assert set(rules.PERMISSIONS) == set(Role)
    assert [r for r in Role if rules.has_permission(r, Permission.ADMIN)] == [Role.ADMIN]


def test_a_role_string_from_the_database_is_accepted_and_an_unknown_one_grants_nothing():
    assert rules.has_permission("finance", Permission.FINANCE_READ) is True
    assert rules.has_permission("root", Permission.CATALOG_READ) is False


@pytest.mark.parametrize(
    ("gln", "ok"),
    [("4012345000009", True), ("4012345000008", False), ("401234500000", False), ("40123450000a9", False)],
)
def test_a_gln_needs_13_digits_and_a_right_check_digit(gln, ok):
    assert (rules.gln_problem(gln) is None) is ok
