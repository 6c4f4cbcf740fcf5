"""Quantities, units and expiry actions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.common.errors import ErrorCode, ValidationError
from domain.inventory import rules

TODAY = date(2030, 6, 3)
PATH = ("lines", "0", "quantity")


@pytest.mark.parametrize("quantity", [Decimal(0), Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
def test_a_quantity_must_be_a_positive_finite_number(quantity):
    with pytest.raises(ValidationError) as exc:
        rules.require_positive(quantity, PATH)

    assert exc.value.code is ErrorCode.VALIDATION
    assert exc.value.path == PATH
    assert exc.value.message == f"quantity must be greater than zero, got {quantity}"


def test_a_quantity_has_at_most_four_decimal_places():
    assert rules.require_positive(Decimal("0.0001"), PATH) == Decimal("0.0001")
    with pytest.raises(ValidationError) as exc:
        rules.require_positive(Decimal("1.00005"), PATH)

    assert exc.value.path == PATH
    assert exc.value.message == "quantity 1.00005 has more than 4 decimal places"


def test_an_unknown_unit_names_the_units_the_sku_has():
    units = {"kg": Decimal(1), "box": Decimal(10)}
    assert rules.unit_factor(units, "box", "SKU-1", ("unit",)) == Decimal(10)

    with pytest.raises(ValidationError) as exc:
        rules.unit_factor(units, "pallet", "SKU-1", ("lines", "0", "unit"))

    assert exc.value.path == ("lines", "0", "unit")
    assert exc.value.message == "unit 'pallet' is not defined for SKU SKU-1 (use one of box, kg)"


def test_base_quantities_are_rounded_to_four_places():
    assert rules.to_base(Decimal("0.33333"), Decimal(3)) == Decimal("1.0000")
    assert rules.to_base(Decimal("2.5"), Decimal(10)) == Decimal(25)


def test_a_batch_is_expired_only_after_its_expiry_day():
    assert not rules.is_expired(TODAY, TODAY)
    assert rules.is_expired(TODAY - timedelta(days=1), TODAY)
    assert not rules.is_expired(None, TODAY)
