"""Re-processing quarantined messages, on SQLite and PostgreSQL.

How a "parser fix" is simulated honestly: the first ingest runs with a reader that has a bug
(it raises, as a parser crash would), so the delivery is quarantined as an internal error,
exactly as ingest quarantines any parser exception. The bug is then removed (the patch is
undone: today's real reader is the fixed parser) and the stored bytes are re-processed.
Nothing touches the stored bytes in between. A message that is broken for real (no flight
identification) stays quarantined, with today's precise reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adapterkit import ENTRY, envelope, install_adapter
from factory import Person, paxlst
from sqlalchemy import func, select
from typer.testing import CliRunner

from firstline.cases.access import Actor, Permission
from firstline.cli import app
from firstline.exc import NotFoundError, PermissionDeniedError
from firstline.ingest.adapters import discover
from firstline.ingest.options import ParseOptions
from firstline.services import ingest as ingest_service
from firstline.services import quarantine
from firstline.services import watchlists as list_service
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.settings import get_settings
from firstline.store import Store, open_store
from firstline.store.tables import audit_events, hits, messages, travellers

ADMIN = Actor(
    user_id=None,
    username="admin-test",
    role="administrator",
    permissions=frozenset(
        {Permission.VIEW_QUARANTINE.value, Permission.REPROCESS_QUARANTINE.value}
    ),
)
VIEWER = Actor(
    user_id=None,
    username="viewer-test",
    role="viewer",
    permissions=frozenset({Permission.VIEW_QUARANTINE.value}),
)
OPTIONS = ParseOptions()
LISTED = Person("QUARANTOVIC", given="ILSE", dob="700101", document="QX1000001", reference="P1")


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(database_url)
    listing = tmp_path / "national.csv"
    listing.write_text(
        "id,surname,given_names,date_of_birth,nationality\nn-1,QUARANTOVIC,ILSE,1970-01-01,FRA\n",
        encoding="utf-8",
    )
    list_service.import_list(opened, "national", [listing], "csv", severity="high")
    yield opened
    opened.dispose()


def _good() -> bytes:
    return paxlst([LISTED, Person("PLAINWELL", reference="P2")], flight="ZZ77", reference="Q77")


def _broken() -> bytes:
    """A passenger list that lost its flight number, carrier and departure date."""
    return _good().replace(b"TDT+20+ZZ77+++ZZ", b"TDT+20").replace(b"DTM+189:2612011030:201'", b"")


def _quarantine_with_buggy_parser(store: Store, raw: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    def crash(*args: Any, **kwargs: Any) -> Any:
        raise IndexError("list index out of range")

    with monkeypatch.context() as patch:
        patch.setattr(ingest_service, "read_message", crash)
        outcome = ingest_delivery(store, make_delivery(raw, "carrier-feed/zz77.edi"))
    assert outcome.status == "quarantined"
    return outcome.message_id


def _row(store: Store, message_id: int) -> Any:
    with store.connect() as conn:
        return conn.execute(select(messages).where(messages.c.id == message_id)).one()


def _count(store: Store, table: Any, *where: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_a_message_quarantined_by_a_parser_bug_loads_in_place_and_is_screened(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    message_id = _quarantine_with_buggy_parser(store, _good(), monkeypatch)
    before = _row(store, message_id)
    assert before.reason.startswith("internal error while parsing: IndexError")

    rows, kinds = quarantine.listing(store, ADMIN)
    assert [r["id"] for r in rows] == [message_id]
    assert kinds == [(before.reason, 1)]

    (done,) = quarantine.reprocess(
        store,
        ADMIN,
        [message_id],
        options=OPTIONS,
        after_load=quarantine.detectors(store, OPTIONS),
    )
    assert (done.status, done.reason, done.previous_reason) == ("loaded", None, before.reason)
    assert done.new_hits == 1  # the listed traveller, screened as on arrival
    after = _row(store, message_id)
    assert (after.status, after.reason, after.message_type) == ("loaded", None, "PAXLST")
    assert after.received_at == before.received_at  # the same delivery, not a new one
    assert after.flight_id is not None
    assert _count(store, travellers, travellers.c.flight_id == after.flight_id) == 2
    assert _count(store, hits, hits.c.flight_id == after.flight_id) == 1
    assert _count(store, messages) == 1
    assert quarantine.listing(store, ADMIN)[0] == []
    with store.connect() as conn:
        event = conn.execute(
            select(audit_events).where(audit_events.c.action == "reprocess_message")
        ).one()
    assert (event.actor, event.object_id, event.detail["status"]) == (
        "admin-test",
        str(message_id),
        "loaded",
    )


def test_a_broken_message_stays_quarantined_with_todays_precise_reason(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    message_id = _quarantine_with_buggy_parser(store, _broken(), monkeypatch)
    (done,) = quarantine.reprocess(store, ADMIN, [message_id], options=OPTIONS)
    assert done.status == "quarantined"
    assert done.reason is not None and done.reason.startswith("no flight identification")
    after = _row(store, message_id)
    assert after.status == "quarantined"
    assert after.reason == done.reason
    assert after.reason_detail["segment"] == "TDT"
    assert after.reason_detail["expected"] == "TDT flight id or LOC+125/87, with DTM+189"
    assert after.reason_detail["found"] == "|||AAA"
    shown = quarantine.message(store, VIEWER, message_id)
    assert shown["kind"].startswith("no flight identification")
    assert "TDT+20'" in shown["preview"] and not shown["truncated"]


def test_bulk_reprocessing_by_reason_and_duplicates(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies quarantined by the bug: the first re-processed loads, the second is then a
    duplicate of it (only a load makes later copies duplicates)."""
    first = _quarantine_with_buggy_parser(store, _good(), monkeypatch)
    second = _quarantine_with_buggy_parser(store, _good(), monkeypatch)
    broken = ingest_delivery(store, make_delivery(_broken(), "carrier-feed/broken.edi"))
    reason = quarantine.reason_kind(dict(_row(store, first)._mapping))
    done = quarantine.reprocess_reason(store, ADMIN, reason, options=OPTIONS)
    assert [(d.message_id, d.status) for d in done] == [(first, "loaded"), (second, "duplicate")]
    assert _row(store, second).duplicate_of == first
    assert [r["id"] for r in quarantine.listing(store, ADMIN)[0]] == [broken.message_id]


