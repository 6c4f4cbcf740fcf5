"""Supplier price list use cases: add or change a line with its quantity breaks; read the breaks.

One line per supplier × SKU × currency may be valid on any day: a new line whose dates overlap another's is
a ``Conflict`` (end the old one first, by updating its ``valid_to``). Create and update are idempotent by key
(``domain.common.services.posting``) and atomic: the line and its breaks are written together or not at all.
Rules in ``price_rules``. A change waits for approval when a ``price_list_change`` rule holds it
(``ApprovalRequired``; facts in ``domain.approvals.documents.price_change_facts``), and the approved change is
then saved by the same call again. Errors: ``ValidationError`` (terms, with the input path), ``NotFound``
(supplier, SKU, line), ``Conflict`` (overlap, key reuse), ``ApprovalRequired``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from domain.approvals import documents as approval_documents
from domain.approvals import gate as approval_gate
from domain.approvals.rules import DocumentType
from domain.catalog.models import Sku
from domain.common import services
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.partners.models import Supplier
from domain.replenishment import price_rules
from domain.replenishment.models import SupplierPrice, SupplierPriceBreak


@dataclass(frozen=True)
class PriceLine:
    supplier_code: str
    sku_code: str
    terms: price_rules.PriceTerms


def _check(line: PriceLine) -> None:
    found = price_rules.problems(line.terms)
    if found:
        message, path = found[0]
        raise ValidationError(message, path)


async def _refs(line: PriceLine) -> tuple[int, int]:
    supplier = await Supplier.get_or_none(code=line.supplier_code)
    if supplier is None:
        raise NotFound("supplier", line.supplier_code, ("supplierCode",))
    sku = await Sku.get_or_none(code=line.sku_code)
    if sku is None:
        raise NotFound("sku", line.sku_code, ("skuCode",))
    return supplier.id, sku.id


async def _no_overlap(supplier_id: int, sku_id: int, terms: price_rules.PriceTerms, other_than: int) -> None:
    rows = SupplierPrice.filter(supplier_id=supplier_id, sku_id=sku_id, currency=terms.currency).exclude(
        id=other_than
    )
    # Lock the supplier × SKU's lines so two overlapping creates cannot both pass the check.
    for row in await (rows.select_for_update() if is_postgres() else rows).order_by("id"):
        if price_rules.overlaps(terms.valid_from, terms.valid_to, row.valid_from, row.valid_to):
            raise Conflict(
                f"price list line {row.id} of this supplier and SKU in {terms.currency} is valid "
                f"{row.valid_from}..{row.valid_to or '∞'}: end it before adding an overlapping one",
                ("validFrom",),
            )


def _apply(row: SupplierPrice, terms: price_rules.PriceTerms) -> None:
    row.unit_price, row.currency = terms.unit_price, terms.currency
    row.min_quantity, row.pack_size = terms.min_quantity, terms.pack_size
    row.capacity_per_week, row.lead_time_days = terms.capacity_per_week, terms.lead_time_days
    row.valid_from, row.valid_to = terms.valid_from, terms.valid_to


async def _write_breaks(row: SupplierPrice, terms: price_rules.PriceTerms) -> None:
    await SupplierPriceBreak.filter(price_id=row.id).delete()
    await SupplierPriceBreak.bulk_create(
        [
            SupplierPriceBreak(price_id=row.id, min_quantity=b.min_quantity, unit_price=b.unit_price)
            for b in terms.breaks
        ]
    )


async def _gate(line: PriceLine, price_id: int | None, previous: Decimal | None, now: datetime) -> None:
    async def facts() -> dict[str, object]:
        return approval_documents.price_change_facts(line.supplier_code, line.sku_code, line.terms, previous)

    await approval_gate.gate(DocumentType.PRICE_LIST_CHANGE, price_id, facts, now)


async def supplier_price_create(
    line: PriceLine, key: str | None = None, requested_by_id: int | None = None, now: datetime | None = None
) -> services.Posted:
    """Adds a price list line with its breaks; returns ``Posted("SupplierPrice", id, "SP-<id>")``."""
    _check(line)
    at = now or datetime.now(UTC)

    async def body() -> services.Posted:
        supplier_id, sku_id = await _refs(line)
        await _no_overlap(supplier_id, sku_id, line.terms, other_than=0)
        await _gate(line, None, None, at)
        row = SupplierPrice(supplier_id=supplier_id, sku_id=sku_id)
        _apply(row, line.terms)
        await row.save()
        await _write_breaks(row, line.terms)
        return services.Posted("SupplierPrice", row.id, f"SP-{row.id}")

    return await approval_gate.guarded(
        lambda: services.posting("supplier_price_create", key, body), requested_by_id, at
    )


async def supplier_price_update(
    price_id: int,
    line: PriceLine,
    key: str | None = None,
    requested_by_id: int | None = None,
    now: datetime | None = None,
) -> services.Posted:
    """Replaces a line's terms and breaks (supplier and SKU may change too)."""
    _check(line)
    at = now or datetime.now(UTC)

    async def body() -> services.Posted:
        rows = SupplierPrice.filter(id=price_id)
        row = await (rows.select_for_update() if is_postgres() else rows).first()
        if row is None:
            raise NotFound("supplier price", price_id, ("id",))
        row.supplier_id, row.sku_id = await _refs(line)
        await _no_overlap(row.supplier_id, row.sku_id, line.terms, other_than=row.id)
        await _gate(line, row.id, Decimal(row.unit_price), at)
        _apply(row, line.terms)
        await row.save()
        await _write_breaks(row, line.terms)
        return services.Posted("SupplierPrice", row.id, f"SP-{row.id}")

    return await approval_gate.guarded(
        lambda: services.posting("supplier_price_update", key, body), requested_by_id, at
    )


async def breaks_of(price_ids: list[int]) -> dict[int, list[price_rules.PriceBreak]]:
    """The breaks of many lines, by quantity (one query)."""
    out: dict[int, list[price_rules.PriceBreak]] = {i: [] for i in price_ids}
    rows = await SupplierPriceBreak.filter(price_id__in=price_ids).order_by("price_id", "min_quantity")
    for b in rows:
        out[b.price_id].append(price_rules.PriceBreak(b.min_quantity, b.unit_price))
    return out
