"""Pick tasks reach a subscribed handheld over graphql-transport-ws as they commit; nothing else connects."""

import asyncio
import json
from decimal import Decimal

import pytest
import websockets

from domain.devices import sync, tasks
from domain.partners import services as partners
from tests import factories as f
from tests.integration.devices.test_pick_and_sync import NOW, confirmed_order

SUBSCRIBE = (
    "subscription($d: String!) { pickTaskAssigned(deviceId: $d) "
    "{ id orderNumber lines { lotCode binCode quantity } } }"
)


async def handheld(wh: f.WarehouseRef) -> tuple[str, str]:
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    device = await sync.device_register(f.code("HH"), wh.code, principal.user_id)
    return await partners.issue_token(principal.user_id), device.code


async def test_a_new_task_arrives_on_the_subscribed_device(ws_server: str) -> None:
    wh, _sku, lot_a, lot_b, order = await confirmed_order(Decimal(3))
    token, device = await handheld(wh)
    async with websockets.connect(f"ws://{ws_server}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = await ws.recv()
        assert isinstance(ack, str)  # text frames, as graphql-transport-ws requires
        assert json.loads(ack)["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"d": device}}}
            )
        )
        await asyncio.sleep(0.3)  # the subscription is listening
        posted = await tasks.pick_task_create(order.id, NOW)
        frame = await asyncio.wait_for(ws.recv(), 10)
    assert isinstance(frame, str)
    message = json.loads(frame)
    assert message["type"] == "next"
    task = message["payload"]["data"]["pickTaskAssigned"]
    assert task["id"] == posted.document_id
    assert [(ln["lotCode"], ln["quantity"]) for ln in task["lines"]] == [
        (lot_a.lot_code, "2"),
        (lot_b.lot_code, "1"),
    ]


async def test_without_a_token_the_connection_is_closed_before_any_subscription(ws_server: str) -> None:
    async with websockets.connect(f"ws://{ws_server}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer nope"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd.code == 4403


async def test_the_legacy_graphql_ws_protocol_is_not_spoken(ws_server: str) -> None:
    async def speak_legacy() -> None:
        async with websockets.connect(f"ws://{ws_server}/graphql", subprotocols=["graphql-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            await asyncio.wait_for(ws.recv(), 5)

    with pytest.raises((websockets.InvalidHandshake, websockets.ConnectionClosed)):
        await speak_legacy()


async def test_the_view_a_notify_carries_renders_the_task_exactly_as_loading_it_does(db: object) -> None:
    from api.devices import types
    from domain.devices.models import PickLine, PickTask

    _wh, _sku, _lot_a, _lot_b, order = await confirmed_order(Decimal(3))
    posted = await tasks.pick_task_create(order.id, NOW)
    task = await PickTask.get(id=posted.document_id)
    view = await tasks.task_view(task, await PickLine.filter(task_id=task.id).order_by("id"))
    assert len(json.dumps(view)) < tasks.NOTIFY_MAX
    [loaded] = await types.pick_tasks([task])
    assert types.pick_task_from_view(view) == loaded


async def test_a_zoned_picker_is_sent_only_the_tasks_with_a_bin_in_their_zones(ws_server: str) -> None:
    from domain.devices import zones
    from domain.inventory.models import Location
    from domain.partners.models import User

    wh = await f.make_warehouse()
    sku, supplier, customer = await f.make_sku(), await f.make_supplier(), await f.make_customer()
    await f.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[1])  # only in bin B
    elsewhere = await f.make_sales_order(customer, wh, sku, Decimal(1))
    token, device = await handheld(wh)
    user = await User.get(id=(await sync.Device.get(code=device)).user_id)
    await zones.zones_bind(user.username, wh.code, [(await Location.get(code=wh.bins[0])).path])
    async with websockets.connect(f"ws://{ws_server}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"d": device}}}
            )
        )
        await asyncio.sleep(0.3)
        await tasks.pick_task_create(elsewhere.id, NOW)  # bin B: not sent
        await f.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[0], expiry_date=f.days(1))
        mine = await tasks.pick_task_create((await f.make_sales_order(customer, wh, sku, Decimal(1))).id, NOW)
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["payload"]["data"]["pickTaskAssigned"]["id"] == mine.document_id
