"""The GraphQL-over-HTTP fixtures of tests/e2e/api (app, client, gql, token_for, admin), shared here."""

from tests.e2e.api.conftest import admin, app, client, gql, token_for

__all__ = ["admin", "app", "client", "gql", "token_for"]
