"""Rules, their versions and lookup lists: the SQL side of rule management."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, func, insert, select, update

from firstline.store.tables import (
    booking_flights,
    flights,
    hits,
    lookup_list_versions,
    lookup_lists,
    rule_versions,
    rules,
    travellers,
)


def get_rule(conn: Connection, key: str) -> RowMapping | None:
    return conn.execute(select(rules).where(rules.c.key == key)).mappings().first()


def current_definition(conn: Connection, rule_id: int, version: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(rule_versions.c.definition).where(
            rule_versions.c.rule_id == rule_id, rule_versions.c.version == version
        )
    ).first()
    return dict(row[0]) if row else None


def save_version(
    conn: Connection,
    *,
    key: str,
    definition: dict[str, Any],
    meta: dict[str, Any],
    now: datetime,
) -> int:
    """Store a new version of rule `key` (created if new); returns the version number."""
    row = get_rule(conn, key)
    if row is None:
        result = conn.execute(
            insert(rules).values(key=key, current_version=1, created_at=now, updated_at=now, **meta)
        )
        rule_id, version = int(result.inserted_primary_key[0]), 1  # type: ignore[index]
    else:
        rule_id, version = int(row["id"]), int(row["current_version"]) + 1
        conn.execute(
            update(rules)
            .where(rules.c.id == rule_id)
            .values(current_version=version, updated_at=now, **meta)
        )
    conn.execute(
        insert(rule_versions).values(
            rule_id=rule_id,
            version=version,
            definition=definition,
            status=meta["status"],
            created_at=now,
        )
    )
    return version


def current_rules(conn: Connection, statuses: Sequence[str] | None = None) -> list[RowMapping]:
    """Every rule with its current definition (optionally only some statuses)."""
    query = (
        select(rules, rule_versions.c.definition)
        .join(
            rule_versions,
            and_(
                rule_versions.c.rule_id == rules.c.id,
                rule_versions.c.version == rules.c.current_version,
            ),
        )
        .order_by(rules.c.key)
    )
    if statuses is not None:
        query = query.where(rules.c.status.in_(list(statuses)))
    return list(conn.execute(query).mappings())


def versions_of(conn: Connection, rule_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(rule_versions)
            .where(rule_versions.c.rule_id == rule_id)
            .order_by(rule_versions.c.version)
        ).mappings()
    )


def save_lookup(
    conn: Connection,
    *,
    name: str,
    values: Sequence[str],
    kind: str,
    description: str,
    now: datetime,
) -> tuple[int, bool]:
    """Store a lookup list; a new version only when its values changed. (version, changed)"""
    row = conn.execute(select(lookup_lists).where(lookup_lists.c.name == name)).mappings().first()
    values = list(values)
    if row is None:
        result = conn.execute(
            insert(lookup_lists).values(
                name=name,
                kind=kind,
                description=description,
                values=values,
                version=1,
                updated_at=now,
            )
        )
        list_id, version = int(result.inserted_primary_key[0]), 1  # type: ignore[index]
    elif list(row["values"]) == values:
        return int(row["version"]), False
    else:
        list_id, version = int(row["id"]), int(row["version"]) + 1
        conn.execute(
            update(lookup_lists)
            .where(lookup_lists.c.id == list_id)
            .values(
                values=values, kind=kind, description=description, version=version, updated_at=now
            )  # fmt: skip
        )
    conn.execute(
        insert(lookup_list_versions).values(
            list_id=list_id, version=version, values=values, created_at=now
        )
    )
    return version, True


def lookups(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(lookup_lists).order_by(lookup_lists.c.name)).mappings())


def get_lookup(conn: Connection, name: str) -> RowMapping | None:
    return conn.execute(select(lookup_lists).where(lookup_lists.c.name == name)).mappings().first()


def describe_lookup(conn: Connection, list_id: int, *, kind: str, description: str) -> None:
    """What a list holds and why: not versioned (versions are of values), nothing evaluates it."""
    conn.execute(
        update(lookup_lists)
        .where(lookup_lists.c.id == list_id)
        .values(kind=kind, description=description)
    )


def lookup_versions(conn: Connection, list_id: int) -> list[RowMapping]:
    """Every version of a list's values, oldest first."""
    return list(
        conn.execute(
            select(lookup_list_versions)
            .where(lookup_list_versions.c.list_id == list_id)
            .order_by(lookup_list_versions.c.version)
        ).mappings()
    )


