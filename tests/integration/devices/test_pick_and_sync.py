"""Pick tasks and offline sync on PostgreSQL: picks post the shipment, replays apply nothing twice, and an
operation that can no longer apply waits as an exception for a supervisor."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.common.errors import ValidationError
from domain.devices import sync, tasks
from domain.devices.models import DeviceOperation, PickLine, PickTask
from domain.inventory import services as inventory
from domain.partners import services as partners
from domain.partners.models import User
from domain.sales.models import SalesOrder
from tests import factories as f

NOW = datetime.now(UTC)
pytestmark = pytest.mark.usefixtures("db")


async def confirmed_order(quantity: Decimal = Decimal(3)):
    wh = await f.make_warehouse()
    sku = await f.make_sku()
    supplier = await f.make_supplier()
    lot_a = await f.receive(sku, wh, supplier, Decimal(2), expiry_date=f.days(20))
    lot_b = await f.receive(sku, wh, supplier, Decimal(5), expiry_date=f.days(40), location_code=wh.bins[1])
    customer = await f.make_customer()
    order = await f.make_sales_order(customer, wh, sku, quantity)  # confirmed: FEFO reserved
    return wh, sku, lot_a, lot_b, order


async def picker(wh: f.WarehouseRef) -> tuple[User, sync.Device]:
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    user = await User.get(id=principal.user_id)
    device = await sync.device_register(f.code("HH"), wh.code, user.id)
    return user, device


async def test_a_pick_task_suggests_fefo_lots_and_confirmed_picks_post_the_shipment() -> None:
    wh, sku, lot_a, lot_b, order = await confirmed_order(Decimal(3))
    posted = await tasks.pick_task_create(order.id, NOW)
    lines = await PickLine.filter(task_id=posted.document_id).order_by("id")
    assert [(ln.batch_id, Decimal(ln.quantity)) for ln in lines] == [(lot_a.batch_id, 2), (lot_b.batch_id, 1)]
    _, device = await picker(wh)
    ops = [
        sync.OperationInput(
            1,
            "pick_confirm",
            {"lineId": lines[0].id, "binCode": wh.bins[0], "lotCode": lot_a.lot_code, "quantity": "2"},
        ),
        sync.OperationInput(
            2,
            "pick_confirm",
            {"lineId": lines[1].id, "binCode": wh.bins[1], "lotCode": lot_b.lot_code, "quantity": "1"},
        ),
    ]
    results = await sync.operations_push(device, ops, NOW)
    assert [(r.sequence, r.status) for r in results] == [(1, "applied"), (2, "applied")]
    assert (await PickTask.get(id=posted.document_id)).status == "posted"
    assert (await SalesOrder.get(id=order.id)).status == "shipped"
    assert await f.on_hand(sku) == Decimal(4)
    # The same batch again (the answer was lost): the first outcomes, nothing applied twice.
    again = await sync.operations_push(device, ops, NOW)
    assert [(r.sequence, r.status) for r in again] == [(1, "applied"), (2, "applied")]
    assert await f.on_hand(sku) == Decimal(4)
    assert await DeviceOperation.filter(device_id=device.id).count() == 2


async def test_a_wrong_bin_is_refused_like_on_the_device_and_another_lot_needs_a_reason() -> None:
    wh, _sku, lot_a, lot_b, order = await confirmed_order(Decimal(1))
    posted = await tasks.pick_task_create(order.id, NOW)
    line = await PickLine.get(task_id=posted.document_id)
    with pytest.raises(ValidationError, match="WRONG_BIN"):
        await tasks.pick_confirm(tasks.PickConfirm(line.id, wh.bins[1], lot_a.lot_code, Decimal(1)), NOW)
    with pytest.raises(ValidationError, match="reason"):
        await tasks.pick_confirm(tasks.PickConfirm(line.id, wh.bins[1], lot_b.lot_code, Decimal(1)), NOW)
    await tasks.pick_confirm(
        tasks.PickConfirm(line.id, wh.bins[1], lot_b.lot_code, Decimal(1), "box damaged"), NOW
    )
    line = await PickLine.get(id=line.id)
    assert (line.status, line.picked_batch_id, line.reason) == ("picked", lot_b.batch_id, "box damaged")


async def test_an_operation_that_can_no_longer_apply_waits_as_an_exception_and_is_never_applied_twice() -> (
    None
):
    wh, sku, lot_a, _lot_b, order = await confirmed_order(Decimal(2))
    posted = await tasks.pick_task_create(order.id, NOW)
    line = await PickLine.get(task_id=posted.document_id)
    _, device = await picker(wh)
    await inventory.batch_block(lot_a.batch_id, NOW)  # blocked while the handheld was offline
    op = sync.OperationInput(
        7,
        "pick_confirm",
        {"lineId": line.id, "binCode": wh.bins[0], "lotCode": lot_a.lot_code, "quantity": "2"},
    )
    [result] = await sync.operations_push(device, [op], NOW)
    assert result.status == "exception"
    assert "NOT_AVAILABLE" in result.reason
    held = await DeviceOperation.get(device_id=device.id, sequence=7)
    assert held.status == "exception"
    # A supervisor releases the lot and retries: applied once, then the sequence stays applied.
    await inventory.batch_release(lot_a.batch_id, NOW)
    supervisor = await User.get(
        id=(await partners.create_user(f.code("s").lower(), "correct-horse-battery", "admin")).user_id
    )
    resolved = await sync.exception_resolve(
        held.id, "retry", "lot released after inspection", supervisor, NOW
    )
    assert resolved.status == "resolved"
    assert (await SalesOrder.get(id=order.id)).status == "shipped"
    [again] = await sync.operations_push(device, [op], NOW)
    assert again.status == "resolved"  # the device learns the outcome; nothing applies twice
    assert await f.on_hand(sku) == Decimal(5)


async def test_a_task_reassigned_to_someone_else_turns_a_pick_into_an_exception() -> None:
    wh, _sku, lot_a, _, order = await confirmed_order(Decimal(1))
    other = await partners.create_user(f.code("o").lower(), "correct-horse-battery", "warehouse")
    posted = await tasks.pick_task_create(order.id, NOW, assignee=(await User.get(id=other.user_id)).username)
    line = await PickLine.get(task_id=posted.document_id)
    _, device = await picker(wh)
    [r] = await sync.operations_push(
        device,
        [
            sync.OperationInput(
                1,
                "pick_confirm",
                {"lineId": line.id, "binCode": wh.bins[0], "lotCode": lot_a.lot_code, "quantity": "1"},
            )
        ],
        NOW,
    )
    assert (r.status, "reassigned" in r.reason) == ("exception", True)


async def test_the_pull_gives_the_device_its_tasks_lot_states_and_rules() -> None:
    wh, _sku, lot_a, lot_b, order = await confirmed_order(Decimal(1))
    await tasks.pick_task_create(order.id, NOW)
    _, device = await picker(wh)
    found = await sync.pull(device, None, NOW)
    assert [t.order_id for t in found.tasks] == [order.id]
    assert {lot for _, lot, _, _ in found.batches} == {lot_a.lot_code, lot_b.lot_code}
    assert found.rules["near_expiry_days"] == 3
    later = await sync.pull(device, found.cursor, datetime.now(UTC))
    assert later.tasks == []
