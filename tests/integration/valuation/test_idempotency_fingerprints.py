"""Issue 10, kind 6: an idempotency key remembers the request it came with. The same key with another
request (another order, quantity, lot, amount) is a Conflict naming the key and posts nothing; the same
request replays; a retry at another clock time is the same request."""

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.common.errors import Conflict, ValidationError
from domain.common.models import IdempotencyKey
from domain.common.services import MAX_KEY_LENGTH, fingerprint
from domain.finance import services as finance
from domain.inventory.models import StockMove
from domain.purchasing import receipts
from domain.purchasing.models import GoodsReceipt
from tests import factories
from tests.factories import NOW

D = Decimal


@pytest.fixture
async def setup(db):
    return await factories.make_sku(), await factories.make_warehouse(), await factories.make_supplier()


def line(order, wh, quantity, lot="LOT-1", bin_=0):
    return [receipts.ReceiptLineInput(order.line_id, D(quantity), lot, wh.bins[bin_])]


async def rows(sku) -> tuple[int, int, Decimal]:
    return (
        await GoodsReceipt.filter(lines__batch__sku_id=sku.id).distinct().count(),
        await StockMove.filter(sku_id=sku.id).count(),
        await factories.on_hand(sku),
    )


async def test_the_same_key_with_another_quantity_is_a_conflict_naming_the_key(setup, unique):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, D(5))
    key = unique("KEY")
    await receipts.goods_receipt_post(order.id, line(order, wh, 2), NOW, key=key)
    before = await rows(sku)

    with pytest.raises(Conflict) as err:
        await receipts.goods_receipt_post(order.id, line(order, wh, 3), NOW, key=key)

    assert err.value.path == ("idempotencyKey",)
    assert key in err.value.message
    assert "different request" in err.value.message
    assert await rows(sku) == before == (1, 1, D(20))


async def test_a_retry_later_with_the_same_request_replays(setup, unique):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, D(5))
    key = unique("KEY")
    first = await receipts.goods_receipt_post(order.id, line(order, wh, 2), NOW, key=key)

    # The posting time is the server's clock: a retry a minute later is still the same request, and
    # 2 and 2.000 are the same quantity.
    again = await receipts.goods_receipt_post(
        order.id, line(order, wh, "2.000"), NOW + timedelta(minutes=1), key=key
    )

    assert (again.document_id, again.replayed) == (first.document_id, True)
    assert await rows(sku) == (1, 1, D(20))
    stored = await IdempotencyKey.get(key=key)
    assert len(stored.fingerprint) == 64


async def test_a_manual_entry_under_a_used_key_with_another_amount_is_a_conflict(db, unique):
    key = unique("KEY")
    lines = [finance.ManualLineInput("5602", debit=D("88.00")), finance.ManualLineInput("1001", credit=D(88))]
    first = await finance.journal_entry_post(NOW.date(), lines, memo="办公用品", key=key)
    other = [finance.ManualLineInput("5602", debit=D("89.00")), finance.ManualLineInput("1001", credit=D(89))]

    with pytest.raises(Conflict):
        await finance.journal_entry_post(NOW.date(), other, memo="办公用品", key=key)
    again = await finance.journal_entry_post(NOW.date(), lines, memo="办公用品", key=key)

    assert (again.document_id, again.replayed) == (first.document_id, True)


@pytest.mark.parametrize("key", ["", " ", "x" * (MAX_KEY_LENGTH + 1)])
async def test_a_blank_or_too_long_key_is_refused(setup, key):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, D(5))

    with pytest.raises(ValidationError) as err:
        await receipts.goods_receipt_post(order.id, line(order, wh, 2), NOW, key=key)

    assert err.value.path == ("idempotencyKey",)
    assert await rows(sku) == (0, 0, D(0))


def test_the_fingerprint_is_the_captured_request_without_the_clock():
    def make(quantity, at):
        async def body():  # pragma: no cover - never awaited
            return (quantity, at)

        return body

    assert fingerprint(make(D(1), NOW)) == fingerprint(make(D("1.00"), NOW + timedelta(hours=1)))
    assert fingerprint(make(D(1), NOW)) != fingerprint(make(D(2), NOW))


mutation = st.sampled_from(["quantity", "lot", "bin", "order"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first_qty=st.integers(1, 4), change=mutation, bump=st.integers(1, 3))
async def test_any_mutated_payload_under_a_used_key_is_a_conflict_and_changes_nothing(
    setup, unique, first_qty, change, bump
):
    sku, wh, supplier = setup
    order = await factories.make_purchase_order(supplier, wh, sku, D(20))
    other_order = await factories.make_purchase_order(supplier, wh, sku, D(20))
    key = unique("KEY")
    lot = unique("LOT")
    await receipts.goods_receipt_post(order.id, line(order, wh, first_qty, lot), NOW, key=key)
    before = await rows(sku)
    order_id, lines = order.id, line(order, wh, first_qty, lot)
    if change == "quantity":
        lines = line(order, wh, first_qty + bump, lot)
    elif change == "lot":
        lines = line(order, wh, first_qty, f"{lot}-{bump}")
    elif change == "bin":
        lines = line(order, wh, first_qty, lot, bin_=1)
    else:
        order_id, lines = other_order.id, line(other_order, wh, first_qty, lot)

    with pytest.raises(Conflict) as err:
        await receipts.goods_receipt_post(order_id, lines, NOW, key=key)

    assert err.value.path == ("idempotencyKey",)
    assert await rows(sku) == before
    assert await IdempotencyKey.filter(key=key).count() == 1
