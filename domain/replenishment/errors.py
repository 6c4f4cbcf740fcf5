"""Replenishment errors: all are the common typed errors (``ValidationError``, ``NotFound``, ``Conflict``)."""

from domain.common.errors import Conflict, NotFound, ValidationError

__all__ = ["Conflict", "NotFound", "ValidationError"]
