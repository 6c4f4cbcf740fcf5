"""Demo production: a packed-salad line in the Shanghai DC's central kitchen (中央厨房), with a substitute.

After the history, at seed time:
- the kitchen (bins ``SH-DC-KIT-RAW`` and ``SH-DC-KIT-FG``) receives fresh tomato and cucumber, iceberg
  lettuce (only 5 kg: too little), romaine (passed QC: nitrate and core temperature), peanut oil and soy;
- BOMs: 和风酱汁 soy dressing (oil + soy, one blending step) and 田园沙拉 garden salad per 250 g pack
  (iceberg, tomato, cucumber, dressing; wash and mix; romaine declared as iceberg's substitute, 10 % cost
  threshold);
- a dressing order is made and closed; a salad order for 60 packs finds iceberg short at release, takes the
  engine's best eligible candidate (romaine), and reports 40 packs: it stays in progress.
Lineage runs salad → dressing → oil; every completion has its TransformationEvent and its entry through WIP.
"""

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.catalog import services as catalog
from domain.catalog.models import Sku
from domain.catalog.services import OrderLineInput
from domain.common import business_time
from domain.inventory import services as inventory
from domain.inventory.models import Batch
from domain.production import boms, completion, orders
from domain.production.models import BomLine
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.quality import services as quality
from lotline.demo.state import SeedState

log = logging.getLogger(__name__)
D = Decimal
WAREHOUSE = "SH-DC"
RAW, FG = "SH-DC-KIT-RAW", "SH-DC-KIT-FG"
# (code, 中文, English, base unit, shelf life days)
SKUS = (
    ("VEG-101", "冰山生菜", "Iceberg lettuce", "kg", 7),
    ("VEG-102", "罗马生菜", "Romaine lettuce", "kg", 6),
    ("PRD-001", "和风酱汁", "Soy dressing", "kg", 30),
    ("PRD-002", "田园沙拉 250克", "Garden salad 250 g", "pack", 3),
)
# (supplier, SKU, quantity in its purchase unit, price per unit, days to expiry)
DELIVERIES = (
    ("SUP-SGV", "VEG-101", D(5), D("6.00"), 6),
    ("SUP-SGV", "VEG-102", D(20), D("6.40"), 5),
    ("SUP-SGV", "VEG-003", D(2), D("56.00"), 10),
    ("SUP-SGV", "VEG-004", D(2), D("48.00"), 8),
    ("SUP-DRY", "DRY-002", D(2), D("260.00"), 300),
    ("SUP-DRY", "DRY-003", D(1), D("96.00"), 360),
)


async def seed_production(s: SeedState) -> None:
    """The central kitchen, its deliveries, two BOMs and two production orders (see the module docstring)."""
    now = s.now - timedelta(minutes=30)
    today = business_time.business_today(now)
    for parent, code, name in (
        (WAREHOUSE, RAW, "中央厨房原料区 kitchen raw"),
        (WAREHOUSE, FG, "中央厨房成品区 kitchen FG"),
    ):
        await inventory.create_location(parent, code, name)
    for code, zh, en, unit, shelf in SKUS:
        await catalog.create_sku(
            catalog.SkuInput(
                code=code, name_zh=zh, name_en=en, base_unit=unit, category_code=None, shelf_life_days=shelf
            )
        )
    for supplier in ("SUP-SGV", "SUP-DRY"):
        await _receive(s, supplier, [d for d in DELIVERIES if d[0] == supplier], now, today)
    romaine = await Sku.get(code="VEG-102")
    lot = await _lot_of(romaine.id)
    started = await quality.quality_check_start(lot, "食安 QA", now)
    await quality.quality_check_verdict(
        started.document_id,
        [
            quality.ResultInput("nitrate", "1650", "≤2500", "mg/kg", True),
            quality.ResultInput("core_temperature", "3.8", "0–5", "°C", True),
        ],
        "pass",
        [],
        now,
    )
    for op, equipment in (("WASH", ("WASHER-1",)), ("MIX", ("TUMBLER-1",))):
        await boms.material_process_set("VEG-102", op, equipment)
    await boms.bom_define(
        "PRD-001",
        [boms.BomLineInput("DRY-002", D("0.14")), boms.BomLineInput("DRY-003", D("0.16"))],
        [boms.OperationInput("BLEND", "KITCHEN", D(5), D("0.5"), D(48), D(20), ("MIXER-1",))],
        note="演示 demo",
    )
    salad = await boms.bom_define(
        "PRD-002",
        [
            boms.BomLineInput(
                "VEG-101",
                D("0.12"),
                scrap_rate=D("0.05"),
                cost_threshold=D("0.10"),
                specs=(
                    boms.SpecRange("nitrate", None, D(2500)),
                    boms.SpecRange("core_temperature", D(0), D(5)),
                ),
                substitutes=(boms.SubstituteInput("VEG-102"),),
            ),
            boms.BomLineInput("VEG-003", D("0.06")),
            boms.BomLineInput("VEG-004", D("0.05")),
            boms.BomLineInput("PRD-001", D("0.02")),
        ],
        [
            boms.OperationInput("WASH", "WASH-LINE", D(10), D("0.2"), D(48), D(24), ("WASHER-1",)),
            boms.OperationInput(
                "MIX", "PACK-LINE", D(10), D("0.3"), D(48), D(36), ("TUMBLER-1", "TUMBLER-2")
            ),
        ],
        note="演示 demo",
    )
    dressing = await orders.production_order_plan("PRD-001", WAREHOUSE, D(3), today, now, "演示 demo")
    await orders.production_order_release(dressing.document_id, [], now)
    await completion.production_order_complete(dressing.document_id, D(3), f"DR{today:%Y%m%d}-1", FG, now)
    await orders.production_order_close(dressing.document_id, now)
    order = await orders.production_order_plan("PRD-002", WAREHOUSE, D(60), today, now, "演示 demo")
    line = await BomLine.get(bom_id=salad.document_id, sku__code="VEG-101")
    ranked = await orders.substitute_candidates(order.document_id, line.id, now)
    best = next(r for r in ranked if r.eligible)
    await orders.production_order_release(
        order.document_id, [orders.Substitution(line.id, best.sku_code)], now
    )
    await completion.production_order_complete(order.document_id, D(40), f"SL{today:%Y%m%d}-1", FG, now)
    log.info(
        "demo production: salad order %s released with substitute %s (score %s)",
        order.number,
        best.sku_code,
        best.score,
    )


async def _receive(
    s: SeedState, supplier: str, lines: list[tuple[str, str, D, D, int]], now: datetime, today: date
) -> None:
    po = await purchasing.purchase_order_create(
        supplier,
        WAREHOUSE,
        [OrderLineInput(sku, qty, None, price) for _, sku, qty, price, _ in lines],
        expected_date=today,
        note="演示：中央厨房 demo: central kitchen",
    )
    await purchasing.purchase_order_confirm(po.document_id, now - timedelta(hours=2))
    rows = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
    await receipts.goods_receipt_post(
        po.document_id,
        [
            receipts.ReceiptLineInput(
                row.id, qty, f"K{today:%Y%m%d}-{sku}", RAW, expiry_date=today + timedelta(days=days)
            )
            for row, (_, sku, qty, _, days) in zip(rows, lines, strict=True)
        ],
        now - timedelta(hours=1),
    )
    s.summary.receipts += 1


async def _lot_of(sku_id: int) -> int:
    batch = await Batch.filter(sku_id=sku_id).order_by("-id").first()
    assert batch is not None
    return batch.id
