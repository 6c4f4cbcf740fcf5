"""Defining what production needs: BOMs with their lines, by-products, substitutes and routing; item groups;
the operations and equipment a material is qualified for. Each definition is one transaction.

A new BOM for a SKU becomes its active version (the previous one stays, inactive, for the orders that
used it). Quantities are per output unit in base units; rates are fractions; money per hour.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tortoise.transactions import in_transaction

from domain.catalog.models import Sku
from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.production import rules
from domain.production.models import (
    Bom,
    BomLine,
    BomSubstitute,
    ItemGroup,
    ItemGroupMember,
    MaterialProcess,
    RoutingOperation,
)

MAX_LINES = 100


@dataclass(frozen=True)
class SpecRange:
    parameter: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass(frozen=True)
class SubstituteInput:
    sku_code: str
    ratio: Decimal = Decimal(1)


@dataclass(frozen=True)
class BomLineInput:
    sku_code: str
    quantity: Decimal  # per output unit
    scrap_rate: Decimal = Decimal(0)
    by_product: bool = False
    unit_value: Decimal = Decimal(0)  # by-products: value per unit credited to the order
    cost_threshold: Decimal = Decimal(0)
    item_group_code: str | None = None
    specs: Sequence[SpecRange] = ()
    substitutes: Sequence[SubstituteInput] = ()


@dataclass(frozen=True)
class OperationInput:
    code: str
    work_centre: str
    setup_minutes: Decimal = Decimal(0)
    minutes_per_unit: Decimal = Decimal(0)
    labour_rate: Decimal = Decimal(0)
    overhead_rate: Decimal = Decimal(0)
    equipment: Sequence[str] = field(default_factory=tuple)


async def _sku(code: str, path: tuple[str, ...]) -> Sku:
    sku = await Sku.get_or_none(code=code, active=True)
    if sku is None:
        raise NotFound("SKU", code, path)
    return sku


def _fraction(value: Decimal, path: tuple[str, ...], *, allow_one: bool, allow_zero: bool) -> None:
    try:
        rules.require_fraction(value, path[-1], allow_one=allow_one, allow_zero=allow_zero)
    except ValueError as exc:
        raise ValidationError(str(exc), path) from None


def _check(lines: Sequence[BomLineInput], operations: Sequence[OperationInput], yield_rate: Decimal) -> None:
    _fraction(yield_rate, ("yieldRate",), allow_one=True, allow_zero=False)
    if not any(not ln.by_product for ln in lines):
        raise ValidationError("a BOM needs at least one component", ("lines",))
    if len(lines) > MAX_LINES or len(operations) > MAX_LINES:
        raise ValidationError(f"at most {MAX_LINES} lines and operations", ("lines",))
    for i, ln in enumerate(lines):
        path = ("lines", str(i))
        if ln.quantity <= 0:
            raise ValidationError("a line's quantity per unit must be positive", (*path, "quantity"))
        _fraction(ln.scrap_rate, (*path, "scrapRate"), allow_one=False, allow_zero=True)
        if ln.unit_value < 0 or ln.cost_threshold < 0:
            raise ValidationError("values and thresholds are zero or more", (*path, "costThreshold"))
        for j, s in enumerate(ln.specs):
            if not s.parameter.strip() or (
                s.minimum is not None and s.maximum is not None and s.minimum > s.maximum
            ):
                raise ValidationError(
                    "a spec range needs a parameter and min ≤ max", (*path, "specs", str(j))
                )
        for j, sub in enumerate(ln.substitutes):
            if sub.ratio <= 0:
                raise ValidationError("a substitute's ratio must be positive", (*path, "substitutes", str(j)))
    codes = [op.code for op in operations]
    if len(set(codes)) != len(codes):
        raise ValidationError("operation codes are unique within a routing", ("operations",))
    for i, op in enumerate(operations):
        if min(op.setup_minutes, op.minutes_per_unit, op.labour_rate, op.overhead_rate) < 0:
            raise ValidationError("times and rates are zero or more", ("operations", str(i)))


async def bom_define(
    sku_code: str,
    lines: Sequence[BomLineInput],
    operations: Sequence[OperationInput] = (),
    yield_rate: Decimal = Decimal(1),
    note: str = "",
    key: str | None = None,
) -> Posted:
    """Creates the SKU's next BOM version (active) with its lines, substitutes and routing, as one
    idempotent posting (number ``BOM-<sku>-v<n>``).

    Raises ``ValidationError`` for bad figures or a BOM whose components would contain its own output at
    any level (``rules.explode``), ``NotFound`` for an unknown SKU or item group.
    """

    async def body() -> Posted:
        _check(lines, operations, yield_rate)
        bom = await _create(sku_code, lines, operations, yield_rate, note)
        return Posted("bom", bom.id, f"BOM-{sku_code}-v{bom.version}")

    return await posting("bom_define", key, body)


async def _create(
    sku_code: str,
    lines: Sequence[BomLineInput],
    operations: Sequence[OperationInput],
    yield_rate: Decimal,
    note: str,
) -> Bom:
    sku = await _sku(sku_code, ("skuCode",))
    line_skus = [await _sku(ln.sku_code, ("lines", str(i), "skuCode")) for i, ln in enumerate(lines)]
    await _check_cycle(sku_code, lines)
    last = await Bom.filter(sku_id=sku.id).order_by("-version").first()
    await Bom.filter(sku_id=sku.id).update(active=False)
    bom = await Bom.create(
        sku_id=sku.id, version=(last.version + 1) if last else 1, yield_rate=yield_rate, note=note
    )
    for i, (ln, line_sku) in enumerate(zip(lines, line_skus, strict=True)):
        group_id = None
        if ln.item_group_code:
            group = await ItemGroup.get_or_none(code=ln.item_group_code)
            if group is None:
                raise NotFound("item group", ln.item_group_code, ("lines", str(i), "itemGroupCode"))
            group_id = group.id
        row = await BomLine.create(
            bom_id=bom.id,
            kind="by_product" if ln.by_product else "component",
            sku_id=line_sku.id,
            quantity=ln.quantity,
            scrap_rate=ln.scrap_rate,
            unit_value=ln.unit_value,
            cost_threshold=ln.cost_threshold,
            item_group_id=group_id,
            specs=[_spec_json(s) for s in ln.specs],
        )
        for j, sub in enumerate(ln.substitutes):
            sub_sku = await _sku(sub.sku_code, ("lines", str(i), "substitutes", str(j), "skuCode"))
            await BomSubstitute.create(line_id=row.id, sku_id=sub_sku.id, ratio=sub.ratio)
    await RoutingOperation.bulk_create(
        [
            RoutingOperation(
                bom_id=bom.id,
                seq=(i + 1) * 10,
                code=op.code,
                work_centre=op.work_centre,
                setup_minutes=op.setup_minutes,
                minutes_per_unit=op.minutes_per_unit,
                labour_rate=op.labour_rate,
                overhead_rate=op.overhead_rate,
                equipment=sorted(set(op.equipment)),
            )
            for i, op in enumerate(operations)
        ]
    )
    return bom


def _spec_json(s: SpecRange) -> dict[str, str | None]:
    return {
        "parameter": s.parameter.strip(),
        "min": None if s.minimum is None else str(s.minimum),
        "max": None if s.maximum is None else str(s.maximum),
    }


async def active_specs() -> dict[str, rules.BomSpec]:
    """Every active BOM as the rules see it, keyed by output SKU code (for explosion)."""
    boms = await Bom.filter(active=True)
    by_bom: dict[int, list[BomLine]] = {b.id: [] for b in boms}
    for ln in await BomLine.filter(bom_id__in=list(by_bom), kind="component").order_by("id"):
        by_bom[ln.bom_id].append(ln)
    ids = {b.sku_id for b in boms} | {ln.sku_id for lns in by_bom.values() for ln in lns}
    codes = {s.id: s.code for s in await Sku.filter(id__in=ids)}
    return {
        codes[b.sku_id]: rules.BomSpec(
            codes[b.sku_id],
            Decimal(b.yield_rate),
            tuple(
                rules.Component(codes[ln.sku_id], Decimal(ln.quantity), Decimal(ln.scrap_rate))
                for ln in by_bom[b.id]
            ),
        )
        for b in boms
    }


async def _check_cycle(sku_code: str, lines: Sequence[BomLineInput]) -> None:
    specs = await active_specs()
    specs[sku_code] = rules.BomSpec(
        sku_code,
        Decimal(1),
        tuple(rules.Component(ln.sku_code, ln.quantity, ln.scrap_rate) for ln in lines if not ln.by_product),
    )
    try:
        rules.explode(sku_code, Decimal(1), specs)
    except rules.BomError as exc:
        raise ValidationError(str(exc), ("lines",)) from None


async def bom_explode(sku_code: str, quantity: Decimal) -> dict[str, Decimal]:
    """Purchased-material requirements for ``quantity`` good units through every BOM level (by SKU code)."""
    specs = await active_specs()
    if sku_code not in specs:
        raise NotFound("BOM of SKU", sku_code, ("skuCode",))
    if quantity <= 0:
        raise ValidationError("quantity must be positive", ("quantity",))
    return rules.explode(sku_code, quantity, specs)


async def item_group_define(code: str, name: str, members: Sequence[tuple[str, Decimal]]) -> int:
    """Creates or replaces an item group's members ((SKU code, ratio) pairs); returns the group's id."""
    if not code.strip() or not members:
        raise ValidationError("an item group needs a code and members", ("members",))
    async with in_transaction():
        skus = [await _sku(c, ("members", str(i), "skuCode")) for i, (c, _) in enumerate(members)]
        group, _ = await ItemGroup.get_or_create(code=code, defaults={"name": name})
        await ItemGroupMember.filter(group_id=group.id).delete()
        for i, (sku, (_, ratio)) in enumerate(zip(skus, members, strict=True)):
            if ratio <= 0:
                raise ValidationError("a member's ratio must be positive", ("members", str(i), "ratio"))
            await ItemGroupMember.create(group_id=group.id, sku_id=sku.id, ratio=ratio)
        return group.id


async def material_process_set(sku_code: str, operation_code: str, equipment: Sequence[str]) -> int:
    """Qualifies a material for an operation on the listed equipment (replacing what it had there)."""
    if not operation_code.strip():
        raise ValidationError("an operation code is required", ("operationCode",))
    async with in_transaction():
        sku = await _sku(sku_code, ("skuCode",))
        row, _ = await MaterialProcess.update_or_create(
            sku_id=sku.id, operation_code=operation_code, defaults={"equipment": sorted(set(equipment))}
        )
        return row.id
