"""Users, passwords and API tokens on PostgreSQL."""

import hashlib

import pytest
from argon2 import PasswordHasher

from domain.common.errors import Conflict, ErrorCode, NotFound, ValidationError
from domain.partners import services
from domain.partners.models import ApiToken, User
from domain.partners.rules import Role

PASSWORD = "correct horse battery"


def _name(unique) -> str:
    return unique("u").lower()


async def test_a_created_user_logs_in_with_its_password_and_not_another(db, unique):
    username = _name(unique)
    created = await services.create_user(username, PASSWORD, "buyer")

    assert created.role is Role.BUYER
    assert await services.authenticate_password(username, PASSWORD) == created
    assert await services.authenticate_password(username, "wrong password") is None
    assert await services.authenticate_password(_name(unique), PASSWORD) is None


async def test_the_password_is_stored_as_an_argon2_hash(db, unique):
    username = _name(unique)
    await services.create_user(username, PASSWORD, Role.SALES)

    user = await User.get(username=username)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


async def test_an_outdated_hash_is_replaced_at_the_next_login(db, unique):
    username = _name(unique)
    await services.create_user(username, PASSWORD, Role.SALES)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    await User.filter(username=username).update(password_hash=weak)

    assert await services.authenticate_password(username, PASSWORD) is not None
    assert (await User.get(username=username)).password_hash != weak


async def test_a_second_user_with_the_same_name_is_a_conflict_and_the_first_is_unchanged(db, unique):
    username = _name(unique)
    first = await services.create_user(username, PASSWORD, Role.BUYER)

    with pytest.raises(Conflict) as exc:
        await services.create_user(username, "another password", Role.ADMIN)

    assert exc.value.code is ErrorCode.CONFLICT
    assert exc.value.path == ("username",)
    assert await User.filter(username=username).count() == 1
    assert await services.authenticate_password(username, PASSWORD) == first


@pytest.mark.parametrize(
    ("username", "password", "role", "supplier", "path"),
    [
        ("x", PASSWORD, "buyer", None, ("username",)),
        ("ok-name", "short", "buyer", None, ("password",)),
        ("ok-name", PASSWORD, "overlord", None, ("role",)),
        ("ok-name", PASSWORD, "supplier", None, ("supplier",)),
        ("ok-name", PASSWORD, "buyer", "SUP-1", ("supplier",)),
    ],
)
async def test_invalid_users_are_rejected_with_the_field_at_fault(
    db, username, password, role, supplier, path
):
    before = await User.all().count()

    with pytest.raises(ValidationError) as exc:
        await services.create_user(username, password, role, supplier)

    assert exc.value.code is ErrorCode.VALIDATION
    assert exc.value.path == path
    assert await User.all().count() == before


async def test_a_supplier_user_belongs_to_its_supplier(db, unique):
    supplier = await services.create_supplier(unique("SUP"), "青岛海鲜供应链")
    username = _name(unique)

    created = await services.create_user(username, PASSWORD, Role.SUPPLIER, supplier.code)

    assert created.supplier_id == supplier.id
    assert created.role is Role.SUPPLIER


async def test_a_supplier_user_of_an_unknown_supplier_is_not_found(db, unique):
    username = _name(unique)

    with pytest.raises(NotFound) as exc:
        await services.create_user(username, PASSWORD, Role.SUPPLIER, unique("NOPE"))

    assert exc.value.code is ErrorCode.NOT_FOUND
    assert not await User.filter(username=username).exists()


async def test_an_issued_token_resolves_to_its_user_and_only_its_hash_is_stored(db, unique):
    user = await services.create_user(_name(unique), PASSWORD, Role.WAREHOUSE)

    token = await services.issue_token(user.user_id, "scanner")

    assert len(token) >= 43
    assert await services.resolve_token(token) == user
    stored = await ApiToken.get(user_id=user.user_id)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.name == "scanner"


async def test_unknown_tokens_resolve_to_nobody(db):
    assert await services.resolve_token("not-a-token") is None
    assert await services.resolve_token("") is None
    assert await services.resolve_token("x" * 10_000) is None


async def test_a_revoked_token_no_longer_resolves_but_the_others_do(db, unique):
    user = await services.create_user(_name(unique), PASSWORD, Role.FINANCE)
    kept = await services.issue_token(user.user_id, "laptop")
    revoked = await services.issue_token(user.user_id, "phone")

    assert await services.revoke_token(revoked) is True
    assert await services.revoke_token(revoked) is False

    assert await services.resolve_token(revoked) is None
    assert await services.resolve_token(kept) == user
    tokens = await services.list_tokens(user.user_id)
    assert [(t.name, t.revoked_at is not None) for t in tokens] == [("laptop", False), ("phone", True)]


async def test_a_user_revokes_only_its_own_tokens_by_id(db, unique):
    owner = await services.create_user(_name(unique), PASSWORD, Role.SALES)
    other = await services.create_user(_name(unique), PASSWORD, Role.SALES)
    token = await services.issue_token(owner.user_id, "t")
    token_id = (await services.list_tokens(owner.user_id))[0].id

    assert await services.revoke_token_by_id(token_id, other.user_id) is False
    assert await services.resolve_token(token) == owner
    assert await services.revoke_token_by_id(token_id, owner.user_id) is True
    assert await services.resolve_token(token) is None


async def test_a_deactivated_user_neither_logs_in_nor_uses_its_tokens_nor_gets_new_ones(db, unique):
    username = _name(unique)
    user = await services.create_user(username, PASSWORD, Role.AUDITOR)
    token = await services.issue_token(user.user_id)

    await services.deactivate_user(username)

    assert await services.resolve_token(token) is None
    assert await services.authenticate_password(username, PASSWORD) is None
    with pytest.raises(NotFound):
        await services.issue_token(user.user_id)


async def test_a_token_for_a_missing_user_is_not_found(db):
    with pytest.raises(NotFound) as exc:
        await services.issue_token(2_000_000_000)
    assert exc.value.code is ErrorCode.NOT_FOUND
