"""Recall GraphQL: recall documents (open, destroy recalled stock, close) and their customer notice."""
