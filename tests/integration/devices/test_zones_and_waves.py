"""Zones enforced by the server whatever the device checked, and waves: one walk, a shipment per order."""

from decimal import Decimal

import pytest

from domain.common.errors import Conflict, NotFound, ValidationError
from domain.devices import errors, sync, tasks, waves, zones
from domain.devices.models import DeviceOperation, PickLine, PickTask, PickWave
from domain.inventory.models import Location
from domain.partners import services as partners
from domain.partners.models import User
from domain.sales.models import SalesOrder, Shipment
from tests import factories as f

NOW = f.NOW
pytestmark = pytest.mark.usefixtures("db")


async def handheld(wh: f.WarehouseRef) -> sync.Device:
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    return await sync.device_register(f.code("HH"), wh.code, principal.user_id)


async def username(device: sync.Device) -> str:
    return (await User.get(id=device.user_id)).username


async def path_of(code: str) -> str:
    return (await Location.get(code=code)).path


async def test_a_device_bound_to_a_zone_cannot_pick_move_or_receive_outside_it() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[1])  # stock in bin B
    order = await f.make_sales_order(await f.make_customer(), wh, sku, Decimal(2))
    po = await f.make_purchase_order(supplier, wh, sku, Decimal(3), unit="kg")
    task = await tasks.pick_task_create(order.id, NOW)
    line = await PickLine.get(task_id=task.document_id)
    device = await handheld(wh)
    await zones.zones_bind(await username(device), wh.code, [await path_of(wh.bins[0])])  # zone A only
    # The device skipped its own check: the server refuses all three, nothing moves.
    results = await sync.operations_push(
        device,
        [
            sync.OperationInput(
                1,
                "pick_confirm",
                {"lineId": line.id, "binCode": wh.bins[1], "lotCode": lot.lot_code, "quantity": "2"},
            ),
            sync.OperationInput(
                2,
                "move",
                {
                    "binCode": wh.bins[1],
                    "toBinCode": wh.bins[0],
                    "skuCode": sku.code,
                    "lotCode": lot.lot_code,
                    "quantity": "1",
                },
            ),
            sync.OperationInput(
                3,
                "receive",
                {"orderLineId": po.line_id, "lotCode": "Z", "quantity": "1", "binCode": wh.bins[1]},
            ),
        ],
        NOW,
    )
    assert [(r.status, r.code) for r in results] == [("exception", "OUT_OF_ZONE")] * 3
    assert all("outside this device's zones" in r.reason for r in results)
    assert await f.on_hand(sku, wh.bins[1]) == Decimal(5)
    assert (await PickLine.get(id=line.id)).status == "open"
    # Direct service calls are refused with the typed error too.
    with pytest.raises(errors.OutOfZone) as refused:
        await tasks.pick_confirm(
            tasks.PickConfirm(
                line.id,
                wh.bins[1],
                lot.lot_code,
                Decimal(2),
                zones=await zones.zones_of(device.user_id, wh.id),
            ),
            NOW,
        )
    assert refused.value.code.value == "FORBIDDEN"
    # A supervisor widens the zone and retries: it applies, once.
    await zones.zones_bind(await username(device), wh.code, [await path_of(wh.code)])
    supervisor = await partners.create_user(f.code("s").lower(), "correct-horse-battery", "admin")

    held = await DeviceOperation.get(device_id=device.id, sequence=1)
    done = await sync.exception_resolve(
        held.id, "retry", "zone fixed", await User.get(id=supervisor.user_id), NOW
    )
    assert done.status == "resolved"
    assert (await SalesOrder.get(id=order.id)).status == "shipped"


async def test_zones_are_location_paths_of_the_warehouse_and_bind_the_user_on_every_device() -> None:
    wh, other = await f.make_warehouse(), await f.make_warehouse()
    device = await handheld(wh)
    name = await username(device)
    with pytest.raises(NotFound):
        await zones.zones_bind(name, wh.code, [await path_of(other.bins[0])])
    with pytest.raises(NotFound):
        await zones.zones_bind(name, wh.code, [await path_of(wh.bins[0]) + "X"])
    assert await zones.zones_of(device.user_id, wh.id) == ()
    bound = await zones.zones_bind(name, wh.code, [await path_of(wh.bins[0]) + "/"])
    assert bound == [await path_of(wh.bins[0])]
    second = await sync.device_register(f.code("HH"), wh.code, device.user_id)
    assert (await sync.pull(second, None, NOW)).zones == bound
    assert await zones.zones_of(device.user_id, other.id) == ()


