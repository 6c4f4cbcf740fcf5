"""GraphQL for the catalog area."""
