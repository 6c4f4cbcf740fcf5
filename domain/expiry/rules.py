"""Pure expiry rules: which policy applies to a SKU, and what is due for a lot on a business day.

Two dates, two actions (DESIGN glossary): the legal expiry date (保质期) raises a ``near_expiry`` alert
``alert_days`` before it and blocks the lot from sale the day after it (``expired``); the commercial
best-before date (最佳赏味期) gets a promotion proposal (a suggested markdown, a fraction of the price:
``0.30`` = 30 % off) ``promote_days`` before it, while the lot may still be sold. Days are business days
(``domain.common.business_time``); the expiry date itself is still a selling day.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.common.errors import ValidationError

DEFAULT_ALERT_DAYS = 3
DEFAULT_PROMOTE_DAYS = 7
DEFAULT_MARKDOWN = Decimal("0.30")
MAX_DAYS = 366
MARKDOWN_PLACES = Decimal("0.0001")


class AlertKind(StrEnum):
    NEAR_EXPIRY = "near_expiry"  # 临期: within alert_days of the expiry date
    EXPIRED = "expired"  # 过期: past the expiry date, blocked from sale


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Policy:
    alert_days: int = DEFAULT_ALERT_DAYS
    promote_days: int = DEFAULT_PROMOTE_DAYS
    markdown: Decimal = DEFAULT_MARKDOWN


BUILT_IN = Policy()


def check_policy(alert_days: int, promote_days: int, markdown: Decimal) -> Policy:
    """A policy as entered; ``ValidationError`` names the field that is out of range."""
    for name, days in (("alertDays", alert_days), ("promoteDays", promote_days)):
        if not 0 <= days <= MAX_DAYS:
            raise ValidationError(f"{name} must be between 0 and {MAX_DAYS} days, got {days}", (name,))
    check_markdown(markdown, ("markdown",))
    return Policy(alert_days, promote_days, markdown)


def check_markdown(markdown: Decimal, path: tuple[str, ...]) -> Decimal:
    """A markdown is a fraction of the price, more than 0 and less than 1, at most 4 decimal places."""
    if not markdown.is_finite() or not Decimal(0) < markdown < Decimal(1):
        raise ValidationError(
            f"markdown must be more than 0 and less than 1 (0.3 = 30 %), got {markdown}", path
        )
    if markdown.quantize(MARKDOWN_PLACES) != markdown:
        raise ValidationError(f"markdown {markdown} has more than 4 decimal places", path)
    return markdown


def policy_for(
    sku_id: int,
    category_id: int | None,
    by_sku: Mapping[int, Policy],
    by_category: Mapping[int, Policy],
    default: Policy | None,
) -> Policy:
    """The SKU's own policy, else its category's, else the configured default, else the built-in one."""
    if sku_id in by_sku:
        return by_sku[sku_id]
    if category_id is not None and category_id in by_category:
        return by_category[category_id]
    return default or BUILT_IN


@dataclass(frozen=True)
class Due:
    """What a lot needs on a business day."""

    alert: AlertKind | None  # an expiry alert of this kind
    promote: bool  # a promotion proposal (best-before near, lot still sellable)


def due_on(expiry_date: date | None, best_before_date: date | None, today: date, policy: Policy) -> Due:
    """Expiry: ``expired`` once past it, ``near_expiry`` within ``alert_days``. Best-before: a proposal from
    ``promote_days`` before it up to the day itself, unless the lot is expired (nothing to promote)."""
    alert: AlertKind | None = None
    if expiry_date is not None:
        left = (expiry_date - today).days
        if left < 0:
            alert = AlertKind.EXPIRED
        elif left <= policy.alert_days:
            alert = AlertKind.NEAR_EXPIRY
    promote = (
        best_before_date is not None
        and alert != AlertKind.EXPIRED
        and 0 <= (best_before_date - today).days <= policy.promote_days
    )
    return Due(alert, promote)


def horizon(policies: list[Policy]) -> int:
    """The most days ahead any policy looks: lots dated further out need nothing today."""
    return max((max(p.alert_days, p.promote_days) for p in [*policies, BUILT_IN]), default=0)
