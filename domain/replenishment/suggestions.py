"""Replenishment suggestion use cases (补货建议单): generate, edit, approve into purchase orders, reject.

One suggestion per SKU × warehouse × period (the Monday of the run's week, business time zone), enforced by a
unique key: a second run in the same week updates the draft (keeping a quantity the buyer edited), and leaves
an approved or rejected one alone. The forecast is the newest finished forecast run's P50/P90 for the pair;
without one, the mean and spread of the last 12 uncensored weeks (``rules.baseline_forecast``). Approval turns
drafts into confirmed purchase orders, one per supplier × warehouse, in base units at the offer's price,
and refuses a quantity under the supplier's MOQ. ``scope``: the warehouse ids a store manager answers for
(None: all); a suggestion outside it is ``NotFound``. Errors: ``ValidationError``, ``NotFound``, ``Conflict``.
"""

from collections import defaultdict
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from tortoise.transactions import in_transaction

from domain.catalog.models import Sku
from domain.catalog.services import OrderLineInput
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.inventory.models import Warehouse
from domain.partners.models import Supplier
from domain.purchasing import services as purchasing
from domain.replenishment import demand, position, rules, weeks
from domain.replenishment.models import Forecast, ForecastRun, StoreAssignment, Suggestion, WarehouseProfile

DRAFT, APPROVED, REJECTED = "draft", "approved", "rejected"
MAX_IDS = 200
HISTORY_WEEKS = 12
HORIZON_WEEKS = 8
DEFAULT_LEAD_TIME_DAYS = 2  # a SKU with no price list line: the supplier model's default


def explanation(s: rules.Suggestion, source: str, run_id: int | None) -> dict[str, Any]:
    data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(s).items()}
    data["binding"] = s.binding.value
    data["forecast_source"] = source
    data["forecast_run_id"] = run_id
    return data


async def _forecast(
    sku_id: int, warehouse_id: int, monday: date, time_zone: str
) -> tuple[list[Decimal], list[Decimal], str, int | None]:
    run = (
        await ForecastRun.filter(
            status="done", forecasts__sku_id=sku_id, forecasts__warehouse_id=warehouse_id
        )
        .order_by("-id")
        .first()
    )
    if run is not None:
        rows = await Forecast.filter(
            run_id=run.id, sku_id=sku_id, warehouse_id=warehouse_id, week_start__gte=monday
        ).order_by("week_start")
        if rows:
            return [r.p50 for r in rows], [r.p90 for r in rows], "forecast_run", run.id
    history = await demand.demand_history(
        monday - timedelta(weeks=HISTORY_WEEKS),
        monday - timedelta(days=1),
        warehouse_ids=[warehouse_id],
        sku_ids=[sku_id],
        time_zone=time_zone,
    )
    weeks_seen = [(w.quantity, w.censored) for w in history[0].weeks] if history else []
    p50, p90 = rules.baseline_forecast(weeks_seen)
    return [p50] * HORIZON_WEEKS, [p90] * HORIZON_WEEKS, "history_mean", None


async def suggestions_generate(
    warehouse_id: int,
    today: date,
    *,
    sku_ids: list[int] | None = None,
    time_zone: str = weeks.DEFAULT_TIME_ZONE,
) -> list[int]:
    """Suggestions for every active SKU the warehouse sold or stocks (or ``sku_ids``); returns their ids."""
    warehouse = await Warehouse.get_or_none(id=warehouse_id)
    if warehouse is None:
        raise NotFound("warehouse", warehouse_id, ("warehouseCode",))
    profile = await WarehouseProfile.get_or_none(warehouse_id=warehouse_id)
    monday = weeks.week_start(today)
    if sku_ids is None:
        sold = await demand.demand_history(
            monday - timedelta(weeks=HISTORY_WEEKS), today, warehouse_ids=[warehouse_id], time_zone=time_zone
        )
        sku_ids = sorted({s.sku_id for s in sold})
    skus = await Sku.filter(id__in=sku_ids, active=True).order_by("id")
    free_room = await position.room(warehouse_id)
    ids = []
    for sku in skus:
        p50, p90, source, run_id = await _forecast(sku.id, warehouse_id, monday, time_zone)
        lots, reserved = await position.lots_and_reserved(sku.id, warehouse_id)
        state = rules.Position(
            today=today,
            weekly_p50=p50,
            weekly_p90=p90,
            lots=lots,
            on_order=await position.on_order(sku.id, warehouse_id),
            reserved=reserved,
            review_period_days=profile.review_period_days if profile else 7,
            service_level=Decimal(profile.service_level) if profile else Decimal("0.95"),
            shelf_life_days=position.shelf_life(sku),
            room=free_room,
        )
        chosen = rules.choose(state, await position.offers(sku.id, today), DEFAULT_LEAD_TIME_DAYS)
        suggestion_id = await _upsert(
            sku.id, warehouse_id, monday, chosen, explanation(chosen, source, run_id), run_id
        )
        if suggestion_id is not None:
            ids.append(suggestion_id)
    return ids


async def _upsert(
    sku_id: int, warehouse_id: int, monday: date, s: rules.Suggestion, why: dict[str, Any], run_id: int | None
) -> int | None:
    async with in_transaction():
        query = Suggestion.filter(sku_id=sku_id, warehouse_id=warehouse_id, period_start=monday)
        row = await (query.select_for_update() if is_postgres() else query).first()
        if row is None:
            if s.quantity <= 0:
                return None
            row = await Suggestion.create(
                sku_id=sku_id,
                warehouse_id=warehouse_id,
                period_start=monday,
                supplier_id=s.supplier_id,
                suggested_quantity=s.quantity,
                quantity=s.quantity,
                unit_price=s.unit_price,
                explanation=why,
                forecast_run_id=run_id,
            )
            return row.id
        if row.status != DRAFT:
            return row.id
        edited = row.quantity != row.suggested_quantity
        row.quantity = row.quantity if edited else s.quantity
        row.suggested_quantity = s.quantity
        row.supplier_id, row.unit_price = s.supplier_id, s.unit_price
        row.explanation, row.forecast_run_id = why, run_id
        await row.save()
        return row.id


