"""The demo's data behind the real server, and headless Chromium, for the e2e tests.

``served_demo`` runs ``firstline demo --flights 6 --no-serve`` in a data directory (SQLite,
the demo's embedded database, with its planted scenarios, answer key and demonstration
accounts), then starts ``firstline serve`` on a free loopback port as a subprocess, waits
until ``/login`` answers and stops it on exit. ``launch_chromium`` starts the machine's
Chromium through Playwright (never a downloaded browser); when there is none,
``chromium_executable`` says how to install it.

``tests/e2e/conftest.py`` wraps these as fixtures; ``scripts/screenshots.py`` uses them too.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, ViewportSize

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "firstline-demo"
DEMO_FLIGHTS = 6
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
CHROMIUM_HINT = (
    "The end-to-end tests drive the system's Chromium (never a downloaded one). Install it "
    "with `apt-get install chromium` (or run `scripts/ensure-services.sh`, which `make test` "
    "calls), or point FIRSTLINE_CHROMIUM at a Chromium executable."
)
SERVER_WAIT_SECONDS = 30.0
# Runs the package's command line with this interpreter (there is no `python -m firstline`).
CLI = [sys.executable, "-c", "from firstline.cli import main; main()"]


class SetupError(RuntimeError):
    """The demo site or the browser could not be prepared."""


def chromium_executable() -> str:
    """FIRSTLINE_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium."""
    given = os.environ.get("FIRSTLINE_CHROMIUM")
    candidates = [given] if given else [shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    where = f"FIRSTLINE_CHROMIUM={given}" if given else "chromium on PATH or /usr/bin/chromium"
    raise SetupError(f"Chromium not found ({where}). {CHROMIUM_HINT}")


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS
    )


def cli_env(data_dir: Path, corpus: Path) -> dict[str, str]:
    """This environment without any FIRSTLINE_* setting, on `data_dir` (SQLite)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIRSTLINE_")}
    env["FIRSTLINE_DATA_DIR"] = str(data_dir)
    env["FIRSTLINE_CORPUS"] = str(corpus)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return env


