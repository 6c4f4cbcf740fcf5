"""A delivery-platform simulator for tests and the demo: Ele.me and Meituan as their documents describe them.

We cannot reach the real platforms, so this plays both sides of their protocols:
- it **sends** pushes to our callbacks, signed as the platforms sign them (Ele.me: upper-case MD5 of the
  sorted signed fields plus the secret, ``message`` as a JSON string; Meituan: form-encoded, JSON fields
  URL-encoded, ``sig`` over the callback URL and the sorted parameters plus the secret), and can drop,
  duplicate or reorder them;
- it **serves** the platform APIs we call (Ele.me JSON-RPC ``eleme.product.item.batchUpdateStock`` and
  ``eleme.order.getAllOrders``; Meituan ``/api/v1/retail/sku/stock``, ``…/getOrderIdByDaySeq``,
  ``/api/v1/order/getOrderDetail``), checking our signatures the same way and recording what it was told,
  so a test can read the sold-out flags a store would show.
"""

import itertools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.channels import platforms
from domain.common.digits import ascii_digits

_ids = itertools.count(int(time.time() * 1000) % 10**12 * 1000)


@dataclass
class SimStore:
    platform: str  # "eleme" | "meituan"
    store_id: str
    app_id: str
    secret: str
    stock: dict[str, int] = field(default_factory=dict)  # what the store shows, by platform item id
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # every order the platform took
    stock_calls: int = 0
    updates: list[tuple[float, dict[str, int]]] = field(default_factory=list)  # (time.time(), items) received


@dataclass
class Item:
    platform_sku_id: str
    quantity: int
    price: Decimal = Decimal("10.00")
    name: str = "菜品"


