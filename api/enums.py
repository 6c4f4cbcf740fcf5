"""Enums of the filter arguments: statuses, kinds and document types, so a filter takes only a real value.

Each member's value is the string stored in the database (and shown by the types' ``status`` fields); the
GraphQL name is its upper-case form (``batches(status: QUARANTINE)``). tests/unit/api/test_filter_enums.py
checks that each matches the domain's own list.
"""

from enum import StrEnum

import strawberry


@strawberry.enum(
    description="The status of a batch or of a stock line (InvenTree-style, with gaps for more)."
)
class StockStatus(StrEnum):
    AVAILABLE = "available"
    QUARANTINE = "quarantine"
    BLOCKED = "blocked"
    REJECTED = "rejected"
    EXPIRED = "expired"


@strawberry.enum(description="What a location is: ours (internal, transit) or a virtual counterpart.")
class LocationKind(StrEnum):
    INTERNAL = "internal"
    TRANSIT = "transit"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    ADJUSTMENT = "adjustment"
    SCRAP = "scrap"


@strawberry.enum(description="Where an anchor stands on the chain.")
class AnchorState(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    DROPPED = "dropped"


@strawberry.enum
class PurchaseOrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@strawberry.enum
class SalesOrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@strawberry.enum
class StockCountStatus(StrEnum):
    FROZEN = "frozen"
    POSTED = "posted"
    CANCELLED = "cancelled"


@strawberry.enum
class TransferStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


@strawberry.enum
class QualityCheckStatus(StrEnum):
    PENDING = "pending"
    INSPECTING = "inspecting"
    PASSED = "passed"
    FAILED = "failed"


@strawberry.enum
class SupplierBillStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    POSTED = "posted"
    REJECTED = "rejected"


@strawberry.enum(description="The kind of document that posted a stock move or a journal entry.")
class DocumentType(StrEnum):
    GOODS_RECEIPT = "goods_receipt"
    SUPPLIER_RETURN = "supplier_return"
    SHIPMENT = "shipment"
    CUSTOMER_RETURN = "customer_return"
    STOCK_COUNT = "stock_count"
    TRANSFER = "transfer"
    TRANSFORMATION = "transformation"
    BATCH_DESTRUCTION = "batch_destruction"
    BATCH_BLOCK = "batch_block"
    BATCH_RELEASE = "batch_release"
    QUALITY_CHECK = "quality_check"
    SUPPLIER_BILL = "supplier_bill"
    CUSTOMER_INVOICE = "customer_invoice"
    PAYMENT = "payment"
    MANUAL = "manual"


def value_of(member: StrEnum | None) -> str | None:
    """The stored string of a filter's member (None: no filter)."""
    return None if member is None else member.value


@strawberry.enum(description="Whose side of the books: suppliers (payables) or customers (receivables).")
class PartnerKind(StrEnum):
    SUPPLIER = "supplier"
    CUSTOMER = "customer"


@strawberry.enum(description="A finance report that can be exported.")
class FinanceReport(StrEnum):
    TRIAL_BALANCE = "trial_balance"
    AGEING = "ageing"


@strawberry.enum(description="A file format for exports.")
class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@strawberry.enum(description="Where a production order stands.")
class ProductionOrderStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


@strawberry.enum(
    description="Where an attestation is: collecting signatures, queued for the chain, recorded on it."
)
class AttestationState(StrEnum):
    COLLECTING = "collecting"
    SUBMITTING = "submitting"
    RECORDED = "recorded"


@strawberry.enum(description="Who a co-signing party is: 供应商 supplier, 检验方 inspector, 承运商 carrier.")
class PartyRole(StrEnum):
    SUPPLIER = "supplier"
    INSPECTOR = "inspector"
    CARRIER = "carrier"


@strawberry.enum(description="What an attestation claims about the batch's anchored history.")
class AttestationClaim(StrEnum):
    ORIGIN = "origin"
    QC_VERDICT = "qc_verdict"
    COLD_CHAIN = "cold_chain"


@strawberry.enum(description="A record type that can carry custom fields.")
class CustomFieldEntity(StrEnum):
    SKU = "sku"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    PURCHASE_ORDER = "purchase_order"
    PURCHASE_ORDER_LINE = "purchase_order_line"
    GOODS_RECEIPT = "goods_receipt"
    BATCH = "batch"
    SALES_ORDER = "sales_order"
    SUPPLIER_BILL = "supplier_bill"
    CUSTOMER_INVOICE = "customer_invoice"
    ASN = "asn"


@strawberry.enum(description="The type of a custom field's values.")
class CustomFieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DECIMAL = "decimal"
    DATE = "date"
    ENUM = "enum"
    BOOLEAN = "boolean"


@strawberry.enum(
    description="How a custom filter compares: eq for every kind, gte/lte for numbers and dates."
)
class CustomFilterOp(StrEnum):
    EQ = "eq"
    GTE = "gte"
    LTE = "lte"


@strawberry.enum(description="The direction of a custom sort; records without a value come last either way.")
class SortDirection(StrEnum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum(description="What ageing counts days from: the document date or each instalment's due date.")
class AgeingBasis(StrEnum):
    DOCUMENT_DATE = "document_date"
    DUE_DATE = "due_date"


@strawberry.enum(description="What a partner mapping produces.")
class MappingTarget(StrEnum):
    ASN = "asn"
    SALES_ORDER = "sales_order"
    PRICE_LIST = "price_list"
