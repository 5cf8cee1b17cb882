"""The interface's language: gettext catalogues chosen per request.

Templates call `_()` and `ngettext()`; the language of the request (set by middleware from
the user's choice or the browser's) lives in a context variable, so one Jinja environment
serves every language at once.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from firstline.texts import fill

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
LANGUAGES = {"en": "English", "fr": "Français"}
DEFAULT = "en"
# Babel locales for dates and numbers: both day-month-year and a 24-hour clock.
FORMATS = {"en": "en_GB", "fr": "fr_FR"}

_current: ContextVar[str] = ContextVar("firstline_language", default=DEFAULT)


@cache
def catalogue(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `language` (English is the source: no catalogue needed)."""
    return _gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def activate(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT)


def current() -> str:
    return _current.get()


def babel_locale() -> str:
    """The Babel locale that formats dates and numbers in the current language."""
    return FORMATS.get(_current.get(), FORMATS[DEFAULT])


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def translate(template: str, params: Mapping[str, object] | None = None) -> str:
    """A domain message (an English template and its parameters apart, firstline.texts) in the
    current language: the template translated, then filled in. A translation whose
    placeholders do not fit falls back to the English, and a broken template to itself."""
    if not template:  # gettext("") is the catalogue's header
        return ""
    for text in (gettext(template), template):
        try:
            return fill(text, params)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return template


def gettext(message: str) -> str:
    return catalogue(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ngettext(singular, plural, n)
