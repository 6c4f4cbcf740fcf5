"""Edge rules: what a handheld decides on the spot about a scan. Pure, and shipped to devices as data.

The same rules run on the server (when a synced operation is applied) and on the device (offline, in
``supplier_portal/static/handheld/rules.js``): one set of test vectors (``tests/data/edge_rules.json``)
runs against both implementations, so they cannot drift. A rule's input is a ``Scan`` (what was scanned)
and a ``Context`` (what the device knows: the task line, the bin's contents, the batch, today); its output
is a list of ``Finding``s, each blocking or a warning, with a message in Chinese and English.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

RULES_VERSION = 1
DEFAULTS: dict[str, Any] = {"version": RULES_VERSION, "near_expiry_days": 3}


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Scan:
    bin_code: str
    sku_code: str
    lot_code: str
    quantity: str  # decimal string, base units


@dataclass(frozen=True)
class Context:
    today: date
    expected_bin: str | None = None  # the task line's bin (None: no task, e.g. a count)
    expected_sku: str | None = None
    expected_lot: str | None = None
    batch_status: str = "available"
    expiry_date: date | None = None
    best_before_date: date | None = None
    bin_frozen: bool = False
    bin_lots: tuple[str, ...] = field(default_factory=tuple)  # lots of this SKU already in the bin


def evaluate(scan: Scan, ctx: Context, config: dict[str, Any] | None = None) -> list[Finding]:
    """Every finding for ``scan`` in ``ctx``, in a fixed order (blocks first, then warnings)."""
    cfg = {**DEFAULTS, **(config or {})}
    out: list[Finding] = []
    block = Severity.BLOCK
    if ctx.bin_frozen:
        out.append(
            Finding(
                "FROZEN_BIN",
                block,
                f"库位 {scan.bin_code} 盘点中，已冻结",
                f"bin {scan.bin_code} is frozen by a count",
            )
        )
    if ctx.expected_bin is not None and scan.bin_code != ctx.expected_bin:
        out.append(
            Finding(
                "WRONG_BIN",
                block,
                f"库位错误：应为 {ctx.expected_bin}",
                f"wrong bin: expected {ctx.expected_bin}",
            )
        )
    if ctx.expected_sku is not None and scan.sku_code != ctx.expected_sku:
        out.append(
            Finding(
                "WRONG_SKU",
                block,
                f"商品错误：应为 {ctx.expected_sku}",
                f"wrong SKU: expected {ctx.expected_sku}",
            )
        )
    if ctx.batch_status != "available":
        out.append(
            Finding(
                "NOT_AVAILABLE",
                block,
                f"批次状态 {ctx.batch_status}，不可拣货",
                f"lot is {ctx.batch_status}, not pickable",
            )
        )
    if ctx.expiry_date is not None and ctx.expiry_date < ctx.today:
        out.append(
            Finding(
                "EXPIRED",
                block,
                f"已过保质期 {ctx.expiry_date.isoformat()}",
                f"expired on {ctx.expiry_date.isoformat()}",
            )
        )
    near = ctx.today + timedelta(days=int(cfg["near_expiry_days"]))
    if ctx.expiry_date is not None and ctx.today <= ctx.expiry_date <= near:
        out.append(
            Finding(
                "NEAR_EXPIRY",
                Severity.WARN,
                f"临期：{ctx.expiry_date.isoformat()} 到期",
                f"near expiry: {ctx.expiry_date.isoformat()}",
            )
        )
    if ctx.expected_lot is not None and scan.lot_code != ctx.expected_lot:
        out.append(
            Finding(
                "OTHER_LOT",
                Severity.WARN,
                f"非建议批次（建议 {ctx.expected_lot}），需填写原因",
                f"not the suggested lot ({ctx.expected_lot}): give a reason",
            )
        )
    if any(lot != scan.lot_code for lot in ctx.bin_lots):
        out.append(
            Finding(
                "MIXED_LOTS", Severity.WARN, "该库位混放多个批次", "the bin holds several lots of this SKU"
            )
        )
    return out


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.BLOCK]
