"""The rule editor in a real headless Chromium, on the demo's data: a supervisor builds a rule
from scratch (fields, operators, values, a nested group), runs its examples, back-tests it,
activates it and finds it listed as active."""

from __future__ import annotations

import re

import pytest
from e2e.demo_site import DemoSite, log_in
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]

KEY = "e2e-late-cash-hub"
ROWS = "#children-r .node"
EXAMPLES = "#example-rows .example"


def _new_row(page: Page, children: Locator) -> str:
    """The path of the last row of a group (just added)."""
    row = children.locator(":scope > .node").last
    path = row.get_attribute("data-path")
    assert path
    return path


# htmx swaps a response in after Playwright sees it arrive: waiting for the response alone
# races the swap (a field filled in the row or example that is about to be replaced). These
# wait for the new element itself, and for htmx to have bound its pickers (a choice made
# before that sends nothing: seen once in CI under load).
_BOUND = (
    "el => [...el.querySelectorAll('[hx-post]')]"
    ".every(e => e['htmx-internal-data'] && e['htmx-internal-data'].initHash)"
)
_REPLACED = (
    "s => { const el = document.querySelector(s);"
    f" return el !== null && !el.dataset.old && ({_BOUND})(el) }}"
)
_GREW = (
    "([s, n]) => { const all = document.querySelectorAll(s);"
    f" return all.length > n && [...all].every({_BOUND}) }}"
)


def _redraw(page: Page, path: str, select: str, value: str) -> None:
    """Choose `value` in a row's `select`; wait until the server's redrawn row is in."""
    node = f"#node-{path}"
    page.eval_on_selector(node, "el => { el.dataset.old = '1' }")
    with page.expect_response(re.compile(r"/rules/editor/row$")):
        page.locator(f"{node} {select}").select_option(value)
    page.wait_for_function(_REPLACED, arg=node)


def _choose(page: Page, path: str, field: str, op: str) -> Locator:
    """Pick a field, then an operator: each redraws the row from the server."""
    _redraw(page, path, "select.rule-field", field)
    _redraw(page, path, "select.rule-op", op)
    expect(page.locator(f"#node-{path} select.rule-op")).to_have_value(op)
    return page.locator(f"#node-{path}")


def _click_adding(page: Page, button: Locator, endpoint: str, added: str) -> None:
    """Click a button that appends an element matching `added`; wait until it is in."""
    before = page.locator(added).count()
    with page.expect_response(re.compile(rf"/rules/editor/{endpoint}$")):
        button.click()
    page.wait_for_function(_GREW, arg=[added, before])


def test_supervisor_builds_tests_backtests_and_activates_a_rule(page: Page, site: DemoSite) -> None:
    log_in(page, site, "supervisor")
    page.goto("/rules")
    page.click("#new-rule")
    expect(page).to_have_url(re.compile(r"/rules/new$"))
    # htmx binds the pickers once the document is parsed: a change made earlier (a loaded
    # machine) would send nothing.
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")

    page.fill("input[name=id]", KEY)
    page.fill("input[name=title]", "Late cash booking through a hub")
    page.fill("textarea[name=description]", "Built in the browser by the end-to-end test.")
    page.select_option("select[name=category]", "cash")
    page.select_option("select[name=severity]", "high")
    page.fill("input[name=score]", "60")
    page.fill("input[name=owner]", "e2e-team")
    page.fill("input[name=start]", "2026-01-01")
    page.fill("input[name=expiry]", "2030-12-31")

    # Paid in cash ... and booked less than 48 hours before departure ...
    root = page.locator("#children-r")
    first = _new_row(page, root)
    row = _choose(page, first, "payment.cash", "is_true")
    expect(row.locator(".rule-desc")).to_contain_text("At least one cash payment")
    _click_adding(page, page.locator("#node-r > .actions .add-cond"), "row", ROWS)
    second = _new_row(page, root)
    row = _choose(page, second, "booking.hours_before_departure", "less_than")
    expect(row.locator("input.rule-value")).to_have_attribute("type", "number")
    row.locator("input.rule-value").fill("48")

    # ... and (through a hub, or not a DEU/AUT national): a nested group.
    _click_adding(page, page.locator("#node-r > .actions .add-group"), "group", ROWS)
    group = _new_row(page, root)
    page.locator(f"#node-{group} select.rule-kind").select_option("any")
    children = page.locator(f"#children-{group}")
    inner = _new_row(page, children)
    row = _choose(page, inner, "itinerary.transit_airports", "contains_any")
    row.locator("select.rule-lookup").select_option("hub_airports")
    _click_adding(page, page.locator(f"#node-{group} > .actions .add-cond"), "row", ROWS)
    other = _new_row(page, children)
    row = _choose(page, other, "traveller.nationality", "not_in")
    row.locator("textarea.rule-value").fill("deu, aut")

    # The rule's own examples.
    _click_adding(page, page.locator("#add-must-hit"), "example", EXAMPLES)
    page.locator("#example-rows .example").last.locator("textarea").fill(
        "payment.cash: yes\nbooking.hours_before_departure: 6\nitinerary.transit_airports: FRA"
    )
    _click_adding(page, page.locator("#add-must-not-hit"), "example", EXAMPLES)
    page.locator("#example-rows .example").last.locator("textarea").fill(
        "payment.cash: no\nbooking.hours_before_departure: 6\nitinerary.transit_airports: FRA"
    )
    page.click("#run-tests")
    expect(page.locator("#tests-summary")).to_contain_text("All tests pass (2)")

    # The YAML as it will be stored (codes upper-cased, the nested group, the lookup list).
    page.click("#show-yaml")
    yaml_text = page.locator("#yaml-text")
    expect(yaml_text).to_contain_text("contains_any")
    expect(yaml_text).to_contain_text("lookup: hub_airports")
    expect(yaml_text).to_contain_text("- DEU")
    expect(yaml_text).to_contain_text("any:")

    # A back-test on the demo's stored travellers.
    page.click("#run-backtest")
    summary = page.locator("#backtest-summary")
    expect(summary).to_contain_text("travellers would have been hit")
    travellers = int(summary.locator(".bt-travellers").inner_text())
    assert travellers > 0

    # Activate it: listed as active, version 1.
    with page.expect_navigation():
        page.get_by_role("button", name="Save as active").click()
    expect(page).to_have_url(re.compile(rf"/rules\?saved={KEY}"))
    listed = page.locator(f"#rules tr[data-rule='{KEY}']")
    expect(listed).to_contain_text("Late cash booking through a hub")
    expect(listed.locator(".rule-status")).to_have_text("active")
    expect(listed.locator("td.num").first).to_have_text("1")
