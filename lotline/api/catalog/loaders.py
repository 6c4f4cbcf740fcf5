"""Catalog relations load through ``lotline.api.loaders.Loaders`` (SKU and category by id, units by SKU)."""
