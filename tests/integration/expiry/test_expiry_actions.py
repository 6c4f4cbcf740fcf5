"""Expiry alerts, expiring lots and promotion proposals on PostgreSQL, with the issue's frozen-food figures.

The factories' clock: NOW = 2030-06-03 09:00 UTC (17:00 in Shanghai, business day 06-03). The world's SKU
alerts 5 days before expiry and proposes 25 % off 4 days before best-before.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, InsufficientStock, NotFound, ValidationError
from domain.expiry import check, decisions, services
from domain.expiry.models import ExpiryAlert, PromotionProposal
from domain.finance.models import JournalEntry, JournalLine
from domain.inventory import availability, consistency
from domain.inventory.models import Batch, StockMove, StockQuant
from domain.partners import services as partners
from domain.sales import services as sales
from domain.sales import shipments
from domain.trace import services as trace
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW

D = Decimal
JUNE_7_0030_SHANGHAI = datetime(2030, 6, 6, 16, 30, tzinfo=UTC)


async def stock_by_location(batch_id):
    rows = (
        await StockQuant.filter(batch_id=batch_id, quantity__gt=0)
        .order_by("location_id")
        .values_list("location__code", "status", "quantity")
    )
    return [(code, status, D(q)) for code, status, q in rows]


async def test_near_expiry_alerts_and_best_before_proposals_with_their_stock_per_location(world):
    near = await world.receive("12", expiry=date(2030, 6, 6))  # 3 days left: within 5
    promo = await world.receive("12", expiry=date(2030, 7, 30), best_before=date(2030, 6, 5), bins=(0, 1))
    await world.receive("12", expiry=date(2030, 6, 20), best_before=date(2030, 6, 15))  # nothing due

    first = await services.expiry_scan(NOW, world.wh.id)
    second = await services.expiry_scan(NOW, world.wh.id)

    assert (first.day, first.batches_expired, first.alerts_raised, first.proposals_made) == (
        date(2030, 6, 3),
        0,
        1,
        1,
    )
    assert (second.batches_expired, second.alerts_raised, second.proposals_made) == (0, 0, 0)
    alerts = await ExpiryAlert.filter(sku_id=world.sku.id)
    assert [(a.batch_id, a.kind, a.expiry_date, a.raised_on, a.days_left, D(a.quantity)) for a in alerts] == [
        (near.id, "near_expiry", date(2030, 6, 6), date(2030, 6, 3), 3, D(12))
    ]
    proposals = await PromotionProposal.filter(sku_id=world.sku.id)
    assert [
        (p.batch_id, p.best_before_date, p.days_left, D(p.quantity), D(p.suggested_markdown), p.status)
        for p in proposals
    ] == [(promo.id, date(2030, 6, 5), 2, D(12), D("0.25"), "proposed")]
    assert await stock_by_location(promo.id) == [
        (world.wh.bins[0], "available", D(6)),
        (world.wh.bins[1], "available", D(6)),
    ]
    # An alert does not hold the stock: the lot still sells until its expiry date.
    assert (await Batch.get(id=near.id)).status == "available"


async def test_at_expiry_the_lot_is_blocked_then_written_off_with_its_journal_entry(world):
    lot = await world.receive("12", expiry=date(2030, 6, 6), bins=(0, 1))
    order = await factories.make_sales_order(world.customer, world.wh, world.sku, D(5), confirm=False)
    await sales.sales_order_confirm(order.id, NOW)  # reserves 5 kg of the lot

    # 00:30 on June 7th in Shanghai: the lot's last selling day (June 6th) is over.
    stale = await check.expired_but_available(date(2030, 6, 7))
    result = await services.expiry_scan(JUNE_7_0030_SHANGHAI, world.wh.id)

    assert [s.books for s in stale if f", {lot.id}, " in s.key] == [D(6), D(6)]
    assert (result.day, result.batches_expired, result.alerts_raised) == (date(2030, 6, 7), 1, 1)
    assert (await Batch.get(id=lot.id)).status == "expired"
    assert await stock_by_location(lot.id) == [
        (world.wh.bins[0], "expired", D(6)),
        (world.wh.bins[1], "expired", D(6)),
    ]
    assert await factories.reserved(world.sku) == 0  # the order falls back to unreserved
    moves = await StockMove.filter(doc_type="batch_expire", batch_id=lot.id)
    assert sorted((m.from_status, m.to_status, D(m.quantity)) for m in moves) == [
        ("available", "expired", D(6)),
        ("available", "expired", D(6)),
    ]
    event = await TraceEvent.get(doc_type="batch_expire", doc_id=lot.id)
    assert (event.biz_step, event.disposition, event.body["eventTimeZoneOffset"]) == (
        "holding",
        "expired",
        "+08:00",
    )
    alert = await ExpiryAlert.get(batch_id=lot.id)
    assert (alert.kind, alert.days_left, D(alert.quantity)) == ("expired", -1, D(12))
    figures = await availability.stock_figures(world.sku.id, world.wh.id, date(2030, 6, 7))
    assert (figures.on_hand, figures.available, figures.expired) == (D(12), D(0), D(12))
    with pytest.raises(InsufficientStock):
        await shipments.shipment_post(
            order.id, [shipments.ShipmentLineInput(order.line_id, D(5))], JUNE_7_0030_SHANGHAI
        )
    assert [s for s in await check.expired_but_available(date(2030, 6, 7)) if f", {lot.id}, " in s.key] == []

    destroyed = await trace.batch_destroy(lot.id, JUNE_7_0030_SHANGHAI, reason="过期 expired")

    entry = await JournalEntry.get(doc_type="batch_destruction", doc_id=destroyed.document_id)
    lines = await JournalLine.filter(entry_id=entry.id).prefetch_related("account").order_by("id")
    assert entry.entry_date == date(2030, 6, 7)  # the business day, not UTC's June 6th
    # 12 kg at 12.00: 待处理财产损溢 (1901) Dr 144.00 / 库存商品 (1405) Cr 144.00.
    assert sorted((ln.account.code, D(ln.debit), D(ln.credit)) for ln in lines) == [
        ("1405", D(0), D("144.00")),
        ("1901", D("144.00"), D(0)),
    ]
    assert await factories.on_hand(world.sku, status=None) == 0
    assert await consistency.check_consistency() == []


async def test_the_check_lists_available_stock_past_its_expiry_until_the_scan_moves_it(world):
    lot = await world.receive("7.5", expiry=date(2030, 6, 3))  # last selling day: today

    today = await check.expired_but_available(date(2030, 6, 3))
    tomorrow = await check.expired_but_available(date(2030, 6, 4))
    await services.expire_batches(datetime(2030, 6, 3, 16, 0, tzinfo=UTC), world.wh.id)  # 00:00 June 4th
    after = await check.expired_but_available(date(2030, 6, 4))

    def mine(found):
        return [(d.what, d.books, d.ledger) for d in found if f", {lot.id}, " in d.key]

    assert mine(today) == []
    assert mine(tomorrow) == [("expired_but_available (expiry 2030-06-03)", D("7.5"), D(0))]
    assert mine(after) == []
    in_books = await consistency.check_consistency(datetime(2030, 6, 3, 16, 0, tzinfo=UTC))
    assert [d for d in in_books if f", {lot.id}, " in d.key] == []


async def test_a_store_manager_accepts_or_dismisses_a_proposal_once(world):
    await world.receive("4", best_before=date(2030, 6, 4))
    await world.receive("6", best_before=date(2030, 6, 7))
    await services.expiry_scan(NOW, world.wh.id)
    first, second = await PromotionProposal.filter(sku_id=world.sku.id).order_by("id")
    user = await factories_user()

    accepted = await decisions.promotion_proposal_decide(first.id, True, user, NOW, D("0.3"), "周末特价")
    dismissed = await decisions.promotion_proposal_decide(second.id, False, user, NOW, note="还新鲜")

    assert (accepted.status, D(accepted.markdown), accepted.decided_by_id, accepted.note) == (
        "accepted",
        D("0.3"),
        user,
        "周末特价",
    )
    assert (dismissed.status, dismissed.markdown) == ("dismissed", None)
    with pytest.raises(Conflict, match=f"promotion proposal {first.id} is already accepted"):
        await decisions.promotion_proposal_decide(first.id, False, user, NOW)
    with pytest.raises(NotFound):
        await decisions.promotion_proposal_decide(10**9, True, user, NOW)
    for bad in (D("1.5"), D(0), D("0.12345")):
        with pytest.raises(ValidationError) as refused:
            await decisions.promotion_proposal_decide(second.id, True, user, NOW, bad)
        assert refused.value.path == ("markdown",)
    # A second scan neither re-proposes a decided lot nor changes the decisions.
    assert (await services.expiry_scan(NOW, world.wh.id)).proposals_made == 0
    assert [p.status for p in await PromotionProposal.filter(sku_id=world.sku.id).order_by("id")] == [
        "accepted",
        "dismissed",
    ]


async def test_policies_are_per_sku_then_category_and_refuse_bad_days(world):
    with pytest.raises(ValidationError) as days:
        await decisions.expiry_policy_set(-1, 3, D("0.2"), sku_code=world.sku.code)
    with pytest.raises(NotFound):
        await decisions.expiry_policy_set(1, 3, D("0.2"), sku_code="NO-SUCH-SKU")
    with pytest.raises(ValidationError, match="not both"):
        await decisions.expiry_policy_set(1, 3, D("0.2"), sku_code=world.sku.code, category_code="X")

    assert days.value.path == ("alertDays",)
    updated = await decisions.expiry_policy_set(1, 2, D("0.5"), sku_code=world.sku.code)
    policies = await services.load_policies()
    assert policies.of(world.sku.id, None) == services.rules.Policy(1, 2, D("0.5"))
    assert (updated.alert_days, updated.promote_days) == (1, 2)


async def factories_user() -> int:
    user = await partners.create_user(factories.code("mgr").lower(), "Str0ng-passw0rd!", "store_manager")
    return user.user_id
