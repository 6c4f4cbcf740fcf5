"""Purchasing relations load through ``lotline.api.loaders.Loaders``: orders and lines by id, lines,
receipts and returns by order, receipt and return lines by document."""
