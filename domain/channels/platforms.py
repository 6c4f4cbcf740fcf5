"""The delivery platforms' wire protocols: push verification, push decoding and signed stock updates. Pure.

Ele.me (饿了么开放平台), per its official Java SDK:
- a push is a JSON object; its signature is the upper-case hex MD5 of the ``key=value`` strings of
  ``appId, message, requestId, shopId, timestamp, type, userId`` in that (sorted) order, concatenated,
  followed by the app secret; ``message`` is itself a JSON string (the order); we answer ``{"message":"ok"}``;
- an API call is ``{"nop": "1.0.0", "id", "action", "token", "metas": {"app_key", "timestamp"}, "params",
  "signature"}`` with the signature upper-case MD5 of ``action + token + (sorted "k=" + JSON(v) of params
  plus app_key and timestamp) + secret``.
Meituan (美团外卖开放平台), per its documentation:
- ``sig = md5(url_without_query + "?" + "&".join(sorted "k=v" of every parameter but sig) + app_secret)``,
  lower-case hex; pushes to our callback are signed the same way with the callback URL as prefix and come
  form-encoded (POST, and for cancellations and refunds sometimes GET) with URL-encoded JSON fields
  (``detail``, ``extras``); we answer ``{"data":"ok"}``.

Platforms are known to change encodings between pushes (a JSON field URL-encoded once or twice, numbers
sent as strings): decoding here accepts both, and verification tries the value as received and once
decoded, so a push is accepted exactly when a party holding the secret signed it.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import unquote_plus

ELEME_SIGNED_FIELDS = ("appId", "message", "requestId", "shopId", "timestamp", "type", "userId")
ELEME_ACK = {"message": "ok"}
MEITUAN_ACK = {"data": "ok"}


class ProtocolError(ValueError):
    """A push that is not well-formed for its platform (missing field, undecodable JSON)."""


class EventKind(StrEnum):
    NEW_ORDER = "new_order"  # 新订单
    CONFIRMED = "confirmed"  # 商家已接单: the order is prepared and leaves the store
    COMPLETED = "completed"  # 订单完成
    CANCELLED = "cancelled"  # 订单取消
    REFUNDED = "refunded"  # 退款成功
    IGNORED = "ignored"  # a push we record but that changes nothing here (status notes, applications)


# Ele.me push types (订单消息类型): what each means for the order here. Others are recorded and ignored.
ELEME_TYPES: dict[int, EventKind] = {
    10: EventKind.NEW_ORDER,  # 订单生效
    12: EventKind.CONFIRMED,  # 商户已接单
    14: EventKind.CANCELLED,  # 订单被取消
    15: EventKind.CANCELLED,  # 订单置为无效
    17: EventKind.CANCELLED,  # 订单强制无效
    18: EventKind.COMPLETED,  # 订单完结
    23: EventKind.CANCELLED,  # 商户同意取消单
    25: EventKind.CANCELLED,  # 客服仲裁取消单申请有效
    33: EventKind.REFUNDED,  # 商户同意退单
    35: EventKind.REFUNDED,  # 客服仲裁退单有效
}

# Meituan callbacks, one URL each: /hooks/meituan/<store>/<callback>.
MEITUAN_CALLBACKS: dict[str, EventKind] = {
    "order": EventKind.NEW_ORDER,  # 推送新订单
    "confirm": EventKind.CONFIRMED,  # 推送已确认订单
    "finish": EventKind.COMPLETED,  # 推送已完成订单
    "cancel": EventKind.CANCELLED,  # 推送取消订单
    "refund": EventKind.REFUNDED,  # 推送全额退款 (only notify_type=agree refunds; the rest are ignored)
}


@dataclass(frozen=True)
class PlatformLine:
    platform_sku_id: str
    name: str
    quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class PlatformMessage:
    """A verified push, decoded: what the order service needs, plus the raw fields for the record."""

    platform: str  # "eleme" | "meituan"
    store_id: str  # the platform's shop id (Ele.me shopId, Meituan app_poi_code)
    event_key: str  # unique per push (a redelivery repeats it)
    kind: EventKind
    platform_order_id: str
    lines: tuple[PlatformLine, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _scalar(value: Any) -> str:
    # Ele.me signs the values as they appear in the JSON text: integers without ".0", strings as they are.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def eleme_push_signature(push: Mapping[str, Any], secret: str) -> str:
    """Upper-case hex MD5 over the sorted signed fields of an Ele.me push, then the secret."""
    missing = [k for k in ELEME_SIGNED_FIELDS if k not in push]
    if missing:
        raise ProtocolError(f"Ele.me push lacks {', '.join(missing)}")
    text = "".join(f"{k}={_scalar(push[k])}" for k in sorted(ELEME_SIGNED_FIELDS)) + secret
    return _md5(text).upper()


def eleme_push_verified(push: Mapping[str, Any], secret: str) -> bool:
    given = str(push.get("signature", ""))
    return hmac.compare_digest(given.upper(), eleme_push_signature(push, secret))


def eleme_api_signature(
    action: str, token: str, params: Mapping[str, Any], app_key: str, timestamp: int, secret: str
) -> str:
    """The signature of an Ele.me API call (upper-case MD5, see the module docstring)."""
    merged = {**params, "app_key": app_key, "timestamp": timestamp}
    body = "".join(
        f"{k}={json.dumps(merged[k], ensure_ascii=False, separators=(',', ':'))}" for k in sorted(merged)
    )
    return _md5(f"{action}{token}{body}{secret}").upper()


def meituan_signature(url_without_query: str, params: Mapping[str, str], secret: str) -> str:
    """Lower-case hex MD5 of ``url?k=v&… (sorted, sig left out) + secret`` (the documented vector passes)."""
    query = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sig")
    return _md5(f"{url_without_query}?{query}{secret}")


def meituan_verified(url_without_query: str, params: Mapping[str, str], secret: str) -> bool:
    """True when ``sig`` matches the parameters as received or, for pushes whose JSON fields arrived
    URL-encoded once more, as decoded once."""
    given = str(params.get("sig", "")).lower()
    forms = [dict(params), {k: unquote_plus(v) if k != "sig" else v for k, v in params.items()}]
    return any(hmac.compare_digest(given, meituan_signature(url_without_query, f, secret)) for f in forms)


def _json_field(value: Any, what: str) -> Any:
    """A JSON field that may arrive as JSON, as a JSON string, or URL-encoded (once or twice)."""
    for _ in range(3):
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text[:1] in ("{", "[") or text in ("null", "true", "false"):
            try:
                return json.loads(text)
            except ValueError as exc:
                raise ProtocolError(f"{what} is not valid JSON") from exc
        value = unquote_plus(text)
    raise ProtocolError(f"{what} is not JSON")


def _decimal(value: Any, what: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ProtocolError(f"{what} is not a number") from exc
    if not d.is_finite():
        raise ProtocolError(f"{what} is not a finite number")
    return d


def decode_eleme_push(push: Mapping[str, Any]) -> PlatformMessage:
    """An Ele.me push as a message; the order's lines are the ``normal`` groups (fees such as 餐盒 are not
    stock). Raises ``ProtocolError``."""
    try:
        push_type = int(push["type"])
        request_id = str(push["requestId"])
        shop_id = str(push["shopId"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError("Ele.me push lacks type, requestId or shopId") from exc
    order = _json_field(push.get("message"), "message")
    if not isinstance(order, dict):
        raise ProtocolError("Ele.me message is not a JSON object")
    order_id = str(order.get("orderId") or order.get("id") or "")
    if not order_id:
        raise ProtocolError("Ele.me message has no orderId")
    kind = ELEME_TYPES.get(push_type, EventKind.IGNORED)
    lines: list[PlatformLine] = []
    if kind is EventKind.NEW_ORDER:
        for group in order.get("groups") or ():
            if group.get("type") != "normal":
                continue
            for item in group.get("items") or ():
                sku = item.get("extendCode") or item.get("skuId")
                lines.append(
                    PlatformLine(
                        str(sku),
                        str(item.get("name", "")),
                        _decimal(item.get("quantity"), "quantity"),
                        _decimal(item.get("price", 0), "price"),
                    )
                )
    return PlatformMessage("eleme", shop_id, request_id, kind, order_id, tuple(lines), dict(push))


def decode_meituan_push(callback: str, params: Mapping[str, str]) -> PlatformMessage:
    """A Meituan push (form fields of callback ``order``, ``confirm``, ``finish``, ``cancel`` or ``refund``)
    as a message. Raises ``ProtocolError``."""
    kind = MEITUAN_CALLBACKS.get(callback)
    if kind is None:
        raise ProtocolError(f"unknown Meituan callback {callback!r}")
    order_id = str(params.get("order_id") or "")
    store = str(params.get("app_poi_code") or "")
    if not order_id:
        raise ProtocolError("Meituan push has no order_id")
    if kind is EventKind.REFUNDED and params.get("notify_type") not in ("agree", "part"):
        kind = EventKind.IGNORED  # apply / reject / cancelRefund: nothing changes here yet
    lines = meituan_lines(params.get("detail", "[]")) if kind is EventKind.NEW_ORDER else ()
    # Meituan has no request id: a redelivered push repeats callback, order and status.
    status = params.get("notify_type") or params.get("status") or params.get("reason_code") or ""
    key = f"{callback}:{order_id}:{status}"
    return PlatformMessage("meituan", store, key, kind, order_id, lines, dict(params))


def meituan_lines(detail: Any) -> tuple[PlatformLine, ...]:
    """The item lines of a Meituan order's ``detail`` (a JSON list, possibly URL-encoded)."""
    items = _json_field(detail, "detail")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ProtocolError("Meituan detail is not a list of items")
    return tuple(
        PlatformLine(
            str(item.get("app_food_code") or item.get("sku_id")),
            str(item.get("food_name", "")),
            _decimal(item.get("quantity"), "quantity"),
            _decimal(item.get("price", 0), "price"),
        )
        for item in items
    )


