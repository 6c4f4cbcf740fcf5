"""Co-signing in the supplier portal (issue 19): the supplier's BLS key is made and kept in its browser
(``static/portal/attest.js`` with the vendored noble-curves); the server receives the public key with its
proof of possession, and signatures of the exact message it shows, and checks both before keeping them.

The page runs one script module: the Content-Security-Policy allows scripts from ``/portal/static`` and the
one inline import map by its SHA-256, nothing else.
"""

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from domain.attestations import commands, views
from domain.common.errors import DomainError, NotFound
from supplier_portal import web

STATIC = Path(__file__).parent / "static" / "portal"
STATIC_URL = "/portal/static"
IMPORT_MAP = json.dumps(
    {
        "imports": {
            "@noble/curves/": f"{STATIC_URL}/vendor/noble-curves-2.4.0/",
            "@noble/hashes/": f"{STATIC_URL}/vendor/noble-hashes-2.4.0/",
        }
    }
)
_MAP_HASH = base64.b64encode(hashlib.sha256(IMPORT_MAP.encode()).digest()).decode()
HEADERS = {
    **web.HEADERS,
    "Content-Security-Policy": web.HEADERS["Content-Security-Policy"]
    + f"; script-src 'self' 'sha256-{_MAP_HASH}'",
}
CLAIMS = {
    "origin": ("产地", "origin"),
    "qc_verdict": ("质检结论", "QC verdict"),
    "cold_chain": ("冷链", "cold chain"),
}


async def _page(
    request: Request, visitor: web.Visitor, error: str | None = None, status: int = 200
) -> Response:
    assert visitor.supplier_id is not None  # web.page(user_only=True) lets suppliers only
    view = await views.supplier_view(visitor.supplier_id)
    response = web.render(
        request,
        "attestations.html",
        status=status,
        visitor=visitor,
        view=view,
        claims=CLAIMS,
        import_map=IMPORT_MAP,
        error=error,
        done=request.query_params.get("done"),
    )
    response.headers.update(HEADERS)
    return response


@web.page(user_only=True)
async def attestations(request: Request, visitor: web.Visitor) -> Response:
    return await _page(request, visitor)


@web.page(user_only=True)
async def key_post(request: Request, visitor: web.Visitor) -> Response:
    """Registers the browser's new key for the supplier's party, or rotates to it when one is registered."""
    form = await web.form_of(request, visitor)
    assert visitor.supplier_id is not None
    view = await views.supplier_view(visitor.supplier_id)
    pk, pop = str(form.get("public_key", "")), str(form.get("proof_of_possession", ""))
    try:
        if view.party is None:
            await commands.register_party(
                visitor.supplier_name, "supplier", pk, pop, datetime.now(UTC), supplier_id=visitor.supplier_id
            )
        else:
            await commands.rotate_party(
                view.party.id, pk, pop, datetime.now(UTC), supplier_id=visitor.supplier_id
            )
    except DomainError as exc:
        return await _page(request, visitor, exc.message, 422)
    return web.redirect("/portal/attestations?done=key")


@web.page(user_only=True)
async def sign_post(request: Request, visitor: web.Visitor) -> Response:
    """Keeps the signature the browser made of the attestation's message (checked against the party's key)."""
    attestation_id = web.int_param(request, "attestation_id")
    form = await web.form_of(request, visitor)
    assert visitor.supplier_id is not None
    view = await views.supplier_view(visitor.supplier_id)
    if view.party is None or attestation_id not in {a.id for a in view.open}:
        raise NotFound("attestation", attestation_id)
    try:
        await commands.sign_attestation(
            attestation_id,
            view.party.id,
            str(form.get("signature", "")),
            datetime.now(UTC),
            supplier_id=visitor.supplier_id,
        )
    except NotFound:
        raise
    except DomainError as exc:
        return await _page(request, visitor, exc.message, 422)
    return web.redirect("/portal/attestations?done=signed")


def routes() -> list[BaseRoute]:
    return [
        Route("/portal/attestations", attestations, methods=["GET"]),
        Route("/portal/attestations/key", key_post, methods=["POST"]),
        Route("/portal/attestations/{attestation_id}/sign", sign_post, methods=["POST"]),
        Mount(STATIC_URL, StaticFiles(directory=STATIC), name="portal_static"),
    ]
