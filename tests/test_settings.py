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


def test_wrong_settings_give_one_readable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from firstline.exc import ConfigurationError
    from firstline.settings import get_settings

    monkeypatch.setenv("FIRSTLINE_ENVIRONMENT", "production")
    monkeypatch.delenv("FIRSTLINE_CARD_KEY", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError) as caught:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert str(caught.value) == (
        "invalid settings: FIRSTLINE_CARD_KEY must be set outside development"
    )


def test_a_malformed_database_url_is_named_without_echoing_it() -> None:
    from firstline.exc import ConfigurationError
    from firstline.store import open_store

    with pytest.raises(ConfigurationError) as caught:
        open_store("not-a-url-secret")
    assert "FIRSTLINE_DATABASE_URL" in str(caught.value)
    assert "secret" not in str(caught.value)
