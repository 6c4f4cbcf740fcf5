"""The reference handheld in Debian's Chromium: sign in, go offline, scan 200 picks, come back.

0 lost (every scan reaches the server), 0 duplicated (each applies once, however often the queue is sent),
and scans of a lot blocked while the device was offline land in the exceptions queue.
"""

import asyncio
import random
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from playwright.async_api import async_playwright

from domain.catalog import services as catalog
from domain.devices import tasks
from domain.devices.models import Device, DeviceOperation, PickLine
from domain.inventory import services as inventory
from domain.partners import services as partners
from tests import factories as f

from .conftest import FLAGS

N = 200


def gtin_with_check_digit(body: str) -> str:
    digits = body.zfill(13)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


async def picking_world() -> tuple[f.WarehouseRef, str, str, str, int]:
    wh = await f.make_warehouse()
    gtin = gtin_with_check_digit(str(random.randrange(10**11, 10**12)))
    sku = await catalog.create_sku(
        catalog.SkuInput(
            code=f.code("SKU"),
            name_zh="蓝莓",
            name_en="Blueberries",
            base_unit="kg",
            purchase_unit="kg",
            sales_unit="kg",
            units=[],
            gtin=gtin,
        )
    )
    supplier = await f.make_supplier()
    lot_a = await f.receive(sku, wh, supplier, Decimal(150), expiry_date=f.days(20))
    lot_b = await f.receive(sku, wh, supplier, Decimal(100), expiry_date=f.days(40), location_code=wh.bins[1])
    customer = await f.make_customer()
    from domain.sales import services as sales

    so = await sales.sales_order_create(
        customer.code, wh.code, [catalog.OrderLineInput(sku.code, Decimal(1)) for _ in range(N)]
    )
    await sales.sales_order_confirm(so.document_id, datetime.now(UTC))
    task = await tasks.pick_task_create(so.document_id, datetime.now(UTC))
    return wh, gtin, lot_a.lot_code, lot_b.lot_code, task.document_id


async def test_two_hundred_offline_scans_arrive_once_each_with_conflicts_held(
    server: str, chromium: str, tmp_path: Path
) -> None:
    wh, gtin, lot_a, lot_b, task_id = await picking_world()
    principal = await partners.create_user(f.code("hh").lower(), "correct-horse-battery", "warehouse")
    token = await partners.issue_token(principal.user_id)
    lines = await PickLine.filter(task_id=task_id).order_by("id").prefetch_related("batch", "location")
    assert len(lines) == N

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=list(FLAGS))
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        page = await context.new_page()
        await page.goto(f"{server}/handheld/")
        await page.fill("#token", token)
        await page.fill("#warehouse", wh.code)
        await page.click("#signin")
        await page.wait_for_function(
            f"document.querySelectorAll('#line option').length === {N}", timeout=30000
        )
        device = await Device.get(user_id=principal.user_id)

        await context.set_offline(True)
        await inventory.batch_block(lines[-1].batch_id, datetime.now(UTC))  # lot B blocked meanwhile
        # The first scan the way a keyboard-wedge scanner types it, the rest through the app's scan API.
        first = lines[0]
        await page.select_option("#line", str(first.id))
        await page.fill("#bin", first.location.code)
        await page.type("#item", f"01{gtin}10{first.batch.lot_code}")
        await page.keyboard.press("Enter")
        await page.fill("#qty", "1")
        await page.click("#confirm")
        await page.wait_for_function("document.getElementById('queued').textContent === '1'")
        for ln in lines[1:]:
            findings = await page.evaluate(
                "([id, bin, item]) => window.handheld.confirmPick(id, bin, item, '1', '')",
                [ln.id, ln.location.code, f"01{gtin}10{ln.batch.lot_code}"],
            )
            assert [x["severity"] for x in findings if x["severity"] == "block"] == []
        assert await page.evaluate("window.handheld.queued()") == N
        assert await DeviceOperation.filter(device_id=device.id).count() == 0  # nothing left the device
        await page.screenshot(path=str(tmp_path / "offline.png"))

        await context.set_offline(False)
        await page.evaluate("window.handheld.sync()")
        for _ in range(600):  # the app syncs on the online event (and every 5 s): wait for its queue to empty
            if await page.evaluate("window.handheld.queued()") == 0:
                break
            await asyncio.sleep(0.2)
        await page.evaluate("window.handheld.sync()")  # once more: nothing is applied twice
        await browser.close()

    ops = await DeviceOperation.filter(device_id=device.id)
    assert sorted(o.sequence for o in ops) == list(range(1, N + 1))  # 0 lost, 0 duplicated
    on_b = sum(1 for ln in lines if ln.batch.lot_code == lot_b)
    assert sum(o.status == "exception" for o in ops) == on_b
    assert all("NOT_AVAILABLE" in o.reason for o in ops if o.status == "exception")
    assert await PickLine.filter(task_id=task_id, status="picked").count() == N - on_b
    assert lot_a != lot_b


async def test_a_wrong_warehouse_code_does_not_sign_the_device_in(server: str, chromium: str) -> None:
    """The sign-in waits for the server: a warehouse code it does not know leaves the form with the reason."""
    wh = await f.make_warehouse()
    principal = await partners.create_user(f.code("hh").lower(), "correct-horse-battery", "warehouse")
    token = await partners.issue_token(principal.user_id)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=list(FLAGS))
        page = await (await browser.new_context()).new_page()
        await page.goto(f"{server}/handheld/")
        await page.fill("#token", token)
        await page.fill("#warehouse", "NO-SUCH-WH")
        await page.click("#signin")
        await page.wait_for_function("document.getElementById('loginError').textContent !== ''")
        assert "登录失败 sign-in failed" in await page.text_content("#loginError")
        assert await page.is_hidden("#work")
        assert await page.evaluate("localStorage.getItem('signedIn')") is None
        assert await Device.filter(user_id=principal.user_id).count() == 0

        await page.fill("#warehouse", wh.code)  # the right code signs in
        await page.click("#signin")
        await page.wait_for_function("!document.getElementById('work').hidden")
        assert await page.text_content("#loginError") == ""
        assert await Device.filter(user_id=principal.user_id).count() == 1
        await browser.close()
