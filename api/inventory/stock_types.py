# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Inventory read models as GraphQL types: stock on hand, stock summary, ledger lines, valuation.

Quantities are in the SKU's base unit; money in the book currency.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import auth, nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.inventory import types
from api.inventory.types import Batch, Location, Warehouse
from api.scalars import Money, Quantity, money, qty
from domain.common import business_time
from domain.common.digits import key_of
from domain.inventory import availability, models, rules
from domain.partners.rules import Permission as Perm

_READ = Perm.INVENTORY_READ


@strawberry.type(description="On hand per SKU × location × batch × status.")
class StockOnHand(relay.Node):
    # Built whole from one joined query: a page of 100 rows has no per-row resolvers or loader calls,
    # which is where GraphQL time goes on big lists (STYLE.md: keep resolvers of big lists cheap).
    id: relay.NodeID[int]
    status: str
    sku: Sku
    location: Location
    warehouse: Warehouse
    batch: Batch
    quantity: Quantity
    reserved: Quantity
    available: Quantity = strawberry.field(
        description="What picking may take: not reserved, of available stock not past its expiry date in an "
        "unfrozen stock location; zero otherwise."
    )

    RELATED = ("sku", "location", "warehouse", "batch")

    @classmethod
    def from_row(
        cls, r: Any, today: date | None = None, built: dict[tuple[str, int], Any] | None = None
    ) -> "StockOnHand":
        """``r``: a stock row with its relations (a model from ``select_related(*RELATED)``, or
        ``_QuantValues``); ``today``: the business day the status and availability are reported for
        (default: now); ``built``: the SKUs, locations and warehouses already built on this page, by
        (relation, id), reused rather than built again for each row."""
        day = today or business_time.business_today(datetime.now(UTC))
        unit = r.sku.base_unit
        b = r.batch
        free = Decimal(r.quantity) - Decimal(r.reserved)
        candidate = rules.QuantCandidate(
            r.id, b.id, r.location_id, b.expiry_date, b.best_before_date, r.status, b.status, free
        )
        return cls(
            id=r.id,
            status=rules.status_at(r.status, b.expiry_date, day),
            sku=_once(built, "sku", r.sku, Sku.from_row),
            location=_once(built, "location", r.location, Location.from_row),
            warehouse=_once(built, "warehouse", r.warehouse, Warehouse.from_row),
            batch=Batch.from_row(b, day),
            quantity=qty(Decimal(r.quantity), unit),
            reserved=qty(Decimal(r.reserved), unit),
            available=qty(
                availability.available_quantity(candidate, r.location.kind, r.location.frozen, day), unit
            ),
        )

    @classmethod
    def page_builder(cls, today: date) -> Callable[[dict[str, Any]], "StockOnHand"]:
        """Rows of one page fetched as ``stock_page.fields()`` dicts to nodes, exactly as ``from_row`` builds
        them from models (``tests/e2e/api/test_stock_page_values.py`` pins the two)."""
        built: dict[tuple[str, int], Any] = {}
        keys: dict[str, tuple[tuple[str, str], ...]] = {}  # every row of a page has the same keys

        def build(v: dict[str, Any]) -> "StockOnHand":
            if not keys:
                keys.update(_relation_keys(v))
            return cls.from_row(_QuantValues(v, keys), today, built)

        return build

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        auth.check(info, _READ)
        keys = [key_of(i) for i in node_ids]
        wanted = [k for k in keys if k is not None]
        rows = {r.id: r for r in await models.StockQuant.filter(id__in=wanted).select_related(*cls.RELATED)}
        return [cls.from_row(rows[k]) if k is not None and k in rows else None for k in keys]


def _once(
    built: dict[tuple[str, int], Any] | None, relation: str, row: Any, make: Callable[[Any], Any]
) -> Any:
    if built is None:
        return make(row)
    key = (relation, row.id)
    if (obj := built.get(key)) is None:
        obj = built[key] = make(row)
    return obj


# The stock page reads its rows with their four relations as plain values rather than model instances
# (``api.inventory.stock_page``): Tortoise's select_related built five model instances per row, which took
# longer than the database to answer the page (issue 15, bench/README.md). ``from_row`` reads the values
# through the two views below.


