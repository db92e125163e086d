"""Importers: each runs in one transaction; a file with bad rows imports nothing."""
