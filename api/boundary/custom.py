"""Custom field values at the boundary: checked against their definitions before the mutation runs.

Built-in fields are checked against their columns (``columns``); custom fields against the definitions table,
so ``customFields`` of a create input answers the same ``ValidationError`` with a path
(``["customFields", "taxExemptGoods"]``) before any resolver runs. The service checks again inside its
transaction (a definition may change in between, and not every caller comes through the API).
"""

from collections.abc import Awaitable, Callable
from typing import Any

from api import errors
from domain.customfields import rules
from domain.customfields import services as custom_fields

E = rules.Entity
# Input type -> the record type its customFields belong to.
BY_INPUT: dict[str, rules.Entity] = {
    "SkuCreateInput": E.SKU,
    "PurchaseOrderCreateInput": E.PURCHASE_ORDER,
    "GoodsReceiptPostInput": E.GOODS_RECEIPT,
    "SalesOrderCreateInput": E.SALES_ORDER,
    "AsnCreateInput": E.ASN,
    "SupplierCreateInput": E.SUPPLIER,
    "CustomerCreateInput": E.CUSTOMER,
    "SupplierBillPostInput": E.SUPPLIER_BILL,
    "CustomerInvoicePostInput": E.CUSTOMER_INVOICE,
}


async def problem(entity: rules.Entity, given: Any) -> errors.ValidationError | None:
    """The first problem of ``given`` (a create input's ``customFields``) as the union member, or None."""
    if not isinstance(given, dict):
        return errors.ValidationError(
            message="customFields is a JSON object of values by key",
            code=errors.ErrorCode.VALIDATION,
            path=["customFields"],
        )
    _, found = rules.checked(await custom_fields.active_fields(entity), given)
    if not found:
        return None
    return errors.ValidationError(
        message=found[0].message, code=errors.ErrorCode.VALIDATION, path=list(found[0].path)
    )


async def checked_first(entity: rules.Entity, given: Any, run: Callable[[], Any]) -> Any:
    """Runs the mutation (``run``) only when ``given`` passes; else answers its ``ValidationError``."""
    found = await problem(entity, given)
    if found is not None:
        return found
    result = run()
    return await result if isinstance(result, Awaitable) else result
