"""Demo low-code configuration: the tax-exempt (免税) custom field, payment terms, and two partner mappings.

``seed_lowcode`` runs after the year is played (the demo posts no bills yet, so terms change no document):
it gives the suppliers their terms, marks the SKUs and receipts of tax-exempt goods, then saves a GS1 EPCIS
ASN mapping for the vegetables supplier (its order look-up pointing at one of that supplier's open orders)
and an Ele.me order mapping for the channel's store.
"""

from typing import Any

from domain.catalog.models import Sku
from domain.channels.models import PlatformSkuMapping
from domain.customfields import rules as field_rules
from domain.customfields import services as custom_fields
from domain.finance import due_dates
from domain.mappings import services as mappings
from domain.purchasing.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrder
from lotline.demo import catalog_data as data
from lotline.demo.state import SeedState

TAX_EXEMPT = "taxExemptGoods"
ASN_SUPPLIER = "SUP-SGV"
DEMO_PO_URN = "urn:epc:id:gdti:0614141.00001.1618034"  # the PO of GS1's EPCIS example event
TERMS: dict[str, dict[str, Any]] = {
    "SUP-DRY": {"kind": "eom", "days": 30},  # 月结30天
    "SUP-MEAT": {
        "kind": "instalments",
        "parts": [{"share": "0.3", "days": 0}, {"share": "0.7", "days": 60}],
        "endOfMonth": False,
    },
}


async def seed_payment_terms(s: SeedState) -> None:
    """Net 15 for every supplier but the two with their own terms above."""
    for sup in data.SUPPLIERS:
        await due_dates.payment_terms_set(
            "supplier", sup.code, TERMS.get(sup.code, {"kind": "net", "days": 15})
        )


async def seed_lowcode(s: SeedState) -> None:
    await seed_payment_terms(s)
    field = field_rules.FieldDef(
        TAX_EXEMPT, field_rules.Kind.BOOLEAN, "免税商品", "Tax-exempt goods", default=False
    )
    for entity in (field_rules.Entity.SKU, field_rules.Entity.GOODS_RECEIPT):
        await custom_fields.definition_save(entity, field)
    exempt = set(await Sku.filter(tax_exempt=True).values_list("id", flat=True))
    await Sku.filter(id__in=exempt).update(custom={TAX_EXEMPT: True})
    await Sku.exclude(id__in=exempt).update(custom={TAX_EXEMPT: False})
    receipts = set(
        await GoodsReceiptLine.filter(order_line__sku_id__in=exempt).values_list("receipt_id", flat=True)
    )
    await GoodsReceipt.filter(id__in=receipts).update(custom={TAX_EXEMPT: True})
    await GoodsReceipt.exclude(id__in=receipts).update(custom={TAX_EXEMPT: False})
    await _asn_mapping()
    # The Ele.me store's items as the channel maps them (domain.channels), so a push of the store maps.
    items = await PlatformSkuMapping.filter(channel__code="SZ-ELM").values_list(
        "platform_sku_id", "sku__code"
    )
    spec = {**ELEME_ORDER, "tables": {"skus": dict(items)}}
    await mappings.mapping_save("customer", "C-ELM", spec, "饿了么订单推送 Ele.me order push", "demo")


async def _asn_mapping() -> None:
    open_order = (
        await PurchaseOrder.filter(supplier__code=ASN_SUPPLIER, status="confirmed").order_by("-id").first()
    )
    spec = {**EPCIS_ASN, "tables": {"orders": {DEMO_PO_URN: open_order.number if open_order else "PO-NONE"}}}
    await mappings.mapping_save(
        "supplier", ASN_SUPPLIER, spec, "GS1 EPCIS 2.0 发货事件 shipping event", "demo"
    )


EPCIS_ASN: dict[str, Any] = {
    "target": "asn",
    "root": "epcisBody.eventList[?type=='ObjectEvent'] | [0]",
    "fields": {
        "purchaseOrderNumber": {
            "path": "bizTransactionList[?type=='po'] | [0].bizTransaction",
            "transforms": [{"op": "lookup", "table": "orders"}],
        },
        "expectedArrival": {"path": "eventTime", "transforms": [{"op": "datetime"}]},
        "note": {"path": "eventID"},
    },
    "lines": {
        "path": "quantityList",
        "fields": {
            "gtin": {"path": "epcClass", "transforms": [{"op": "gtin"}]},
            "lotCode": {"path": "epcClass", "transforms": [{"op": "lot"}]},
            "quantity": {
                "path": "quantity",
                "transforms": [{"op": "convert", "unitPath": "uom", "factors": {"KGM": "1", "GRM": "0.001"}}],
            },
            "expiryDate": {"path": "ilmd.itemExpirationDate", "transforms": [{"op": "date"}]},
        },
    },
}

ELEME_ORDER: dict[str, Any] = {
    "target": "sales_order",
    "decode": ["message"],
    "fields": {
        "customerCode": {"value": "C-ELM"},
        "warehouseCode": {"value": "SZ"},
        "requestedDate": {"path": "message.activeAt", "transforms": [{"op": "date"}]},
        "note": {"path": "message.orderId"},
    },
    "lines": {
        "path": "message.groups[?type=='normal'].items[]",
        "fields": {
            "skuCode": {"path": "skuId", "transforms": [{"op": "lookup", "table": "skus"}]},
            "quantity": {"path": "quantity", "transforms": [{"op": "decimal"}]},
            "unitPrice": {"path": "price", "transforms": [{"op": "decimal"}]},
        },
    },
}