async def test_a_wave_walks_the_bins_in_path_order_and_ships_each_order_on_its_own() -> None:
    wh, sku, supplier = await f.make_warehouse(("B-2", "A-1")), await f.make_sku(), await f.make_supplier()
    lot_b = await f.receive(sku, wh, supplier, Decimal(4), expiry_date=f.days(10), location_code=wh.bins[0])
    lot_a = await f.receive(sku, wh, supplier, Decimal(10), expiry_date=f.days(20), location_code=wh.bins[1])
    customer = await f.make_customer()
    orders = [await f.make_sales_order(customer, wh, sku, Decimal(q)) for q in (3, 2, 4)]
    posted = await waves.wave_create([o.id for o in orders], NOW)
    assert await PickTask.filter(wave_id=posted.document_id).count() == 3
    stops = waves_walk = await waves.wave_lines(posted.document_id)
    from domain.devices import walk

    stops = walk.stops(waves_walk)
    assert [s.bin_code for s in stops] == sorted([s.bin_code for s in stops], key=lambda c: c.split("/")[-1])
    assert sum(s.quantity for s in stops) == Decimal(9)
    device = await handheld(wh)
    ops = [
        sync.OperationInput(
            i + 1,
            "wave_pick",
            {
                "waveId": posted.document_id,
                "lineIds": list(s.line_ids),
                "binCode": s.bin_code,
                "lotCode": s.lot_code,
                "quantity": str(s.quantity),
            },
        )
        for i, s in enumerate(stops)
    ]
    results = await sync.operations_push(device, ops, NOW)
    assert [r.status for r in results] == ["applied"] * len(stops)
    await sync.operations_push(device, ops, NOW)  # replay: nothing twice
    assert [(await SalesOrder.get(id=o.id)).status for o in orders] == ["shipped"] * 3
    assert await Shipment.filter(order_id__in=[o.id for o in orders]).count() == 3
    assert (await PickWave.get(id=posted.document_id)).status == "posted"
    assert await f.on_hand(sku) == Decimal(5)
    assert {lot_a.lot_code, lot_b.lot_code} == {s.lot_code for s in stops}


async def test_a_wave_stop_is_taken_whole_and_a_wave_takes_only_confirmed_orders_of_one_warehouse() -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    await f.receive(sku, wh, supplier, Decimal(10))
    customer = await f.make_customer()
    confirmed = await f.make_sales_order(customer, wh, sku, Decimal(2))
    draft = await f.make_sales_order(customer, wh, sku, Decimal(1), confirm=False)
    with pytest.raises(Conflict):
        await waves.wave_create([confirmed.id, draft.id], NOW)
    with pytest.raises(ValidationError):
        await waves.wave_create([confirmed.id, confirmed.id], NOW)
    assert await PickWave.all().filter(tasks__order_id=confirmed.id).count() == 0
    posted = await waves.wave_create([confirmed.id], NOW)
    from domain.devices import walk

    [stop] = walk.stops(await waves.wave_lines(posted.document_id))
    device = await handheld(wh)
    [r] = await sync.operations_push(
        device,
        [
            sync.OperationInput(
                1,
                "wave_pick",
                {
                    "waveId": posted.document_id,
                    "lineIds": list(stop.line_ids),
                    "binCode": stop.bin_code,
                    "lotCode": stop.lot_code,
                    "quantity": "1",
                },
            )
        ],
        NOW,
    )
    assert (r.status, r.code) == ("exception", "VALIDATION")
    assert "take it whole" in r.reason


async def test_a_quarantine_scan_needs_the_lot_in_the_pickers_warehouse_and_zones() -> None:
    from domain.inventory.models import Batch

    wh, elsewhere = await f.make_warehouse(), await f.make_warehouse()
    sku, supplier = await f.make_sku(), await f.make_supplier()
    in_b = await f.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[1])
    in_a = await f.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[0])
    far = await f.receive(sku, elsewhere, supplier, Decimal(5))
    device = await handheld(wh)
    await zones.zones_bind(await username(device), wh.code, [await path_of(wh.bins[0])])
    results = await sync.operations_push(
        device,
        [
            sync.OperationInput(n + 1, "quarantine", {"skuCode": sku.code, "lotCode": lot.lot_code})
            for n, lot in enumerate((in_b, far, in_a))
        ],
        NOW,
    )
    assert [(r.status, r.code) for r in results] == [
        ("exception", "OUT_OF_ZONE"),
        ("exception", "NOT_FOUND"),
        ("applied", ""),
    ]
    statuses = {b.id: b.status for b in await Batch.filter(sku_id=sku.id)}
    assert (statuses[in_b.batch_id], statuses[far.batch_id]) == ("available", "available")
    assert statuses[in_a.batch_id] != "available"


async def test_the_pull_of_a_zoned_picker_holds_the_tasks_and_lots_of_their_zones_only() -> None:
    wh, supplier, customer = await f.make_warehouse(), await f.make_supplier(), await f.make_customer()
    sku_a, sku_b = await f.make_sku(), await f.make_sku()
    lot_a = await f.receive(sku_a, wh, supplier, Decimal(5), location_code=wh.bins[0])
    lot_b = await f.receive(sku_b, wh, supplier, Decimal(5), location_code=wh.bins[1])
    order_a = await f.make_sales_order(customer, wh, sku_a, Decimal(1))
    order_b = await f.make_sales_order(customer, wh, sku_b, Decimal(1))
    await tasks.pick_task_create(order_a.id, NOW)
    await tasks.pick_task_create(order_b.id, NOW)
    device = await handheld(wh)
    everything = await sync.pull(device, None, NOW)
    assert {t.order_id for t in everything.tasks} == {order_a.id, order_b.id}
    await zones.zones_bind(await username(device), wh.code, [await path_of(wh.bins[0])])
    zoned = await sync.pull(device, None, NOW)
    assert [t.order_id for t in zoned.tasks] == [order_a.id]
    assert {ln.task_id for ln in zoned.lines} == {zoned.tasks[0].id}
    assert [lot for _, lot, _, _ in zoned.batches] == [lot_a.lot_code]
    assert {b[0] for b in zoned.bins} >= set(wh.bins)  # every bin's path, to refuse the others offline
    assert lot_b.lot_code not in {lot for _, lot, _, _ in zoned.batches}
