"""structlog set-up, done once by the entry points (never by library code).

Log events carry internal ids only. As a safety net, a processor drops values under keys that
usually hold personal data, in case a caller forgets.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

import structlog

_PERSONAL_KEYS = frozenset(
    {
        "name",
        "surname",
        "given_names",
        "document",
        "document_number",
        "passport",
        "card",
        "phone",
        "email",
        "address",
        "date_of_birth",
        "dob",
    }
)


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in _PERSONAL_KEYS.intersection(event):
        event[key] = "[redacted]"
    return event


def configure(*, json: bool = False, level: int = logging.WARNING) -> None:
    """Configure structlog for a CLI or server process."""
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            _redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    """A bound structlog logger named after the calling module."""
    return structlog.get_logger(name)
