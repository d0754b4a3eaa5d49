"""Kiosque: a self-hostable, multilingual news aggregator."""

__version__ = "0.1.0"
