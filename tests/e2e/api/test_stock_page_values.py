"""The stock page built from plain values answers exactly what the ORM path answers (issue 15).

``stockOnHand`` fetches its rows with their SKU, location, warehouse and batch as ``.values()`` dicts;
``node(id:)`` on a ``StockOnHand`` still builds it from Tortoise models (``select_related``). Both must give
the same JSON for every field — custom fields, decimals, dates, expiry status and availability included —
whatever the filters and the selection.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.relay import encode_id
from domain.catalog.services import OrderLineInput
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity, FieldDef, Kind
from domain.inventory import services as inventory
from domain.inventory.models import Batch
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import World, code, make_world

CUSTOM_KEY = "stockPageNote"
ALL_FIELDS = [
    "status",
    "quantity { value unit } reserved { value unit } available { value unit }",
    "sku { id code nameZh nameEn baseUnit purchaseUnit salesUnit gtin shelfLifeDays bestBeforeDays taxRate"
    " taxExempt highRisk temperatureMin temperatureMax humidityMax active createdAt customFields }",
    "location { id code name path kind frozen capacity warehouse { code } parent { code } }",
    "warehouse { id code name gln active }",
    "batch { id lotCode productionDate expiryDate bestBeforeDate status createdAt customFields"
    " sku { code } }",
]
FILTERS = ["", "status: AVAILABLE", "status: EXPIRED", "status: BLOCKED", "includeEmpty: true"]


async def _stock(world: World) -> None:
    """Four lots of the world's SKU: expired, expiring, without expiry (blocked), far off; custom values on
    the SKU and two lots."""
    await custom_fields.definition_save(Entity.SKU, FieldDef(CUSTOM_KEY, Kind.TEXT, "备注", "Note"))
    await custom_fields.definition_save(Entity.BATCH, FieldDef(CUSTOM_KEY, Kind.TEXT, "备注", "Note"))
    await custom_fields.values_set(Entity.SKU, world.sku_id, {CUSTOM_KEY: "冷藏 chilled"})
    # Received ten days ago, so the first lot could be received then and has expired since.
    now = datetime.now(UTC) - timedelta(days=10)
    today = datetime.now(UTC).date()
    expiries: list[date | None] = [
        today - timedelta(days=3),
        today + timedelta(days=2),
        None,
        today + timedelta(days=400),
    ]
    po = await purchasing.purchase_order_create(
        world.supplier_code,
        world.warehouse_code,
        [
            OrderLineInput(world.sku_code, Decimal(n + 1), "box", Decimal("30.50"))
            for n in range(len(expiries))
        ],
    )
    await purchasing.purchase_order_confirm(po.document_id, now)
    lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
    lots = [code("LOT") for _ in lines]
    await receipts.goods_receipt_post(
        po.document_id,
        [
            receipts.ReceiptLineInput(ln.id, Decimal(n + 1), lot, world.warehouse_code, expiry_date=expiry)
            for n, (ln, lot, expiry) in enumerate(zip(lines, lots, expiries, strict=True))
        ],
        now,
    )
    batches = {b.lot_code: b for b in await Batch.filter(sku_id=world.sku_id)}
    await inventory.batch_block(batches[lots[2]].id, datetime.now(UTC))
    for lot in lots[:2]:
        await custom_fields.values_set(Entity.BATCH, batches[lot].id, {CUSTOM_KEY: f"lot {lot}"})


async def _same_by_list_and_by_node(gql: Gql, token: str, world: World, filters: str, fields: str) -> int:
    """Asserts the list's nodes equal the node(id:) answers; returns how many the list held."""
    sku = encode_id("Sku", world.sku_id)
    listed = await gql(
        f'query {{ stockOnHand(first: 50, skuId: "{sku}" {filters}) {{ edges {{ node {{ id {fields} }} }} '
        f"nodes {{ ...F }} }} }} fragment F on StockOnHand {{ id {fields} }}",
        token=token,
    )
    assert "errors" not in listed, listed
    edges = {e["node"]["id"]: e["node"] for e in listed["data"]["stockOnHand"]["edges"]}
    assert {n["id"]: n for n in listed["data"]["stockOnHand"]["nodes"]} == edges
    for gid, node in edges.items():
        one = await gql(f'{{ node(id: "{gid}") {{ ... on StockOnHand {{ id {fields} }} }} }}', token=token)
        assert one["data"]["node"] == node
    return len(edges)


async def test_stock_page_answers_what_the_nodes_answer(gql: Gql, admin: str) -> None:
    world = await make_world()
    await _stock(world)
    counts = {f: await _same_by_list_and_by_node(gql, admin, world, f, " ".join(ALL_FIELDS)) for f in FILTERS}
    # The filters do select: four lots on hand, one of them expired and one blocked; blocking left the
    # blocked lot's available row empty, which only includeEmpty lists.
    assert counts == {
        "": 4,
        "status: AVAILABLE": 2,
        "status: EXPIRED": 1,
        "status: BLOCKED": 1,
        "includeEmpty: true": 5,
    }
    body = await gql(
        f'{{ stockOnHand(first: 50, skuId: "{encode_id("Sku", world.sku_id)}") '
        "{ nodes { sku { customFields } batch { customFields } } } }",
        token=admin,
    )
    nodes = body["data"]["stockOnHand"]["nodes"]
    assert {n["sku"]["customFields"][CUSTOM_KEY] for n in nodes} == {"冷藏 chilled"}
    assert sum(CUSTOM_KEY in n["batch"]["customFields"] for n in nodes) == 2


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(st.sampled_from(ALL_FIELDS), min_size=1, max_size=3, unique=True),
    filters=st.sampled_from(FILTERS),
)
async def test_any_selection_and_filter_is_answered_alike(
    gql: Gql, admin: str, fields: list[str], filters: str
) -> None:
    world = await make_world()
    await _stock(world)
    assert await _same_by_list_and_by_node(gql, admin, world, filters, " ".join(fields)) >= 1
