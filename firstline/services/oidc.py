"""Single sign-on with the agency's OpenID provider: the authorization-code flow with PKCE.

The provider says who a person is; firstline still decides what they may do. The username
claim of a verified ID token must name a local, active account (roles stay local data), and
the session is opened through `access` like a password login. `start()` gives the provider's
authorization URL and the `Pending` values the browser must come back with; `finish()` checks
the state, exchanges the code with the PKCE verifier, verifies the ID token against the
provider's keys and opens the session. Codes, tokens and claims are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import ssl
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jwt

from firstline.exc import FirstlineError
from firstline.services import access
from firstline.services.access import AuthenticationError, Session
from firstline.settings import Settings
from firstline.store import Store

SCOPE = "openid profile email"
ALGORITHMS = ["RS256", "ES256"]
TIMEOUT = httpx.Timeout(10.0)
LEEWAY_SECONDS = 60  # the provider's clock and ours may differ a little
PENDING_SECONDS = 600  # time allowed for logging in at the provider
PENDING_LIMIT = 10_000
_WORD = re.compile(r"[^A-Za-z0-9_.-]")


class ProviderError(FirstlineError):
    """The OpenID provider cannot be reached or answered something unusable."""

    code = "oidc_provider_error"
    http_status = 502


class SingleSignOnError(AuthenticationError):
    """The answer from the provider does not prove who is logging in (state, code, ID token)."""

    code = "oidc_refused"


@dataclass(frozen=True, slots=True)
class OidcConfig:
    """firstline as a client of the provider."""

    issuer: str
    client_id: str
    client_secret: str | None
    redirect_uri: str
    username_claim: str

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcConfig:
        secret = settings.oidc_client_secret
        return cls(
            issuer=settings.oidc_issuer,
            client_id=settings.oidc_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            redirect_uri=settings.oidc_redirect_uri(),
            username_claim=settings.oidc_username_claim,
        )


@dataclass(frozen=True, slots=True)
class Endpoints:
    """What the provider's discovery document says; `issuer` as the provider spells it."""

    issuer: str
    authorization: str
    token: str
    jwks: str


@dataclass(frozen=True, slots=True)
class Pending:
    """A login sent to the provider: what its answer is checked against, and where to go."""

    state: str
    nonce: str
    verifier: str
    next: str


class PendingLogins:
    """Logins sent to the provider and not back yet, each under a random id the browser keeps
    in a cookie.

    Random-keyed on the server rather than a signed cookie: there is no signing key to manage
    (the card key is for card fingerprints only), the PKCE verifier never leaves the server and
    an id works once. In memory rather than in a table: `firstline serve` is one process, a
    pending login lives ten minutes and losing it on a restart costs one more click. Bounded,
    so that anonymous requests cannot grow it without end.
    """

    def __init__(self, *, seconds: float = PENDING_SECONDS, limit: int = PENDING_LIMIT) -> None:
        self._seconds = seconds
        self._limit = limit
        self._entries: OrderedDict[str, tuple[float, Pending]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, pending: Pending) -> str:
        key = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._drop_expired(now)
            while len(self._entries) >= self._limit:
                self._entries.popitem(last=False)
            self._entries[key] = (now + self._seconds, pending)
        return key

    def take(self, key: str | None) -> Pending:
        """The login under `key`, removed: an answer from the provider is used once."""
        with self._lock:
            entry = self._entries.pop(key, None) if key else None
        if entry is None or entry[0] < time.monotonic():
            raise SingleSignOnError(
                "this single sign-on was not started in this browser or took longer than "
                f"{PENDING_SECONDS // 60} minutes: start again"
            )
        return entry[1]

    def _drop_expired(self, now: float) -> None:
        # Entries share one lifetime, so insertion order is expiry order.
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires >= now:
                return
            del self._entries[key]


def start(config: OidcConfig, next: str) -> tuple[Pending, str]:
    """A new pending login and the provider's URL to send the browser to."""
    pending = Pending(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(48),  # 64 characters, within PKCE's 43 to 128
        next=next,
    )
    return pending, authorization_url(config, discover(config.issuer), pending)


