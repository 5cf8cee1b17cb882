"""The Typer application, its consoles and the helpers every command shares."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from firstline import logs
from firstline.settings import Settings, get_settings
from firstline.store import Store, open_store

app = typer.Typer(help="firstline: API/PNR ingest and targeting for Customs.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)
app.add_typer(db_app, name="db")
# Piped or captured output gets wide tables: a file or a log collector has no terminal width.
console = Console() if sys.stdout.isatty() else Console(width=200)
err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def open_default_store(settings: Settings | None = None) -> Store:
    return open_store((settings or get_settings()).resolved_database_url())


@app.callback()
def _setup(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress events.")] = False,
) -> None:
    settings = get_settings()
    logs.configure(json=settings.log_format == "json", level=20 if verbose else 40)


def when(value: Any) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"
