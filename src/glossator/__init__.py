"""Glossator: printable annotated editions, from an article and annotations in YAML."""

__version__ = "0.1.0"
