"""`firstline serve` and the accounts behind it: `firstline users ...`."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer
from rich.table import Table

from firstline.cli.app import JsonOption, app, console, open_default_store, print_json, when
from firstline.services import access
from firstline.settings import get_settings

users_app = typer.Typer(help="Accounts of the web interface and API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the analyst's web interface and the JSON API (docs at /api/docs)."""
    run_server(host, port)


def run_server(host: str, port: int) -> None:
    import uvicorn

    from firstline.web import create_app

    settings = get_settings()
    store = open_default_store(settings)
    web = create_app(settings, store)
    console.print(f"firstline: http://{host}:{port}/ (API documentation at /api/docs)")
    if not access.users(store):
        # The first thing a new installation meets is a login page nobody can pass.
        console.print(
            "[yellow]no account yet:[/] create one with "
            "firstline users add NAME --role administrator (or analyst, supervisor ...)"
        )
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=True)


def _password(given: str | None) -> str | None:
    if given is not None:
        return given
    from_env = os.environ.get("FIRSTLINE_NEW_PASSWORD")
    if from_env:
        return from_env
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise typer.BadParameter("the two passwords differ")
    return first


@users_app.command("add")
def add(
    username: str,
    role: Annotated[
        str,
        typer.Option(help="analyst, supervisor, port_officer, administrator or auditor."),
    ],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    email: Annotated[str | None, typer.Option()] = None,
    port: Annotated[str | None, typer.Option(help="A port officer's airport (IATA).")] = None,
    password: Annotated[
        str | None,
        typer.Option(help="Prompted when omitted (or FIRSTLINE_NEW_PASSWORD); min 10 chars."),
    ] = None,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="An account for API tokens only.")
    ] = False,
) -> None:
    """Create an account."""
    store = open_default_store()
    secret = None if no_password else _password(password)
    user_id = access.add_user(
        store, username, role=role, password=secret, display_name=name, email=email, port=port
    )
    console.print(f"user {username} created (id {user_id}, role {role})")


@users_app.command("disable")
def disable(username: str) -> None:
    """Disable an account and end its sessions (its history stays)."""
    access.set_active(open_default_store(), username, False)
    console.print(f"user {username} disabled")


@users_app.command("enable")
def enable(username: str) -> None:
    access.set_active(open_default_store(), username, True)
    console.print(f"user {username} enabled")


@users_app.command("password")
def password(username: str, password: Annotated[str | None, typer.Option()] = None) -> None:
    """Set a new password (ends the account's sessions)."""
    access.set_password(open_default_store(), username, _password(password) or "")
    console.print(f"password of {username} changed")


@users_app.command("list")
def list_users(json_out: JsonOption = False) -> None:
    rows = access.users(open_default_store())
    if json_out:
        print_json(rows)
        return
    table = Table("user", "name", "role", "port", "active", "last login", title="Users")
    for r in rows:
        table.add_row(
            str(r["username"]), str(r["display_name"] or ""), str(r["role"]),
            str(r["port"] or ""), "yes" if r["active"] else "no", when(r["last_login_at"]),
        )  # fmt: skip
    console.print(table)


@users_app.command("token")
def token(username: str, name: Annotated[str, typer.Option(help="What system uses it.")]) -> None:
    """Create an API token acting as USERNAME; it is shown once."""
    secret = access.add_token(open_default_store(), username, name)
    console.print(f"API token for {username} ({name}); store it now, it is not shown again:")
    print(secret)


@users_app.command("revoke-token")
def revoke_token(token_id: int) -> None:
    access.revoke_token(open_default_store(), token_id)
    console.print(f"token {token_id} revoked")
