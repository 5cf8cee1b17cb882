"""The watchlist manager over HTTP: lists, entries, manual entries, imports with progress,
versions and their difference; who may see and who may change; CSRF; the audit trail.

Each test makes its own lists (unique names) with invented people, so the shared world's
lists and hits are left as the other web tests expect them.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from webkit import Officer, World

from firstline.store.tables import audit_events
from firstline.web.imports import ImportJob, jobs_of

CSV_HEADER = "id,surname,given_names,date_of_birth,nationality,document_number,valid_to\n"
GOOD_ROWS = [
    "wl-1,ZORVANDEL,MIRETH,1970-05-04,DEU,ZV1234567,\n",
    "wl-2,KASSALUNE,ODRIC,1982-11-30,ITA,KS7654321,2001-01-01\n",
]
BAD_ROW = "wl-3,FENWICKARO,TULSA,31/02/19xx,ESP,FT0000001,\n"  # line 4: a date nobody can read
_numbers = itertools.count(1)


def _name(prefix: str) -> str:
    return f"{prefix}-{next(_numbers)}-{time.monotonic_ns() % 100_000}"


def _new_list(officer: Officer, prefix: str = "test-list", severity: str = "high") -> int:
    answer = officer.send(
        "POST",
        "/api/v1/watchlists",
        {"name": _name(prefix), "category": "wanted", "severity": severity},
    )
    assert answer.status_code == 201, answer.text
    list_id: int = answer.json()["id"]
    return list_id


def _upload(
    officer: Officer, url: str, list_id: int, text: str, *, fmt: str = "csv", token: bool = True
) -> Any:
    data = {"list_id": str(list_id), "format": fmt}
    if token:
        data["csrf_token"] = officer.csrf
    files = {"files": ("people.csv", text.encode("utf-8"), "text/csv")}
    return officer.client.post(url, data=data, files=files)


def _wait(officer: Officer, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, Any] = officer.get(f"/api/v1/watchlists/imports/{job_id}").json()
        if not job["running"]:
            return job
        time.sleep(0.1)
    raise AssertionError(f"import {job_id} did not finish")


def _import_page(officer: Officer, list_id: int, text: str) -> tuple[str, dict[str, Any]]:
    """Import through the upload form; the job's id and its finished state."""
    started = _upload(officer, "/watchlists/import", list_id, text)
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    assert location.startswith("/watchlists/imports/")
    job_id = location.rsplit("/", 1)[1]
    return job_id, _wait(officer, job_id)


def _events(world: World, action: str) -> list[Any]:
    with world.store.connect() as conn:
        return list(conn.execute(select(audit_events).where(audit_events.c.action == action)))


# -- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/watchlists", "/api/v1/watchlists", "/watchlists/{id}", "/watchlists/{id}/versions"]
)
def test_analysts_and_supervisors_see_the_lists_others_do_not(
    officers: dict[str, Officer], path: str
) -> None:
    list_id = _new_list(officers["supervisor"])
    url = path.format(id=list_id)
    for username in ("analyst", "supervisor"):
        assert officers[username].get(url).status_code == 200, username
    for username in ("administrator", "auditor", "port_officer"):
        assert officers[username].get(url).status_code == 403, username


def test_the_nav_shows_watchlists_to_those_who_may_see_them(officers: dict[str, Officer]) -> None:
    assert 'href="/watchlists"' in officers["analyst"].get("/hits").text
    assert 'href="/watchlists"' not in officers["auditor"].get("/audit").text


def test_not_logged_in_goes_to_login_or_gets_401(world: World) -> None:
    client = world.client()
    page = client.get("/watchlists")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=")
    api = client.get("/api/v1/watchlists")
    assert api.status_code == 401
    assert api.json()["error"] == "not_authenticated" or api.json()["error"]


