"""Posting a goods receipt FROM an advance shipping notice: the receipt is pre-filled with the ASN's lots,
dates and quantities, the receiver corrects what really arrived, and every field that differs is recorded
(``AsnDifference``). The receipt itself is posted by ``purchasing.receipts.goods_receipt_post`` inside the
same transaction, so stock, journal, trace events, the ASN's status and its differences commit together.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.asn import certificates, rules
from domain.asn.models import AsnDifference, AsnLine
from domain.asn.services import locked_asn, readings_of
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.purchasing import receipts


@dataclass(frozen=True)
class ReceivedLine:
    """What arrived for one ASN line; ``None`` fields keep the announced value. Quantity 0: nothing came."""

    asn_line_id: int
    quantity: Decimal | None = None  # in the order line's unit
    lot_code: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None
    location_code: str | None = None


def _expected(line: AsnLine) -> rules.Expected:
    return rules.Expected(
        line.lot_code,
        Decimal(line.quantity),
        line.production_date,
        line.expiry_date,
        line.best_before_date,
    )


def _received(line: AsnLine, got: ReceivedLine | None) -> rules.Expected:
    got = got or ReceivedLine(line.id)
    return rules.Expected(
        (got.lot_code if got.lot_code is not None else line.lot_code).strip(),
        Decimal(line.quantity) if got.quantity is None else got.quantity,
        got.production_date or line.production_date,
        got.expiry_date or line.expiry_date,
        got.best_before_date or line.best_before_date,
    )


async def goods_receipt_post_from_asn(
    asn_id: int,
    location_code: str,
    received_at: datetime,
    received: Sequence[ReceivedLine] = (),
    *,
    posted_by_id: int | None = None,
    key: str | None = None,
) -> Posted:
    """Receives an open ASN into ``location_code`` (a line may name its own), with the corrections in
    ``received``; returns the goods receipt. ASN lines not mentioned arrived as announced."""

    async def body() -> Posted:
        asn = await locked_asn(asn_id)
        if asn.status != rules.AsnStatus.OPEN:
            raise Conflict(f"{asn.number} is {asn.status}: it cannot be received again", ("asnId",))
        lines = await AsnLine.filter(asn_id=asn.id).order_by("id")
        by_id = {ln.id: ln for ln in lines}
        corrections: dict[int, ReceivedLine] = {}
        for i, got in enumerate(received):
            if got.asn_line_id not in by_id:
                raise NotFound("ASN line", got.asn_line_id, ("lines", str(i), "asnLineId"))
            if got.asn_line_id in corrections:
                raise ValidationError("each ASN line is corrected once", ("lines", str(i), "asnLineId"))
            if got.quantity is not None and got.quantity < 0:
                raise ValidationError("quantity cannot be negative", ("lines", str(i), "quantity"))
            corrections[got.asn_line_id] = got
        receipt_lines: list[receipts.ReceiptLineInput] = []
        found: list[rules.Difference] = []
        for line in lines:
            correction = corrections.get(line.id)
            actual = _received(line, correction)
            if actual.quantity > 0:
                receipt_lines.append(
                    receipts.ReceiptLineInput(
                        order_line_id=line.order_line_id,
                        quantity=actual.quantity,
                        lot_code=actual.lot_code,
                        location_code=(
                            correction.location_code
                            if correction and correction.location_code
                            else location_code
                        ),
                        production_date=actual.production_date,
                        expiry_date=actual.expiry_date,
                        best_before_date=actual.best_before_date,
                    )
                )
            found += rules.differences(line.id, _expected(line), actual if actual.quantity > 0 else None)
        if not receipt_lines:
            raise ValidationError("nothing was received: cancel the ASN instead", ("lines",))
        posted = await receipts.goods_receipt_post(
            asn.order_id,
            receipt_lines,
            received_at,
            posted_by_id=posted_by_id,
            sensor_readings=readings_of(asn),
        )
        await AsnDifference.bulk_create(
            [
                AsnDifference(
                    asn_id=asn.id,
                    asn_line_id=d.asn_line_id,
                    field=d.field,
                    expected=d.expected,
                    received=d.received,
                )
                for d in found
            ]
        )
        asn.status = rules.AsnStatus.RECEIVED
        asn.receipt_id = posted.document_id
        asn.received_at = received_at
        await asn.save(update_fields=["status", "receipt_id", "received_at"])
        await certificates.anchor_pending(asn.id, received_at)
        return posted

    return await posting("goods_receipt_post_from_asn", key, body)