def authorization_url(config: OidcConfig, endpoints: Endpoints, pending: Pending) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": config.redirect_uri,
            "scope": SCOPE,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": challenge(pending.verifier),
            "code_challenge_method": "S256",
        }
    )
    joiner = "&" if "?" in endpoints.authorization else "?"
    return f"{endpoints.authorization}{joiner}{query}"


def challenge(verifier: str) -> str:
    """The PKCE S256 challenge: unpadded base64url of the verifier's SHA-256."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def finish(
    store: Store,
    config: OidcConfig,
    pending: Pending,
    *,
    state: str,
    code: str,
    error: str = "",
    client: str | None,
) -> Session:
    """Check the provider's answer and open a session for the account it names."""
    if error:
        raise SingleSignOnError(f"the provider did not log you in ({_word(error)})")
    if not _same(state, pending.state):
        raise SingleSignOnError(
            "the provider's answer does not belong to the login started in this browser "
            "(state): start again"
        )
    if not code:
        raise SingleSignOnError("the provider sent no authorization code: start again")
    endpoints = discover(config.issuer)
    id_token = exchange_code(config, endpoints, code, pending.verifier)
    claims = verify_id_token(config, endpoints, id_token, nonce=pending.nonce)
    named_by = f"the {config.username_claim} claim of the agency account"
    return access.open_session_for(
        store, username_of(config, claims), client=client, named_by=named_by
    )


@lru_cache(maxsize=8)
def discover(issuer: str) -> Endpoints:
    """The provider's endpoints, read once per process (lru_cache keeps no failure, so an
    unreachable provider is asked again at the next login)."""
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    document = _get_json(url, "discovery document")
    found = _text(document, "issuer")
    # OpenID Connect Discovery 4.3: the document must be the configured issuer's own.
    if found.rstrip("/") != issuer.rstrip("/"):
        raise ProviderError(
            f"the provider's discovery document names issuer {found!r}, not {issuer!r}: "
            "check FIRSTLINE_OIDC_ISSUER"
        )
    return Endpoints(
        issuer=found,
        authorization=_text(document, "authorization_endpoint"),
        token=_text(document, "token_endpoint"),
        jwks=_text(document, "jwks_uri"),
    )


def exchange_code(config: OidcConfig, endpoints: Endpoints, code: str, verifier: str) -> str:
    """The ID token the token endpoint gives for `code` and its PKCE verifier."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": config.redirect_uri,
        "code_verifier": verifier,
    }
    auth: tuple[str, str] | None = None
    if config.client_secret:
        # client_secret_basic, the default method; RFC 6749 2.3.1 form-encodes both parts.
        auth = (quote(config.client_id, safe=""), quote(config.client_secret, safe=""))
    else:
        form["client_id"] = config.client_id
    response = _send("POST", endpoints.token, "token endpoint", data=form, auth=auth)
    if 400 <= response.status_code < 500:
        raise SingleSignOnError(
            f"the provider refused the authorization code ({_error_of(response)}): start again"
        )
    token = _json(response, "token response").get("id_token")
    if not isinstance(token, str) or not token:
        raise ProviderError("the provider's token response carries no ID token")
    return token


def verify_id_token(
    config: OidcConfig, endpoints: Endpoints, token: str, *, nonce: str
) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
    key = _signing_key(endpoints, token)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=ALGORITHMS,
            audience=config.client_id,
            issuer=endpoints.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
        )
    except jwt.PyJWTError as exc:
        raise SingleSignOnError(_token_problem(exc)) from exc
    if not _same(str(claims["nonce"]), nonce):
        raise SingleSignOnError("the ID token was issued for another login (nonce): start again")
    # Core 3.1.3.7: with several audiences, the party it was issued to must be us.
    if "azp" in claims and claims["azp"] != config.client_id:
        raise SingleSignOnError("the ID token was issued to another client (azp)")
    return claims


def username_of(config: OidcConfig, claims: dict[str, Any]) -> str:
    value = claims.get(config.username_claim)
    if not isinstance(value, str) or not value.strip():
        raise SingleSignOnError(
            f"the ID token carries no {config.username_claim} claim: ask the provider's "
            "administrator to release it, or set FIRSTLINE_OIDC_USERNAME_CLAIM"
        )
    return value


def _signing_key(endpoints: Endpoints, token: str) -> jwt.PyJWK:
    """The provider's key that signed `token`. The key set is read at each login rather than
    cached: logins are rare, and keys the provider rotates are then believed at once."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SingleSignOnError("the provider sent a malformed ID token") from exc
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise SingleSignOnError(
            f"the ID token is signed with {algorithm!r}; firstline accepts RS256 or ES256 only"
        )
    try:
        keys = jwt.PyJWKSet.from_dict(_get_json(endpoints.jwks, "key set")).keys
    except jwt.PyJWTError as exc:
        raise ProviderError("the provider's key set holds no usable key") from exc
    kid = header.get("kid")
    matching = [
        key
        for key in keys
        if key.public_key_use in (None, "sig")
        and key.algorithm_name == algorithm
        and (kid is None or key.key_id == kid)
    ]
    if len(matching) != 1:
        raise SingleSignOnError(
            f"no single key of the provider's key set matches the ID token (kid {kid!r})"
        )
    return matching[0]


