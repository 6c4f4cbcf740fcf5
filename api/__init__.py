"""The GraphQL API: schema per area, auth, dataloaders and the Starlette app."""
