"""The typed request context: who is calling and the request's own dataloaders."""

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.loaders import Loaders
from domain.partners import services as partners
from domain.partners.services import Principal


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    principal: Principal | None
    loaders: Loaders = field(default_factory=Loaders)
    # graphql-transport-ws: the client's connection_init payload (its token, since browsers cannot set
    # headers on a WebSocket); strawberry fills it in before ``on_ws_connect``.
    connection_params: dict[str, object] | None = None


Info = StrawberryInfo[Context, None]


def bearer_token(request: Request | WebSocket) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def build_context(request: Request | WebSocket, response: Response | WebSocket | None) -> Context:
    token = bearer_token(request)
    principal = await partners.resolve_token(token) if token else None
    return Context(request=request, response=response, principal=principal)
