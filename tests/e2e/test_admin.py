"""Administration in a real headless Chromium, on the demo's data.

The demo quarantines deliberately broken messages (corpus files without a flight
identification, message types not ingested). The administrator opens one, reads where it
failed, re-processes it with today's parsers (it stays quarantined, for the same reason, and
the page says so) and looks at the carriers' message delivery. Then a delivery that only a
fix can read: quarantined, the fix installed and the server restarted, re-processed, loaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from adapterkit import DISTRIBUTION, ENTRY, VERSION, envelope, install_adapter
from e2e.demo_site import VIEWPORT, DemoSite, another_server, log_in
from factory import Person, paxlst
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]
REASON = "no flight identification"


def test_admin_reads_and_reprocesses_a_quarantined_message(page: Page, site: DemoSite) -> None:
    log_in(page, site, "admin")
    page.locator("header nav a[href='/admin']").click()
    expect(page.locator("h1")).to_have_text("Administration")
    page.locator("main a[href='/admin/quarantine']").first.click()
    expect(page).to_have_url(re.compile(r"/admin/quarantine$"))

    # Only the messages failing for one reason, then one of them.
    option = page.locator("select[name=reason] option", has_text=REASON).first
    page.select_option("select[name=reason]", value=option.get_attribute("value"))
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#quarantine tbody tr")
    expect(rows.first).to_contain_text(REASON)
    link = rows.first.locator("td:first-child a")
    message_id = link.inner_text().strip()
    link.click()
    expect(page).to_have_url(re.compile(rf"/admin/quarantine/{message_id}$"))
    expect(page.locator("h1")).to_contain_text("quarantined")
    expect(page.locator("#reason")).to_contain_text(REASON)
    where = page.locator("#where")
    expect(where).to_contain_text("TDT")
    expect(where).to_contain_text("expected TDT flight id or LOC+125/87, with DTM+189")
    expect(where).to_contain_text("found")
    expect(page.locator("#raw")).to_contain_text("UNH")

    # Today's parsers still cannot read it: the page says so and keeps the reason.
    page.locator("#reprocess").click()
    expect(page).to_have_url(re.compile(rf"/admin/quarantine/{message_id}\?error="))
    expect(page.locator(".flash.error")).to_contain_text(f"still quarantined: {REASON}")
    expect(page.locator("#reason")).to_contain_text(REASON)
    expect(page.locator("h1")).to_contain_text("quarantined")

    # Which pushes the carriers sent for the demo's flights.
    page.locator("a.badge[href='/admin/delivery']").click()
    expect(page.locator("h1")).to_have_text("Message delivery")
    expect(page.locator("#compliance tbody tr").first).not_to_contain_text("No flight")
    expect(page.locator("#delivery tbody tr").first).to_contain_text(re.compile(r"on time|late"))


def test_a_quarantined_envelope_loads_after_the_fix_is_installed(
    browser: Browser, page: Page, site: DemoSite, tmp_path: Path
) -> None:
    """A relay delivers a passenger list in its own JSON envelope: quarantined, whole. The
    site installs the relay's adapter package (the fix) and restarts the server; the
    administrator re-processes the message in the browser and its travellers appear."""
    delivered = tmp_path / "acme-relay-0001.json"
    people = [Person("ENVELOPPE", given="ODILE", reference="P1"), Person("COURRIER")]
    delivered.write_bytes(envelope(paxlst(people, flight="ZZ4321", reference="ACME1")))
    site.cli("ingest", str(delivered))

    # Before the fix: quarantined with the place reading failed; re-processing changes nothing.
    log_in(page, site, "admin")
    page.goto("/admin/quarantine")
    expect(page.locator("#adapters")).to_contain_text("None installed")
    row = page.locator("#quarantine tbody tr", has_text=delivered.name).first
    message_id = row.locator("td:first-child a").inner_text().strip()
    reason = page.locator(f"#quarantine a[href='/admin/quarantine/{message_id}']").nth(1)
    reason_text = reason.inner_text().strip()
    assert reason_text
    reason.click()
    page.locator("#reprocess").click()
    expect(page.locator(".flash.error")).to_contain_text("still quarantined")
    expect(page.locator("h1")).to_contain_text("quarantined")

    # The fix: the relay's adapter installed where the restarted server finds it.
    plugins = install_adapter(tmp_path / "site-packages")
    with another_server(site, PYTHONPATH=str(plugins)) as fixed_url:
        fixed = browser.new_context(viewport=VIEWPORT, base_url=fixed_url)
        try:
            again = fixed.new_page()
            log_in(again, site, "admin", at=fixed_url)
            again.goto("/admin/quarantine")
            expect(again.locator("#adapters")).to_contain_text(ENTRY)
            expect(again.locator("#adapters")).to_contain_text(f"{DISTRIBUTION} {VERSION}")
            again.goto(f"/admin/quarantine/{message_id}")
            expect(again.locator("#reason")).to_contain_text(reason_text)
            again.locator("#reprocess").click()
            expect(again.locator(".flash")).to_contain_text("re-processed: loaded")
            expect(again.locator("h1")).to_contain_text("loaded")
            expect(again.locator("main dl")).to_contain_text("2 travellers")
            flight = again.locator("main dd a[href^='/flights/']").get_attribute("href")
            again.goto("/admin/quarantine")
            expect(again.locator("#quarantine")).not_to_contain_text(delivered.name)
        finally:
            fixed.close()
    # An analyst finds the travellers on the flight's manifest.
    log_in(page, site, "analyst")
    page.goto(str(flight))
    expect(page.locator("main")).to_contain_text("2 passengers")
    expect(page.locator("main")).to_contain_text("ENVELOPPE")
    expect(page.locator("main")).to_contain_text("COURRIER")
