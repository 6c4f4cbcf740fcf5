"""The gate on PostgreSQL: payments, bills beyond tolerance and write-offs wait; one approval, one posting;
a changed rule or document asks again; two approvers racing for one level record one decision."""

import asyncio
from decimal import Decimal

import pytest

from domain.approvals import rule_admin, services
from domain.approvals.errors import ApprovalRequired
from domain.approvals.models import ApprovalDecision, ApprovalRequest
from domain.approvals.rule_admin import RuleInput
from domain.approvals.rules import DocumentType, Level
from domain.catalog.services import OrderLineInput
from domain.common.errors import Conflict
from domain.finance import bills, payments
from domain.finance.bills import BillLineInput
from domain.finance.models import Payment, SupplierBill
from domain.inventory import services as inventory
from domain.inventory.models import Batch, StockQuant
from domain.inventory.rules import StockStatus
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrder
from domain.trace import destruction
from tests.integration.approvals.conftest import NOW, add_rule


def _line(world) -> list[OrderLineInput]:
    return [OrderLineInput(world.taxed, Decimal(1), unit_price=Decimal(3))]


async def _posted_bill(world) -> int:
    _, line_id = await world.stock(world.taxed, "10", "5.00")
    bill = await bills.supplier_bill_post(
        world.supplier, NOW.date(), [BillLineInput(line_id, Decimal(10), Decimal("5.00"))]
    )
    return bill.document_id


async def test_a_payment_waits_posts_once_approved_and_a_second_identical_payment_waits_again(world, person):
    bill_id = await _posted_bill(world)
    await add_rule(DocumentType.PAYMENT, {"==": [{"var": "partner_code"}, world.supplier]}, Level("finance"))
    clerk, approver = await person("finance"), await person("finance")

    async def pay() -> object:
        return await payments.payment_post(
            "out",
            world.supplier,
            Decimal("20.00"),
            NOW.date(),
            [payments.AllocationInput(bill_id, Decimal("20.00"))],
            requested_by_id=clerk.user_id,
            now=NOW,
        )

    with pytest.raises(ApprovalRequired) as waiting:
        await pay()
    assert waiting.value.request_id is not None
    assert await Payment.filter(partner_id=world.supplier_id).count() == 0
    await services.approval_approve(waiting.value.request_id, approver, "", NOW)

    posted = await pay()
    assert await Payment.filter(partner_id=world.supplier_id).count() == 1
    assert (await ApprovalRequest.get(id=waiting.value.request_id)).status == "used"
    with pytest.raises(ApprovalRequired) as again:
        await pay()
    assert again.value.request_id not in (None, waiting.value.request_id)
    assert posted is not None


async def test_a_bill_beyond_tolerance_books_only_after_its_approval(world, person):
    _, line_id = await world.stock(world.taxed, "10", "5.00")
    pending = await bills.supplier_bill_post(
        world.supplier, NOW.date(), [BillLineInput(line_id, Decimal(10), Decimal(9))]
    )
    assert (await SupplierBill.get(id=pending.document_id)).status == bills.PENDING
    await add_rule(
        DocumentType.SUPPLIER_BILL,
        {"==": [{"var": "supplier_code"}, world.supplier]},
        Level("finance"),
        Level("admin", None, Decimal(50)),
    )
    clerk, finance, admin = await person("finance"), await person("finance"), await person("admin")

    with pytest.raises(ApprovalRequired) as waiting:
        await bills.supplier_bill_approve(pending.document_id, requested_by_id=clerk.user_id, now=NOW)
    request_id = waiting.value.request_id
    assert request_id is not None
    await services.approval_approve(request_id, finance, "", NOW)
    with pytest.raises(ApprovalRequired) as second:
        await bills.supplier_bill_approve(pending.document_id, requested_by_id=clerk.user_id, now=NOW)
    assert (second.value.request_id, second.value.level) == (request_id, 2)  # 103.50 ≥ 50: the admin tier
    await services.approval_approve(request_id, admin, "", NOW)
    await bills.supplier_bill_approve(pending.document_id, requested_by_id=clerk.user_id, now=NOW)
    assert (await SupplierBill.get(id=pending.document_id)).status == bills.POSTED