def _relation_keys(v: dict[str, Any]) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each relation of ``StockOnHand.RELATED``, its attribute names with their keys in a joined row
    (``("code", "sku__code")``)."""
    return {
        relation: tuple(
            (key.removeprefix(f"{relation}__"), key) for key in v if key.startswith(f"{relation}__")
        )
        for relation in StockOnHand.RELATED
    }


class _Related:
    """One relation's row inside a joined ``.values()`` dict, as attributes (``sku__code`` as ``.code``).

    Copied out when the row is read: reading each attribute through ``__getattr__`` first failed the
    normal look-up, an ``AttributeError`` raised and caught per read — 1.3 µs a read, a third of building
    a stock page's rows (issue 15). A name the row does not hold raises ``AttributeError`` as before."""

    def __init__(self, values: dict[str, Any], keys: tuple[tuple[str, str], ...]) -> None:
        self.__dict__ = {name: values[key] for name, key in keys}


class _QuantValues:
    """A stock row from a joined ``.values()`` dict, shaped as ``StockOnHand.from_row`` reads a model;
    ``keys``: ``_relation_keys`` of the page's rows."""

    __slots__ = (
        "batch",
        "id",
        "location",
        "location_id",
        "quantity",
        "reserved",
        "sku",
        "status",
        "warehouse",
    )

    def __init__(self, v: dict[str, Any], keys: dict[str, tuple[tuple[str, str], ...]]) -> None:
        self.id = v["id"]
        self.status = v["status"]
        self.quantity = v["quantity"]
        self.reserved = v["reserved"]
        self.location_id = v["location_id"]
        self.sku = _Related(v, keys["sku"])
        self.location = _Related(v, keys["location"])
        self.warehouse = _Related(v, keys["warehouse"])
        self.batch = _Related(v, keys["batch"])


@strawberry.type(description="Stock of one SKU (in one warehouse or all), in its base unit.")
class StockSummary:
    sku: Sku
    warehouse: Warehouse | None
    on_hand: Quantity
    available: Quantity = strawberry.field(
        description="What picking may take today: available stock not past its expiry date (business time "
        "zone), in unfrozen stock locations, not reserved."
    )
    reserved: Quantity
    quarantined: Quantity
    blocked: Quantity
    expired: Quantity = strawberry.field(description="Past its expiry date: blocked from sale, to write off.")
    in_transit: Quantity


@strawberry.type(description="One append-only ledger line.")
class StockMove(relay.Node):
    id: relay.NodeID[int]
    from_status: str
    to_status: str
    document_type: str
    document_id: relay.GlobalID
    posted_at: datetime
    unit_cost: Money
    value: Money
    sku_id: strawberry.Private[int]
    batch_id: strawberry.Private[int]
    from_location_id: strawberry.Private[int]
    to_location_id: strawberry.Private[int]
    quantity_base: strawberry.Private[Decimal]

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await types.batch_of(info, self.batch_id)

    @strawberry.field
    async def from_location(self, info: Info) -> Location:
        return await types.location_of(info, self.from_location_id)

    @strawberry.field
    async def to_location(self, info: Info) -> Location:
        return await types.location_of(info, self.to_location_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await types.base_qty(info, self.sku_id, self.quantity_base)

    @classmethod
    def from_row(cls, r: models.StockMove) -> "StockMove":
        return cls(
            id=r.id,
            from_status=r.from_status,
            to_status=r.to_status,
            document_type=r.doc_type,
            document_id=relay.GlobalID(nodes.type_name(r.doc_type), str(r.doc_id)),
            posted_at=r.posted_at,
            unit_cost=money(r.unit_cost),
            value=money(r.value),
            sku_id=r.sku_id,
            batch_id=r.batch_id,
            from_location_id=r.from_location_id,
            to_location_id=r.to_location_id,
            quantity_base=Decimal(r.quantity),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.StockMove, _READ, cls.from_row)


@strawberry.type(description="Moving-average valuation of one SKU, company-wide.")
class Valuation:
    sku_id: strawberry.Private[int]
    quantity_base: strawberry.Private[Decimal]
    value: Money
    average_cost: Money

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await types.base_qty(info, self.sku_id, self.quantity_base)

    @classmethod
    def from_row(cls, r: models.SkuValuation) -> "Valuation":
        return cls(
            sku_id=r.sku_id,
            quantity_base=Decimal(r.quantity),
            value=money(r.value),
            average_cost=money(r.average_cost),
        )
