"""The demo data set: loads through the services, stays consistent, and never loads twice."""

import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from domain.approvals.models import ApprovalRule
from domain.catalog.models import Sku
from domain.catalog.rules import check_gtin
from domain.common.errors import Conflict
from domain.inventory.consistency import check_consistency
from domain.inventory.models import Batch, StockQuant, Warehouse
from domain.partners import rules as partner_rules
from domain.partners import services as partners
from domain.partners.models import Customer, Supplier, User
from domain.purchasing.models import GoodsReceipt, PurchaseOrder
from domain.quality.models import BatchAlert
from domain.reports import services as reports
from domain.reports.models import SavedReport
from domain.sales.models import SalesOrder, Shipment
from domain.trace.models import TraceEvent
from lotline.config import Settings
from lotline.demo import catalog_data as data
from lotline.demo import production as demo_production
from lotline.demo.seed import seed_demo

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


def test_static_data_is_valid() -> None:
    codes = [s.code for s in data.SKUS]
    assert len(codes) == len(set(codes))
    assert 38 <= len(codes) <= 45
    gtins = [data.gs1_number(s.gtin_ref) for s in data.SKUS if s.gtin_ref is not None]
    assert len(gtins) == len(set(gtins))
    assert len(gtins) > len(codes) / 2
    for gtin in gtins:
        assert check_gtin(gtin) == gtin.zfill(14)
    for ref in [w.gln_ref for w in data.WAREHOUSES] + [s.gln_ref for s in data.SUPPLIERS] + [100, 109]:
        assert partner_rules.gln_problem(data.gs1_number(ref)) is None
    assert {s.category for s in data.SKUS} == {c for c, _, _ in data.CATEGORIES}
    assert any(s.high_risk for s in data.SKUS)
    assert any(s.tax_exempt for s in data.SKUS)
    roles = {role for _, role, _ in data.USERS}
    assert roles == {r.value for r in partner_rules.Role}
    assert data.USERS[-1][0] == "admin"
    for s in data.SKUS:
        t_min, t_max, _ = s.limits
        assert t_min is None or t_max is None or Decimal(t_min) <= Decimal(t_max)
        assert (t_max is not None) == (s.zone in ("CLD", "FRZ"))


async def test_seed_six_weeks_on_sqlite(sqlite_db: TortoiseContext) -> None:
    started = time.perf_counter()
    summary = await seed_demo(NOW, weeks=6)
    print(f"\n{summary} (wall {time.perf_counter() - started:.1f} s)")

    assert not summary.skipped
    assert await Sku.all().count() == len(data.SKUS) + len(demo_production.SKUS)
    assert await Warehouse.all().count() == 3
    assert await Supplier.all().count() == 6
    assert await Customer.all().count() == 10 + 2  # and the demo channels' two platform consumers
    assert await User.all().count() == len(data.USERS)
    supplier_user = await User.get(username="supplier.sgv")
    assert supplier_user.role == "supplier"
    assert supplier_user.supplier_id is not None
    assert await partners.user_exists("admin")

    assert await GoodsReceipt.all().count() == summary.receipts > 0
    assert await Shipment.all().count() == summary.shipments > 0
    assert summary.sales_orders > 0
    assert summary.shipments >= summary.sales_orders * 0.9
    assert await StockQuant.filter(quantity__gt=0, location__kind="internal").exists()
    assert summary.stock_counts > 0
    assert summary.transfers > 0
    # Every dated document lies in the past, within the history asked for.
    first = await GoodsReceipt.all().order_by("received_at").first()
    last = await Shipment.all().order_by("-shipped_at").first()
    assert first is not None
    assert last is not None
    assert first.received_at.date() >= summary.first_day
    assert last.shipped_at < NOW
    assert await Batch.filter(lot_code__startswith="L2026").exists()
    # Some documents stay open for the demo: orders on their way in and waiting to ship.
    assert await PurchaseOrder.filter(status__in=["draft", "confirmed"]).exists()
    assert await SalesOrder.filter(status__in=["draft", "confirmed"]).exists()

    assert await check_consistency() == []
    # Chilled and frozen deliveries carry their reefer's readings; a rare excursion raised its alert.
    assert 0 < summary.cold_chain_receipts <= summary.receipts
    assert await BatchAlert.all().count() == summary.cold_chain_alerts
    frozen = await Sku.get(code="MEA-003")
    assert (frozen.temperature_min, frozen.temperature_max) == (None, Decimal(-18))
    received = await TraceEvent.filter(biz_step="receiving").values_list("canonical", flat=True)
    assert sum(1 for body in received if '"sensorElementList"' in body) >= summary.cold_chain_receipts

    # Issue 17: the 90-day rule and the shared near-expiry report, which runs on the seeded lots.
    rule = await ApprovalRule.get(name__startswith="账期>90天需副总审批")
    assert rule.condition == {">": [{"var": "payment_terms_days"}, 90]}
    report = await SavedReport.get(name__startswith="临期库存")
    manager = await User.get(username="store_manager")
    view = await reports.report_get(report.id, reports.Caller(manager.id, manager.role, None))
    near = await reports.report_run(view.spec, reports.Caller(manager.id, manager.role, None), NOW.date())
    assert near.rows
    assert {row[1] for row in near.rows} >= {"MEA-004"}  # the chicken breast expiring in two days

    # A second run is a no-op.
    again = await seed_demo(NOW, weeks=6)
    assert again.skipped
    assert await Sku.all().count() == len(data.SKUS) + len(demo_production.SKUS)


