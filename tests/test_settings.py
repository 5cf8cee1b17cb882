"""Settings: every field documented, environment honoured."""

from __future__ import annotations

from pathlib import Path

import pytest

from firstline.settings import Settings

DOCS = Path(__file__).parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    for name in Settings.model_fields:
        assert f"`FIRSTLINE_{name.upper()}`" in text, name


def test_database_url_defaults_to_sqlite_in_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FIRSTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FIRSTLINE_DATABASE_URL", raising=False)
    url = Settings().resolved_database_url()
    assert url == f"sqlite:///{tmp_path / 'firstline.db'}"


def test_database_url_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIRSTLINE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings().resolved_database_url() == "postgresql+psycopg://u@h/db"
