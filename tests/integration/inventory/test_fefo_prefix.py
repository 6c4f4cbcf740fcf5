"""A shipment reads a SKU's stock only as far as FEFO reaches (``domain.inventory.fefo_prefix``, issue 15).
Whatever the stock — lots with and without expiry and best-before dates, expired, held, reserved by the
order or by others, in frozen bins, named by a line — a shipment's picks (or its refusal) are the same as
from the full list, including when the caller's estimate of the need is short and ``Picking`` reads the
rest."""

from decimal import Decimal
from typing import Any
from unittest.mock import patch

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from domain.common import business_time
from domain.common.errors import DomainError
from domain.inventory import fefo_prefix
from domain.inventory.models import Batch, Location
from domain.sales import shipments
from domain.sales.models import SalesOrderLine
from domain.sales.picking import Picking
from tests import factories

TODAY = business_time.business_date(factories.NOW)


# Days from today, the business day's edges (yesterday, today, tomorrow) often: expired is before today.
DAYS = st.one_of(st.sampled_from([-1, 0, 1]), st.integers(-3, 40))


class _RolledBack(Exception):
    pass


async def _shipped(
    picking: Picking, ol: SalesOrderLine, sku: Any, lines: list[tuple[Decimal, int | None]]
) -> list:
    """The picks of each line, in order, as ``shipment_post`` takes them; or the refusal that stops it."""
    out: list[Any] = []
    for i, (qty, batch_id) in enumerate(lines):
        try:
            picks = await shipments._picks_for_line(picking, ol, sku, qty, batch_id, TODAY, ("lines", str(i)))
        except DomainError as exc:
            out.append((type(exc).__name__, exc.message, exc.path))
            break
        for p, from_own in picks:
            picking.take(ol.id, p.quant_id, p.quantity, from_own)
        out.append([(p.quant_id, p.quantity, from_own) for p, from_own in picks])
    return out


async def _both(
    ol: SalesOrderLine, sku: Any, wh: Any, lines: list[tuple[Decimal, int | None]], short: bool
) -> tuple[list, list, int]:
    full = await Picking.load([ol.id], [sku.id], wh.id)
    need = lines[0][0] if short else sum((q for q, _ in lines), Decimal(0))
    named = [b for _, b in lines if b is not None]
    prefix = await Picking.load([ol.id], [sku.id], wh.id, {sku.id: need}, TODAY, named)
    read = len(prefix.quants)
    return await _shipped(full, ol, sku, lines), await _shipped(prefix, ol, sku, lines), read


@settings(max_examples=20, deadline=None)
@given(
    lots=st.lists(
        st.tuples(
            st.integers(1, 9),  # quantity (+ 0.125)
            st.one_of(st.none(), DAYS),  # expiry, days from today
            st.one_of(st.none(), DAYS),  # best before
            st.booleans(),  # in bin B
        ),
        min_size=1,
        max_size=7,
    ),
    reserve=st.integers(0, 12),
    shipped=st.lists(
        st.tuples(st.integers(1, 30), st.one_of(st.none(), st.integers(0, 6))), min_size=1, max_size=3
    ),
    hold=st.booleans(),
    freeze_b=st.booleans(),
    short=st.booleans(),
    read_at_most=st.sampled_from([1, 2, 3, fefo_prefix.READ_AT_MOST]),
)
# Found by a fresh draw: the third line names the last lot, so it is read with the prefix (which covered
# only the first line's estimate); the second line, short, read the rest but had picked the named lot
# before the unread fifth one. A pick past the prefix's reach now reads the rest too.
@example(
    lots=[(1, None, None, False)] * 2 + [(7, None, None, False)] * 2 + [(1, None, None, False)] * 2,
    reserve=0,
    shipped=[(1, None), (27, None), (1, 5)],
    hold=False,
    freeze_b=False,
    short=True,
    read_at_most=fefo_prefix.READ_AT_MOST,
)
async def test_a_shipment_picks_the_same_from_the_fefo_prefix(
    db: object,
    lots: list[tuple[int, int | None, int | None, bool]],
    reserve: int,
    shipped: list[tuple[int, int | None]],
    hold: bool,
    freeze_b: bool,
    short: bool,
    read_at_most: int,
) -> None:
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    batch_ids = []
    for qty, _, _, in_b in lots:  # dated below: a receipt refuses an expired lot
        lot = await factories.receive(
            sku, wh, supplier, Decimal(qty) + Decimal("0.125"), location_code=wh.bins[1 if in_b else 0]
        )
        batch_ids.append(lot.batch_id)
    customer = await factories.make_customer()
    other = await factories.make_sales_order(customer, wh, sku, Decimal(3))  # reserved for another order
    order = await factories.make_sales_order(customer, wh, sku, Decimal(reserve) + Decimal("0.5"))
    assert other.line_id != order.line_id
    ol = await SalesOrderLine.get(id=order.line_id)
    lines = [(Decimal(q) / 2, None if b is None else batch_ids[b % len(batch_ids)]) for q, b in shipped]
    try:
        # Direct edits of stock would leave the books unequal to the ledger for the session's other tests:
        # they are made and read in a transaction that is rolled back.
        async with in_transaction():
            for batch_id, (_, expiry, best_before, _) in zip(batch_ids, lots, strict=True):
                await factories.redate(
                    batch_id,
                    None if expiry is None else factories.days(expiry),
                    None if best_before is None else factories.days(best_before),
                )
            if hold:
                await Batch.filter(id=batch_ids[0]).update(status="blocked")
            if freeze_b:
                await Location.filter(warehouse_id=wh.id, code=wh.bins[1]).update(frozen=True)
            # A read limit below the lots on hand: a SKU cut by the limit, not by the need, still picks FEFO.
            with patch.object(fefo_prefix, "READ_AT_MOST", read_at_most):
                from_full, from_prefix, _ = await _both(ol, sku, wh, lines, short)
            assert from_prefix == from_full
            raise _RolledBack
    except _RolledBack:
        pass


