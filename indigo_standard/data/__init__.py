"""Bundled ISO code lists (countries, currencies), written by tools/build_iso_lists.py."""
