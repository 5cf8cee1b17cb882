"""Database schema commands: `firstline db upgrade | current`."""

from __future__ import annotations

from typing import Annotated

import typer

from firstline.cli.app import (
    console,
    db_app,
)
from firstline.settings import get_settings
from firstline.store import db as store_db
from firstline.store import open_store


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply schema migrations."""
    store = open_store(get_settings().resolved_database_url(), migrate=False)
    store_db.upgrade(store, revision)
    console.print(f"schema at {store_db.current_revision(store)}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision."""
    store = open_store(get_settings().resolved_database_url(), migrate=False)
    console.print(f"schema at {store_db.current_revision(store) or '(empty)'}")