async def test_plentiful_stock_is_read_only_as_far_as_the_pick_reaches(db: object) -> None:
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    for day in range(30, 0, -1):  # thirty lots, the earliest expiry received last
        await factories.receive(sku, wh, supplier, Decimal(5), expiry_date=factories.days(day))
    customer = await factories.make_customer()
    order = await factories.make_sales_order(customer, wh, sku, Decimal(7), confirm=False)
    ol = await SalesOrderLine.get(id=order.line_id)
    from_full, from_prefix, read = await _both(ol, sku, wh, [(Decimal(7), None)], short=False)
    assert from_prefix == from_full
    assert read == 2  # the two earliest lots cover 7 of 5 + 5; the other 28 are not read
    assert len(from_full[0]) == 2


async def test_a_need_of_more_lots_than_one_read_takes_reads_the_rest(db: object) -> None:
    """The read stops at ``READ_AT_MOST`` lots even when they do not cover the need: the pick past them
    reads the SKU's rest and takes the same lots, in the same order, as from the full list."""
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lots = [
        await factories.receive(sku, wh, supplier, Decimal(1), expiry_date=factories.days(day))
        for day in range(fefo_prefix.READ_AT_MOST + 4, 0, -1)  # the earliest expiry received last
    ]
    customer = await factories.make_customer()
    need = Decimal(fefo_prefix.READ_AT_MOST + 2)
    order = await factories.make_sales_order(customer, wh, sku, need, confirm=False)
    ol = await SalesOrderLine.get(id=order.line_id)
    prefix = await Picking.load([ol.id], [sku.id], wh.id, {sku.id: need}, TODAY, [])
    assert len(prefix.quants) == fefo_prefix.READ_AT_MOST
    assert prefix.reach[sku.id][:3] == (
        factories.days(fefo_prefix.READ_AT_MOST),
        factories.days(fefo_prefix.READ_AT_MOST),
        lots[-fefo_prefix.READ_AT_MOST].batch_id,  # the eighth earliest
    )
    from_full, from_prefix, _ = await _both(ol, sku, wh, [(need, None)], short=False)
    assert from_prefix == from_full
    assert len(from_full[0]) == fefo_prefix.READ_AT_MOST + 2


