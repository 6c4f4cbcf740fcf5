"""Text as PostgreSQL can store it: a string with NUL (U+0000) cannot go in a text or jsonb column, and one
with a lone surrogate cannot be encoded as UTF-8 at all. Data from outside that we must keep (a handheld's
operation, a delivery platform's order push) is stored with such characters replaced, and the caller learns
that something was."""

from typing import Any


def storable(value: Any) -> tuple[Any, bool]:
    """``value`` (JSON-shaped: str, list, dict, scalars) with every string made storable -- NUL → U+FFFD,
    a lone surrogate → "?" -- and whether anything had to change. Dict keys are cleaned like values."""
    if isinstance(value, str):
        clean = value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
        return clean, clean != value
    if isinstance(value, list):
        items = [storable(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        pairs = [(storable(k), storable(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, any(ck or cv for (_, ck), (_, cv) in pairs)
    return value, False
