"""Inventory inputs. Where the service takes codes (warehouse, location, SKU) the input does too."""

from decimal import Decimal

import strawberry

from api import relay as rl
from domain.inventory import counts, transfers


@strawberry.input
class WarehouseCreateInput:
    code: str
    name: str
    gln: str | None = None


@strawberry.input
class LocationCreateInput:
    parent_code: str = strawberry.field(description="The parent location (a warehouse's root has its code).")
    code: str
    name: str
    capacity: Decimal | None = None


@strawberry.input
class BatchStatusInput:
    batch_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class StockCountStartInput:
    warehouse_code: str
    location_codes: list[str]
    idempotency_key: str | None = None


@strawberry.input
class CountedLineInput:
    location_code: str
    batch_id: strawberry.ID
    counted: Decimal
    status: str | None = strawberry.field(
        default=None, description="The stock's status; null: the one the count sheet lists for the lot there."
    )


@strawberry.input
class StockCountPostInput:
    stock_count_id: strawberry.ID
    lines: list[CountedLineInput]
    idempotency_key: str | None = None

    def to_domain(self) -> list[counts.CountedLine]:
        rl.cap_lines(self.lines)
        return [
            counts.CountedLine(
                location_code=ln.location_code,
                batch_id=rl.decode_id(ln.batch_id, "Batch", ("lines", str(i), "batchId")),
                counted=ln.counted,
                status=ln.status,
            )
            for i, ln in enumerate(self.lines)
        ]


@strawberry.input
class TransferLineInput:
    sku_code: str
    quantity: Decimal = strawberry.field(description="In the SKU's base unit.")
    batch_id: strawberry.ID | None = strawberry.field(default=None, description="None: pick FEFO.")
    status: str | None = strawberry.field(
        default=None,
        description="With a batch: the status of the stock to move (kept in transit and at arrival); "
        "null: the batch's own. Without a batch only available stock is picked.",
    )


@strawberry.input
class TransferShipInput:
    from_warehouse_code: str
    to_warehouse_code: str
    lines: list[TransferLineInput]
    idempotency_key: str | None = None

    def to_domain(self) -> list[transfers.TransferLineInput]:
        rl.cap_lines(self.lines)
        return [
            transfers.TransferLineInput(
                sku_code=ln.sku_code,
                quantity=ln.quantity,
                batch_id=rl.maybe_id(ln.batch_id, "Batch", ("lines", str(i), "batchId")),
                status=ln.status,
            )
            for i, ln in enumerate(self.lines)
        ]


@strawberry.input
class TransferReceiveInput:
    transfer_id: strawberry.ID
    location_code: str
    idempotency_key: str | None = None