async def test_seed_is_deterministic(tmp_path: Path) -> None:
    from domain.inventory.models import StockMove
    from lotline.cli import database, run_migrations

    fingerprints = []
    for run in ("a", "b"):
        settings = Settings(database_url=f"sqlite://{tmp_path / run}.sqlite3")
        await run_migrations(settings)
        async with database(settings):
            summary = await seed_demo(NOW, weeks=2, seed=7)
            moves = (
                await StockMove.all()
                .order_by("id")
                .values_list("sku_id", "quantity", "doc_type", "posted_at")
            )
            lots = await Batch.all().order_by("id").values_list("lot_code", "expiry_date")
            fingerprints.append((str({**vars(summary), "seconds": 0}), moves, lots))
    assert fingerprints[0] == fingerprints[1]


async def test_partial_seed_is_refused(sqlite_db: TortoiseContext) -> None:
    from domain.catalog.services import SkuInput, create_sku

    first = data.SKUS[0]
    await create_sku(SkuInput(code=first.code, name_zh=first.name_zh, name_en=first.name_en, base_unit="kg"))
    with pytest.raises(Conflict):
        await seed_demo(NOW, weeks=1)


async def test_naive_now_is_refused(sqlite_db: TortoiseContext) -> None:
    from domain.common.errors import ValidationError

    with pytest.raises(ValidationError):
        await seed_demo(datetime(2026, 3, 2), weeks=1)  # noqa: DTZ001 - the point of the test


async def test_full_year_on_postgres(pg_settings: Settings) -> None:
    """The full year on a PostgreSQL database of its own (the codes are fixed; the session one is shared)."""
    import uuid

    import asyncpg

    from lotline.cli import database, run_migrations
    from tests.conftest import _asyncpg_dsn, _with_database

    name = f"lotline_demo_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(_asyncpg_dsn(pg_settings.database_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        settings = Settings(database_url=_with_database(pg_settings.database_url, name))
        await run_migrations(settings)
        async with database(settings):
            started = time.perf_counter()
            summary = await seed_demo(NOW)
            print(f"\n{summary} (wall {time.perf_counter() - started:.1f} s)")
            assert summary.first_day is not None
            assert summary.first_day <= date(2025, 3, 3)
            assert summary.shipments > 300
            assert await check_consistency() == []
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
