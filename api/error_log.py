"""How GraphQL errors reach the log: one line per expected client error, one traceback per bug.

strawberry logs every error of a result with ``str(error)``, which for a parse or validation error prints the
offending source lines too (an over-limit query added 31 lines). Here:
- an error the client caused (syntax, validation, limits, variable coercion, a ``GraphQLError`` or
  ``DomainError`` raised by a resolver) is one INFO line on ``api.client`` with its message and path;
- anything else is a bug: ``schema.should_mask`` already logs it with its traceback before masking it, so
  it is not logged a second time here.
"""

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from domain.common.errors import DomainError

logger = logging.getLogger("api.client")


def is_client_error(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, GraphQLError | DomainError)


def one_line(error: GraphQLError) -> str:
    """The error's message on one line (never the query's source), with its path when it has one."""
    message = " ".join(error.message.split())
    path = ".".join(str(p) for p in error.path) if error.path else ""
    return f"{message} (at {path})" if path else message


class Schema(strawberry.Schema):
    """``strawberry.Schema`` whose ``process_errors`` logs as described above."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        operation = execution_context.operation_name if execution_context else None
        for error in errors:
            if is_client_error(error):
                logger.info("client error in %s: %s", operation or "anonymous operation", one_line(error))
