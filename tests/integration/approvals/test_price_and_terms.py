"""Price-list changes wait for approval like the other gated documents, and a purchase order's facts carry
the supplier's payment terms (账期) and the order's custom fields, so the demo's "账期>90天需副总审批" rule
holds an order of a supplier on net 120 days.
"""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.approvals import services
from domain.approvals.documents import credit_days
from domain.approvals.errors import ApprovalRequired
from domain.approvals.rules import DocumentType, Level
from domain.catalog.services import OrderLineInput
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity, FieldDef, Kind
from domain.finance import due_dates
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrder
from domain.replenishment import price_lists
from domain.replenishment.models import SupplierPrice
from domain.replenishment.price_rules import PriceTerms
from tests.integration.approvals.conftest import NOW, add_rule


def _line(world, price: str) -> price_lists.PriceLine:
    terms = PriceTerms(Decimal(price), "CNY", Decimal(1), Decimal(1), None, 2, date(2026, 1, 1), None)
    return price_lists.PriceLine(world.supplier, world.taxed, terms)


async def test_a_price_rise_beyond_ten_percent_waits_for_approval_and_is_saved_once_approved(world, person):
    await add_rule(
        DocumentType.PRICE_LIST_CHANGE,
        {
            "and": [
                {"==": [{"var": "supplier_code"}, world.supplier]},
                {">": [{"var": "change_ratio"}, "1.1"]},
            ]
        },
        Level("finance"),
    )
    buyer, approver = await person("buyer"), await person("finance")
    created = await price_lists.supplier_price_create(_line(world, "10.00"), requested_by_id=buyer.user_id)
    await price_lists.supplier_price_update(
        created.document_id, _line(world, "10.50"), requested_by_id=buyer.user_id, now=NOW
    )
    assert (await SupplierPrice.get(id=created.document_id)).unit_price == Decimal("10.50")

    with pytest.raises(ApprovalRequired) as waiting:
        await price_lists.supplier_price_update(
            created.document_id, _line(world, "12.00"), requested_by_id=buyer.user_id, now=NOW
        )
    assert waiting.value.request_id is not None
    assert (await SupplierPrice.get(id=created.document_id)).unit_price == Decimal("10.50")
    await services.approval_approve(waiting.value.request_id, approver, "", NOW)

    await price_lists.supplier_price_update(
        created.document_id, _line(world, "12.00"), requested_by_id=buyer.user_id, now=NOW
    )
    assert (await SupplierPrice.get(id=created.document_id)).unit_price == Decimal("12.00")


async def test_an_order_of_a_supplier_on_net_120_days_waits_for_the_vice_president(world, person):
    await due_dates.payment_terms_set("supplier", world.supplier, {"kind": "net", "days": 120})
    await add_rule(
        DocumentType.PURCHASE_ORDER,
        {
            "and": [
                {"==": [{"var": "supplier_code"}, world.supplier]},
                {">": [{"var": "payment_terms_days"}, 90]},
            ]
        },
        Level("admin"),
    )
    posted = await purchasing.purchase_order_create(
        world.supplier, world.warehouse, [OrderLineInput(world.taxed, Decimal(1), unit_price=Decimal(3))]
    )
    with pytest.raises(ApprovalRequired):
        await purchasing.purchase_order_confirm(
            posted.document_id, NOW, requested_by_id=(await person("buyer")).user_id
        )
    assert (await PurchaseOrder.get(id=posted.document_id)).status == "draft"


async def test_an_orders_custom_fields_are_facts_a_rule_can_read(world, person):
    key = "urgent" + "".join(c for c in world.unique("X") if c.isalnum()).lower()[-8:]
    await custom_fields.definition_save(Entity.PURCHASE_ORDER, FieldDef(key, Kind.BOOLEAN, "加急", "urgent"))
    await add_rule(DocumentType.PURCHASE_ORDER, {"==": [{"var": f"custom.{key}"}, True]}, Level("admin"))
    lines = [OrderLineInput(world.taxed, Decimal(1), unit_price=Decimal(3))]
    urgent = await purchasing.purchase_order_create(
        world.supplier, world.warehouse, lines, custom={key: True}
    )
    plain = await purchasing.purchase_order_create(
        world.supplier, world.warehouse, lines, custom={key: False}
    )
    buyer = await person("buyer")

    with pytest.raises(ApprovalRequired):
        await purchasing.purchase_order_confirm(urgent.document_id, NOW, requested_by_id=buyer.user_id)
    await purchasing.purchase_order_confirm(plain.document_id, NOW, requested_by_id=buyer.user_id)
    assert (await PurchaseOrder.get(id=plain.document_id)).status == "confirmed"


def test_credit_days_of_examples() -> None:
    assert credit_days({"kind": "net", "days": 120}, date(2026, 3, 10)) == 120
    # end of month + 60: from 31 March, 60 days → 30 May: 81 days after 10 March
    assert credit_days({"kind": "eom", "days": 60}, date(2026, 3, 10)) == 81
    assert credit_days({"kind": "net"}, date(2026, 3, 10)) is None


@given(days=st.integers(0, 365), day=st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_credit_days_of_net_terms_are_the_days_and_eom_never_fewer(days: int, day: date) -> None:
    assert credit_days({"kind": "net", "days": days}, day) == days
    eom = credit_days({"kind": "eom", "days": days}, day)
    assert eom is not None
    assert days <= eom <= days + 30
