"""Where each input's limits come from: the column it is stored in, read from the Tortoise model's metadata.

A *coordinate* names one input of the schema: ``"WarehouseCreateInput.code"`` (a field of an input type) or
``"Query.batches(status)"`` (an argument). ``bound_of(coordinate, scalar)`` answers its ``Bound``, found:

1. in ``BY_COORDINATE`` (a column ``"Model.field"``, or a ``Bound`` for what no column of its own stores);
2. by the field's name alone in ``BY_NAME`` (``skuCode`` is a ``Sku.code`` wherever it appears);
3. for ``<Model>CreateInput.<field>``, the model's column of that name (``SkuCreateInput.nameZh`` is
   ``Sku.name_zh``);
4. for an ``ID``, the global-ID rule.

A string or decimal found by none of these gets ``FALLBACK_TEXT`` / ``FALLBACK_DECIMAL`` at run time, and the
coverage test (tests/unit/api/test_boundary_bounds.py) fails naming it: a new field is bound when it is added.
Lengths are in characters (PostgreSQL ``varchar(n)``), decimals ``numeric(max_digits, decimal_places)``.
"""

import importlib
import re
from dataclasses import dataclass
from functools import cache

from tortoise import fields
from tortoise.models import Model

from api.boundary.rules import TextKind
from api.relay import MAX_PAGE
from lotline.db import MODEL_MODULES

TEXT_MAX = 2000  # a TextField (notes, reasons, memos) has no column limit: this is ours
SEARCH_MAX = 100
ID_MAX = 200  # a global ID is base64 of "Type:id"
CURSOR_MAX = 200
CLIENT_KEY_MAX = 128  # domain.common.services.MAX_KEY_LENGTH less the caller's prefix
_CODE_COLUMNS = re.compile(r"(^|_)(code|unit|gln|gtin|ref|reference|number|key|id|sha256|type|role)$")


@dataclass(frozen=True)
class Bound:
    """The limits of one input. ``source`` says where they come from (a column, or the rule's name)."""

    source: str
    kind: TextKind | None = None  # strings
    max_length: int = 0
    max_digits: int = 0  # decimals
    places: int = 0
    minimum: int | None = None  # integers
    maximum: int | None = None


FALLBACK_TEXT = Bound("fallback", TextKind.TEXT, TEXT_MAX)
FALLBACK_DECIMAL = Bound("fallback", max_digits=20, places=4)
_GLOBAL_ID = Bound("global ID", TextKind.CODE, ID_MAX)
_BLS_KEY = Bound("BLS12-381 G1 key, hex (Party.public_key)", TextKind.CODE, 2 + 96)
_BLS_SIGNATURE = Bound("BLS12-381 G2 point, hex (AttestationSignature.signature)", TextKind.CODE, 2 + 192)

