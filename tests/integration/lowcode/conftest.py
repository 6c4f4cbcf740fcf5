"""The whole schema (with its input boundary) executed in-process, and callers of each role."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.context import Context
from api.schema import create_schema
from domain.customfields.models import CustomFieldDefinition
from domain.partners.rules import Role
from domain.partners.services import Principal
from lotline.config import Settings

SCHEMA = create_schema(Settings())


def context(role: Role) -> Context:
    return Context(request=None, response=None, principal=Principal(1, role.value, role, None))  # type: ignore[arg-type]


async def gql(role: Role, query: str, **variables: Any) -> dict[str, Any]:
    """Runs one operation as a user of ``role``; fails the test on any top-level error."""
    result = await SCHEMA.execute(query, variables, context_value=context(role))
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def field_key(prefix: str) -> str:
    """A custom field key of its own per test (the definitions table is shared by the session)."""
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


@pytest.fixture
async def fields_db(db: object) -> AsyncIterator[object]:
    """The session's PostgreSQL database, with the custom fields a test defined hidden afterwards: the
    definitions table is shared, and a field left active would give its default to every record that later
    tests create, here and in other areas."""
    yield db
    await CustomFieldDefinition.filter(active=True).update(active=False)
