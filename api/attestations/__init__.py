"""Co-signed attestations over GraphQL, for integrators (issue 19)."""
