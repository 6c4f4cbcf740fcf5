"""Use cases people call: set an expiry policy, accept or dismiss a promotion proposal, acknowledge an alert.

Markdowns are fractions of the price (``0.3`` = 30 % off), at most 4 decimal places. Errors: ``NotFound``
(unknown SKU, category, proposal or alert), ``ValidationError`` (days or markdown out of range, a SKU and a
category named together), ``Conflict`` (a proposal already decided).
"""

from datetime import datetime
from decimal import Decimal

from tortoise.transactions import in_transaction

from domain.catalog.models import Category, Sku
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.expiry import rules
from domain.expiry.models import ExpiryAlert, ExpiryPolicy, PromotionProposal

MAX_NOTE = 500


async def expiry_policy_set(
    alert_days: int,
    promote_days: int,
    markdown: Decimal,
    sku_code: str | None = None,
    category_code: str | None = None,
) -> ExpiryPolicy:
    """Sets the policy of a SKU, of a category, or (neither named) the default; replaces the one there."""
    rules.check_policy(alert_days, promote_days, markdown)
    if sku_code is not None and category_code is not None:
        raise ValidationError("name a SKU or a category, not both", ("categoryCode",))
    target: dict[str, int | None] = {"sku_id": None, "category_id": None}
    where: dict[str, object] = {"sku_id__isnull": True, "category_id__isnull": True}
    if sku_code is not None:
        sku = await Sku.get_or_none(code=sku_code)
        if sku is None:
            raise NotFound("SKU", sku_code, ("skuCode",))
        target["sku_id"] = sku.id
        where = {"sku_id": sku.id}
    elif category_code is not None:
        category = await Category.get_or_none(code=category_code)
        if category is None:
            raise NotFound("category", category_code, ("categoryCode",))
        target["category_id"] = category.id
        where = {"category_id": category.id}
    async with in_transaction():
        query = ExpiryPolicy.filter(**where)
        if is_postgres():
            query = query.select_for_update()
        row = await query.first()
        if row is None:
            return await ExpiryPolicy.create(
                sku_id=target["sku_id"],
                category_id=target["category_id"],
                alert_days=alert_days,
                promote_days=promote_days,
                markdown=markdown,
            )
        await ExpiryPolicy.filter(id=row.id).update(
            alert_days=alert_days, promote_days=promote_days, markdown=markdown
        )
        await row.refresh_from_db()
        return row


async def promotion_proposal_decide(
    proposal_id: int,
    accept: bool,
    decided_by_id: int | None,
    now: datetime,
    markdown: Decimal | None = None,
    note: str = "",
) -> PromotionProposal:
    """A store manager accepts (at the suggested markdown, or ``markdown``) or dismisses a proposal; once."""
    if markdown is not None:
        if not accept:
            raise ValidationError("a dismissed proposal takes no markdown", ("markdown",))
        rules.check_markdown(markdown, ("markdown",))
    if len(note) > MAX_NOTE:
        raise ValidationError(f"note is longer than {MAX_NOTE} characters", ("note",))
    async with in_transaction():
        query = PromotionProposal.filter(id=proposal_id)
        if is_postgres():
            query = query.select_for_update()
        proposal = await query.first()
        if proposal is None:
            raise NotFound("promotion proposal", proposal_id, ("id",))
        if proposal.status != rules.ProposalStatus.PROPOSED:
            raise Conflict(f"promotion proposal {proposal_id} is already {proposal.status}", ("id",))
        proposal.status = rules.ProposalStatus.ACCEPTED if accept else rules.ProposalStatus.DISMISSED
        proposal.markdown = (markdown or Decimal(proposal.suggested_markdown)) if accept else None
        proposal.decided_by_id = decided_by_id
        proposal.decided_at = now
        proposal.note = note
        await proposal.save(update_fields=["status", "markdown", "decided_by_id", "decided_at", "note"])
        return proposal


async def expiry_alert_acknowledge(alert_id: int) -> ExpiryAlert:
    """Marks an alert as seen (idempotent): it leaves the open list, the lot's status is unchanged."""
    alert = await ExpiryAlert.get_or_none(id=alert_id)
    if alert is None:
        raise NotFound("expiry alert", alert_id, ("id",))
    if alert.status != "acknowledged":
        await ExpiryAlert.filter(id=alert_id).update(status="acknowledged")
        alert.status = "acknowledged"
    return alert
