"""Recall as a workflow on PostgreSQL: every affected lot blocked in every warehouse and in transit, the
customers' notice, recalled stock destroyed through the ledger, the close with its summary and EPCIS record,
and the public page of an affected lot showing the notice."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from api.app import create_app
from domain.catalog.models import Sku
from domain.common.errors import Conflict
from domain.inventory import services as inventory
from domain.inventory import transfers
from domain.inventory.models import Batch, StockMove
from domain.provenance import services as provenance
from domain.quality import services as quality
from domain.recall import services as recalls
from domain.recall.models import RecallDocument, RecallLot
from domain.sales import shipments
from domain.trace import services as trace
from domain.trace.models import TraceEvent
from lotline.config import Settings
from tests import factories
from tests.factories import NOW, code

LATER = NOW + timedelta(hours=1)
RECALL_AT = NOW + timedelta(hours=3)
NOTICE_ZH = "检出李斯特菌，请停止销售并退回"
NOTICE_EN = "Listeria found: stop selling and send it back"


@dataclass(frozen=True)
class World:
    raw: Sku
    packed: Sku
    lot: factories.ReceivedLot
    out: Batch
    warehouses: tuple[factories.WarehouseRef, ...]
    customers: tuple[factories.PartnerRef, ...]


async def _world() -> World:
    """20 kg received at wh1; 5 kg moved to wh2, 3 kg on the road to wh3; 4 kg repacked into another lot;
    3 kg shipped to one customer, 2 of the repacked lot to another."""
    wh1, wh2, wh3 = [await factories.make_warehouse() for _ in range(3)]
    raw, packed = await factories.make_sku(), await factories.make_sku()
    c1, c2 = await factories.make_customer(), await factories.make_customer()
    lot = await factories.receive(raw, wh1, await factories.make_supplier(), Decimal(20))
    today = NOW.date()
    moved = await transfers.transfer_ship(
        wh1.code, wh2.code, [transfers.TransferLineInput(raw.code, Decimal(5), lot.batch_id)], today, LATER
    )
    await transfers.transfer_receive(moved.document_id, wh2.bins[0], LATER)
    await transfers.transfer_ship(
        wh1.code, wh3.code, [transfers.TransferLineInput(raw.code, Decimal(3), lot.batch_id)], today, LATER
    )
    out_code = code("OUT")
    await trace.batch_transform(
        [trace.TransformInput(lot.batch_id, wh1.bins[0], Decimal(4))],
        [trace.TransformOutput(packed.code, out_code, Decimal(4), wh1.bins[1])],
        LATER,
    )
    o1 = await factories.make_sales_order(c1, wh1, raw, Decimal(3))
    await shipments.shipment_post(o1.id, [shipments.ShipmentLineInput(o1.line_id, Decimal(3))], LATER)
    o2 = await factories.make_sales_order(c2, wh1, packed, Decimal(2))
    await shipments.shipment_post(o2.id, [shipments.ShipmentLineInput(o2.line_id, Decimal(2))], LATER)
    out = await Batch.get(sku_id=packed.id, lot_code=out_code)
    return World(raw, packed, lot, out, (wh1, wh2, wh3), (c1, c2))


async def _open(w: World, key: str | None = None):
    return await recalls.recall_open(
        w.lot.batch_id, "supplier alert", NOTICE_ZH, NOTICE_EN, RECALL_AT, key=key
    )


async def test_a_recall_blocks_every_affected_lot_in_every_warehouse_and_in_transit(db):
    w = await _world()
    wh1, wh2, wh3 = w.warehouses
    before = {
        "wh1": await factories.on_hand(w.raw, wh1.bins[0]),
        "wh2": await factories.on_hand(w.raw, wh2.bins[0]),
        "transit": await factories.on_hand(w.raw, wh3.transit),
        "packed": await factories.on_hand(w.packed),
    }
    assert before == {"wh1": Decimal(5), "wh2": Decimal(5), "transit": Decimal(3), "packed": Decimal(2)}

    posted = await _open(w)

    for sku in (w.raw, w.packed):
        assert await factories.on_hand(sku) == 0  # nothing available anywhere
    assert await factories.on_hand(w.raw, wh1.bins[0], "blocked") == before["wh1"]
    assert await factories.on_hand(w.raw, wh2.bins[0], "blocked") == before["wh2"]
    assert await factories.on_hand(w.raw, wh3.transit, "blocked") == before["transit"]
    assert await factories.on_hand(w.packed, None, "blocked") == before["packed"]
    assert {b.status for b in await Batch.filter(id__in=[w.lot.batch_id, w.out.id])} == {"blocked"}
    lots = await RecallLot.filter(recall_id=posted.document_id).order_by("batch_id")
    assert [(r.batch_id, r.previous_status) for r in lots] == [
        (w.lot.batch_id, "available"),
        (w.out.id, "available"),
    ]
    # Through the ledger: a status move per quant, under the recall's own document type.
    moves = await StockMove.filter(doc_type="recall_block", batch_id__in=[w.lot.batch_id, w.out.id])
    assert sorted(Decimal(m.quantity) for m in moves) == [Decimal(2), Decimal(3), Decimal(5), Decimal(5)]
    assert {(m.from_status, m.to_status) for m in moves} == {("available", "blocked")}


async def test_a_recalled_lot_is_not_released_and_a_recall_is_opened_once(db):
    w = await _world()
    await _open(w)

    with pytest.raises(Conflict, match="recall"):
        await inventory.batch_release(w.out.id, RECALL_AT)
    with pytest.raises(Conflict, match="blocked"):  # nor relabelled as merely quarantined by an inspection
        await quality.quality_check_start(w.lot.batch_id, "质检员", RECALL_AT)
    assert {b.status for b in await Batch.filter(id__in=[w.lot.batch_id, w.out.id])} == {"blocked"}
    with pytest.raises(Conflict, match="open recall"):
        await _open(w)
    assert await RecallDocument.filter(batch_id=w.lot.batch_id).count() == 1


async def test_a_recall_key_replays_and_the_same_key_for_another_request_is_a_conflict(db):
    w = await _world()
    key = code("K")
    first = await _open(w, key=key)

    again = await _open(w, key=key)
    assert (again.replayed, again.document_id) == (True, first.document_id)
    with pytest.raises(Conflict):
        await recalls.recall_open(w.lot.batch_id, "other", "别的", "other", RECALL_AT, key=key)
    assert await RecallDocument.filter(batch_id=w.lot.batch_id).count() == 1


async def test_the_notice_lists_each_customer_with_quantities_and_destruction_and_close_are_recorded(db):
    w = await _world()
    posted = await _open(w)
    c1, c2 = w.customers

    notice = await recalls.recall_notice(posted.document_id)
    got = {c.code: (c.shipped, c.outstanding) for c in notice.customers}
    assert got == {
        c1.code: ({w.raw.base_unit: Decimal(3)}, {w.raw.base_unit: Decimal(3)}),
        c2.code: ({w.packed.base_unit: Decimal(2)}, {w.packed.base_unit: Decimal(2)}),
    }
    csv = notice.csv().decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("recall,customer_code,customer_name,sku_code,lot_code,shipped")
    for needed in (c1.code, c2.code, NOTICE_ZH, NOTICE_EN, w.out.lot_code, w.lot.lot_code):
        assert needed in csv

    destroyed = await recalls.recall_destroy(posted.document_id, w.out.id, RECALL_AT)
    assert await factories.on_hand(w.packed, None, None) == 0
    scrapped = await StockMove.filter(doc_type="batch_destruction", doc_id=destroyed.document_id)
    assert [Decimal(m.quantity) for m in scrapped] == [Decimal(2)]

    await recalls.recall_close(posted.document_id, RECALL_AT + timedelta(hours=1))

    doc = await RecallDocument.get(id=posted.document_id)
    assert doc.status == "closed"
    unit = w.raw.base_unit
    assert doc.summary is not None
    assert Decimal(doc.summary["destroyed"][unit]) == Decimal(2)
    assert Decimal(doc.summary["held"][unit]) == Decimal(13)  # 5 + 5 + 3 in transit, still blocked
    assert Decimal(doc.summary["outstanding"][unit]) == Decimal(5)  # 3 + 2 with customers (one unit: kg)
    event = await TraceEvent.get(id=doc.close_event_id)
    assert (event.body["disposition"], event.body["bizStep"]) == ("recalled", "holding")
    classes = {q["epcClass"] for q in event.body["quantityList"]}
    assert len(classes) == 2
    assert {c.rsplit(":", 1)[-1] for c in classes} == {w.lot.lot_code, w.out.lot_code}
    # Closed is not released: the lots stay blocked.
    assert {b.status for b in await Batch.filter(id__in=[w.lot.batch_id, w.out.id])} == {"blocked"}
    with pytest.raises(Conflict):
        await recalls.recall_destroy(posted.document_id, w.lot.batch_id, RECALL_AT)


@pytest.fixture
async def client(db: object, pg_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(pg_settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def test_the_public_page_of_an_affected_lot_shows_the_recall_notice_in_both_languages(db, client):
    w = await _world()
    code_raw = await provenance.public_code_for(w.lot.batch_id)
    code_out = await provenance.public_code_for(w.out.id)
    assert 'id="recall"' not in (await client.get(f"/p/{code_out}")).text

    posted = await _open(w)

    doc = await RecallDocument.get(id=posted.document_id)
    for public in (code_raw, code_out):
        html = (await client.get(f"/p/{public}")).text
        assert 'id="recall"' in html
        for needed in (NOTICE_ZH, NOTICE_EN, doc.number, "正在召回", "being recalled"):
            assert needed in html
