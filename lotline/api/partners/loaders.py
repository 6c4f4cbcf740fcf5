"""Partner relations load through ``lotline.api.loaders.Loaders`` (supplier and customer by id)."""
