"""Approvals and saved reports on the embedded SQLite the demo runs on: same gate, same compiled SQL."""

from datetime import date
from decimal import Decimal

import pytest

from domain.approvals import rule_admin, services
from domain.approvals.errors import ApprovalRequired
from domain.approvals.rule_admin import RuleInput
from domain.approvals.rules import Level
from domain.approvals.services import Approver
from domain.catalog.services import OrderLineInput
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrder
from domain.reports import services as reports
from domain.reports.rules import Filter, Op, ReportSpec
from tests import factories
from tests.factories import NOW


async def test_the_ninety_day_rule_holds_a_po_until_two_levels_approve_on_sqlite(sqlite_db):
    wh, supplier, sku = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_sku(),
    )
    await rule_admin.rule_create(
        RuleInput(
            "账期>90天需副总审批",
            "purchase_order",
            {">": [{"var": "payment_terms_days"}, 90]},
            (Level("finance"), Level("admin")),
        ),
        None,
        NOW,
    )
    users = [
        await partners.create_user(f"u{r}", "correct-horse-battery", r) for r in ("buyer", "finance", "admin")
    ]
    buyer, finance, vp = (Approver(u.user_id, u.username, u.role.value) for u in users)
    order = await purchasing.purchase_order_create(
        supplier.code,
        wh.code,
        [OrderLineInput(sku.code, Decimal(1), "kg", Decimal(1))],
        payment_terms_days=91,
    )
    with pytest.raises(ApprovalRequired) as waiting:
        await purchasing.purchase_order_confirm(order.document_id, NOW, requested_by_id=buyer.user_id)
    request_id = waiting.value.request_id
    assert request_id is not None
    assert [r.id for r in await services.pending_for(finance)] == [request_id]
    assert await services.pending_for(vp) == []  # level 2 waits for level 1
    await services.approval_approve(request_id, finance, "", NOW)
    assert [r.id for r in await services.pending_for(vp)] == [request_id]
    await services.approval_approve(request_id, vp, "", NOW)
    await purchasing.purchase_order_confirm(order.document_id, NOW, requested_by_id=buyer.user_id)
    assert (await PurchaseOrder.get(id=order.document_id)).status == "confirmed"


async def test_a_near_expiry_report_runs_on_sqlite(sqlite_db):
    wh, supplier, sku = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_sku(),
    )
    await factories.receive(sku, wh, supplier, Decimal("2.5"), expiry_date=date(2030, 6, 20))
    await factories.receive(sku, wh, supplier, Decimal(4), expiry_date=date(2031, 1, 1))
    spec = ReportSpec(
        "expiry",
        ("supplier_code", "expiry_date"),
        ("quantity",),
        (
            Filter("expiry_date", Op.WITHIN_DAYS, ("30",)),
            Filter("supplier_code", Op.CONTAINS, (supplier.code,)),
        ),
    )
    result = await reports.report_run(spec, reports.Caller(1, "admin", None), NOW.date())
    assert result.rows == [[supplier.code, "2030-06-20", "2.5"]]