_TOKEN_PROBLEMS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the ID token has expired: check the clocks, then start again"),
    (jwt.ImmatureSignatureError, "the ID token is not valid yet: check the clocks"),
    (jwt.InvalidAudienceError, "the ID token was issued to another client (aud)"),
    (jwt.InvalidIssuerError, "the ID token comes from another issuer (iss)"),
    (jwt.InvalidSignatureError, "the ID token's signature does not match the provider's key"),
    (jwt.InvalidAlgorithmError, "the ID token's algorithm does not match the provider's key"),
)


def _token_problem(exc: jwt.PyJWTError) -> str:
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"the ID token lacks the {exc.claim} claim"
    for kind, message in _TOKEN_PROBLEMS:
        if isinstance(exc, kind):
            return message
    return f"the ID token is not valid ({type(exc).__name__})"


def _http() -> httpx.Client:
    # The system's trust store rather than certifi's, as for SMTP: an agency's own CA is
    # installed there on an isolated network.
    return httpx.Client(timeout=TIMEOUT, verify=ssl.create_default_context())


def _send(method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
    try:
        with _http() as http:
            response = http.request(method, url, headers={"Accept": "application/json"}, **kwargs)
    except httpx.HTTPError as exc:
        raise ProviderError(
            f"the OpenID provider's {what} cannot be reached ({type(exc).__name__}: {exc})"
        ) from exc
    if response.status_code >= 500:
        raise ProviderError(f"the OpenID provider's {what} answered {response.status_code}")
    return response


def _get_json(url: str, what: str) -> dict[str, Any]:
    response = _send("GET", url, what)
    if response.status_code != 200:
        raise ProviderError(f"the OpenID provider answered {response.status_code} for its {what}")
    return _json(response, what)


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise ProviderError(f"the OpenID provider's {what} is not JSON") from exc
    if not isinstance(data, dict):
        raise ProviderError(f"the OpenID provider's {what} is not a JSON object")
    return data


def _text(document: dict[str, Any], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value:
        raise ProviderError(f"the provider's discovery document has no {name}")
    return value


def _error_of(response: httpx.Response) -> str:
    """The OAuth error code of a refusal (never its free-text description)."""
    try:
        data = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = data.get("error") if isinstance(data, dict) else None
    return _word(error) if isinstance(error, str) else f"HTTP {response.status_code}"


def _word(value: str) -> str:
    # A code such as invalid_grant; anything else a provider might echo is cut away.
    return _WORD.sub("", value)[:64] or "no reason given"


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
