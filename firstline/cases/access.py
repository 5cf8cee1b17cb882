"""Who may do what: the permission catalogue and the default roles.

Roles are data (tables `roles` and `role_permissions`): these defaults are what a new
installation starts with, seeded by migration 0006. Code asks for a permission, never for a
role, so a unit can reshape its roles without a release.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    VIEW_FLIGHTS = "flights:view"
    VIEW_TRAVELLERS = "travellers:view"  # personal data: every view is audited
    SEARCH = "travellers:search"
    WRITE_NOTES = "notes:write"
    VIEW_HITS = "hits:view"
    REVIEW_HITS = "hits:review"
    ASSIGN_HITS = "hits:assign"
    SECOND_REVIEW = "hits:second_review"
    EXPORT = "data:export"
    VIEW_LOOKOUT = "lookout:view"
    RECORD_OUTCOME = "lookout:outcome"
    VIEW_AUDIT = "audit:view"
    MANAGE_USERS = "users:manage"
    MANAGE_SETTINGS = "settings:manage"
    VIEW_QUARANTINE = "quarantine:view"
    # Running the unit (migration 0007)
    VIEW_RULES = "rules:view"
    MANAGE_RULES = "rules:manage"
    VIEW_WATCHLISTS = "watchlists:view"
    MANAGE_WATCHLISTS = "watchlists:manage"
    VIEW_DASHBOARD = "dashboard:view"
    VIEW_DELIVERY = "messages:view"  # which pushes arrived per carrier and flight
    REPROCESS_QUARANTINE = "quarantine:reprocess"


@dataclass(frozen=True, slots=True)
class RoleDefinition:
    name: str
    description: str
    permissions: frozenset[Permission]


_ANALYST = frozenset(
    {
        Permission.VIEW_FLIGHTS,
        Permission.VIEW_TRAVELLERS,
        Permission.SEARCH,
        Permission.WRITE_NOTES,
        Permission.VIEW_HITS,
        Permission.REVIEW_HITS,
        Permission.VIEW_LOOKOUT,
        Permission.VIEW_RULES,
        Permission.VIEW_WATCHLISTS,
        Permission.VIEW_DASHBOARD,
    }
)

DEFAULT_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(
        "analyst",
        "Targeting officer: reviews hits before the flight lands.",
        _ANALYST,
    ),
    RoleDefinition(
        "supervisor",
        "Leads the targeting team: assigns hits, second reviews, exports, review policy.",
        _ANALYST
        | {
            Permission.ASSIGN_HITS,
            Permission.SECOND_REVIEW,
            Permission.EXPORT,
            Permission.MANAGE_SETTINGS,
            Permission.MANAGE_RULES,
            Permission.MANAGE_WATCHLISTS,
            Permission.VIEW_DELIVERY,
        },
    ),
    RoleDefinition(
        "port_officer",
        "Officer at the arrival port: sees the lookout for the port and records outcomes.",
        frozenset({Permission.VIEW_FLIGHTS, Permission.VIEW_LOOKOUT, Permission.RECORD_OUTCOME}),
    ),
    RoleDefinition(
        "administrator",
        "Runs the installation: users, tokens, quarantine. Sees no personal data.",
        frozenset(
            {
                Permission.MANAGE_USERS,
                Permission.VIEW_QUARANTINE,
                Permission.VIEW_FLIGHTS,
                Permission.REPROCESS_QUARANTINE,  # migration 0007
                Permission.VIEW_DELIVERY,
                Permission.VIEW_DASHBOARD,
            }
        ),
    ),
    RoleDefinition(
        "auditor",
        "Reads the audit trail; changes nothing.",
        frozenset({Permission.VIEW_AUDIT}),
    ),
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking: a logged-in user, an API token's user, or the command line."""

    user_id: int | None
    username: str
    role: str
    permissions: frozenset[str]
    port: str | None = None
    display_name: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission.value in self.permissions


def command_line_actor(name: str) -> Actor:
    """The shell user: a local administrator acting outside the web's access control."""
    return Actor(
        user_id=None,
        username=f"cli:{name}",
        role="command_line",
        permissions=frozenset(p.value for p in Permission),
    )