class PlatformSim:
    """One simulated platform world. ``app`` is its Starlette API; ``target`` is our server's base URL."""

    def __init__(self, target: str = "", *, base_url: str = "http://sim.test") -> None:
        self.target = target.rstrip("/")
        self.base_url = base_url.rstrip("/")
        self.stores: dict[tuple[str, str], SimStore] = {}
        self.fail_stock_calls = 0  # answer this many stock updates with an error (an outage)
        self.http = httpx.AsyncClient(timeout=10)
        self.app = Starlette(
            routes=[
                Route("/eleme/api", self._eleme_api, methods=["POST"]),
                Route("/meituan/api/v1/retail/sku/stock", self._meituan_stock, methods=["POST"]),
                Route(
                    "/meituan/api/v1/ecommerce/order/getOrderIdByDaySeq", self._meituan_ids, methods=["GET"]
                ),
                Route("/meituan/api/v1/order/getOrderDetail", self._meituan_detail, methods=["GET"]),
            ]
        )

    def add_store(self, platform: str, store_id: str, app_id: str, secret: str) -> SimStore:
        store = self.stores[(platform, store_id)] = SimStore(platform, store_id, app_id, secret)
        return store

    def credentials(self, callback_base: str = "") -> dict[str, dict[str, str]]:
        """The ``LOTLINE_PLATFORM_CREDENTIALS`` entries that point our server at this simulator."""
        out = {}
        for (platform, store_id), s in self.stores.items():
            api = f"{self.base_url}/eleme/api" if platform == "eleme" else f"{self.base_url}/meituan"
            entry = {"app_id": s.app_id, "secret": s.secret, "api_url": api, "token": "sim-token"}
            if callback_base:
                entry["callback_url"] = ""
            out[f"{platform}:{store_id}"] = entry
        return out

    async def close(self) -> None:
        await self.http.aclose()

    # ---- pushes to our callbacks ---------------------------------------------------------------------

    async def eleme_order(
        self, store_id: str, items: Sequence[Item], *, drop: bool = False, times: int = 1
    ) -> str:
        """A new Ele.me order (type 10); ``drop``: taken by the platform, never pushed (the pull finds it)."""
        store = self.stores[("eleme", store_id)]
        order_id = str(next(_ids))
        order = {
            "id": order_id,
            "orderId": order_id,
            "shopId": int(store_id),
            "status": "unprocessed",
            "groups": [
                {
                    "name": "1号篮子",
                    "type": "normal",
                    "items": [
                        {
                            "skuId": int(i.platform_sku_id)
                            if ascii_digits(i.platform_sku_id)
                            else i.platform_sku_id,
                            "extendCode": "",
                            "name": i.name,
                            "price": float(i.price),
                            "quantity": i.quantity,
                            "total": float(i.price * i.quantity),
                        }
                        for i in items
                    ],
                },
                {
                    "name": "其它费用",
                    "type": "extra",
                    "items": [{"skuId": -1, "name": "餐盒", "price": 1.0, "quantity": 1}],
                },
            ],
            "totalPrice": float(sum(i.price * i.quantity for i in items)),
        }
        store.orders[order_id] = order
        if not drop:
            for _ in range(times):
                await self.eleme_push(store_id, 10, order)
        return order_id

    async def eleme_status(self, store_id: str, order_id: str, push_type: int) -> httpx.Response:
        """A status push for an order (12 accepted, 14 cancelled, 18 completed, 33 refunded …)."""
        order = self.stores[("eleme", store_id)].orders.get(order_id, {"orderId": order_id, "id": order_id})
        return await self.eleme_push(
            store_id, push_type, {"orderId": order_id, "id": order_id, "status": order.get("status")}
        )

    async def eleme_push(
        self, store_id: str, push_type: int, message: dict[str, Any], *, secret: str | None = None
    ) -> httpx.Response:
        store = self.stores[("eleme", store_id)]
        push: dict[str, Any] = {
            "requestId": str(next(_ids)),
            "type": push_type,
            "appId": int(store.app_id),
            "message": json.dumps(message, ensure_ascii=False),
            "shopId": int(store_id),
            "timestamp": int(time.time() * 1000),
            "userId": 66995398,
        }
        push["signature"] = platforms.eleme_push_signature(push, store.secret if secret is None else secret)
        return await self.http.post(f"{self.target}/hooks/eleme", json=push)

    async def meituan_order(
        self, store_id: str, items: Sequence[Item], *, drop: bool = False, times: int = 1
    ) -> str:
        store = self.stores[("meituan", store_id)]
        order_id = str(next(_ids))
        detail = [
            {
                "app_food_code": i.platform_sku_id,
                "food_name": i.name,
                "quantity": i.quantity,
                "price": float(i.price),
            }
            for i in items
        ]
        store.orders[order_id] = {
            "order_id": order_id,
            "app_poi_code": store_id,
            "detail": json.dumps(detail, ensure_ascii=False),
        }
        if not drop:
            for _ in range(times):
                await self.meituan_push(
                    "order",
                    store_id,
                    {"order_id": order_id, "detail": json.dumps(detail, ensure_ascii=False), "status": "2"},
                )
        return order_id

    async def meituan_push(
        self,
        callback: str,
        store_id: str,
        params: dict[str, str],
        *,
        method: str = "POST",
        double_encode: bool = False,
    ) -> httpx.Response:
        """A signed Meituan push; ``double_encode`` URL-encodes the JSON fields again, as some pushes do."""
        store = self.stores[("meituan", store_id)]
        url = f"{self.target}/hooks/meituan/{callback}"
        fields = {
            **params,
            "app_id": store.app_id,
            "app_poi_code": store_id,
            "timestamp": str(int(time.time())),
        }
        fields["sig"] = platforms.meituan_signature(url, fields, store.secret)
        if double_encode:
            from urllib.parse import quote_plus

            fields = {k: quote_plus(v) if k in ("detail", "extras") else v for k, v in fields.items()}
        if method == "GET":
            return await self.http.get(url, params=fields)
        return await self.http.post(url, data=fields)

    # ---- the platform APIs we call -------------------------------------------------------------------

    def _stock_outage(self) -> bool:
        if self.fail_stock_calls > 0:
            self.fail_stock_calls -= 1
            return True
        return False

    async def _eleme_api(self, request: Request) -> JSONResponse:
        body = await request.json()
        params, metas = body.get("params") or {}, body.get("metas") or {}
        store = self.stores.get(("eleme", str(params.get("shopId"))))
        if store is None or metas.get("app_key") != store.app_id:
            return JSONResponse(
                {
                    "id": body.get("id"),
                    "result": None,
                    "error": {"code": "INVALID_APP", "message": "unknown app"},
                }
            )
        expected = platforms.eleme_api_signature(
            body["action"],
            body.get("token", ""),
            params,
            store.app_id,
            int(metas.get("timestamp") or 0),
            store.secret,
        )
        if body.get("signature") != expected:
            return JSONResponse(
                {
                    "id": body["id"],
                    "result": None,
                    "error": {"code": "INVALID_SIGNATURE", "message": "bad signature"},
                }
            )
        if body["action"] == "eleme.product.item.batchUpdateStock":
            store.stock_calls += 1
            if self._stock_outage():
                return JSONResponse(
                    {"id": body["id"], "result": None, "error": {"code": "SERVER_ERROR", "message": "busy"}}
                )
            told = {str(k): int(v) for k, v in params["stockMap"].items()}
            store.stock.update(told)
            store.updates.append((time.time(), told))
            return JSONResponse({"id": body["id"], "result": True, "error": None})
        if body["action"] == "eleme.order.getAllOrders":
            return JSONResponse(
                {
                    "id": body["id"],
                    "result": {"total": len(store.orders), "list": list(store.orders.values())},
                    "error": None,
                }
            )
        return JSONResponse(
            {
                "id": body["id"],
                "result": None,
                "error": {"code": "METHOD_NOT_ALLOWED", "message": "unknown action"},
            }
        )

    def _meituan_checked(self, request: Request, params: dict[str, str]) -> SimStore | None:
        store = next(
            (s for s in self.stores.values() if s.platform == "meituan" and s.app_id == params.get("app_id")),
            None,
        )
        url = f"{self.base_url}{request.url.path}"
        if store is None or not platforms.meituan_verified(url, params, store.secret):
            return None
        return store

    async def _meituan_stock(self, request: Request) -> JSONResponse:
        params = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        store = self._meituan_checked(request, params)
        if store is None:
            return JSONResponse({"data": "ng", "error": {"code": 703, "msg": "签名错误 bad sig"}})
        target = self.stores.get(("meituan", params.get("app_poi_code", "")))
        if target is None:
            return JSONResponse({"data": "ng", "error": {"code": 801, "msg": "unknown poi"}})
        target.stock_calls += 1
        if self._stock_outage():
            return JSONResponse({"data": "ng", "error": {"code": 500, "msg": "busy"}})
        told = {str(f["app_food_code"]): int(f["skus"][0]["stock"]) for f in json.loads(params["food_data"])}
        target.stock.update(told)
        target.updates.append((time.time(), told))
        return JSONResponse({"data": "ok"})

    async def _meituan_ids(self, request: Request) -> JSONResponse:
        params = dict(request.query_params)
        if self._meituan_checked(request, params) is None:
            return JSONResponse({"data": "ng", "error": {"code": 703, "msg": "bad sig"}})
        store = self.stores.get(("meituan", params.get("app_poi_code", "")))
        return JSONResponse({"data": list(store.orders) if store else []})

    async def _meituan_detail(self, request: Request) -> JSONResponse:
        params = dict(request.query_params)
        if self._meituan_checked(request, params) is None:
            return JSONResponse({"data": "ng", "error": {"code": 703, "msg": "bad sig"}})
        for store in self.stores.values():
            if params.get("order_id") in store.orders:
                return JSONResponse({"data": store.orders[params["order_id"]]})
        return JSONResponse({"data": "ng", "error": {"code": 404, "msg": "no order"}})
