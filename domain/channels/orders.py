"""Platform orders: a verified push is stored, acknowledged, then processed here into sales documents.

Receive → verify (api/) → ``event_receive`` stores the raw push under its unique key and an outbox row, in
one transaction → the webhook answers at once → a worker calls ``event_process``. Processing is one
transaction per event and idempotent: a platform order becomes exactly one sales order however often it is
pushed, a cancellation of a cancelled order changes nothing. A failure is retried with backoff and, after
``rules.MAX_ATTEMPTS``, dead-lettered (status ``dead``) for a person to see and retry.

What each event does:
- new order: a sales order on the channel (platform items mapped to our SKUs), confirmed, so its stock is
  reserved FEFO and every channel's sellable figure drops at once;
- confirmed / completed: the order's remaining quantity ships (FEFO from its reservations);
- cancelled: an unshipped order is cancelled and its reservations released; a shipped one is recorded as
  cancelled after shipment (food that left the kitchen does not come back to stock);
- refunded: as cancelled; shipped food is recorded as refunded, nothing returns to stock.
"""

import dataclasses
from datetime import datetime, timedelta
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.catalog.services import OrderLineInput
from domain.channels import rules
from domain.channels.models import ChannelOrder, PlatformEvent, PlatformSkuMapping, SalesChannel
from domain.channels.platforms import EventKind, PlatformMessage
from domain.common import outbox
from domain.common.dialect import is_postgres
from domain.common.errors import DomainError, NotFound, ValidationError
from domain.common.services import enqueue
from domain.common.storable import storable
from domain.inventory.models import Warehouse
from domain.partners.models import Customer
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrder, SalesOrderLine

EVENT_TOPIC = outbox.CHANNEL_EVENT_TOPIC
OPEN, DONE, IGNORED, FAILED, DEAD = "pending", "done", "ignored", "failed", "dead"


async def channel_for_store(platform: str, store_id: str) -> SalesChannel:
    channel = await SalesChannel.get_or_none(kind=platform, platform_store_id=store_id, active=True)
    if channel is None:
        raise NotFound(f"{platform} store", store_id, ("shopId",))
    return channel


def storable_message(message: PlatformMessage) -> PlatformMessage:
    """The push with every text storable (``common.storable``: NUL → U+FFFD, a lone surrogate → "?"). A push
    is a customer's order: one whose note or item name holds a NUL is kept with it replaced, not refused --
    refused, the platform would redeliver it forever and the order would never arrive."""
    lines = tuple(
        dataclasses.replace(ln, platform_sku_id=storable(ln.platform_sku_id)[0], name=storable(ln.name)[0])
        for ln in message.lines
    )
    return dataclasses.replace(
        message,
        store_id=storable(message.store_id)[0],
        event_key=storable(message.event_key)[0],
        platform_order_id=storable(message.platform_order_id)[0],
        lines=lines,
        raw=storable(dict(message.raw))[0],
    )


async def event_receive(message: PlatformMessage, now: datetime) -> tuple[PlatformEvent, bool]:
    """Stores a verified push; returns the event and whether it is new (a redelivery returns the first).

    Raises ``NotFound`` for a store no channel serves."""
    message = storable_message(message)
    channel = await channel_for_store(message.platform, message.store_id)
    existing = await PlatformEvent.get_or_none(platform=message.platform, event_key=message.event_key)
    if existing is not None:
        return existing, False
    try:
        async with in_transaction():
            event = await PlatformEvent.create(
                platform=message.platform,
                event_key=message.event_key,
                channel=channel,
                kind=message.kind,
                platform_order_id=message.platform_order_id,
                payload={
                    "raw": dict(message.raw),
                    "lines": [
                        {
                            "platformSkuId": ln.platform_sku_id,
                            "name": ln.name,
                            "quantity": str(ln.quantity),
                            "unitPrice": str(ln.unit_price),
                        }
                        for ln in message.lines
                    ],
                },
                received_at=now,
                next_attempt_at=now,
            )
            await enqueue(EVENT_TOPIC, {"event_id": event.id})
    except IntegrityError:  # the same push, twice at once: the other request stored it
        return await PlatformEvent.get(platform=message.platform, event_key=message.event_key), False
    return event, True


async def event_process(event_id: int, now: datetime) -> str:
    """Processes one stored event if it is due; returns its status afterwards. Never raises for a domain
    failure: the event records it and waits for its next attempt (or is dead-lettered)."""
    event = await PlatformEvent.get_or_none(id=event_id)
    if event is None:
        raise NotFound("platform event", event_id)
    if event.status in (DONE, IGNORED, DEAD):
        return event.status
    try:
        async with in_transaction():
            query = PlatformEvent.filter(id=event_id)
            if is_postgres():
                query = query.select_for_update()  # two workers given the same event: one processes it
            locked = await query.first()
            if locked is None or locked.status in (DONE, IGNORED, DEAD):
                return locked.status if locked else DEAD
            status = await _apply(locked, now)
            locked.status = status
            locked.processed_at = now
            locked.last_error = ""
            await locked.save(update_fields=["status", "processed_at", "last_error"])
            return status
    except DomainError as exc:
        return await _failed(event_id, exc.message, now)


