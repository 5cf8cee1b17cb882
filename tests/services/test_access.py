"""Accounts and sign-in on real SQLite and PostgreSQL: users, argon2 passwords, login and its
throttling, sessions, API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select, update

from firstline.cases.access import DEFAULT_ROLES
from firstline.exc import InvalidRequestError, NotFoundError, PermissionDeniedError
from firstline.services import access
from firstline.services.access import AuthenticationError, ThrottledError
from firstline.store import Store, open_store
from firstline.store.tables import api_tokens, login_attempts, users, web_sessions

PASSWORD = "correct horse battery"


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def analyst(store: Store) -> int:
    return access.add_user(store, "Ana.Lyst", role="analyst", password=PASSWORD, port=None)


def _column(store: Store, column: ColumnElement[Any], username: str = "ana.lyst") -> Any:
    with store.connect() as conn:
        return conn.execute(select(column).where(users.c.username == username)).scalar_one()


def test_add_user_stores_an_argon2_hash_and_a_lower_case_name(store: Store, analyst: int) -> None:
    stored = str(_column(store, users.c.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    (row,) = access.users(store)
    assert (row["id"], row["username"], row["role"], row["active"]) == (
        analyst,
        "ana.lyst",
        "analyst",
        True,
    )
    assert "password_hash" not in row


def test_add_user_refusals(store: Store, analyst: int) -> None:
    with pytest.raises(InvalidRequestError, match="at least 10 characters"):
        access.add_user(store, "shorty", role="analyst", password="123456789")
    with pytest.raises(InvalidRequestError, match="role must be one of"):
        access.add_user(store, "boss", role="emperor", password=PASSWORD)
    with pytest.raises(InvalidRequestError, match="exists already"):
        access.add_user(store, "ANA.LYST", role="analyst", password=PASSWORD)
    with pytest.raises(InvalidRequestError, match="letters, digits"):
        access.add_user(store, "robert'); drop", role="analyst", password=PASSWORD)
    assert [u["username"] for u in access.users(store)] == ["ana.lyst"]


def test_every_default_role_can_be_given_and_a_port_is_upper_case(store: Store) -> None:
    for role in DEFAULT_ROLES:
        access.add_user(store, f"u-{role.name}", role=role.name, password=None, port="bbb")
    assert {u["role"] for u in access.users(store)} == {r.name for r in DEFAULT_ROLES}
    assert _column(store, users.c.port, "u-port_officer") == "BBB"


def test_login_opens_a_session_with_the_roles_permissions(store: Store, analyst: int) -> None:
    session = access.login(store, " ANA.lyst ", PASSWORD, client="10.0.0.1")
    assert session.actor.user_id == analyst and session.actor.role == "analyst"
    expected = next(r for r in DEFAULT_ROLES if r.name == "analyst").permissions
    assert session.actor.permissions == frozenset(p.value for p in expected)
    actor, csrf = access.session(store, session.token)
    assert actor == session.actor and csrf == session.csrf_token
    with store.connect() as conn:
        stored = conn.execute(select(web_sessions.c.token_hash)).scalars().all()
    assert stored == [access.digest(session.token)]  # the token itself is not stored
    assert _column(store, users.c.last_login_at) is not None


@pytest.mark.parametrize(
    ("username", "password"),
    [("ana.lyst", "wrong password!"), ("nobody", PASSWORD), ("ana.lyst", "")],
)
def test_login_refuses_wrong_credentials(
    store: Store, analyst: int, username: str, password: str
) -> None:
    with pytest.raises(AuthenticationError, match="unknown user name or wrong password"):
        access.login(store, username, password, client=None)
    with store.connect() as conn:
        assert conn.execute(select(login_attempts.c.success)).scalars().all() == [False]


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(store: Store, analyst: int) -> None:
    session = access.login(store, "ana.lyst", PASSWORD, client=None)
    access.set_active(store, "ana.lyst", False)
    with pytest.raises(AuthenticationError, match="session has ended"):
        access.session(store, session.token)
    with pytest.raises(AuthenticationError, match="wrong password"):
        access.login(store, "ana.lyst", PASSWORD, client=None)
    access.set_active(store, "ana.lyst", True)
    assert access.login(store, "ana.lyst", PASSWORD, client=None).actor.user_id == analyst
    with pytest.raises(NotFoundError):
        access.set_active(store, "nobody", False)


def test_a_password_change_ends_the_sessions(store: Store, analyst: int) -> None:
    session = access.login(store, "ana.lyst", PASSWORD, client=None)
    access.set_password(store, "ana.lyst", "another long secret")
    with pytest.raises(AuthenticationError):
        access.session(store, session.token)
    with pytest.raises(AuthenticationError):
        access.login(store, "ana.lyst", PASSWORD, client=None)
    assert access.login(store, "ana.lyst", "another long secret", client=None)
    with pytest.raises(InvalidRequestError, match="at least"):
        access.set_password(store, "ana.lyst", "short")


def test_logout_and_expiry_end_a_session(store: Store, analyst: int) -> None:
    first = access.login(store, "ana.lyst", PASSWORD, client=None)
    second = access.login(store, "ana.lyst", PASSWORD, client=None)
    access.logout(store, first.token)
    with pytest.raises(AuthenticationError):
        access.session(store, first.token)
    assert access.session(store, second.token)[0].user_id == analyst  # the other one lives
    with store.begin() as conn:
        conn.execute(update(web_sessions).values(expires_at=datetime.now(UTC) - timedelta(1)))
    with pytest.raises(AuthenticationError):
        access.session(store, second.token)
    with pytest.raises(AuthenticationError):
        access.session(store, "made-up")


def test_the_account_is_throttled_after_five_failures(store: Store, analyst: int) -> None:
    for _ in range(access.ACCOUNT_FAILURES):
        with pytest.raises(AuthenticationError):
            access.login(store, "ana.lyst", "wrong password!", client="10.0.0.1")
    with pytest.raises(ThrottledError, match="this account"):
        access.login(store, "ana.lyst", "wrong password!", client="10.0.0.2")
    # The right password is refused as well while the account is throttled ...
    with pytest.raises(ThrottledError):
        access.login(store, "ana.lyst", PASSWORD, client="10.0.0.3")
    assert ThrottledError.http_status == 429
    # ... and throttled attempts do not count (the window does not grow).
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(login_attempts)).scalar() == 5
    # Another account is not affected; once the failures are old, the account opens again.
    access.add_user(store, "other", role="analyst", password=PASSWORD)
    assert access.login(store, "other", PASSWORD, client="10.0.0.9")
    with store.begin() as conn:
        conn.execute(
            update(login_attempts).values(at=datetime.now(UTC) - access.WINDOW - timedelta(1))
        )
    assert access.login(store, "ana.lyst", PASSWORD, client="10.0.0.1").actor.user_id == analyst


def test_a_success_resets_the_account_count(store: Store, analyst: int) -> None:
    for _ in range(access.ACCOUNT_FAILURES - 1):
        with pytest.raises(AuthenticationError):
            access.login(store, "ana.lyst", "wrong password!", client=None)
    access.login(store, "ana.lyst", PASSWORD, client=None)
    for _ in range(access.ACCOUNT_FAILURES - 1):
        with pytest.raises(AuthenticationError):
            access.login(store, "ana.lyst", "wrong password!", client=None)
    assert access.login(store, "ana.lyst", PASSWORD, client=None)


def test_a_client_is_throttled_after_twenty_failures(
    store: Store, analyst: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "_verify", lambda stored, given: False)  # no argon2 wait
    for n in range(access.CLIENT_FAILURES):
        with pytest.raises(AuthenticationError):
            access.login(store, f"guess{n}", "whatever you like", client="10.6.6.6")
    with pytest.raises(ThrottledError, match="this address"):
        access.login(store, "ana.lyst", PASSWORD, client="10.6.6.6")
    monkeypatch.undo()
    assert access.login(store, "ana.lyst", PASSWORD, client="10.0.0.1")


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(store: Store, analyst: int) -> None:
    token = access.add_token(store, "ana.lyst", "risk-engine")
    assert token.startswith("fl_") and len(token) > 40
    with store.connect() as conn:
        stored = conn.execute(select(api_tokens.c.token_hash)).scalar_one()
    assert stored == access.digest(token) and token not in stored
    actor = access.token_actor(store, token)
    assert (actor.user_id, actor.role) == (analyst, "analyst")
    (listed,) = access.tokens(store)
    assert listed["name"] == "risk-engine" and listed["last_used_at"] is not None
    assert "token_hash" not in listed and listed["username"] == "ana.lyst"
    access.revoke_token(store, int(str(listed["id"])))
    with pytest.raises(AuthenticationError, match="revoked"):
        access.token_actor(store, token)
    with pytest.raises(NotFoundError):
        access.revoke_token(store, int(str(listed["id"])))
    with pytest.raises(NotFoundError):
        access.add_token(store, "nobody", "x")


def test_a_disabled_accounts_tokens_stop_working(store: Store, analyst: int) -> None:
    token = access.add_token(store, "ana.lyst", "batch")
    access.set_active(store, "ana.lyst", False)
    with pytest.raises(AuthenticationError):
        access.token_actor(store, token)


def test_require(store: Store, analyst: int) -> None:
    actor = access.login(store, "ana.lyst", PASSWORD, client=None).actor
    access.require(actor, "hits:view")
    with pytest.raises(
        PermissionDeniedError, match=r"analyst role does not allow this \(audit:view\)"
    ):
        access.require(actor, "audit:view")
