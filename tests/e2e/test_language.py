"""The interface in French in a real headless Chromium: an analyst switches to Français,
reads the hit queue in French, and switches back to English."""

from __future__ import annotations

import re

import pytest
from e2e.demo_site import DemoSite, log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]


def test_analyst_switches_to_french_and_back(page: Page, site: DemoSite) -> None:
    log_in(page, site, "analyst")
    expect(page).to_have_url(re.compile(r"/hits$"))
    expect(page.locator("h1")).to_have_text("Hit queue")

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/hits$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("File des alertes")
    expect(page.locator("table.queue thead")).to_contain_text("Gravité")
    expect(page.get_by_role("link", name="Vols", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Hit queue")
    log_out(page)
