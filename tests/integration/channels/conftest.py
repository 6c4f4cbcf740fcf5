"""A platform world per test: our app and the platform simulator over ASGI, on the session's PostgreSQL."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from domain.channels import services, stock_sync
from lotline.config import Settings
from lotline.platform_sim import PlatformSim
from tests import factories as f
from workers.channels import ChannelWorker
from workers.platform_client import PlatformClient

OURS = "http://lotline.test"
SIM = "http://sim.test"


@dataclass
class World:
    sim: PlatformSim
    worker: ChannelWorker
    wh: f.WarehouseRef
    customer: f.PartnerRef
    supplier: f.PartnerRef
    sku: object
    eleme: str  # channel codes
    meituan: str
    dine_in: str
    eleme_store: str
    meituan_store: str
    client: httpx.AsyncClient  # to our app (GraphQL)


@pytest.fixture
async def world(db: object, pg_settings: Settings) -> AsyncIterator[World]:
    sim = PlatformSim(OURS, base_url=SIM)
    eleme_store = str(150000000 + int(f.code("X")[-6:], 16) % 10**6)
    meituan_store = f.code("POI")
    sim.add_store("eleme", eleme_store, "95784565", "eleme-secret-" + eleme_store)
    sim.add_store("meituan", meituan_store, "1235123121", "mt-secret-" + meituan_store)
    creds = sim.credentials()
    settings = pg_settings.model_copy(update={"platform_credentials": SecretStr(json.dumps(creds))})
    app = create_app(settings, manage_database=False)
    sim.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=OURS)
    client = PlatformClient(settings.platforms())
    client.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim.app), base_url=SIM)
    worker = ChannelWorker(client)

    wh = await f.make_warehouse()
    customer = await f.make_customer()
    supplier = await f.make_supplier()
    sku = await f.make_sku()
    await f.receive(sku, wh, supplier, Decimal(10))
    eleme = await services.channel_create(
        f.code("ELM"), "饿了么 静安店", "eleme", wh.code, customer.code, eleme_store
    )
    meituan = await services.channel_create(
        f.code("MT"), "美团 静安店", "meituan", wh.code, customer.code, meituan_store
    )
    dine_in = await services.channel_create(f.code("DIN"), "堂食", "dine_in", wh.code, customer.code)
    await services.sku_mapping_set(eleme.code, "238364002730", sku.code)
    await services.sku_mapping_set(meituan.code, "MT-LEMON", sku.code)
    stock_sync.forget_mappings()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=OURS) as gql_client:
        yield World(
            sim,
            worker,
            wh,
            customer,
            supplier,
            sku,
            eleme.code,
            meituan.code,
            dine_in.code,
            eleme_store,
            meituan_store,
            gql_client,
        )
    await sim.close()
    await worker.close()