def test_an_analyst_cannot_change_a_list(officers: dict[str, Officer]) -> None:
    list_id = _new_list(officers["supervisor"])
    analyst = officers["analyst"]
    refused = [
        analyst.form("/watchlists", {"name": "x", "category": "wanted", "severity": "low"}),
        analyst.form(f"/watchlists/{list_id}/active", {"active": "false"}),
        analyst.form(f"/watchlists/{list_id}/entries", {"surname": "NOBODY"}),
        analyst.get("/watchlists/import"),
        _upload(analyst, "/watchlists/import", list_id, CSV_HEADER + GOOD_ROWS[0]),
        analyst.send("POST", "/api/v1/watchlists", {"name": "x", "category": "x", "severity": "x"}),
        analyst.send("PUT", f"/api/v1/watchlists/{list_id}/active", {"active": False}),
        analyst.send("POST", f"/api/v1/watchlists/{list_id}/entries", {"surname": "NOBODY"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert "Add a manual entry" not in analyst.get(f"/watchlists/{list_id}").text


def test_a_form_without_the_csrf_token_is_refused(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    list_id = _new_list(supervisor)
    no_token = supervisor.form(f"/watchlists/{list_id}/active", {"active": "false"}, token=False)
    assert no_token.status_code == 403
    upload = _upload(supervisor, "/watchlists/import", list_id, CSV_HEADER, token=False)
    assert upload.status_code == 403
    json_no_token = supervisor.send(
        "PUT", f"/api/v1/watchlists/{list_id}/active", {"active": False}, token=False
    )
    assert json_no_token.status_code == 403
    assert supervisor.get("/api/v1/watchlists").json()[0]["active"] in (True, False)
    assert next(r for r in supervisor.get("/api/v1/watchlists").json() if r["id"] == list_id)[
        "active"
    ]


# -- lists ---------------------------------------------------------------------------------------


def test_a_supervisor_creates_and_switches_a_list(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    name = _name("border-wanted")
    made = supervisor.form(
        "/watchlists",
        {"name": name, "category": "wanted", "severity": "high", "description": "test list"},
    )
    assert made.status_code == 303
    list_id = int(made.headers["location"].rsplit("/", 1)[1])
    page = supervisor.get("/watchlists").text
    assert name in page and "test list" in page
    twice = supervisor.form("/watchlists", {"name": name, "category": "wanted", "severity": "high"})
    assert twice.status_code == 422
    assert "already exists" in twice.text

    off = supervisor.form(f"/watchlists/{list_id}/active", {"active": "false"})
    assert off.status_code == 303
    listed = next(r for r in supervisor.get("/api/v1/watchlists").json() if r["id"] == list_id)
    assert listed["active"] is False
    on = supervisor.send("PUT", f"/api/v1/watchlists/{list_id}/active", {"active": True})
    assert on.status_code == 200 and on.json()["active"] is True
    actions = {
        e.action for e in _events(world, "watchlist_deactivate") if e.object_id == str(list_id)
    }
    assert actions == {"watchlist_deactivate"}
    assert any(e.object_id == str(list_id) for e in _events(world, "watchlist_create"))


def test_the_lists_show_versions_entries_and_last_import(officers: dict[str, Officer]) -> None:
    rows = officers["analyst"].get("/api/v1/watchlists").json()
    high = next(r for r in rows if r["name"] == "national-high")
    assert high["entries"] == 4 and high["version"] >= 1 and high["imported_at"]
    assert "national-high" in officers["analyst"].get("/watchlists").text


# -- manual entries, entries, search -------------------------------------------------------------


def test_a_manual_entry_is_a_version_and_can_be_found(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor, analyst = officers["supervisor"], officers["analyst"]
    list_id = _new_list(supervisor)
    added = supervisor.form(
        f"/watchlists/{list_id}/entries",
        {
            "surname": "QUILLANDER", "given_names": "BEATRIX", "date_of_birth": "1966-03",
            "nationality": "Portugal", "document": "QB 445566", "valid_from": "2020-01-01",
            "valid_to": "", "note": "invented for a test",
        },
    )  # fmt: skip
    assert added.status_code == 303, added.text
    assert "version+1" in added.headers["location"] or "version%201" in added.headers["location"]
    versions = analyst.get(f"/api/v1/watchlists/{list_id}/versions").json()
    assert [(v["number"], v["origin"], v["added"]) for v in versions] == [(1, "manual", 1)]

    found = analyst.get(f"/api/v1/watchlists/{list_id}/entries?q=quillander").json()
    assert found["total"] == 1
    entry = found["entries"][0]
    assert entry["birth_dates"] == ["1966-03"] and entry["nationalities"] == ["PRT"]
    assert entry["validity"] == "valid"
    by_document = analyst.get(f"/api/v1/watchlists/{list_id}/entries?q=qb445566").json()
    assert by_document["total"] == 1
    assert analyst.get(f"/api/v1/watchlists/{list_id}/entries?q=nobody").json()["total"] == 0
    searches = [e for e in _events(world, "watchlist_search") if e.object_id == str(list_id)]
    assert {e.detail["terms"] for e in searches} >= {"quillander", "qb445566"}

    page = analyst.get(f"/watchlists/{list_id}?q=QUILLANDER").text
    assert "BEATRIX QUILLANDER" in page and "valid now" in page
    detail = analyst.get(f"/watchlists/{list_id}/entries/{entry['id']}")
    assert detail.status_code == 200
    for text in ("BEATRIX QUILLANDER", "primary", "1966-03", "PRT", "QB 445566", "Jan 2020",
                 "invented for a test", "manual"):  # fmt: skip
        assert text in detail.text, text
    assert any(e.object_id == str(entry["id"]) for e in _events(world, "view"))


def test_a_manual_entry_through_the_api_and_its_mistakes(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    list_id = _new_list(supervisor)
    made = supervisor.send(
        "POST",
        f"/api/v1/watchlists/{list_id}/entries",
        {"entry_id": "case-77", "surname": "OMBRELLINO", "valid_to": "2000-12-31"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["entry_id"] == "case-77" and made.json()["version"] == 1
    entry = supervisor.get(f"/api/v1/watchlists/{list_id}/entries").json()["entries"][0]
    assert entry["validity"] == "expired"
    detail = supervisor.get(f"/api/v1/watchlists/{list_id}/entries/{entry['id']}").json()
    assert [(c["number"], c["change"]) for c in detail["changes"]] == [(1, "added")]
    for body, words in [
        ({"surname": "X", "date_of_birth": "soon"}, "date of birth"),
        ({"surname": "X", "nationality": "Atlantis"}, "nationality"),
        ({"note": "nobody"}, "surname"),
        ({"surname": "X", "valid_from": "2030-01-01", "valid_to": "2029-01-01"}, "before"),
    ]:
        wrong = supervisor.send("POST", f"/api/v1/watchlists/{list_id}/entries", body)
        assert wrong.status_code == 422 and words in wrong.json()["message"], body


# -- imports -------------------------------------------------------------------------------------


def test_an_import_shows_progress_then_the_rejected_row_and_its_reason(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    list_id = _new_list(supervisor)
    form = supervisor.get(f"/watchlists/import?list_id={list_id}")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    job_id, job = _import_page(supervisor, list_id, CSV_HEADER + "".join(GOOD_ROWS) + BAD_ROW)
    assert job["phase"] == "done", job
    report = job["report"]
    assert (report["entries"], report["added"], report["rejected"]) == (3, 3, 1)
    (rejection,) = report["rejections"]
    assert rejection["location"] == "people.csv line 4, column date_of_birth"
    assert "date_of_birth not understood" in rejection["reason"]
    assert job["rescreen"] is not None

    page = supervisor.get(f"/watchlists/imports/{job_id}")
    assert page.status_code == 200
    for text in ("people.csv line 4, column date_of_birth", "date_of_birth not understood",
                 "31/02/19xx", "version 1"):  # fmt: skip
        assert text in page.text, text
    assert 'hx-trigger="every 1s"' not in page.text  # finished: the page stops polling
    fragment = supervisor.get(f"/watchlists/imports/{job_id}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="import-status"')

    entries = supervisor.get(f"/watchlists/{list_id}").text
    assert "MIRETH ZORVANDEL" in entries and "expired" in entries
    versions = supervisor.get(f"/watchlists/{list_id}/versions?rejected=1").text
    assert "people.csv line 4, column date_of_birth" in versions
    assert any(e.object_id == str(list_id) for e in _events(world, "watchlist_import"))
    # Another supervisor does not see this import's page.
    assert officers["supervisor2"].get(f"/watchlists/imports/{job_id}").status_code == 404


def test_a_running_import_is_polled_every_second(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    jobs = jobs_of(world.app)
    running = ImportJob(
        id="running-test-job", user_id=world.users["supervisor"], username="supervisor",
        list_id=1, list_name="national-high", format="csv", files=["a.csv"],
        started_at=datetime.now(UTC), phase="reading", records=1500,
    )  # fmt: skip
    jobs._jobs[running.id] = running
    try:
        page = supervisor.get(f"/watchlists/imports/{running.id}").text
        assert 'hx-trigger="every 1s"' in page and "1500" in page and "reading" in page
        status = supervisor.get(f"/api/v1/watchlists/imports/{running.id}").json()
        assert status["running"] is True and status["records"] == 1500
    finally:
        del jobs._jobs[running.id]


def test_the_import_api_and_a_wrong_file(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    list_id = _new_list(supervisor)
    started = _upload(
        supervisor, f"/api/v1/watchlists/{list_id}/imports", list_id, CSV_HEADER + GOOD_ROWS[0]
    )
    assert started.status_code == 202, started.text
    job = _wait(supervisor, started.json()["id"])
    assert job["phase"] == "done" and job["report"]["added"] == 1
    wrong = _upload(
        supervisor, f"/api/v1/watchlists/{list_id}/imports", list_id, "colour,size\nred,9\n"
    )
    failed = _wait(supervisor, wrong.json()["id"])
    assert failed["phase"] == "failed" and failed["error"]
    unknown = _upload(supervisor, f"/api/v1/watchlists/{list_id}/imports", list_id, "x", fmt="pdf")
    assert unknown.status_code == 422
    assert len(supervisor.get(f"/api/v1/watchlists/{list_id}/versions").json()) == 1


# -- versions and their difference ----------------------------------------------------------------


def test_the_difference_between_two_versions(officers: dict[str, Officer]) -> None:
    supervisor, analyst = officers["supervisor"], officers["analyst"]
    list_id = _new_list(supervisor)
    _import_page(supervisor, list_id, CSV_HEADER + "".join(GOOD_ROWS))
    second = (
        CSV_HEADER
        + "wl-1,ZORVANDEL,MIRETH,1971-05-04,DEU,ZV1234567,\n"  # date of birth corrected
        + "wl-4,PELLANDRAXI,URSO,1990,FRA,PU2223334,\n"  # new; wl-2 gone
    )
    _, job = _import_page(supervisor, list_id, second)
    assert (job["report"]["added"], job["report"]["changed"], job["report"]["removed"]) == (1, 1, 1)

    diff = analyst.get(f"/api/v1/watchlists/{list_id}/diff?from=1&to=2").json()
    assert [d["source_id"] for d in diff["added"]] == ["wl-4"]
    assert [d["source_id"] for d in diff["removed"]] == ["wl-2"]
    (changed,) = diff["changed"]
    assert changed["source_id"] == "wl-1"
    assert [(f["field"], f["before"], f["after"]) for f in changed["fields"]] == [
        ("birth_dates", "1970-05-04", "1971-05-04")
    ]
    whole = analyst.get(f"/api/v1/watchlists/{list_id}/diff?from=0&to=2").json()
    assert sorted(d["source_id"] for d in whole["added"]) == ["wl-1", "wl-4"]
    assert whole["removed"] == [] and whole["changed"] == []

    page = analyst.get(f"/watchlists/{list_id}/versions?from=1&to=2")
    assert page.status_code == 200
    for text in ("PELLANDRAXI", "KASSALUNE", "birth dates", "1970-05-04", "1971-05-04",
                 "people.csv"):  # fmt: skip
        assert text in page.text, text
    versions = analyst.get(f"/api/v1/watchlists/{list_id}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["files"][0]["name"] == "people.csv"
    entry_id = diff["changed"][0]["entry_id"]
    detail = analyst.get(f"/api/v1/watchlists/{list_id}/entries/{entry_id}").json()
    assert [(c["number"], c["change"]) for c in detail["changes"]] == [(1, "added"), (2, "changed")]


def test_unknown_lists_and_entries_are_404(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    for url in ("/watchlists/999999", "/api/v1/watchlists/999999/entries",
                "/api/v1/watchlists/999999/versions", "/api/v1/watchlists/1/entries/999999",
                "/api/v1/watchlists/999999/diff?from=0&to=1"):  # fmt: skip
        assert analyst.get(url).status_code == 404, url
