"""List pages over HTTP against GraphQL's own ceiling (issue 15), in one run.

    python -m bench.bench_list_pages [--clients 16] [--ops 40] [--latency-ops 200] [--skus 10000]
                                     [--orders 120] [--pages stock po so] [--rounds 4]
    python -m bench.bench_list_pages --profile stock|po|so   # pyinstrument of one page, in process

Three pages a screen shows: ``stockOnHand(first: 100)`` over SKUs × 3 warehouses × 5 batches (bulk-loaded,
consistent with the ledger), ``purchaseOrders(first: 100)`` with lines and receipts, ``salesOrders(first:
100)`` with lines and shipments. Each is measured with one client (latency: ``--latency-ops`` pages, as a
p99 needs a few hundred — of 40 it is the slowest page) and ``--clients`` clients (throughput) against
the real app (auth, database, loaders) and against the ceiling (``bench/ceiling.py``: the same query
text, a strawberry schema of the same shape answering the same rows from memory, served by strawberry's own
ASGI app), and the real/ceiling throughput ratio is printed, over all rounds and per round: the many-client
runs of real and ceilings alternate in ``--rounds`` rounds. The ceiling runs twice: through the API's
executor class (the fair ceiling: the same GraphQL work on both sides) and through strawberry's
default executor (the issue's first definition). Not a test: figures only.
"""

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from tortoise.context import TortoiseContext

from bench import stock_dataset
from bench.harness import Figures, fresh_database, graphql_client, merged, run_clients, uvicorn_server
from domain.catalog import services as catalog
from domain.inventory import services as inventory
from domain.inventory.models import Location, Warehouse
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config

STOCK_PAGE = """query($after: String) { stockOnHand(first: 100, after: $after) {
  edges { node { id status sku { code nameZh } location { code } batch { lotCode expiryDate }
                 quantity { value unit } available { value unit } } }
  pageInfo { endCursor hasNextPage } } }"""
PO_PAGE = """query($after: String) { purchaseOrders(first: 100, after: $after) {
  edges { node { id number status expectedDate supplier { code name } warehouse { code }
    lines { sku { code nameZh } quantity { value unit } unitPrice { amount currency }
            received { value unit } }
    receipts { number receivedAt } total { amount currency } } }
  pageInfo { endCursor hasNextPage } } }"""
SO_PAGE = """query($after: String) { salesOrders(first: 100, after: $after) {
  edges { node { id number status requestedDate customer { code name } warehouse { code }
    lines { sku { code nameZh } quantity { value unit } unitPrice { amount currency }
            shipped { value unit } }
    shipments { number shippedAt } total { amount currency } } }
  pageInfo { endCursor hasNextPage } } }"""
PAGES = {
    "stock": ("stockOnHand", STOCK_PAGE),
    "po": ("purchaseOrders", PO_PAGE),
    "so": ("salesOrders", SO_PAGE),
}
LINES = 5
PAGE_ROWS = 100  # ``first: 100`` in every page's query


async def seed_orders(orders: int) -> None:
    """``orders`` purchase orders received and ``orders`` sales orders shipped, five lines each."""
    now = datetime.now(UTC)
    await partners.create_supplier("LS", "List supplier 列表供应商")
    await partners.create_customer("LC", "List customer 列表客户")
    await inventory.create_warehouse("LW", "List warehouse")
    codes = [f"LIST-{i}" for i in range(LINES)]
    for code in codes:
        await catalog.create_sku(catalog.SkuInput(code=code, name_zh=code, name_en=code, base_unit="kg"))
    for n in range(orders):
        po = await purchasing.purchase_order_create(
            "LS", "LW", [catalog.OrderLineInput(c, Decimal(20), unit_price=Decimal("3.5")) for c in codes]
        )
        await purchasing.purchase_order_confirm(po.document_id, now)
        lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
        await receipts.goods_receipt_post(
            po.document_id,
            [receipts.ReceiptLineInput(ln.id, Decimal(20), f"LL{n}-{i}", "LW") for i, ln in enumerate(lines)],
            now,
            key=f"list-receipt-{n}",
        )
    for n in range(orders):
        so = await sales.sales_order_create(
            "LC", "LW", [catalog.OrderLineInput(c, Decimal(2), unit_price=Decimal(6)) for c in codes]
        )
        await sales.sales_order_confirm(so.document_id, now)
        so_lines = await SalesOrderLine.filter(order_id=so.document_id).order_by("id")
        await shipments.shipment_post(
            so.document_id,
            [shipments.ShipmentLineInput(ln.id, Decimal(2)) for ln in so_lines],
            now,
            key=f"list-shipment-{n}",
        )


