"""The handheld operations on the embedded SQLite database (the demo's): receive, count, move and a wave
apply once through the sync path with exact decimals, and a zone refusal is held the same way."""

from decimal import Decimal

import pytest

from domain.devices import scans, sync, walk, waves, zones
from domain.devices.models import DeviceOperation, PickWave
from domain.inventory import counts
from domain.inventory.models import Location, StockMove
from domain.partners import services as partners
from domain.partners.models import User
from tests import factories as f

pytestmark = pytest.mark.usefixtures("sqlite_db")


async def test_receive_count_move_and_a_wave_on_sqlite() -> None:
    wh, sku, supplier = await f.make_warehouse(("A", "B", "C")), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal("10.25"), expiry_date=f.days(30))
    po = await f.make_purchase_order(supplier, wh, sku, Decimal(5), unit="kg")
    order = await f.make_sales_order(await f.make_customer(), wh, sku, Decimal("1.5"))
    wave = await waves.wave_create([order.id], f.NOW)
    [stop] = walk.stops(await waves.wave_lines(wave.document_id))
    count = await counts.stock_count_start(wh.code, [wh.bins[2]])
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    device = await sync.device_register(f.code("HH"), wh.code, principal.user_id)
    user = await User.get(id=principal.user_id)
    paths = [(await Location.get(code=b)).path for b in wh.bins[:3]]
    await zones.zones_bind(user.username, wh.code, paths[:2])  # not C
    ops = [
        ("receive", {"orderLineId": po.line_id, "lotCode": "S-1", "quantity": "2.5", "binCode": wh.bins[1]}),
        ("move", {"binCode": wh.bins[0], "toBinCode": wh.bins[1], "skuCode": sku.code,
                  "lotCode": lot.lot_code, "quantity": "0.75"}),
        ("wave_pick", {"waveId": wave.document_id, "lineIds": list(stop.line_ids), "binCode": stop.bin_code,
                       "lotCode": stop.lot_code, "quantity": str(stop.quantity)}),
        ("count", {"countId": count.document_id, "binCode": wh.bins[2], "skuCode": sku.code,
                   "lotCode": lot.lot_code, "quantity": "1"}),
    ]  # fmt: skip
    batch = [sync.OperationInput(i + 1, kind, payload) for i, (kind, payload) in enumerate(ops)]
    results = await sync.operations_push(device, batch, f.NOW)
    again = await sync.operations_push(device, batch, f.NOW)
    assert [(r.status, r.code) for r in results] == [
        ("applied", ""),
        ("applied", ""),
        ("applied", ""),
        ("exception", "OUT_OF_ZONE"),
    ]
    assert [(r.status, r.code) for r in again] == [(r.status, r.code) for r in results]
    assert await f.on_hand(sku, wh.bins[0]) == Decimal("8")  # 10.25 - 0.75 moved - 1.5 picked
    assert await f.on_hand(sku, wh.bins[1]) == Decimal("3.25")
    assert (await PickWave.get(id=wave.document_id)).status == "posted"
    assert await DeviceOperation.filter(device_id=device.id).count() == 4
    moved = await DeviceOperation.get(device_id=device.id, sequence=2)
    assert await StockMove.filter(doc_type=scans.MOVE_DOC, doc_id=moved.id).count() == 1
