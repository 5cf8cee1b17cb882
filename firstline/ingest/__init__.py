"""Bytes in, domain objects and warnings out. Nothing here writes to a database."""
