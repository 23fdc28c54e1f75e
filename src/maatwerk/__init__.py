"""Maatwerk: the information system for modular vocational programmes in the vmbo."""

__version__ = "0.1.0"
