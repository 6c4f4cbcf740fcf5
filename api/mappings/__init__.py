"""GraphQL for partner field mappings: save a version, dry-run it, apply it."""
