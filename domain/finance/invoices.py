"""Customer invoices from shipments and credit notes from customer returns.

Each shipment line is invoiced once, each return line credited once (unique keys back the checks). Prices are
the sales order line's (before tax, per order unit, converted to base units); tax-exempt SKUs carry the
exemption flag and no output VAT.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.catalog.models import Sku
from domain.common.dialect import is_postgres
from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.finance import rules, terms
from domain.finance.errors import AlreadyInvoiced
from domain.finance.journal import role_map, write_entry
from domain.finance.models import CustomerInvoice, CustomerInvoiceLine
from domain.partners.models import Customer
from domain.sales.models import (
    CustomerReturn,
    CustomerReturnLine,
    SalesOrder,
    SalesOrderLine,
    Shipment,
    ShipmentLine,
)

Role = rules.Role


async def _make(
    customer_id: int,
    invoice_date: date,
    kind: str,
    items: Sequence[tuple[int, Decimal, SalesOrderLine, int | None, int | None]],
    custom: dict[str, Any] | None = None,
) -> CustomerInvoice:
    """``items``: (sku id, signed base quantity, order line, shipment line id, return line id)."""
    skus = {s.id: s for s in await Sku.filter(id__in={i[0] for i in items})}
    inv = await CustomerInvoice.create(
        customer_id=customer_id,
        kind=kind,
        invoice_date=invoice_date,
        net=0,
        tax=0,
        total=0,
        custom=custom or {},
    )
    inv.number = document_number("IV" if kind == "invoice" else "IC", inv.id)
    made: list[CustomerInvoiceLine] = []
    for sku_id, qty, ol, shipment_line_id, return_line_id in items:
        sku = skus[sku_id]
        price = Decimal(ol.unit_price) / Decimal(ol.unit_factor)
        net = rules.money(qty * price)
        made.append(
            CustomerInvoiceLine(
                invoice_id=inv.id,
                shipment_line_id=shipment_line_id,
                return_line_id=return_line_id,
                sku_id=sku_id,
                quantity=qty,
                unit_price=price.quantize(Decimal("0.0001")),
                net=net,
                tax_rate=sku.tax_rate,
                tax=rules.tax_of(net, Decimal(sku.tax_rate), sku.tax_exempt),
                tax_exempt=sku.tax_exempt,
            )
        )
    await CustomerInvoiceLine.bulk_create(made)
    inv.net = sum((m.net for m in made), rules.ZERO)
    inv.tax = sum((m.tax for m in made), rules.ZERO)
    inv.total = inv.net + inv.tax
    customer = await Customer.get(id=customer_id)
    inv.due_date, inv.schedule = terms.stamp(customer.payment_terms, invoice_date, inv.total)
    roles = await role_map()
    partner = ("customer", customer_id)
    drafts = [rules.signed(roles.account(Role.RECEIVABLES).id, inv.total, *partner, memo=inv.number)]
    for m in made:
        cat = skus[m.sku_id].category_id
        drafts.append(rules.signed(roles.account(Role.REVENUE, cat).id, -m.net, sku_id=m.sku_id))
    drafts.append(rules.signed(roles.account(Role.OUTPUT_VAT).id, -inv.tax))
    entry = await write_entry(
        "customer_invoice", inv.id, invoice_date, drafts, path=("invoiceDate",), memo=f"invoice {inv.number}"
    )
    inv.entry_id = entry.id if entry else None
    await inv.save()
    return inv


async def customer_invoice_post(
    shipment_ids: list[int], invoice_date: date, key: str | None = None, custom: dict[str, Any] | None = None
) -> Posted:
    """Invoices every line of the given shipments (one customer): receivables Dr / revenue + output VAT Cr.
    ``custom`` values are checked against the customer invoice's custom fields (``ValidationError`` at
    ``("customFields", key)``)."""

    async def body() -> Posted:
        if not shipment_ids or len(shipment_ids) > 200:
            raise ValidationError("an invoice covers 1 to 200 shipments", ("shipmentIds",))
        query = Shipment.filter(id__in=sorted(set(shipment_ids))).order_by("id")
        if is_postgres():
            query = query.select_for_update()
        shipments = {s.id: s for s in await query}
        customer_id: int | None = None
        for i, sid in enumerate(shipment_ids):
            if sid not in shipments:
                raise NotFound("shipment", sid, ("shipmentIds", str(i)))
            order = await SalesOrder.get(id=shipments[sid].order_id)
            if customer_id is not None and order.customer_id != customer_id:
                raise ValidationError(
                    "all shipments of an invoice go to one customer", ("shipmentIds", str(i))
                )
            customer_id = order.customer_id
        assert customer_id is not None
        lines = await ShipmentLine.filter(shipment_id__in=list(shipments)).prefetch_related("order_line")
        done = {
            row.shipment_line_id
            for row in await CustomerInvoiceLine.filter(shipment_line_id__in=[ln.id for ln in lines])
        }
        if done:
            sid = next(ln.shipment_id for ln in lines if ln.id in done)
            raise AlreadyInvoiced(
                f"shipment {shipments[sid].number} is already invoiced",
                ("shipmentIds", str(shipment_ids.index(sid))),
            )
        items = [
            (ln.order_line.sku_id, Decimal(ln.quantity_base), ln.order_line, ln.id, None)
            for ln in sorted(lines, key=lambda x: x.id)
        ]
        values = await custom_fields.checked(Entity.CUSTOMER_INVOICE, custom)
        inv = await _make(customer_id, invoice_date, "invoice", items, values)
        return Posted("customer_invoice", inv.id, inv.number or "")

    return await posting("customer_invoice_post", key, body)


async def customer_credit_note_post(return_id: int, credit_date: date, key: str | None = None) -> Posted:
    """Credits a customer return at the order's prices: revenue + output VAT Dr / receivables Cr."""

    async def body() -> Posted:
        query = CustomerReturn.filter(id=return_id)
        if is_postgres():
            query = query.select_for_update()
        ret = await query.first()
        if ret is None:
            raise NotFound("customer return", return_id, ("returnId",))
        order = await SalesOrder.get(id=ret.order_id)
        lines = await CustomerReturnLine.filter(customer_return_id=ret.id).prefetch_related("order_line")
        if await CustomerInvoiceLine.exists(return_line_id__in=[ln.id for ln in lines]):
            raise AlreadyInvoiced(f"return {ret.number} is already credited", ("returnId",))
        items = [
            (ln.order_line.sku_id, -Decimal(ln.quantity_base), ln.order_line, None, ln.id)
            for ln in sorted(lines, key=lambda x: x.id)
        ]
        inv = await _make(order.customer_id, credit_date, "credit_note", items)
        return Posted("customer_invoice", inv.id, inv.number or "")

    return await posting("customer_credit_note_post", key, body)
