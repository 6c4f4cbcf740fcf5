"""Partner relations load through ``api.loaders.Loaders`` (supplier and customer by id)."""
