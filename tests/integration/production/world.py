"""A packed-salad line for the production tests: dressing (oil + vinegar) made first, then the salad from
lettuce, tomato, cucumber and the dressing; romaine may stand in for lettuce (declared on the BOM line).

Everything is random-coded so tests share one database. Routing rates are round so costs can be checked by
hand: the salad's mixing costs 6 min setup + 0.6 min per pack at 60/h labour and 30/h overhead.
"""

from dataclasses import dataclass
from decimal import Decimal

from domain.catalog.models import Sku
from domain.production import boms
from domain.production.models import BomLine
from domain.quality import services as quality
from tests import factories
from tests.factories import NOW, days

D = Decimal


@dataclass
class World:
    wh: factories.WarehouseRef
    supplier: object
    oil: Sku
    vinegar: Sku
    dressing: Sku
    lettuce: Sku
    romaine: Sku
    tomato: Sku
    cucumber: Sku
    salad: Sku
    lots: dict[str, factories.ReceivedLot]
    salad_bom: int
    lettuce_line: int


async def passed_check(batch_id: int, results: dict[str, str]) -> None:
    """A passed QC check of the lot with these results (parameter → value)."""
    started = await quality.quality_check_start(batch_id, "QA", NOW)
    await quality.quality_check_verdict(
        started.document_id,
        [quality.ResultInput(p, v, "", "", True) for p, v in results.items()],
        "pass",
        [],
        NOW,
    )


TEN = D(10)
ROMAINE_COST = D("5.20")


async def build(*, lettuce_kg: D = TEN, romaine_kg: D = TEN, romaine_cost: D = ROMAINE_COST) -> World:
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    sku = factories.make_sku
    oil, vinegar, lettuce, romaine, tomato, cucumber = [await sku() for _ in range(6)]
    dressing, salad = await sku(shelf_life_days=30), await sku(shelf_life_days=5)
    lots = {
        "oil": await factories.receive(oil, wh, supplier, D(20), unit_cost=D(16), expiry_date=days(300)),
        "vinegar": await factories.receive(
            vinegar, wh, supplier, D(20), unit_cost=D(8), expiry_date=days(400)
        ),
        "lettuce": await factories.receive(
            lettuce, wh, supplier, lettuce_kg, unit_cost=D(5), expiry_date=days(3)
        ),
        "tomato": await factories.receive(tomato, wh, supplier, D(20), unit_cost=D(6), expiry_date=days(7)),
        "cucumber": await factories.receive(
            cucumber, wh, supplier, D(20), unit_cost=D(4), expiry_date=days(9)
        ),
    }
    if romaine_kg > 0:
        lots["romaine"] = await factories.receive(
            romaine, wh, supplier, romaine_kg, unit_cost=romaine_cost, expiry_date=days(4)
        )
        await passed_check(lots["romaine"].batch_id, {"nitrate": "1800", "temperature": "3.5"})
    await boms.bom_define(
        dressing.code,
        [boms.BomLineInput(oil.code, D("0.7")), boms.BomLineInput(vinegar.code, D("0.3"))],
        [boms.OperationInput("EMULSIFY", "KITCHEN", D(0), D(1), D(60), D(0), ("MIXER-1",))],
    )
    for op, equipment in (("WASH", ("WASHER-1",)), ("MIX", ("TUMBLER-1", "TUMBLER-2"))):
        await boms.material_process_set(romaine.code, op, equipment)
    posted = await boms.bom_define(
        salad.code,
        [
            boms.BomLineInput(
                lettuce.code,
                D("0.2"),
                scrap_rate=D("0.05"),
                cost_threshold=D("0.10"),
                specs=(boms.SpecRange("nitrate", None, D(2500)), boms.SpecRange("temperature", D(0), D(5))),
                substitutes=(boms.SubstituteInput(romaine.code),),
            ),
            boms.BomLineInput(tomato.code, D("0.1")),
            boms.BomLineInput(cucumber.code, D("0.1")),
            boms.BomLineInput(dressing.code, D("0.05")),
        ],
        [
            boms.OperationInput("WASH", "WASH-LINE", D(0), D("0.3"), D(60), D(30), ("WASHER-1",)),
            boms.OperationInput("MIX", "PACK-LINE", D(6), D("0.3"), D(60), D(30), ("TUMBLER-1",)),
        ],
    )
    salad_bom = posted.document_id
    line = await BomLine.get(bom_id=salad_bom, sku_id=lettuce.id)
    return World(
        wh,
        supplier,
        oil,
        vinegar,
        dressing,
        lettuce,
        romaine,
        tomato,
        cucumber,
        salad,
        lots,
        salad_bom,
        line.id,
    )
