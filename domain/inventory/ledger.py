"""The stock ledger: appends moves and keeps on-hand and valuation in step, inside the caller's transaction.

Locking: every posting first locks the valuation rows of the SKUs it touches, in SKU id order
(``SELECT … FOR UPDATE``). All quant changes of a SKU happen under that lock, so postings of the same
SKU serialise, postings of different SKUs run in parallel, and a fixed order means no deadlock.
"""

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from domain.catalog.models import Sku
from domain.channels import stock_sync
from domain.common import bulk, bulk_insert, deferred
from domain.common.dialect import is_postgres
from domain.common.errors import InsufficientStock, Shortage, ValidationError
from domain.common.rows import build, columns
from domain.inventory import rules
from domain.inventory.models import Batch, Location, SkuValuation, StockMove, StockQuant


@dataclass(frozen=True)
class MoveRequest:
    sku_id: int
    batch_id: int
    from_location: Location
    to_location: Location
    quantity: Decimal
    from_status: str = rules.StockStatus.AVAILABLE
    to_status: str = rules.StockStatus.AVAILABLE
    unit_cost: Decimal | None = None  # required when stock enters from outside (receipt, gain)
    value: Decimal | None = None  # incoming: the document's exact value (cents), instead of qty × unit cost
    reserved_release: Decimal = rules.ZERO  # part of the source quant's reservation this move consumes
    path: tuple[str, ...] = ()


def owned(location: Location) -> bool:
    return location.kind in rules.OWNED_KINDS


@cache
def _lock_sql() -> str:
    # Hand-written (issue 15): every stock posting locks here; the ORM spent ~0.5 ms of Python building
    # the query. ORDER BY then FOR UPDATE: the rows are locked in SKU id order (the locking rule above).
    # tests/integration/purchasing/test_hot_reads.py pins it to the ORM path.
    return (
        f'SELECT {columns(SkuValuation, "v")} FROM "{SkuValuation._meta.db_table}" AS v '
        'WHERE v."sku_id" = ANY($1::bigint[]) ORDER BY v."sku_id" FOR UPDATE'
    )


async def _valuations(ids: list[int]) -> list[SkuValuation]:
    if not is_postgres():
        return await SkuValuation.filter(sku_id__in=ids).order_by("sku_id")
    _, found = await SkuValuation._meta.db.execute_query(_lock_sql(), [ids])
    return [build(SkuValuation, r) for r in found]


async def lock_skus(sku_ids: Iterable[int]) -> dict[int, SkuValuation]:
    """The valuation rows of the SKUs by SKU id, locked (PostgreSQL) in SKU id order until the transaction
    ends. ``ValidationError`` at ``("skuId",)`` for a SKU without one."""
    ids = sorted(set(sku_ids))
    return await locked(ids, await _valuations(ids))


async def locked(ids: list[int], found: Iterable[SkuValuation]) -> dict[int, SkuValuation]:
    """``lock_skus``'s result from valuation rows a caller locked in its own statement (as ``_lock_sql``
    does: SKU id order, ``FOR UPDATE``; ``catalog.order_lines.locked_order_lines``), ``ids`` sorted: the
    same check and the same signal to the sales channels."""
    rows = {v.sku_id: v for v in found}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise ValidationError(f"SKU ids {missing} have no valuation row", ("skuId",))
    # Every posting that moves or reserves stock locks its SKUs here first: the one place to tell the
    # sales channels (an outbox row, only for SKUs a delivery platform sells) that sellable stock may change.
    await stock_sync.stock_changed(ids)
    return {i: rows[i] for i in ids}


QuantKey = tuple[int, int, int, str]  # sku, location, batch, status
#: A batch's place in FEFO order, as its quants store it: ``rules.fefo_dates`` (limiting date, expiry).
FefoDates = tuple[date, date]


@dataclass
class _Quant:
    """A quant as this posting sees it: the row's figures (or zeros for one it creates) plus its change."""

    id: int | None  # None: created by this posting
    warehouse_id: int
    quantity: Decimal
    reserved: Decimal
    add_quantity: Decimal = rules.ZERO
    add_reserved: Decimal = rules.ZERO


def _figures(v: SkuValuation) -> tuple[Decimal, Decimal, Decimal]:
    return (Decimal(v.quantity), Decimal(v.value), Decimal(v.average_cost))


