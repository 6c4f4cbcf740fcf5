"""Sales relations load through ``api.loaders.Loaders``: orders and lines by id, lines, shipments
and returns by order, shipment and return lines by document."""
