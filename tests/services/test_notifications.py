"""E-mail to the duty team, through a real SMTP server on 127.0.0.1, on SQLite and PostgreSQL.

Invented names and numbers only.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from factory import Person, paxlst
from sqlalchemy import select
from typer.testing import CliRunner

from firstline.cli import app
from firstline.services import watchlists as list_service
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.services.notifications import notify_if_enabled, notify_new_hits
from firstline.services.screening import Screener
from firstline.settings import Settings, get_settings
from firstline.store import Store, open_store
from firstline.store.repos import hits as hit_repo
from firstline.store.tables import hits, notifications

DUTY_TEAM = ["duty@customs.test", "second@customs.test"]
HIGH_LIST = (
    "id,surname,given_names,date_of_birth,nationality,document_number\n"
    "WL-1,QUORVAN,TESSALY,1971-04-02,FRA,\n"
    "WL-2,VANTRELL,MIRABEL,1980-11-30,ITA,ZX7000003\n"
)
MEDIUM_LIST = "id,surname,given_names,date_of_birth\nMD-1,PELLINGRAY,ODO,1988-08-08\n"
QUORVAN = Person("QUORVAN", given="TESSALY", dob="710402", document="ZX7000001", reference="P1")
VANTRELL = Person("VANTRELL", given="MIRABEL", dob="801130", document="ZX7000003", reference="P3")
PELLINGRAY = Person("PELLINGRAY", given="ODO", dob="880808", document="ZX7000002", reference="P2")
BYSTANDER = Person("OSTERWICK", given="LUMEN", dob="900303", document="ZX7000009", reference="P4")
# What must never leave the system by e-mail.
PERSONAL = ("QUORVAN", "TESSALY", "VANTRELL", "MIRABEL", "ZX7000001", "ZX7000003", "710402")


class Sink:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage, bytes]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed, raw))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(port: int) -> tuple[Controller, Sink]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def sink(port: int) -> Iterator[Sink]:
    controller, handler = _start(port)
    yield handler
    controller.stop()


@pytest.fixture
def settings(port: int) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        duty_team=", ".join(DUTY_TEAM),
        mail_from="firstline@customs.test",
        base_url="https://firstline.customs.test/",
    )


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def _tomorrow_paxlst(*people: Person, flight: str = "ZZ123") -> bytes:
    leaving = datetime.now(UTC) + timedelta(days=1)
    return paxlst(
        list(people),
        flight=flight,
        departure=leaving.strftime("%y%m%d1030"),
        arrival=leaving.strftime("%y%m%d1405"),
        reference=f"R{flight}",
    )


def _import(store: Store, tmp_path: Path, name: str, text: str, severity: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    list_service.import_list(store, name, [path], "csv", category="wanted", severity=severity)


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    """Two high hits, one medium hit and one high shadow hit on a flight landing tomorrow."""
    _import(store, tmp_path, "national", HIGH_LIST, "high")
    _import(store, tmp_path, "regional", MEDIUM_LIST, "medium")
    raw = _tomorrow_paxlst(QUORVAN, VANTRELL, PELLINGRAY, BYSTANDER)
    assert ingest_delivery(store, make_delivery(raw, "test")).status == "loaded"
    Screener(store).screen_pending()
    _shadow_hit(store)
    return store


def _shadow_hit(store: Store) -> None:
    """What a shadow rule would have hit: recorded, never sent."""
    with store.begin() as conn:
        row = conn.execute(select(hits.c.traveller_id, hits.c.flight_id).limit(1)).one()
        shadow = hit_repo.NewHit(
            traveller_id=row.traveller_id,
            flight_id=row.flight_id,
            source="rule",
            source_key="rule:trial",
            title="Rule: trial",
            category="smuggling",
            severity="high",
            score=0.9,
            explanation={},
            status="shadow",
        )
        hit_repo.record_hits(
            conn, [row.traveller_id], [shadow], source="rule", now=datetime.now(UTC)
        )


def _hits(store: Store) -> dict[str, list[int]]:
    """Hit ids by kind: high, medium, shadow."""
    with store.connect() as conn:
        rows = conn.execute(select(hits.c.id, hits.c.severity, hits.c.status)).all()
    kinds: dict[str, list[int]] = {"high": [], "medium": [], "shadow": []}
    for row in rows:
        kinds["shadow" if row.status == "shadow" else row.severity].append(row.id)
    return {kind: sorted(ids) for kind, ids in kinds.items()}


def _notifications(store: Store) -> dict[int, dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(select(notifications)).mappings()
        return {int(row["hit_id"]): dict(row) for row in rows}


def test_one_email_for_the_new_high_hits_and_nothing_personal(
    loaded: Store, settings: Settings, sink: Sink
) -> None:
    kinds = _hits(loaded)
    assert len(kinds["high"]) == 2 and kinds["medium"] and kinds["shadow"]

    summary = notify_new_hits(loaded, settings)

    assert (summary.hits, summary.sent, summary.failed, summary.error) == (2, 2, 0, None)
    assert sorted(summary.hit_ids) == kinds["high"]
    ((recipients, message, raw),) = sink.received
    assert recipients == DUTY_TEAM
    assert message["To"] == ", ".join(DUTY_TEAM)
    assert message["From"] == "firstline@customs.test"
    assert message["Subject"] == (
        "firstline: 2 high-severity hits to review, first arrival 14:05 BBB"
    )
    body = message.get_content().replace("\r\n", "\n")
    for hit_id in kinds["high"]:
        assert f"https://firstline.customs.test/hits/{hit_id}\n" in body
    for hit_id in kinds["medium"] + kinds["shadow"]:
        assert f"/hits/{hit_id}\n" not in body
    assert "Flight ZZ123 AAA-BBB" in body and "from watchlist" in body
    # Decoded too: quoted-printable could split a name across a soft line break.
    headers = " ".join(str(value) for value in message.values())
    for text in (raw.decode("utf-8"), body, headers):
        assert not [word for word in PERSONAL if word in text.upper()]
    recorded = _notifications(loaded)
    assert sorted(recorded) == kinds["high"]
    for row in recorded.values():
        assert (row["channel"], row["status"], row["error"]) == ("email", "sent", None)
        assert row["recipients"] == DUTY_TEAM


def test_a_second_run_sends_nothing(loaded: Store, settings: Settings, sink: Sink) -> None:
    assert notify_new_hits(loaded, settings).sent == 2
    again = notify_new_hits(loaded, settings)
    assert (again.hits, again.sent, again.failed) == (0, 0, 0)
    assert len(sink.received) == 1


def test_medium_hits_only_when_asked_for(loaded: Store, port: int, sink: Sink) -> None:
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, duty_team=DUTY_TEAM[0],
                        notify_severities="medium")  # fmt: skip
    summary = notify_new_hits(loaded, settings)
    assert summary.hit_ids == _hits(loaded)["medium"]
    assert sink.received[0][1]["Subject"].startswith("firstline: 1 medium-severity hit to")


def test_a_server_that_is_down_is_recorded_and_retried(
    loaded: Store, settings: Settings, port: int
) -> None:
    failed = notify_new_hits(loaded, settings)  # nothing listens on the port yet

    assert (failed.hits, failed.sent, failed.failed) == (2, 0, 2)
    assert failed.error is not None
    assert failed.error.startswith(f"cannot reach SMTP server 127.0.0.1:{port}")
    recorded = _notifications(loaded)
    assert {row["status"] for row in recorded.values()} == {"failed"}
    assert {row["error"] for row in recorded.values()} == {failed.error}

    controller, sink = _start(port)
    try:
        retried = notify_new_hits(loaded, settings)
    finally:
        controller.stop()
    assert (retried.sent, retried.failed, retried.retried, retried.error) == (2, 0, 2, None)
    assert len(sink.received) == 1
    assert {row["status"] for row in _notifications(loaded).values()} == {"sent"}
    assert notify_new_hits(loaded, settings).hits == 0


def test_nothing_happens_without_an_smtp_host(loaded: Store) -> None:
    assert notify_if_enabled(loaded, Settings(smtp_host="")) is None
    assert _notifications(loaded) == {}


def test_an_smtp_host_needs_a_duty_team() -> None:
    with pytest.raises(ValueError, match="FIRSTLINE_DUTY_TEAM must be set"):
        Settings(smtp_host="127.0.0.1", duty_team="")


# -- the command line: `firstline notify`, and the calls after ingest and list import ---------


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, port: int) -> dict[str, str]:
    return {
        "FIRSTLINE_DATABASE_URL": database_url,
        "FIRSTLINE_DATA_DIR": str(tmp_path / "data"),
        "FIRSTLINE_SMTP_HOST": "127.0.0.1",
        "FIRSTLINE_SMTP_PORT": str(port),
        "FIRSTLINE_DUTY_TEAM": ",".join(DUTY_TEAM),
        "FIRSTLINE_BASE_URL": "http://firstline.test",
    }


def _runner(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> CliRunner:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return CliRunner()


def _invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_notifies_after_import_and_ingest(
    cli_env: dict[str, str], sink: Sink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = _runner(monkeypatch, cli_env)
    try:
        first = tmp_path / "first.edi"
        first.write_bytes(_tomorrow_paxlst(QUORVAN, BYSTANDER))
        assert "no new hits to send" in _invoke(runner, "ingest", str(first))

        listed = tmp_path / "national.csv"
        listed.write_text(HIGH_LIST, encoding="utf-8")
        out = _invoke(runner, "watchlist", "import", str(listed), "--list", "national",
                      "--format", "csv", "--severity", "high")  # fmt: skip
        assert "notifications: 1 hit e-mailed to 2 duty team addresses" in out
        assert len(sink.received) == 1

        second = tmp_path / "second.edi"
        second.write_bytes(_tomorrow_paxlst(VANTRELL, flight="ZZ456"))
        assert "1 hit e-mailed" in _invoke(runner, "ingest", str(second))
        assert len(sink.received) == 2
        assert "Flight ZZ456" in sink.received[1][1].get_content()

        assert "no new hits to send" in _invoke(runner, "notify")
        assert len(sink.received) == 2
    finally:
        get_settings.cache_clear()


def test_cli_notify_says_when_smtp_is_not_configured(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = _runner(monkeypatch, cli_env | {"FIRSTLINE_SMTP_HOST": ""})
    try:
        result = runner.invoke(app, ["notify"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "e-mail notifications are not configured" in result.stdout
    assert "FIRSTLINE_SMTP_HOST" in result.stdout


def test_cli_notify_reports_a_failed_send(
    cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = _runner(monkeypatch, cli_env)  # nothing listens on the port
    try:
        listed = tmp_path / "national.csv"
        listed.write_text(HIGH_LIST, encoding="utf-8")
        _invoke(runner, "watchlist", "import", str(listed), "--list", "national",
                "--format", "csv", "--severity", "high", "--no-rescreen")  # fmt: skip
        flight = tmp_path / "flight.edi"
        flight.write_bytes(_tomorrow_paxlst(QUORVAN))
        assert "1 hit not sent" in _invoke(runner, "ingest", str(flight))  # ingest succeeds
        result = runner.invoke(app, ["notify", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1, result.output  # a scheduler sees the duty team was not told
    assert '"failed": 1' in result.stdout and "cannot reach SMTP server" in result.stdout
