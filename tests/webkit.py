"""A small real world for the web tests: a store with flights, travellers and watchlist hits,
one user per role, and officers logged in through the real login form.

Invented names and numbers only. Each call of `World.flight` ingests a new flight whose
listed travellers are screened into fresh hits, so a test works on hits no other test
touches.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from factory import Person, paxlst
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from firstline.graph.pivots import Pivot
from firstline.services import access
from firstline.services import watchlists as list_service
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.services.links import ListedPivot, link_hit
from firstline.services.screening import Screener
from firstline.settings import Settings
from firstline.store import Store
from firstline.store.repos import access as access_repo
from firstline.store.repos import hits as hit_repo
from firstline.store.tables import hits, travellers, watchlist_entries, watchlists
from firstline.web import create_app

PASSWORD = "correct horse battery"
PORT = "BBB"
OTHER_PORT = "CCC"
ROLES = ("analyst", "supervisor", "port_officer", "administrator", "auditor")
# Extra accounts: a second analyst and a supervisor (second reviews by another officer), a
# port officer elsewhere.
EXTRA = {"analyst2": "analyst", "supervisor2": "supervisor", "port_ccc": "port_officer"}

# (surname, given, date of birth as listed, as PAXLST writes it)
HIGH = [
    ("QUORVAN", "TESSALY", "1971-04-02", "710402"),
    ("MELLISANDRO", "KORVI", "1960-03-14", "600314"),
    ("ZANTHOPEL", "ORLA", "1983-11-21", "831121"),
    ("VORRISTAN", "PELL", "1975-07-30", "750730"),
]
MEDIUM = [
    ("BRASSOLEK", "IDRA", "1990-01-09", "900109"),
    ("TUMMERVILLE", "OSK", "1966-05-05", "660505"),
    ("QUELLIGAN", "MARO", "1979-09-17", "790917"),
    ("FENNISTRAD", "ULA", "1988-02-28", "880228"),
    ("OSTRAVIDES", "NELL", "1972-12-12", "721212"),
]
CLEAN = ("PELLINGRAY", "ODO", "880808")

META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Flight:
    id: int
    traveller_ids: list[int]
    high: list[int]  # hit ids, in the order asked for
    medium: list[int]
    clean_traveller: int  # a traveller with no hit
    surname: str  # the clean traveller's surname, unique to this flight
    document: str  # and their passport number


@dataclass
class Officer:
    """A logged-in person: a client carrying the session cookie, and the page's CSRF token."""

    username: str
    client: TestClient
    csrf: str

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        answer: httpx.Response = self.client.get(url, **kwargs)
        return answer

    def form(self, url: str, data: dict[str, Any], *, token: bool = True) -> httpx.Response:
        """POST a form as the page would, with its hidden CSRF field."""
        body = {**data, "csrf_token": self.csrf} if token else data
        answer: httpx.Response = self.client.post(url, data=body)
        return answer

    def send(self, method: str, url: str, body: Any, *, token: bool = True) -> httpx.Response:
        """A JSON request as the page's scripts send it, with the X-CSRF-Token header."""
        headers = {"X-CSRF-Token": self.csrf} if token else {}
        answer: httpx.Response = self.client.request(method, url, json=body, headers=headers)
        return answer


