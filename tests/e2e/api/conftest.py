"""GraphQL over HTTP (httpx → ASGI) on the session's PostgreSQL database (``db`` from tests/conftest.py)."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from domain.partners import services as partners
from lotline.config import Settings

Gql = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture(scope="session")
def app(db: object, pg_settings: Settings) -> Starlette:
    # Tortoise is already open for the session (``db``): the app must not open or close it.
    return create_app(pg_settings, manage_database=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
def token_for(unique: Callable[[str], str]) -> Callable[..., Awaitable[str]]:
    """``await token_for("warehouse")`` or ``await token_for("supplier", supplier_code="SUP-…")``."""

    async def make(role: str, supplier_code: str | None = None) -> str:
        principal = await partners.create_user(
            unique("u").lower(), "correct-horse-battery", role, supplier_code
        )
        return await partners.issue_token(principal.user_id)

    return make


@pytest.fixture
def gql(client: httpx.AsyncClient) -> Gql:
    """Posts a query; returns the whole JSON body (``data`` and maybe ``errors``)."""

    async def call(
        query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return call


@pytest.fixture
async def admin(token_for: Callable[..., Awaitable[str]]) -> str:
    return await token_for("admin")
