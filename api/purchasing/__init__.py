"""GraphQL for the purchasing area."""
