"""The `firstline` command line: parse, ingest, inspect, generate and run the demo.

Commands live in modules by subject; importing them here registers them on `app`.
"""

from __future__ import annotations

from firstline.cli import hits, links, loaded, messages, rules, schema, traffic, watchlist, web
from firstline.cli.app import app, err
from firstline.exc import FirstlineError

__all__ = ["app", "main"]
_COMMANDS = (
    hits,
    links,
    loaded,
    messages,
    rules,
    schema,
    traffic,
    watchlist,
    web,
)  # registered on `app` when imported


def main() -> None:
    try:
        app()
    except FirstlineError as exc:
        err.print(f"[red]error[/] ({exc.code}): {exc}")
        raise SystemExit(exc.exit_code) from exc
