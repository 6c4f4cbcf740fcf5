"""Whether a decimal fits a ``numeric(max_digits, places)`` column exactly: the one rule the API's input
boundary (``api.boundary``) and the domain's own readers of outside data (EPCIS capture) share. Nothing is
rounded: a value that does not fit is refused with the reason."""

from decimal import Decimal


def decimal_problem(value: Decimal, max_digits: int, places: int) -> str | None:
    """Why ``value`` does not fit a ``numeric(max_digits, places)`` column, or None."""
    if not value.is_finite():
        return 'must be a finite decimal number, e.g. "12.5"'
    normal = value.normalize()
    exponent = int(normal.as_tuple().exponent)
    scale = max(0, -exponent)
    whole = max(0, normal.adjusted() + 1)
    if scale > places:
        return f"has more than {places} decimal places" if places else "must be a whole number"
    if whole > max_digits - places:
        return f"has more than {max_digits - places} digits before the decimal point"
    return None
