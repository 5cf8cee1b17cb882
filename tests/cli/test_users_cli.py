"""`firstline users ...`: accounts and API tokens, in-process on real databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from firstline.cli import app
from firstline.exc import InvalidRequestError, NotFoundError
from firstline.services import access
from firstline.services.access import AuthenticationError
from firstline.settings import get_settings
from firstline.store import Store, open_store

PASSWORD = "correct horse battery"


@pytest.fixture
def runner(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CliRunner]:
    monkeypatch.setenv("FIRSTLINE_DATABASE_URL", database_url)
    monkeypatch.setenv("FIRSTLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FIRSTLINE_NEW_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def store(runner: CliRunner, database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_add_list_disable(runner: CliRunner, store: Store) -> None:
    out = _ok(
        runner, "users", "add", "Ana", "--role", "analyst", "--name", "Ana Lyst",
        "--password", PASSWORD,
    )  # fmt: skip
    assert "user Ana created" in out and "role analyst" in out
    _ok(runner, "users", "add", "pat", "--role", "port_officer", "--port", "fra",
        "--password", PASSWORD)  # fmt: skip
    listed = json.loads(_ok(runner, "users", "list", "--json"))
    assert [(u["username"], u["role"], u["port"], u["active"]) for u in listed] == [
        ("ana", "analyst", None, True),
        ("pat", "port_officer", "FRA", True),
    ]
    assert all("password_hash" not in u for u in listed)
    table = _ok(runner, "users", "list")
    assert "Ana Lyst" in table and "FRA" in table

    session = access.login(store, "ana", PASSWORD, client=None)
    assert "user ana disabled" in _ok(runner, "users", "disable", "ana")
    with pytest.raises(AuthenticationError):
        access.session(store, session.token)
    assert [u["active"] for u in json.loads(_ok(runner, "users", "list", "--json"))] == [
        False,
        True,
    ]
    _ok(runner, "users", "enable", "ana")
    assert access.login(store, "ana", PASSWORD, client=None)


def test_the_password_comes_from_the_environment_or_is_refused(
    runner: CliRunner, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTLINE_NEW_PASSWORD", PASSWORD)
    _ok(runner, "users", "add", "sup", "--role", "supervisor")
    assert access.login(store, "sup", PASSWORD, client=None).actor.role == "supervisor"
    short = runner.invoke(app, ["users", "add", "x", "--role", "analyst", "--password", "short"])
    assert short.exit_code != 0 and isinstance(short.exception, InvalidRequestError)
    role = runner.invoke(app, ["users", "add", "y", "--role", "king", "--password", PASSWORD])
    assert isinstance(role.exception, InvalidRequestError) and "role must be one of" in str(
        role.exception
    )
    missing = runner.invoke(app, ["users", "disable", "nobody"])
    assert isinstance(missing.exception, NotFoundError)
    # An account for API tokens only has no password: nobody can log in with it.
    _ok(runner, "users", "add", "engine", "--role", "analyst", "--no-password")
    with pytest.raises(AuthenticationError):
        access.login(store, "engine", "", client=None)


def test_tokens_are_printed_once_and_revocable(runner: CliRunner, store: Store) -> None:
    _ok(runner, "users", "add", "engine", "--role", "analyst", "--no-password")
    out = _ok(runner, "users", "token", "engine", "--name", "risk engine")
    assert "not shown again" in out
    token = out.strip().splitlines()[-1]
    assert token.startswith("fl_")
    assert access.token_actor(store, token).username == "engine"
    (listed,) = access.tokens(store)
    assert listed["name"] == "risk engine"
    _ok(runner, "users", "revoke-token", str(listed["id"]))
    with pytest.raises(AuthenticationError):
        access.token_actor(store, token)
    unknown = runner.invoke(app, ["users", "token", "nobody", "--name", "x"])
    assert isinstance(unknown.exception, NotFoundError)
