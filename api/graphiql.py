"""The GraphiQL IDE served by the app itself: its page and its pinned assets (api/static/graphiql/README.md).

``GET /graphql`` from a browser gets ``page()``; the page loads React, GraphiQL and the explorer plugin from
``/graphiql/…`` (``routes()``), never from a CDN, each with its SHA-384 ``integrity``, so the IDE renders
offline and behind a firewall.
"""

import functools
from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

ASSETS = Path(__file__).resolve().parent / "static" / "graphiql"


@functools.cache
def page() -> str:
    """The IDE's HTML page (UTF-8)."""
    return (ASSETS / "index.html").read_text(encoding="utf-8")


def routes() -> list[BaseRoute]:
    """``/graphiql/<file>``: the vendored builds (ETag and Last-Modified from StaticFiles)."""
    return [Mount("/graphiql", app=StaticFiles(directory=ASSETS), name="graphiql")]
