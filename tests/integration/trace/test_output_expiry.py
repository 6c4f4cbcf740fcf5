"""An output lot of a transformation may not expire after the earliest of its inputs."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.catalog.models import Sku
from domain.common.errors import ValidationError
from domain.inventory.models import Batch
from domain.trace import services as trace
from domain.trace.models import TraceEvent, Transformation
from tests import factories
from tests.factories import NOW, code, days

LATER = NOW + timedelta(hours=1)


async def _two_dated_inputs() -> tuple[factories.WarehouseRef, Sku, Sku, list[trace.TransformInput]]:
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw, packed = await factories.make_sku(), await factories.make_sku()
    soon = await factories.receive(raw, wh, supplier, Decimal(5), expiry_date=days(10))
    late = await factories.receive(raw, wh, supplier, Decimal(5), expiry_date=days(20))
    inputs = [
        trace.TransformInput(soon.batch_id, wh.bins[0], Decimal(2)),
        trace.TransformInput(late.batch_id, wh.bins[0], Decimal(2)),
    ]
    return wh, raw, packed, inputs


async def _snapshot(raw: Sku, packed: Sku) -> tuple[object, ...]:
    return (
        await factories.books(raw),
        await Batch.filter(sku_id=packed.id).count(),
        await Transformation.all().count(),
        await TraceEvent.filter(doc_type="transformation").count(),
    )


async def test_an_output_expiring_after_its_earliest_input_is_refused_and_nothing_is_posted(db):
    wh, raw, packed, inputs = await _two_dated_inputs()
    before = await _snapshot(raw, packed)

    with pytest.raises(ValidationError) as exc:
        await trace.batch_transform(
            inputs,
            [
                trace.TransformOutput(packed.code, code("OK"), Decimal(2), wh.bins[1], expiry_date=days(10)),
                trace.TransformOutput(
                    packed.code, code("LATE"), Decimal(2), wh.bins[1], expiry_date=days(11)
                ),
            ],
            LATER,
        )

    assert exc.value.code.value == "VALIDATION"
    assert exc.value.path == ("outputs", "1", "expiryDate")
    assert str(days(10)) in exc.value.message
    assert str(days(11)) in exc.value.message
    assert await _snapshot(raw, packed) == before


async def test_an_output_without_expiry_made_from_dated_inputs_is_refused(db):
    wh, _, packed, inputs = await _two_dated_inputs()

    with pytest.raises(ValidationError) as exc:
        await trace.batch_transform(
            inputs, [trace.TransformOutput(packed.code, code("NONE"), Decimal(4), wh.bins[1])], LATER
        )

    assert exc.value.path == ("outputs", "0", "expiryDate")
    assert str(days(10)) in exc.value.message


async def test_an_output_expiring_with_its_earliest_input_is_posted(db):
    wh, _, packed, inputs = await _two_dated_inputs()
    lot = code("SAME")

    await trace.batch_transform(
        inputs, [trace.TransformOutput(packed.code, lot, Decimal(4), wh.bins[1], expiry_date=days(10))], LATER
    )

    assert (await Batch.get(sku_id=packed.id, lot_code=lot)).expiry_date == days(10)


async def test_undated_inputs_leave_the_output_expiry_free(db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw, packed = await factories.make_sku(), await factories.make_sku()
    lot = await factories.receive(raw, wh, supplier, Decimal(5))
    out = code("FREE")

    await trace.batch_transform(
        [trace.TransformInput(lot.batch_id, wh.bins[0], Decimal(2))],
        [trace.TransformOutput(packed.code, out, Decimal(2), wh.bins[1], expiry_date=days(400))],
        LATER,
    )

    assert (await Batch.get(sku_id=packed.id, lot_code=out)).expiry_date == days(400)
