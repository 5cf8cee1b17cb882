"""Lookup lists in a real headless Chromium, on the demo's data: from the rules page a
supervisor (the role that may change rules, and so lists) opens the lookup lists, adds a
value to one in the form, typed in lower case, and finds the new version with what it added."""

from __future__ import annotations

import re

import pytest
from e2e.demo_site import DemoSite, log_in
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]

NAME = "cocaine_source_airports"  # in the demo's example pack, used by no rule


def test_supervisor_adds_a_value_and_sees_the_new_version(page: Page, site: DemoSite) -> None:
    log_in(page, site, "supervisor")
    page.goto("/rules")
    page.click("#lookup-lists")
    expect(page).to_have_url(re.compile(r"/rules/lookups$"))
    row = page.locator(f"#lookups tr[data-lookup='{NAME}']")
    version = int(row.locator("td.num").nth(1).inner_text())

    row.get_by_role("link", name="edit").click()
    expect(page).to_have_url(re.compile(rf"/rules/lookups/{NAME}/edit$"))
    values = page.locator("#lookup-values")
    expect(values).to_have_value(re.compile(r"^BOG\n"))
    values.fill(values.input_value() + "\n  mde \n")
    with page.expect_navigation():
        page.click("#save-lookup")

    expect(page).to_have_url(re.compile(rf"/rules/lookups/{NAME}/versions\?note=saved"))
    expect(page.locator("#lookup-saved")).to_contain_text(f"saved as version {version + 1}")
    expect(page.locator("#lookup-values li").last).to_have_text("MDE")
    expect(page.locator("#diff-summary")).to_contain_text(
        f"From version {version} to version {version + 1}: 1 added, 0 removed."
    )
    expect(page.locator("#diff-added li")).to_have_text(["MDE"])
    expect(page.locator(f"#versions tr[data-version='{version + 1}']")).to_contain_text("MDE")

    # Back on the list of lists: the new version and one value more.
    page.goto("/rules/lookups")
    expect(row.locator("td.num").nth(1)).to_have_text(str(version + 1))
