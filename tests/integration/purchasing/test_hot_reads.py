"""The reads at the start of a goods receipt and a shipment are hand-written on PostgreSQL (issue 15): the
order lock with its parties, the order's lines with their SKUs and units, the valuation locks, the
locations and the existing lots. Each gives what its ORM path (SQLite's) reads from the same database:
the same models, field for field (``repr``, so a decimal's places and a datetime's zone count too), and the
same errors."""

from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.catalog import order_lines as order_lines_module
from domain.catalog import services as catalog
from domain.catalog.order_lines import locked_order_lines, order_lines
from domain.common.errors import DomainError, NotFound, ValidationError
from domain.common.services import document_number
from domain.inventory import ledger
from domain.inventory import rules as stock_rules
from domain.inventory import services as inventory
from domain.inventory.models import Batch, SkuValuation
from domain.purchasing import lots
from domain.purchasing import services as purchasing
from domain.purchasing.models import GoodsReceipt, PurchaseOrderLine
from domain.sales import services as sales
from domain.sales.models import SalesOrderLine
from tests import factories
from tests.conftest import _asyncpg_dsn

LOCKED = "SELECT 1 FROM sku_valuation WHERE sku_id = $1 FOR UPDATE NOWAIT"
MODULES = (purchasing, sales, order_lines_module, ledger, inventory, lots)


@pytest.fixture
def orm_path(monkeypatch: pytest.MonkeyPatch):
    """Calls a read through its ORM path (as on SQLite), on this PostgreSQL database."""

    async def call(fn, *args: Any, **kwargs: Any) -> Any:
        with monkeypatch.context() as m:
            for module in MODULES:
                m.setattr(module, "is_postgres", lambda: False)
            return await fn(*args, **kwargs)

    return call


def fields(obj: Model | None) -> dict[str, str] | None:
    if obj is None:
        return None
    values = {name: repr(getattr(obj, name)) for name in obj._meta.fields_db_projection}
    return {**values, "_saved_in_db": repr(obj._saved_in_db), "_partial": repr(obj._partial)}


def each(objs: dict[Any, Model]) -> dict[Any, dict[str, str] | None]:
    return {k: fields(v) for k, v in objs.items()}


def error(exc: DomainError) -> tuple[object, ...]:
    return (type(exc), exc.code, str(exc), exc.path)


async def _two_line_order(supplier, wh, skus) -> int:
    posted = await purchasing.purchase_order_create(
        supplier.code,
        wh.code,
        [
            catalog.OrderLineInput(skus[0].code, Decimal(3), "box", Decimal("120")),
            catalog.OrderLineInput(skus[1].code, Decimal("2.5"), "kg", Decimal("11.5")),
            catalog.OrderLineInput(skus[0].code, Decimal(1), "kg", Decimal("10")),
        ],
    )
    await purchasing.purchase_order_confirm(posted.document_id, factories.NOW)
    return posted.document_id


async def test_the_locked_orders_are_what_the_orm_reads(db, orm_path):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    po = await factories.make_purchase_order(supplier, wh, sku, Decimal(5))
    await factories.receive(sku, wh, supplier, Decimal(10))
    so = await factories.make_sales_order(customer, wh, sku, Decimal(2))

    for module, order_id, parties in (
        (purchasing, po.id, ("supplier", "warehouse")),
        (sales, so.id, ("customer", "warehouse")),
    ):
        for with_parties in (False, True):
            hand = await module.locked_order(order_id, parties=with_parties)
            orm = await orm_path(module.locked_order, order_id, parties=with_parties)
            assert fields(hand) == fields(orm)
            if with_parties:
                for relation in parties:
                    assert fields(getattr(hand, relation)) == fields(getattr(orm, relation))
        with pytest.raises(NotFound) as hand_missing:
            await module.locked_order(10**9, parties=True)
        with pytest.raises(NotFound) as orm_missing:
            await orm_path(module.locked_order, 10**9, parties=True)
        assert error(hand_missing.value) == error(orm_missing.value)


