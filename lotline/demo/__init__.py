"""The demo data set that ``lotline seed-demo`` (and ``make run``) loads: a fresh-food distributor's year.

``catalog_data`` holds the static part (SKUs, warehouses, partners, users); ``seed`` plays a year of
purchasing, selling, counting and transferring through the domain services, so the ledger, on-hand and
valuation are exactly what the application itself would have produced.
"""
