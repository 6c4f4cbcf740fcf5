"""The reference handheld in Debian's Chromium, offline: receive, count, move and a wave pick, then online.

Every scan is checked on the device by the shared rules (a move into a bin outside the picker's zones is
refused there and never queued), reaches the server once, and what the server refuses (a move of more than
the bin holds) waits in the exceptions queue; the ledger holds exactly what was applied.
"""

import asyncio
import random
from datetime import UTC, datetime
from decimal import Decimal

from playwright.async_api import async_playwright

from domain.catalog import services as catalog
from domain.devices import scans, waves, zones
from domain.devices.models import Device, DeviceOperation, PickWave
from domain.inventory import counts
from domain.inventory.models import Location, StockCountLine
from domain.partners import services as partners
from domain.partners.models import User
from domain.sales.models import SalesOrder
from tests import factories as f

from .conftest import FLAGS
from .test_handheld_offline import gtin_with_check_digit


async def wait_until(page, script: str, seconds: float = 120) -> None:
    for _ in range(int(seconds / 0.2)):
        if await page.evaluate(script):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"never true: {script}")


async def test_receive_count_move_and_a_wave_offline_arrive_once_with_the_refusal_held(
    server: str, chromium: str
) -> None:
    wh = await f.make_warehouse(("A", "B", "C", "D"))
    bin_a, bin_b, bin_c, bin_d = wh.bins
    gtin = gtin_with_check_digit(str(random.randrange(10**11, 10**12)))
    sku = await catalog.create_sku(
        catalog.SkuInput(
            code=f.code("SKU"),
            name_zh="草莓",
            name_en="Strawberries",
            base_unit="kg",
            purchase_unit="kg",
            sales_unit="kg",
            units=[],
            gtin=gtin,
        )
    )
    supplier = await f.make_supplier()
    early = await f.receive(sku, wh, supplier, Decimal(5), expiry_date=f.days(10), location_code=bin_a)
    later = await f.receive(sku, wh, supplier, Decimal(10), expiry_date=f.days(60), location_code=bin_a)
    counted = await f.receive(sku, wh, supplier, Decimal(8), expiry_date=f.days(60), location_code=bin_c)
    order_to_receive = await f.make_purchase_order(supplier, wh, sku, Decimal(20), unit="kg")
    customer = await f.make_customer()
    orders = [await f.make_sales_order(customer, wh, sku, Decimal(q)) for q in (2, 3)]  # FEFO: the early lot
    wave = await waves.wave_create([o.id for o in orders], datetime.now(UTC))
    count = await counts.stock_count_start(wh.code, [bin_c])
    principal = await partners.create_user(f.code("hh").lower(), "correct-horse-battery", "warehouse")
    user = await User.get(id=principal.user_id)
    paths = [(await Location.get(code=b)).path for b in (bin_a, bin_b, bin_c)]
    await zones.zones_bind(user.username, wh.code, paths)  # not D
    token = await partners.issue_token(user.id)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=list(FLAGS))
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        page = await context.new_page()
        await page.goto(f"{server}/handheld/")
        await page.fill("#token", token)
        await page.fill("#warehouse", wh.code)
        await page.click("#signin")
        await wait_until(page, f"!!window.handheldCore.known().bins[{bin_d!r}]")
        await wait_until(page, "window.handheldCore.known().counts.length > 0")
        await page.fill("#ref", str(wave.document_id))
        await page.click("#loadwave")
        await page.wait_for_function("document.querySelectorAll('#stops .line').length === 1")
        device = await Device.get(user_id=user.id)

        await context.set_offline(True)
        item = f"01{gtin}10"
        # A receipt typed the way a keyboard-wedge scanner does: lot and expiry (17) from the GS1 string.
        await page.select_option("#mode", "receive")
        await page.fill("#ref", str(order_to_receive.line_id))
        await page.fill("#obin", bin_b)
        await page.fill("#oitem", f"01{gtin}17301231" + "10R-OFF")
        await page.fill("#oqty", "12")
        await page.click("#osubmit")
        await page.wait_for_function("document.getElementById('queued').textContent === '1'")
        calls = [
            ("count", [str(count.document_id), bin_c, sku.code, item + counted.lot_code, "3"]),
            ("count", [str(count.document_id), bin_c, sku.code, item + counted.lot_code, "2.5"]),
            ("move", [bin_a, bin_b, sku.code, item + later.lot_code, "4"]),
            (
                "move",
                [bin_a, bin_b, sku.code, item + later.lot_code, "100"],
            ),  # more than is free: server says no
            ("pickStop", [0, bin_a, item + early.lot_code, ""]),
        ]
        for name, args in calls:
            found = await page.evaluate(f"(a) => window.handheld.{name}(...a)", args)
            assert [x["code"] for x in found if x["severity"] == "block"] == []
        refused = await page.evaluate(
            "(a) => window.handheld.move(...a)", [bin_a, bin_d, sku.code, item + later.lot_code, "1"]
        )
        assert [x["code"] for x in refused] == ["OUT_OF_ZONE"]  # decided on the device, never queued
        assert await page.evaluate("window.handheld.queued()") == 6
        assert await DeviceOperation.filter(device_id=device.id).count() == 0

        await context.set_offline(False)
        await page.evaluate("window.handheld.sync()")
        await wait_until(page, "window.handheld.queued().then((n) => n === 0)")
        await page.evaluate("window.handheld.sync()")  # again: nothing applies twice
        await browser.close()

    ops = await DeviceOperation.filter(device_id=device.id).order_by("sequence")
    assert [(o.sequence, o.kind, o.status, o.code) for o in ops] == [
        (1, "receive", "applied", ""),
        (2, "count", "applied", ""),
        (3, "count", "applied", ""),
        (4, "move", "applied", ""),
        (5, "move", "exception", "INSUFFICIENT_STOCK"),
        (6, "wave_pick", "applied", ""),
    ]
    assert await f.on_hand(sku, bin_b) == Decimal(16)  # 12 received + 4 moved
    assert await f.on_hand(sku, bin_a) == Decimal(6)  # 15 - 4 moved - 5 picked and shipped
    line = await StockCountLine.get(count_id=count.document_id, batch_id=counted.batch_id)
    assert Decimal(line.counted or 0) == Decimal("5.5")
    await scans.count_post_scanned(count.document_id, datetime.now(UTC))
    assert await f.on_hand(sku, bin_c) == Decimal("5.5")
    assert [(await SalesOrder.get(id=o.id)).status for o in orders] == ["shipped", "shipped"]
    assert (await PickWave.get(id=wave.document_id)).status == "posted"
