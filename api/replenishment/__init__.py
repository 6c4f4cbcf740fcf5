"""Replenishment GraphQL: the promotion calendar, forecast runs and replenishment suggestions (补货建议单)."""