def _key(req: MoveRequest, location: Location, status: str) -> QuantKey:
    return (req.sku_id, location.id, req.batch_id, str(status))


#: A quant the caller read under the SKU lock in this transaction: (id, warehouse id, quantity, reserved).
KnownQuant = tuple[int, int, Decimal, Decimal]


async def _load_quants(
    keys: set[QuantKey],
    known: Mapping[QuantKey, KnownQuant],
    new_batches: Set[int],
    dates: dict[int, FefoDates],
) -> dict[QuantKey, _Quant]:
    """Every existing quant among ``keys``, in one query (a superset is read and matched here); the FEFO
    dates of the batches read go into ``dates`` (batch id -> ``FefoDates``).

    Keys the caller already read (``known``) or whose batch this posting created (``new_batches``: no
    quant of it can exist yet) are not read again; when none is left, there is no query (issue 15)."""
    found = {k: _Quant(*known[k]) for k in keys if k in known}
    keys = {k for k in keys if k not in known and k[2] not in new_batches}
    if not keys:
        return found
    rows = await StockQuant.filter(
        sku_id__in={k[0] for k in keys},
        location_id__in={k[1] for k in keys},
        batch_id__in={k[2] for k in keys},
        status__in={k[3] for k in keys},
    )
    for q in rows:
        key = (q.sku_id, q.location_id, q.batch_id, q.status)
        if key in keys:
            found[key] = _Quant(q.id, q.warehouse_id, Decimal(q.quantity), Decimal(q.reserved))
        dates[q.batch_id] = (q.fefo_limit, q.fefo_expiry)
    return found


async def _fefo_dates(batch_ids: set[int], dates: dict[int, FefoDates]) -> dict[int, FefoDates]:
    """``dates`` completed with the FEFO dates of the batches of ``batch_ids`` it lacks, read from the
    batches (a quant of a batch this posting neither created nor read, e.g. a transfer's first stock in a
    location): one query, none when nothing is missing."""
    missing = sorted(batch_ids - set(dates))
    if missing:
        await deferred.flush_for(Batch._meta.db_table)  # a batch this posting created may be queued
        for batch_id, expiry, best_before in await Batch.filter(id__in=missing).values_list(
            "id", "expiry_date", "best_before_date"
        ):
            dates[batch_id] = rules.fefo_dates(expiry, best_before)
    return dates


async def _write_quants(quants: dict[QuantKey, _Quant], dates: dict[int, FefoDates]) -> None:
    """New quants in one insert with their final figures and their batch's FEFO dates (``dates``, completed
    by ``_fefo_dates``); changed ones by delta (``quantity + d``)."""
    created = {k: q for k, q in quants.items() if q.id is None}
    if created:
        dates = await _fefo_dates({k[2] for k in created}, dates)
    new = [
        StockQuant(
            sku_id=sku_id,
            location_id=location_id,
            warehouse_id=q.warehouse_id,
            batch_id=batch_id,
            status=status,
            quantity=q.quantity,
            reserved=q.reserved,
            fefo_limit=dates[batch_id][0],
            fefo_expiry=dates[batch_id][1],
        )
        for (sku_id, location_id, batch_id, status), q in created.items()
    ]
    if new:
        await bulk_insert.insert_models(new)
    await bulk.update_rows(
        StockQuant,
        "id",
        ("quantity", "reserved"),
        [
            (q.id, (q.add_quantity, q.add_reserved))
            for q in quants.values()
            if q.id is not None and (q.add_quantity or q.add_reserved)
        ],
        add=True,
    )


