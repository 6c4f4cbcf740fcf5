"""The chart of accounts seeded for a new company: a 小企业会计准则 (2013) template, trimmed to what a
purchase–sales–inventory business posts, plus the default posting rule of each role.

Accounts stay editable after seeding (names, new sub-accounts, other rule targets); codes follow the
standard's numbering so an accountant finds them where expected.
"""

from dataclasses import dataclass

from domain.finance.rules import AccountType, Role

A = AccountType


@dataclass(frozen=True)
class AccountTemplate:
    code: str
    name: str
    type: AccountType


TEMPLATE: tuple[AccountTemplate, ...] = (
    AccountTemplate("1001", "库存现金", A.ASSET),
    AccountTemplate("1002", "银行存款", A.ASSET),
    AccountTemplate("1122", "应收账款", A.ASSET),
    AccountTemplate("1123", "预付账款", A.ASSET),
    AccountTemplate("1403", "原材料", A.ASSET),
    AccountTemplate("1405", "库存商品", A.ASSET),
    AccountTemplate("1901", "待处理财产损溢", A.ASSET),
    AccountTemplate("2202", "应付账款", A.LIABILITY),
    AccountTemplate("2211", "应付职工薪酬", A.LIABILITY),
    AccountTemplate("220201", "应付账款—暂估应付", A.LIABILITY),
    AccountTemplate("2203", "预收账款", A.LIABILITY),
    AccountTemplate("2221", "应交税费", A.LIABILITY),
    AccountTemplate("22210101", "应交税费—应交增值税(进项税额)", A.LIABILITY),
    AccountTemplate("22210102", "应交税费—应交增值税(销项税额)", A.LIABILITY),
    AccountTemplate("3001", "实收资本", A.EQUITY),
    AccountTemplate("4001", "生产成本", A.COST),
    AccountTemplate("4101", "制造费用", A.COST),
    AccountTemplate("3103", "本年利润", A.EQUITY),
    AccountTemplate("3104", "利润分配", A.EQUITY),
    AccountTemplate("5001", "主营业务收入", A.REVENUE),
    AccountTemplate("5051", "其他业务收入", A.REVENUE),
    AccountTemplate("5401", "主营业务成本", A.EXPENSE),
    AccountTemplate("540102", "主营业务成本—采购价格差异", A.EXPENSE),
    AccountTemplate("5601", "销售费用", A.EXPENSE),
    AccountTemplate("5602", "管理费用", A.EXPENSE),
    AccountTemplate("5711", "营业外支出", A.EXPENSE),
)

# Role -> account code, for every SKU category that has no rule of its own. A category of raw materials
# gets its own INVENTORY rule to 1403 原材料 (see services.set_posting_rule).
DEFAULT_RULES: dict[Role, str] = {
    Role.INVENTORY: "1405",
    Role.GRNI: "220201",
    Role.PAYABLES: "2202",
    Role.RECEIVABLES: "1122",
    Role.REVENUE: "5001",
    Role.COGS: "5401",
    Role.INPUT_VAT: "22210101",
    Role.OUTPUT_VAT: "22210102",
    Role.STOCK_DIFFERENCE: "1901",
    Role.PRICE_VARIANCE: "540102",
    Role.BANK: "1002",
    Role.CASH: "1001",
    Role.WIP: "4001",
    Role.LABOUR_APPLIED: "2211",
    Role.OVERHEAD_APPLIED: "4101",
}
