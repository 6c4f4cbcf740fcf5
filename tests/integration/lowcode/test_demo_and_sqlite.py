"""The demo's low-code configuration on the embedded SQLite database: the tax-exempt field and its filter,
the seeded payment terms, and the seeded mappings' dry runs on the partner fixtures."""

import json
from datetime import UTC, datetime
from pathlib import Path

from tortoise.context import TortoiseContext

from domain.catalog.models import Sku
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.mappings import services as mappings
from domain.partners.models import Supplier
from domain.purchasing.models import GoodsReceipt, GoodsReceiptLine
from lotline.demo import lowcode
from lotline.demo.seed import seed_demo

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
KEY = lowcode.TAX_EXEMPT
EPCIS = json.loads(Path("/work/shared/epcis/examples/object_event_all_possible_fields.jsonld").read_text())
ELEME = json.loads(Path("/work/shared/fixtures/eleme/sample_push_type10.json").read_text())


async def test_the_demo_seeds_the_tax_exempt_field_terms_and_mappings_and_sqlite_filters_them(
    sqlite_db: TortoiseContext,
) -> None:
    await seed_demo(NOW, weeks=2)

    exempt = await custom_fields.filtered(Sku.all(), Entity.SKU, [custom_fields.Filter(KEY, "eq", True)])
    taxed = await custom_fields.filtered(Sku.all(), Entity.SKU, [custom_fields.Filter(KEY, "eq", False)])
    receipts = await custom_fields.filtered(
        GoodsReceipt.all(), Entity.GOODS_RECEIPT, [custom_fields.Filter(KEY, "eq", True)]
    )
    exempt_ids = set(await Sku.filter(tax_exempt=True).values_list("id", flat=True))
    assert {s.id for s in await exempt} == exempt_ids
    assert await taxed.count() == await Sku.all().count() - len(exempt_ids)
    expected = set(
        await GoodsReceiptLine.filter(order_line__sku_id__in=exempt_ids).values_list("receipt_id", flat=True)
    )
    assert {r.id for r in await receipts} == expected
    assert expected  # the demo does receive tax-exempt goods

    terms = dict(await Supplier.all().values_list("code", "payment_terms"))
    assert terms["SUP-DRY"] == {"kind": "eom", "days": 30}
    assert terms["SUP-MEAT"]["kind"] == "instalments"
    assert sum(1 for t in terms.values() if t == {"kind": "net", "days": 15}) == len(terms) - 2

    asn = await mappings.dry_run("supplier", lowcode.ASN_SUPPLIER, "asn", EPCIS)
    order = await mappings.dry_run("customer", "C-ELM", "sales_order", ELEME)
    assert asn.mapped.values["purchaseOrderNumber"] is not None  # the look-up points at an open order
    # GS1's example GTIN is none of the demo's products: the dry run says so at the line's path.
    assert [p.path for p in asn.mapped.problems] == [("lines", "0", "gtin")]
    assert {p.path[-1] for p in order.mapped.problems} == {
        "skuCode"
    }  # the fixture's items are not the store's
