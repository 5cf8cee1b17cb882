"""The web app over a real store, once per backend (and test process).

The store, its lists and its users are built once (argon2 and migrations are not free);
tests take fresh flights and hits from `World.flight`, so they do not depend on each
other's order. Settings that every test shares (the second-review policy) are restored by
the tests that change them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from webkit import Officer, World, build_world

from firstline.services import access
from firstline.store import open_store


@pytest.fixture(scope="session")
def cheap_argon2() -> Iterator[None]:
    """Argon2 with its lightest parameters: the web tests log in dozens of times, and the
    real parameters are the subject of tests/services/test_access.py, not of these."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(access, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        yield


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite, id="sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres, id="postgres"),
    ],
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, cheap_argon2: None
) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("web")
    admin: Any = None
    name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'firstline.db'}"
    else:
        admin = request.getfixturevalue("_postgres_admin")
        name = admin.create_database()
        url = admin.url.set(database=name).render_as_string(hide_password=False)
    store = open_store(url)
    try:
        yield build_world(url, store, tmp)
    finally:
        store.dispose()
        if admin is not None:
            admin.drop_database(name)


@pytest.fixture(scope="session")
def officers(world: World) -> dict[str, Officer]:
    """One logged-in officer per account, shared by the tests (which never log them out)."""
    return {username: world.login(username) for username in world.users}
