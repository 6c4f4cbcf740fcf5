"""The supplier portal over HTTP (httpx -> ASGI) on the session's PostgreSQL, with a real secret key and an
upload directory of its own. ``Browser`` keeps cookies like a browser and reads the CSRF token off forms."""

import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from api.app import create_app
from domain.asn import rules as asn_rules
from domain.asn import services as asn_services
from domain.partners import services as partners
from lotline.config import Settings
from tests.integration.asn.conftest import Story, make_story

PASSWORD = "correct-horse-battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def portal_settings(pg_url: str, upload_dir: Path) -> Settings:
    return Settings(
        database_url=pg_url, secret_key=SecretStr("portal-test-secret-0123456789"), upload_dir=upload_dir
    )


@pytest.fixture(scope="session")
def portal_app(db: object, portal_settings: Settings) -> Starlette:
    return create_app(portal_settings, manage_database=False)


class Browser:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, url: str, **kw: object) -> httpx.Response:
        return await self.client.get(url, **kw)  # type: ignore[arg-type]

    async def csrf(self, url: str) -> str:
        page = await self.client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        found = CSRF.search(page.text)
        assert found, f"no CSRF field on {url}"
        return found.group(1)

    async def submit(self, form_url: str, action: str, data: dict[str, str], **kw: object) -> httpx.Response:
        """Like a person: opens the form page, then posts the form with its hidden token."""
        token = await self.csrf(form_url)
        return await self.client.post(action, data={"csrf_token": token, **data}, **kw)  # type: ignore[arg-type]

    async def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        return await self.submit(
            "/portal/login", "/portal/login", {"username": username, "password": password}
        )


@pytest.fixture
async def browser(portal_app: Starlette) -> AsyncIterator[Browser]:
    # each test its own client address: the sign-in rate limit counts per address
    address = f"127.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    transport = httpx.ASGITransport(app=portal_app, client=(address, 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as c:
        yield Browser(c)


@dataclass(frozen=True)
class PortalStory:
    story: Story
    username: str  # a supplier user of story.supplier
    other_username: str  # a supplier user of story.other


async def make_portal_story() -> PortalStory:
    story = await make_story()
    me = await partners.create_user(
        f"p-{story.supplier.code.lower()}", PASSWORD, "supplier", story.supplier.code
    )
    them = await partners.create_user(f"p-{story.other.code.lower()}", PASSWORD, "supplier", story.other.code)
    return PortalStory(story, me.username, them.username)


@pytest.fixture
async def ps(db: object) -> PortalStory:
    return await make_portal_story()


async def announce(ps: PortalStory, lot: str, quantity: str = "1") -> int:
    """An open ASN of one lot on the story's first order line, as the supplier would post it; its id."""
    now = datetime.now(UTC)
    posted = await asn_services.asn_create(
        ps.story.order_id,
        now + timedelta(days=1),
        [asn_rules.AsnLineInput(ps.story.line_ids[0], lot, Decimal(quantity))],
        now,
        supplier_id=ps.story.supplier.id,
    )
    return posted.document_id
