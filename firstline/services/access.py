"""Accounts and sign-in: users, argon2 passwords, sessions, API tokens, login throttling.

Shared by `firstline users ...` and the web app. Tokens (session cookies and API tokens) are
random, shown once and stored only as SHA-256: a copy of the database opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from firstline.cases.access import Actor
from firstline.exc import FirstlineError, InvalidRequestError, NotFoundError, PermissionDeniedError
from firstline.store import Store
from firstline.store.repos import access as repo

SESSION_HOURS = 12
# Throttling: an account is refused for the rest of the window after this many failures in
# it, and so is a client address (one machine trying many accounts).
WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
CLIENT_FAILURES = 20
MIN_PASSWORD = 10

_hasher = PasswordHasher()
# Verified against when the account does not exist, so that the answer takes as long and
# the response time does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash("firstline-no-such-user")


class AuthenticationError(FirstlineError):
    """Wrong name or password, disabled account, or no valid session or token."""

    code = "not_authenticated"
    http_status = 401


class ThrottledError(FirstlineError):
    """Too many failed logins: wait before trying again."""

    code = "too_many_attempts"
    http_status = 429


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # goes in the cookie, never stored
    csrf_token: str
    actor: Actor
    expires_at: datetime


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidRequestError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def add_user(
    store: Store,
    username: str,
    *,
    role: str,
    password: str | None,
    display_name: str | None = None,
    email: str | None = None,
    port: str | None = None,
) -> int:
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidRequestError("a username is letters, digits, dots, dashes or underscores")
    password_hash = hash_password(password) if password is not None else None
    with store.begin() as conn:
        known = repo.role_names(conn)
        if role not in known:
            raise InvalidRequestError(f"role must be one of {', '.join(known)}, not {role!r}")
        if repo.user_by_name(conn, username) is not None:
            raise InvalidRequestError(f"user {username!r} exists already")
        try:
            return repo.add_user(
                conn,
                username=username,
                display_name=display_name,
                email=email,
                password_hash=password_hash,
                role=role,
                port=port.upper() if port else None,
                active=True,
                created_at=datetime.now(UTC),
            )
        except IntegrityError as exc:  # a concurrent add of the same name
            raise InvalidRequestError(f"user {username!r} exists already") from exc


def set_active(store: Store, username: str, active: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions at once."""
    with store.begin() as conn:
        user = repo.user_by_name(conn, username.strip().lower())
        if user is None:
            raise NotFoundError(f"no user {username!r}; see firstline users list")
        repo.update_user(conn, int(user["id"]), active=active)
        if not active:
            repo.end_sessions_of(conn, int(user["id"]))


def set_password(store: Store, username: str, password: str) -> None:
    password_hash = hash_password(password)
    with store.begin() as conn:
        user = repo.user_by_name(conn, username.strip().lower())
        if user is None:
            raise NotFoundError(f"no user {username!r}; see firstline users list")
        repo.update_user(conn, int(user["id"]), password_hash=password_hash)
        repo.end_sessions_of(conn, int(user["id"]))


def users(store: Store) -> list[dict[str, object]]:
    with store.connect() as conn:
        return [
            {k: v for k, v in row.items() if k != "password_hash"} for row in repo.list_users(conn)
        ]


def _actor(conn: Connection, row: RowMapping) -> Actor:
    return Actor(
        user_id=int(row["id"]),
        username=str(row["username"]),
        role=str(row["role"]),
        permissions=repo.permissions_of(conn, str(row["role"])),
        port=row["port"],
        display_name=row["display_name"],
    )


def login(store: Store, username: str, password: str, *, client: str | None) -> Session:
    """Check a password and open a session, refusing throttled accounts and clients."""
    username = username.strip().lower()
    now = datetime.now(UTC)
    with store.begin() as conn:
        if repo.failures_since(conn, username=username, since=now - WINDOW) >= ACCOUNT_FAILURES:
            raise ThrottledError(
                "too many failed attempts for this account: try again in 15 minutes"
            )
        if client and repo.failures_since(conn, client=client, since=now - WINDOW) >= (
            CLIENT_FAILURES
        ):
            raise ThrottledError("too many failed attempts from this address: try again later")
        user = repo.user_by_name(conn, username)
        ok = _verify(user["password_hash"] if user else None, password)
        if not ok or user is None or not user["active"]:
            repo.record_attempt(conn, username, client, False, now)
        else:
            repo.record_attempt(conn, username, client, True, now)
            repo.update_user(conn, int(user["id"]), last_login_at=now)
            return _open_session(conn, _actor(conn, user), now)
    raise AuthenticationError("unknown user name or wrong password")