async def test_an_orders_lines_skus_and_units_are_what_the_orm_reads(db, orm_path):
    skus = [await factories.make_sku(), await factories.make_sku(high_risk=True, shelf_life_days=9)]
    wh, supplier, customer = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    po_id = await _two_line_order(supplier, wh, skus)
    await factories.receive(skus[0], wh, supplier, Decimal(10))
    so = await factories.make_sales_order(customer, wh, skus[0], Decimal("1.25"))

    for model, order_id in ((PurchaseOrderLine, po_id), (SalesOrderLine, so.id), (PurchaseOrderLine, 10**9)):
        hand_lines, hand_skus, hand_units = await order_lines(model, order_id)
        orm_lines, orm_skus, orm_units = await orm_path(order_lines, model, order_id)
        assert each(hand_lines) == each(orm_lines)
        assert each(hand_skus) == each(orm_skus)
        assert {k: {u: repr(f) for u, f in t.items()} for k, t in hand_units.items()} == {
            k: {u: repr(f) for u, f in t.items()} for k, t in orm_units.items()
        }
    assert len(hand_lines) == 0
    lines, found_skus, units = await order_lines(PurchaseOrderLine, po_id)
    assert len(lines) == 3
    assert set(found_skus) == {s.id for s in skus}
    assert units[skus[0].id] == {"kg": Decimal(1), "box": factories.KG_PER_BOX}


async def test_lines_read_with_their_valuations_locked_are_the_two_reads(db, orm_path):
    """``locked_order_lines`` is ``order_lines`` then ``lock_skus`` of the lines' SKUs, in one statement on
    PostgreSQL: the same models, in SKU order, and the same refusal for a SKU without a valuation row."""
    skus = [await factories.make_sku(), await factories.make_sku(high_risk=True, shelf_life_days=9)]
    wh, supplier, customer = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    po_id = await _two_line_order(supplier, wh, skus)  # three lines, two of them of the first SKU
    await factories.receive(skus[0], wh, supplier, Decimal(10), unit_cost=Decimal("3.3333"))
    so = await factories.make_sales_order(customer, wh, skus[0], Decimal("1.25"))

    for model, order_id in ((PurchaseOrderLine, po_id), (SalesOrderLine, so.id), (PurchaseOrderLine, 10**9)):
        (lines, found_skus, units), valuations, _ = await locked_order_lines(model, order_id)
        (orm_lines, orm_skus, orm_units), orm_valuations, _ = await orm_path(
            locked_order_lines, model, order_id
        )
        two_reads = await order_lines(model, order_id)
        assert each(lines) == each(orm_lines) == each(two_reads[0])
        assert each(found_skus) == each(orm_skus) == each(two_reads[1])
        assert units == orm_units == two_reads[2]
        assert each(valuations) == each(orm_valuations) == each(await ledger.lock_skus(two_reads[1]))
        assert list(valuations) == sorted(found_skus)
    assert valuations == {}
    (lines, _, _), valuations, drawn = await locked_order_lines(PurchaseOrderLine, po_id)
    assert drawn is None  # no document asked for
    assert len(lines) == 3
    assert list(valuations) == sorted(s.id for s in skus)
    assert valuations[skus[0].id].quantity == Decimal(10)

    # A SKU without its valuation row; deleted in a transaction rolled back (the database is the session's).
    with pytest.raises(_RolledBack) as refusals:
        await _without_valuation(skus[1].id, po_id, orm_path)
    hand_missing, orm_missing = refusals.value.outcome
    assert error(hand_missing) == error(orm_missing)
    assert f"[{skus[1].id}]" in str(hand_missing)
    assert await SkuValuation.exists(sku_id=skus[1].id)


class _RolledBack(Exception):
    def __init__(self, outcome: Any = None) -> None:
        self.outcome = outcome


async def _without_valuation(sku_id: int, po_id: int, orm_path: Any) -> None:
    async with in_transaction():
        await SkuValuation.filter(sku_id=sku_id).delete()
        refusals = []
        for read in (locked_order_lines, lambda *a: orm_path(locked_order_lines, *a)):
            with pytest.raises(ValidationError) as refused:
                await read(PurchaseOrderLine, po_id)
            refusals.append(refused.value)
        raise _RolledBack(refusals)


async def _locks_left(conn: asyncpg.Connection, po_id: int, held: list[int], free: int) -> None:
    async with in_transaction():
        await locked_order_lines(PurchaseOrderLine, po_id)
        for sku_id in held:
            with pytest.raises(asyncpg.LockNotAvailableError):
                await conn.fetch(LOCKED, sku_id)
        async with conn.transaction():
            assert await conn.fetch(LOCKED, free)
        raise _RolledBack


async def test_lines_read_with_their_valuations_leave_exactly_those_locked(db, pg_settings):
    """The valuation rows of the order's SKUs stay locked until the transaction ends, as ``lock_skus``
    leaves them; another SKU's row is free."""
    skus = [await factories.make_sku(), await factories.make_sku(), await factories.make_sku()]
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    po_id = await _two_line_order(supplier, wh, skus)
    conn = await asyncpg.connect(_asyncpg_dsn(pg_settings.database_url))
    try:
        with pytest.raises(_RolledBack):
            await _locks_left(conn, po_id, [skus[0].id, skus[1].id], skus[2].id)
        async with conn.transaction():  # released with the transaction
            assert await conn.fetch(LOCKED, skus[0].id)
    finally:
        await conn.close()


