"""Fixtures for the watchlist importers: the shared real list files and parsed copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from watchlists.reading import Read, read_all


@pytest.fixture(scope="session")
def watchlists_dir() -> Path:
    """The shared real list files (read-only), ../shared/watchlists next to the repo."""
    raw = os.environ.get("FIRSTLINE_WATCHLISTS")
    path = Path(raw).expanduser() if raw else Path(__file__).parents[3] / "shared" / "watchlists"
    if not path.is_dir():
        pytest.fail(
            f"watchlists not found at {path}; check out ../shared/watchlists or set "
            "FIRSTLINE_WATCHLISTS.",
            pytrace=False,
        )
    return path.resolve()


@pytest.fixture(scope="session")
def un_list(watchlists_dir: Path) -> Read:
    return read_all([watchlists_dir / "un" / "un_consolidated_2026-02-27.xml"], "un-xml")


@pytest.fixture(scope="session")
def ofac_csv_list(watchlists_dir: Path) -> Read:
    return read_all([watchlists_dir / "ofac_consolidated" / "cons_prim.csv"], "ofac-csv")


@pytest.fixture(scope="session")
def ofac_xml_list(watchlists_dir: Path) -> Read:
    path = watchlists_dir / "ofac_consolidated" / "cons_list_2025-03-28.xml"
    return read_all([path], "ofac-xml")
