"""Pure catalog rules: unit definitions and the checks a SKU must pass."""

from dataclasses import dataclass
from decimal import Decimal

from lotline.domain.common.errors import ValidationError

# UN/CEFACT Recommendation 20 codes, used in EPCIS quantities.
UNECE_UNITS = {"kg": "KGM", "g": "GRM", "pcs": "H87", "box": "XBX", "case": "XCS", "l": "LTR", "bag": "XBG"}


@dataclass(frozen=True)
class UnitDef:
    unit: str
    factor: Decimal  # base units per one of this unit


def check_units(
    base_unit: str, units: list[UnitDef], purchase_unit: str, sales_unit: str
) -> dict[str, Decimal]:
    table = {base_unit: Decimal(1)}
    for i, u in enumerate(units):
        if u.unit == base_unit:
            if u.factor != 1:
                raise ValidationError("the base unit's factor is 1", ("units", str(i), "factor"))
            continue
        if not u.factor.is_finite() or u.factor <= 0:
            raise ValidationError(
                f"unit {u.unit} needs a factor greater than zero", ("units", str(i), "factor")
            )
        table[u.unit] = u.factor
    for field, unit in (("purchaseUnit", purchase_unit), ("salesUnit", sales_unit)):
        if unit not in table:
            raise ValidationError(f"{unit!r} is not one of the SKU's units {sorted(table)}", (field,))
    return table


def check_gtin(gtin: str | None) -> str | None:
    """GTIN-8/12/13/14 with its GS1 check digit, stored as 14 digits."""
    if gtin is None or gtin == "":
        return None
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        raise ValidationError("a GTIN has 8, 12, 13 or 14 digits", ("gtin",))
    digits = gtin.zfill(14)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
    if (10 - total % 10) % 10 != int(digits[-1]):
        raise ValidationError(f"GTIN {gtin} has a wrong check digit", ("gtin",))
    return digits
