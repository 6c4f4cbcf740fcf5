"""Approval rules, requests and decisions over GraphQL."""
