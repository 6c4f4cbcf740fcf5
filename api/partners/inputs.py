"""Partner inputs."""

import strawberry


@strawberry.input
class SupplierCreateInput:
    code: str
    name: str
    contact: str = ""
    gln: str | None = None
    lead_time_days: int = 2


@strawberry.input
class CustomerCreateInput:
    code: str
    name: str
    contact: str = ""
    gln: str | None = None
