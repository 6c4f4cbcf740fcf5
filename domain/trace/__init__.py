"""Trace area: EPCIS 2.0 events, their hash IDs, canonical JSON leaves, validation and FSMA 204 exports.

Pure modules: ``event_hash``, ``digital_link``, ``epcis``, ``builders``, ``fsma``, ``errors``.
"""
