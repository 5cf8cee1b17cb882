"""The only package that knows SQL: tables, migrations, engine and repositories."""

from firstline.store.db import Store, open_store

__all__ = ["Store", "open_store"]