@dataclass(frozen=True)
class Credentials:
    """One platform store's credentials, from configuration (``LOTLINE_PLATFORM_CREDENTIALS``), never
    stored in the database nor logged (``repr`` hides the secret and token)."""

    app_id: str
    secret: str = field(repr=False)
    api_url: str = ""  # the platform's API base (the simulator's in tests and the demo)
    token: str = field(default="", repr=False)  # Ele.me OAuth access token for API calls
    callback_url: str = ""  # Meituan: our callback URL as the platform signs it (behind a proxy)


def parse_credentials(config: Mapping[str, Any]) -> dict[str, Credentials]:
    """``{"eleme:<shopId>": {...}, "meituan:<app_poi_code>": {...}}`` as checked ``Credentials``.

    Raises ``ValueError`` naming the entry (never its secret) when one is malformed."""
    out: dict[str, Credentials] = {}
    for key, entry in config.items():
        platform, _, store = key.partition(":")
        if platform not in ("eleme", "meituan") or not store or not isinstance(entry, dict):
            raise ValueError(f"platform credentials entry {key!r} must be 'eleme:<shop>' or 'meituan:<poi>'")
        if not entry.get("app_id") or not entry.get("secret"):
            raise ValueError(f"platform credentials entry {key!r} needs app_id and secret")
        out[key] = Credentials(
            str(entry["app_id"]),
            str(entry["secret"]),
            str(entry.get("api_url", "")),
            str(entry.get("token", "")),
            str(entry.get("callback_url", "")),
        )
    return out
