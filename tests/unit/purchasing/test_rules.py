from decimal import Decimal

import pytest

from domain.common.errors import ValidationError
from domain.purchasing import rules


def test_an_over_receipt_is_told_in_the_callers_unit_not_in_base_units() -> None:
    # 2 boxes of 12 ordered (24 base), 2 received (24 base); 10 boxes more would be 144 base.
    with pytest.raises(ValidationError) as exc:
        rules.check_over_receipt(
            Decimal(24),
            Decimal(24),
            Decimal(120),
            Decimal("0.05"),
            ("lines", "0", "quantity"),
            unit="box",
            factor=Decimal(12),
        )
    assert exc.value.message == (
        "receiving 10 box would bring the line to 12 box, over the ordered 2 box plus 5% tolerance"
    )
    assert exc.value.path == ("lines", "0", "quantity")


def test_a_receipt_up_to_the_tolerance_passes() -> None:
    rules.check_over_receipt(Decimal(100), Decimal(60), Decimal(45), Decimal("0.05"), ("q",), unit="kg")
