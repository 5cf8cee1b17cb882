"""Data-retention periods and what is due under them.

The EU PNR Directive (art. 12) has PNR data depersonalised six months after transfer and
deleted after five years; the periods are a unit's setting (`app_settings`). firstline
reports how much is due; it runs no deletion job.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from firstline.cases.access import Actor, Permission
from firstline.exc import InvalidRequestError, PermissionDeniedError
from firstline.services import audit
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import cases as settings_repo
from firstline.store.repos import retention as repo

RETENTION_KEY = "retention_months"
DEFAULTS = {"depersonalise": 6, "delete": 60}
MAX_MONTHS = 1200


def periods(store: Store) -> dict[str, int]:
    """Months after which data is to be depersonalised, and deleted."""
    with store.connect() as conn:
        stored = settings_repo.get_setting(conn, RETENTION_KEY) or {}
    return {key: int(stored.get(key, default)) for key, default in DEFAULTS.items()}


def set_periods(
    store: Store, actor: Actor, *, depersonalise: int, delete: int, client: str | None = None
) -> dict[str, int]:
    require(actor, Permission.MANAGE_SETTINGS)
    if not 1 <= depersonalise <= delete <= MAX_MONTHS:
        raise InvalidRequestError(
            "retention periods are months: at least 1, depersonalisation no later than "
            f"deletion, at most {MAX_MONTHS}"
        )
    value = {"depersonalise": depersonalise, "delete": delete}
    with store.begin() as conn:
        settings_repo.put_setting(
            conn, RETENTION_KEY, value, now=datetime.now(UTC), by=actor.username
        )
        audit.record(
            conn, actor, "change_setting", object_type="setting", object_id=RETENTION_KEY,
            detail={"value": value}, client=client,
        )  # fmt: skip
    return value


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def status(store: Store, actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    """Per kind of data (travellers, bookings, messages): how many rows are within the
    periods, due for depersonalisation, and due for deletion. Counts only."""
    if not (actor.can(Permission.MANAGE_USERS) or actor.can(Permission.MANAGE_SETTINGS)):
        raise PermissionDeniedError(f"the {actor.role} role does not see the retention status")
    now = now or datetime.now(UTC)
    months = periods(store)
    cutoffs = [months_before(now, months["depersonalise"]), months_before(now, months["delete"])]
    with store.connect() as conn:
        counts = repo.counts_older_than(conn, cutoffs)
    rows = {
        name: {
            "total": total,
            "within": total - older_dep,
            "depersonalise": older_dep - older_del,
            "delete": older_del,
        }
        for name, (total, older_dep, older_del) in counts.items()
    }
    return {"periods": months, "cutoffs": cutoffs, "counts": rows}
