"""Delivery-platform push callbacks: verify, store under a unique key, acknowledge at once.

Processing happens after the answer, in a worker (``workers/channels.py``), so a slow posting never makes a
platform time out and push again. A push that fails verification changes nothing and is answered 403; one
that cannot be decoded, 400; one for a store we do not serve, 404 — the platforms retry non-ok answers,
which is right for all three (a secret or a mapping being fixed). Nothing here logs a secret or a payload.

Routes: ``POST /hooks/eleme`` (Ele.me sends every shop's pushes to the app's one callback URL) and
``GET|POST /hooks/meituan/{callback}`` (one URL per Meituan callback: order, confirm, finish, cancel, refund).
"""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.channels import orders, platforms
from domain.channels.platforms import Credentials, ProtocolError
from domain.common.digits import ascii_digits
from domain.common.errors import NotFound

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # 1 MiB: an order push is a few KB


def _credentials(request: Request) -> Mapping[str, Credentials]:
    cached: Mapping[str, Credentials] | None = getattr(request.app.state, "platform_credentials", None)
    if cached is None:
        cached = request.app.state.settings.platforms()
        request.app.state.platform_credentials = cached
    return cached


def _answer(platform: str, status: int = 200, error: str | None = None) -> Response:
    if error is None:
        body: dict[str, Any] = platforms.ELEME_ACK if platform == "eleme" else platforms.MEITUAN_ACK
    else:
        body = {"message": error} if platform == "eleme" else {"data": "ng", "error": {"msg": error}}
    return JSONResponse(body, status_code=status)


async def _store(platform: str, message: platforms.PlatformMessage) -> Response:
    try:
        event, new = await orders.event_receive(message, datetime.now(UTC))
    except NotFound:
        log.warning("%s push for unserved store %s", platform, message.store_id)
        return _answer(platform, 404, "unknown store")
    log.info("%s push stored as event %s (%s)", platform, event.id, "new" if new else "redelivered")
    return _answer(platform)


async def eleme_push(request: Request) -> Response:
    body = await request.body()
    if not body.strip():
        return _answer("eleme")  # the platform's check of the callback URL when it is set up
    if len(body) > MAX_BODY:
        return _answer("eleme", 413, "too large")
    try:
        push = json.loads(body)
        if not isinstance(push, dict):
            raise ProtocolError("a push is a JSON object")
        store = str(push.get("shopId", ""))
        creds = _credentials(request).get(f"eleme:{store}")
        if creds is None:
            return _answer("eleme", 404, "unknown store")
        if not platforms.eleme_push_verified(push, creds.secret):
            log.warning("Ele.me push for store %s failed verification", store)
            return _answer("eleme", 403, "invalid signature")
        message = platforms.decode_eleme_push(push)
    except (ValueError, ProtocolError) as exc:  # JSONDecodeError is a ValueError
        log.info("Ele.me push rejected: %s", str(exc)[:200])
        return _answer("eleme", 400, "malformed push")
    return await _store("eleme", message)


async def meituan_push(request: Request) -> Response:
    callback = request.path_params["callback"]
    params: dict[str, str] = dict(request.query_params)
    if request.method == "POST":
        declared = request.headers.get("content-length", "0")
        if not ascii_digits(declared):  # "abc", "²", "-1": no length a platform sends
            return _answer("meituan", 400, "malformed push")
        if len(declared) > 18 or int(declared) > MAX_BODY:
            return _answer("meituan", 413, "too large")
        form = await request.form()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    if not params:
        return _answer("meituan")  # the platform's check of the callback URL
    store = params.get("app_poi_code", "")
    creds = _credentials(request).get(f"meituan:{store}")
    if creds is None:
        return _answer("meituan", 404, "unknown store")
    url = creds.callback_url or str(request.url.replace(query=""))
    if not platforms.meituan_verified(url, params, creds.secret):
        log.warning("Meituan %s push for store %s failed verification", callback, store)
        return _answer("meituan", 403, "invalid signature")
    try:
        message = platforms.decode_meituan_push(callback, params)
    except ProtocolError as exc:
        log.info("Meituan push rejected: %s", str(exc)[:200])
        return _answer("meituan", 400, "malformed push")
    return await _store("meituan", message)


def routes() -> list[Route]:
    return [
        Route("/hooks/eleme", eleme_push, methods=["GET", "POST"]),
        Route("/hooks/meituan/{callback}", meituan_push, methods=["GET", "POST"]),
    ]
