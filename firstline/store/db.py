"""Engine factory, schema bootstrap and dialect helpers.

SQLite is the embedded default (WAL, foreign keys on, one writer); PostgreSQL is the
production backend. Any command run on an empty database creates the schema itself by
running the Alembic migrations, so there is exactly one way a schema comes to exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from firstline.exc import ConfigurationError, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(slots=True)
class Store:
    """A connected store: the engine and what kind of database it talks to."""

    engine: Engine
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A unit of work: one transaction, committed on success, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read connection."""
        with self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def json_dumps(value: Any) -> str:
    """JSON for JSON columns: orjson writes dataclasses, dates and enums natively, several
    times faster than converting them to dicts first (bookings are stored whole)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def make_engine(url: str) -> Engine:
    """An engine for `url`, creating the SQLite folder if needed."""
    parsed = make_url(url)
    json_options: dict[str, Any] = {
        "json_serializer": json_dumps,
        "json_deserializer": orjson.loads,
    }
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **json_options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **json_options)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(store: Store, revision: str = "head") -> None:
    """Apply migrations up to `revision` on the store's database."""
    config = alembic_config(store.url)
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Connect to `url`; bring an empty or older schema up to date when `migrate` is set."""
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        # The URL itself may carry a password: name only what is wrong with it.
        raise ConfigurationError(
            f"FIRSTLINE_DATABASE_URL is not a usable database URL ({type(exc).__name__}): "
            "expected e.g. sqlite:///path/firstline.db or postgresql+psycopg://user@host/db"
        ) from exc
    store = Store(engine, url)
    try:
        if migrate and current_revision(store) != head_revision():
            upgrade(store)
    except OperationalError as exc:
        raise StoreError(f"cannot open the database: {exc.orig}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"database error while preparing the schema: {exc}") from exc
    return store


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows of identical shape as fast as the driver allows.

    On SQLite, SQLAlchemy's per-row parameter processing costs several times the insert
    itself, so the column types' own bind processors are applied in one tight loop and the
    rows go to the driver's executemany: the stored values are exactly what SQLAlchemy
    would have written. Other dialects take the ordinary batched path.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    # Only Date, DateTime, JSON and Boolean columns need converting for SQLite; rows are
    # read with a C-level itemgetter and just those positions are patched.
    converters = [
        (position, processor)
        for position, name in enumerate(names)
        if (processor := table.c[name].type.bind_processor(conn.dialect)) is not None
    ]
    getter = itemgetter(*names)
    params: list[Any] = []
    for row in rows:
        values = list(getter(row))
        for position, processor in converters:
            value = values[position]
            if value is not None:
                values[position] = processor(value)
        params.append(tuple(values))
    placeholders = ", ".join("?" for _ in names)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})", params
    )
