"""One settings object, read from `FIRSTLINE_*` environment variables and never mutated."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from firstline.exc import ConfigurationError
from firstline.ingest.adapters import discover
from firstline.ingest.options import ParseOptions

DEVELOPMENT_CARD_KEY = "firstline-development-card-key"


class Settings(BaseSettings):
    """Run-time configuration. Every field is documented in `docs/settings.md`."""

    model_config = SettingsConfigDict(env_prefix="FIRSTLINE_", frozen=True)

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the embedded SQLite database and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db or "
            "sqlite:///path.db. Empty means SQLite at DATA_DIR/firstline.db."
        ),
    )
    log_format: str = Field(
        default="console",
        description="`console` for people, `json` for log collectors.",
    )
    environment: str = Field(
        default="development",
        description="`development` or `production`; production refuses development secrets.",
    )
    card_key: str = Field(
        default=DEVELOPMENT_CARD_KEY,
        description=(
            "Secret that keys the fingerprints of payment card numbers (HMAC-SHA256). Set "
            "one per installation and keep it: changing it stops old and new fingerprints "
            "from meeting."
        ),
    )

    smtp_host: str = Field(
        default="",
        description="SMTP server for e-mail notifications; empty switches notifications off.",
    )
    smtp_port: int = Field(default=25, description="Port of the SMTP server.")
    smtp_starttls: bool = Field(
        default=False, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    smtp_username: str | None = Field(
        default=None, description="SMTP login; empty means no authentication."
    )
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    mail_from: str = Field(
        default="firstline@localhost", description="Sender address of notifications."
    )
    duty_team: str = Field(
        default="",
        description="Comma-separated addresses of the duty targeting team.",
    )
    notify_severities: str = Field(
        default="high",
        description="Comma-separated hit severities that are e-mailed to the duty team.",
    )
    base_url: str = Field(
        default="http://localhost:8000",
        description="Address of the web interface, for links in notifications.",
    )

    timezone: str = Field(
        default="UTC",
        description=(
            "IANA time zone of the unit's airports (e.g. Europe/Berlin): schedules are local "
            "times, and the flights board counts down to arrivals in this zone."
        ),
    )

    oidc_issuer: str = Field(
        default="",
        description=(
            "Issuer URL of the agency's OpenID provider, for single sign-on; empty switches "
            "single sign-on off."
        ),
    )
    oidc_client_id: str = Field(
        default="", description="Client id firstline is registered under at the provider."
    )
    oidc_client_secret: SecretStr | None = Field(
        default=None,
        description="Client secret of a confidential client; empty for a public client.",
    )
    oidc_username_claim: str = Field(
        default="preferred_username",
        description="ID-token claim holding the firstline user name.",
    )
    oidc_label: str = Field(
        default="Log in with the agency account",
        description="Text of the single sign-on button on the login page.",
    )

    @model_validator(mode="after")
    def _no_development_secrets_in_production(self) -> Settings:
        if self.environment != "development" and self.card_key == DEVELOPMENT_CARD_KEY:
            raise ValueError("FIRSTLINE_CARD_KEY must be set outside development")
        return self

    @model_validator(mode="after")
    def _mail_has_somewhere_to_go(self) -> Settings:
        # Caught at start-up: otherwise every ingest would quietly record failed sends.
        if self.smtp_host and not self.duty_team_addresses():
            raise ValueError("FIRSTLINE_DUTY_TEAM must be set when FIRSTLINE_SMTP_HOST is")
        if any("@" not in address for address in self.duty_team_addresses()):
            raise ValueError("FIRSTLINE_DUTY_TEAM must list e-mail addresses")
        return self

    @model_validator(mode="after")
    def _single_sign_on_is_complete(self) -> Settings:
        if not self.oidc_issuer:
            return self
        if not self.oidc_client_id:
            raise ValueError("FIRSTLINE_OIDC_CLIENT_ID must be set when FIRSTLINE_OIDC_ISSUER is")
        # Outside development, discovery, keys and tokens only over TLS: the key set decides
        # whose ID tokens are believed.
        schemes = ("https://",) if self.environment != "development" else ("https://", "http://")
        if not self.oidc_issuer.startswith(schemes):
            raise ValueError(f"FIRSTLINE_OIDC_ISSUER must start with {' or '.join(schemes)}")
        return self

    @property
    def notifications_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer)

    def oidc_redirect_uri(self) -> str:
        """Where the provider sends the browser back; register it with the provider."""
        return f"{self.base_url.rstrip('/')}/login/oidc/callback"

    def duty_team_addresses(self) -> list[str]:
        """The duty team's addresses, in the order given."""
        return _split(self.duty_team)

    def notify_severity_set(self) -> frozenset[str]:
        """Severities worth an e-mail, lower case."""
        return frozenset(part.lower() for part in _split(self.notify_severities))

    def parse_options(self) -> ParseOptions:
        """What parsers need from the settings."""
        return ParseOptions(card_key=self.card_key.encode("utf-8"), adapters=discover().loaded)

    def resolved_database_url(self) -> str:
        """The URL to connect to, defaulting to the SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'firstline.db').resolve()}"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _problem(location: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    if not location:  # a check across fields names its variables itself
        return message
    return f"FIRSTLINE_{'_'.join(str(part) for part in location).upper()}: {message}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process.

    Raises ConfigurationError naming every wrong variable, so an administrator gets one
    readable message instead of a validation traceback.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(error["loc"], error["msg"]) for error in exc.errors())
        raise ConfigurationError(f"invalid settings: {problems}") from exc