async def _locked(suggestion_id: int, scope: set[int] | None) -> Suggestion:
    query = Suggestion.filter(id=suggestion_id)
    row = await (query.select_for_update() if is_postgres() else query).first()
    if row is None or (scope is not None and row.warehouse_id not in scope):
        raise NotFound("suggestion", suggestion_id, ("id",))
    return row


async def suggestion_update(
    suggestion_id: int, quantity: Decimal, scope: set[int] | None, supplier_code: str | None = None
) -> Suggestion:
    if not quantity.is_finite() or quantity < 0 or quantity >= Decimal("1e12"):
        raise ValidationError("quantity must be 0 or more (base units)", ("quantity",))
    async with in_transaction():
        row = await _locked(suggestion_id, scope)
        if row.status != DRAFT:
            raise Conflict(f"suggestion {row.id} is {row.status}: only drafts change", ("id",))
        if supplier_code is not None:
            supplier = await Supplier.get_or_none(code=supplier_code, active=True)
            if supplier is None:
                raise NotFound("supplier", supplier_code, ("supplierCode",))
            offers = [
                o for o in await position.offers(row.sku_id, row.period_start) if o.supplier_id == supplier.id
            ]
            row.supplier_id = supplier.id
            row.unit_price = min((o.unit_price for o in offers), default=row.unit_price)
        row.quantity = quantity.quantize(Decimal("0.0001"))
        await row.save()
        return row


async def suggestion_reject(
    suggestion_id: int, user_id: int, now: datetime, scope: set[int] | None
) -> Suggestion:
    async with in_transaction():
        row = await _locked(suggestion_id, scope)
        if row.status != DRAFT:
            raise Conflict(f"suggestion {row.id} is {row.status}: only drafts are rejected", ("id",))
        row.status, row.decided_by_id, row.decided_at = REJECTED, user_id, now
        await row.save()
        return row


async def suggestions_approve(
    suggestion_ids: list[int], user_id: int, now: datetime, scope: set[int] | None
) -> list[Suggestion]:
    """Drafts -> confirmed purchase orders, one per supplier × warehouse; all or nothing."""
    if not suggestion_ids or len(suggestion_ids) > MAX_IDS:
        raise ValidationError(f"approve 1..{MAX_IDS} suggestions at a time", ("ids",))
    async with in_transaction():
        rows = [await _locked(i, scope) for i in sorted(set(suggestion_ids))]
        groups: dict[tuple[int, int], list[Suggestion]] = defaultdict(list)
        for i, row in enumerate(rows):
            if row.status != DRAFT:
                raise Conflict(
                    f"suggestion {row.id} is {row.status}: only drafts are approved", ("ids", str(i))
                )
            if row.supplier_id is None:
                raise ValidationError(
                    f"suggestion {row.id} has no supplier: choose one first", ("ids", str(i))
                )
            if row.quantity <= 0:
                raise ValidationError(f"suggestion {row.id} orders nothing", ("ids", str(i)))
            await _check_moq(row, i)
            groups[(row.supplier_id, row.warehouse_id)].append(row)
        for (supplier_id, warehouse_id), members in sorted(groups.items()):
            supplier = await Supplier.get(id=supplier_id)
            warehouse = await Warehouse.get(id=warehouse_id)
            skus = {s.id: s for s in await Sku.filter(id__in=[m.sku_id for m in members])}
            lines = [
                OrderLineInput(
                    skus[m.sku_id].code, m.quantity, skus[m.sku_id].base_unit, m.unit_price or Decimal(0)
                )
                for m in members
            ]
            posted = await purchasing.purchase_order_create(
                supplier.code, warehouse.code, lines, note="补货建议单 / replenishment suggestion"
            )
            # An order that approval rules hold stays a draft waiting for its approvers (issue 17).
            await purchasing.purchase_order_confirm_or_wait(posted.document_id, now, user_id)
            for m in members:
                m.status, m.purchase_order_id, m.decided_by_id, m.decided_at = (
                    APPROVED,
                    posted.document_id,
                    user_id,
                    now,
                )
                await m.save()
        return rows


async def _check_moq(row: Suggestion, index: int) -> None:
    offers = [
        o for o in await position.offers(row.sku_id, row.period_start) if o.supplier_id == row.supplier_id
    ]
    moq = min((o.min_quantity for o in offers), default=Decimal(0))
    if row.quantity < moq:
        raise ValidationError(
            f"suggestion {row.id}: {row.quantity} is under the supplier's minimum order of {moq}",
            ("ids", str(index)),
        )
    packs = [o.pack_size for o in offers if o.min_quantity <= row.quantity]
    if packs and all(row.quantity % p for p in packs):
        raise ValidationError(
            f"suggestion {row.id}: {row.quantity} is not a whole number of packs of {min(packs)}",
            ("ids", str(index)),
        )


async def store_scope(user_id: int, store_manager: bool) -> set[int] | None:
    """The warehouses a store manager may act on (its stores); None (all) for other roles."""
    if not store_manager:
        return None
    rows = await StoreAssignment.filter(user_id=user_id).values_list("warehouse_id", flat=True)
    return {cast(int, r) for r in rows}
