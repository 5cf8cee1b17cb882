"""Roles are data seeded by migration 0006: its snapshot must match the code's defaults."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from firstline.cases.access import DEFAULT_ROLES, Actor, Permission

VERSIONS = Path(__file__).resolve().parents[2] / "firstline" / "store" / "migrations" / "versions"


def _migration(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"migration_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seeded() -> dict[str, tuple[str, frozenset[str]]]:
    """The roles a new installation gets: 0006 seeds them (`ROLES`), later revisions grant
    more (`GRANTS`), each a snapshot of DEFAULT_ROLES when it was written."""
    roles: dict[str, tuple[str, frozenset[str]]] = {}
    for path in sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")):
        module = _migration(path)
        for name, (description, permissions) in getattr(module, "ROLES", {}).items():
            roles[name] = (description, frozenset(permissions.split()))
        for name, permissions in getattr(module, "GRANTS", {}).items():
            description, granted = roles[name]
            roles[name] = (description, granted | set(permissions.split()))
    return roles


def test_the_migrations_seed_the_default_roles() -> None:
    defaults = {
        role.name: (role.description, frozenset(p.value for p in role.permissions))
        for role in DEFAULT_ROLES
    }
    assert _seeded() == defaults


def test_every_seeded_permission_is_in_the_catalogue() -> None:
    known = {p.value for p in Permission}
    for _description, permissions in _seeded().values():
        assert permissions <= known


def test_roles_keep_their_boundaries() -> None:
    roles = {r.name: r.permissions for r in DEFAULT_ROLES}
    personal = {Permission.VIEW_TRAVELLERS, Permission.SEARCH, Permission.VIEW_HITS}
    assert not roles["administrator"] & personal
    assert not roles["port_officer"] & personal
    assert roles["auditor"] == {Permission.VIEW_AUDIT}
    assert all(Permission.VIEW_AUDIT not in p for n, p in roles.items() if n != "auditor")
    assert roles["analyst"] < roles["supervisor"]


def test_an_actor_can_what_its_permissions_say() -> None:
    actor = Actor(1, "a", "analyst", frozenset({Permission.VIEW_HITS.value}))
    assert actor.can(Permission.VIEW_HITS) and not actor.can(Permission.EXPORT)
