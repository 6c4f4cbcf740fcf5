"""Zones: the location path prefixes a user may work in at a warehouse, whatever handheld they hold.

Bound to the user (not the device), so registering a new device id does not escape a binding; an
administrator sets it. The server checks every scanned operation against it (``rules.in_zones`` through the
edge rules' ``OUT_OF_ZONE``), and the pull ships it to the device, which checks the same offline.
"""

from domain.common.errors import NotFound, ValidationError
from domain.devices.models import ZoneBinding
from domain.inventory.models import Location, Warehouse
from domain.partners.models import User

MAX_ZONES = 50


async def zones_of(user_id: int, warehouse_id: int) -> tuple[str, ...]:
    """The user's zones at the warehouse; () when unbound (the whole warehouse)."""
    row = await ZoneBinding.get_or_none(user_id=user_id, warehouse_id=warehouse_id)
    return tuple(row.zones) if row else ()


async def zones_bind(username: str, warehouse_code: str, zones: list[str]) -> list[str]:
    """Binds ``username`` at ``warehouse_code`` to ``zones`` (location paths there, at most 50; [] lifts the
    binding) and returns them cleaned (trailing ``/`` dropped, sorted, each once). Raises ``NotFound``
    (user, warehouse, a zone that is no location path of that warehouse), ``ValidationError`` (too many)."""
    user = await User.get_or_none(username=username, active=True)
    if user is None:
        raise NotFound("user", username, ("username",))
    warehouse = await Warehouse.get_or_none(code=warehouse_code)
    if warehouse is None:
        raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
    if len(zones) > MAX_ZONES:
        raise ValidationError(f"at most {MAX_ZONES} zones", ("zones",))
    for i, z in enumerate(zones):
        if not await Location.exists(path=z.strip().rstrip("/"), warehouse_id=warehouse.id):
            raise NotFound("zone (location path)", z, ("zones", str(i)))
    clean = sorted({z.strip().rstrip("/") for z in zones})
    await ZoneBinding.update_or_create(user_id=user.id, warehouse_id=warehouse.id, defaults={"zones": clean})
    return clean
