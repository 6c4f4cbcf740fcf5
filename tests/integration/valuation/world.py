"""A small purchasing world for the valuation tests: a SKU counted in kg and bought by the 3-kg box, a
warehouse with two bins, a supplier, and helpers that order, receive, return, bill and read GRNI."""

from dataclasses import dataclass
from decimal import Decimal

from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from domain.catalog.models import Sku
from domain.finance import reports
from domain.finance.journal import role_map
from domain.finance.models import JournalEntry, JournalLine, PurchaseAccrual
from domain.finance.rules import Role
from domain.inventory.models import Batch
from domain.partners.services import PartnerRef
from domain.purchasing import receipts
from domain.purchasing import returns as supplier_returns
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from tests import factories
from tests.factories import NOW, WarehouseRef

D = Decimal
KG_PER_BOX = D(3)


async def make_box_sku() -> Sku:
    return await catalog.create_sku(
        catalog.SkuInput(
            code=factories.code("SKU"),
            name_zh="冷冻虾仁",
            name_en="Frozen shrimp",
            base_unit="kg",
            purchase_unit="box",
            sales_unit="kg",
            units=[catalog_rules.UnitDef("box", KG_PER_BOX)],
        )
    )


@dataclass
class World:
    sku: Sku
    wh: WarehouseRef
    supplier: PartnerRef

    async def order(self, *lines: tuple[Decimal, str, Decimal]) -> tuple[int, list[int]]:
        """A confirmed order of (quantity, unit, unit price) lines; returns its id and its line ids."""
        posted = await purchasing.purchase_order_create(
            self.supplier.code,
            self.wh.code,
            [catalog.OrderLineInput(self.sku.code, q, unit, price) for q, unit, price in lines],
        )
        await purchasing.purchase_order_confirm(posted.document_id, NOW)
        ids = [ol.id for ol in await PurchaseOrderLine.filter(order_id=posted.document_id).order_by("id")]
        return posted.document_id, ids

    async def receive(
        self, order_id: int, line_id: int, quantity: Decimal, lot: str, unit: str | None = None, bin_: int = 0
    ) -> int:
        posted = await receipts.goods_receipt_post(
            order_id,
            [receipts.ReceiptLineInput(line_id, quantity, lot, self.wh.bins[bin_], unit=unit)],
            NOW,
        )
        return posted.document_id

    async def batch(self, lot: str) -> Batch:
        return await Batch.get(sku_id=self.sku.id, lot_code=lot)

    async def give_back(self, order_id: int, line_id: int, lot: str, quantity: Decimal, bin_: int = 0) -> int:
        batch = await self.batch(lot)
        posted = await supplier_returns.supplier_return_post(
            order_id,
            [supplier_returns.ReturnLineInput(line_id, batch.id, self.wh.bins[bin_], quantity)],
            NOW,
        )
        return posted.document_id


async def make_world() -> World:
    return World(await make_box_sku(), await factories.make_warehouse(), await factories.make_supplier())


async def entry_lines(doc_type: str, doc_id: int) -> dict[str, Decimal]:
    """The entry of a document as role -> signed amount (debit +, credit −), summed per role."""
    roles = await role_map()
    by_account = {}
    for role in Role:
        for account in roles.accounts_of(role):
            by_account.setdefault(account.id, role.value)
    entry = await JournalEntry.get(doc_type=doc_type, doc_id=doc_id)
    out: dict[str, Decimal] = {}
    for ln in await JournalLine.filter(entry_id=entry.id):
        role = by_account[ln.account_id]
        out[role] = out.get(role, D(0)) + D(ln.debit) - D(ln.credit)
    return out


async def grni_balance(supplier_id: int) -> Decimal:
    """The supplier's GRNI in the books (credit balance positive)."""
    rec = await reports.reconcile_grni({supplier_id})
    return -rec.books


async def accrual(line_id: int) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    a = await PurchaseAccrual.get(order_line_id=line_id)
    return (
        D(a.received_quantity),
        D(a.received_amount),
        D(a.billed_quantity),
        D(a.billed_amount),
    )
