"""GraphQL of expiry actions: alerts, promotion proposals, policies and the on-demand scan."""
