"""Partner inputs."""

import strawberry
from strawberry.scalars import JSON


@strawberry.input
class SupplierCreateInput:
    code: str
    name: str
    contact: str = ""
    gln: str | None = None
    lead_time_days: int = 2
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )


@strawberry.input
class CustomerCreateInput:
    code: str
    name: str
    contact: str = ""
    gln: str | None = None
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )
