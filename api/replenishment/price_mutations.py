"""Price list and weather mutations: ``supplierPriceCreate`` / ``supplierPriceUpdate`` (buyers keep the
company's price lists; store managers and suppliers do not) and ``weatherImport`` (a CSV or JSON file of
weekly weather indices, through the same provider a scheduled import would use). They translate."""
# mypy: disable-error-code="untyped-decorator"

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.replenishment.price_types import SupplierPrice
from domain.common.errors import Forbidden
from domain.partners.rules import Permission as Perm
from domain.partners.rules import Role
from domain.replenishment import models as rmodels
from domain.replenishment import price_lists, price_rules, weather


@strawberry.input
class PriceBreakInput:
    min_quantity: Decimal
    unit_price: Decimal


@strawberry.input(description="A price list line: unit price from the MOQ on, lower prices at the breaks.")
class SupplierPriceInput:
    supplier_code: str
    sku_code: str
    unit_price: Decimal
    valid_from: date
    valid_to: date | None = None
    currency: str = "CNY"
    min_quantity: Decimal = Decimal(0)
    pack_size: Decimal = Decimal(1)
    capacity_per_week: Decimal | None = None
    lead_time_days: int | None = None
    breaks: list[PriceBreakInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = None

    def to_domain(self) -> price_lists.PriceLine:
        rl.cap_lines(self.breaks, ("breaks",))
        terms = price_rules.PriceTerms(
            self.unit_price,
            self.currency,
            self.min_quantity,
            self.pack_size,
            self.capacity_per_week,
            self.lead_time_days,
            self.valid_from,
            self.valid_to,
            tuple(price_rules.PriceBreak(b.min_quantity, b.unit_price) for b in self.breaks),
        )
        return price_lists.PriceLine(self.supplier_code, self.sku_code, terms)


@strawberry.input
class SupplierPriceUpdateInput:
    id: strawberry.ID
    price: SupplierPriceInput

    def pk(self) -> int:
        return rl.decode_id(self.id, "SupplierPrice", ("id",))


@strawberry.input(description="Weekly weather indices per region: CSV (region,week_start,value) or JSON.")
class WeatherImportInput:
    format: str = strawberry.field(description="csv or json.")
    content: str = strawberry.field(description="The file's text (UTF-8).")
    source: str = strawberry.field(default="upload", description="Where the file came from (stored).")
    idempotency_key: str | None = None


@strawberry.type
class SupplierPriceSaved:
    price: SupplierPrice
    replayed: bool


@strawberry.type(description="What an import wrote: one row per region × week (the last reading wins).")
class WeatherImported:
    rows: int
    regions: list[str]
    first_week: date | None
    last_week: date | None
    replayed: bool


SupplierPriceResult = Annotated[
    SupplierPriceSaved | errors.AnyUserError, strawberry.union("SupplierPriceResult")
]
WeatherImportResult = Annotated[
    WeatherImported | errors.AnyUserError, strawberry.union("WeatherImportResult")
]


def _company_wide(info: Info, perm: Perm) -> int:
    """The caller's user id, when a buyer-side role may keep company-wide data."""
    principal = auth.require(info, perm)
    if principal.role is Role.STORE_MANAGER:
        raise Forbidden("price lists and weather are company-wide: buyers keep them (价目表由采购维护)")
    return principal.user_id


async def _saved(posted_id: int, replayed: bool) -> SupplierPriceSaved:
    row = await rmodels.SupplierPrice.get(id=posted_id)
    return SupplierPriceSaved(price=SupplierPrice.from_row(row), replayed=replayed)


@strawberry.type
class PriceListMutation:
    @strawberry.mutation(description="Adds a supplier price list line with its quantity breaks.")
    async def supplier_price_create(self, info: Info, input: SupplierPriceInput) -> SupplierPriceResult:
        async def run() -> SupplierPriceSaved:
            user_id = _company_wide(info, Perm.PURCHASING_WRITE)
            key = auth.client_key(info, input.idempotency_key)
            posted = await price_lists.supplier_price_create(input.to_domain(), key, requested_by_id=user_id)
            return await _saved(posted.document_id, posted.replayed)

        return await errors.guard(run())

    @strawberry.mutation(description="Replaces a price list line's terms and breaks (end it with validTo).")
    async def supplier_price_update(self, info: Info, input: SupplierPriceUpdateInput) -> SupplierPriceResult:
        async def run() -> SupplierPriceSaved:
            user_id = _company_wide(info, Perm.PURCHASING_WRITE)
            key = auth.client_key(info, input.price.idempotency_key)
            posted = await price_lists.supplier_price_update(
                input.pk(), input.price.to_domain(), key, requested_by_id=user_id
            )
            return await _saved(posted.document_id, posted.replayed)

        return await errors.guard(run())

    @strawberry.mutation(
        description="天气指数导入: weekly weather indices per region from a CSV or JSON file."
    )
    async def weather_import(self, info: Info, input: WeatherImportInput) -> WeatherImportResult:
        async def run() -> WeatherImported:
            _company_wide(info, Perm.CATALOG_WRITE)
            key = auth.client_key(info, input.idempotency_key)
            result = await weather.weather_upload(input.content, input.format, input.source, key)
            return WeatherImported(
                rows=result.rows,
                regions=list(result.regions),
                first_week=result.first_week,
                last_week=result.last_week,
                replayed=result.replayed,
            )

        return await errors.guard(run())