async def capture(base: str, token: str) -> dict[str, dict[str, Any]]:
    """Per page: the root field's JSON for the first page and up to 30 cursors after it."""
    captured: dict[str, dict[str, Any]] = {}
    async with graphql_client(base, token, 2, seconds=60) as call:
        for field, query in PAGES.values():
            pages: dict[str, Any] = {}
            after: str | None = None
            for _ in range(31):
                _, body = await call(query, {"after": after})
                if "errors" in body:
                    raise RuntimeError(f"{field}: {body['errors']}")
                pages[after or ""] = body["data"][field]
                info = body["data"][field]["pageInfo"]
                if not info["hasNextPage"]:
                    break
                after = info["endCursor"]
            captured[field] = pages
    return captured


def cursors_of(captured: dict[str, Any], name: str) -> list[str]:
    """The captured cursors of a page kind's full pages."""
    field = PAGES[name][0]
    # Full pages only: with 120 orders the second page holds 20, and half the requests on it made the
    # figures a mix of two page sizes (stop 18). The aim is about pages of 100 rows.
    full = [cursor for cursor, answer in captured[field].items() if len(answer["edges"]) == PAGE_ROWS]
    return full or list(captured[field])


class Target(NamedTuple):
    """A server under measure: its label, base URL, GraphQL path and bearer token (None: the ceiling)."""

    label: str
    base: str
    path: str
    token: str | None


async def measure(
    targets: list[Target],
    captured: dict[str, Any],
    name: str,
    clients: int,
    ops: int,
    latency_ops: int,
    rounds: int,
) -> dict[str, tuple[Figures, Figures, list[float]]]:
    """One page kind on every target: one client ``latency_ops`` times each, then ``clients`` clients in
    ``rounds`` alternating rounds of ``ops // rounds`` pages each (every target once per round, the first
    one turning), so that real and ceilings meet the same machine: its speed moved by a third within
    minutes here (stop 20), and a ceiling measured a minute after the real page made a ratio of that.
    Each request picks the captured cursor of a full page. Returns per target: the one-client figures, the
    rounds merged, and each round's throughput (pages/s)."""
    field, query = PAGES[name]
    cursors = cursors_of(captured, name)
    rnd = random.Random(7)
    async with contextlib.AsyncExitStack() as stack:
        calls = {}
        for t in targets:
            client = graphql_client(t.base, t.token, clients + 2, path=t.path)
            calls[t.label] = await stack.enter_async_context(client)

        def page_of(label: str) -> Callable[[int, int], Awaitable[bool]]:
            call = calls[label]

            async def page(c: int, i: int) -> bool:
                after = rnd.choice(cursors) or None
                status, body = await call(query, {"after": after})
                return status == 200 and "errors" not in body and bool(body["data"][field]["edges"])

            return page

        ones: dict[str, Figures] = {}
        for t in targets:
            await run_clients("warm", 2, 5, page_of(t.label))
            ones[t.label] = await run_clients(f"{t.label} {name}, 1 client", 1, latency_ops, page_of(t.label))
        parts: dict[str, list[Figures]] = {t.label: [] for t in targets}
        per_round = max(1, ops // rounds)
        for r in range(rounds):
            for t in targets[r % len(targets) :] + targets[: r % len(targets)]:
                parts[t.label].append(
                    await run_clients(f"{t.label} {name}", clients, per_round, page_of(t.label))
                )
    return {
        t.label: (
            ones[t.label],
            merged(f"{t.label} {name}, {clients} clients", parts[t.label]),
            [f.rate for f in parts[t.label]],
        )
        for t in targets
    }


async def profile(url: str, token: str, which: str, ops: int) -> None:
    """pyinstrument over ``ops`` executions of one page in process (schema.execute, no HTTP)."""
    from pyinstrument import Profiler
    from starlette.requests import Request

    from api import collector
    from api.context import Context
    from api.schema import create_schema

    settings = Settings(database_url=url)
    schema = create_schema(settings)
    principal = await partners.resolve_token(token)
    query = PAGES[which][1]
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []})

    async def once() -> None:
        result = await schema.execute(
            query, variable_values={"after": None}, context_value=Context(request, None, principal)
        )
        assert result.errors is None, result.errors

    await once()
    profiler = Profiler(async_mode="enabled")
    # The collector as the server sets it (api/collector.py): with CPython's defaults the young
    # collections ran inside whichever frame allocated most, and the profile put them there.
    with collector.serving():
        profiler.start()
        for _ in range(ops):
            await once()
            collector.collect_after_request()
        profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


