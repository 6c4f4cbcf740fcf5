# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Custom field queries and mutations: definitions are the admin's; values are set by whoever may write the
record (the permission of its area)."""

import base64
from typing import Annotated

import strawberry
from strawberry import relay

from api import auth, errors
from api.context import Info
from api.customfields import types as t
from api.enums import CustomFieldEntity, ExportFormat
from api.finance.report_types import Export
from api.nodes import Posted
from domain.common.digits import key_of
from domain.common.errors import NotFound, ValidationError
from domain.customfields import export as custom_export
from domain.customfields import rules
from domain.customfields import services as custom_fields
from domain.finance import export
from domain.partners.rules import Permission as Perm

CustomFieldDefineResult = Annotated[Posted | errors.AnyUserError, strawberry.union("CustomFieldDefineResult")]
CustomFieldDeactivateResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("CustomFieldDeactivateResult")
]
CustomFieldsSetResult = Annotated[Posted | errors.AnyUserError, strawberry.union("CustomFieldsSetResult")]

E = rules.Entity
# Global ID type name -> (entity, the permission that writes such a record).
WRITABLE: dict[str, tuple[rules.Entity, Perm]] = {
    "Sku": (E.SKU, Perm.CATALOG_WRITE),
    "Supplier": (E.SUPPLIER, Perm.PURCHASING_WRITE),
    "Customer": (E.CUSTOMER, Perm.SALES_WRITE),
    "PurchaseOrder": (E.PURCHASE_ORDER, Perm.PURCHASING_WRITE),
    "PurchaseOrderLine": (E.PURCHASE_ORDER_LINE, Perm.PURCHASING_WRITE),
    "GoodsReceipt": (E.GOODS_RECEIPT, Perm.RECEIVING),
    "Batch": (E.BATCH, Perm.INVENTORY_WRITE),
    "SalesOrder": (E.SALES_ORDER, Perm.SALES_WRITE),
    "SupplierBill": (E.SUPPLIER_BILL, Perm.FINANCE_WRITE),
    "CustomerInvoice": (E.CUSTOMER_INVOICE, Perm.FINANCE_WRITE),
    "AdvanceShippingNotice": (E.ASN, Perm.SUPPLIER_COLLABORATION),
}


# Entity -> the permission that reads such records (for the export).
READABLE: dict[rules.Entity, Perm] = {
    E.SKU: Perm.CATALOG_READ,
    E.SUPPLIER: Perm.PURCHASING_READ,
    E.CUSTOMER: Perm.SALES_READ,
    E.PURCHASE_ORDER: Perm.PURCHASING_READ,
    E.PURCHASE_ORDER_LINE: Perm.PURCHASING_READ,
    E.GOODS_RECEIPT: Perm.PURCHASING_READ,
    E.BATCH: Perm.INVENTORY_READ,
    E.SALES_ORDER: Perm.SALES_READ,
    E.SUPPLIER_BILL: Perm.FINANCE_READ,
    E.CUSTOMER_INVOICE: Perm.FINANCE_READ,
    E.ASN: Perm.PURCHASING_READ,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@strawberry.type
class CustomFieldsQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.CATALOG_READ)],
        description="The custom fields of a record type, in display order.",
    )
    async def custom_field_definitions(
        self, info: Info, entity: CustomFieldEntity, include_inactive: bool = False
    ) -> list[t.CustomFieldDefinition]:
        found = await custom_fields.definitions(E(entity.value), include_inactive=include_inactive)
        return [t.CustomFieldDefinition.of(d) for d in found]

    @strawberry.field(
        description="The records of a type with their custom values, one column per field (CSV or XLSX)."
    )
    async def custom_fields_export(
        self,
        info: Info,
        entity: CustomFieldEntity,
        format: ExportFormat,
        custom_filter: list[t.CustomFieldFilter] | None = None,
    ) -> Export:
        kind = E(entity.value)
        auth.check(info, READABLE[kind])
        found = await custom_export.rows(kind, t.filters(custom_filter))
        if format is ExportFormat.CSV:
            data, ctype = export.to_csv(found).encode(), "text/csv; charset=utf-8"
        else:
            data, ctype = export.to_xlsx(found, kind.value), XLSX
        name = f"{kind.value}-custom-fields.{format.value}"
        return Export(filename=name, content_type=ctype, base64=base64.b64encode(data).decode())


@strawberry.type
class CustomFieldsMutation:
    @strawberry.mutation(description="自定义字段: add or change a custom field (admin); no migration needed.")
    async def custom_field_define(
        self, info: Info, input: t.CustomFieldDefineInput
    ) -> CustomFieldDefineResult:
        async def run() -> Posted:
            auth.require(info, Perm.ADMIN)
            entity, field = input.to_domain()
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(await custom_fields.definition_save(entity, field, input.position, key))

        return await errors.guard(run())

    @strawberry.mutation(description="Hides a custom field (admin); stored values are kept.")
    async def custom_field_deactivate(
        self, info: Info, input: t.CustomFieldDeactivateInput
    ) -> CustomFieldDeactivateResult:
        async def run() -> Posted:
            auth.require(info, Perm.ADMIN)
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(await custom_fields.definition_deactivate(E(input.entity.value), input.key, key))

        return await errors.guard(run())

    @strawberry.mutation(description="Sets custom values of one record; the values not given are kept.")
    async def custom_fields_set(self, info: Info, input: t.CustomFieldsSetInput) -> CustomFieldsSetResult:
        async def run() -> Posted:
            try:
                gid = relay.GlobalID.from_id(input.id)
            except relay.GlobalIDValueError:
                raise NotFound("record", input.id, ("id",)) from None
            target = WRITABLE.get(gid.type_name)
            pk = key_of(gid.node_id)
            if target is None or pk is None:
                raise NotFound("record", input.id, ("id",))
            entity, perm = target
            auth.require(info, perm)
            if not isinstance(input.values, dict):
                raise ValidationError("values is a JSON object of custom field values", ("values",))
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(await custom_fields.values_set(entity, pk, input.values, key))

        return await errors.guard(run())
