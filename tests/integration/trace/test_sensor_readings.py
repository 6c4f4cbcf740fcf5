"""Cold-chain readings ride on receipts and shipments into their EPCIS events; out-of-range ones alert."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from domain.catalog.models import Sku
from domain.common.errors import Conflict, ValidationError
from domain.common.models import OutboxMessage
from domain.inventory.models import Batch
from domain.partners import services as partners
from domain.provenance import services as provenance
from domain.purchasing import receipts
from domain.purchasing.models import GoodsReceipt
from domain.quality import alerts
from domain.quality.models import BatchAlert
from domain.quality.rules import SensorReadingInput
from domain.sales import shipments
from domain.trace import epcis, export
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW

AT = NOW - timedelta(hours=1)


async def _chilled_sku(**limits: Decimal) -> Sku:
    limits = limits or {"temperature_min": Decimal(0), "temperature_max": Decimal(4)}
    return await catalog.create_sku(
        catalog.SkuInput(
            code=factories.code("SKU"),
            name_zh="冷鲜猪里脊",
            name_en="Chilled pork tenderloin",
            base_unit="kg",
            units=[catalog_rules.UnitDef("box", factories.KG_PER_BOX)],
            **limits,
        )
    )


async def _receive(sku: Sku, readings: list[SensorReadingInput], quantity: Decimal = Decimal(10)) -> int:
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    order = await factories.make_purchase_order(supplier, wh, sku, quantity, unit="kg")
    posted = await receipts.goods_receipt_post(
        order.id,
        [receipts.ReceiptLineInput(order.line_id, quantity, factories.code("LOT"), wh.bins[0])],
        NOW,
        sensor_readings=readings,
    )
    return posted.document_id


async def test_a_receipts_readings_are_in_its_events_sensor_element_list_and_the_export_validates(db):
    sku = await _chilled_sku()
    receipt_id = await _receive(
        sku,
        [
            SensorReadingInput("temperature", Decimal("2.5"), AT, "LOGGER-7"),
            SensorReadingInput("humidity", Decimal(88)),
        ],
    )

    [event] = await TraceEvent.filter(doc_type="goods_receipt", doc_id=receipt_id)
    assert event.body["sensorElementList"] == [
        {
            "sensorReport": [
                {
                    "type": "gs1:Temperature",
                    "value": 2.5,
                    "uom": "CEL",
                    "time": "2030-06-03T08:00:00.000Z",
                    "deviceID": "urn:lotline:device:LOGGER-7",
                },
                {"type": "gs1:RelativeHumidity", "value": 88, "uom": "P1"},
            ]
        }
    ]
    batch = await Batch.get(sku_id=sku.id)
    document = await export.epcis_export(export.Selection(batch_id=batch.id), NOW)
    epcis.validate_epcis_document(document)
    assert await BatchAlert.filter(batch_id=batch.id).count() == 0


async def test_a_reading_above_the_range_raises_exactly_one_alert_with_its_kind_and_limit(db):
    sku = await _chilled_sku()
    receipt_id = await _receive(
        sku,
        [
            SensorReadingInput("temperature", Decimal("3.9")),
            SensorReadingInput("temperature", Decimal("7.2")),
        ],
    )

    batch = await Batch.get(sku_id=sku.id)
    [alert] = await BatchAlert.filter(batch_id=batch.id)
    receipt = await GoodsReceipt.get(id=receipt_id)
    [event] = await TraceEvent.filter(doc_type="goods_receipt", doc_id=receipt_id)
    assert (alert.kind, alert.value, alert.limit) == ("temperature_high", Decimal("7.2"), Decimal(4))
    assert (alert.doc_type, alert.doc_id, alert.doc_number) == ("goods_receipt", receipt_id, receipt.number)
    assert (alert.trace_event_id, alert.created_at, alert.acknowledged_at) == (event.id, NOW, None)
    # Alerts do not hold stock: the quality team decides.
    assert batch.status == "available"
    assert await factories.on_hand(sku) == Decimal(10)


async def test_below_the_minimum_and_above_the_humidity_are_alerts_of_their_own_kind(db):
    sku = await _chilled_sku(temperature_min=Decimal(-2), humidity_max=Decimal(90))
    await _receive(
        sku, [SensorReadingInput("temperature", Decimal("-3")), SensorReadingInput("humidity", Decimal(95))]
    )

    views = await alerts.alerts_of((await Batch.get(sku_id=sku.id)).id)
    assert [(v.kind, v.value, v.limit, v.unit) for v in views] == [
        ("temperature_low", Decimal(-3), Decimal(-2), "°C"),
        ("humidity_high", Decimal(95), Decimal(90), "%RH"),
    ]


async def test_readings_within_the_range_or_on_a_sku_without_one_raise_nothing(db):
    chilled, loose = await _chilled_sku(), await factories.make_sku()
    await _receive(
        chilled,
        [SensorReadingInput("temperature", Decimal(0)), SensorReadingInput("temperature", Decimal(4))],
    )
    await _receive(loose, [SensorReadingInput("temperature", Decimal(30))])

    assert await BatchAlert.filter(batch__sku_id__in=[chilled.id, loose.id]).count() == 0


async def test_a_shipment_records_its_readings_and_alerts_each_shipped_lot(db):
    sku, wh = await _chilled_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    first = await factories.receive(sku, wh, supplier, Decimal(3), expiry_date=factories.days(5))
    second = await factories.receive(sku, wh, supplier, Decimal(10), expiry_date=factories.days(9))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(5))

    posted = await shipments.shipment_post(
        order.id,
        [shipments.ShipmentLineInput(order.line_id, Decimal(5))],
        NOW,
        sensor_readings=[SensorReadingInput("temperature", Decimal("6.0"), AT)],
    )

    [event] = await TraceEvent.filter(doc_type="shipment", doc_id=posted.document_id)
    assert event.body["sensorElementList"][0]["sensorReport"][0]["value"] == 6
    rows = await BatchAlert.filter(doc_type="shipment", doc_id=posted.document_id).order_by("batch_id")
    assert [(a.batch_id, a.kind, a.limit, a.trace_event_id) for a in rows] == [
        (first.batch_id, "temperature_high", Decimal(4), event.id),
        (second.batch_id, "temperature_high", Decimal(4), event.id),
    ]


@pytest.mark.parametrize(
    ("reading", "field"),
    [
        (SensorReadingInput("pressure", Decimal(1)), "kind"),
        (SensorReadingInput("temperature", Decimal(2), datetime(2030, 6, 3, 8)), "time"),  # noqa: DTZ001
        (SensorReadingInput("temperature", Decimal("NaN")), "value"),
        (SensorReadingInput("humidity", Decimal(130)), "value"),
        (SensorReadingInput("temperature", Decimal(2), device_id=" "), "deviceId"),
    ],
)
async def test_a_bad_reading_is_refused_by_its_field_and_nothing_is_posted(db, reading, field):
    sku = await _chilled_sku()
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    order = await factories.make_purchase_order(supplier, wh, sku, Decimal(10), unit="kg")
    before = (
        await factories.books(sku),
        await GoodsReceipt.filter(order_id=order.id).count(),
        await TraceEvent.all().count(),
        await BatchAlert.all().count(),
        await OutboxMessage.all().count(),
    )

    with pytest.raises(ValidationError) as caught:
        await receipts.goods_receipt_post(
            order.id,
            [receipts.ReceiptLineInput(order.line_id, Decimal(10), factories.code("LOT"), wh.bins[0])],
            NOW,
            sensor_readings=[SensorReadingInput("temperature", Decimal(3)), reading],
        )

    assert caught.value.path == ("sensorReadings", "1", field)
    assert caught.value.code == "VALIDATION"
    after = (
        await factories.books(sku),
        await GoodsReceipt.filter(order_id=order.id).count(),
        await TraceEvent.all().count(),
        await BatchAlert.all().count(),
        await OutboxMessage.all().count(),
    )
    assert after == before


async def test_too_many_readings_are_refused(db):
    sku = await _chilled_sku()

    with pytest.raises(ValidationError) as caught:
        await _receive(sku, [SensorReadingInput("temperature", Decimal(1))] * 201)

    assert caught.value.path == ("sensorReadings",)


async def test_acknowledging_an_alert_records_who_and_when_once(db):
    sku = await _chilled_sku()
    await _receive(sku, [SensorReadingInput("temperature", Decimal(9))])
    [alert] = await BatchAlert.filter(batch__sku_id=sku.id)
    user = await partners.create_user(factories.code("qa").lower(), "correct-horse-battery", "warehouse")

    seen = await alerts.batch_alert_acknowledge(alert.id, user.user_id, NOW, " logger left by the door ")

    assert (seen.acknowledged_at, seen.acknowledged_by_id, seen.note) == (
        NOW,
        user.user_id,
        "logger left by the door",
    )
    assert await alerts.alerts_of(alert.batch_id, open_only=True) == []
    with pytest.raises(Conflict):
        await alerts.batch_alert_acknowledge(alert.id, user.user_id, NOW)


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        ({"temperature_min": Decimal(5), "temperature_max": Decimal(4)}, "temperatureMin"),
        ({"humidity_max": Decimal(101)}, "humidityMax"),
        ({"temperature_max": Decimal("Infinity")}, "temperatureMax"),
    ],
)
async def test_a_sku_range_must_make_sense(db, limits, field):
    with pytest.raises(ValidationError) as caught:
        await _chilled_sku(**limits)

    assert caught.value.path == (field,)


async def test_the_provenance_page_shows_a_receipts_readings(db):
    sku = await _chilled_sku()
    await _receive(sku, [SensorReadingInput("temperature", Decimal("3.2"), AT, "LOGGER-9")])
    batch = await Batch.get(sku_id=sku.id)

    page = await provenance.provenance_of(await provenance.public_code_for(batch.id), NOW)

    assert page is not None
    assert [(r.label_en, r.value, r.unit, r.time) for r in page.cold_chain] == [
        ("temperature", Decimal("3.2"), "°C", AT)
    ]
