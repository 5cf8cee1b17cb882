"""Administration in a real headless Chromium, on the demo's data.

The demo quarantines deliberately broken messages (corpus files without a flight
identification, message types not ingested). The administrator opens one, reads where it
failed, re-processes it with today's parsers (it stays quarantined, for the same reason, and
the page says so) and looks at the carriers' message delivery.
"""

from __future__ import annotations

import re

import pytest
from e2e.demo_site import DemoSite, log_in
from playwright.sync_api import Page, expect

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