# Inputs stored in no column, or in one the name rules cannot guess.
BY_COORDINATE: dict[str, str | Bound] = {
    "Query.node(id)": _GLOBAL_ID,
    "Query.skus(search)": Bound("search", TextKind.TEXT, SEARCH_MAX),
    "Query.suppliers(search)": Bound("search", TextKind.TEXT, SEARCH_MAX),
    "Query.customers(search)": Bound("search", TextKind.TEXT, SEARCH_MAX),
    "Query.locations(pathPrefix)": "Location.path",
    "Query.journalEntries(period)": "JournalEntry.period",
    "Query.eventAnchor(eventId)": "TraceEvent.event_id",
    "Query.anchors(first)": Bound("page size", minimum=0, maximum=100),  # anchoring.queries.MAX_ANCHORS
    "UnitInput.factor": "SkuUnit.factor",
    "LocationCreateInput.capacity": "Location.capacity",
    "CountedLineInput.counted": "StockCountLine.counted",
    "TransferLineInput.quantity": "TransferLine.quantity",
    "OrderLineCreateInput.quantity": "PurchaseOrderLine.quantity",
    "OrderLineCreateInput.unitPrice": "PurchaseOrderLine.unit_price",
    "PurchaseOrderCreateInput.note": "PurchaseOrder.note",
    "SalesOrderCreateInput.note": "SalesOrder.note",
    "ReceiptLineInput.quantity": "GoodsReceiptLine.quantity_base",
    "SensorReadingInput.kind": "BatchAlert.kind",
    "SensorReadingInput.value": "BatchAlert.value",
    "SensorReadingInput.deviceId": "BatchAlert.device_id",
    "SupplierReturnLineInput.quantity": "SupplierReturnLine.quantity_base",
    "SupplierReturnPostInput.reason": "SupplierReturn.reason",
    "ShipmentLineInput.quantity": "ShipmentLine.quantity_base",
    "CustomerReturnLineInput.quantity": "CustomerReturnLine.quantity_base",
    "CustomerReturnPostInput.reason": "CustomerReturn.reason",
    "QualityCheckStartInput.inspector": "QualityCheck.inspector",
    "QualityResultInput.parameter": Bound("quality result (JSON)", TextKind.TEXT, 200),
    "QualityResultInput.value": Bound("quality result (JSON)", TextKind.TEXT, 200),
    "QualityResultInput.limit": Bound("quality result (JSON)", TextKind.TEXT, 200),
    "QualityResultInput.unit": "SkuUnit.unit",
    "AttachmentInput.filename": Bound("attachment (JSON)", TextKind.CODE, 255),
    "AttachmentInput.sha256": Bound("attachment (JSON)", TextKind.CODE, 64),
    "TransformInputLine.quantity": "TransformationLine.quantity",
    "TransformOutputLine.quantity": "TransformationLine.quantity",
    "BatchTransformInput.bizStep": "Transformation.biz_step",
    "BatchTransformInput.note": "Transformation.note",
    "BatchDestroyInput.reason": "BatchDestruction.reason",
    "Query.bomExplosion(quantity)": "ProductionOrder.planned_quantity",
    "BomLineInput.quantity": "BomLine.quantity",
    "BomLineInput.scrapRate": "BomLine.scrap_rate",
    "BomLineInput.unitValue": "BomLine.unit_value",
    "BomLineInput.costThreshold": "BomLine.cost_threshold",
    "BomLineInput.itemGroupCode": "ItemGroup.code",
    "SpecRangeInput.parameter": Bound("BOM line spec (JSON)", TextKind.TEXT, 200),
    "SpecRangeInput.minimum": Bound("BOM line spec (JSON)", max_digits=20, places=4),
    "SpecRangeInput.maximum": Bound("BOM line spec (JSON)", max_digits=20, places=4),
    "BomSubstituteInput.ratio": "BomSubstitute.ratio",
    "RoutingOperationInput.code": "RoutingOperation.code",
    "RoutingOperationInput.workCentre": "RoutingOperation.work_centre",
    "RoutingOperationInput.setupMinutes": "RoutingOperation.setup_minutes",
    "RoutingOperationInput.minutesPerUnit": "RoutingOperation.minutes_per_unit",
    "RoutingOperationInput.labourRate": "RoutingOperation.labour_rate",
    "RoutingOperationInput.overheadRate": "RoutingOperation.overhead_rate",
    "RoutingOperationInput.equipment": Bound("equipment (JSON)", TextKind.CODE, 64),
    "BomDefineInput.yieldRate": "Bom.yield_rate",
    "BomDefineInput.note": "Bom.note",
    "ItemGroupDefineInput.code": "ItemGroup.code",
    "ItemGroupDefineInput.name": "ItemGroup.name",
    "ItemGroupMemberInput.ratio": "ItemGroupMember.ratio",
    "MaterialProcessSetInput.operationCode": "MaterialProcess.operation_code",
    "MaterialProcessSetInput.equipment": Bound("equipment (JSON)", TextKind.CODE, 64),
    "ProductionOrderPlanInput.quantity": "ProductionOrder.planned_quantity",
    "ProductionOrderPlanInput.note": "ProductionOrder.note",
    "ProductionOrderCompleteInput.goodQuantity": "ProductionCompletion.good_quantity",
    "ProductionOrderCompleteInput.scrapQuantity": "ProductionCompletion.scrap_quantity",
    "RecallOpenInput.reason": "RecallDocument.reason",
    "RecallOpenInput.noticeZh": "RecallDocument.notice_zh",
    "RecallOpenInput.noticeEn": "RecallDocument.notice_en",
    "RecallDestroyInput.reason": "BatchDestruction.reason",
    "BatchAlertAcknowledgeInput.note": "BatchAlert.note",
    "BillLineInput.quantity": "SupplierBillLine.quantity",
    "BillLineInput.unitPrice": "SupplierBillLine.unit_price",
    "SupplierBillPostInput.supplierRef": "SupplierBill.supplier_ref",
    "SupplierBillPostInput.statedTax": "SupplierBill.tax",
    "PaymentPostInput.direction": "Payment.direction",
    "PaymentPostInput.amount": "Payment.amount",
    "PaymentPostInput.method": "Payment.method",
    "PaymentPostInput.reference": "Payment.reference",
    "AllocationInput.amount": "PaymentAllocation.amount",
    "ManualLineInput.debit": "JournalLine.debit",
    "ManualLineInput.credit": "JournalLine.credit",
    "ManualLineInput.memo": "JournalLine.memo",
    "JournalEntryPostInput.memo": "JournalEntry.memo",
    "JournalEntryReverseInput.memo": "JournalEntry.memo",
    "PeriodCloseInput.period": "FiscalPeriod.period",
    "PostingRuleSetInput.role": "PostingRule.role",
    "Query.batches(search)": Bound("search", TextKind.TEXT, SEARCH_MAX),
    "Query.channelStock(skuCodes)": "Sku.code",
    "Query.deviceExceptions(status)": "DeviceOperation.status",
    "Query.expiryAlerts(kind)": "ExpiryAlert.kind",
    "Query.expiryAlerts(status)": "ExpiryAlert.status",
    "Query.promotionProposals(status)": "PromotionProposal.status",
    "AllocationRuleSetInput.share": "AllocationRule.share",
    "AllocationRuleSetInput.floor": "AllocationRule.floor",
    "PlatformSkuMapInput.platformSkuId": "PlatformSkuMapping.platform_sku_id",
    "PlatformSkuMapInput.basePerPortion": "PlatformSkuMapping.base_per_portion",
    "PickTaskCreateInput.assignee": "User.username",
    "OperationInput.kind": "DeviceOperation.kind",
    "PickWaveCreateInput.assignee": "User.username",
    "PickWaveCreateInput.zone": "PickTask.zone",
    "PickerZonesSetInput.zones": "Location.path",
    "PickerZonesSetInput.username": "User.username",
    "DeviceExceptionResolveInput.action": Bound("resolution action", TextKind.CODE, 16),
    "DeviceExceptionResolveInput.note": "DeviceOperation.resolution",
    "ExpiryPolicySetInput.markdown": "ExpiryPolicy.markdown",
    "PromotionProposalAcceptInput.markdown": "PromotionProposal.markdown",
    "PromotionProposalAcceptInput.note": "PromotionProposal.note",
    "PromotionProposalDismissInput.note": "PromotionProposal.note",
    "Query.advanceShippingNotices(status)": "AdvanceShippingNotice.status",
    "AsnCreateInput.note": "AdvanceShippingNotice.note",
    "AckLineInput.promisedQuantity": "PurchaseOrderLineAck.promised_quantity",
    "AckLineInput.note": "PurchaseOrderLineAck.note",
    "AsnReceivedLineInput.quantity": "AsnLine.quantity",
    "ArrivalRecordInput.vehicle": "Arrival.vehicle",
    "ArrivalRecordInput.note": "Arrival.note",
    "AsnCancelInput.reason": "AdvanceShippingNotice.cancel_reason",
    # Merged later (forecasting, valuation): bound like the rest.
    "Query.replenishmentSuggestions(status)": "Suggestion.status",
    "Query.forecastRuns(status)": "ForecastRun.status",
    "CountedLineInput.status": "StockCountLine.status",
    "TransferLineInput.status": "TransferLine.status",
    "PromotionInput.name": "Promotion.name",
    "PromotionInput.discount": "Promotion.discount",
    "ReplenishmentSuggestionUpdateInput.quantity": "Suggestion.quantity",
    # Co-signed attestations (issue 19): keys and signatures are hex, "0x" allowed (2 more characters).
    "PartyRegisterInput.name": "Party.name",
    "PartyRegisterInput.publicKey": _BLS_KEY,
    "PartyRegisterInput.proofOfPossession": _BLS_SIGNATURE,
    "PartyRotateKeyInput.publicKey": _BLS_KEY,
    "PartyRotateKeyInput.proofOfPossession": _BLS_SIGNATURE,
    "AttestationSignInput.signature": _BLS_SIGNATURE,
    "AttestationOpenInput.threshold": "Attestation.threshold",
    # Issue 17, approvals and saved reports.
    "PurchaseOrderCreateInput.paymentTermsDays": Bound("payment terms (days)", minimum=0, maximum=3650),
    "ApprovalRuleCreateInput.condition": Bound("JSON Logic condition", TextKind.TEXT, 4000),
    "ApprovalRuleUpdateInput.name": "ApprovalRule.name",
    "ApprovalRuleUpdateInput.documentType": "ApprovalRule.document_type",
    "ApprovalRuleUpdateInput.condition": Bound("JSON Logic condition", TextKind.TEXT, 4000),
    "ApprovalRuleUpdateInput.onReject": "ApprovalRule.on_reject",
    "ApprovalLevelInput.approverRole": "User.role",
    "ApprovalLevelInput.approverUsername": "User.username",
    "ApprovalLevelInput.minAmount": "PurchaseOrderLine.unit_price",
    "ApprovalDecideInput.reason": "ApprovalDecision.reason",
    "Query.approvalRules(documentType)": "ApprovalRule.document_type",
    "ReportSpecInput.fact": Bound("report fact name", TextKind.CODE, 32),
    "ReportSpecInput.dimensions": Bound("report field name", TextKind.CODE, 64),
    "ReportSpecInput.measures": Bound("report field name", TextKind.CODE, 64),
    "ReportSpecInput.sort": Bound("report field name", TextKind.CODE, 64),
    "ReportSpecInput.limit": Bound("report rows", minimum=1, maximum=10_000),
    "ReportFilterInput.field": Bound("report field name", TextKind.CODE, 64),
    "ReportFilterInput.op": Bound("report filter operator", TextKind.CODE, 16),
    "ReportFilterInput.values": Bound("report filter value", TextKind.TEXT, 200),
    "SavedReportCreateInput.sharedRoles": "User.role",
    "SavedReportUpdateInput.name": "SavedReport.name",
    "SavedReportUpdateInput.sharedRoles": "User.role",
    "Query.reportExport(format)": Bound("export format", TextKind.CODE, 8),
    "ForecastRunStartInput.horizonWeeks": Bound("forecast horizon, weeks", minimum=1, maximum=52),
    "ForecastRunStartInput.historyWeeks": Bound("forecast history, weeks", minimum=12, maximum=520),
    "ForecastRunStartInput.shardSkus": Bound("SKUs per forecast shard", minimum=1, maximum=2000),
    "ForecastRunStartInput.folds": Bound("backtest weeks", minimum=1, maximum=26),
    "ForecastRunStartInput.models": Bound("forecast model name", TextKind.CODE, 32),
    "ForecastRunStartInput.warehouseCodes": "Warehouse.code",
    "ForecastRunStartInput.skuCodes": "Sku.code",
    "SupplierPriceInput.unitPrice": "SupplierPrice.unit_price",
    "SupplierPriceInput.currency": "SupplierPrice.currency",
    "SupplierPriceInput.minQuantity": "SupplierPrice.min_quantity",
    "SupplierPriceInput.packSize": "SupplierPrice.pack_size",
    "SupplierPriceInput.capacityPerWeek": "SupplierPrice.capacity_per_week",
    "SupplierPriceInput.leadTimeDays": Bound("lead time, days", minimum=0, maximum=365),
    "PriceBreakInput.minQuantity": "SupplierPriceBreak.min_quantity",
    "PriceBreakInput.unitPrice": "SupplierPriceBreak.unit_price",
    "WeatherImportInput.format": Bound("file format", TextKind.CODE, 8),
    "WeatherImportInput.content": Bound("weather file text", TextKind.TEXT, 2_000_000),
    "WeatherImportInput.source": "WeatherIndex.source",
    # Low-code configuration (custom fields, payment terms, partner mappings).
    "CustomFieldDefineInput.key": "CustomFieldDefinition.key",
    "CustomFieldDefineInput.labelZh": "CustomFieldDefinition.label_zh",
    "CustomFieldDefineInput.labelEn": "CustomFieldDefinition.label_en",
    "CustomFieldDefineInput.pattern": Bound("custom field pattern", TextKind.TEXT, 200),
    "CustomFieldDefineInput.minimum": "CustomFieldDefinition.minimum",
    "CustomFieldDefineInput.maximum": "CustomFieldDefinition.maximum",
    "CustomFieldDefineInput.choices": Bound("custom field choice (JSON)", TextKind.TEXT, 100),
    "CustomFieldDeactivateInput.key": "CustomFieldDefinition.key",
    "CustomFieldFilter.key": "CustomFieldDefinition.key",
    "CustomFieldSort.key": "CustomFieldDefinition.key",
    "PaymentTermsSetInput.code": "Supplier.code",
    "PartnerMappingSaveInput.note": "PartnerMapping.note",
}

