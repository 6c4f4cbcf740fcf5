"""Signed calls to the delivery platforms: stock updates out, order pulls in (httpx, one client per worker).

The wire formats are in ``domain.channels.platforms``; this module only sends. A platform's ``error`` answer
or an HTTP failure raises ``PlatformCallFailed`` with a short reason (never the secret or the signature),
which the caller records on the items so the push is retried with backoff.
"""

import json
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from domain.channels import platforms
from domain.channels.platforms import Credentials, PlatformMessage
from domain.channels.stock_sync import StorePush

ELEME_STOCK_ACTION = "eleme.product.item.batchUpdateStock"
ELEME_ORDERS_ACTION = "eleme.order.getAllOrders"
MEITUAN_STOCK_PATH = "/api/v1/retail/sku/stock"
MEITUAN_ORDER_IDS_PATH = "/api/v1/ecommerce/order/getOrderIdByDaySeq"
MEITUAN_ORDER_DETAIL_PATH = "/api/v1/order/getOrderDetail"


class PlatformCallFailed(Exception):
    pass


class PlatformClient:
    def __init__(self, credentials: Mapping[str, Credentials], timeout: float = 5.0) -> None:
        self.credentials = credentials
        self.http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self.http.aclose()

    def creds(self, platform: str, store_id: str) -> Credentials:
        found = self.credentials.get(f"{platform}:{store_id}")
        if found is None or not found.api_url:
            raise PlatformCallFailed(f"no credentials or api_url for {platform} store {store_id}")
        return found

    async def push_stock(self, push: StorePush) -> None:
        """Tells one store the sellable portions of the items in ``push`` (0 = sold out 售罄)."""
        creds = self.creds(push.platform, push.store_id)
        if push.platform == "eleme":
            stock = {item.platform_sku_id: item.portions for item in push.items}
            await self._eleme(creds, ELEME_STOCK_ACTION, {"shopId": push.store_id, "stockMap": stock})
        else:
            food = [
                {
                    "app_food_code": i.platform_sku_id,
                    "skus": [{"sku_id": i.platform_sku_id, "stock": str(i.portions)}],
                }
                for i in push.items
            ]
            await self._meituan(
                creds,
                "POST",
                MEITUAN_STOCK_PATH,
                {"app_poi_code": push.store_id, "food_data": json.dumps(food, ensure_ascii=False)},
            )

    async def pull_orders(self, platform: str, store_id: str, day: str) -> list[PlatformMessage]:
        """The store's orders of ``day`` (YYYY-MM-DD) as new-order messages keyed ``pull:<order id>``."""
        creds = self.creds(platform, store_id)
        found: list[PlatformMessage] = []
        if platform == "eleme":
            result = await self._eleme(
                creds, ELEME_ORDERS_ACTION, {"shopId": store_id, "pageNo": 1, "pageSize": 50, "date": day}
            )
            for order in (result or {}).get("list", []):
                push = {
                    "type": 10,
                    "requestId": f"pull:{order.get('orderId')}",
                    "shopId": store_id,
                    "message": order,
                }
                msg = platforms.decode_eleme_push(push)
                found.append(
                    PlatformMessage(
                        "eleme",
                        store_id,
                        msg.event_key,
                        msg.kind,
                        msg.platform_order_id,
                        msg.lines,
                        {"pulled": order},
                    )
                )
            return found
        ids = await self._meituan(
            creds, "GET", MEITUAN_ORDER_IDS_PATH, {"app_poi_code": store_id, "date_time": day}
        )
        for order_id in ids or []:
            detail = await self._meituan(creds, "GET", MEITUAN_ORDER_DETAIL_PATH, {"order_id": str(order_id)})
            lines = platforms.meituan_lines((detail or {}).get("detail", "[]"))
            found.append(
                PlatformMessage(
                    "meituan",
                    store_id,
                    f"pull:{order_id}",
                    platforms.EventKind.NEW_ORDER,
                    str(order_id),
                    lines,
                    {"pulled": detail},
                )
            )
        return found

    async def _eleme(self, creds: Credentials, action: str, params: dict[str, Any]) -> Any:
        ts = int(time.time())
        body = {
            "nop": "1.0.0",
            "id": uuid.uuid4().hex,
            "action": action,
            "token": creds.token,
            "metas": {"app_key": creds.app_id, "timestamp": ts},
            "params": params,
            "signature": platforms.eleme_api_signature(
                action, creds.token, params, creds.app_id, ts, creds.secret
            ),
        }
        data = await self._call("POST", creds.api_url, json=body)
        if data.get("error"):
            raise PlatformCallFailed(f"Ele.me {action}: {str(data['error'].get('message', 'error'))[:200]}")
        return data.get("result")

    async def _meituan(self, creds: Credentials, method: str, path: str, params: dict[str, str]) -> Any:
        url = creds.api_url.rstrip("/") + path
        signed = {**params, "app_id": creds.app_id, "timestamp": str(int(time.time()))}
        signed["sig"] = platforms.meituan_signature(url, signed, creds.secret)
        if method == "GET":
            data = await self._call("GET", url, params=signed)
        else:
            data = await self._call("POST", url, data=signed)
        if data.get("data") == "ng" or data.get("error"):
            raise PlatformCallFailed(
                f"Meituan {path}: {str((data.get('error') or {}).get('msg', 'error'))[:200]}"
            )
        return data.get("data")

    async def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self.http.request(method, url, **kwargs)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise PlatformCallFailed(f"{type(exc).__name__} calling {httpx.URL(url).host}") from None
        if not isinstance(data, dict):
            raise PlatformCallFailed("platform answered something other than a JSON object")
        return data