@dataclass
class World:
    url: str
    store: Store
    app: FastAPI
    users: dict[str, int]
    permissions: dict[str, frozenset[str]]
    screener: Screener
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    def client(self, **kwargs: Any) -> TestClient:
        return TestClient(self.app, follow_redirects=False, **kwargs)

    def login(self, username: str) -> Officer:
        """Log in through the real form: fetch it, post it with its double-submit token,
        then read the session's CSRF token from the landing page."""
        officer = self.login_without_landing(username)
        landing = officer.get("/")
        assert landing.status_code == 303
        page = officer.get(landing.headers["location"])
        assert page.status_code == 200, page.text
        meta = META_CSRF.search(page.text)
        assert meta and meta.group(1)
        return Officer(username, officer.client, meta.group(1))

    def login_without_landing(self, username: str) -> Officer:
        """Log in, and read the CSRF token from the flights board (or the refusal page,
        which carries it too) rather than from the role's landing page."""
        client = self.client()
        form = client.get("/login")
        assert form.status_code == 200
        found = LOGIN_CSRF.search(form.text)
        assert found
        done = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": found.group(1)},
        )
        assert done.status_code == 303, done.text
        page = client.get("/flights?hours=1")
        meta = META_CSRF.search(page.text)
        assert meta and meta.group(1), page.text
        return Officer(username, client, meta.group(1))

    def link_hit(
        self, flight: Flight, pivot: Pivot, *, severity: str, source_id: str, name: str
    ) -> tuple[int, str]:
        """A link hit on the flight's clean traveller: `pivot` shared with an entry (named
        `name`, publisher id `source_id`) of the first list. Returns (hit id, list name)."""
        listed = _first_listed(self.store)
        entry = ListedPivot(
            list_id=listed.list_id, list_name=listed.name, category="terrorism",
            severity=severity, entry_id=listed.id, source_id=source_id, name=name,
        )  # fmt: skip
        found = link_hit(flight.clean_traveller, flight.id, pivot, entry)
        with self.store.begin() as conn:
            hit_repo.record_hits(
                conn, [flight.clean_traveller], [found], source="link", now=datetime.now(UTC)
            )
            hit_id = conn.execute(
                select(hits.c.id).where(
                    hits.c.traveller_id == flight.clean_traveller, hits.c.source == "link"
                )
            ).scalar_one()
        return int(hit_id), str(listed.name)

    def flight(self, *, high: int = 0, medium: int = 0, destination: str = PORT) -> Flight:
        """A new flight tomorrow with `high` and `medium` listed travellers and one clean
        one, screened: its hits are new."""
        n = next(self._numbers)
        people = [
            Person(s, given=g, dob=d, document=f"HX{n:04d}{i:03d}", reference=f"H{i}")
            for i, (s, g, _, d) in enumerate(HIGH[:high])
        ]
        people += [
            Person(s, given=g, dob=d, document=f"MX{n:04d}{i:03d}", reference=f"M{i}")
            for i, (s, g, _, d) in enumerate(MEDIUM[:medium])
        ]
        surname = f"{CLEAN[0]}{_letters(n)}"
        people.append(
            Person(surname, given=CLEAN[1], dob=CLEAN[2], document=f"CX{n:06d}", reference="C1")
        )
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        outcome = ingest_delivery(
            self.store,
            make_delivery(
                paxlst(
                    people,
                    flight=f"ZZ{n}",
                    destination=destination,
                    departure=tomorrow.strftime("%y%m%d0900"),
                    arrival=tomorrow.strftime("%y%m%d1300"),
                    reference=f"R{n}",
                ),
                f"web-test-{n}",
            ),
        )
        assert outcome.status == "loaded", outcome
        (flight_id,) = outcome.flight_ids
        self.screener.screen_pending(flight_ids=outcome.flight_ids)
        with self.store.connect() as conn:
            rows = conn.execute(
                select(hits.c.id, hits.c.severity, hits.c.traveller_id)
                .where(hits.c.flight_id == flight_id)
                .order_by(hits.c.id)
            ).all()
            people_rows = conn.execute(
                select(travellers.c.id, travellers.c.surname)
                .where(travellers.c.flight_id == flight_id)
                .order_by(travellers.c.id)
            ).all()
        found = {sev: [int(r.id) for r in rows if r.severity == sev] for sev in ("high", "medium")}
        assert (len(found["high"]), len(found["medium"]), len(rows)) == (
            high,
            medium,
            high + medium,
        )
        clean = next(int(r.id) for r in people_rows if r.surname == surname)
        return Flight(
            id=int(flight_id),
            traveller_ids=[int(r.id) for r in people_rows],
            high=found["high"],
            medium=found["medium"],
            clean_traveller=clean,
            surname=surname,
            document=f"CX{n:06d}",
        )


def _first_listed(store: Store) -> Any:
    with store.connect() as conn:
        return conn.execute(
            select(watchlist_entries.c.id, watchlists.c.id.label("list_id"), watchlists.c.name)
            .join(watchlists, watchlists.c.id == watchlist_entries.c.watchlist_id)
            .order_by(watchlist_entries.c.id)
            .limit(1)
        ).one()


def _letters(n: int) -> str:
    """A number as letters (surnames are letters): 0 -> A, 27 -> BB."""
    out = ""
    while True:
        n, rest = divmod(n, 26)
        out = chr(ord("A") + rest) + out
        if not n:
            return out


def build_world(url: str, store: Store, tmp: Path) -> World:
    """Lists, users and the app over an opened, empty store."""
    header = "id,surname,given_names,date_of_birth,nationality\n"
    lists = (("national-high", "high", HIGH), ("national-medium", "medium", MEDIUM))
    for name, severity, people in lists:
        path = tmp / f"{name}.csv"
        rows = [f"{name}-{i},{s},{g},{d},FRA\n" for i, (s, g, d, _) in enumerate(people)]
        path.write_text(header + "".join(rows), encoding="utf-8")
        list_service.import_list(
            store, name, [path], "csv", category="terrorism", severity=severity
        )
    users: dict[str, int] = {}
    for username, role in {**{r: r for r in ROLES}, **EXTRA}.items():
        port = (OTHER_PORT if username == "port_ccc" else PORT) if role == "port_officer" else None
        users[username] = access.add_user(
            store, username, role=role, password=PASSWORD, display_name=username.title(), port=port
        )
    with store.connect() as conn:
        permissions = {r: p for r, (_, p) in access_repo.roles_with_permissions(conn).items()}
    app = create_app(Settings(database_url=url, environment="development"), store)
    return World(url, store, app, users, permissions, Screener(store))
