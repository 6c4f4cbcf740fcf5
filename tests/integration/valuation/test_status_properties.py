"""Issue 10, kinds 4 and 5, as properties.

Kind 4: whatever mix of statuses the lots are in (available, quarantine, blocked, rejected, expired), counts
that confirm or correct the books and transfers of named lots keep each lot's quantity per status: nothing
turns available on the way, and a count moves only the status it counted.
Kind 5: a return to supplier naming a lot that did not arrive on that order line is refused, and changes
nothing.
"""

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from domain.common.errors import ValidationError
from domain.inventory import counts, transfers
from domain.inventory import services as inventory
from domain.inventory.models import StockQuant
from domain.purchasing import returns as supplier_returns
from tests import factories
from tests.factories import NOW, TODAY

D = Decimal
STATUSES = ["available", "quarantine", "blocked", "rejected", "expired"]
PROFILE = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
op = st.one_of(
    st.tuples(st.just("count"), st.integers(0, 2), st.integers(-3, 3)),  # lot, correction (0: confirms)
    st.tuples(st.just("transfer"), st.integers(0, 2), st.integers(1, 4)),  # lot, kg
    st.tuples(
        st.just("back"), st.integers(0, 2), st.integers(1, 4)
    ),  # transfer back from the second warehouse
)


async def per_status(sku_id: int) -> dict[tuple[int, str], Decimal]:
    out: dict[tuple[int, str], Decimal] = defaultdict(D)
    for q in await StockQuant.filter(sku_id=sku_id, quantity__gt=0):
        out[(q.batch_id, q.status)] += D(q.quantity)
    return dict(out)


async def on_hand_at(sku_id: int, location_code: str, batch_id: int, status: str) -> Decimal:
    q = await StockQuant.get_or_none(
        sku_id=sku_id, location__code=location_code, batch_id=batch_id, status=status
    )
    return D(q.quantity) if q else D(0)


@settings(PROFILE, max_examples=12)
@given(
    statuses=st.lists(st.sampled_from(STATUSES), min_size=3, max_size=3),
    ops=st.lists(op, min_size=1, max_size=8),
)
async def test_counts_and_transfers_keep_every_lots_quantity_per_status(db, statuses, ops):
    sku, supplier = await factories.make_sku(), await factories.make_supplier()
    a, b = await factories.make_warehouse(), await factories.make_warehouse()
    lots = [await factories.receive(sku, a, supplier, D(10)) for _ in statuses]
    for lot, status in zip(lots, statuses, strict=True):
        if status != "available":
            async with in_transaction():
                await inventory.set_batch_status(
                    lot.batch_id, inventory.rules.StockStatus(status), NOW, "test"
                )
    expected = {(lot.batch_id, s): D(10) for lot, s in zip(lots, statuses, strict=True)}
    where = {lot.batch_id: {a.code: D(10), b.code: D(0)} for lot in lots}
    for o in ops:
        lot, status = lots[o[1]], statuses[o[1]]
        if o[0] == "count":
            here = await on_hand_at(sku.id, a.bins[0], lot.batch_id, status)
            counted = max(D(0), here + o[2])
            started = await counts.stock_count_start(a.code, [a.bins[0]])
            await counts.stock_count_post(
                started.document_id, [counts.CountedLine(a.bins[0], lot.batch_id, counted)], NOW
            )
            expected[(lot.batch_id, status)] += counted - here
            where[lot.batch_id][a.code] += counted - here
        else:
            src, dst = (a, b) if o[0] == "transfer" else (b, a)
            qty = min(D(o[2]), where[lot.batch_id][src.code])
            if qty <= 0:
                continue
            shipped = await transfers.transfer_ship(
                src.code, dst.code, [transfers.TransferLineInput(sku.code, qty, lot.batch_id)], TODAY, NOW
            )
            await transfers.transfer_receive(shipped.document_id, dst.bins[0], NOW)
            where[lot.batch_id][src.code] -= qty
            where[lot.batch_id][dst.code] += qty

    assert await per_status(sku.id) == {k: v for k, v in expected.items() if v}


@settings(PROFILE, max_examples=8)
@given(qty=st.integers(1, 10), which=st.sampled_from(["other supplier", "other line"]))
async def test_a_return_naming_a_lot_not_received_on_its_line_is_refused(db, qty, which):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    first, second = await factories.make_supplier(), await factories.make_supplier()
    ours = await factories.receive(sku, wh, first, D(10))
    other = await factories.receive(sku, wh, second if which == "other supplier" else first, D(10))
    before = await factories.books(sku)

    with pytest.raises(ValidationError) as err:
        await supplier_returns.supplier_return_post(
            ours.order.id,
            [supplier_returns.ReturnLineInput(ours.order.line_id, other.batch_id, wh.bins[0], D(qty))],
            NOW,
        )

    assert err.value.path == ("lines", "0", "batchId")
    assert await factories.books(sku) == before
