"""A real uvicorn on a free port in the test's own loop (sharing the session's Tortoise), for WebSockets."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
import uvicorn

from api.app import create_app
from chain.anvil import free_port
from lotline.config import Settings


@pytest.fixture
async def ws_server(db: object, pg_settings: Settings) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(pg_settings, manage_database=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn offers no event to wait on
        if server.started:
            break
        await asyncio.sleep(0.02)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
