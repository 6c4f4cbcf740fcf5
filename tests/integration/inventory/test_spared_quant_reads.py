"""``apply_moves`` given the quants its caller already read (``known``) or the batches it just created
(``new_batches``) writes exactly what it writes when it reads them itself (issue 15: a shipment's picked
quants and a receipt's new lots are not read twice)."""

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from domain.common.errors import InsufficientStock
from domain.inventory import services as inventory
from domain.inventory.ledger import KnownQuant, MoveRequest, QuantKey, apply_moves, lock_skus
from domain.inventory.models import Batch, Location, SkuValuation, StockQuant
from domain.inventory.reservations import pickable_quants
from domain.inventory.rules import LocationKind, fefo_dates
from tests import factories
from tests.factories import NOW


class _RollBack(Exception):
    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome


async def _outcome(sku_id: int, moves: list[Any]) -> Any:
    quants = await StockQuant.filter(sku_id=sku_id).order_by("id").values()
    valuation = await SkuValuation.filter(sku_id=sku_id).values("quantity", "value", "average_cost")
    rows = [
        (m.batch_id, m.from_location_id, m.to_location_id, m.quantity, m.unit_cost, m.value) for m in moves
    ]
    return rows, quants, valuation


async def _applied(sku_id: int, build: Any, **spare: Any) -> Any:
    """What ``build()``'s requests leave, then rolled back; an InsufficientStock refusal is an outcome too."""
    try:
        async with in_transaction():
            valuations = await lock_skus([sku_id])
            requests, extra = await build()
            try:
                moves = await apply_moves(requests, "test", 1, NOW, locked=valuations, **extra(spare))
            except InsufficientStock as refused:
                raise _RollBack(("refused", refused.shortages)) from None
            raise _RollBack(await _outcome(sku_id, moves))
    except _RollBack as done:
        return done.outcome


async def _stocked(lots: list[int]) -> tuple[Any, factories.WarehouseRef]:
    sku = await factories.make_sku()
    wh = await factories.make_warehouse()
    supplier = await factories.make_supplier()
    for i, qty in enumerate(lots):
        await factories.receive(
            sku, wh, supplier, Decimal(qty), unit_cost=Decimal(7 + i), location_code=wh.bins[i % 2]
        )
    return sku, wh


@settings(max_examples=12, deadline=None)
@given(
    lots=st.lists(st.integers(1, 9), min_size=1, max_size=4), takes=st.lists(st.integers(1, 12), max_size=4)
)
async def test_picked_quants_given_as_read_change_nothing(
    db: object, lots: list[int], takes: list[int]
) -> None:
    sku, wh = await _stocked(lots)
    customer = await inventory.virtual_location(LocationKind.CUSTOMER)
    locations = {loc.id: loc for loc in await Location.filter(warehouse_id=wh.id)}

    async def build() -> tuple[list[MoveRequest], Any]:
        quants = await pickable_quants([sku.id], wh.id)
        known: dict[QuantKey, KnownQuant] = {
            (q.sku_id, q.location_id, q.batch_id, q.status): (q.id, wh.id, q.quantity, q.reserved)
            for q in quants
        }
        requests = [
            MoveRequest(sku.id, q.batch_id, locations[q.location_id], customer, Decimal(take))
            for q, take in zip(quants * 4, takes, strict=False)  # a quant may be taken twice, or past zero
        ]
        return requests, lambda spare: {"known": known} if spare else {}

    assert await _applied(sku.id, build, spare=True) == await _applied(sku.id, build)


async def test_new_lots_are_not_read_and_land_as_when_read(db: object) -> None:
    sku, wh = await _stocked([5])
    supplier_location = await inventory.virtual_location(LocationKind.SUPPLIER)
    bin_a = await factories.location(wh.bins[0])
    old = await Batch.get(sku_id=sku.id)

    async def build() -> tuple[list[MoveRequest], Any]:
        new = await Batch.create(
            sku_id=sku.id,
            lot_code=factories.code("LOT"),
            status="available",
            expiry_date=factories.days(30),
            best_before_date=factories.days(20),
        )
        requests = [
            MoveRequest(sku.id, new.id, supplier_location, bin_a, Decimal(3), value=Decimal("21.00")),
            MoveRequest(sku.id, new.id, supplier_location, bin_a, Decimal(2), value=Decimal("14.50")),
            MoveRequest(sku.id, old.id, supplier_location, bin_a, Decimal(1), value=Decimal("7.00")),
        ]
        dates = {new.id: fefo_dates(new.expiry_date, new.best_before_date)}
        return requests, lambda spare: {"new_batches": dates} if spare else {}

    spared, read = await _applied(sku.id, build, spare=True), await _applied(sku.id, build)
    # The batch ids differ between the two runs (each created its own): compare the rest.
    assert _without_new_batch(spared) == _without_new_batch(read)
    assert len(spared[1]) == 2  # the old lot's quant, extended, and one new quant for both new lines
    new_quant = spared[1][1]  # stores the new lot's FEFO dates: best before day 20, expiring day 30
    assert (new_quant["fefo_limit"], new_quant["fefo_expiry"]) == (factories.days(20), factories.days(30))


def _without_new_batch(outcome: Any) -> Any:
    moves, quants, valuation = outcome
    return (
        [m[1:] for m in moves],
        [{k: v for k, v in q.items() if k not in ("id", "batch_id")} for q in quants],
        valuation,
    )
