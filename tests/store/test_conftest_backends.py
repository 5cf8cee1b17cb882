"""Smoke test for the backend fixtures in tests/conftest.py."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def test_database_url_connects(database_url: str) -> None:
    url = make_url(database_url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
            if url.get_backend_name() == "postgresql":
                assert url.database is not None
                assert url.database.startswith("firstline_test_")
                current = conn.execute(text("select current_database()")).scalar_one()
                assert current == url.database
            else:
                assert url.get_backend_name() == "sqlite"
    finally:
        engine.dispose()
