"""Saved reports over GraphQL."""