async def apply_moves(
    requests: Sequence[MoveRequest],
    doc_type: str,
    doc_id: int,
    posted_at: datetime,
    *,
    locked: Mapping[int, SkuValuation] | None = None,
    known: Mapping[QuantKey, KnownQuant] | None = None,
    new_batches: Mapping[int, FefoDates] | None = None,
) -> list[StockMove]:
    """Appends one ledger line per request. Call inside a transaction; raises before writing anything
    the caller would have to undo only if the transaction is rolled back, which ``posting`` does.

    ``locked``: the valuations a caller already holds from ``lock_skus`` for every SKU of the requests
    (they are updated in place), so a posting that applies moves in several calls locks once.
    ``known``: quants the caller read after taking those locks, as they were read (a shipment's pickable
    stock); ``new_batches``: batches the caller created in this transaction (a receipt's new lots), by id,
    with their ``FefoDates``. Both only spare reads; the moves, checks and writes are the same.

    The requests apply one after the other, as if each read the quants the earlier ones left; the
    quants are read in one query and written at the end (new ones in one insert, changed ones by
    delta), the valuations of the SKUs whose figures changed in one update, the moves in one insert.
    """
    if locked is None:
        valuations = await lock_skus(r.sku_id for r in requests)
    else:
        unlocked = sorted({r.sku_id for r in requests} - set(locked))
        if unlocked:
            raise RuntimeError(f"apply_moves: SKU ids {unlocked} are not locked by the caller")
        valuations = dict(locked)
    touched = {r.sku_id for r in requests}
    before = {s: _figures(valuations[s]) for s in touched}
    keys: set[QuantKey] = set()
    for req in requests:
        if owned(req.from_location):
            keys.add(_key(req, req.from_location, req.from_status))
        if owned(req.to_location):
            keys.add(_key(req, req.to_location, req.to_status))
    dates = dict(new_batches or {})
    quants = await _load_quants(keys, known or {}, set(dates), dates)
    moves: list[StockMove] = []
    for req in requests:
        rules.require_positive(req.quantity, (*req.path, "quantity"))
        for loc in (req.from_location, req.to_location):
            if loc.frozen:
                raise ValidationError(
                    f"location {loc.code} is frozen by a stock count", (*req.path, "location")
                )
        v = valuations[req.sku_id]
        current = rules.Valuation(Decimal(v.quantity), Decimal(v.value))
        if owned(req.from_location):
            source = quants.get(_key(req, req.from_location, req.from_status))
            free = (source.quantity - source.reserved + req.reserved_release) if source else rules.ZERO
            if source is None or free < req.quantity:
                sku = await Sku.get(id=req.sku_id)
                raise InsufficientStock([Shortage(sku.code, req.quantity, max(free, rules.ZERO))], req.path)
            source.quantity -= req.quantity
            source.reserved -= req.reserved_release
            source.add_quantity -= req.quantity
            source.add_reserved -= req.reserved_release
        if owned(req.to_location):
            key = _key(req, req.to_location, req.to_status)
            target = quants.get(key)
            if target is None:
                assert req.to_location.warehouse_id is not None, "owned locations belong to a warehouse"
                target = quants[key] = _Quant(None, req.to_location.warehouse_id, rules.ZERO, rules.ZERO)
            target.quantity += req.quantity
            target.add_quantity += req.quantity
        if not owned(req.from_location) and owned(req.to_location):
            if req.value is not None and req.value >= 0:
                current, value = rules.value_in_at(current, req.quantity, req.value)
                unit_cost = rules.quantize_cost(req.value / req.quantity)
            elif req.value is None and req.unit_cost is not None and req.unit_cost >= 0:
                current, value = rules.value_in(current, req.quantity, req.unit_cost)
                unit_cost = req.unit_cost
            else:
                raise ValidationError(
                    "incoming stock needs a unit cost of zero or more", (*req.path, "unitCost")
                )
        elif owned(req.from_location) and not owned(req.to_location):
            current, value = rules.value_out(current, req.quantity)
            unit_cost = rules.quantize_cost(value / req.quantity)
        else:  # inside the company (or a pass-through): informational value at the average cost
            unit_cost = current.average_cost
            value = rules.quantize_cost(req.quantity * unit_cost)
        v.quantity, v.value, v.average_cost = current.quantity, current.value, current.average_cost
        moves.append(
            StockMove(
                sku_id=req.sku_id,
                batch_id=req.batch_id,
                from_location_id=req.from_location.id,
                to_location_id=req.to_location.id,
                from_status=req.from_status,
                to_status=req.to_status,
                quantity=req.quantity,
                unit_cost=unit_cost,
                value=value,
                doc_type=doc_type,
                doc_id=doc_id,
                posted_at=posted_at,
            )
        )
    await _write_quants(quants, dates)
    await bulk_insert.insert_models(moves)
    await bulk.update_rows(
        SkuValuation,
        "sku_id",
        ("quantity", "value", "average_cost"),
        [(s, _figures(valuations[s])) for s in sorted(touched) if _figures(valuations[s]) != before[s]],
    )
    return moves
