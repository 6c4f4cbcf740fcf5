"""GraphQL for the sales area."""
