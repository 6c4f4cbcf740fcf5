"""Platform orders end to end: push → verify → store → process → sales order → stock pushed back."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.channels import orders, rules, services
from domain.channels.models import ChannelOrder, PlatformEvent, PlatformSkuMapping
from domain.sales.models import SalesOrder
from lotline.platform_sim import Item
from tests import factories as f

from .conftest import World


async def settle(world: World) -> None:
    """What the worker does after the pushes: process stored events, push changed stock."""
    await world.worker.process_due()
    await world.worker.push()


async def test_an_eleme_order_becomes_one_confirmed_sales_order_on_its_channel_and_lowers_every_store(
    world: World,
) -> None:
    await settle(world)
    assert world.sim.stores[("eleme", world.eleme_store)].stock == {"238364002730": 10}
    order_id = await world.sim.eleme_order(world.eleme_store, [Item("238364002730", 3)], times=2)
    await settle(world)

    links = await ChannelOrder.filter(platform_order_id=order_id)
    assert len(links) == 1  # pushed twice, booked once
    so = await SalesOrder.get(id=links[0].sales_order_id).prefetch_related("channel")
    assert (so.status, so.channel.code) == ("confirmed", world.eleme)
    assert await f.reserved(world.sku) == Decimal(3)
    # Both platform stores are told the new sellable figure; the fees group (餐盒) booked nothing.
    assert world.sim.stores[("eleme", world.eleme_store)].stock == {"238364002730": 7}
    assert world.sim.stores[("meituan", world.meituan_store)].stock == {"MT-LEMON": 7}


async def test_a_push_with_a_wrong_signature_is_refused_and_stores_nothing(world: World) -> None:
    before = await PlatformEvent.all().count()
    response = await world.sim.eleme_push(
        world.eleme_store, 10, {"orderId": "1", "groups": []}, secret="guess"
    )
    assert response.status_code == 403
    assert await PlatformEvent.all().count() == before


async def test_meituan_order_with_doubly_encoded_detail_then_cancelled_by_get_releases_its_stock(
    world: World,
) -> None:
    store = world.meituan_store
    order_id = f.code("MTO")
    detail = '[{"app_food_code":"MT-LEMON","food_name":"柠檬茶","quantity":4,"price":12.5}]'
    r = await world.sim.meituan_push(
        "order", store, {"order_id": order_id, "detail": detail}, double_encode=True
    )
    assert (r.status_code, r.json()) == (200, {"data": "ok"})
    await settle(world)
    link = await ChannelOrder.get(platform_order_id=order_id)
    assert await f.reserved(world.sku) == Decimal(4)
    assert world.sim.stores[("eleme", world.eleme_store)].stock["238364002730"] == 6

    r = await world.sim.meituan_push(
        "cancel", store, {"order_id": order_id, "reason_code": "1001"}, method="GET"
    )
    assert r.json() == {"data": "ok"}
    await settle(world)
    assert (await SalesOrder.get(id=link.sales_order_id)).status == "cancelled"
    assert await f.reserved(world.sku) == 0
    assert world.sim.stores[("eleme", world.eleme_store)].stock["238364002730"] == 10


async def test_an_order_whose_text_holds_a_nul_is_kept_with_it_replaced(world: World) -> None:
    # PostgreSQL stores no NUL: such a push was a 500, redelivered forever, and the order never arrived
    store = world.meituan_store
    order_id = f.code("MTO")
    detail = '[{"app_food_code":"MT-LEMON","food_name":"柠\\u0000檬茶","quantity":3,"price":12.5}]'
    fields = {"order_id": order_id, "detail": detail, "caution": "少冰\x00 no ice"}
    r = await world.sim.meituan_push("order", store, fields)
    assert (r.status_code, r.json()) == (200, {"data": "ok"})
    await settle(world)
    event = await PlatformEvent.get(platform_order_id=order_id)
    assert event.payload["raw"]["caution"] == "少冰\ufffd no ice"
    assert [ln["name"] for ln in event.payload["lines"]] == ["柠\ufffd檬茶"]
    assert await ChannelOrder.filter(platform_order_id=order_id).exists()
    assert await f.reserved(world.sku) == Decimal(3)


async def test_a_confirmed_order_ships_from_its_reservation(world: World) -> None:
    order_id = await world.sim.eleme_order(world.eleme_store, [Item("238364002730", 2)])
    await settle(world)
    await world.sim.eleme_status(world.eleme_store, order_id, 12)
    await settle(world)
    link = await ChannelOrder.get(platform_order_id=order_id)
    assert (await SalesOrder.get(id=link.sales_order_id)).status == "shipped"
    assert await f.on_hand(world.sku) == Decimal(8)
    assert await f.reserved(world.sku) == 0


async def test_safety_stock_shows_a_platform_sold_out_while_the_counter_still_sells(world: World) -> None:
    await services.allocation_rule_set(world.meituan, world.sku.code, None, Decimal(0), Decimal(10))
    await services.allocation_rule_set(world.dine_in, world.sku.code, None, Decimal("0.5"), Decimal(0))
    await settle(world)
    assert world.sim.stores[("meituan", world.meituan_store)].stock == {"MT-LEMON": 0}  # 售罄
    assert world.sim.stores[("eleme", world.eleme_store)].stock == {
        "238364002730": 5
    }  # half held for dine-in
    figures = {s.channel_id: s for s in await services.sellable(world.wh.id, [world.sku.id], f.TODAY)}
    assert sorted(s.sellable for s in figures.values()) == [Decimal(0), Decimal(5), Decimal(10)]
    await f.receive(world.sku, world.wh, world.supplier, Decimal(20))  # stock returns: back on sale
    await settle(world)
    # 30 available, 15 held for dine-in, 15 shared less 10 of safety stock: back on sale with 5.
    assert world.sim.stores[("meituan", world.meituan_store)].stock == {"MT-LEMON": 5}


async def test_an_unmapped_item_is_retried_with_backoff_then_dead_lettered_and_retried_by_a_person(
    world: World,
) -> None:
    order_id = await world.sim.eleme_order(world.eleme_store, [Item("999", 1, name="新品")])
    event = await PlatformEvent.get(platform="eleme", platform_order_id=order_id)
    clock = datetime.now(UTC)
    for attempt in range(1, rules.MAX_ATTEMPTS + 1):
        status = await orders.event_process(event.id, clock)
        await event.refresh_from_db()
        assert event.attempts == attempt
        assert "not mapped" in event.last_error
        clock = event.next_attempt_at or clock
        assert status == ("dead" if attempt == rules.MAX_ATTEMPTS else "failed")
    assert not await ChannelOrder.exists(platform_order_id=order_id)

    body = (
        await world.client.post(
            "/graphql",
            json={
                "query": "{ platformEvents(status: DEAD, first: 50) "
                "{ edges { node { id platformOrderId lastError } } } }"
            },
            headers={"Authorization": f"Bearer {await admin_token()}"},
        )
    ).json()
    dead = [
        e["node"] for e in body["data"]["platformEvents"]["edges"] if e["node"]["platformOrderId"] == order_id
    ]
    assert len(dead) == 1

    await services.sku_mapping_set(world.eleme, "999", world.sku.code)
    assert await orders.event_retry(event.id, datetime.now(UTC)) == "done"
    assert await ChannelOrder.exists(platform_order_id=order_id)


async def test_a_dropped_push_is_found_by_the_pull_and_booked_once(world: World) -> None:
    order_id = await world.sim.meituan_order(world.meituan_store, [Item("MT-LEMON", 2)], drop=True)
    assert not await PlatformEvent.exists(platform_order_id=order_id)
    assert await world.worker.pull() >= 1
    assert await world.worker.pull() == 0  # already stored
    await settle(world)
    assert await ChannelOrder.filter(platform_order_id=order_id).count() == 1


async def test_a_cancellation_that_overtakes_its_order_waits_and_then_cancels_it(world: World) -> None:
    order_id = await world.sim.eleme_order(world.eleme_store, [Item("238364002730", 1)], drop=True)
    await world.sim.eleme_status(world.eleme_store, order_id, 14)  # the cancel arrives first
    await settle(world)
    cancel = await PlatformEvent.get(platform_order_id=order_id, kind="cancelled")
    assert cancel.status == "failed"
    await world.sim.eleme_push(
        world.eleme_store, 10, world.sim.stores[("eleme", world.eleme_store)].orders[order_id]
    )
    await world.worker.process_due()
    await world.worker.process_due(datetime.now(UTC) + timedelta(minutes=5))  # the cancel's retry is due
    link = await ChannelOrder.get(platform_order_id=order_id)
    assert link.status == "cancelled"
    assert (await SalesOrder.get(id=link.sales_order_id)).status == "cancelled"


async def test_a_platform_outage_delays_stock_pushes_and_loses_none(world: World) -> None:
    world.sim.fail_stock_calls = 2
    await world.worker.push()
    mappings = await PlatformSkuMapping.filter(sku_id=world.sku.id)
    assert all(m.push_attempts == 1 and m.pushed is None and m.next_push_at for m in mappings)
    assert world.sim.stores[("eleme", world.eleme_store)].stock == {}
    await world.worker.push()  # backing off: nothing is sent yet
    assert world.sim.stores[("eleme", world.eleme_store)].stock == {}
    await world.worker.push(now=datetime.now(UTC) + timedelta(minutes=5))
    later = datetime.now(UTC) + timedelta(minutes=10)
    await world.worker.push(now=later)
    assert world.sim.stores[("eleme", world.eleme_store)].stock == {"238364002730": 10}
    assert world.sim.stores[("meituan", world.meituan_store)].stock == {"MT-LEMON": 10}


async def admin_token() -> str:
    from domain.partners import services as partners

    principal = await partners.create_user(f.code("adm").lower(), "correct-horse-battery", "admin")
    return await partners.issue_token(principal.user_id)


async def test_malformed_unknown_and_setup_calls_get_platform_answers_and_store_nothing(world: World) -> None:
    before = await PlatformEvent.all().count()
    hook = world.sim.http
    assert (await hook.post("/hooks/eleme", content=b"")).json() == {"message": "ok"}  # URL check at set-up
    assert (await hook.post("/hooks/eleme", content=b"{not json")).status_code == 400
    assert (await hook.post("/hooks/eleme", content=b"[1, 2]")).status_code == 400
    assert (await hook.post("/hooks/eleme", json={"shopId": 1, "type": 10})).status_code == 404
    assert (await hook.get("/hooks/meituan/order")).json() == {"data": "ok"}
    r = await world.sim.meituan_push("teleport", world.meituan_store, {"order_id": "1"})
    assert r.status_code == 400
    r = await world.sim.meituan_push("order", world.meituan_store, {"order_id": "2", "detail": "[{oops"})
    assert r.status_code == 400
    for declared, status in (("abc", 400), ("²", 400), ("-1", 400), ("9" * 5000, 413), (str(1 << 21), 413)):
        r = await hook.post(
            "/hooks/meituan/order", content=b"a=1", headers={"content-length": declared.encode("latin-1")}
        )
        assert r.status_code == status, declared
    assert await PlatformEvent.all().count() == before
