"""Demo sales channels: the Suzhou front warehouse sells through Meituan and Ele.me stores beside wholesale.

The menu is the three SKUs the warehouse holds most of at the end of the demo year; a day of platform orders
is booked the way pushes are (stored as platform events, then processed), so the demo's GraphQL shows channel
sales (``salesByChannel``), platform events and a sold-out item (``channelStock`` with ``soldOut: true``):
the third item is kept for wholesale customers by safety stock on Meituan.
"""

from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from domain.catalog.models import Sku
from domain.channels import orders, services
from domain.channels.platforms import EventKind, PlatformLine, PlatformMessage
from domain.inventory.models import Warehouse
from domain.partners import services as partners
from lotline.demo.state import SeedState, at_hour

WAREHOUSE = "SZ"
MEITUAN_STORE = "SZ-POI-0001"
ELEME_STORE = "150200001"


async def seed_channels(s: SeedState) -> None:
    rng = s.rng_for("channels")
    await partners.create_customer("C-MT", "美团外卖顾客 Meituan consumers")
    await partners.create_customer("C-ELM", "饿了么顾客 Ele.me consumers")
    mt = await services.channel_create(
        "SZ-MT", "美团 苏州前置仓", "meituan", WAREHOUSE, "C-MT", MEITUAN_STORE
    )
    elm = await services.channel_create(
        "SZ-ELM", "饿了么 苏州前置仓", "eleme", WAREHOUSE, "C-ELM", ELEME_STORE
    )
    warehouse = await Warehouse.get(code=WAREHOUSE)
    skus = {sku.id: sku for sku in await Sku.filter(active=True)}
    figures = await services.sellable(warehouse.id, skus, s.last_day)
    stock = sorted({(f.available, skus[f.sku_id].code) for f in figures if f.available > 0}, reverse=True)[:3]
    if not stock:
        return
    for channel in (mt, elm):
        for _, code in stock:
            await services.sku_mapping_set(channel.code, f"{code}-P", code)
    # Delivery keeps a third of each item for itself; the last item is kept for wholesale on Meituan
    # (safety stock above what is there), so Meituan shows it sold out 售罄.
    for _, code in stock[:-1]:
        await services.allocation_rule_set(mt.code, code, None, Decimal("0.3"), Decimal(0))
    held_qty, held_code = stock[-1]
    await services.allocation_rule_set(
        mt.code, held_code, None, Decimal(0), (held_qty * 2).quantize(Decimal(10), ROUND_CEILING)
    )
    day = s.last_day
    for n in range(8):
        platform, store = ("meituan", MEITUAN_STORE) if n % 2 else ("eleme", ELEME_STORE)
        _, code = stock[n % max(len(stock) - 1, 1)]
        price = Decimal(rng.randint(300, 1500)) / 100
        message = PlatformMessage(
            platform,
            store,
            f"demo-{platform}-{n}",
            EventKind.NEW_ORDER,
            f"DEMO{day:%Y%m%d}{n:03d}",
            (PlatformLine(f"{code}-P", code, Decimal(rng.randint(1, 3)), price),),
        )
        when = at_hour(day, 10 + n) - timedelta(minutes=rng.randint(0, 50))
        event, _ = await orders.event_receive(message, when)
        await orders.event_process(event.id, when)
