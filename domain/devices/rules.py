"""Edge rules: what a handheld decides on the spot about a scan. Pure, and shipped to devices as data.

The same rules run on the server (when a synced operation is applied) and on the device (offline, in
``supplier_portal/static/handheld/rules.js``): one set of test vectors (``tests/data/edge_rules.json``)
runs against both implementations, so they cannot drift. A rule's input is a ``Scan`` (what was scanned)
and a ``Context`` (what the device knows: the task line, the bin's contents, the batch, today); its output
is a list of ``Finding``s, each blocking or a warning, with a message in Chinese and English.

The operation decides which rules apply: a ``pick`` or a ``move`` takes available, unexpired stock out of
an unfrozen bin; a ``receive`` refuses an expired lot and a frozen bin; a ``count`` needs its bin frozen
by the count (and ignores dates and statuses: it records what is there). Every operation is refused outside
the device's zones (location path prefixes; none: the whole warehouse), on the device and on the server.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

RULES_VERSION = 2
DEFAULTS: dict[str, Any] = {"version": RULES_VERSION, "near_expiry_days": 3}
OPERATIONS = ("pick", "receive", "count", "move")


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
    to_bin_code: str | None = None  # a move's target bin


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
    bin_lots: tuple[str, ...] = field(default_factory=tuple)  # lots of this SKU already in the (target) bin
    operation: str = "pick"  # one of OPERATIONS
    zones: tuple[str, ...] = field(default_factory=tuple)  # the device's location path prefixes; () = all
    bin_path: str | None = None  # the scanned bin's path ("WH1/A/A-01"); None: unknown, not checked
    to_bin_path: str | None = None
    to_bin_frozen: bool = False


def in_zones(path: str, zones: tuple[str, ...]) -> bool:
    """Whether a location path lies in one of ``zones`` (a zone is itself or a path prefix up to a ``/``)."""
    return not zones or any(path == z or path.startswith(z.rstrip("/") + "/") for z in zones)


def evaluate(scan: Scan, ctx: Context, config: dict[str, Any] | None = None) -> list[Finding]:
    """Every finding for ``scan`` in ``ctx``, in a fixed order (the order of the checks below).

    ``config`` overrides ``DEFAULTS`` (``near_expiry_days``: warn this many days before expiry, inclusive)."""
    cfg = {**DEFAULTS, **(config or {})}
    out: list[Finding] = []
    block = Severity.BLOCK
    op = ctx.operation
    for code, path in ((scan.bin_code, ctx.bin_path), (scan.to_bin_code, ctx.to_bin_path)):
        if code is not None and path is not None and not in_zones(path, ctx.zones):
            out.append(
                Finding(
                    "OUT_OF_ZONE",
                    block,
                    f"库位 {code} 不在本设备的作业区域",
                    f"bin {code} is outside this device's zones",
                )
            )
    if op == "count" and not ctx.bin_frozen:
        out.append(
            Finding(
                "NOT_COUNTING",
                block,
                f"库位 {scan.bin_code} 不在进行中的盘点",
                f"bin {scan.bin_code} is not in an open count",
            )
        )
    frozen: list[tuple[str, bool]] = [] if op == "count" else [(scan.bin_code, ctx.bin_frozen)]
    if op == "move" and scan.to_bin_code is not None:
        frozen.append((scan.to_bin_code, ctx.to_bin_frozen))
    for code, is_frozen in frozen:
        if is_frozen:
            out.append(
                Finding(
                    "FROZEN_BIN",
                    block,
                    f"库位 {code} 盘点中，已冻结",
                    f"bin {code} is frozen by a count",
                )
            )
    if op == "move" and scan.to_bin_code == scan.bin_code:
        out.append(Finding("SAME_BIN", block, "目标库位与来源相同", "the target bin is the source bin"))
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
    if op in ("pick", "move") and ctx.batch_status != "available":
        out.append(
            Finding(
                "NOT_AVAILABLE",
                block,
                f"批次状态 {ctx.batch_status}，不可{'拣货' if op == 'pick' else '移库'}",
                f"lot is {ctx.batch_status}, not {'pickable' if op == 'pick' else 'movable'}",
            )
        )
    dated = op != "count"  # a count records what is there, expired or not
    if dated and ctx.expiry_date is not None and ctx.expiry_date < ctx.today:
        out.append(
            Finding(
                "EXPIRED",
                block,
                f"已过保质期 {ctx.expiry_date.isoformat()}",
                f"expired on {ctx.expiry_date.isoformat()}",
            )
        )
    near = ctx.today + timedelta(days=int(cfg["near_expiry_days"]))
    if dated and ctx.expiry_date is not None and ctx.today <= ctx.expiry_date <= near:
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
    if op != "count" and any(lot != scan.lot_code for lot in ctx.bin_lots):
        out.append(
            Finding(
                "MIXED_LOTS", Severity.WARN, "该库位混放多个批次", "the bin holds several lots of this SKU"
            )
        )
    return out


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that refuse the scan."""
    return [f for f in findings if f.severity is Severity.BLOCK]
