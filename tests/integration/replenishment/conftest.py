"""GraphQL over HTTP (httpx → ASGI) on the session's database, and tokens per role."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from api.app import create_app
from domain.partners import services as partners
from lotline.config import Settings

Gql = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def gql(db: object, pg_settings: Settings) -> AsyncIterator[Gql]:
    app = create_app(pg_settings, manage_database=False)  # Tortoise is the session's (``db``)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:

        async def call(query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
            assert response.status_code == 200, response.text
            return response.json()

        yield call


async def user_and_token(role: str) -> tuple[int, str]:
    principal = await partners.create_user(f"u-{uuid.uuid4().hex[:10]}", "correct-horse-battery", role)
    return principal.user_id, await partners.issue_token(principal.user_id)


async def token_for(role: str) -> str:
    return (await user_and_token(role))[1]
