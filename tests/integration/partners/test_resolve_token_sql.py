"""Every API request resolves its bearer token with one hand-written SELECT on PostgreSQL (issue 15,
``services.resolve_token``): the principal the ORM path (SQLite's) reads, and None for a revoked token, a
deactivated user's token, an unknown one and one too long to be ours."""

import pytest

from domain.partners import services
from domain.partners.rules import Role
from tests import factories

PASSWORD = "correct horse battery"


async def _both(monkeypatch: pytest.MonkeyPatch, token: str) -> tuple[object, object]:
    hand = await services.resolve_token(token)
    with monkeypatch.context() as m:
        m.setattr(services, "is_postgres", lambda: False)
        orm = await services.resolve_token(token)
    return hand, orm


async def test_the_principal_is_what_the_orm_reads(db, unique, monkeypatch):
    supplier = await factories.make_supplier()
    buyer = await services.create_user(unique("b").lower(), PASSWORD, Role.BUYER)
    portal = await services.create_user(unique("s").lower(), PASSWORD, Role.SUPPLIER, supplier.code)
    leaver = await services.create_user(unique("l").lower(), PASSWORD, Role.SALES)
    live, other, portal_token = (
        await services.issue_token(buyer.user_id, "handheld"),
        await services.issue_token(buyer.user_id),
        await services.issue_token(portal.user_id),
    )
    revoked = await services.issue_token(buyer.user_id)
    await services.revoke_token(revoked)
    inactive = await services.issue_token(leaver.user_id)
    await services.deactivate_user(leaver.username)

    for token, expected in ((live, buyer), (other, buyer), (portal_token, portal)):
        hand, orm = await _both(monkeypatch, token)
        assert hand == orm == expected
        assert type(hand.role) is Role  # type: ignore[union-attr]
    assert portal.supplier_id == supplier.id
    for token in (revoked, inactive, live + "x", "unknown-token", "", "t" * 257):
        assert await _both(monkeypatch, token) == (None, None)


async def test_sqlite_resolves_it_through_the_orm(sqlite_db, unique):
    user = await services.create_user(unique("u").lower(), PASSWORD, Role.BUYER)
    token = await services.issue_token(user.user_id)
    assert await services.resolve_token(token) == user
    await services.revoke_token(token)
    assert await services.resolve_token(token) is None
