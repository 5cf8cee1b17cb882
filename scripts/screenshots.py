"""Screenshots of the analyst's web interface for the README, at 1400x900.

    .venv/bin/python scripts/screenshots.py [--flights 30] [--out docs/screenshots]

Builds the demo in a temporary data directory and serves it (the end-to-end tests' code,
tests/e2e/demo_site.py), then walks through the pages in the system's headless Chromium as
the demonstration accounts: an analyst confirms a planted watchlist hit and another hit
arriving at the same port, that port's officer records an outcome on the first, the auditor
reads the trail. Nothing is downloaded; needs `chromium`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

from e2e.demo_site import (  # noqa: E402 - after the path set-up
    VIEWPORT,
    DemoSite,
    find_hit,
    launch_chromium,
    log_in,
    log_out,
    port_officer,
    served_demo,
)
from playwright.sync_api import Page, sync_playwright  # noqa: E402

REASON = (
    "Name and date of birth match the listing; passport details checked against the list "
    "entry. Refer to the arrival port."
)
SECOND_REASON = "Checked the booking and the travel history: refer to the arrival port."


def _shot(page: Page, out: Path, name: str, *, full_page: bool = False) -> None:
    page.wait_for_load_state("networkidle")
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"{path.relative_to(REPO_ROOT)} ({path.stat().st_size // 1024} KiB)")


def _confirm(page: Page, hit_id: int, reason: str) -> None:
    page.goto(f"/hits/{hit_id}")
    page.get_by_role("button", name="Start review").click()
    page.select_option("#disposition", "confirmed")
    page.fill("#reason", reason)
    page.get_by_role("button", name="Record decision").click()
    page.locator("#history").get_by_text(reason).wait_for()


def _another_hit(page: Page, port: str, not_id: int) -> int | None:
    """An open hit on another traveller arriving at `port`, highest severity first."""
    hits = page.request.get("/api/v1/hits?limit=1000").json()["hits"]
    for hit in hits:
        if hit["destination"] == port and hit["id"] != not_id:
            return int(hit["id"])
    return None


def take(site: DemoSite, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport=VIEWPORT, base_url=site.url)
        page = context.new_page()

        page.goto("/login")
        _shot(page, out, "login")

        log_in(page, site, "analyst")
        _shot(page, out, "hit-queue")
        page.goto("/flights")
        _shot(page, out, "flights-board")
        variant = site.scenario("watchlist_variant", "lost_stolen_document")
        hit = find_hit(page, variant)
        page.goto(f"/flights/{hit['flight_id']}")
        _shot(page, out, "flight")

        linked = site.scenario("shared_contact")
        page.goto(f"/travellers/{find_hit(page, linked, source='link')['traveller_id']}")
        page.locator("svg[aria-label='Link network']").wait_for()
        _shot(page, out, "traveller-network", full_page=True)  # facts, and the network below

        port = str(hit["destination"])
        second = _another_hit(page, port, hit["id"])
        if second is not None:
            _confirm(page, second, SECOND_REASON)
        _confirm(page, hit["id"], REASON)
        _shot(page, out, "hit-review")
        # Officers meet the traveller at the unit's own airport (arrival, or departure for
        # an outbound flight): the lookout says which.
        port = str(page.request.get(f"/api/v1/hits/{hit['id']}").json()["lookout"]["port"])
        page.goto("/language/fr?next=/hits")
        _shot(page, out, "hit-queue-fr")
        page.goto(f"/language/fr?next=/hits/{hit['id']}")
        _shot(page, out, "hit-review-fr")
        page.goto("/language/en?next=/hits")
        log_out(page)

        log_in(page, site, port_officer(site, port))
        page.goto("/lookout")
        row = page.locator("#lookout tr[data-lookout]", has_text=hit["surname"])
        row.locator("select[name=outcome]").select_option("seizure")
        row.locator("input[name=note]").fill("Undeclared cash found in the hold baggage.")
        row.get_by_role("button", name="Record").click()
        page.locator("#lookout").wait_for()
        _shot(page, out, "port-lookout")
        log_out(page)

        log_in(page, site, "supervisor")  # the morning's dashboards, after the outcome above
        page.goto("/dashboard")
        _shot(page, out, "dashboard")
        page.goto("/rules")
        _shot(page, out, "rules")
        page.goto("/rules/cash-courier-profile/edit")
        _shot(page, out, "rule-editor", full_page=True)
        page.goto("/rules/cash-courier-profile/versions")
        _shot(page, out, "rule-versions")
        page.goto("/rules/lookups")
        _shot(page, out, "lookup-lists")
        listed = page.locator("a[href^='/rules/lookups/'][href$='/versions']").first
        if listed.count():
            listed.click()
            _shot(page, out, "lookup-list", full_page=True)
        page.goto("/watchlists")
        _shot(page, out, "watchlists")
        listed = page.locator("a[href^='/watchlists/'][href$='/versions']").first
        if listed.count():
            listed.click()
            _shot(page, out, "watchlist-versions")
        page.goto("/admin/settings")
        _shot(page, out, "admin-settings")
        log_out(page)

        log_in(page, site, "admin")
        page.goto("/admin/quarantine")
        _shot(page, out, "admin-quarantine")
        first = page.locator("a[href^='/admin/quarantine/']").first
        if first.count():
            first.click()
            _shot(page, out, "admin-quarantined-message")
        page.goto("/admin/delivery")
        _shot(page, out, "admin-delivery")
        page.goto("/admin/users")
        _shot(page, out, "admin-users")
        page.goto("/admin/roles")
        _shot(page, out, "admin-roles")
        log_out(page)

        log_in(page, site, "auditor")
        page.goto("/audit")
        _shot(page, out, "audit-trail")
        page.goto("/api/docs")
        page.locator(".swagger-ui .opblock").first.wait_for()
        _shot(page, out, "api-docs")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flights", type=int, default=30, help="demo flights (default 30)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    corpus = Path(os.environ.get("FIRSTLINE_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="firstline-screenshots-") as data:
        with served_demo(Path(data), corpus.resolve(), flights=args.flights) as site:
            print(f"demo served at {site.url} ({time.perf_counter() - started:.0f} s)")
            take(site, out)
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
