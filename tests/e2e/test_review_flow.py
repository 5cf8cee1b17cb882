"""The analyst's web interface in a real headless Chromium, on the demo's data.

An analyst confirms the hit of a planted scenario, the port officer at the arrival airport
records what the officers found, and the auditor sees all of it in the audit trail.
"""

from __future__ import annotations

import re

import pytest
from e2e.demo_site import DemoSite, log_in, log_out, planted_hit, port_officer
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]

# Scenarios whose traveller a watchlist hit names, most telling first.
SCENARIO_TYPES = ("watchlist_variant", "lost_stolen_document")
REASON = "Name, birth date and document checked against the listing: refer to the port."
NOTE = "Undeclared cash found in the hold baggage."


def _object(page: Page, kind: str, object_id: object) -> Locator:
    """An audit row's object cell, e.g. `hit 12` (not `hit 123`)."""
    return page.locator("td", has_text=re.compile(rf"^\s*{kind} {object_id}\s*$"))


def test_confirmed_hit_reaches_the_port_and_the_audit_trail(page: Page, site: DemoSite) -> None:
    # The analyst finds a planted traveller's hit in the queue and confirms it.
    log_in(page, site, "analyst")
    expect(page).to_have_url(re.compile(r"/hits$"))
    scenario, hit = planted_hit(page, site, *SCENARIO_TYPES)
    person = scenario["traveller"]
    name = f"{person['surname']}, {person['given_names']}"
    hit_id, port = hit["id"], hit["destination"]
    row = page.locator(f"tr[data-hit='{hit_id}']")
    expect(row).to_contain_text(name)
    expect(row).to_contain_text(f"{hit['carrier']}{hit['number']}")
    row.locator(f"a[href='/hits/{hit_id}']").click()
    expect(page).to_have_url(re.compile(rf"/hits/{hit_id}$"))
    expect(page.locator("#explanation")).not_to_be_empty()

    page.get_by_role("button", name="Start review").click()
    expect(page.locator("#history")).to_contain_text("start review")
    page.select_option("#disposition", "confirmed")
    page.fill("#reason", REASON)
    page.get_by_role("button", name="Record decision").click()
    history = page.locator("#history")
    expect(history).to_contain_text("analyst")
    expect(history).to_contain_text("confirmed")
    expect(history).to_contain_text(REASON)
    expect(page.locator("main")).to_contain_text(f"On the lookout at {port}")
    expect(page.locator("#decide")).to_have_count(0)

    # The analyst looks at the traveller too (an audited view of personal data).
    page.locator(f"a[href='/travellers/{hit['traveller_id']}']").first.click()
    expect(page.locator("h1")).to_contain_text(person["surname"])
    log_out(page)

    # The port officer at the arrival airport records what was found.
    log_in(page, site, port_officer(site, port))
    page.goto("/lookout")
    lookout = page.locator("#lookout tbody tr[data-lookout]", has_text=name)
    expect(lookout).to_have_count(1)
    lookout_id = lookout.get_attribute("data-lookout")
    lookout.locator("select[name=outcome]").select_option("seizure")
    lookout.locator("input[name=note]").fill(NOTE)
    lookout.get_by_role("button", name="Record").click()
    done = page.locator(f"#lookout tr[data-lookout='{lookout_id}']")
    expect(done).to_contain_text("seizure")
    expect(done).to_contain_text(NOTE)
    expect(done.locator("form")).to_have_count(0)
    log_out(page)

    # The auditor sees the analyst's views, the decision with its reason and the outcome.
    log_in(page, site, "auditor")
    page.goto("/audit")
    trail = page.locator("#audit tbody tr")
    the_hit = _object(page, "hit", hit_id)
    the_traveller = _object(page, "traveller", hit["traveller_id"])
    by_analyst = trail.filter(has_text="analyst")
    expect(by_analyst.filter(has_text="view hit").filter(has=the_hit)).not_to_have_count(0)
    viewed = by_analyst.filter(has_text="view traveller").filter(has=the_traveller)
    expect(viewed).not_to_have_count(0)
    decision = trail.filter(has_text="hit dispose").filter(has=the_hit)
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text("analyst")
    expect(decision).to_contain_text("disposition=confirmed")
    expect(decision).to_contain_text(REASON)
    the_lookout = _object(page, "lookout", lookout_id)
    outcome = trail.filter(has_text="record outcome").filter(has=the_lookout)
    expect(outcome).to_have_count(1)
    expect(outcome).to_contain_text("outcome=seizure")
    expect(outcome).to_contain_text(f"hit_id={hit_id}")
    log_out(page)


def test_analyst_pages_and_what_is_refused(page: Page, site: DemoSite) -> None:
    log_in(page, site, "analyst")

    # The audit trail is for auditors only.
    response = page.goto("/audit")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(0)

    # Flights board -> a flight of the planted scenarios -> a traveller with their network.
    # The trafficking scenario's adult shares a booking with five minors: a network to draw.
    scenario = site.scenario("trafficking")
    flight, person = scenario["flight"], scenario["traveller"]
    name = f"{person['surname']}, {person['given_names']}"
    page.get_by_role("link", name="Flights", exact=True).click()
    expect(page).to_have_url(re.compile(r"/flights"))
    code = f"{flight['carrier']}{flight['number']}"
    page.get_by_role("link", name=code, exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/flights/\d+$"))
    expect(page.locator("h1")).to_contain_text(code)
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/travellers/\d+$"))
    expect(page.locator("h1")).to_contain_text(person["surname"])
    network = page.locator("svg[aria-label='Link network']")
    expect(network).to_be_visible()
    box = network.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    expect(network.locator("g.traveller")).not_to_have_count(0)
    expect(network.locator("g.traveller.centre")).to_have_count(1)
    log_out(page)
