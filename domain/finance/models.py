"""The journal, the chart of accounts and posting rules, periods, supplier bills, customer invoices, payments.

Journal entries and their lines are append-only: a correction is a reversing entry. Money columns hold yuan
in cents (two decimals); see ``rules`` for the rounding rule.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Category
    from domain.partners.models import Customer, Supplier
    from domain.purchasing.models import PurchaseOrderLine
    from domain.sales.models import CustomerReturnLine, ShipmentLine


def _money(default: int | None = None) -> "fields.DecimalField[Decimal]":
    if default is None:
        return fields.DecimalField(max_digits=20, decimal_places=2)
    return fields.DecimalField(max_digits=20, decimal_places=2, default=default)


class Account(Model):
    # One account of the chart; ``control`` accounts mirror a sub-ledger and take automatic postings only.
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    type = fields.CharField(max_length=16)
    control = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "fin_account"


class PostingRule(Model):
    # Which account a role posts to, for one SKU category or (category null) for all the others.
    id = fields.IntField(primary_key=True)
    role = fields.CharField(max_length=32)
    category: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "lotline.Category", related_name="posting_rules", null=True, on_delete=fields.RESTRICT
    )
    category_id: int | None
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "lotline.Account", related_name="rules", on_delete=fields.RESTRICT
    )
    account_id: int

    class Meta:
        table = "fin_posting_rule"
        unique_together = (("role", "category"),)


class FiscalPeriod(Model):
    # A month of the books; once closed, nothing dated inside it posts.
    id = fields.IntField(primary_key=True)
    period = fields.CharField(max_length=7, unique=True)  # "2026-03"
    closed = fields.BooleanField(default=False)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "fin_period"


class JournalEntry(Model):
    # 凭证: posted with a document (doc_type, doc_id) or by hand; a reversal points at what it reverses.
    id = fields.BigIntField(primary_key=True)
    entry_date = fields.DateField(db_index=True)
    period = fields.CharField(max_length=7, db_index=True)
    doc_type = fields.CharField(max_length=32)
    doc_id = fields.BigIntField()
    memo = fields.TextField(default="")
    source = fields.CharField(max_length=16, default="auto")  # auto | manual | reversal
    reversal_of: fields.ForeignKeyNullableRelation["JournalEntry"] = fields.ForeignKeyField(
        "lotline.JournalEntry", related_name="reversals", null=True, unique=True, on_delete=fields.RESTRICT
    )
    reversal_of_id: int | None
    posted_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fin_journal_entry"
        indexes = (("doc_type", "doc_id"),)


class JournalLine(Model):
    # The entry's date and document are copied onto each line so ledgers and balances read one table.
    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[JournalEntry] = fields.ForeignKeyField(
        "lotline.JournalEntry", related_name="lines", on_delete=fields.RESTRICT
    )
    entry_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "lotline.Account", related_name="lines", on_delete=fields.RESTRICT
    )
    account_id: int
    entry_date = fields.DateField()
    debit = _money(default=0)
    credit = _money(default=0)
    partner_kind = fields.CharField(max_length=16, null=True)  # supplier | customer
    partner_id = fields.IntField(null=True)
    sku_id = fields.IntField(null=True)
    doc_type = fields.CharField(max_length=32)
    doc_id = fields.BigIntField()
    memo = fields.CharField(max_length=200, default="")

    class Meta:
        table = "fin_journal_line"
        indexes = (("account_id", "entry_date"), ("partner_kind", "partner_id"))


class PurchaseAccrual(Model):
    # The GRNI sub-ledger per purchase order line: received (net of returns) against billed.
    id = fields.IntField(primary_key=True)
    order_line: fields.OneToOneRelation["PurchaseOrderLine"] = fields.OneToOneField(
        "lotline.PurchaseOrderLine", related_name="accrual", on_delete=fields.RESTRICT
    )
    order_line_id: int
    received_quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    received_amount = _money(default=0)
    billed_quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    billed_amount = _money(default=0)

    class Meta:
        table = "fin_purchase_accrual"


class SupplierBill(Model):
    # A supplier's invoice (kind bill) or credit note (kind credit_note, negative amounts).
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    supplier: fields.ForeignKeyRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="bills", on_delete=fields.RESTRICT
    )
    supplier_id: int
    kind = fields.CharField(max_length=16, default="bill")
    status = fields.CharField(max_length=24, db_index=True)  # pending_approval -> posted | rejected
    supplier_ref = fields.CharField(max_length=64, default="")  # the fapiao number
    bill_date = fields.DateField(db_index=True)
    net = _money()
    tax = _money()
    total = _money()
    paid = _money(default=0)
    problems = fields.TextField(default="")
    entry_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # From the supplier's payment terms at posting: the last instalment's date, and every instalment.
    due_date = fields.DateField(null=True, db_index=True)
    schedule: list[dict[str, str]] | None = fields.JSONField(
        default=list, null=True
    )  # [{"dueDate", "amount"}]
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "fin_supplier_bill"


class SupplierBillLine(Model):
    id = fields.IntField(primary_key=True)
    bill: fields.ForeignKeyRelation[SupplierBill] = fields.ForeignKeyField(
        "lotline.SupplierBill", related_name="lines", on_delete=fields.CASCADE
    )
    bill_id: int
    order_line: fields.ForeignKeyRelation["PurchaseOrderLine"] = fields.ForeignKeyField(
        "lotline.PurchaseOrderLine", related_name="bill_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    sku_id = fields.IntField()
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # base units, negative on credit notes
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4)  # per base unit, before tax
    matched_quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    net = _money()
    tax_rate = fields.DecimalField(max_digits=6, decimal_places=4)
    tax = _money()
    cleared = _money()
    variance = _money()

    class Meta:
        table = "fin_supplier_bill_line"


class CustomerInvoice(Model):
    # An invoice from shipments (kind invoice) or a credit note from a customer return (negative amounts).
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    customer: fields.ForeignKeyRelation["Customer"] = fields.ForeignKeyField(
        "lotline.Customer", related_name="invoices", on_delete=fields.RESTRICT
    )
    customer_id: int
    kind = fields.CharField(max_length=16, default="invoice")
    invoice_date = fields.DateField(db_index=True)
    net = _money()
    tax = _money()
    total = _money()
    paid = _money(default=0)
    entry_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # From the customer's payment terms at posting: the last instalment's date, and every instalment.
    due_date = fields.DateField(null=True, db_index=True)
    schedule: list[dict[str, str]] | None = fields.JSONField(
        default=list, null=True
    )  # [{"dueDate", "amount"}]
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "fin_customer_invoice"


class CustomerInvoiceLine(Model):
    id = fields.IntField(primary_key=True)
    invoice: fields.ForeignKeyRelation[CustomerInvoice] = fields.ForeignKeyField(
        "lotline.CustomerInvoice", related_name="lines", on_delete=fields.CASCADE
    )
    invoice_id: int
    shipment_line: fields.ForeignKeyNullableRelation["ShipmentLine"] = fields.ForeignKeyField(
        "lotline.ShipmentLine", related_name="invoice_line", null=True, unique=True, on_delete=fields.RESTRICT
    )
    shipment_line_id: int | None
    return_line: fields.ForeignKeyNullableRelation["CustomerReturnLine"] = fields.ForeignKeyField(
        "lotline.CustomerReturnLine",
        related_name="credit_line",
        null=True,
        unique=True,
        on_delete=fields.RESTRICT,
    )
    return_line_id: int | None
    sku_id = fields.IntField()
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4)
    net = _money()
    tax_rate = fields.DecimalField(max_digits=6, decimal_places=4)
    tax = _money()
    tax_exempt = fields.BooleanField(default=False)  # 免税: printed on the invoice, no output VAT

    class Meta:
        table = "fin_customer_invoice_line"


class Payment(Model):
    # Money paid to a supplier (direction out) or received from a customer (in), allocated to documents.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    direction = fields.CharField(max_length=8)
    partner_kind = fields.CharField(max_length=16)
    partner_id = fields.IntField()
    method = fields.CharField(max_length=8, default="bank")  # bank | cash
    amount = _money()
    paid_on = fields.DateField(db_index=True)
    reference = fields.CharField(max_length=64, default="")
    entry_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fin_payment"


class PaymentAllocation(Model):
    id = fields.IntField(primary_key=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "lotline.Payment", related_name="allocations", on_delete=fields.CASCADE
    )
    payment_id: int
    bill: fields.ForeignKeyNullableRelation[SupplierBill] = fields.ForeignKeyField(
        "lotline.SupplierBill", related_name="allocations", null=True, on_delete=fields.RESTRICT
    )
    bill_id: int | None
    invoice: fields.ForeignKeyNullableRelation[CustomerInvoice] = fields.ForeignKeyField(
        "lotline.CustomerInvoice", related_name="allocations", null=True, on_delete=fields.RESTRICT
    )
    invoice_id: int | None
    amount = _money()

    class Meta:
        table = "fin_payment_allocation"