# Inputs bound by their name wherever they appear.
BY_NAME: dict[str, str | Bound] = {
    "first": Bound("page size", minimum=0, maximum=MAX_PAGE),
    "after": Bound("cursor", TextKind.CODE, CURSOR_MAX),
    "idempotencyKey": Bound("client idempotency key", TextKind.CODE, CLIENT_KEY_MAX),
    "skuCode": "Sku.code",
    "categoryCode": "Category.code",
    "warehouseCode": "Warehouse.code",
    "fromWarehouseCode": "Warehouse.code",
    "toWarehouseCode": "Warehouse.code",
    "locationCode": "Location.code",
    "locationCodes": "Location.code",
    "parentCode": "Location.code",
    "supplierCode": "Supplier.code",
    "customerCode": "Customer.code",
    "partnerCode": "Supplier.code",
    "accountCode": "Account.code",
    "lotCode": "Batch.lot_code",
    "unit": "SkuUnit.unit",
    "channelCode": "SalesChannel.code",
    "deviceId": "Device.code",
}


@cache
def models_by_name() -> dict[str, type[Model]]:
    """Every Tortoise model of the application by class name (the metadata exists before Tortoise.init)."""
    found: dict[str, type[Model]] = {}
    for module_name in MODEL_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Model) and value.__module__ == module_name:
                found[value.__name__] = value
    return found