def run_cli(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [*CLI, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SetupError(
            f"firstline {' '.join(args)} failed (exit {done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# Straight to the loopback address, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(f"{url}/login", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class DemoSite:
    """A served demo: its address, data directory and the planted scenarios' answer key."""

    url: str
    data_dir: Path
    env: dict[str, str]
    answer_key: list[dict[str, Any]] = field(default_factory=list)
    accounts: set[str] = field(default_factory=set)  # created here, beyond the demo's

    def cli(self, *args: str) -> str:
        return run_cli(self.env, *args)

    def scenario(self, *types: str, arriving_at: str | None = None) -> dict[str, Any]:
        """The first planted scenario of one of `types` (in that order of preference)."""
        for item in self.scenarios(*types, arriving_at=arriving_at):
            return item
        raise SetupError(f"no planted {' or '.join(types)} scenario in the demo's answer key")

    def scenarios(self, *types: str, arriving_at: str | None = None) -> list[dict[str, Any]]:
        """Planted scenarios of `types`, in that order (`arriving_at` ones only if given)."""
        return [
            item
            for kind in types
            for item in self.answer_key
            if item["type"] == kind and arriving_at in (None, item["flight"]["destination"])
        ]


def _serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`firstline serve` on a free port; retried when another process took the port."""
    for _attempt in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("ab") as out:
            server = subprocess.Popen(
                [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + SERVER_WAIT_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            if _answers(url):
                return server, url
            time.sleep(0.2)
        _stop(server)
    raise SetupError(f"firstline serve did not answer; its output:\n{log.read_text()[-3000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def served_demo(data_dir: Path, corpus: Path, flights: int = DEMO_FLIGHTS) -> Iterator[DemoSite]:
    """Build the demo's data in `data_dir`, serve it, stop the server on exit."""
    env = cli_env(data_dir, corpus)
    run_cli(env, "demo", "--flights", str(flights), "--no-serve")
    keys = sorted(data_dir.glob("traffic/*/_answers/answer_key.json"))
    if not keys:
        raise SetupError(f"the demo wrote no answer key under {data_dir / 'traffic'}")
    answer_key: list[dict[str, Any]] = json.loads(keys[-1].read_text(encoding="utf-8"))
    server, url = _serve(env, data_dir / "serve.log")
    try:
        yield DemoSite(url=url, data_dir=data_dir, env=env, answer_key=answer_key)
    finally:
        _stop(server)


@contextmanager
def another_server(site: DemoSite, **extra_env: str) -> Iterator[str]:
    """A second `firstline serve` on the site's data, with `extra_env` (say, a PYTHONPATH
    where a plugin is installed): what restarting the server after an upgrade amounts to.
    Yields its address; stops it on exit."""
    server, url = _serve({**site.env, **extra_env}, site.data_dir / "serve-again.log")
    try:
        yield url
    finally:
        _stop(server)


def _hits(page: Page, source: str) -> list[dict[str, Any]]:
    response = page.request.get(f"/api/v1/hits?source={source}&limit=1000")
    if not response.ok:
        raise AssertionError(f"GET /api/v1/hits: {response.status} {response.text()[:500]}")
    hits: list[dict[str, Any]] = response.json()["hits"]
    return hits


def _hit_on(hits: list[dict[str, Any]], scenario: dict[str, Any]) -> dict[str, Any] | None:
    person, flight = scenario["traveller"], scenario["flight"]
    for hit in hits:
        if (
            hit["surname"] == person["surname"]
            and hit["given_names"] == person["given_names"]
            and hit["carrier"] == flight["carrier"]
            and str(hit["number"]).lstrip("0") == str(flight["number"])
        ):
            return hit
    return None


def find_hit(page: Page, scenario: dict[str, Any], source: str = "watchlist") -> dict[str, Any]:
    """The open hit from `source` on a planted scenario's traveller, through the JSON API
    (the page's session cookie authenticates it)."""
    hit = _hit_on(_hits(page, source), scenario)
    if hit is None:
        raise AssertionError(f"no open {source} hit on planted scenario {scenario['scenario_id']}")
    return hit


def planted_hit(
    page: Page, site: DemoSite, *types: str, source: str = "watchlist", port: str = "FRA"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A planted scenario of `types` that has an open `source` hit, and that hit: one
    arriving at `port` when there is one (the demo's officer works there)."""
    hits = _hits(page, source)
    candidates = site.scenarios(*types, arriving_at=port) + site.scenarios(*types)
    for scenario in candidates:
        hit = _hit_on(hits, scenario)
        if hit is not None:
            return scenario, hit
    raise AssertionError(f"no open {source} hit on any planted {' or '.join(types)} scenario")


def port_officer(site: DemoSite, port: str) -> str:
    """A port officer's user name at `port`: the demo's `officer` works at FRA, another
    port gets its own account (same password)."""
    if port == "FRA":
        return "officer"
    username = f"officer_{port.lower()}"
    if username not in site.accounts:
        site.cli(
            "users", "add", username, "--role", "port_officer", "--port", port,
            "--password", DEMO_PASSWORD,
        )  # fmt: skip
        site.accounts.add(username)
    return username


def log_in(
    page: Page, site: DemoSite, username: str, password: str = DEMO_PASSWORD, *, at: str = ""
) -> None:
    """Log in on the site's server, or on the one at address `at`."""
    page.goto(f"{at or site.url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    if page.url.rstrip("/").endswith("/login") or "/login?" in page.url:
        raise AssertionError(f"login as {username} failed: {page.inner_text('main')}")


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.click("header form[action='/logout'] button")
    if "/login" not in page.url:
        raise AssertionError(f"log out did not lead to the login page but to {page.url}")
