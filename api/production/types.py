# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Production types: BOMs with lines and routing, production orders with components and completions, and
the substitute engine's scored candidates."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes, scalars
from api.context import Info
from api.inventory.types import Batch, batch_of
from domain.catalog.models import Sku
from domain.inventory.models import Warehouse
from domain.partners.rules import Permission as Perm
from domain.production import models, scoring


async def _sku_code(info: Info, sku_id: int | None) -> str | None:
    return await nodes.load_one(info, Sku, sku_id, lambda s: s.code)


@strawberry.type(description="A specification range a substitute's QC results must fall in.")
class SpecRange:
    parameter: str
    minimum: Decimal | None
    maximum: Decimal | None


@strawberry.type(description="A substitute declared on a BOM line, with its units per unit of the original.")
class BomSubstitute:
    sku_id: strawberry.Private[int]
    ratio: Decimal

    @strawberry.field
    async def sku_code(self, info: Info) -> str:
        return await _sku_code(info, self.sku_id) or ""


@strawberry.type(description="A component (per output unit) or a by-product of a BOM.")
class BomLine:
    id: relay.GlobalID
    kind: str = strawberry.field(description="component or by_product.")
    quantity: Decimal = strawberry.field(description="Base units per output unit.")
    scrap_rate: Decimal
    unit_value: Decimal = strawberry.field(description="By-products: value per unit credited to the order.")
    cost_threshold: Decimal = strawberry.field(description="Allowed relative cost increase of a substitute.")
    specs: list[SpecRange]
    sku_id: strawberry.Private[int]
    pk: strawberry.Private[int]

    @strawberry.field
    async def sku_code(self, info: Info) -> str:
        return await _sku_code(info, self.sku_id) or ""

    @strawberry.field
    async def substitutes(self, info: Info) -> list[BomSubstitute]:
        return await nodes.load_children(
            info,
            models.BomSubstitute,
            "line_id",
            self.pk,
            lambda s: BomSubstitute(sku_id=s.sku_id, ratio=s.ratio),
        )

    @classmethod
    def from_row(cls, ln: models.BomLine) -> "BomLine":
        def num(v: object) -> Decimal | None:
            return None if v is None else Decimal(str(v))

        return cls(
            id=relay.GlobalID("BomLine", str(ln.id)),
            kind=ln.kind,
            quantity=ln.quantity,
            scrap_rate=ln.scrap_rate,
            unit_value=ln.unit_value,
            cost_threshold=ln.cost_threshold,
            specs=[
                SpecRange(parameter=s["parameter"], minimum=num(s.get("min")), maximum=num(s.get("max")))
                for s in ln.specs
            ],
            sku_id=ln.sku_id,
            pk=ln.id,
        )


@strawberry.type(description="A step of a routing: work centre, times, hourly rates and allowed equipment.")
class RoutingOperation:
    seq: int
    code: str
    work_centre: str
    setup_minutes: Decimal
    minutes_per_unit: Decimal
    labour_rate: Decimal = strawberry.field(description="Per hour.")
    overhead_rate: Decimal = strawberry.field(description="Per hour.")
    equipment: list[str]


@strawberry.type(description="A bill of materials of one output SKU (one active version per SKU).")
class Bom(relay.Node):
    id: relay.NodeID[int]
    version: int
    yield_rate: Decimal
    active: bool
    note: str
    sku_id: strawberry.Private[int]

    @strawberry.field
    async def sku_code(self, info: Info) -> str:
        return await _sku_code(info, self.sku_id) or ""

    @strawberry.field
    async def lines(self, info: Info) -> list[BomLine]:
        return await nodes.load_children(info, models.BomLine, "bom_id", self.id, BomLine.from_row)

    @strawberry.field
    async def operations(self, info: Info) -> list[RoutingOperation]:
        rows = await nodes.load_children(info, models.RoutingOperation, "bom_id", self.id, lambda r: r)
        return [
            RoutingOperation(
                seq=r.seq,
                code=r.code,
                work_centre=r.work_centre,
                setup_minutes=r.setup_minutes,
                minutes_per_unit=r.minutes_per_unit,
                labour_rate=r.labour_rate,
                overhead_rate=r.overhead_rate,
                equipment=list(r.equipment),
            )
            for r in sorted(rows, key=lambda r: r.seq)
        ]

    @classmethod
    def from_row(cls, b: models.Bom) -> "Bom":
        return cls(
            id=b.id, version=b.version, yield_rate=b.yield_rate, active=b.active, note=b.note, sku_id=b.sku_id
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Bom, Perm.CATALOG_READ, cls.from_row)


