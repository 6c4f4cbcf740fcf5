"""The idempotency lookup every keyed posting makes first is one hand-written SELECT on PostgreSQL (issue
15, ``services.stored_key``): the fingerprint and result the ORM reads, and nothing for an unknown key."""

from decimal import Decimal

from domain.common import services
from domain.common.models import IdempotencyKey
from domain.purchasing import receipts
from tests import factories
from tests.factories import NOW


async def test_the_stored_key_is_what_the_orm_reads(db, unique):
    sku, wh, supplier = (
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
    )
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))
    key = unique("KEY")
    posted = await receipts.goods_receipt_post(
        order.id, [receipts.ReceiptLineInput(order.line_id, Decimal(2), "LOT-1", wh.bins[0])], NOW, key=key
    )
    row = await IdempotencyKey.get(scope="goods_receipt_post", key=key)

    assert await services.stored_key("goods_receipt_post", key) == (row.fingerprint, row.result)
    assert row.result["number"] == posted.number
    assert await services.stored_key("goods_receipt_post", unique("NONE")) is None
    assert await services.stored_key("another_scope", key) is None


async def test_sqlite_reads_it_through_the_orm(sqlite_db, unique):
    await IdempotencyKey.create(scope="s", key="k", fingerprint="f" * 64, result={"document_id": 1})
    assert await services.stored_key("s", "k") == ("f" * 64, {"document_id": 1})
    assert await services.stored_key("s", "other") is None
