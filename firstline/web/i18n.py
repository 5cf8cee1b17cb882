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

from babel.numbers import get_decimal_symbol

from firstline.texts import fill, resolve, said

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
    # Parameters that are messages themselves ("same sound", "an alias") in the same language,
    # and decimals with the language's decimal sign.
    resolved = _localised(resolve(params, translate)) if params else None
    for text in (gettext(template), template):
        try:
            return fill(text, resolved)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return template


def say(item: object) -> str:
    """A message kept as data (firstline.texts.message, a hit's explanation line), a listing
    of them or a plain value, in the current language."""
    return said(item, translate)


class _Decimal(float):
    """A float parameter that writes its decimal sign as the language does: "{score:.2f}"
    gives 0,93 in French."""

    point: str

    def __new__(cls, value: float, point: str) -> _Decimal:
        number = super().__new__(cls, value)
        number.point = point
        return number

    def __format__(self, spec: str) -> str:
        return format(float(self), spec).replace(".", self.point)


@cache
def _point(locale: str) -> str:
    return str(get_decimal_symbol(locale))


def _localised(params: dict[str, object]) -> dict[str, object]:
    point = _point(babel_locale())
    if point == ".":
        return params
    out: dict[str, object] = {}
    for name, value in params.items():
        out[name] = _Decimal(value, point) if isinstance(value, float) else value
    return out


def gettext(message: str) -> str:
    return catalogue(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ngettext(singular, plural, n)
