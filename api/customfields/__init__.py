"""GraphQL for custom fields: definitions (admin), values on records, filters."""
