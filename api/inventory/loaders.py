"""Inventory relations load through ``api.loaders.Loaders``: warehouses, locations, batches by id;
count lines by count, transfer lines by transfer."""
