"""Partner field mappings: save a version, dry-run it on a payload, apply it (create the ASN or the order).

A dry run maps with ``rules.apply`` and then resolves the mapped codes against our data, adding a problem for
each one that does not resolve (an unknown order number, a SKU that is not on the order), so the caller sees
every field's error in one answer. Applying runs the same dry run and, when it has no problem, calls the
target's own use case (``asn.services.asn_create``, ``sales.services.sales_order_create``) with the mapped
input: the same checks, idempotency and transaction as when the input is typed in.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.asn import rules as asn_rules
from domain.asn import services as asn_services
from domain.catalog.models import Sku
from domain.catalog.services import OrderLineInput
from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.mappings import rules
from domain.mappings.models import PartnerMapping
from domain.partners.models import Customer, Supplier
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine
from domain.sales import services as sales_services

PARTNER_KINDS = ("supplier", "customer")
MAX_PAYLOAD_CHARS = 1_000_000


@dataclass(frozen=True)
class MappingView:
    id: int
    partner_kind: str
    partner_code: str
    target: str
    version: int
    spec: dict[str, Any]
    note: str
    created_by: str
    created_at: datetime


def _view(r: PartnerMapping) -> MappingView:
    return MappingView(
        r.id, r.partner_kind, r.partner_code, r.target, r.version, r.spec, r.note, r.created_by, r.created_at
    )


async def _partner(kind: str, code: str) -> Supplier | Customer:
    if kind not in PARTNER_KINDS:
        raise ValidationError("partnerKind is supplier or customer", ("partnerKind",))
    partner = await (Supplier if kind == "supplier" else Customer).get_or_none(code=code)
    if partner is None:
        raise NotFound(kind, code, ("partnerCode",))
    return partner


async def mapping_save(
    kind: str, code: str, spec: dict[str, Any], note: str = "", by: str = "", key: str | None = None
) -> Posted:
    """Stores ``spec`` as the partner's next version for its target (versions are never changed)."""

    async def body() -> Posted:
        await _partner(kind, code)
        problems = rules.spec_problems(spec)
        if problems:
            raise ValidationError(problems[0].message, ("spec", *problems[0].path))
        target = spec["target"]
        last = (
            await PartnerMapping.filter(partner_kind=kind, partner_code=code, target=target)
            .order_by("-version")
            .first()
        )
        row = await PartnerMapping.create(
            partner_kind=kind,
            partner_code=code,
            target=target,
            version=(last.version if last else 0) + 1,
            spec=spec,
            note=note,
            created_by=by,
        )
        return Posted("partner_mapping", row.id, f"{code}/{target}/v{row.version}")

    return await posting("partner_mapping_save", key, body)


async def mappings(kind: str | None = None, code: str | None = None, limit: int = 200) -> list[MappingView]:
    query = PartnerMapping.all()
    if kind is not None:
        query = query.filter(partner_kind=kind)
    if code is not None:
        query = query.filter(partner_code=code)
    rows = await query.order_by("partner_kind", "partner_code", "target", "-version").limit(limit)
    return [_view(r) for r in rows]


async def mapping_of(kind: str, code: str, target: str, version: int | None = None) -> MappingView:
    """The given version, or the latest, of a partner's mapping for ``target``."""
    query = PartnerMapping.filter(partner_kind=kind, partner_code=code, target=target)
    row = await (
        query.filter(version=version).first() if version is not None else query.order_by("-version").first()
    )
    if row is None:
        raise NotFound("mapping", f"{kind} {code} {target} v{version or 'latest'}", ("target",))
    return _view(row)


@dataclass(frozen=True)
class DryRun:
    mapping: MappingView
    mapped: rules.Mapped
    resolved: dict[str, Any]  # the ids the mapped codes stand for (order, order lines)


def _problem(out: rules.Mapped, path: tuple[str, ...], message: str) -> None:
    out.problems.append(rules.Problem(path, message))


