"""Signed order links, sessions that end, and a portal that refuses the public default key."""

import httpx
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from api.app import create_app
from domain.partners import services as partners
from lotline.config import Settings
from supplier_portal import security
from tests.e2e.portal.conftest import PASSWORD, Browser, PortalStory, make_portal_story


class _FifteenDaysAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return super().get_timestamp() - 15 * 86400  # links last 14 days


async def test_an_order_link_opens_that_order_only(
    browser: Browser, ps: PortalStory, portal_settings
) -> None:
    s = ps.story
    second = await make_portal_story()  # an order of another supplier
    token = security.Signer(portal_settings).order_link(s.order_id, s.supplier.id)

    opened = await browser.get(f"/portal/l/{token}")
    assert (opened.status_code, opened.headers["location"]) == (303, f"/portal/orders/{s.order_id}")
    assert (await browser.get(f"/portal/orders/{s.order_id}")).status_code == 200
    assert (await browser.get(f"/portal/orders/{s.order_id}/asn")).status_code == 200
    assert (await browser.get(f"/portal/orders/{second.story.order_id}")).status_code == 404
    home = await browser.get("/portal/")
    assert (home.status_code, home.headers["location"]) == (303, f"/portal/orders/{s.order_id}")


async def test_a_forged_expired_or_foreign_link_opens_nothing(
    browser: Browser, ps: PortalStory, portal_settings
) -> None:
    s = ps.story
    forged = URLSafeTimedSerializer("not-our-key", salt="portal-order-link").dumps(
        {"o": s.order_id, "s": s.supplier.id}
    )
    foreign = security.Signer(portal_settings).order_link(s.order_id, s.other.id)  # signed, but not its order
    secret = portal_settings.secret_key.get_secret_value()
    expired = URLSafeTimedSerializer(secret, salt="portal-order-link", signer=_FifteenDaysAgo).dumps(
        {"o": s.order_id, "s": s.supplier.id}
    )

    for token in (forged, foreign, expired):
        assert (await browser.get(f"/portal/l/{token}")).status_code == 404
    assert (await browser.get(f"/portal/orders/{s.order_id}")).status_code == 303  # still signed out


async def test_signing_out_or_a_new_password_ends_the_session(browser: Browser, ps: PortalStory) -> None:
    await browser.sign_in(ps.username)
    assert (await browser.get("/portal/")).status_code == 200
    await partners.set_password(ps.username, "another-password-1")
    assert (await browser.get("/portal/")).status_code == 303

    await browser.sign_in(ps.username, "another-password-1")
    out = await browser.submit("/portal/", "/portal/logout", {})
    assert out.status_code == 303
    assert (await browser.get("/portal/")).status_code == 303
    await partners.set_password(ps.username, PASSWORD)


async def test_the_portal_stays_off_with_the_default_key_outside_the_demo(
    db: object, pg_settings: Settings
) -> None:
    assert pg_settings.secret_key.get_secret_value() == security.DEFAULT_SECRET
    app = create_app(pg_settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        login = await client.get("/portal/login")
        home = await client.get("/portal/")
        health = await client.get("/healthz")
    assert login.status_code == home.status_code == 503
    assert "LOTLINE_SECRET_KEY" in login.text
    assert health.status_code == 200  # the rest of the service runs


def test_the_demo_may_use_the_default_key_and_production_may_not() -> None:
    security.check_secret(Settings(database_url="sqlite://var/x.sqlite3"))
    with pytest.raises(security.InsecureSecretKey, match="LOTLINE_SECRET_KEY"):
        security.check_secret(Settings(database_url="postgres://u@h/db"))
    with pytest.raises(security.InsecureSecretKey):  # docker-compose's placeholder is public too
        security.check_secret(
            Settings(database_url="postgres://u@h/db", secret_key="change-me-in-production")
        )
    security.check_secret(Settings(database_url="postgres://u@h/db", secret_key="a-real-secret-of-our-own"))
