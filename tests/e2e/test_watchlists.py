"""The watchlist manager in a real headless Chromium, on the demo's data.

A supervisor makes a list, imports a small generic CSV (docs/watchlists.md) with one row
whose date of birth cannot be read, watches the import finish, reads the rejected row and
its reason, then opens the list and finds an entry. Invented names only.
"""

from __future__ import annotations

import re
import time

import pytest
from e2e.demo_site import DemoSite, log_in
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]

LIST_CSV = (
    "id,surname,given_names,date_of_birth,nationality,document_number\n"
    "e2e-1,ZORVANDEL,MIRETH,1970-05-04,DEU,ZV1234567\n"
    "e2e-2,KASSALUNE,ODRIC,1982-11-30,ITA,KS7654321\n"
    "e2e-3,FENWICKARO,TULSA,31/02/19xx,ESP,FT0000001\n"
)


def test_a_supervisor_imports_a_list_and_finds_an_entry(page: Page, site: DemoSite) -> None:
    log_in(page, site, "supervisor")
    page.get_by_role("link", name="Watchlists").click()
    expect(page).to_have_url(re.compile(r"/watchlists$"))

    name = f"e2e border list {time.monotonic_ns() % 1_000_000}"
    form = page.locator("#new-list")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=category]").select_option("wanted")
    form.locator("select[name=severity]").select_option("high")
    form.get_by_role("button", name="Create list").click()
    expect(page.locator("h1")).to_contain_text(name)

    page.get_by_role("link", name="Import a file into this list").click()
    expect(page.locator("#list_id option:checked")).to_have_text(name)
    page.select_option("#format", "csv")
    page.set_input_files(
        "#files", {"name": "wanted.csv", "mimeType": "text/csv", "buffer": LIST_CSV.encode()}
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/watchlists/imports/[\w-]+$"))

    # The progress block is polled every second until the import is done.
    expect(page.locator("#import-done")).to_contain_text("Imported as version 1")
    expect(page.locator("td[data-count=added]")).to_have_text("3")
    expect(page.locator("td[data-count=rejected]")).to_have_text("1")
    rejected = page.locator("#rejections tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("wanted.csv line 4, column date_of_birth")
    expect(rejected).to_contain_text("date_of_birth not understood")
    expect(rejected).to_contain_text("31/02/19xx")

    page.get_by_role("link", name="Open the list").click()
    page.fill("input[name=q]", "zorvandel")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("#entries tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("MIRETH ZORVANDEL")
    expect(rows).to_contain_text("valid now")
    rows.get_by_role("link", name="MIRETH ZORVANDEL").click()
    expect(page.locator("h1")).to_contain_text("MIRETH ZORVANDEL")
    expect(page.locator("#documents")).to_contain_text("ZV1234567")
    expect(page.locator("#entry-versions")).to_contain_text("added")
