"""Catalog relations load through ``api.loaders.Loaders`` (SKU and category by id, units by SKU)."""
