"""到货登记 (gate-in) of an ASN or an order, and ASN cancellation: recorded, refused once received or at the
gate, and a cancelled ASN is neither received nor registered."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.asn import arrivals, receiving, rules, services
from domain.asn.models import AdvanceShippingNotice, Arrival
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.purchasing import receipts
from tests.factories import NOW, days

ARRIVAL = NOW + timedelta(days=1)
GATE = ARRIVAL + timedelta(hours=1)  # the clock when the gate records


def one_lot(story, qty=Decimal(5)):
    return [rules.AsnLineInput(story.line_ids[0], "GATE-1", qty, production_date=days(-1))]


async def _asn(story, qty=Decimal(5)):
    return await services.asn_create(
        story.order_id, ARRIVAL, one_lot(story, qty), NOW, supplier_id=story.supplier.id
    )


async def test_the_gate_registers_an_asn_delivery_once(story):
    asn = await _asn(story)

    posted = await arrivals.arrival_record(
        arrivals.ArrivalInput(ARRIVAL, asn_id=asn.document_id, vehicle=" 沪A12345 "), GATE, by_user_id=7
    )

    row = await Arrival.get(id=posted.document_id)
    assert posted.number == f"AR{row.id:08d}"
    assert (row.order_id, row.supplier_id, row.asn_id) == (story.order_id, story.supplier.id, asn.document_id)
    assert (row.arrived_at, row.recorded_at, row.vehicle, row.recorded_by_id) == (
        ARRIVAL,
        GATE,
        "沪A12345",
        7,
    )
    with pytest.raises(Conflict) as again:
        await arrivals.arrival_record(arrivals.ArrivalInput(ARRIVAL, asn_id=asn.document_id), GATE)
    assert again.value.path == ("asnId",)
    assert await Arrival.filter(asn_id=asn.document_id).count() == 1


async def test_a_repeated_key_replays_the_arrival_and_another_request_under_it_conflicts(story):
    first = await arrivals.arrival_record(
        arrivals.ArrivalInput(ARRIVAL, order_id=story.order_id), GATE, key="gate-1"
    )
    replay = await arrivals.arrival_record(
        arrivals.ArrivalInput(ARRIVAL, order_id=story.order_id), GATE, key="gate-1"
    )
    with pytest.raises(Conflict) as other:
        await arrivals.arrival_record(
            arrivals.ArrivalInput(ARRIVAL, order_id=story.order_id, vehicle="X"), GATE, key="gate-1"
        )
    assert (replay.document_id, replay.replayed) == (first.document_id, True)
    assert other.value.path == ("idempotencyKey",)
    assert await Arrival.filter(order_id=story.order_id).count() == 1


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (arrivals.ArrivalInput(GATE + timedelta(minutes=6), order_id=1), ("arrivedAt",)),
        (arrivals.ArrivalInput(ARRIVAL.replace(tzinfo=None), order_id=1), ("arrivedAt",)),
        (arrivals.ArrivalInput(ARRIVAL), ("asnId",)),
        (arrivals.ArrivalInput(ARRIVAL, order_id=1, vehicle="X" * 33), ("vehicle",)),
    ],
)
async def test_a_bad_arrival_is_refused_naming_the_field(db, data, path):
    before = await Arrival.all().count()
    with pytest.raises(ValidationError) as exc:
        await arrivals.arrival_record(data, GATE)
    assert exc.value.path == path
    assert await Arrival.all().count() == before


async def test_an_asn_of_another_order_or_a_missing_one_is_refused(story):
    asn = await _asn(story)
    with pytest.raises(NotFound):
        await arrivals.arrival_record(arrivals.ArrivalInput(ARRIVAL, asn_id=99999999), GATE)
    with pytest.raises(Conflict) as exc:
        await arrivals.arrival_record(
            arrivals.ArrivalInput(ARRIVAL, asn_id=asn.document_id, order_id=story.order_id + 1), GATE
        )
    assert exc.value.path == ("orderId",)


async def test_a_cancel_is_recorded_with_who_when_and_why(story):
    asn = await _asn(story)
    await services.asn_cancel(
        asn.document_id,
        NOW,
        supplier_id=story.supplier.id,
        reason=" 车辆故障 truck broke down ",
        by_user_id=3,
    )
    row = await AdvanceShippingNotice.get(id=asn.document_id)
    assert (row.status, row.cancelled_at, row.cancelled_by_id, row.cancel_reason) == (
        "cancelled",
        NOW,
        3,
        "车辆故障 truck broke down",
    )


async def test_a_cancelled_asn_is_not_offered_to_the_gate_nor_to_receiving(story):
    asn = await _asn(story)
    await services.asn_cancel(asn.document_id, NOW, supplier_id=story.supplier.id)
    with pytest.raises(Conflict) as gate:
        await arrivals.arrival_record(arrivals.ArrivalInput(ARRIVAL, asn_id=asn.document_id), GATE)
    with pytest.raises(Conflict):
        await receiving.goods_receipt_post_from_asn(asn.document_id, story.wh.bins[0], GATE)
    assert "is cancelled" in gate.value.message
    assert await Arrival.filter(asn_id=asn.document_id).count() == 0
    open_ids = await AdvanceShippingNotice.filter(order_id=story.order_id, status="open").values_list(
        "id", flat=True
    )
    assert asn.document_id not in open_ids


async def test_an_asn_at_the_gate_or_received_cannot_be_cancelled(story):
    at_gate = await _asn(story)
    await arrivals.arrival_record(arrivals.ArrivalInput(ARRIVAL, asn_id=at_gate.document_id), GATE)
    with pytest.raises(Conflict) as exc:
        await services.asn_cancel(at_gate.document_id, GATE, supplier_id=story.supplier.id)
    assert "arrived at the gate" in exc.value.message

    await receiving.goods_receipt_post_from_asn(at_gate.document_id, story.wh.bins[0], GATE)
    with pytest.raises(Conflict) as received:
        await services.asn_cancel(at_gate.document_id, GATE, supplier_id=story.supplier.id)
    assert "is received" in received.value.message
    row = await AdvanceShippingNotice.get(id=at_gate.document_id)
    assert (row.status, row.cancelled_at) == ("received", None)


async def test_a_cancel_too_long_a_reason_is_refused_and_changes_nothing(story):
    asn = await _asn(story)
    with pytest.raises(ValidationError) as exc:
        await services.asn_cancel(asn.document_id, NOW, supplier_id=story.supplier.id, reason="x" * 2001)
    assert exc.value.path == ("reason",)
    assert (await AdvanceShippingNotice.get(id=asn.document_id)).status == "open"


async def test_arrival_times_pair_each_arrival_with_its_receipt(story):
    asn = await _asn(story, Decimal(3))
    await arrivals.arrival_record(arrivals.ArrivalInput(ARRIVAL, asn_id=asn.document_id), GATE)
    plain = ARRIVAL + timedelta(hours=2)
    await arrivals.arrival_record(arrivals.ArrivalInput(plain, order_id=story.order_id), plain)
    await receiving.goods_receipt_post_from_asn(
        asn.document_id, story.wh.bins[0], ARRIVAL + timedelta(hours=3)
    )
    late = await receipts.goods_receipt_post(
        story.order_id,
        [receipts.ReceiptLineInput(story.line_ids[0], Decimal(2), "GATE-2", story.wh.bins[0])],
        ARRIVAL + timedelta(hours=5),
    )

    got = await arrivals.arrival_times(
        ARRIVAL - timedelta(days=1), ARRIVAL + timedelta(days=1), story.supplier.id
    )

    asn_row = await AdvanceShippingNotice.get(id=asn.document_id)
    assert [(a.arrived_at, a.asn_created_at, a.receipt_at, a.receipt_id) for a in got] == [
        (ARRIVAL, NOW, ARRIVAL + timedelta(hours=3), asn_row.receipt_id),
        (
            plain,
            None,
            ARRIVAL + timedelta(hours=5),
            late.document_id,
        ),  # not the ASN's receipt, posted earlier
    ]
    assert (
        await arrivals.arrival_times(ARRIVAL - timedelta(days=1), ARRIVAL + timedelta(days=1), story.other.id)
        == []
    )
