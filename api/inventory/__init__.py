"""GraphQL for the inventory area."""
