"""The filter enums of the API list exactly the values the domain stores."""

from enum import StrEnum

import pytest

from api import enums
from domain.anchoring import rules as anchoring
from domain.inventory import rules as inventory
from domain.production import rules as production
from domain.purchasing import rules as purchasing
from domain.quality import services as quality
from domain.sales import rules as sales


def _values(enum: type[StrEnum]) -> set[str]:
    return {m.value for m in enum}


@pytest.mark.parametrize(
    ("api_enum", "domain_values"),
    [
        (enums.StockStatus, _values(inventory.StockStatus)),
        (enums.LocationKind, _values(inventory.LocationKind)),
        (enums.AnchorState, _values(anchoring.AnchorState)),
        (enums.PurchaseOrderStatus, _values(purchasing.OrderStatus)),
        (enums.SalesOrderStatus, _values(sales.OrderStatus)),
        (enums.ProductionOrderStatus, _values(production.OrderStatus)),
        (
            enums.QualityCheckStatus,
            {v for k, v in vars(quality.CheckStatus).items() if k.isupper() and isinstance(v, str)},
        ),
    ],
)
def test_a_filter_enum_has_the_domain_values(api_enum: type[StrEnum], domain_values: set[str]) -> None:
    assert _values(api_enum) == domain_values


def test_each_member_is_named_by_its_value_in_upper_case() -> None:
    for enum in (
        value for value in vars(enums).values() if isinstance(value, type) and issubclass(value, StrEnum)
    ):
        for member in enum:
            assert member.name == member.value.upper()
