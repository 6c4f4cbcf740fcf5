"""到货登记 (gate-in): the receiving side records that a delivery is at the dock, before it is counted and
posted. Of an open ASN (the order and supplier come from it; one arrival per ASN) or of a purchase order
without one (the supplier sent no notice: "ASN before arrival" counts it against them).

The time of arrival is the receiver's word (``arrived_at``, an aware datetime not in the future); the
timeliness metrics measure the notice's lead before it and the receipt posting after it
(``domain.health``). One use case, one transaction, idempotent under a client key.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.asn import rules
from domain.asn.models import AdvanceShippingNotice, Arrival
from domain.asn.services import locked_asn, scoped_order
from domain.common.errors import Conflict, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.purchasing.models import GoodsReceipt

MAX_VEHICLE = 32
CLOCK_SKEW = timedelta(minutes=5)  # a handheld's clock a little ahead is not "in the future"


@dataclass(frozen=True)
class ArrivalInput:
    arrived_at: datetime
    asn_id: int | None = None
    order_id: int | None = None  # needed without an ASN; with one it must be the ASN's order
    vehicle: str = ""
    note: str = ""


def _check(data: ArrivalInput, now: datetime) -> None:
    if data.arrived_at.tzinfo is None:
        raise ValidationError("the arrival time needs a time zone", ("arrivedAt",))
    if data.arrived_at > now + CLOCK_SKEW:
        raise ValidationError("the arrival time is in the future", ("arrivedAt",))
    if data.asn_id is None and data.order_id is None:
        raise ValidationError("give the ASN or the purchase order that arrived", ("asnId",))
    if len(data.vehicle) > MAX_VEHICLE:
        raise ValidationError(f"a vehicle has at most {MAX_VEHICLE} characters", ("vehicle",))
    if len(data.note) > rules.MAX_NOTE:
        raise ValidationError(f"a note has at most {rules.MAX_NOTE} characters", ("note",))


async def arrival_record(
    data: ArrivalInput, now: datetime, *, by_user_id: int | None = None, key: str | None = None
) -> Posted:
    """Records a delivery at the gate; returns the arrival (``AR…`` number).

    Errors: ``ValidationError`` (no ASN nor order, a time in the future or without zone, text too long),
    ``NotFound`` (ASN or order), ``Conflict`` (the ASN is cancelled or received, already has its arrival,
    or belongs to another order than the one given; the order is not open for deliveries)."""

    async def body() -> Posted:
        _check(data, now)
        asn: AdvanceShippingNotice | None = None
        if data.asn_id is not None:
            asn = await locked_asn(data.asn_id)
            if asn.status != rules.AsnStatus.OPEN:
                raise Conflict(f"{asn.number} is {asn.status}: nothing of it can arrive", ("asnId",))
            if data.order_id is not None and data.order_id != asn.order_id:
                raise Conflict(f"{asn.number} is not of this purchase order", ("orderId",))
            if await Arrival.exists(asn_id=asn.id):
                raise Conflict(f"{asn.number} has already arrived", ("asnId",))
        order = await scoped_order(asn.order_id if asn else data.order_id or 0, None)
        rules.check_order_open(order.status, order.number or "")
        arrival = await Arrival.create(
            order_id=order.id,
            supplier_id=order.supplier_id,
            asn_id=asn.id if asn else None,
            arrived_at=data.arrived_at,
            vehicle=data.vehicle.strip(),
            note=data.note.strip(),
            recorded_at=now,
            recorded_by_id=by_user_id,
        )
        arrival.number = document_number("AR", arrival.id)
        await arrival.save(update_fields=["number"])
        return Posted("arrival", arrival.id, arrival.number)

    return await posting("arrival_record", key, body)


@dataclass(frozen=True)
class ArrivalTimes:
    """What the health metrics need of one arrival; ``receipt_at`` None: not posted yet."""

    supplier_id: int
    arrived_at: datetime
    asn_created_at: datetime | None
    receipt_at: datetime | None
    receipt_id: int | None


async def arrival_times(since: datetime, until: datetime, supplier_id: int | None) -> list[ArrivalTimes]:
    """Arrivals in ``[since, until)`` with their notice's creation and their receipt's posting time.

    The receipt of an ASN's arrival is the ASN's receipt; without an ASN, the order's first receipt
    posted at or after the arrival that no other arrival of the order claims first (deliveries are
    received in the order they arrived)."""
    query = Arrival.filter(arrived_at__gte=since, arrived_at__lt=until)
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    arrivals = await query.order_by("arrived_at", "id")
    asns = {
        a.id: a for a in await AdvanceShippingNotice.filter(id__in={x.asn_id for x in arrivals if x.asn_id})
    }
    receipts: dict[int, list[GoodsReceipt]] = {}
    plain_orders = {x.order_id for x in arrivals if x.asn_id is None}
    claimed = AdvanceShippingNotice.filter(order_id__in=plain_orders, receipt_id__not_isnull=True)
    asn_receipt_ids = {a.receipt_id for a in await claimed.only("id", "receipt_id")}
    for r in await GoodsReceipt.filter(order_id__in=plain_orders).order_by("received_at", "id"):
        if r.id not in asn_receipt_ids:
            receipts.setdefault(r.order_id, []).append(r)
    out: list[ArrivalTimes] = []
    for x in arrivals:
        asn = asns.get(x.asn_id or 0)
        received: datetime | None = None
        receipt_id: int | None = None
        if asn is not None:
            received, receipt_id = asn.received_at, asn.receipt_id
        else:
            queue = receipts.get(x.order_id, [])
            first = next((r for r in queue if r.received_at >= x.arrived_at), None)
            if first is not None:
                queue.remove(first)
                received, receipt_id = first.received_at, first.id
        out.append(
            ArrivalTimes(x.supplier_id, x.arrived_at, asn.created_at if asn else None, received, receipt_id)
        )
    return out
