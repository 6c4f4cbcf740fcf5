"""The supplier's documents, read-only: quality verdicts of the lots it delivered, its bills, a goods receipt
with its lines. Same scope rule as ``views``: ``supplier_id`` (``None``: staff), ``NotFound`` otherwise."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.asn.services import scoped_order
from domain.catalog.models import Sku
from domain.common.errors import NotFound
from domain.finance.models import SupplierBill
from domain.inventory.models import Batch
from domain.purchasing.models import GoodsReceipt, GoodsReceiptLine
from domain.quality.models import QualityCheck


@dataclass(frozen=True)
class BillView:
    id: int
    number: str
    kind: str
    status: str
    supplier_ref: str
    bill_date: date
    total: Decimal
    paid: Decimal


@dataclass(frozen=True)
class Verdict:
    check_number: str
    lot_code: str
    sku_code: str
    name_zh: str
    status: str  # pending | inspecting | passed | failed
    decided_at: datetime | None
    receipt_id: int | None


async def verdicts(supplier_id: int | None, limit: int = 100) -> list[Verdict]:
    """Quality checks of lots this supplier delivered, newest first."""
    query = QualityCheck.all()
    if supplier_id is not None:
        query = query.filter(batch__supplier_id=supplier_id)
    checks = await query.order_by("-id").limit(limit)
    batches = {b.id: b for b in await Batch.filter(id__in={c.batch_id for c in checks})}
    skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in batches.values()})}
    return [
        Verdict(
            c.number or "",
            batches[c.batch_id].lot_code,
            skus[batches[c.batch_id].sku_id].code,
            skus[batches[c.batch_id].sku_id].name_zh,
            c.status,
            c.decided_at,
            c.origin_doc_id if c.origin_doc_type == "goods_receipt" else None,
        )
        for c in checks
    ]


async def bills(supplier_id: int | None, limit: int = 100) -> list[BillView]:
    query = SupplierBill.all()
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    return [
        BillView(
            b.id,
            b.number or "",
            b.kind,
            b.status,
            b.supplier_ref,
            b.bill_date,
            Decimal(b.total),
            Decimal(b.paid),
        )
        for b in await query.order_by("-id").limit(limit)
    ]


async def receipt_lines(
    receipt_id: int, supplier_id: int | None
) -> tuple[GoodsReceipt, list[tuple[str, str, Decimal, str]]]:
    """A receipt of the caller's scope with its lines: (SKU code, lot, quantity, base unit)."""
    receipt = await GoodsReceipt.get_or_none(id=receipt_id)
    if receipt is None:
        raise NotFound("goods receipt", receipt_id)
    await scoped_order(receipt.order_id, supplier_id)  # NotFound when out of scope
    out = []
    for ln in await GoodsReceiptLine.filter(receipt_id=receipt.id).order_by("id"):
        batch = await Batch.get(id=ln.batch_id)
        sku = await Sku.get(id=batch.sku_id)
        out.append((sku.code, batch.lot_code, Decimal(ln.quantity_base), sku.base_unit))
    return receipt, out
