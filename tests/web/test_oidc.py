"""Single sign-on against a real OpenID provider: a small one served by uvicorn on a free local
port, with discovery, a key set, an authorize endpoint that sends the browser straight back
with a code, and a token endpoint that checks the PKCE verifier and signs ID tokens.

firstline is driven with TestClient and the provider with httpx; the browser's redirects
between the two are followed by hand. Each test has a store of its own (both backends): the
accounts and the audit trail are what is checked.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from firstline.services import access
from firstline.settings import Settings
from firstline.store import Store, open_store
from firstline.store.tables import audit_events
from firstline.web import create_app

CLIENT_ID = "firstline"
CLIENT_SECRET = "client-secret-for-tests"
KID = "provider-key-1"
SESSION_COOKIE = "firstline_session"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Provider:
    """The test's OpenID provider; tests set who logs in next and what goes wrong."""

    url: str = ""
    key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    username: str = "olive"  # who logs in at the provider next
    changes: dict[str, Any] = field(default_factory=dict)  # claims to change in the ID token
    signer: rsa.RSAPrivateKey | None = None  # sign with this instead of the published key
    grants: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> its request

    def reset(self) -> None:
        self.username, self.changes, self.signer = "olive", {}, None

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": f"subject-{self.username}",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "preferred_username": self.username,
        }
        claims.update(self.changes)
        key = self.signer or self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def provider_app(provider: Provider) -> FastAPI:
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {
            "issuer": provider.url,
            "authorization_endpoint": f"{provider.url}/authorize",
            "token_endpoint": f"{provider.url}/token",
            "jwks_uri": f"{provider.url}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    @app.get("/authorize")
    def authorize(request: Request) -> Response:
        asked = dict(request.query_params)
        assert asked["client_id"] == CLIENT_ID and asked["response_type"] == "code"
        assert asked["code_challenge_method"] == "S256" and "openid" in asked["scope"].split()
        code = secrets.token_urlsafe(16)
        provider.grants[code] = asked
        back = httpx.URL(asked["redirect_uri"], params={"code": code, "state": asked["state"]})
        return RedirectResponse(str(back), status_code=302)

    @app.post("/token")
    async def token(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        grant = provider.grants.pop(form.get("code", ""), None)
        if grant is None or not _client_authenticated(request):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if _s256(form.get("code_verifier", "")) != grant["code_challenge"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(
            {
                "access_token": "opaque",
                "token_type": "Bearer",
                "id_token": provider.id_token(grant["nonce"]),
            }
        )

    return app


def _client_authenticated(request: Request) -> bool:
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    return request.headers.get("authorization") == f"Basic {expected}"


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    """The provider served on a free port for the module (generating RSA keys takes a while)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    state = Provider(url=f"http://127.0.0.1:{sock.getsockname()[1]}")
    server = uvicorn.Server(uvicorn.Config(provider_app(state), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield state
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = open_store(database_url)
    access.add_user(store, "olive", role="analyst", password=None, display_name="Olive")
    access.add_user(store, "dora", role="analyst", password=None, display_name="Dora")
    try:
        yield store
    finally:
        store.dispose()


@pytest.fixture
def client(store: Store, provider: Provider) -> TestClient:
    provider.reset()
    settings = Settings(
        database_url="sqlite://",  # unused: the app gets the store
        environment="development",
        base_url="http://testserver",
        oidc_issuer=provider.url,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
        oidc_label="Log in with the agency account",
    )
    return TestClient(create_app(settings, store), follow_redirects=False)


def sign_in(client: TestClient, **tamper: str) -> httpx.Response:
    """Click the button, let the provider send the browser back, and arrive at the callback
    (with query parameters changed by `tamper`)."""
    start = client.get("/login/oidc", params={"next": "/hits"})
    assert start.status_code == 303, start.text
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302, at_provider.text
    back = httpx.URL(at_provider.headers["location"])
    assert (back.host, back.path) == ("testserver", "/login/oidc/callback")
    arrived: httpx.Response = client.get(back.path, params={**dict(back.params), **tamper})
    return arrived


def refusal(response: httpx.Response) -> str:
    """The message the login page shows, after checking that no session was opened."""
    assert response.status_code == 401, response.text
    assert SESSION_COOKIE not in response.cookies
    found = re.search(r'role="alert">([^<]*)<', response.text)
    assert found, response.text
    return found.group(1).replace("&#39;", "'")


def test_a_local_analyst_logs_in_with_the_agency_account(client: TestClient, store: Store) -> None:
    done = sign_in(client)
    assert done.status_code == 200, done.text
    assert 'content="0; url=/hits"' in done.text
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    hits = client.get("/hits")
    assert hits.status_code == 200
    assert "Olive" in hits.text
    with store.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.actor, audit_events.c.detail).where(
                audit_events.c.action == "login"
            )
        ).all()
    assert [(r.actor, r.detail) for r in rows] == [("olive", {"method": "oidc"})]


def test_an_answer_is_used_once(client: TestClient) -> None:
    start = client.get("/login/oidc")
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    back = httpx.URL(at_provider.headers["location"])
    assert client.get(back.path, params=back.params).status_code == 200
    assert "not started in this browser" in refusal(client.get(back.path, params=back.params))


def test_a_wrong_state_is_refused(client: TestClient) -> None:
    assert "(state)" in refusal(sign_in(client, state="forged-state"))


def test_a_code_the_provider_did_not_issue_is_refused(client: TestClient) -> None:
    assert "invalid_grant" in refusal(sign_in(client, code="made-up"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"aud": "another-client"}, "another client (aud)"),
        ({"iss": "https://elsewhere.example"}, "another issuer (iss)"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"nonce": "another-login"}, "(nonce)"),
    ],
    ids=["audience", "issuer", "expired", "nonce"],
)
def test_an_id_token_that_does_not_hold_is_refused(
    client: TestClient, provider: Provider, changes: dict[str, Any], message: str
) -> None:
    provider.changes = changes
    assert message in refusal(sign_in(client))


def test_an_id_token_signed_with_another_key_is_refused(
    client: TestClient, provider: Provider
) -> None:
    provider.signer = _new_key()
    assert "signature" in refusal(sign_in(client))


def test_an_unknown_account_is_refused_naming_the_claim(
    client: TestClient, provider: Provider, store: Store
) -> None:
    provider.username = "nobody"
    message = refusal(sign_in(client))
    assert "preferred_username" in message and "'nobody'" in message
    assert "create it" in message
    assert [u["username"] for u in access.users(store)] == ["dora", "olive"]  # none created


def test_a_disabled_account_is_refused(
    client: TestClient, provider: Provider, store: Store
) -> None:
    access.set_active(store, "dora", False)
    provider.username = "dora"
    message = refusal(sign_in(client))
    assert "'dora'" in message and "disabled" in message


def test_the_button_shows_only_when_single_sign_on_is_set_up(
    client: TestClient, store: Store
) -> None:
    page = client.get("/login", params={"next": "/hits"})
    assert 'href="/login/oidc?next=/hits">Log in with the agency account</a>' in page.text
    plain = TestClient(create_app(Settings(environment="development"), store))
    assert "/login/oidc" not in plain.get("/login").text
    assert plain.get("/login/oidc", follow_redirects=False).status_code == 404


def test_an_unreachable_provider_is_named_on_the_login_page(store: Store) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    settings = Settings(
        environment="development", oidc_issuer=f"http://127.0.0.1:{port}", oidc_client_id="x"
    )
    page = TestClient(create_app(settings, store)).get("/login/oidc", follow_redirects=False)
    assert page.status_code == 502
    assert "cannot be reached" in page.text and SESSION_COOKIE not in page.cookies


def test_single_sign_on_settings_are_checked_at_start() -> None:
    with pytest.raises(ValueError, match="FIRSTLINE_OIDC_CLIENT_ID must be set"):
        Settings(oidc_issuer="https://sso.agency.example")
    with pytest.raises(ValueError, match="FIRSTLINE_OIDC_ISSUER must start with https://"):
        Settings(
            environment="production",
            card_key="a-production-card-key",
            oidc_issuer="http://sso.agency.example",
            oidc_client_id=CLIENT_ID,
        )
    assert not Settings().oidc_enabled
    assert Settings(base_url="https://fl.example/").oidc_redirect_uri() == (
        "https://fl.example/login/oidc/callback"
    )
