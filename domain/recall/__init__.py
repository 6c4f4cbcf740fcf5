"""Recall as a workflow: block every affected lot, notify customers, record what is destroyed, close."""
