"""The Starlette application: GraphQL on an explicit route, a health check, Tortoise opened for its life."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.context import Context, build_context
from api.schema import create_schema
from api.trace import capture_route
from lotline.config import Settings, get_settings
from lotline.db import close_db, init_db
from supplier_portal import provenance


class LotlineGraphQL(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        return await build_context(request, response)

    def parse_json(self, data: str | bytes) -> Any:
        # A body of null, "x" or 1 is no GraphQL request: 400 like malformed JSON (strawberry answers 500).
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "the request body must be a JSON object")
        return parsed


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(
    settings: Settings | None = None,
    *,
    manage_database: bool = True,
    lifespans: Sequence[Callable[[], AbstractAsyncContextManager[object]]] = (),
) -> Starlette:
    """The app. ``manage_database=False`` leaves Tortoise to the caller (tests that opened it already).
    ``lifespans`` run with the database open, in order (``lotline serve``: the embedded anchoring)."""
    settings = settings or get_settings()
    graphql: Any = LotlineGraphQL(create_schema(settings), graphql_ide="graphiql")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await init_db(settings)
        try:
            async with AsyncExitStack() as stack:
                for lifespan_of in lifespans:
                    await stack.enter_async_context(lifespan_of())
                yield
        finally:
            if manage_database:
                await close_db()

    # Starlette 1.x answers POSTs to a mounted sub-app with a 307 redirect: give GraphQL its own Route.
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/epcis/capture", capture_route.epcis_capture, methods=["POST"]),
        *provenance.routes(),  # the public QR pages, /p/{code}
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    return app
