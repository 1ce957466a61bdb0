"""Annals: a static archival website generator for dated articles."""

__version__ = "0.1.0"
