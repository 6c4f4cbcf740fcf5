"""The Starlette application: GraphQL on an explicit route, a health check, Tortoise opened for its life."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from api import collector, graphiql, graphql_http
from api.channels import webhooks
from api.schema import create_schema
from api.trace import capture_route
from lotline.config import Settings, get_settings
from lotline.db import close_db, init_db
from supplier_portal import labels, portal, provenance

HANDHELD = Path(__file__).resolve().parents[1] / "supplier_portal" / "static" / "handheld"


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
    graphql = graphql_http.view(create_schema(settings), settings.graphql_max_body_bytes)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await init_db(settings)
        try:
            async with AsyncExitStack() as stack:
                for lifespan_of in lifespans:
                    await stack.enter_async_context(lifespan_of())
                # The collector's settings for serving (api/collector.py): the started app frozen, young
                # collections after requests (the middleware below), when their objects are dead.
                with collector.serving():
                    yield
        finally:
            if manage_database:
                await close_db()

    # Starlette 1.x answers POSTs to a mounted sub-app with a 307 redirect: give GraphQL its own Route.
    routes = [
        # Every method reaches the view, so even a PUT gets its 405 as a GraphQL error body.
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),  # subscriptions, graphql-transport-ws only
        Route("/healthz", healthz, methods=["GET"]),
        *graphiql.routes(),  # the IDE's own assets, /graphiql/…
        Route("/epcis/capture", capture_route.epcis_capture, methods=["POST"]),
        *provenance.routes(),  # the public QR pages, /p/{code}
        *labels.routes(),  # their printable labels, /p/{code}/label.svg|png
        *webhooks.routes(),  # delivery-platform pushes, /hooks/…
        # The reference handheld app (static; it talks to /graphql with the picker's token).
        Mount("/handheld", StaticFiles(directory=HANDHELD, html=True), name="handheld"),
        *portal.routes(),  # the supplier portal, /portal/…
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(collector.CollectAfterRequest)])
    app.state.settings = settings
    portal.configure(app, settings)
    return app
