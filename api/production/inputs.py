"""Production inputs: each turns itself into the service's arguments (global IDs decoded, lists capped)."""

from datetime import date
from decimal import Decimal

import strawberry

from api import relay as rl
from domain.production import boms, completion, orders


@strawberry.input
class SpecRangeInput:
    parameter: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@strawberry.input
class BomSubstituteInput:
    sku_code: str
    ratio: Decimal = strawberry.field(default=Decimal(1), description="Units per unit of the original.")


@strawberry.input
class BomLineInput:
    sku_code: str
    quantity: Decimal = strawberry.field(description="Base units per output unit.")
    scrap_rate: Decimal = Decimal(0)
    by_product: bool = False
    unit_value: Decimal = Decimal(0)
    cost_threshold: Decimal = Decimal(0)
    item_group_code: str | None = None
    specs: list[SpecRangeInput] = strawberry.field(default_factory=list)
    substitutes: list[BomSubstituteInput] = strawberry.field(default_factory=list)


@strawberry.input
class RoutingOperationInput:
    code: str
    work_centre: str
    setup_minutes: Decimal = Decimal(0)
    minutes_per_unit: Decimal = Decimal(0)
    labour_rate: Decimal = strawberry.field(default=Decimal(0), description="Per hour.")
    overhead_rate: Decimal = strawberry.field(default=Decimal(0), description="Per hour.")
    equipment: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class BomDefineInput:
    sku_code: str
    lines: list[BomLineInput]
    operations: list[RoutingOperationInput] = strawberry.field(default_factory=list)
    yield_rate: Decimal = Decimal(1)
    note: str = ""
    idempotency_key: str | None = None

    def domain_lines(self) -> list[boms.BomLineInput]:
        rl.cap_lines(self.lines)
        for ln in self.lines:
            rl.cap_lines(ln.specs, ("lines", "specs"))
            rl.cap_lines(ln.substitutes, ("lines", "substitutes"))
        return [
            boms.BomLineInput(
                ln.sku_code,
                ln.quantity,
                ln.scrap_rate,
                ln.by_product,
                ln.unit_value,
                ln.cost_threshold,
                ln.item_group_code,
                tuple(boms.SpecRange(s.parameter, s.minimum, s.maximum) for s in ln.specs),
                tuple(boms.SubstituteInput(s.sku_code, s.ratio) for s in ln.substitutes),
            )
            for ln in self.lines
        ]

    def domain_operations(self) -> list[boms.OperationInput]:
        rl.cap_lines(self.operations, ("operations",))
        for op in self.operations:
            rl.cap_lines(op.equipment, ("operations", "equipment"))
        return [
            boms.OperationInput(
                op.code,
                op.work_centre,
                op.setup_minutes,
                op.minutes_per_unit,
                op.labour_rate,
                op.overhead_rate,
                tuple(op.equipment),
            )
            for op in self.operations
        ]


@strawberry.input
class ItemGroupMemberInput:
    sku_code: str
    ratio: Decimal = Decimal(1)


@strawberry.input
class ItemGroupDefineInput:
    code: str
    name: str = ""
    members: list[ItemGroupMemberInput] = strawberry.field(default_factory=list)

    def domain_members(self) -> list[tuple[str, Decimal]]:
        rl.cap_lines(self.members, ("members",))
        return [(m.sku_code, m.ratio) for m in self.members]


@strawberry.input
class MaterialProcessSetInput:
    sku_code: str
    operation_code: str
    equipment: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class ProductionOrderPlanInput:
    sku_code: str
    warehouse_code: str
    quantity: Decimal = strawberry.field(description="Good units of the output SKU (base unit).")
    planned_date: date
    note: str = ""
    idempotency_key: str | None = None


@strawberry.input
class SubstitutionInput:
    bom_line_id: strawberry.ID
    sku_code: str = strawberry.field(description="The substitute chosen for the line.")


@strawberry.input
class ProductionOrderReleaseInput:
    order_id: strawberry.ID
    substitutions: list[SubstitutionInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = None

    def domain_substitutions(self) -> list[orders.Substitution]:
        rl.cap_lines(self.substitutions, ("substitutions",))
        return [
            orders.Substitution(
                rl.decode_id(s.bom_line_id, "BomLine", ("substitutions", str(i), "bomLineId")), s.sku_code
            )
            for i, s in enumerate(self.substitutions)
        ]


@strawberry.input
class NamedLotsInput:
    bom_line_id: strawberry.ID
    batch_ids: list[strawberry.ID]


@strawberry.input
class ProductionOrderCompleteInput:
    order_id: strawberry.ID
    good_quantity: Decimal
    lot_code: str = strawberry.field(description="The output lot; by-products get <lot>-BP1, -BP2…")
    location_code: str
    scrap_quantity: Decimal = Decimal(0)
    named_lots: list[NamedLotsInput] = strawberry.field(
        default_factory=list, description="Consume these components only from these lots (FEFO among them)."
    )
    idempotency_key: str | None = None

    def domain_named_lots(self) -> list[completion.NamedLots]:
        rl.cap_lines(self.named_lots, ("namedLots",))
        out = []
        for i, n in enumerate(self.named_lots):
            path = ("namedLots", str(i))
            rl.cap_lines(n.batch_ids, (*path, "batchIds"))
            out.append(
                completion.NamedLots(
                    rl.decode_id(n.bom_line_id, "BomLine", (*path, "bomLineId")),
                    tuple(rl.decode_id(b, "Batch", (*path, "batchIds")) for b in n.batch_ids),
                )
            )
        return out


@strawberry.input
class ProductionOrderCloseInput:
    order_id: strawberry.ID
    idempotency_key: str | None = None
