"""A wave's walk: its pick lines gathered into stops, one per bin, SKU and suggested lot, in bin path order.

Pure. Batch picking: the picker walks the warehouse once, in the order of the bins' paths ("WH1/A/A-01"
before "WH1/A/A-02" before "WH1/B/…"; plain string order, as the paths are written), and at each stop
takes the whole quantity every order of the wave needs from it; the lines of a stop stay separate, so each
order's shipment posts what was picked for it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class WaveLine:
    line_id: int
    order_id: int
    bin_code: str
    bin_path: str
    sku_code: str
    lot_code: str
    quantity: Decimal  # base units, still to pick


@dataclass(frozen=True)
class Stop:
    bin_code: str
    bin_path: str
    sku_code: str
    lot_code: str
    quantity: Decimal  # the sum of its lines' quantities
    line_ids: tuple[int, ...]  # by order, then line


def stops(lines: Iterable[WaveLine]) -> list[Stop]:
    """The stops of ``lines``, in walking order (bin path, then SKU, then lot); each line in exactly one."""
    groups: dict[tuple[str, str, str, str], list[WaveLine]] = {}
    for ln in lines:
        groups.setdefault((ln.bin_path, ln.bin_code, ln.sku_code, ln.lot_code), []).append(ln)
    out = []
    for (path, code, sku, lot), group in sorted(groups.items()):
        group.sort(key=lambda ln: (ln.order_id, ln.line_id))
        out.append(
            Stop(
                code,
                path,
                sku,
                lot,
                sum((ln.quantity for ln in group), Decimal(0)),
                tuple(ln.line_id for ln in group),
            )
        )
    return out
