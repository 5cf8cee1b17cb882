"""Shared test fixtures: database backends and the sample corpus.

Backends
--------
Tests that take the ``database_url`` fixture run once per backend:

* ``sqlite``   -> a fresh file ``sqlite:///<tmp_path>/firstline.db``
* ``postgres`` -> a brand-new database ``firstline_test_<hex>`` created on the
  admin server and dropped (``WITH (FORCE)``) when the test finishes.

The params carry the ``sqlite`` / ``postgres`` markers, so ``-m "not postgres"``
works as usual.

Environment
-----------
``FIRSTLINE_TEST_BACKENDS``
    Comma-separated backends to run, default ``sqlite,postgres``. Tests marked
    with a backend that is not listed are deselected; e.g.
    ``FIRSTLINE_TEST_BACKENDS=sqlite`` runs without PostgreSQL. With the
    default, an unreachable PostgreSQL is an error (run
    ``scripts/ensure-services.sh``), never a silent skip.
``FIRSTLINE_TEST_POSTGRES_URL``
    Admin URL of the PostgreSQL server, default
    ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``. The user must be
    allowed to CREATE/DROP DATABASE.
``FIRSTLINE_CORPUS``
    Directory of the sample corpus, default ``<repo>/../shared/corpus``.

Works with pytest-xdist: each worker process creates its own randomly named
databases and drops them; anything a worker failed to drop during a test is
retried when that worker's session ends.
"""

from __future__ import annotations

import logging
import os
import secrets
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from firstline import logs

# Progress events (one per message) would drown the test output; warnings still show.
logs.configure(level=logging.WARNING)

REPO_ROOT = Path(__file__).resolve().parent.parent

ALL_BACKENDS = ("sqlite", "postgres")
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEST_DB_PREFIX = "firstline_test_"

ENSURE_HINT = (
    "Start it with `scripts/ensure-services.sh` (or `make test`), point "
    "FIRSTLINE_TEST_POSTGRES_URL at a server you can use, or run only SQLite "
    "with FIRSTLINE_TEST_BACKENDS=sqlite."
)


def _enabled_backends() -> frozenset[str]:
    raw = os.environ.get("FIRSTLINE_TEST_BACKENDS", "").strip()
    if not raw:
        return frozenset(ALL_BACKENDS)
    names = frozenset(part.strip().lower() for part in raw.split(",") if part.strip())
    unknown = names - set(ALL_BACKENDS)
    if unknown or not names:
        raise pytest.UsageError(
            f"FIRSTLINE_TEST_BACKENDS={raw!r}: expected a comma-separated subset of "
            f"{', '.join(ALL_BACKENDS)}"
        )
    return names


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect tests for backends not listed in FIRSTLINE_TEST_BACKENDS."""
    disabled = set(ALL_BACKENDS) - _enabled_backends()
    if not disabled:
        return
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if any(item.get_closest_marker(name) for name in disabled):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config: pytest.Config) -> str:
    return f"firstline backends: {','.join(sorted(_enabled_backends()))}"


# --- PostgreSQL ----------------------------------------------------------------


def _admin_url() -> URL:
    url = make_url(os.environ.get("FIRSTLINE_TEST_POSTGRES_URL") or DEFAULT_ADMIN_URL)
    if url.drivername == "postgresql":  # bare scheme would mean psycopg2
        url = url.set(drivername="postgresql+psycopg")
    return url


@pytest.fixture(scope="session")
def postgres_admin_url() -> URL:
    """SQLAlchemy URL of the admin connection (a database we don't drop)."""
    return _admin_url()


class _PostgresAdmin:
    """Per-process admin engine; remembers every database it created."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.engine: Engine | None = None
        self.error: str | None = None
        self.created: set[str] = set()
        # Engines opened (by anyone) on our test databases, so they can be
        # disposed before DROP DATABASE.
        self.engines: dict[str, weakref.WeakSet[Engine]] = {}

    def connect(self) -> Engine:
        if self.engine is not None:
            return self.engine
        if self.error is None:
            safe = self.url.render_as_string(hide_password=True)
            try:
                engine = create_engine(
                    self.url,
                    isolation_level="AUTOCOMMIT",
                    pool_pre_ping=True,
                    connect_args={"connect_timeout": 5},
                )
                with engine.connect() as conn:
                    conn.execute(text("select 1"))
            except ModuleNotFoundError as exc:
                self.error = (
                    f"PostgreSQL driver missing ({exc}). "
                    "Install dev extras: pip install -e '.[dev]'"
                )
            except Exception as exc:  # noqa: BLE001 - report any connect failure
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                self.error = (
                    f"PostgreSQL is not reachable at {safe}: "
                    f"{type(exc).__name__}: {first_line}\n{ENSURE_HINT}"
                )
            else:
                self.engine = engine
                return engine
        pytest.fail(self.error or "PostgreSQL unavailable", pytrace=False)

    def track(self, conn_engine: Engine) -> None:
        name = conn_engine.url.database
        if name in self.created and conn_engine is not self.engine:
            self.engines.setdefault(name, weakref.WeakSet()).add(conn_engine)

    def create_database(self) -> str:
        engine = self.connect()
        name = f"{TEST_DB_PREFIX}{secrets.token_hex(8)}"
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.add(name)
        return name

    def drop_database(self, name: str) -> None:
        for eng in list(self.engines.pop(name, ())):
            eng.dispose()
        assert self.engine is not None
        with self.engine.connect() as conn:
            if conn.dialect.server_version_info >= (13,):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:  # pragma: no cover - old servers
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :n AND pid <> pg_backend_pid()"
                    ),
                    {"n": name},
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        self.created.discard(name)

    def close(self) -> None:
        """End of session: drop whatever is left, then dispose the admin engine."""
        if self.engine is None:
            return
        for name in sorted(self.created):
            try:
                self.drop_database(name)
            except Exception as exc:  # noqa: BLE001 - best effort at shutdown
                print(f"\nwarning: could not drop test database {name}: {exc}")
        self.engine.dispose()
        self.engine = None


@pytest.fixture(scope="session")
def _postgres_admin(postgres_admin_url: URL) -> Iterator[_PostgresAdmin]:
    admin = _PostgresAdmin(postgres_admin_url)

    def on_connect(conn: object, *args: object) -> None:
        engine = getattr(conn, "engine", None)
        if isinstance(engine, Engine):
            admin.track(engine)

    event.listen(Engine, "engine_connect", on_connect)
    try:
        yield admin
    finally:
        event.remove(Engine, "engine_connect", on_connect)
        admin.close()


@pytest.fixture
def postgres_database_url(_postgres_admin: _PostgresAdmin) -> Iterator[str]:
    """URL of a brand-new, empty PostgreSQL database, dropped afterwards."""
    name = _postgres_admin.create_database()
    url = _postgres_admin.url.set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _postgres_admin.drop_database(name)


# --- backend-parametrised URL --------------------------------------------------


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite, id="sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres, id="postgres"),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLAlchemy URL of an empty database, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'firstline.db'}"
    url: str = request.getfixturevalue("postgres_database_url")
    return url


# --- corpus ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared sample corpus (read-only; copy before modifying)."""
    raw = os.environ.get("FIRSTLINE_CORPUS")
    path = Path(raw).expanduser() if raw else REPO_ROOT.parent / "shared" / "corpus"
    if not path.is_dir():
        source = "FIRSTLINE_CORPUS" if raw else "default location"
        pytest.fail(
            f"sample corpus not found at {path} ({source}). Check out the shared "
            "corpus next to the repo (../shared/corpus) or set FIRSTLINE_CORPUS.",
            pytrace=False,
        )
    return path.resolve()
