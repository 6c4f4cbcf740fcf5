"""Trace GraphQL: genealogy, recall, EPCIS and FSMA exports, quality checks, transformations, destruction."""