async def main(
    clients: int,
    ops: int,
    latency_ops: int,
    skus: int,
    orders: int,
    pages: list[str],
    which: str | None,
    rounds: int,
) -> None:
    async with fresh_database("lotline_lists") as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            for code in ("W1", "W2", "W3"):
                await inventory.create_warehouse(code, f"Stock page warehouse {code}")
            whs = [
                (w.id, (await Location.get(code=w.code)).id)
                for w in await Warehouse.filter(code__in=["W1", "W2", "W3"])
            ]
            await stock_dataset.load(url, skus, whs, 5)
            await seed_orders(orders)
            print(f"loaded {skus * len(whs) * 5} stock rows, {orders} purchase and {orders} sales orders")
            user = await partners.create_user("bench", "bench-password-1", "admin")
            token = await partners.issue_token(user.user_id, "bench")
            if which is not None:
                await profile(url, token, which, ops)
                return
            async with contextlib.AsyncExitStack() as stack:
                real_base = await stack.enter_async_context(uvicorn_server(url))
                captured = await capture(real_base, token)
                tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                (tmp / "captured.json").write_text(json.dumps(captured), encoding="utf-8")
                extra = {"LOTLINE_CEILING_FILE": str(tmp / "captured.json")}
                ceilings = {
                    label: await stack.enter_async_context(
                        uvicorn_server(
                            url,
                            app="bench.ceiling:create_app",
                            env_extra={**extra, "LOTLINE_CEILING_EXECUTOR": executor},
                            health="/",
                        )
                    )
                    for label, executor in (("ceiling", "api"), ("strawberry ceiling", "strawberry"))
                }
                targets = [
                    Target("real", real_base, "/graphql", token),
                    *(Target(label, base, "/", None) for label, base in ceilings.items()),
                ]
                figures = {
                    name: await measure(targets, captured, name, clients, ops, latency_ops, rounds)
                    for name in pages
                }
    print(f"clients: {clients}, ops per client: {ops} in {rounds} alternating rounds, 1 uvicorn worker each")
    for name in pages:
        by_target = figures[name]
        for one, many, _ in by_target.values():
            print(one.line())
            print(many.line())
        real_rounds = by_target["real"][2]
        for label, (_, many, each) in by_target.items():
            if label == "real":
                continue
            ratio = by_target["real"][1].rate / many.rate
            per_round = [a / b for a, b in zip(real_rounds, each, strict=True)]
            print(
                f"{name}: real at {ratio:.2f} of the {label}'s throughput with {clients} clients "
                f"(rounds: {', '.join(f'{x:.2f}' for x in per_round)}; "
                f"median {statistics.median(per_round):.2f})"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--ops", type=int, default=40)
    parser.add_argument(
        "--latency-ops",
        type=int,
        default=200,
        help="one client's pages per page kind: a p99 needs a few hundred (of 40, it is the slowest one)",
    )
    parser.add_argument("--skus", type=int, default=10000)
    parser.add_argument("--orders", type=int, default=120)
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--profile", choices=list(PAGES), default=None)
    parser.add_argument("--rounds", type=int, default=4, help="real and ceilings alternate this many times")
    args = parser.parse_args()
    asyncio.run(
        main(
            args.clients,
            args.ops,
            args.latency_ops,
            args.skus,
            args.orders,
            args.pages,
            args.profile,
            args.rounds,
        )
    )
