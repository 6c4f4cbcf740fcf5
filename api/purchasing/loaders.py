"""Purchasing relations load through ``api.loaders.Loaders``: orders and lines by id, lines,
receipts and returns by order, receipt and return lines by document."""
