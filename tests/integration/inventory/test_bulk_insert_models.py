"""``bulk_insert.insert_models`` (issue 15) writes on PostgreSQL, in one hand-written statement, the rows
the ORM's ``create`` / ``bulk_create`` write: every column the same (decimals, dates, aware datetimes, JSON,
defaults, ``auto_now_add``), and a document's number the one ``document_number`` gives its id."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.common import bulk_insert
from domain.common.models import IdempotencyKey, OutboxMessage
from domain.common.services import document_number
from domain.finance import journal
from domain.finance.models import JournalEntry, JournalLine
from domain.inventory.models import StockMove
from domain.purchasing.models import GoodsReceipt
from domain.trace.models import TraceEvent
from tests import factories

AT = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database."""


async def _row(model: type[Model], pk: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    values = (await model.filter(pk=pk).values())[0]
    return {k: v for k, v in values.items() if k not in ("id", *skip)}


async def _same(make: Any, skip: tuple[str, ...] = ()) -> None:
    """One object through insert_models, its twin through Model.save: the same stored row."""
    ours, theirs = make(), make()
    await bulk_insert.insert_models([ours])
    await theirs.save()
    assert ours.pk is not None
    assert ours.pk != theirs.pk
    model = type(ours)
    assert await _row(model, ours.pk, skip) == await _row(model, theirs.pk, skip)


async def _single_rows(unique: Any) -> None:
    async with in_transaction():
        payload = {"trace_event_id": 7, "leaf": "ab" * 32, "名": [1, "二", None, {"x": 1.5}]}
        await _same(lambda: OutboxMessage(topic="trace.anchor", payload=payload), ("created_at",))
        await _same(
            lambda: IdempotencyKey(
                scope="test", key=unique("K"), fingerprint="f" * 64, result={"document_id": 3}
            ),
            ("created_at", "key"),
        )
        await _same(
            lambda: JournalEntry(entry_date=date(2026, 3, 1), period="2026-03", doc_type="test", doc_id=9),
            ("created_at",),
        )
        await _same(
            lambda: TraceEvent(
                event_id=unique("urn:uuid:"),
                event_type="ObjectEvent",
                action="OBSERVE",
                event_time=AT,
                canonical='{"a":"é"}',
                leaf="c" * 64,
                record_time=AT,
            ),
            ("created_at", "event_id"),
        )
        created = (await OutboxMessage.filter(topic="trace.anchor").order_by("-id").limit(2))[::-1]
        assert abs((created[0].created_at - created[1].created_at).total_seconds()) < 5
        raise _RollBack


async def test_single_rows_are_stored_as_the_orm_stores_them(db, unique):
    with pytest.raises(_RollBack):
        await _single_rows(unique)


async def test_several_rows_and_a_document_number(db):
    sku = await factories.make_sku()
    wh = await factories.make_warehouse()
    supplier = await factories.make_supplier()
    lot = await factories.receive(sku, wh, supplier, Decimal("5"))
    first = await StockMove.filter(doc_type="goods_receipt", doc_id=lot.receipt_id).first()
    assert first is not None
    fields = {
        f: getattr(first, f)
        for f in ("sku_id", "batch_id", "from_location_id", "to_location_id", "from_status", "to_status")
    }

    def move(q: str) -> StockMove:
        return StockMove(
            **fields,
            quantity=Decimal(q),
            unit_cost=Decimal("1.23456"),  # more places than the column: rounded alike
            value=Decimal("-0.00005"),
            doc_type="test-bulk",
            doc_id=lot.receipt_id,
            posted_at=AT,
        )

    async def both_paths() -> None:
        async with in_transaction():
            await bulk_insert.insert_models([move("1.5"), move("2.25")])
            await StockMove.bulk_create([move("1.5"), move("2.25")])
            rows = await StockMove.filter(doc_type="test-bulk").order_by("id").values()
            ours, theirs = rows[:2], rows[2:]
            assert [{k: v for k, v in r.items() if k != "id"} for r in ours] == [
                {k: v for k, v in r.items() if k != "id"} for r in theirs
            ]

            receipt = GoodsReceipt(
                order_id=lot.order.id, warehouse_id=wh.id, received_at=AT, custom={"colour": "红"}
            )
            number = await bulk_insert.insert_document(receipt, "GR")
            stored = await GoodsReceipt.get(id=receipt.id)
            assert number == stored.number == document_number("GR", receipt.id)
            assert stored.custom == {"colour": "红"}
            assert stored.received_at == AT
            # With its id drawn beforehand (as locked_order_lines draws it): the same row, that id's number.
            drawn = GoodsReceipt(
                order_id=lot.order.id, warehouse_id=wh.id, received_at=AT, custom={"colour": "红"}
            )
            drawn.id = receipt.id + 1000
            assert await bulk_insert.insert_document(drawn, "GR") == document_number("GR", drawn.id)
            again = await GoodsReceipt.get(id=drawn.id)
            assert {k: v for k, v in again.__dict__.items() if k not in ("id", "number", "_partial")} == {
                k: v for k, v in stored.__dict__.items() if k not in ("id", "number", "_partial")
            }
            assert again.number == document_number("GR", drawn.id)
            raise _RollBack

    with pytest.raises(_RollBack):
        await both_paths()


async def test_sqlite_takes_the_orm_path_with_the_same_number(sqlite_db):
    sku = await factories.make_sku()
    wh = await factories.make_warehouse()
    supplier = await factories.make_supplier()
    lot = await factories.receive(sku, wh, supplier, Decimal("5"))
    receipt = await GoodsReceipt.get(id=lot.receipt_id)
    assert receipt.number == document_number("GR", receipt.id)
    assert await StockMove.filter(doc_type="goods_receipt", doc_id=receipt.id).count() == 1


async def _entry_both_paths(account_ids: list[int]) -> None:
    def entry() -> JournalEntry:
        return JournalEntry(entry_date=date(2026, 3, 1), period="2026-03", doc_type="test-bulk", doc_id=4)

    def lines() -> list[JournalLine]:
        return [
            JournalLine(
                account_id=a,
                entry_date=date(2026, 3, 1),
                debit=Decimal("12.34") if i % 2 == 0 else Decimal(0),
                credit=Decimal(0) if i % 2 == 0 else Decimal("12.34"),
                partner_kind="supplier" if i else None,
                partner_id=7 if i else None,
                doc_type="test-bulk",
                doc_id=4,
                memo="行",
            )
            for i, a in enumerate(account_ids)
        ]

    async with in_transaction():
        ours, our_lines = entry(), lines()
        await bulk_insert.insert_with_children(ours, our_lines, "entry_id")
        theirs = await JournalEntry.create(
            **{f: getattr(entry(), f) for f in ("entry_date", "period", "doc_type", "doc_id")}
        )
        their_lines = lines()
        for ln in their_lines:
            ln.entry_id = theirs.id
        await JournalLine.bulk_create(their_lines)
        assert ours.pk is not None
        assert {ln.entry_id for ln in our_lines} == {ours.pk}
        assert await _row(JournalEntry, ours.pk, ("created_at",)) == await _row(
            JournalEntry, theirs.pk, ("created_at",)
        )
        skip = {"id", "entry_id"}
        stored = [
            [
                {k: v for k, v in r.items() if k not in skip}
                for r in await JournalLine.filter(entry_id=e).order_by("id").values()
            ]
            for e in (ours.pk, theirs.pk)
        ]
        assert stored[0] == stored[1]
        assert len(stored[0]) == len(account_ids)
        raise _RollBack


async def test_an_entry_and_its_lines_in_one_statement_are_the_orm_rows(db):
    roles = await journal.rule_accounts()
    accounts = sorted(set(roles.by_rule.values()))[:3]
    with pytest.raises(_RollBack):
        await _entry_both_paths(accounts)