def test_reprocessing_needs_its_permission_and_a_quarantined_message(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    message_id = _quarantine_with_buggy_parser(store, _good(), monkeypatch)
    with pytest.raises(PermissionDeniedError):
        quarantine.reprocess(store, VIEWER, [message_id], options=OPTIONS)
    quarantine.reprocess(store, ADMIN, [message_id], options=OPTIONS)
    with pytest.raises(NotFoundError):
        quarantine.reprocess(store, ADMIN, [message_id], options=OPTIONS)  # loaded now
    with pytest.raises(NotFoundError):
        quarantine.message(store, ADMIN, 999_999)


def test_the_command_line_reprocesses_too(
    store: Store, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`firstline quarantine --reprocess ID` and `--all-reason TEXT`, audited as the shell
    user."""
    fixed = _quarantine_with_buggy_parser(store, _good(), monkeypatch)
    broken = ingest_delivery(store, make_delivery(_broken(), "carrier-feed/broken.edi"))
    monkeypatch.setenv("FIRSTLINE_DATABASE_URL", database_url)
    monkeypatch.setenv("FIRSTLINE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(app, ["quarantine", "--reprocess", str(fixed), "--json"])
        assert result.exit_code == 0, result.output
        assert [
            (r["message_id"], r["status"], r["new_hits"]) for r in json.loads(result.stdout)
        ] == [(fixed, "loaded", 1)]
        kind = quarantine.reason_kind(dict(_row(store, broken.message_id)._mapping))
        result = runner.invoke(app, ["quarantine", "--all-reason", kind])
        assert result.exit_code == 0, result.output
        assert "quarantined" in result.stdout
    finally:
        get_settings.cache_clear()
    with store.connect() as conn:
        actors = {
            e.actor
            for e in conn.execute(
                select(audit_events).where(audit_events.c.action == "reprocess_message")
            )
        }
    assert len(actors) == 1 and next(iter(actors)).startswith("cli:")


def test_an_envelope_quarantined_loads_once_the_sites_adapter_is_installed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fix here is real code: the ACME relay's adapter package, installed after the
    delivery was quarantined, found through its entry point as a restarted server would."""
    message_id = ingest_delivery(
        store, make_delivery(envelope(_good()), "acme/0001.json")
    ).message_id
    before = _row(store, message_id)
    assert before.status == "quarantined"
    assert _count(store, travellers) == 0

    monkeypatch.syspath_prepend(str(install_adapter(tmp_path / "site-packages")))
    discover.cache_clear()
    try:
        options = get_settings().parse_options()
    finally:
        discover.cache_clear()
    assert [a.name for a in options.adapters] == [ENTRY]

    (done,) = quarantine.reprocess(
        store, ADMIN, [message_id], options=options, after_load=quarantine.detectors(store, options)
    )
    assert (done.status, done.previous_reason) == ("loaded", before.reason)
    assert done.new_hits == 1
    after = _row(store, message_id)
    assert after.status == "loaded"
    assert after.sha256 == before.sha256  # stored as received: the envelope, not its content
    assert _count(store, travellers, travellers.c.flight_id == after.flight_id) == 2
