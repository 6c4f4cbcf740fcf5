"""Sales channels and stock allocation: pure rules, no I/O.

A SKU's available stock in a warehouse (allocatable: not expired, not quarantined, not reserved) is split
between the warehouse's sales channels (dine-in, each delivery platform's store, group meals, wholesale) by
allocation rules, in the terms Chinese omni-channel inventory systems use:

- **exclusive share** (独占比例) ``share``: the fraction of available stock held for this channel alone;
- **shared pool** (共享库存): what no channel holds exclusively, sellable by every channel, first come first
  served (a sale through any channel reserves it, and every channel's figure drops);
- **safety stock** (安全库存) ``floor``: held back from this channel's figure, so a delivery platform shows
  sold-out before the last portions, which stay for the counter;
- **priority**: when exclusive shares add up to more than what is available, higher priority channels are
  served first.

A channel is sold out (售罄) when its sellable quantity is zero; it is back when stock returns.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

ZERO = Decimal(0)
QTY = Decimal("0.0001")  # the scale of stock quantities (numeric(18, 4))


class ChannelKind(StrEnum):
    DINE_IN = "dine_in"  # 堂食
    MEITUAN = "meituan"  # 美团外卖
    ELEME = "eleme"  # 饿了么
    GROUP_MEAL = "group_meal"  # 团餐
    WHOLESALE = "wholesale"  # 批发
    STORE = "store"  # 门店零售

    @property
    def is_platform(self) -> bool:
        return self in (ChannelKind.MEITUAN, ChannelKind.ELEME)


@dataclass(frozen=True)
class Rule:
    """One channel's allocation of one SKU (the most specific rule that applies: SKU, then category)."""

    channel_id: int
    share: Decimal = ZERO  # 0..1 of available stock held exclusively for the channel
    floor: Decimal = ZERO  # safety stock withheld from the channel's sellable figure, base units
    priority: int = 0  # higher first when exclusive shares cannot all be met


@dataclass(frozen=True)
class Allocation:
    channel_id: int
    exclusive: Decimal  # held for this channel alone
    sellable: Decimal  # exclusive + shared pool - safety stock, never below zero

    @property
    def sold_out(self) -> bool:
        return self.sellable <= 0


def allocate(available: Decimal, rules: Sequence[Rule]) -> list[Allocation]:
    """Splits ``available`` (base units, >= 0) between channels; one ``Allocation`` per rule, in rule order.

    Invariants (tested with hypothesis): exclusive holds never add up to more than ``available``; no channel
    may sell more than ``available``; with nothing available every channel is sold out; more stock never
    lowers a channel's figure.
    """
    available = max(available, ZERO)
    exclusive: dict[int, Decimal] = {}
    left = available
    for rule in sorted(rules, key=lambda r: (-r.priority, r.channel_id)):
        # Exact products (no rounding until the end), so more stock can never lower a figure by rounding.
        held = min(available * min(max(rule.share, ZERO), Decimal(1)), left)
        exclusive[rule.channel_id] = held
        left -= held
    pool = left
    out = []
    for rule in rules:
        held = exclusive[rule.channel_id]
        sellable = max(held + pool - max(rule.floor, ZERO), ZERO)
        out.append(
            Allocation(rule.channel_id, held.quantize(QTY, ROUND_FLOOR), sellable.quantize(QTY, ROUND_FLOOR))
        )
    return out


def platform_stock(sellable: Decimal) -> int:
    """What a delivery platform is told: whole portions, rounded down (platforms take integer stock)."""
    return int(max(sellable, ZERO).to_integral_value(ROUND_FLOOR))


MAX_ATTEMPTS = 8  # then the event is dead-lettered, visible in GraphQL, and retried only by a person


def retry_delay_seconds(attempts: int) -> int:
    """Backoff before attempt ``attempts + 1``: 5 s, 10 s, 20 s … capped at one hour."""
    return int(min(5 * 2 ** max(attempts - 1, 0), 3600))