async def test_the_document_id_drawn_with_the_lines_is_the_next_of_its_sequence(db, orm_path):
    """Asked for a document, the statement draws one id of its table's sequence (once, whatever the
    number of lines); the receipt posted with it carries that id and its number. The ORM path draws none
    (the insert does)."""
    skus = [await factories.make_sku(), await factories.make_sku()]
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    po_id = await _two_line_order(supplier, wh, skus)  # three lines
    _, _, first = await locked_order_lines(PurchaseOrderLine, po_id, GoodsReceipt)
    _, _, second = await locked_order_lines(PurchaseOrderLine, po_id, GoodsReceipt)
    assert first is not None
    assert second == first + 1
    assert (await orm_path(locked_order_lines, PurchaseOrderLine, po_id, GoodsReceipt))[2] is None
    lot = await factories.receive(skus[1], wh, supplier, Decimal(2))
    receipt = await GoodsReceipt.get(id=lot.receipt_id)
    assert receipt.id > second
    assert receipt.number == document_number("GR", receipt.id)


async def test_the_valuation_locks_are_what_the_orm_reads(db, orm_path):
    skus = [await factories.make_sku(), await factories.make_sku()]
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    await factories.receive(skus[1], wh, supplier, Decimal(7), unit_cost=Decimal("3.3333"))
    ids = [skus[1].id, skus[0].id, skus[1].id]

    hand = await ledger.lock_skus(ids)
    orm = await orm_path(ledger.lock_skus, ids)
    assert each(hand) == each(orm)
    assert list(hand) == sorted({s.id for s in skus})
    assert await ledger.lock_skus([]) == {}

    with pytest.raises(ValidationError) as hand_missing:
        await ledger.lock_skus([skus[0].id, 10**9])
    with pytest.raises(ValidationError) as orm_missing:
        await orm_path(ledger.lock_skus, [skus[0].id, 10**9])
    assert error(hand_missing.value) == error(orm_missing.value)


async def test_the_locations_are_what_the_orm_reads(db, orm_path):
    wh, other = await factories.make_warehouse(), await factories.make_warehouse()
    asks: list[dict[str, Any]] = [
        {"codes": {wh.bins[0], other.bins[1], wh.code, "NO-SUCH-BIN"}},
        {"codes": set()},
        {"warehouse_id": wh.id},
    ]
    for kind in (stock_rules.LocationKind.SUPPLIER, stock_rules.LocationKind.CUSTOMER):
        for ask in asks:
            hand_virtual, hand = await inventory.virtual_and(kind, **ask)
            orm_virtual, orm = await orm_path(inventory.virtual_and, kind, **ask)
            assert fields(hand_virtual) == fields(orm_virtual)
            assert sorted(map(str, map(fields, hand))) == sorted(map(str, map(fields, orm)))
    _, by_code = await inventory.virtual_and(stock_rules.LocationKind.SUPPLIER, codes={wh.bins[0]})
    assert {loc.code for loc in by_code} == {wh.bins[0], "VIRTUAL/SUPPLIER"}


async def test_the_existing_lots_are_what_the_orm_reads(db, orm_path):
    skus = [await factories.make_sku(), await factories.make_sku()]
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    a = await factories.receive(skus[0], wh, supplier, Decimal(4), expiry_date=factories.days(30))
    b = await factories.receive(skus[1], wh, supplier, Decimal(4))
    # Crossed pairs: each lot code exists, but not for the other SKU.
    pairs = {
        (skus[0].id, a.lot_code),
        (skus[1].id, b.lot_code),
        (skus[0].id, b.lot_code),
        (skus[1].id, a.lot_code),
        (skus[0].id, "NO-SUCH-LOT"),
    }

    hand = await lots.existing(pairs)
    orm = await orm_path(lots.existing, pairs)
    assert each(hand) == each(orm)
    assert set(hand) == {(skus[0].id, a.lot_code), (skus[1].id, b.lot_code)}
    assert await lots.existing(set()) == {}
    # With the ids of the lots to create: one per pair not found, new to the table's sequence.
    read = await lots.read(pairs)
    assert each(read.found) == each(hand)
    assert len(read.ids) == len(set(read.ids)) == 3
    last = await Batch.all().order_by("-id").first()
    assert last is not None
    assert min(read.ids) > last.id
    assert (await lots.read({(skus[0].id, a.lot_code)})).ids == []  # every pair found: none drawn
