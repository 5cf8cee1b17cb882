"""The port lookout: officers at the arrival port record what they found, once, for their own
port only; the outcomes feed the detectors' statistics."""

from __future__ import annotations

from typing import Any

from webkit import OTHER_PORT, PASSWORD, PORT, Officer, World

from firstline.services import access


def _confirmed(world: World, officers: dict[str, Officer], destination: str = PORT) -> list[Any]:
    """Lookout rows of a new flight's two confirmed hits."""
    flight = world.flight(medium=2, destination=destination)
    supervisor = officers["supervisor"]
    body = {
        "hit_ids": flight.medium,
        "action": "dispose",
        "disposition": "confirmed",
        "reason": "Search the luggage",
    }
    assert supervisor.send("POST", "/api/v1/hits/decisions", body).status_code == 200
    rows = [r for r in supervisor.get("/api/v1/lookout").json() if r["hit_id"] in flight.medium]
    assert len(rows) == 2 and {r["port"] for r in rows} == {destination}
    assert all(r["outcome"] is None and r["instruction"] == "Search the luggage" for r in rows)
    return rows


def test_a_port_officer_records_an_outcome_once(world: World, officers: dict[str, Officer]) -> None:
    by_form, by_api = _confirmed(world, officers)
    officer = officers["port_officer"]
    page = officer.get("/lookout?pending=true").text
    assert f"/lookout/{by_form['id']}/outcome" in page and by_form["surname"] in page

    done = officer.form(
        f"/lookout/{by_form['id']}/outcome", {"outcome": "seizure", "note": "2 kg in the lining"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/lookout"
    again = officer.form(f"/lookout/{by_form['id']}/outcome", {"outcome": "nothing_found"})
    assert again.status_code == 409 and "already recorded" in again.text

    url = f"/api/v1/lookout/{by_api['id']}/outcome"
    assert officer.send("POST", url, {"outcome": "arrest"}).json() == {"status": "recorded"}
    twice = officer.send("POST", url, {"outcome": "arrest"})
    assert twice.status_code == 409 and twice.json()["error"] == "workflow_error"

    rows = {r["id"]: r for r in officer.get("/api/v1/lookout").json()}
    assert rows[by_form["id"]]["outcome"] == "seizure"
    assert rows[by_form["id"]]["outcome_note"] == "2 kg in the lining"
    assert rows[by_form["id"]]["outcome_by"] == world.users["port_officer"]
    assert rows[by_api["id"]]["outcome"] == "arrest"
    pending = {r["id"] for r in officer.get("/api/v1/lookout?pending=true").json()}
    assert not pending & {by_form["id"], by_api["id"]}
    hit = officers["analyst"].get(f"/api/v1/hits/{by_form['hit_id']}").json()
    assert hit["lookout"]["outcome"] == "seizure"


def test_an_outcome_for_another_port_is_refused(world: World, officers: dict[str, Officer]) -> None:
    (elsewhere, _) = _confirmed(world, officers, destination=OTHER_PORT)
    refused = officers["port_officer"].send(
        "POST", f"/api/v1/lookout/{elsewhere['id']}/outcome", {"outcome": "seizure"}
    )
    assert refused.status_code == 403 and OTHER_PORT in refused.json()["message"]
    form = officers["port_officer"].form(
        f"/lookout/{elsewhere['id']}/outcome", {"outcome": "seizure"}
    )
    assert form.status_code == 403
    ok = officers["port_ccc"].send(
        "POST", f"/api/v1/lookout/{elsewhere['id']}/outcome", {"outcome": "refused_entry"}
    )
    assert ok.status_code == 200
    missing = officers["port_officer"].send(
        "POST", "/api/v1/lookout/987654/outcome", {"outcome": "seizure"}
    )
    assert missing.status_code == 404


def test_outcome_statistics(world: World, officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    before: dict[str, dict[str, int]] = supervisor.get("/api/v1/statistics/outcomes").json()
    first, second = _confirmed(world, officers)
    officer = officers["port_officer"]
    for row, outcome in ((first, "seizure"), (second, "nothing_found")):
        answer = officer.send("POST", f"/api/v1/lookout/{row['id']}/outcome", {"outcome": outcome})
        assert answer.status_code == 200
    after: dict[str, dict[str, int]] = supervisor.get("/api/v1/statistics/outcomes").json()
    changed = {
        (source, outcome): n - before.get(source, {}).get(outcome, 0)
        for source, counts in after.items()
        for outcome, n in counts.items()
        if n != before.get(source, {}).get(outcome, 0)
    }
    assert sorted(changed.values()) == [1, 1]
    assert {outcome for _, outcome in changed} == {"seizure", "nothing_found"}
    assert all(source.startswith("watchlist:") for source, _ in changed)
    assert officer.get("/api/v1/statistics/outcomes").status_code == 403


def test_a_port_officer_without_a_port_sees_and_records_nothing(
    world: World, officers: dict[str, Officer]
) -> None:
    (row, _) = _confirmed(world, officers)
    access.add_user(world.store, "portless", role="port_officer", password=PASSWORD, port=None)
    officer = world.login_without_landing("portless")
    listed = officer.get("/api/v1/lookout")
    assert listed.status_code == 403 and "no port" in listed.json()["message"]
    assert officer.get("/lookout").status_code == 403
    refused = officer.send("POST", f"/api/v1/lookout/{row['id']}/outcome", {"outcome": "seizure"})
    assert refused.status_code == 403
    assert officers["supervisor"].get("/api/v1/lookout").json()  # others are not affected
