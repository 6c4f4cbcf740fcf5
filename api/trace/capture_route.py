"""POST /epcis/capture: a partner's EPCIS 2.0 JSON document, stored whole or not at all.

201 with the hash IDs of the events and ``warnings`` (an ``eventID`` that is not the hash of its event:
``EVENT_ID_MISMATCH``, with the declared and computed IDs; the event is stored, flagged); 400
``EPCIS_INVALID`` with every problem (JSON path and message); 401 without a valid token; 403 without
the ``receiving`` permission; 413 above ``MAX_BYTES``.
Mount with ``Route("/epcis/capture", capture_route.epcis_capture, methods=["POST"])``.
"""

import json
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse

from api.auth import allowed
from api.context import bearer_token
from domain.partners import services as partners
from domain.partners.rules import Permission
from domain.trace import capture

MAX_BYTES = 20 * 1024 * 1024


def _error(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **extra}, status_code=status)


def _not_json(name: str) -> object:
    # Python's json module reads NaN and Infinity, which RFC 8259 JSON has no word for.
    raise ValueError(f"{name} is not a JSON value (RFC 8259)")


async def epcis_capture(request: Request) -> JSONResponse:
    token = bearer_token(request)
    principal = await partners.resolve_token(token) if token else None
    if principal is None:
        return _error(401, "UNAUTHENTICATED", "authentication required")
    if not allowed(principal, Permission.RECEIVING):
        return _error(403, "FORBIDDEN", f"the {principal.role.value} role lacks receiving")
    body = await request.body()
    if len(body) > MAX_BYTES:
        return _error(413, "TOO_LARGE", f"an EPCIS document may hold at most {MAX_BYTES} bytes")
    try:
        document = json.loads(body, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError) as exc:  # (json.JSONDecodeError is a ValueError)
        return _error(
            400, "EPCIS_INVALID", "the body is not JSON", problems=[{"path": "", "message": str(exc)}]
        )
    try:
        result = await capture.epcis_capture(document, datetime.now(UTC))
    except capture.EpcisInvalid as exc:
        problems = [{"path": p.path, "message": p.message} for p in exc.problems]
        return _error(400, "EPCIS_INVALID", exc.message, problems=problems)
    return JSONResponse(
        {
            "captured": result.captured,
            "duplicates": result.duplicates,
            "eventIds": result.event_ids,
            "linkedBatchCount": len(result.linked_batch_ids),
            "warnings": [
                {
                    "index": w.index,
                    "code": w.code.upper(),
                    "message": f"事件 ID 与内容哈希不符 / {w.message}",
                    "declaredEventId": w.declared,
                    "computedEventId": w.computed,
                }
                for w in result.warnings
            ],
        },
        status_code=201,
    )
