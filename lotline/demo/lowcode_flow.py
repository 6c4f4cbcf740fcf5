"""The demo's approval rule and saved report (issue 17).

- "账期>90天需副总审批": a purchase order whose payment terms exceed 90 days waits for finance (财务), then
  the vice-president (副总; the demo's admin role stands for the VP). Orders without terms are not held, so
  the history seeded before is as it was.
- "临期库存（按供应商）near-expiry stock by supplier": lots expiring within 30 days, by supplier, SKU and
  date, owned by the finance user and shared with store managers and the warehouse.
"""

from domain.approvals import rule_admin
from domain.approvals.rule_admin import RuleInput
from domain.approvals.rules import Level
from domain.partners.models import User
from domain.reports import services as reports
from domain.reports.rules import Filter, Op, ReportSpec
from lotline.demo.state import SeedState

TERMS_RULE = RuleInput(
    name="账期>90天需副总审批 (payment terms over 90 days need the VP)",
    document_type="purchase_order",
    condition={">": [{"var": "payment_terms_days"}, 90]},
    levels=(Level("finance"), Level("admin")),
)
NEAR_EXPIRY = ReportSpec(
    "expiry",
    ("supplier_code", "sku_code", "expiry_date"),
    ("quantity", "lots"),
    (Filter("expiry_date", Op.WITHIN_DAYS, ("30",)),),
    sort="expiry_date",
)


async def seed_lowcode_flow(s: SeedState) -> None:
    """Adds the demo rule and the shared near-expiry report."""
    await rule_admin.rule_create(TERMS_RULE, None, s.now)
    owner = await User.get_or_none(username="finance")
    if owner is not None:
        await reports.report_create(
            reports.Caller(owner.id, owner.role, None),
            "临期库存（按供应商）near-expiry stock by supplier",
            NEAR_EXPIRY,
            ("store_manager", "warehouse"),
            s.now,
        )
