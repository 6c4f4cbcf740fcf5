"""Suppliers and customers on PostgreSQL."""

import pytest

from domain.common.errors import Conflict, ErrorCode, ValidationError
from domain.partners import services
from domain.partners.models import Customer, Supplier


async def test_a_supplier_is_created_with_its_gln_and_lead_time(db, unique):
    code = unique("SUP")

    created = await services.create_supplier(
        code, "  云南高原果蔬合作社 ", gln="4012345000009", lead_time_days=5
    )

    row = await Supplier.get(id=created.id)
    assert (created.code, created.name) == (code, "云南高原果蔬合作社")
    assert (row.gln, row.lead_time_days, row.active) == ("4012345000009", 5, True)


async def test_a_second_supplier_with_the_same_code_is_a_conflict(db, unique):
    code = unique("SUP")
    await services.create_supplier(code, "first")

    with pytest.raises(Conflict) as exc:
        await services.create_supplier(code, "second")

    assert exc.value.code is ErrorCode.CONFLICT
    assert exc.value.path == ("code",)
    assert [s.name for s in await Supplier.filter(code=code)] == ["first"]


@pytest.mark.parametrize(
    ("code", "name", "gln", "path"),
    [
        ("lower-case", "n", None, ("code",)),
        ("OK", "   ", None, ("name",)),
        ("OK", "n", "4012345000008", ("gln",)),
        ("OK", "n", "40123", ("gln",)),
    ],
)
async def test_invalid_suppliers_are_rejected_with_the_field_at_fault(db, code, name, gln, path):
    before = await Supplier.all().count()

    with pytest.raises(ValidationError) as exc:
        await services.create_supplier(code, name, gln=gln)

    assert exc.value.path == path
    assert await Supplier.all().count() == before


async def test_a_customer_is_created_and_its_code_is_unique(db, unique):
    code = unique("CUS")

    created = await services.create_customer(code, "上海静安店", contact="021-0000")

    assert (await Customer.get(id=created.id)).contact == "021-0000"
    with pytest.raises(Conflict):
        await services.create_customer(code, "again")
    assert await Customer.filter(code=code).count() == 1


async def test_a_supplier_and_a_user_work_on_the_embedded_sqlite_too(sqlite_db, unique):
    supplier = await services.create_supplier(unique("SUP"), "sqlite supplier")
    user = await services.create_user("portal-user", "long enough pw", "supplier", supplier.code)

    token = await services.issue_token(user.user_id, "portal")

    assert await services.resolve_token(token) == user
    assert await services.authenticate_password("portal-user", "long enough pw") == user