async def test_a_write_off_waits_for_the_store_manager(world, person):
    await world.stock(world.taxed, "4", "5.00")
    batch = await Batch.filter(sku_id=world.sku_ids[world.taxed]).order_by("-id").first()
    # Rejected through the ledger (a raw status edit would leave books that disagree with the ledger for
    # every later test of the session that checks consistency).
    await inventory.set_batch_status(batch.id, StockStatus.REJECTED, NOW, "test")
    await add_rule(
        DocumentType.WRITE_OFF, {"==": [{"var": "lot_code"}, batch.lot_code]}, Level("store_manager")
    )
    clerk, manager = await person("warehouse"), await person("store_manager")

    with pytest.raises(ApprovalRequired) as waiting:
        await destruction.batch_destroy(batch.id, NOW, "mould", requested_by_id=clerk.user_id)
    assert await StockQuant.filter(batch_id=batch.id, quantity__gt=0).count() == 1
    await services.approval_approve(waiting.value.request_id, manager, "seen it", NOW)
    await destruction.batch_destroy(batch.id, NOW, "mould", requested_by_id=clerk.user_id)
    assert await StockQuant.filter(batch_id=batch.id, quantity__gt=0, status="rejected").count() == 0


async def test_a_rule_changed_after_approval_asks_again(world, person):
    rule_id = await add_rule(
        DocumentType.PURCHASE_ORDER, {"==": [{"var": "supplier_code"}, world.supplier]}, Level("finance")
    )
    buyer, finance, admin = await person("buyer"), await person("finance"), await person("admin")
    order = await purchasing.purchase_order_create(
        world.supplier, world.warehouse, _line(world), payment_terms_days=120
    )
    with pytest.raises(ApprovalRequired) as waiting:
        await purchasing.purchase_order_confirm(order.document_id, NOW, requested_by_id=buyer.user_id)
    await services.approval_approve(waiting.value.request_id, finance, "", NOW)

    view = (await rule_admin.rules_list())[-1]
    assert view.id == rule_id
    await rule_admin.rule_update(
        rule_id,
        RuleInput(view.name, view.document_type, view.condition, (Level("finance"), Level("admin"))),
        NOW,
    )
    with pytest.raises(ApprovalRequired) as stricter:
        await purchasing.purchase_order_confirm(order.document_id, NOW, requested_by_id=buyer.user_id)
    assert stricter.value.request_id != waiting.value.request_id
    assert (await PurchaseOrder.get(id=order.document_id)).status == "draft"
    for who in (finance, admin):
        await services.approval_approve(stricter.value.request_id, who, "", NOW)
    await purchasing.purchase_order_confirm(order.document_id, NOW, requested_by_id=buyer.user_id)
    assert (await PurchaseOrder.get(id=order.document_id)).status == "confirmed"


async def test_two_approvers_racing_for_one_level_record_one_decision(world, person):
    await add_rule(
        DocumentType.PURCHASE_ORDER, {"==": [{"var": "supplier_code"}, world.supplier]}, Level("finance")
    )
    buyer = await person("buyer")
    racers = [await person("finance"), await person("finance")]
    order = await purchasing.purchase_order_create(world.supplier, world.warehouse, _line(world))
    with pytest.raises(ApprovalRequired) as waiting:
        await purchasing.purchase_order_confirm(order.document_id, NOW, requested_by_id=buyer.user_id)
    request_id = waiting.value.request_id

    results = await asyncio.gather(
        *(services.approval_approve(request_id, who, "", NOW) for who in racers), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "RequestView"]
    assert isinstance(next(r for r in results if isinstance(r, Exception)), Conflict)
    assert await ApprovalDecision.filter(request_id=request_id).count() == 1
