"""The demo data set that ``lotline seed-demo`` (and ``make run``) loads: a fresh-food distributor's year.

``catalog_data`` holds the static part (SKUs, warehouses, partners, users); ``seed.seed_demo`` plays a year of
purchasing, selling, counting and transferring through the domain services, so the ledger, on-hand and
valuation are exactly what the application itself would have produced. ``state`` is what the run shares
(ids, random generators, agenda, summary, demand model); ``master_data``, ``purchases``, ``sales`` and
``stock`` are the areas. A new area: ``<area>.py`` with ``seed_<area>(s)`` and one line in
``seed._seed_areas``.
"""
