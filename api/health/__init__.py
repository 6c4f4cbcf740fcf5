"""GraphQL of the data-health dashboard."""
