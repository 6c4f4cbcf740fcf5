"""Transformations (repacking, processing): input lots consumed, output lots made, one TransformationEvent.

``batch_transform`` is one transaction: ledger moves through the ``VIRTUAL/PRODUCTION`` location, the
Transformation document and its lines, the journal entry, the EPCIS 2.0 TransformationEvent, lineage edges
(every input -> every output) and the outbox row. Quantities are in base units; outputs are valued at the
inputs' value spread per output unit (4 places). Bad lines raise ``ValidationError``, unknown batches, SKUs
or locations ``NotFound``, an existing output lot ``Conflict``, each with the input path.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common import business_time
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import postings as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, Location, Warehouse
from domain.inventory.services import ensure_valuation
from domain.purchasing import rules as purchasing_rules
from domain.trace import builders, identifiers, recorders, recording
from domain.trace.models import Transformation, TransformationLine

Status = stock_rules.StockStatus
Kind = stock_rules.LocationKind
MAX_LINES = 100
#: Where consumed inputs go and outputs come from. An ADJUSTMENT-kind location of its own, so the
#: inventory rules need no new kind and the ledger still tells production from count differences.
PRODUCTION_CODE = "VIRTUAL/PRODUCTION"
TRANSFORM_STEPS = frozenset({"repackaging", "commissioning", "assembling", "packing", "unpacking"})


@dataclass(frozen=True)
class TransformInput:
    batch_id: int
    location_code: str
    quantity: Decimal  # base units


@dataclass(frozen=True)
class TransformOutput:
    sku_code: str
    lot_code: str
    quantity: Decimal  # base units
    location_code: str
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None


async def production_location() -> Location:
    loc = await Location.get_or_none(code=PRODUCTION_CODE)
    if loc is None:
        loc = await Location.create(
            code=PRODUCTION_CODE, name=PRODUCTION_CODE, path=PRODUCTION_CODE, kind=Kind.ADJUSTMENT
        )
    return loc


async def _internal(code: str, path: tuple[str, ...]) -> Location:
    loc = await Location.get_or_none(code=code)
    if loc is None or loc.kind != Kind.INTERNAL:
        raise NotFound("location", code, path)
    return loc


def _check_lines(inputs: list[TransformInput], outputs: list[TransformOutput], biz_step: str) -> None:
    for name, lines in (("inputs", inputs), ("outputs", outputs)):
        if not lines:
            raise ValidationError(f"a transformation needs at least one of its {name}", (name,))
        if len(lines) > MAX_LINES:
            raise ValidationError(f"at most {MAX_LINES} {name}", (name,))
    if biz_step not in TRANSFORM_STEPS:
        raise ValidationError(f"business step is one of {sorted(TRANSFORM_STEPS)}", ("bizStep",))
    for i, inp in enumerate(inputs):
        stock_rules.require_positive(inp.quantity, ("inputs", str(i), "quantity"))
    seen: set[tuple[str, str]] = set()
    for i, out in enumerate(outputs):
        path = ("outputs", str(i))
        stock_rules.require_positive(out.quantity, (*path, "quantity"))
        if not out.lot_code.strip():
            raise ValidationError("an output needs a lot code", (*path, "lotCode"))
        if (out.sku_code, out.lot_code) in seen:
            raise ValidationError(f"lot {out.lot_code} appears twice among the outputs", (*path, "lotCode"))
        seen.add((out.sku_code, out.lot_code))


def _check_output_expiry(expiry: date | None, in_batches: list[Batch], path: tuple[str, ...]) -> None:
    """An output lot may not outlive its inputs: its expiry is at the latest the earliest input's.

    No SKU may waive this yet (there is no such flag); an output without an expiry date, made from lots that
    have one, would outlive them all, so it is refused too.
    """
    earliest = min((b.expiry_date for b in in_batches if b.expiry_date is not None), default=None)
    if earliest is None:
        return
    if expiry is None:
        raise ValidationError(
            f"the inputs expire on {earliest}: the output needs an expiry date on or before it", path
        )
    if expiry > earliest:
        raise ValidationError(
            f"expiry date {expiry} is after the earliest input expiry {earliest}: an output lot may not "
            "outlive its inputs",
            path,
        )


async def batch_transform(
    inputs: list[TransformInput],
    outputs: list[TransformOutput],
    posted_at: datetime,
    biz_step: str = "repackaging",
    note: str = "",
    key: str | None = None,
) -> Posted:
    """Consumes input lots and creates output lots, linked by one TransformationEvent.

    Outputs are valued at the inputs' value (moving average at consumption) spread per output unit:
    unit cost = input value / total output quantity, rounded to the ledger's 4 places.
    """

    async def body() -> Posted:
        _check_lines(inputs, outputs, biz_step)
        in_batches: list[Batch] = []
        in_locations: list[Location] = []
        for i, inp in enumerate(inputs):
            path = ("inputs", str(i))
            batch = await Batch.get_or_none(id=inp.batch_id)
            if batch is None:
                raise NotFound("batch", inp.batch_id, (*path, "batchId"))
            if batch.status not in stock_rules.ALLOCATABLE:
                raise ValidationError(
                    f"batch {batch.lot_code} is {batch.status} and cannot be transformed", (*path, "batchId")
                )
            in_batches.append(batch)
            in_locations.append(await _internal(inp.location_code, (*path, "locationCode")))
        out_skus: list[Sku] = []
        out_locations: list[Location] = []
        for i, out in enumerate(outputs):
            path = ("outputs", str(i))
            sku = await Sku.get_or_none(code=out.sku_code, active=True)
            if sku is None:
                raise NotFound("SKU", out.sku_code, (*path, "skuCode"))
            if await Batch.exists(sku_id=sku.id, lot_code=out.lot_code):
                raise Conflict(f"lot {out.lot_code} of {sku.code} already exists", (*path, "lotCode"))
            out_skus.append(sku)
            out_locations.append(await _internal(out.location_code, (*path, "locationCode")))
        for sku in out_skus:
            await ensure_valuation(sku.id)
        await lock_skus([b.sku_id for b in in_batches] + [s.id for s in out_skus])
        doc = await Transformation.create(biz_step=biz_step, note=note, posted_at=posted_at)
        doc.number = document_number("TF", doc.id)
        await doc.save(update_fields=["number"])
        production = await production_location()
        consumed = await apply_moves(
            [
                MoveRequest(b.sku_id, b.id, loc, production, inp.quantity, path=("inputs", str(i)))
                for i, (inp, b, loc) in enumerate(zip(inputs, in_batches, in_locations, strict=True))
            ],
            "transformation",
            doc.id,
            posted_at,
        )
        input_value = sum((Decimal(m.value) for m in consumed), Decimal(0))
        output_qty = sum((o.quantity for o in outputs), Decimal(0))
        unit_cost = stock_rules.quantize_cost(input_value / output_qty)
        out_batches: list[Batch] = []
        for i, (out, sku) in enumerate(zip(outputs, out_skus, strict=True)):
            produced = out.production_date or business_time.business_date(posted_at)
            expiry, best_before = purchasing_rules.batch_dates(
                produced,
                out.expiry_date,
                out.best_before_date,
                sku.shelf_life_days,
                sku.best_before_days,
                business_time.business_date(posted_at),
                ("outputs", str(i)),
            )
            _check_output_expiry(expiry, in_batches, ("outputs", str(i), "expiryDate"))
            out_batches.append(
                await Batch.create(
                    sku_id=sku.id,
                    lot_code=out.lot_code,
                    production_date=produced,
                    expiry_date=expiry,
                    best_before_date=best_before,
                    status=Status.QUARANTINE if sku.high_risk else Status.AVAILABLE,
                )
            )
        await apply_moves(
            [
                MoveRequest(
                    b.sku_id,
                    b.id,
                    production,
                    loc,
                    out.quantity,
                    to_status=b.status,
                    unit_cost=unit_cost,
                    path=("outputs", str(i)),
                )
                for i, (out, b, loc) in enumerate(zip(outputs, out_batches, out_locations, strict=True))
            ],
            "transformation",
            doc.id,
            posted_at,
        )
        await finance.book_transformation(doc.id, posted_at=posted_at)
        await TransformationLine.bulk_create(
            [
                TransformationLine(
                    transformation_id=doc.id,
                    role="input",
                    batch_id=m.batch_id,
                    location_id=m.from_location_id,
                    quantity=m.quantity,
                    unit_cost=m.unit_cost,
                )
                for m in consumed
            ]
            + [
                TransformationLine(
                    transformation_id=doc.id,
                    role="output",
                    batch_id=b.id,
                    location_id=loc.id,
                    quantity=out.quantity,
                    unit_cost=unit_cost,
                )
                for out, b, loc in zip(outputs, out_batches, out_locations, strict=True)
            ]
        )
        skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in in_batches})} | {
            s.id: s for s in out_skus
        }
        ins = [
            recording.LotQuantity(b, skus[b.sku_id], inp.quantity)
            for inp, b in zip(inputs, in_batches, strict=True)
        ]
        outs = [
            recording.LotQuantity(b, skus[b.sku_id], out.quantity)
            for out, b in zip(outputs, out_batches, strict=True)
        ]
        wh = await Warehouse.get_or_none(id=in_locations[0].warehouse_id)
        event = builders.transformation_event(
            event_time=posted_at,
            inputs=[lot.line() for lot in ins],
            outputs=[lot.line() for lot in outs],
            read_point=recording.warehouse_place(wh) if wh else recording.place("LOTLINE"),
            biz_step=biz_step,
            transformation_id=f"urn:lotline:tf:{doc.number}",
            biz_transactions=[identifiers.BizTransaction("prodorder", doc.number)],
        )
        await recording.store_event(
            event,
            doc_type="transformation",
            doc_id=doc.id,
            links=[lot.link("input") for lot in ins] + [lot.link("output") for lot in outs],
            lineage=[(i.batch.id, o.batch.id) for i in ins for o in outs],
        )
        for b in out_batches:
            if b.status == Status.QUARANTINE:
                await recorders.open_quality_check(b.id, posted_at, "transformation", doc.id)
        return Posted("transformation", doc.id, doc.number)

    return await posting("batch_transform", key, body)
