"""A batch with a full public story and a private one: received, inspected, shipped to a named customer."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from domain.partners import services as partners
from domain.quality import services as quality
from domain.sales import shipments
from domain.trace import builders, recording
from lotline.config import Settings
from tests import factories
from tests.factories import NOW


@dataclass(frozen=True)
class Story:
    lot: factories.ReceivedLot
    sku_code: str
    warehouse_name: str
    supplier_name: str
    customer_name: str
    customer_code: str
    username: str
    inspector: str
    secrets: tuple[str, ...]  # strings that must never reach a public page


@pytest.fixture(scope="session")
def app(db: object, pg_settings: Settings) -> Starlette:
    return create_app(pg_settings, manage_database=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def make_story() -> Story:
    """A high-risk lot bought at 37.91 a kg, inspected by a named inspector, cold-stored at 3.5 °C, then
    7.25 kg shipped at 88.77 a kg to a distinctively named customer by a distinctively named user."""
    sku = await factories.make_sku(high_risk=True)
    wh = await factories.make_warehouse()
    supplier = await factories.make_supplier()
    tag = factories.code("Z").removeprefix("Z-")
    customer_name = f"秘密客户 Zephyr Mart {tag}"
    customer = await partners.create_customer(factories.code("CUS"), customer_name, contact=f"contact-{tag}")
    username = f"clerk-{tag.lower()}"
    user = await partners.create_user(username, "correct-horse-battery", "warehouse")
    inspector = f"质检员{tag}"
    lot = await factories.receive(
        sku, wh, supplier, Decimal("31.5"), unit_cost=Decimal("37.91"), expiry_date=factories.days(20)
    )
    started = await quality.quality_check_start(lot.batch_id, inspector, NOW + timedelta(hours=1))
    await quality.quality_check_verdict(
        started.document_id,
        [quality.ResultInput("农药残留 pesticide residue", "0.01", "0.05", "mg/kg", True)],
        "pass",
        [],
        NOW + timedelta(hours=2),
    )
    batch_sku = builders.ProductLot(sku.code, lot.lot_code, sku.gtin)
    cold = builders.object_event(
        event_time=NOW + timedelta(hours=3),
        action=builders.Action.OBSERVE,
        biz_step="storing",
        read_point=recording.place(wh.code),
        quantities=[builders.QuantityLine(batch_sku, Decimal("31.5"), "kg")],
        sensor_readings=[builders.SensorReading("temperature", Decimal("3.5"))],
    )
    await recording.store_event(
        cold,
        doc_type="sensor",
        doc_id=None,
        links=[recording.LotLink(lot.batch_id, batch_sku.epc_class, "object", Decimal("31.5"))],
    )
    order = await factories.make_sales_order(customer, wh, sku, Decimal("7.25"), unit_price=Decimal("88.77"))
    await shipments.shipment_post(
        order.id,
        [shipments.ShipmentLineInput(order.line_id, Decimal("7.25"))],
        NOW + timedelta(days=1),
        posted_by_id=user.user_id,
    )
    return Story(
        lot,
        sku.code,
        f"仓库 {wh.code}",
        "云南高原果蔬合作社",
        customer_name,
        customer.code,
        username,
        inspector,
        (
            customer_name,
            "Zephyr",
            customer.code,
            f"contact-{tag}",
            username,
            inspector,
            "37.91",
            "88.77",
            "7.25",
            "31.5",
            "correct-horse",
        ),
    )


@pytest.fixture
async def story(db: object) -> Story:
    return await make_story()
