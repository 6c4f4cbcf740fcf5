"""GraphQL for the partners area."""