@settings(max_examples=15, deadline=None)
@given(
    lots=st.lists(
        st.tuples(st.integers(1, 5), st.one_of(st.none(), DAYS), st.one_of(st.none(), DAYS)),
        min_size=2,
        max_size=10,
    ),
    halves=st.integers(1, 50),
    read_at_most=st.integers(1, 4),
)
async def test_a_read_cut_by_its_limit_picks_as_the_full_list(
    db: object, lots: list[tuple[int, int | None, int | None]], halves: int, read_at_most: int
) -> None:
    """Many lots, one unnamed line, nothing reserved: whether the read limit or the need cuts the read, or
    the stock falls short, the picks (or the refusal) equal the full list's."""
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    received = [await factories.receive(sku, wh, supplier, Decimal(qty)) for qty, _, _ in lots]
    order = await factories.make_sales_order(
        await factories.make_customer(), wh, sku, Decimal(halves) / 2, confirm=False
    )
    ol = await SalesOrderLine.get(id=order.line_id)
    try:
        async with in_transaction():
            for lot, (_, expiry, best_before) in zip(received, lots, strict=True):
                await factories.redate(
                    lot.batch_id,
                    None if expiry is None else factories.days(expiry),
                    None if best_before is None else factories.days(best_before),
                )
            with patch.object(fefo_prefix, "READ_AT_MOST", read_at_most):
                from_full, from_prefix, _ = await _both(ol, sku, wh, [(Decimal(halves) / 2, None)], False)
            assert from_prefix == from_full
            raise _RolledBack
    except _RolledBack:
        pass


async def test_the_business_days_edges_read_as_picking_reads_them(db: object) -> None:
    """Expired yesterday: never picked; expiring today: still sellable, and first; best before today limits
    a lot as its expiry does. The prefix must draw each edge where ``rules.pick_fefo`` draws it."""
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lots = [await factories.receive(sku, wh, supplier, Decimal(2)) for _ in range(4)]
    customer = await factories.make_customer()
    order = await factories.make_sales_order(customer, wh, sku, Decimal(4), confirm=False)
    ol = await SalesOrderLine.get(id=order.line_id)
    try:
        async with in_transaction():
            dates = [(-1, None), (5, 0), (0, None), (1, None)]  # (expiry, best before) in days from today
            for lot, (expiry, best_before) in zip(lots, dates, strict=True):
                await factories.redate(
                    lot.batch_id,
                    factories.days(expiry),
                    None if best_before is None else factories.days(best_before),
                )
            from_full, from_prefix, read = await _both(ol, sku, wh, [(Decimal(3), None)], short=False)
            assert from_prefix == from_full
            quant_batches = {
                q.id: q.batch_id for q in (await Picking.load([ol.id], [sku.id], wh.id)).quants.values()
            }
            picked = [quant_batches[quant_id] for quant_id, _, _ in from_full[0]]
            # Best before today and expiring today tie on their limiting date; the earlier expiry comes first.
            assert picked == [lots[2].batch_id, lots[1].batch_id]
            assert read == 2
            raise _RolledBack
    except _RolledBack:
        pass


async def test_the_reach_names_the_last_lot_read_and_only_when_rows_were_left(db: object) -> None:
    sku = await factories.make_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lots = [
        await factories.receive(sku, wh, supplier, Decimal(2), expiry_date=factories.days(d))
        for d in (9, 3, 6)
    ]
    customer = await factories.make_customer()
    order = await factories.make_sales_order(customer, wh, sku, Decimal(1), confirm=False)
    some = await Picking.load([order.line_id], [sku.id], wh.id, {sku.id: Decimal(3)}, TODAY, [])
    assert sorted(q.batch_id for q in some.quants.values()) == sorted([lots[1].batch_id, lots[2].batch_id])
    assert {k: key[:3] for k, key in some.reach.items()} == {
        sku.id: (factories.days(6), factories.days(6), lots[2].batch_id)
    }
    every = await Picking.load([order.line_id], [sku.id], wh.id, {sku.id: Decimal(6)}, TODAY, [])
    assert len(every.quants) == 3
    assert every.reach == {}  # nothing left unread: nothing to complete
    # A named lot is read whatever the need; past the reach it does not make the read complete.
    named = await Picking.load(
        [order.line_id], [sku.id], wh.id, {sku.id: Decimal(1)}, TODAY, [lots[0].batch_id]
    )
    assert sorted(q.batch_id for q in named.quants.values()) == sorted([lots[0].batch_id, lots[1].batch_id])
    assert {k: key[:3] for k, key in named.reach.items()} == {
        sku.id: (factories.days(3), factories.days(3), lots[1].batch_id)
    }