@strawberry.type(
    description="What an order consumes for a BOM line: its SKU, or the substitute chosen at release."
)
class ProductionComponent:
    bom_line_id: relay.GlobalID
    ratio: Decimal
    score: Decimal | None = strawberry.field(description="The substitute's score when one was chosen.")
    explanation: list[str]
    consumed: Decimal
    consumed_value: scalars.Money
    sku_id: strawberry.Private[int]
    substitute_for_sku_id: strawberry.Private[int | None]

    @strawberry.field
    async def sku_code(self, info: Info) -> str:
        return await _sku_code(info, self.sku_id) or ""

    @strawberry.field(description="The BOM line's own SKU when a substitute replaces it.")
    async def substitute_for_sku_code(self, info: Info) -> str | None:
        return await _sku_code(info, self.substitute_for_sku_id)

    @classmethod
    def from_row(cls, c: models.ProductionOrderComponent) -> "ProductionComponent":
        return cls(
            bom_line_id=relay.GlobalID("BomLine", str(c.bom_line_id)),
            ratio=c.ratio,
            score=c.score,
            explanation=list(c.explanation),
            consumed=c.consumed,
            consumed_value=scalars.money(c.consumed_value),
            sku_id=c.sku_id,
            substitute_for_sku_id=c.substitute_for_sku_id,
        )


@strawberry.type(description="A reported completion: output lot, quantities and its cost.")
class ProductionCompletion(relay.Node):
    id: relay.NodeID[int]
    number: str
    good_quantity: Decimal
    scrap_quantity: Decimal
    material_cost: scalars.Money
    labour_cost: scalars.Money
    overhead_cost: scalars.Money
    posted_at: datetime
    output_batch_id: strawberry.Private[int]

    @strawberry.field
    async def output_batch(self, info: Info) -> Batch:
        return await batch_of(info, self.output_batch_id)

    @classmethod
    def from_row(cls, c: models.ProductionCompletion) -> "ProductionCompletion":
        return cls(
            id=c.id,
            number=c.number or "",
            good_quantity=c.good_quantity,
            scrap_quantity=c.scrap_quantity,
            material_cost=scalars.money(c.material_cost),
            labour_cost=scalars.money(c.labour_cost),
            overhead_cost=scalars.money(c.overhead_cost),
            posted_at=c.posted_at,
            output_batch_id=c.output_batch_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.ProductionCompletion, Perm.INVENTORY_READ, cls.from_row
        )


@strawberry.type(description="A production order: planned, released, in progress, closed.")
class ProductionOrder(relay.Node):
    id: relay.NodeID[int]
    number: str
    status: str
    planned_quantity: Decimal
    completed_quantity: Decimal
    scrap_quantity: Decimal
    material_cost: scalars.Money
    labour_cost: scalars.Money
    overhead_cost: scalars.Money
    planned_date: date
    released_at: datetime | None
    closed_at: datetime | None
    sku_id: strawberry.Private[int]
    bom_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]

    @strawberry.field
    async def sku_code(self, info: Info) -> str:
        return await _sku_code(info, self.sku_id) or ""

    @strawberry.field
    async def warehouse_code(self, info: Info) -> str:
        return await nodes.load_one(info, Warehouse, self.warehouse_id, lambda w: w.code) or ""

    @strawberry.field
    async def bom(self, info: Info) -> Bom:
        return await nodes.load_required(info, models.Bom, self.bom_id, Bom.from_row)

    @strawberry.field
    async def components(self, info: Info) -> list[ProductionComponent]:
        return await nodes.load_children(
            info, models.ProductionOrderComponent, "order_id", self.id, ProductionComponent.from_row
        )

    @strawberry.field
    async def completions(self, info: Info) -> list[ProductionCompletion]:
        return await nodes.load_children(
            info, models.ProductionCompletion, "order_id", self.id, ProductionCompletion.from_row
        )

    @classmethod
    def from_row(cls, o: models.ProductionOrder) -> "ProductionOrder":
        return cls(
            id=o.id,
            number=o.number or "",
            status=o.status,
            planned_quantity=o.planned_quantity,
            completed_quantity=o.completed_quantity,
            scrap_quantity=o.scrap_quantity,
            material_cost=scalars.money(o.material_cost),
            labour_cost=scalars.money(o.labour_cost),
            overhead_cost=scalars.money(o.overhead_cost),
            planned_date=o.planned_date,
            released_at=o.released_at,
            closed_at=o.closed_at,
            sku_id=o.sku_id,
            bom_id=o.bom_id,
            warehouse_id=o.warehouse_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.ProductionOrder, Perm.INVENTORY_READ, cls.from_row
        )


@strawberry.type(description="A substitute for a short component, scored on route, quality and cost.")
class SubstituteCandidate:
    sku_code: str
    source: str = strawberry.field(description="bom_line (declared on the line) or item_group.")
    ratio: Decimal
    route_score: Decimal
    quality_score: Decimal
    cost_score: Decimal
    cost_difference: Decimal = strawberry.field(description="Relative cost per original unit; + is dearer.")
    needed: Decimal = strawberry.field(description="Base units of the substitute for what is left to make.")
    score: Decimal
    eligible: bool
    explanation: list[str]

    @classmethod
    def of(cls, s: scoring.Scored) -> "SubstituteCandidate":
        return cls(
            sku_code=s.sku_code,
            source=s.source,
            ratio=s.ratio,
            route_score=s.route_score,
            quality_score=s.quality_score,
            cost_score=s.cost_score,
            cost_difference=s.cost_difference,
            needed=s.needed,
            score=s.score,
            eligible=s.eligible,
            explanation=list(s.explanation),
        )


@strawberry.type(description="A purchased material's gross requirement through every BOM level.")
class MaterialRequirement:
    sku_code: str
    quantity: Decimal