def rules_state(conn: Connection) -> str:
    """Changes whenever a rule or a lookup list changes: evaluation rebuilds then.

    Versions only grow, so their sums change with every new version even when two saves share
    a timestamp or a clock steps back (the latest `updated_at` alone would miss those)."""
    rule_stamp = conn.execute(
        select(func.count(), func.max(rules.c.updated_at), func.sum(rules.c.current_version))
    ).one()
    list_stamp = conn.execute(
        select(func.count(), func.max(lookup_lists.c.updated_at), func.sum(lookup_lists.c.version))
    ).one()
    return ":".join(
        [f"r{rule_stamp[0]}", str(rule_stamp[1]), str(rule_stamp[2] or 0),
         f"l{list_stamp[0]}", str(list_stamp[1]), str(list_stamp[2] or 0)]
    )  # fmt: skip


def hit_counts(conn: Connection, since: date | None = None) -> dict[str, dict[str, int]]:
    """Per rule key: hits by status (open, confirmed, false_positive, shadow ...)."""
    query = (
        select(hits.c.source_key, hits.c.status, func.count())
        .where(hits.c.source == "rule", hits.c.current.is_(True))
        .group_by(hits.c.source_key, hits.c.status)
    )
    if since is not None:
        query = query.where(hits.c.first_seen_at >= since)
    out: dict[str, dict[str, int]] = {}
    for source_key, status, count in conn.execute(query):
        out.setdefault(source_key.removeprefix("rule:"), {})[status] = count
    return out


def version_hit_counts(conn: Connection, key: str) -> dict[int, dict[str, int]]:
    """Per version of rule `key`: its current hits by status, as `hit_counts` counts them.

    A hit's explanation names the version that found it (the latest, when a later version
    found it again). The version is read from the JSON in a subquery so that both backends
    group by one plain column."""
    fired = (
        select(hits.c.explanation["version"].as_integer().label("version"), hits.c.status)
        .where(
            hits.c.source == "rule",
            hits.c.source_key == f"rule:{key}",
            hits.c.current.is_(True),
        )
        .subquery()
    )
    query = select(fired.c.version, fired.c.status, func.count()).group_by(
        fired.c.version, fired.c.status
    )
    out: dict[int, dict[str, int]] = {}
    for version, status, count in conn.execute(query):
        if version is not None:
            out.setdefault(int(version), {})[status] = int(count)
    return out


def last_confirmed(conn: Connection) -> dict[str, datetime]:
    rows = conn.execute(
        select(hits.c.source_key, func.max(hits.c.updated_at))
        .where(hits.c.source == "rule", hits.c.status == "confirmed")
        .group_by(hits.c.source_key)
    )
    return {key.removeprefix("rule:"): when for key, when in rows}


def travellers_departing(conn: Connection, start: date | None, end: date | None) -> int:
    """Travellers of flights departing between two dates (either open): a rule's audience."""
    query = select(func.count()).select_from(
        travellers.join(flights, flights.c.id == travellers.c.flight_id)
    )
    if start is not None:
        query = query.where(flights.c.departure_date >= start)
    if end is not None:
        query = query.where(flights.c.departure_date <= end)
    return int(conn.execute(query).scalar() or 0)


def related_flights(conn: Connection, flight_ids: Sequence[int]) -> list[int]:
    """These flights and every flight sharing a booking with them.

    A push about one flight also changes bookings that continue on another (a connection):
    the other flight's travellers have new facts too.
    """
    ids = set(flight_ids)
    if not ids:
        return []
    mine = select(booking_flights.c.booking_id).where(booking_flights.c.flight_id.in_(list(ids)))
    rows = conn.execute(
        select(booking_flights.c.flight_id).where(booking_flights.c.booking_id.in_(mine)).distinct()
    )
    ids.update(int(r[0]) for r in rows)
    return sorted(ids)
