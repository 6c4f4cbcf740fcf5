"""The consistency check rebuilds the read models from the ledger: it is silent on honest books and names
every kind of drift. Each corruption is made inside a transaction that is rolled back."""

from decimal import Decimal

import pytest
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.inventory import consistency
from domain.inventory.models import Batch, Reservation, SkuValuation, StockQuant
from tests import factories


class Rollback(Exception):
    pass


@pytest.fixture
async def reserved_stock(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    await factories.receive(sku, wh, supplier, Decimal(10))
    await factories.make_sales_order(customer, wh, sku, Decimal(3))
    quant = await StockQuant.get(sku_id=sku.id)
    return sku, quant


async def differences_after(corrupt) -> list[tuple[str, Decimal, Decimal]]:
    found: list[tuple[str, Decimal, Decimal]] = []
    try:
        async with in_transaction():
            await corrupt()
            found = [(d.what, d.books, d.ledger) for d in await consistency.check_consistency()]
            raise Rollback
    except Rollback:
        return found


async def test_honest_books_have_no_differences(reserved_stock):
    assert await consistency.check_consistency() == []


async def test_an_on_hand_quantity_off_the_ledger_is_reported(reserved_stock):
    _, quant = reserved_stock

    found = await differences_after(
        lambda: StockQuant.filter(id=quant.id).update(quantity=F("quantity") + Decimal("0.5"))
    )

    assert found == [("on_hand", Decimal("10.5"), Decimal(10))]
    assert await consistency.check_consistency() == []  # rolled back


async def test_a_valuation_off_the_ledger_is_reported(reserved_stock):
    sku, _ = reserved_stock

    found = await differences_after(lambda: SkuValuation.filter(sku_id=sku.id).update(value=Decimal(1)))

    assert found == [("valuation_value", Decimal(1), Decimal(120))]


async def test_a_reserved_figure_that_disagrees_with_the_reservations_is_reported(reserved_stock):
    _, quant = reserved_stock

    assert await differences_after(lambda: StockQuant.filter(id=quant.id).update(reserved=Decimal(5))) == [
        ("reserved", Decimal(5), Decimal(3))
    ]
    # A quant that claims nothing reserved while a reservation holds it is drift too.
    assert await differences_after(lambda: StockQuant.filter(id=quant.id).update(reserved=Decimal(0))) == [
        ("reserved", Decimal(0), Decimal(3))
    ]
    assert await Reservation.filter(quant_id=quant.id).count() == 1


async def test_a_batch_date_edited_behind_its_quants_is_reported(reserved_stock):
    """A batch's dates never change once it is created; its quants copy them to order picking (FEFO). An
    edit of the batch alone (a database edit) would reorder nothing: the check names every stale copy."""
    _, quant = reserved_stock
    edited = factories.days(5)

    found = await differences_after(
        lambda: Batch.filter(id=quant.batch_id).update(expiry_date=edited, best_before_date=factories.days(9))
    )

    # Undated until the edit: both copies say 9999-12-31; the batch now limits and expires on day 5.
    day = Decimal(edited.strftime("%Y%m%d"))
    assert found == [("fefo_limit", Decimal(99991231), day), ("fefo_expiry", Decimal(99991231), day)]