def open_session_for(
    store: Store, username: str, *, client: str | None, named_by: str = "single sign-on"
) -> Session:
    """Open a session for an account someone else has authenticated (single sign-on).

    Only an existing, active local account: its role is local data, and an account the
    provider knows but firstline does not is refused, never created. `named_by` says where
    the name came from, for a message an administrator can act on. Unlike password logins
    the refusal says which case it is: the person has already proven who they are.
    """
    username = username.strip().lower()
    now = datetime.now(UTC)
    with store.begin() as conn:
        user = repo.user_by_name(conn, username)
        if user is not None and user["active"]:
            repo.record_attempt(conn, username, client, True, now)
            repo.update_user(conn, int(user["id"]), last_login_at=now)
            return _open_session(conn, _actor(conn, user), now)
        repo.record_attempt(conn, username, client, False, now)
    if user is None:
        raise AuthenticationError(
            f"no firstline account {username!r} matches {named_by}: "
            "ask an administrator to create it"
        )
    raise AuthenticationError(f"the firstline account {username!r} ({named_by}) is disabled")


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _open_session(conn: Connection, actor: Actor, now: datetime) -> Session:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    repo.add_session(
        conn,
        token_hash=digest(token),
        user_id=actor.user_id,
        csrf_token=csrf,
        created_at=now,
        expires_at=expires,
        last_seen_at=now,
    )
    return Session(token=token, csrf_token=csrf, actor=actor, expires_at=expires)


def session(store: Store, token: str) -> tuple[Actor, str]:
    """The actor and CSRF token of a live session; the session is extended on use."""
    now = datetime.now(UTC)
    with store.begin() as conn:
        row = repo.session_user(conn, digest(token), now)
        if row is None:
            raise AuthenticationError("the session has ended: log in again")
        # Extend at most once a minute: a page with many partial requests writes once.
        expires = row["expires_at"]
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if expires - now < timedelta(hours=SESSION_HOURS, minutes=-1):
            repo.touch_session(conn, digest(token), now, now + timedelta(hours=SESSION_HOURS))
        return _actor(conn, row), str(row["csrf_token"])


def logout(store: Store, token: str) -> None:
    with store.begin() as conn:
        repo.end_session(conn, digest(token))


def add_token(store: Store, username: str, name: str) -> str:
    """A new API token acting as `username`; returned once, stored only as its digest."""
    token = "fl_" + secrets.token_urlsafe(32)
    with store.begin() as conn:
        user = repo.user_by_name(conn, username.strip().lower())
        if user is None:
            raise NotFoundError(f"no user {username!r}; see firstline users list")
        repo.add_token(
            conn,
            name=name,
            token_hash=digest(token),
            user_id=int(user["id"]),
            created_at=datetime.now(UTC),
        )
    return token


def token_actor(store: Store, token: str) -> Actor:
    with store.begin() as conn:
        row = repo.token_user(conn, digest(token))
        if row is None:
            raise AuthenticationError("unknown or revoked API token")
        repo.touch_token(conn, int(row["token_id"]), datetime.now(UTC))
        return _actor(conn, row)


def tokens(store: Store) -> list[dict[str, object]]:
    with store.connect() as conn:
        return [dict(r) for r in repo.list_tokens(conn)]


def revoke_token(store: Store, token_id: int) -> None:
    with store.begin() as conn:
        if not repo.revoke_token(conn, token_id, datetime.now(UTC)):
            raise NotFoundError(f"no live API token {token_id}")


def require(actor: Actor, permission: str) -> None:
    if permission not in actor.permissions:
        raise PermissionDeniedError(f"the {actor.role} role does not allow this ({permission})")
