"""Static demo data: categories, SKUs, warehouses, suppliers, customers and users of a fresh-food distributor.

Names, partners and identifiers are invented. GS1 numbers use the fictional company prefix 6971234 (China's
690-699 range) with real check digits; loose produce has no GTIN, as in a real wholesale catalogue.
Tax: fresh vegetables and fresh meat and eggs are VAT-exempt in circulation in China; other farm produce is
9 %, processed food (yogurt, butter, cream, condiments) 13 %.
"""

from dataclasses import dataclass

COMPANY_PREFIX = "6971234"


def gs1_check_digit(body: str) -> int:
    """GS1 mod-10 check digit: weights 3, 1, 3 … from the right of the body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gs1_number(ref: int) -> str:
    """A 13-digit GTIN or GLN under the demo company prefix, item/location reference ``ref``."""
    body = f"{COMPANY_PREFIX}{ref:05d}"
    return f"{body}{gs1_check_digit(body)}"


# Storage zones: code suffix, Chinese and English name.
ZONES: dict[str, tuple[str, str]] = {
    "CLD": ("冷藏区", "chilled 0-4 °C"),
    "FRZ": ("冷冻区", "frozen -18 °C"),
    "AMB": ("常温区", "ambient"),
}

# Allowed storage range per zone: (lowest °C, highest °C, highest % relative humidity); None: no limit.
# Chilled goods keep 0-4 °C and at most 95 % RH (no condensation on the cartons); frozen goods stay at
# -18 °C or colder; ambient goods have no cold chain.
ZONE_LIMITS: dict[str, tuple[str | None, str | None, str | None]] = {
    "CLD": ("0", "4", "95"),
    "FRZ": (None, "-18", None),
    "AMB": (None, None, None),
}

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("VEG", "蔬菜", "Vegetables"),
    ("FRUIT", "水果", "Fruit"),
    ("MEAT", "肉类", "Meat"),
    ("SEAFOOD", "水产", "Seafood"),
    ("EGG", "蛋类", "Eggs"),
    ("DAIRY", "乳制品", "Dairy"),
    ("DRY", "干货粮油", "Dry goods"),
)


@dataclass(frozen=True)
class DemoSku:
    code: str
    name_zh: str
    name_en: str
    category: str
    base_unit: str
    purchase_unit: str
    sales_unit: str
    units: tuple[tuple[str, str], ...]  # (unit, base units per unit) besides the base unit
    gtin_ref: int | None  # None: loose produce without a GTIN
    shelf_life_days: int
    best_before_days: int
    tax_rate: str
    tax_exempt: bool
    high_risk: bool
    zone: str
    supplier: str
    cost: str  # purchase cost per base unit, CNY before tax
    weekly: float  # base units a standard-size customer takes per week
    season: tuple[int, ...] = ()  # months on sale; empty: all year

    @property
    def limits(self) -> tuple[str | None, str | None, str | None]:
        """(temperature min °C, temperature max °C, humidity max % RH) of its storage zone."""
        return ZONE_LIMITS[self.zone]


def _veg(
    code: str,
    zh: str,
    en: str,
    unit: str,
    factor: str,
    gtin: int | None,
    shelf: int,
    cost: str,
    weekly: float,
) -> DemoSku:
    bb = max(2, shelf * 2 // 3)
    zone = "AMB" if shelf >= 30 else "CLD"
    return DemoSku(
        code, zh, en, "VEG", "kg", unit, "kg", ((unit, factor),), gtin, shelf, bb, "0", True, False, zone,
        "SUP-SGV", cost, weekly,
    )  # fmt: skip


SKUS: tuple[DemoSku, ...] = (
    # 蔬菜 Vegetables: kg, bought by the box or bag, VAT-exempt.
    _veg("VEG-001", "上海青", "Shanghai bok choy", "box", "10", None, 8, "4.20", 30),
    _veg("VEG-002", "西兰花", "Broccoli", "box", "8", 101, 14, "8.50", 15),
    _veg("VEG-003", "番茄", "Tomato", "box", "10", 102, 14, "5.60", 25),
    _veg("VEG-004", "黄瓜", "Cucumber", "box", "10", None, 10, "4.80", 18),
    _veg("VEG-005", "土豆", "Potato", "bag", "25", 103, 60, "2.60", 35),
    _veg("VEG-006", "胡萝卜", "Carrot", "bag", "20", 104, 30, "3.20", 20),
    _veg("VEG-007", "洋葱", "Onion", "bag", "20", 105, 60, "2.80", 22),
    _veg("VEG-008", "大白菜", "Napa cabbage", "box", "15", None, 21, "2.10", 28),
    _veg("VEG-009", "生菜", "Lettuce", "box", "5", 106, 8, "7.50", 12),
    _veg("VEG-010", "鲜香菇", "Fresh shiitake mushroom", "box", "3", 107, 10, "15.80", 10),
    _veg("VEG-011", "青椒", "Green bell pepper", "box", "10", None, 14, "5.90", 14),
    # 水果 Fruit: 9 %.
    DemoSku("FRU-001", "红富士苹果", "Fuji apple", "FRUIT", "kg", "box", "kg", (("box", "18"),), 201,
            60, 45, "0.09", False, False, "CLD", "SUP-FRT", "7.80", 20),
    DemoSku("FRU-002", "香蕉", "Banana", "FRUIT", "kg", "box", "kg", (("box", "13"),), 202,
            10, 6, "0.09", False, False, "AMB", "SUP-FRT", "5.20", 18),
    DemoSku("FRU-003", "砂糖橘", "Shatang mandarin", "FRUIT", "kg", "box", "kg", (("box", "10"),), 203,
            30, 20, "0.09", False, False, "CLD", "SUP-FRT", "6.90", 22, (11, 12, 1, 2, 3)),
    DemoSku("FRU-004", "麒麟西瓜", "Kirin watermelon", "FRUIT", "kg", "kg", "kg", (), None,
            21, 14, "0.09", False, False, "AMB", "SUP-FRT", "3.40", 45, (5, 6, 7, 8, 9)),
    DemoSku("FRU-005", "阳光玫瑰葡萄", "Shine Muscat grape", "FRUIT", "kg", "case", "box",
            (("box", "2"), ("case", "8")), 204, 21, 14, "0.09", False, False, "CLD", "SUP-FRT", "24.00", 6,
            (7, 8, 9, 10, 11)),
    DemoSku("FRU-006", "柠檬", "Lemon", "FRUIT", "pcs", "case", "pcs", (("case", "100"),), 205,
            30, 21, "0.09", False, False, "CLD", "SUP-FRT", "0.85", 60),
    # 肉类 Meat: chilled (vacuum-packed, 0-4 °C) is VAT-exempt fresh meat; frozen is 9 %. Chilled pork and
    # imported beef are high-risk: quarantined on arrival until inspected.
    DemoSku("MEA-001", "冷鲜猪里脊", "Chilled pork tenderloin", "MEAT", "kg", "box", "kg", (("box", "10"),),
            301, 10, 7, "0", True, True, "CLD", "SUP-MEAT", "32.00", 10),
    DemoSku("MEA-002", "冷鲜五花肉", "Chilled pork belly", "MEAT", "kg", "box", "kg", (("box", "10"),),
            302, 10, 7, "0", True, False, "CLD", "SUP-MEAT", "26.50", 14),
    DemoSku("MEA-003", "冷冻牛腩", "Frozen beef brisket", "MEAT", "kg", "box", "kg", (("box", "20"),),
            303, 365, 270, "0.09", False, True, "FRZ", "SUP-MEAT", "48.00", 8),
    DemoSku("MEA-004", "冷鲜鸡胸肉", "Chilled chicken breast", "MEAT", "kg", "box", "kg", (("box", "10"),),
            304, 10, 7, "0", True, False, "CLD", "SUP-MEAT", "14.50", 16),
    DemoSku("MEA-005", "冷冻鸡翅中", "Frozen chicken mid-wings", "MEAT", "kg", "box", "kg", (("box", "10"),),
            305, 365, 180, "0.09", False, False, "FRZ", "SUP-MEAT", "29.00", 9),
    DemoSku("MEA-006", "冷冻羔羊肉卷", "Frozen lamb rolls", "MEAT", "kg", "box", "kg", (("box", "12"),),
            306, 365, 270, "0.09", False, False, "FRZ", "SUP-MEAT", "52.00", 6),
    # 水产 Seafood: 9 %.
    DemoSku("SEA-001", "冰鲜大黄鱼", "Chilled large yellow croaker", "SEAFOOD", "kg", "box", "kg",
            (("box", "5"),), 401, 6, 4, "0.09", False, True, "CLD", "SUP-SEA", "38.00", 10),
    DemoSku("SEA-002", "冷冻南美白虾", "Frozen whiteleg shrimp", "SEAFOOD", "kg", "case", "box",
            (("box", "2"), ("case", "12")), 402, 365, 270, "0.09", False, True, "FRZ", "SUP-SEA", "45.00", 8),
    DemoSku("SEA-003", "冷冻带鱼段", "Frozen hairtail sections", "SEAFOOD", "kg", "box", "kg",
            (("box", "10"),), 403, 270, 180, "0.09", False, False, "FRZ", "SUP-SEA", "28.00", 8),
    DemoSku("SEA-004", "鲜活花蛤", "Live Manila clams", "SEAFOOD", "kg", "bag", "kg", (("bag", "10"),), None,
            4, 2, "0.09", False, False, "CLD", "SUP-SEA", "12.00", 10),
    DemoSku("SEA-005", "冷冻鱿鱼须", "Frozen squid tentacles", "SEAFOOD", "kg", "box", "kg", (("box", "10"),),
            404, 365, 240, "0.09", False, False, "FRZ", "SUP-SEA", "22.00", 5),
    # 蛋类 Eggs: counted by the piece, sold by the box, bought by the case. Fresh eggs are VAT-exempt.
    DemoSku("EGG-001", "鲜鸡蛋", "Fresh eggs", "EGG", "pcs", "case", "box", (("box", "30"), ("case", "360")),
            501, 45, 30, "0", True, False, "CLD", "SUP-EGGD", "0.62", 600),
    DemoSku("EGG-002", "散养土鸡蛋", "Free-range eggs", "EGG", "pcs", "case", "box",
            (("box", "20"), ("case", "240")), 502, 30, 21, "0", True, False, "CLD", "SUP-EGGD", "1.25", 160),
    DemoSku("EGG-003", "鲜鸭蛋", "Fresh duck eggs", "EGG", "pcs", "case", "box",
            (("box", "30"), ("case", "300")), 503, 30, 21, "0", True, False, "CLD", "SUP-EGGD", "1.05", 90),
    DemoSku("EGG-004", "咸鸭蛋", "Salted duck eggs", "EGG", "pcs", "case", "box",
            (("box", "6"), ("case", "120")), 504, 90, 60, "0.13", False, False, "AMB", "SUP-EGGD", "1.80",
            48),
    # 乳制品 Dairy: milk 9 %, processed dairy 13 %.
    DemoSku("DAI-001", "鲜牛奶 950毫升", "Fresh milk 950 mL", "DAIRY", "pcs", "case", "pcs",
            (("case", "12"),), 601, 10, 7, "0.09", False, False, "CLD", "SUP-EGGD", "9.80", 48),
    DemoSku("DAI-002", "原味酸奶 1千克", "Plain yogurt 1 kg", "DAIRY", "pcs", "case", "pcs",
            (("case", "12"),), 602, 21, 14, "0.13", False, False, "CLD", "SUP-EGGD", "14.50", 24),
    DemoSku("DAI-003", "无盐黄油 454克", "Unsalted butter 454 g", "DAIRY", "pcs", "case", "pcs",
            (("case", "20"),), 603, 180, 120, "0.13", False, False, "CLD", "SUP-EGGD", "28.00", 12),
    DemoSku("DAI-004", "淡奶油 1升", "Whipping cream 1 L", "DAIRY", "pcs", "case", "pcs", (("case", "12"),),
            604, 180, 120, "0.13", False, False, "CLD", "SUP-EGGD", "36.00", 10),
    # 干货粮油 Dry goods: grain and oil 9 %, condiments 13 %.
    DemoSku("DRY-001", "五常大米", "Wuchang rice", "DRY", "kg", "bag", "bag", (("bag", "10"),), 701,
            365, 270, "0.09", False, False, "AMB", "SUP-DRY", "6.80", 60),
    DemoSku("DRY-002", "花生油 5升", "Peanut oil 5 L", "DRY", "pcs", "case", "pcs", (("case", "4"),), 702,
            540, 365, "0.09", False, False, "AMB", "SUP-DRY", "96.00", 3),
    DemoSku("DRY-003", "生抽 1.9升", "Light soy sauce 1.9 L", "DRY", "pcs", "case", "pcs", (("case", "6"),),
            703, 720, 540, "0.13", False, False, "AMB", "SUP-DRY", "18.50", 4),
    DemoSku("DRY-004", "干香菇", "Dried shiitake mushroom", "DRY", "kg", "bag", "kg", (("bag", "5"),), 704,
            365, 270, "0.09", False, False, "AMB", "SUP-DRY", "68.00", 1.5),
    DemoSku("DRY-005", "高筋面粉", "Bread flour", "DRY", "kg", "bag", "bag", (("bag", "25"),), 705,
            270, 180, "0.09", False, False, "AMB", "SUP-DRY", "4.60", 40),
)  # fmt: skip

FIRST_SKU_CODE = SKUS[0].code  # its presence means the demo catalogue was (at least partly) loaded


@dataclass(frozen=True)
class DemoWarehouse:
    code: str
    name: str
    gln_ref: int
    aisles: int  # per zone
    bins: int  # per aisle
    opened_weeks_ago: int | None = None  # None: open for the whole history


WAREHOUSES: tuple[DemoWarehouse, ...] = (
    DemoWarehouse("SH-DC", "上海中心仓 Shanghai DC", 10, 3, 4),
    # The business grew: Hangzhou opened half a year ago, the Suzhou front warehouse a quarter ago.
    DemoWarehouse("HZ", "杭州仓 Hangzhou", 11, 2, 3, opened_weeks_ago=26),
    DemoWarehouse("SZ", "苏州前置仓 Suzhou front warehouse", 12, 1, 3, opened_weeks_ago=13),
)


@dataclass(frozen=True)
class Delivery:
    warehouse: str
    weekdays: tuple[int, ...]  # 0 = Monday
    every_weeks: int = 1


@dataclass(frozen=True)
class DemoSupplier:
    code: str
    name: str
    contact: str
    gln_ref: int
    lead_time_days: int
    deliveries: tuple[Delivery, ...]


SUPPLIERS: tuple[DemoSupplier, ...] = (
    DemoSupplier("SUP-SGV", "寿光绿源蔬菜合作社", "王建国 0536-5201234", 20, 1,
                 (Delivery("SH-DC", (0,)), Delivery("HZ", (1,)), Delivery("SZ", (2,)))),
    DemoSupplier("SUP-FRT", "烟台丰园果业有限公司", "刘芳 0535-6602345", 21, 2, (Delivery("SH-DC", (2,)),)),
    DemoSupplier("SUP-MEAT", "江苏润禾肉业有限公司", "陈志强 0523-8803456", 22, 1,
                 (Delivery("SH-DC", (0,)), Delivery("HZ", (1,)))),
    DemoSupplier("SUP-SEA", "舟山海鲜水产有限公司", "林海 0580-2204567", 23, 1, (Delivery("SH-DC", (1, 4)),)),
    DemoSupplier("SUP-EGGD", "崇明生态牧场", "黄丽 021-59305678", 24, 1,
                 (Delivery("SH-DC", (1,)), Delivery("HZ", (1,)), Delivery("SZ", (2,)))),
    DemoSupplier("SUP-DRY", "黑龙江五常粮油干货有限公司", "赵磊 0451-5306789", 25, 5,
                 (Delivery("SH-DC", (0,), 2), Delivery("HZ", (0,), 4))),
)  # fmt: skip

# Categories each supplier sells.
SUPPLIER_CATEGORIES: dict[str, tuple[str, ...]] = {
    "SUP-SGV": ("VEG",),
    "SUP-FRT": ("FRUIT",),
    "SUP-MEAT": ("MEAT",),
    "SUP-SEA": ("SEAFOOD",),
    "SUP-EGGD": ("EGG", "DAIRY"),
    "SUP-DRY": ("DRY",),
}


@dataclass(frozen=True)
class TransferRoute:
    """A warehouse stocked from another instead of from suppliers, for some categories."""

    source: str
    target: str
    categories: tuple[str, ...]
    weekday: int
    every_weeks: int


TRANSFER_ROUTES: tuple[TransferRoute, ...] = (TransferRoute("SH-DC", "SZ", ("DRY",), 2, 2),)


@dataclass(frozen=True)
class DemoCustomer:
    code: str
    name: str
    contact: str
    kind: str  # restaurant, hotpot, supermarket, canteen, school, hotel, bakery
    warehouse: str
    weekdays: tuple[int, ...]  # delivery days
    size: float  # volume relative to a standard customer
    categories: tuple[str, ...]
    assortment: int  # how many SKUs it buys regularly
    lines_per_order: float  # expected lines on one order


CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer("C-LSH", "老上海本帮菜馆", "周师傅 021-63211001", "restaurant", "SH-DC", (0, 3), 1.0,
                 ("VEG", "MEAT", "SEAFOOD", "EGG", "DRY"), 6, 3.5),
    DemoCustomer("C-CWF", "川味坊火锅（徐汇店）", "李经理 021-64012002", "hotpot", "SH-DC", (1, 4), 1.4,
                 ("VEG", "MEAT", "SEAFOOD", "DRY"), 6, 3.5),
    DemoCustomer("C-XLJ", "鲜邻超市（浦东店）", "采购部 021-58013003", "supermarket", "SH-DC", (1, 4), 2.5,
                 ("VEG", "FRUIT", "MEAT", "EGG", "DAIRY", "DRY"), 8, 4),
    DemoCustomer("C-HMS", "惠民生鲜超市", "张店长 021-65014004", "supermarket", "SH-DC", (3,), 2.0,
                 ("VEG", "FRUIT", "EGG", "DAIRY", "DRY"), 7, 4),
    DemoCustomer("C-ZJC", "张江科技园员工食堂", "食堂办 021-50015005", "canteen", "SH-DC", (0,), 2.5,
                 ("VEG", "MEAT", "EGG", "DRY"), 6, 4),
    DemoCustomer("C-WTH", "外滩花园酒店", "餐饮部 021-63216006", "hotel", "SH-DC", (2,), 1.2,
                 ("FRUIT", "DAIRY", "SEAFOOD", "MEAT", "EGG"), 6, 4),
    DemoCustomer("C-XHP", "西湖畔杭帮菜馆", "沈厨师长 0571-87017007", "restaurant", "HZ", (1,), 1.2,
                 ("VEG", "MEAT", "EGG", "DRY"), 6, 4),
    DemoCustomer("C-QJZ", "钱江中学食堂", "后勤处 0571-86018008", "school", "HZ", (1,), 2.0,
                 ("VEG", "MEAT", "EGG", "DAIRY", "DRY"), 6, 4),
    DemoCustomer("C-GSX", "姑苏生鲜超市", "顾店长 0512-65019009", "supermarket", "SZ", (2,), 1.5,
                 ("VEG", "EGG", "DAIRY", "DRY"), 7, 4),
    DemoCustomer("C-JJH", "金鸡湖烘焙坊", "吴师傅 0512-62010010", "bakery", "SZ", (3,), 0.8,
                 ("EGG", "DAIRY", "DRY"), 5, 3),
)  # fmt: skip

# Gross margin on cost by customer kind.
MARKUP: dict[str, str] = {
    "restaurant": "1.30",
    "hotpot": "1.28",
    "supermarket": "1.18",
    "canteen": "1.20",
    "school": "1.15",
    "hotel": "1.35",
    "bakery": "1.25",
}

# (username, role, supplier code). ``admin`` comes last: the CLI takes its presence to mean "seeded".
USERS: tuple[tuple[str, str, str | None], ...] = (
    ("buyer", "buyer", None),
    ("sales", "sales", None),
    ("warehouse", "warehouse", None),
    ("finance", "finance", None),
    ("store_manager", "store_manager", None),
    ("auditor", "auditor", None),
    ("supplier.sgv", "supplier", "SUP-SGV"),
    ("admin", "admin", None),
)

# Chinese New Year (春节) day: demand for meat, seafood, eggs and dry goods peaks in the weeks before it.
CHINESE_NEW_YEAR: dict[int, tuple[int, int]] = {
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
}

# SKUs a kind of customer always buys, whatever else it picks.
STAPLES: dict[str, tuple[str, ...]] = {
    "bakery": ("EGG-001", "DAI-003", "DAI-004", "DRY-005"),
    "hotpot": ("MEA-002", "MEA-006", "SEA-002", "VEG-008"),
    "school": ("DAI-001", "DRY-001", "EGG-001"),
    "canteen": ("DRY-001", "EGG-001", "MEA-004"),
    "hotel": ("DAI-001", "FRU-001", "SEA-001"),
}

CUSTOMER_RETURN_REASONS: tuple[str, ...] = (
    "包装破损 / damaged packaging",
    "温度异常 / arrived above temperature",
    "品质不符 / quality below specification",
    "客户投诉异味 / customer reported an off smell",
)