async def _failed(event_id: int, reason: str, now: datetime) -> str:
    event = await PlatformEvent.get(id=event_id)
    event.attempts += 1
    event.last_error = reason[:2000]
    if event.attempts >= rules.MAX_ATTEMPTS:
        event.status = DEAD
        event.next_attempt_at = None
    else:
        event.status = FAILED
        event.next_attempt_at = now + timedelta(seconds=rules.retry_delay_seconds(event.attempts))
    await event.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return event.status


async def event_retry(event_id: int, now: datetime) -> str:
    """A person's retry of a failed or dead event (after fixing a mapping, say): processed now."""
    event = await PlatformEvent.get_or_none(id=event_id)
    if event is None:
        raise NotFound("platform event", event_id, ("eventId",))
    if event.status not in (FAILED, DEAD):
        raise ValidationError(
            f"event {event_id} is {event.status}: only failed or dead events retry", ("eventId",)
        )
    await PlatformEvent.filter(id=event_id).update(status=FAILED, attempts=0, next_attempt_at=now)
    return await event_process(event_id, now)


async def due_events(now: datetime, limit: int = 100) -> list[int]:
    """Events waiting for a (first or next) attempt whose time has come, oldest first."""
    rows = (
        await PlatformEvent.filter(status__in=(OPEN, FAILED), next_attempt_at__lte=now)
        .order_by("id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    return [int(i) for i in rows]  # type: ignore[call-overload]


async def _apply(event: PlatformEvent, now: datetime) -> str:
    kind = EventKind(event.kind)
    if kind is EventKind.IGNORED:
        return IGNORED
    channel = await SalesChannel.get(id=event.channel_id)
    link = await ChannelOrder.get_or_none(channel_id=channel.id, platform_order_id=event.platform_order_id)
    if kind is EventKind.NEW_ORDER:
        if link is None:
            await _create_order(event, channel, now)
        return DONE
    if link is None:
        # A status push for an order we never saw (its new-order push is still to come, or was lost and
        # the pull will bring it): wait and retry rather than drop it.
        raise ValidationError(f"order {event.platform_order_id} is not known yet", ("orderId",))
    order = await SalesOrder.get(id=link.sales_order_id)
    if kind in (EventKind.CONFIRMED, EventKind.COMPLETED):
        await _ship_rest(order, now)
        link.status = "completed" if kind is EventKind.COMPLETED else "shipped"
    elif order.status in ("draft", "confirmed"):
        await sales.sales_order_cancel(order.id)
        link.status = "cancelled" if kind is EventKind.CANCELLED else "refunded"
    elif link.status not in ("cancelled", "refunded"):
        link.status = "refunded"
        link.refunded_at = now
    await link.save(update_fields=["status", "refunded_at"])
    return DONE


async def _create_order(event: PlatformEvent, channel: SalesChannel, now: datetime) -> None:
    lines = event.payload.get("lines") or []
    if not lines:
        raise ValidationError(f"order {event.platform_order_id} has no item lines", ("lines",))
    mappings = {
        m.platform_sku_id: m
        for m in await PlatformSkuMapping.filter(
            channel_id=channel.id, platform_sku_id__in=[ln["platformSkuId"] for ln in lines]
        ).prefetch_related("sku")
    }
    order_lines = []
    for i, ln in enumerate(lines):
        m = mappings.get(ln["platformSkuId"])
        if m is None:
            raise ValidationError(
                f"platform item {ln['platformSkuId']} ({ln['name']}) is not mapped to a SKU on channel "
                f"{channel.code}",
                ("lines", str(i), "platformSkuId"),
            )
        portions = Decimal(ln["quantity"])
        order_lines.append(
            OrderLineInput(
                m.sku.code,
                portions * Decimal(m.base_per_portion),
                m.sku.base_unit,
                Decimal(ln["unitPrice"]) / Decimal(m.base_per_portion),
            )
        )
    customer = await Customer.get(id=channel.customer_id)
    warehouse = await Warehouse.get(id=channel.warehouse_id)
    posted = await sales.sales_order_create(
        customer.code,
        warehouse.code,
        order_lines,
        note=f"{channel.kind} {event.platform_order_id}",
        channel_code=channel.code,
    )
    await sales.sales_order_confirm(posted.document_id, now)
    await ChannelOrder.create(
        channel=channel, platform_order_id=event.platform_order_id, sales_order_id=posted.document_id
    )


async def _ship_rest(order: SalesOrder, now: datetime) -> None:
    if order.status not in ("confirmed", "partially_shipped"):
        return
    lines = []
    for ln in await SalesOrderLine.filter(order_id=order.id).order_by("id"):
        rest = sales.ordered_base(ln) - Decimal(ln.shipped_base)
        if rest > 0:
            # Platform orders are booked in base units (factor 1), so the rest is in the line's own unit.
            lines.append(shipments.ShipmentLineInput(ln.id, rest / Decimal(ln.unit_factor)))
    if lines:
        await shipments.shipment_post(order.id, lines, now)


async def order_known(channel_id: int, platform_order_id: str) -> bool:
    """True when the platform order already became a sales order or waits, stored, to become one."""
    return await ChannelOrder.exists(channel_id=channel_id, platform_order_id=platform_order_id) or (
        await PlatformEvent.exists(
            channel_id=channel_id, platform_order_id=platform_order_id, kind=EventKind.NEW_ORDER
        )
    )
