"""End-to-end fixtures: ``site`` (the demo served by ``firstline serve``), ``browser``
(headless system Chromium), ``context`` and ``page`` (1400x900). See ``demo_site.py``.

``site`` and ``browser`` are session-scoped, so under pytest-xdist every worker that runs
an e2e test builds its own demo in its own temporary directory and serves it on its own
free port. (Grouping the tests on one worker with ``--dist loadgroup`` does not work with
pytest 9.2 and xdist 3.8: the group suffix never reaches the node ids.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.demo_site import (
    VIEWPORT,
    DemoSite,
    SetupError,
    chromium_executable,
    launch_chromium,
    served_demo,
)
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

# Generous waits: `make test` runs the rest of the suite beside these on every core.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)

# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[DemoSite]:
    try:
        with served_demo(tmp_path_factory.mktemp("e2e-demo"), corpus_dir) as served:
            yield served
    except SetupError as exc:
        raise pytest.fail.Exception(str(exc), pytrace=False) from None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        chromium_executable()
    except SetupError as exc:
        raise pytest.fail.Exception(str(exc), pytrace=False) from None
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Browser, site: DemoSite) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport=VIEWPORT, base_url=site.url)
    made.set_default_timeout(TIMEOUT_MS)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