def column_bound(ref: str) -> Bound:
    """``"Warehouse.code"`` -> the limits of that column."""
    model_name, _, field_name = ref.partition(".")
    field = models_by_name()[model_name]._meta.fields_map[field_name]
    if isinstance(field, fields.DecimalField):
        return Bound(ref, max_digits=field.max_digits, places=field.decimal_places)
    if isinstance(field, fields.CharField):
        kind = TextKind.CODE if _CODE_COLUMNS.search(field_name) else TextKind.TEXT
        return Bound(ref, kind, field.max_length)
    if isinstance(field, fields.TextField):
        return Bound(ref, TextKind.TEXT, TEXT_MAX)
    if isinstance(field, fields.IntField):  # SmallIntField and BigIntField too: their ranges
        limits = field.constraints
        return Bound(ref, minimum=limits.get("ge"), maximum=limits.get("le"))
    return Bound(ref)  # dates, booleans: their GraphQL type is their whole rule


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@cache  # a fixed set of coordinates: each is resolved once per process
def bound_of(coordinate: str, scalar: str) -> Bound | None:
    """The limits of one input (``scalar``: its GraphQL scalar's name), or None when none is known."""
    owner, _, rest = coordinate.partition(".")
    name = rest[rest.index("(") + 1 : -1] if "(" in rest else rest
    found = BY_COORDINATE.get(coordinate) or BY_NAME.get(name)
    if found is None and owner.endswith("CreateInput"):
        model = models_by_name().get(owner.removesuffix("CreateInput"))
        if model is not None and _snake(name) in model._meta.fields_map:
            found = f"{model.__name__}.{_snake(name)}"
    if found is None and scalar == "ID":
        found = _GLOBAL_ID
    if isinstance(found, str):
        return column_bound(found)
    return found