async def _resolve_asn(partner: Supplier | Customer, out: rules.Mapped) -> dict[str, Any]:
    number = out.values.get("purchaseOrderNumber")
    if number is None:
        return {}
    order = await PurchaseOrder.get_or_none(number=number, supplier_id=partner.id)
    if order is None:
        _problem(out, ("purchaseOrderNumber",), f"purchase order {number} of {partner.code} not found")
        return {}
    lines = await PurchaseOrderLine.filter(order_id=order.id).order_by("id")
    skus = {s.id: s for s in await Sku.filter(id__in=[ln.sku_id for ln in lines])}
    line_ids: list[int | None] = []
    for i, line in enumerate(out.lines):
        match = [
            ln
            for ln in lines
            if (line.get("skuCode") and skus[ln.sku_id].code == line["skuCode"])
            # GTINs are stored as 14 digits (catalog.rules.check_gtin); a partner may send 8, 12 or 13.
            or (line.get("gtin") and skus[ln.sku_id].gtin == str(line["gtin"]).zfill(14))
        ]
        if not match:
            what = line.get("skuCode") or line.get("gtin")
            _problem(
                out,
                ("lines", str(i), "gtin" if line.get("gtin") else "skuCode"),
                f"{what} is not on {number}",
            )
        line_ids.append(match[0].id if match else None)
    return {"orderId": order.id, "orderLineIds": line_ids}


async def _resolve_sales_order(out: rules.Mapped) -> dict[str, Any]:
    codes = {ln.get("skuCode") for ln in out.lines if ln.get("skuCode")}
    known = set(await Sku.filter(code__in=codes).values_list("code", flat=True))
    for i, line in enumerate(out.lines):
        if line.get("skuCode") and line["skuCode"] not in known:
            _problem(out, ("lines", str(i), "skuCode"), f"SKU {line['skuCode']} not found")
    customer = out.values.get("customerCode")
    if customer and not await Customer.exists(code=customer):
        _problem(out, ("customerCode",), f"customer {customer} not found")
    return {}


async def dry_run(kind: str, code: str, target: str, payload: Any, version: int | None = None) -> DryRun:
    """The mapped input of ``payload`` and every problem (mapping and resolution); writes nothing."""
    partner = await _partner(kind, code)
    mapping = await mapping_of(kind, code, target, version)
    mapped = rules.apply(mapping.spec, payload)
    resolved: dict[str, Any] = {}
    if target == "asn":
        resolved = await _resolve_asn(partner, mapped)
    elif target == "sales_order":
        resolved = await _resolve_sales_order(mapped)
    return DryRun(mapping, mapped, resolved)


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


async def apply(
    kind: str,
    code: str,
    target: str,
    payload: Any,
    now: datetime,
    *,
    supplier_scope: int | None,
    by_user_id: int | None = None,
    version: int | None = None,
    key: str | None = None,
) -> tuple[DryRun, Posted | None]:
    """The dry run and, when it found no problem, the document created from it (else ``None``)."""
    run = await dry_run(kind, code, target, payload, version)
    if run.mapped.problems:
        return run, None
    v, lines = run.mapped.values, run.mapped.lines
    if target == "asn":
        partner = await _partner(kind, code)
        if supplier_scope is not None and partner.id != supplier_scope:
            raise NotFound(kind, code, ("partnerCode",))
        asn_lines = [
            asn_rules.AsnLineInput(
                run.resolved["orderLineIds"][i],
                ln["lotCode"],
                Decimal(ln["quantity"]),
                _date(ln.get("productionDate")),
                _date(ln.get("expiryDate")),
                _date(ln.get("bestBeforeDate")),
            )
            for i, ln in enumerate(lines)
        ]
        posted = await asn_services.asn_create(
            run.resolved["orderId"],
            datetime.fromisoformat(v["expectedArrival"]),
            asn_lines,
            now,
            supplier_id=supplier_scope,
            note=v.get("note") or "",
            by_user_id=by_user_id,
            key=key,
        )
        return run, posted
    if target == "sales_order":
        order_lines = [
            OrderLineInput(ln["skuCode"], Decimal(ln["quantity"]), None, Decimal(ln.get("unitPrice") or 0))
            for ln in lines
        ]
        posted = await sales_services.sales_order_create(
            v["customerCode"],
            v["warehouseCode"],
            order_lines,
            _date(v.get("requestedDate")),
            v.get("note") or "",
            key,
        )
        return run, posted
    raise ValidationError(f"a {target} mapping can be dry-run but not applied yet", ("target",))
