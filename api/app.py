"""The Starlette application: GraphQL on an explicit route, a health check, Tortoise opened for its life."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from api.channels import webhooks
from api.context import Context, build_context
from api.schema import create_schema
from api.trace import capture_route
from domain.partners import services as partners
from lotline.config import Settings, get_settings
from lotline.db import close_db, init_db
from supplier_portal import provenance

HANDHELD = Path(__file__).resolve().parents[1] / "supplier_portal" / "static" / "handheld"


class LotlineGraphQL(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        return await build_context(request, response)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket client authenticates in ``connection_init``: ``{"authorization": "Bearer <token>"}``;
        without a valid token the connection is closed (4403) before any subscription starts."""
        if context.principal is None:
            params = context.connection_params or {}
            scheme, _, token = str(params.get("authorization", "")).partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                context.principal = await partners.resolve_token(token.strip())
        if context.principal is None:
            raise ConnectionRejectionError()
        accepted: UnsetType = UNSET
        return accepted


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
    # Only graphql-transport-ws: the legacy graphql-ws protocol had an authentication-bypass advisory.
    graphql: Any = LotlineGraphQL(
        create_schema(settings),
        graphql_ide="graphiql",
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
    )

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
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/epcis/capture", capture_route.epcis_capture, methods=["POST"]),
        *provenance.routes(),  # the public QR pages, /p/{code}
        *webhooks.routes(),  # delivery-platform pushes, /hooks/…
        # The reference handheld app (static; it talks to /graphql with the picker's token).
        Mount("/handheld", StaticFiles(directory=HANDHELD, html=True), name="handheld"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    return app
