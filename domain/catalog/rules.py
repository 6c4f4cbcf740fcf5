"""Pure catalog rules: unit definitions and the checks a SKU must pass."""

from dataclasses import dataclass
from decimal import Decimal

from domain.common.digits import ascii_digits
from domain.common.errors import ValidationError

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
    if not ascii_digits(gtin) or len(gtin) not in (8, 12, 13, 14):
        raise ValidationError("a GTIN has 8, 12, 13 or 14 digits", ("gtin",))
    digits = gtin.zfill(14)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
    if (10 - total % 10) % 10 != int(digits[-1]):
        raise ValidationError(f"GTIN {gtin} has a wrong check digit", ("gtin",))
    return digits


#: Plausible bounds of an allowed storage range: °C (absolute zero to an oven) and % relative humidity.
TEMPERATURE_BOUNDS = (Decimal("-273.15"), Decimal(1000))
HUMIDITY_BOUNDS = (Decimal(0), Decimal(100))


def check_storage_limits(
    temperature_min: Decimal | None, temperature_max: Decimal | None, humidity_max: Decimal | None
) -> None:
    """The SKU's allowed cold-chain range: finite, plausible, two decimals at most, and min <= max."""
    for name, value, (low, high) in (
        ("temperatureMin", temperature_min, TEMPERATURE_BOUNDS),
        ("temperatureMax", temperature_max, TEMPERATURE_BOUNDS),
        ("humidityMax", humidity_max, HUMIDITY_BOUNDS),
    ):
        if value is None:
            continue
        if not value.is_finite() or not (low <= value <= high):
            raise ValidationError(f"{name} must be a number between {low} and {high}", (name,))
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(f"{name} has at most two decimals", (name,))
    if temperature_min is not None and temperature_max is not None and temperature_min > temperature_max:
        raise ValidationError(
            f"temperatureMin {temperature_min} is above temperatureMax {temperature_max}", ("temperatureMin",)
        )
